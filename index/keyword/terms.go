package keyword

import (
	"sync"

	"github.com/blevesearch/bleve/v2/analysis"
)

var (
	analyzerOnce sync.Once
	analyzer     analysis.Analyzer
)

// Terms returns the distinct terms the keyword index makes of text, in
// order of first appearance: lower-cased words less stop words, Chinese
// characters and their bigrams. It is safe for concurrent use.
func Terms(text string) []string {
	analyzerOnce.Do(func() {
		register()
		m, err := newMapping()
		if err != nil {
			panic("keyword: " + err.Error()) // fixed at build time, pinned by tests
		}
		analyzer = m.AnalyzerNamed(analyzerName)
	})
	if len(text) > 4*maxQueryRunes {
		text = text[:4*maxQueryRunes]
	}
	seen := map[string]bool{}
	var out []string
	for _, tok := range analyzer.Analyze([]byte(text)) {
		if t := string(tok.Term); !seen[t] {
			seen[t] = true
			out = append(out, t)
		}
	}
	return out
}

// Synonyms returns the synonyms of text's words that text does not use,
// as one string (what the keyword query also searches, at a lower weight).
func Synonyms(text string) string { return expand(text) }
