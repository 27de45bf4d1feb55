package assistant

import (
	"strings"
	"unicode"

	"github.com/shopdesk/shopdesk/lang"
	"github.com/shopdesk/shopdesk/sentiment"
)

// Relevance measures how much of a question the retrieved passages speak
// to: the share of the question's content terms that appear in them.
// English words count after dropping stop words and comparing on a
// five-letter prefix (so "returns" meets "returned"); Chinese counts
// characters and adjacent pairs of characters, less function characters,
// and averages the two. 0 means nothing in common, 1 everything.
func Relevance(question string, passages []string) float64 {
	q := termsOf(question)
	q.dropMoodWords(question)
	if len(q.words)+len(q.chars) == 0 {
		return 0
	}
	var have terms
	have.init()
	for _, p := range passages {
		have.add(p)
	}
	var score, weight float64
	if n := len(q.words); n > 0 {
		score += float64(n) * share(q.words, have.words)
		weight += float64(n)
	}
	if n := len(q.chars); n > 0 {
		// Chinese: characters are lenient, pairs strict; one Chinese word
		// averages about one and a half characters.
		zh := (share(q.chars, have.chars) + share(q.pairs, have.pairs)) / 2
		w := float64(n) / 1.5
		score += w * zh
		weight += w
	}
	return score / weight
}

func share(want, have map[string]bool) float64 {
	if len(want) == 0 {
		return 0
	}
	hit := 0
	for t := range want {
		if have[t] {
			hit++
		}
	}
	return float64(hit) / float64(len(want))
}

type terms struct {
	words, chars, pairs map[string]bool
}

func (t *terms) init() {
	t.words, t.chars, t.pairs = map[string]bool{}, map[string]bool{}, map[string]bool{}
}

func termsOf(s string) terms {
	var t terms
	t.init()
	t.add(s)
	return t
}

// add collects the content terms of s.
func (t *terms) add(s string) {
	var word []rune
	var prev rune
	flushWord := func() {
		if len(word) > 0 {
			w := strings.ToLower(string(word))
			if !stopWords[w] && (len(word) > 1 || unicode.IsDigit(word[0])) {
				if r := []rune(w); len(r) > 5 {
					w = string(r[:5])
				}
				t.words[w] = true
			}
			word = word[:0]
		}
	}
	for _, r := range s {
		switch {
		case lang.IsHan(r):
			flushWord()
			if stopChars[r] {
				prev = 0
				continue
			}
			t.chars[string(r)] = true
			if prev != 0 {
				t.pairs[string([]rune{prev, r})] = true
			}
			prev = r
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			prev = 0
			word = append(word, r)
		default:
			prev = 0
			flushWord()
		}
	}
	flushWord()
}

// dropMoodWords removes the words that only carry the shopper's mood
// ("terrible", "angry"): an upset question is still on topic.
func (t *terms) dropMoodWords(text string) {
	for _, w := range strings.FieldsFunc(text, func(r rune) bool { return !unicode.IsLetter(r) || lang.IsHan(r) }) {
		if sentiment.Classify(w).Label == sentiment.Neutral {
			continue
		}
		w = strings.ToLower(w)
		if r := []rune(w); len(r) > 5 {
			w = string(r[:5])
		}
		delete(t.words, w)
	}
}

// stopWords are English words that carry a question's shape, not its
// subject.
var stopWords = set(`a about after again all also am an and any are as at be because been before being
between both but by can could did do does doing don done each even ever every few for from get gets
got had has have having he her here hers him his how i if in into is it its just know let like me
might more most much must my need no nor not now of off on once one only or other our ours out over
own please same she should so some such than that the their theirs them then there these they this
those through to too under until up us very want was way we well were what when where which while
who whom why will with would yes yet you your yours hi hello hey thanks thank ok okay
sell sells buy offer carry`)

// stopChars are Chinese function characters: particles, pronouns and
// question words.
var stopChars = func() map[rune]bool {
	m := map[rune]bool{}
	for _, r := range "的了吗呢吧啊呀么嘛是我你您他她它们在有和与及就都也还要能可以会想请问一个这那哪些什怎样为吗多少几把被给到对从" {
		m[r] = true
	}
	return m
}()

func set(words string) map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(words) {
		m[w] = true
	}
	return m
}
