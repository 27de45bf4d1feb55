package formats

import (
	"testing"

	"github.com/shopdesk/shopdesk/index"
)

// A question and its answer are an FAQ entry even when the file does not
// say so, unless it, or the options, name another kind.
func TestKindOfQuestions(t *testing.T) {
	res := read(t, "help.jsonl", `{"id":"a","title":"Do you ship to Canada?","text":"Yes, in 5-10 business days."}
{"id":"b","title":"Shipping to Canada","text":"We ship in 5-10 business days."}
{"id":"c","title":"Do you ship to Canada?","text":"Yes.","kind":"policy"}
`, Options{})
	kinds := map[string]string{}
	for _, d := range res.Docs {
		kinds[d.ID] = d.Kind
	}
	if kinds["a"] != index.KindFAQ || kinds["b"] != index.KindPage || kinds["c"] != index.KindPolicy {
		t.Errorf("kinds %v, want a faq, b page, c policy", kinds)
	}
	if res := read(t, "help.jsonl", `{"id":"a","title":"Do you ship to Canada?","text":"Yes."}`, Options{Kind: index.KindPolicy}); res.Docs[0].Kind != index.KindPolicy {
		t.Errorf("with --kind policy: %q", res.Docs[0].Kind)
	}
	md := read(t, "canada.md", "# Do you ship to Canada?\n\nYes, in 5-10 business days.\n", Options{})
	if len(md.Docs) != 1 || md.Docs[0].Kind != index.KindFAQ {
		t.Errorf("a short Markdown answer to a question: %+v", md.Docs)
	}
}
