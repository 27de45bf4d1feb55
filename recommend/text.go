package recommend

import (
	"math"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/shopdesk/shopdesk/catalog"
	"github.com/shopdesk/shopdesk/commerce"
)

// How much a term found in each product field counts: the name and the
// merchant's own labels (tags, category) say what the product is; a
// description also mentions what it is not ("room for a fleece
// underneath"), so a hit there counts for less.
var fieldWeights = [3]float64{1.0, 0.8, 0.3}

// textIndex maps each term (see terms) to the products whose text holds
// it, with the best field it is in. A product's text is, lower-cased, in
// three fields: names (English and Chinese), labels (category and tags)
// and descriptions. A Latin term is held by a field with a word whose
// stem it is; a Han term (one character or two) by a field where it
// appears, which is any of its characters and pairs of adjacent ones.
// Built once per Shop, it makes an interest cost the postings of its
// terms rather than a scan of every product.
type textIndex struct {
	n        int
	postings map[string][]posting
}

// posting is a product holding a term, and the first of its fields that
// does (the one with the highest weight).
type posting struct {
	product int32
	field   uint8
}

func newTextIndex(products []commerce.Product) *textIndex {
	x := &textIndex{n: len(products), postings: make(map[string][]posting)}
	seen := make(map[string]bool)
	for i, p := range products {
		clear(seen)
		fields := [3]string{
			p.Name + "\n" + p.NameZh,
			p.Category + "\n" + strings.Join(p.Tags, "\n"),
			p.Description + "\n" + p.DescriptionZh,
		}
		for f, text := range fields {
			add := func(key string) {
				if !seen[key] {
					seen[key] = true
					x.postings[key] = append(x.postings[key], posting{product: int32(i), field: uint8(f)})
				}
			}
			fieldKeys(strings.ToLower(text), add)
		}
	}
	return x
}

// fieldKeys calls add with every term a lower-cased field holds: the stem
// of each word, and each Han character and pair of adjacent ones.
func fieldKeys(text string, add func(string)) {
	word, prevHan := -1, -1 // where the current word and the previous Han character start
	for i, r := range text {
		if isWordRune(r) {
			if word < 0 {
				word = i
			}
			prevHan = -1
			continue
		}
		if word >= 0 {
			add(stem(text[word:i]))
			word = -1
		}
		if !unicode.Is(unicode.Han, r) {
			prevHan = -1
			continue
		}
		end := i + utf8.RuneLen(r)
		add(text[i:end])
		if prevHan >= 0 {
			add(text[prevHan:end])
		}
		prevHan = i
	}
	if word >= 0 {
		add(stem(text[word:]))
	}
}

// textMatch is how well one product matches one interest: the share, in
// [0, 1], of the interest's informative terms found in the product,
// weighted by idf and field, and the term that contributed most, as the
// shopper wrote it.
type textMatch struct {
	score float64
	term  string
}

// match scores every product against interest; products that match
// nothing are absent.
//
// Each term is weighted by how few products contain it (the BM25 idf,
// kept positive). Terms no product has carry nothing, and neither do
// terms more than about half the catalog has ("the", "的", "hiking" in
// an outdoor shop): they cannot tell products apart. The score is the
// found share of the remaining terms' weight, so "gore-tex jacket" is a
// full match for a jacket in a shop that never says "gore-tex".
func (x *textIndex) match(interest string) map[int]textMatch {
	n := x.n
	type scored struct {
		term
		idf float64
		ps  []posting
	}
	var ts []scored
	var total float64
	seen := make(map[string]bool)
	for _, t := range terms(interest) {
		if seen[t.key] {
			continue
		}
		seen[t.key] = true
		ps := x.postings[t.key]
		df := len(ps)
		if df == 0 || 2*df > n+1 {
			continue
		}
		idf := math.Log(1 + (float64(n)-float64(df)+0.5)/(float64(df)+0.5))
		ts = append(ts, scored{term: t, idf: idf, ps: ps})
		total += idf
	}
	if total == 0 {
		return nil
	}
	type sum struct {
		got, best float64
		term      string
	}
	sums := make(map[int]*sum)
	for _, t := range ts { // in term order, as the scores add up
		for _, p := range t.ps {
			v := fieldWeights[p.field] * t.idf
			m := sums[int(p.product)]
			if m == nil {
				m = &sum{}
				sums[int(p.product)] = m
			}
			m.got += v
			if v > m.best {
				m.best, m.term = v, t.shown
			}
		}
	}
	out := make(map[int]textMatch, len(sums))
	for i, m := range sums {
		out[i] = textMatch{score: m.got / total, term: m.term}
	}
	return out
}

// term is one unit of matching: a lower-cased Latin word with a plural
// "s" removed, or Han characters.
type term struct {
	key   string
	shown string
	han   bool
}

// terms splits an interest into terms; words that say nothing about a
// product ("can", "the", "price") are left out. Chinese is not segmented into
// words, so a run of Han characters yields its overlapping bigrams
// ("我想买帐篷" → …, "帐篷"), which find two-character words without a
// dictionary; a run of one character is kept as it is ("靴"). Single
// characters of a longer run ("我", "买") would mostly be noise.
func terms(text string) []term {
	var out []term
	var han []rune
	flushHan := func() {
		if len(han) == 1 {
			out = append(out, term{key: string(han), shown: string(han), han: true})
		}
		for i := 0; i+1 < len(han); i++ {
			s := string(han[i : i+2])
			out = append(out, term{key: s, shown: s, han: true})
		}
		han = han[:0]
	}
	var word strings.Builder
	flushWord := func() {
		if w := word.String(); utf8.RuneCountInString(w) >= 2 && !catalog.IsStopWord(w) {
			out = append(out, term{key: stem(w), shown: w})
		}
		word.Reset()
	}
	for _, r := range text {
		switch {
		case unicode.Is(unicode.Han, r):
			flushWord()
			han = append(han, r)
		case isWordRune(r):
			flushHan()
			word.WriteRune(unicode.ToLower(r))
		default:
			flushWord()
			flushHan()
		}
	}
	flushWord()
	flushHan()
	return out
}

// isWordRune reports whether r belongs to a Latin-script (or other
// space-separated) word.
func isWordRune(r rune) bool {
	return (unicode.IsLetter(r) || unicode.IsDigit(r)) && !unicode.Is(unicode.Han, r)
}

// stem removes an English plural "s" ("boots" → "boot", not "dress"), so
// that "tents" finds a "tent" tag. The same rule applies to both sides,
// so a stem that is not a word ("pant") still matches.
func stem(w string) string {
	if len(w) > 3 && strings.HasSuffix(w, "s") && !strings.HasSuffix(w, "ss") {
		return w[:len(w)-1]
	}
	return w
}
