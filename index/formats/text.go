package formats

import (
	"strings"

	"github.com/shopdesk/shopdesk/index"
)

// readText makes one document of a plain text file: paragraphs separated
// by blank lines, titled by its first line when that is short.
func readText(src string, opts Options) (Result, error) {
	doc := index.Document{ID: cleanID(opts.Name), Source: opts.Name}
	text := strings.TrimSpace(strings.ReplaceAll(src, "\r\n", "\n"))
	first, rest, _ := strings.Cut(text, "\n")
	if t := strings.TrimSpace(first); t != "" && len([]rune(t)) <= 80 && strings.TrimSpace(rest) != "" {
		doc.Title = t
		text = strings.TrimSpace(rest)
	} else {
		doc.Title = titleFromName(opts.Name)
	}
	for _, p := range strings.Split(text, "\n\n") {
		if p = strings.TrimSpace(p); p != "" {
			doc.Blocks = append(doc.Blocks, index.Block{Kind: index.Paragraph, Text: p})
		}
	}
	doc.Text = text
	return Result{Docs: []index.Document{doc}}, nil
}
