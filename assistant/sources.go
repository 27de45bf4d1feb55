package assistant

import (
	"strings"
	"unicode"

	"github.com/shopdesk/shopdesk/conversation"
	"github.com/shopdesk/shopdesk/grounding"
	"github.com/shopdesk/shopdesk/index"
)

// snippetBytes bounds a source's snippet as shown to clients.
const snippetBytes = 300

// sourcesOf numbers the hits as the answer cites them: what clients are
// shown, and what the grounding check compares against.
func sourcesOf(hits []index.SearchHit) ([]conversation.Source, []grounding.Source) {
	shown := make([]conversation.Source, len(hits))
	checked := make([]grounding.Source, len(hits))
	for i, h := range hits {
		shown[i] = sourceOf(h)
		title := h.Title
		if h.Heading != "" && h.Heading != h.Title {
			title += " › " + h.Heading
		}
		checked[i] = grounding.Source{Title: title, Text: h.Text}
	}
	return shown, checked
}

func sourceOf(h index.SearchHit) conversation.Source {
	return conversation.Source{ID: h.DocID, Title: h.Title, URL: h.URL, Snippet: snippet(h.Text)}
}

// snippet is the start of text, cut at a word or sentence where it can be.
func snippet(text string) string {
	text = strings.Join(strings.Fields(text), " ")
	if len(text) <= snippetBytes {
		return text
	}
	cut := utf8Prefix(text, snippetBytes)
	if i := strings.LastIndexAny(cut, " 。，"); i > snippetBytes/2 {
		cut = cut[:i]
	}
	return strings.TrimRight(cut, " ,.;:，。") + "…"
}

func hasLetters(text string) bool {
	return strings.IndexFunc(text, unicode.IsLetter) >= 0
}
