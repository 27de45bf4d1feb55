package catalog

import (
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/shopdesk/shopdesk/lang"
)

// reading is what a text says for product matching, in the order
// written: its Latin words (lower-cased, singular, number words as
// digits, without stop words), the bigrams of its runs of Chinese
// characters (a run of one character stands as itself), and the kinds
// of product it names.
type reading struct {
	words    []string
	bigrams  []string
	concepts []int
}

// fold lower-cases text, folds full-width ASCII and rewrites the other
// writings of product words (variantWritings), and of head counts in a
// text about tents (headCounts).
func fold(text string) string {
	var b strings.Builder
	b.Grow(len(text))
	for _, r := range text {
		switch {
		case r >= 0xFF01 && r <= 0xFF5E:
			r -= 0xFEE0
		case r == 0x3000:
			r = ' '
		case r == '’' || r == '‘':
			r = '\''
		}
		if r < utf8.RuneSelf {
			if 'A' <= r && r <= 'Z' {
				r += 'a' - 'A'
			}
			b.WriteByte(byte(r))
			continue
		}
		b.WriteRune(unicode.ToLower(r))
	}
	out := variantWritings.Replace(b.String())
	if strings.Contains(out, "帐篷") {
		out = headCounts.Replace(out)
	}
	return out
}

// read analyses text, which fold has already seen.
func read(low string) reading {
	var rd reading
	raw := latinWords(low)
	rd.concepts = conceptsIn(raw, low)
	for _, w := range raw {
		if !stopWords[w] {
			rd.words = append(rd.words, w)
		}
	}
	rd.bigrams = hanBigrams(low)
	return rd
}

// latinWords splits low into its words of letters and digits outside
// Chinese: singular, number words as digits, letters and digits apart
// ("55l" → "55", "l"), an apostrophe's "s" dropped ("women's" → "women")
// and other apostrophes closed up ("j'adore" → "jadore"). A number and
// "pack" ("3-pack") is one word, "multipack", not a backpack.
func latinWords(low string) []string {
	var out []string
	var cur []byte
	kind := 0 // 1 letters, 2 digits in cur
	flush := func() {
		if len(cur) == 0 {
			return
		}
		w := string(cur)
		cur, kind = cur[:0], 0
		if n, ok := numberWords[w]; ok {
			w = n
		}
		w = singular(w)
		if w == "pack" && len(out) > 0 && isDigits(out[len(out)-1]) {
			w = "multipack"
		}
		out = append(out, w)
	}
	skip := false
	for i, r := range low {
		if skip {
			skip = false
			continue
		}
		switch {
		case r == '\'':
			if rest := low[i+1:]; strings.HasPrefix(rest, "s") && (len(rest) == 1 || !isWordRune(rune(rest[1]))) {
				flush() // "women's"
				skip = true
			}
			continue // "j'adore"
		case isWordRune(r):
			k := 1
			if unicode.IsDigit(r) {
				k = 2
			}
			if kind != 0 && k != kind {
				flush()
			}
			kind = k
			cur = utf8.AppendRune(cur, r)
			continue
		}
		flush()
	}
	flush()
	for i, w := range out {
		if w == "pack" && (i+1 < len(out) && out[i+1] == "of" || i > 0 && out[i-1] == "in") {
			// "a pack of three", "sold in packs": a quantity, not a backpack.
			out[i] = "multipack"
		}
	}
	return out
}

// childAges rewrites "my 6 year old" (a child: "year" after an age of
// at most 14 and an owner, and before "old" and neither a kind nor an
// adult: "a 2 year old tent", "my 65 year old dad" stay) as "kid".
func childAges(words []string) []string {
	for i, w := range words {
		if w == "year" && i >= 2 && i+1 < len(words) && words[i+1] == "old" && childAge(words[i-1]) && slices.Contains(childOwners, words[i-2]) &&
			(i+2 == len(words) || len(matcher.en[words[i+2]]) == 0 && !slices.Contains(adults, words[i+2])) {
			words[i] = "kid"
		}
	}
	return words
}

// childAge reports whether w is an age of 1 to 14.
func childAge(w string) bool {
	n, err := strconv.Atoi(w)
	return err == nil && n >= 1 && n <= 14
}

// adults after "N year old" say it is not a child.
var adults = []string{"man", "woman", "men", "women", "dad", "father", "mom", "mum", "mother", "husband", "wife",
	"parent", "grandma", "grandpa", "grandmother", "grandfather", "adult", "lady", "guy", "brother", "sister"}

// childOwners before "N year old" make it a child.
var childOwners = []string{"my", "our", "his", "her", "their", "a", "an", "for"}

func isDigits(w string) bool {
	for i := 0; i < len(w); i++ {
		if w[i] < '0' || w[i] > '9' {
			return false
		}
	}
	return w != ""
}

// hanBigrams returns the overlapping character pairs of each run of
// Chinese characters in low, and a run of one character as itself.
func hanBigrams(low string) []string {
	var out []string
	eachBigram(low, func(_, _ int, b string) { out = append(out, b) })
	return out
}

