package recommend

import (
	"math"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/shopdesk/shopdesk/commerce"
)

// How much a term found in each product field counts: the name and the
// merchant's own labels (tags, category) say what the product is; a
// description also mentions what it is not ("room for a fleece
// underneath"), so a hit there counts for less.
var fieldWeights = [3]float64{1.0, 0.8, 0.3}

// textIndex holds each product's text, lower-cased, in three fields:
// names (English and Chinese), labels (category and tags) and
// descriptions. Terms are looked up in it directly rather than
// tokenized ahead, so an interest costs a few substring searches per
// product and nothing is allocated for terms nobody asks about.
type textIndex struct {
	fields [][3]string
}

func newTextIndex(products []commerce.Product) *textIndex {
	x := &textIndex{fields: make([][3]string, len(products))}
	for i, p := range products {
		// Newlines separate the parts so that neither a word nor a run
		// of Han characters spans two of them.
		x.fields[i] = [3]string{
			strings.ToLower(p.Name + "\n" + p.NameZh),
			strings.ToLower(p.Category + "\n" + strings.Join(p.Tags, "\n")),
			strings.ToLower(p.Description + "\n" + p.DescriptionZh),
		}
	}
	return x
}

// weight is the weight of the best field of product i that contains t,
// or 0.
func (x *textIndex) weight(i int, t term) float64 {
	for f, text := range x.fields[i] {
		if t.han && strings.Contains(text, t.key) || !t.han && containsWord(text, t.key) {
			return fieldWeights[f]
		}
	}
	return 0
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
	n := len(x.fields)
	type scored struct {
		term
		idf float64
		w   []float64
	}
	var ts []scored
	var total float64
	seen := make(map[string]bool)
	for _, t := range terms(interest) {
		if seen[t.key] {
			continue
		}
		seen[t.key] = true
		w := make([]float64, n)
		df := 0
		for i := range n {
			if w[i] = x.weight(i, t); w[i] > 0 {
				df++
			}
		}
		if df == 0 || 2*df > n+1 {
			continue
		}
		idf := math.Log(1 + (float64(n)-float64(df)+0.5)/(float64(df)+0.5))
		ts = append(ts, scored{term: t, idf: idf, w: w})
		total += idf
	}
	if total == 0 {
		return nil
	}
	out := make(map[int]textMatch)
	for i := range n {
		var got, best float64
		var bestTerm string
		for _, t := range ts {
			v := t.w[i] * t.idf
			got += v
			if v > best {
				best, bestTerm = v, t.shown
			}
		}
		if got > 0 {
			out[i] = textMatch{score: got / total, term: bestTerm}
		}
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

// terms splits an interest into terms. Chinese is not segmented into
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
		if w := word.String(); utf8.RuneCountInString(w) >= 2 {
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

// containsWord reports whether lower-cased text has a whole word whose
// stem is key: "tent" is in "2-person tents", not in "content".
func containsWord(text, key string) bool {
	if key == "" {
		return false
	}
	for off := 0; off < len(text); {
		i := strings.Index(text[off:], key)
		if i < 0 {
			return false
		}
		start := off + i
		off = start + len(key)
		if r, _ := utf8.DecodeLastRuneInString(text[:start]); start > 0 && isWordRune(r) {
			continue
		}
		end := off
		for end < len(text) {
			r, size := utf8.DecodeRuneInString(text[end:])
			if !isWordRune(r) {
				break
			}
			end += size
		}
		if stem(text[start:end]) == key {
			return true
		}
	}
	return false
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
