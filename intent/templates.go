package intent

import (
	"bufio"
	"bytes"
	_ "embed"
	"fmt"
	"math/rand/v2"
	"strings"
)

//go:embed data/templates.txt
var templateFile []byte

// SourceTemplate marks examples expanded from data/templates.txt.
const SourceTemplate = "template"

// templatesPerLine bounds the expansions of one template line.
const templatesPerLine = 40

// TemplateExamples expands the project's phrase templates into training
// examples: each line's choices ({a|b|}) combined, at most 40 a line,
// drawn with a fixed seed per line.
func TemplateExamples() []Example {
	ex, err := expandTemplates(templateFile)
	if err != nil {
		panic("intent: embedded templates: " + err.Error()) // a test guards this
	}
	return ex
}

func expandTemplates(data []byte) ([]Example, error) {
	var out []Example
	sc := bufio.NewScanner(bytes.NewReader(data))
	for line := 1; sc.Scan(); line++ {
		text := strings.TrimSpace(sc.Text())
		if text == "" || strings.HasPrefix(text, "#") {
			continue
		}
		name, pattern, ok := strings.Cut(text, "\t")
		if !ok || !Valid(Label(name)) {
			return nil, fmt.Errorf("line %d: want an intent, a tab and a pattern", line)
		}
		parts, err := parsePattern(pattern)
		if err != nil {
			return nil, fmt.Errorf("line %d: %w", line, err)
		}
		total := 1
		for _, p := range parts {
			total = min(total*len(p), 1<<30)
		}
		rng := rand.New(rand.NewPCG(uint64(line), 7))
		seen := map[string]bool{}
		for try := 0; try < 4*templatesPerLine && len(seen) < min(total, templatesPerLine); try++ {
			var b strings.Builder
			for _, p := range parts {
				b.WriteString(p[rng.IntN(len(p))])
			}
			s := strings.Join(strings.Fields(b.String()), " ")
			s = strings.ReplaceAll(s, " ,", ",")
			s = strings.ReplaceAll(s, " ?", "?")
			if seen[s] {
				continue
			}
			seen[s] = true
			ex, err := Example{Text: s, Intent: Label(name), Split: SplitTrain, Source: SourceTemplate}.validate()
			if err != nil {
				return nil, fmt.Errorf("line %d: %q: %w", line, s, err)
			}
			out = append(out, ex)
		}
	}
	return out, nil
}

// parsePattern splits "a {b|c} d" into [[a ] [b c] [ d]].
func parsePattern(p string) ([][]string, error) {
	var parts [][]string
	for p != "" {
		i := strings.IndexByte(p, '{')
		if i < 0 {
			parts = append(parts, []string{p})
			break
		}
		if i > 0 {
			parts = append(parts, []string{p[:i]})
		}
		j := strings.IndexByte(p[i:], '}')
		if j < 0 {
			return nil, fmt.Errorf("unclosed {")
		}
		parts = append(parts, strings.Split(p[i+1:i+j], "|"))
		p = p[i+j+1:]
	}
	return parts, nil
}
