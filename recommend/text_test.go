package recommend

import (
	"slices"
	"testing"
)

// Words that say nothing about a product never become an interest, so a
// reason never reads "Matches your interest in “can”".
func TestTermsLeaveOutStopWords(t *testing.T) {
	var got []string
	for _, tm := range terms("Can you recommend a good rain jacket for my kids?") {
		got = append(got, tm.shown)
	}
	for _, w := range got {
		if w == "can" || w == "you" || w == "for" || w == "my" || w == "a" {
			t.Errorf("stop word %q kept in %v", w, got)
		}
	}
	if !slices.Contains(got, "rain") || !slices.Contains(got, "jacket") || !slices.Contains(got, "kids") {
		t.Errorf("terms = %v, want rain, jacket and kids among them", got)
	}
}