// eachBigram calls f with each of hanBigrams' pairs and its byte range
// in low.
func eachBigram(low string, f func(start, end int, b string)) {
	start, prev, n := -1, 0, 0
	end := func(i int) {
		if n == 1 {
			f(start, i, low[start:i])
		}
		start, n = -1, 0
	}
	for i, r := range low {
		if r < 0x2E80 || !unicode.Is(unicode.Han, r) {
			if start >= 0 {
				end(i)
			}
			continue
		}
		if start < 0 {
			start = i
		} else {
			f(prev, i+utf8.RuneLen(r), low[prev:i+utf8.RuneLen(r)])
		}
		prev = i
		n++
	}
	if start >= 0 {
		end(len(low))
	}
}

// conceptMatcher finds concepts' forms: English ones as word sequences,
// Chinese ones as substrings, longest first, each text place read once.
type conceptMatcher struct {
	en map[string][]form // by first word
	zh map[rune][]form   // by first character
}

type form struct {
	words []string // English
	text  string   // Chinese
	ids   []int    // concepts with this form
}

var matcher = newConceptMatcher()

func newConceptMatcher() *conceptMatcher {
	m := &conceptMatcher{en: map[string][]form{}, zh: map[rune][]form{}}
	add := func(list []form, f form, i int) []form {
		for k := range list {
			if strings.Join(list[k].words, " ") == strings.Join(f.words, " ") && list[k].text == f.text {
				list[k].ids = append(list[k].ids, i)
				return list
			}
		}
		f.ids = []int{i}
		list = append(list, f)
		// Longest first.
		for k := len(list) - 1; k > 0 && formLen(list[k]) > formLen(list[k-1]); k-- {
			list[k], list[k-1] = list[k-1], list[k]
		}
		return list
	}
	for i, c := range concepts {
		for _, e := range c.en {
			ws := latinWords(fold(e))
			m.en[ws[0]] = add(m.en[ws[0]], form{words: ws}, i)
		}
		for _, z := range c.zh {
			z = fold(z)
			r, _ := utf8.DecodeRuneInString(z)
			m.zh[r] = add(m.zh[r], form{text: z}, i)
		}
	}
	return m
}

func formLen(f form) int {
	if f.text != "" {
		return utf8.RuneCountInString(f.text)
	}
	return len(f.words)
}

// conceptsIn returns the concepts that words (English) and low (for
// Chinese) name, each once, in no particular order. Forms that only
// look like a kind ("battery pack") are read and give nothing.
func conceptsIn(words []string, low string) []int {
	ids, _, _ := kindsIn(words, low)
	return ids
}

// kindsIn is conceptsIn, also saying which words (byWord: the number of
// words of the form covering each, 0 for none), and which byte ranges of
// low, the forms found cover.
func kindsIn(words []string, low string) (ids []int, byWord []int, spans [][2]int) {
	addIDs := func(found []int) {
		for _, id := range found {
			if concepts[id].id != "" && !slices.Contains(ids, id) {
				ids = append(ids, id)
			}
		}
	}
	for i := 0; i < len(words); {
		n := 1
		for _, f := range matcher.en[words[i]] {
			if i+len(f.words) <= len(words) && equalWords(words[i:i+len(f.words)], f.words) {
				addIDs(f.ids)
				n = len(f.words)
				if byWord == nil {
					byWord = make([]int, len(words))
				}
				for k := i; k < i+n; k++ {
					byWord[k] = n
				}
				break
			}
		}
		i += n
	}
	for i := 0; i < len(low); {
		r, size := utf8.DecodeRuneInString(low[i:])
		for _, f := range matcher.zh[r] {
			if strings.HasPrefix(low[i:], f.text) {
				addIDs(f.ids)
				size = len(f.text)
				spans = append(spans, [2]int{i, i + size})
				break
			}
		}
		i += size
	}
	return ids, byWord, spans
}

func equalWords(a, b []string) bool {
	for i := range b {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// qualifierDeclined reports whether every mention of a qualifier concept
// (children) in a message (its words, and folded) is negated: "for me,
// not the kids", "不是给孩子的".
func qualifierDeclined(words []string, low string) bool {
	mentioned := false
	for _, c := range concepts {
		if !c.qualifier {
			continue
		}
		for i, w := range words {
			if !slices.Contains(c.en, w) {
				continue
			}
			mentioned = true
			if !slices.ContainsFunc(words[max(0, i-3):i], func(w string) bool { return slices.Contains(enNegations, w) }) {
				return false
			}
		}
		for _, z := range c.zh {
			asked := false
			eachIndex(low, z, func(i int) bool {
				mentioned = true
				before := low[lang.RunesBefore(low, i, 4):i]
				asked = !strings.Contains(before, "不是") && !strings.Contains(before, "不给") && !strings.Contains(before, "不要")
				return !asked
			})
			if asked {
				return false
			}
		}
	}
	return mentioned
}

// eachIndex calls f with the byte offset of each place sub is in s, in
// order and not overlapping, until f returns false.
func eachIndex(s, sub string, f func(i int) bool) {
	for off := 0; off <= len(s) && sub != ""; {
		i := strings.Index(s[off:], sub)
		if i < 0 || !f(off+i) {
			return
		}
		off += i + len(sub)
	}
}

// enNegations turn down what follows them.
var enNegations = []string{"not", "no", "without", "never", "nor"}
