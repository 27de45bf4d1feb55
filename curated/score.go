package curated

import (
	"github.com/shopdesk/shopdesk/index/keyword"
)

// Terms are a text's keyword terms (keyword.Terms) and, apart, the terms
// of its words' synonyms.
type Terms struct {
	own, syn map[string]bool
}

// TermsOf analyses text.
func TermsOf(text string) Terms {
	t := Terms{own: map[string]bool{}, syn: map[string]bool{}}
	for _, w := range keyword.Terms(text) {
		t.own[w] = true
	}
	if s := keyword.Synonyms(text); s != "" {
		for _, w := range keyword.Terms(s) {
			if !t.own[w] {
				t.syn[w] = true
			}
		}
	}
	return t
}

// Score is how well a shopper's message matches a phrasing (a curated
// question or alternate, an FAQ title): the harmonic mean of the share of
// the phrasing's terms the message has and the share of the message's
// terms the phrasing has, a term met only as a synonym counting half. A message that
// asks something besides or instead of the phrasing ("can I return opened
// socks" against "can I return opened food?") scores lower than one that
// asks just that. 0 means nothing in common, 1 the same terms.
//
// Every term weighs the same, and words are compared whole: on the dev
// split of the labelled set, weighting terms by their rarity among the
// tenant's phrasings, or comparing words on a five-letter prefix, did no
// better at the precision wanted, and unweighted scores mean the same
// whatever the number of answers a tenant has.
func Score(msg, phrasing Terms) float64 {
	a := covered(phrasing.own, msg)
	b := covered(msg.own, phrasing)
	if a+b == 0 {
		return 0
	}
	return 2 * a * b / (a + b)
}

// synonymCredit is what a term met only as a synonym counts: half and
// whole did the same on the dev split; half is the cautious choice, and
// it stopped faq_first's wrong verbatim answers on the demo paraphrase set
// ("is there a warranty" answered by "Do you repair gear that is out of
// warranty?", through the synonyms of "warranty").
const synonymCredit = 0.5

// covered is the share of want that have holds, as its own terms or
// synonyms.
func covered(want map[string]bool, have Terms) float64 {
	if len(want) == 0 {
		return 0
	}
	hit := 0.0
	for w := range want {
		switch {
		case have.own[w]:
			hit++
		case have.syn[w]:
			hit += synonymCredit
		}
	}
	return hit / float64(len(want))
}

// ScoreText is Score for two texts.
func ScoreText(msg, phrasing string) float64 {
	return Score(TermsOf(msg), TermsOf(phrasing))
}
