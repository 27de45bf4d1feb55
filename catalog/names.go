package catalog

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/shopdesk/shopdesk/commerce"
)

// variantSeparators start the variant part of a product or order-line
// name: "Cove 2 Tent — Green / One Size", "Tent (2-person)".
var variantSeparators = []string{" — ", " – ", " - ", " / ", " | ", " (", "(", ", ", ": "}

// BaseName returns name without its trailing variant part, trimmed:
// everything from the first variant separator (" — ", " - ", " / ",
// " | ", "(", ", ", ": ") on. A name without one, or whose base would
// be empty, is returned trimmed.
func BaseName(name string) string {
	name = strings.TrimSpace(name)
	cut := -1
	for _, sep := range variantSeparators {
		if k := strings.Index(name, sep); k > 0 && (cut < 0 || k < cut) {
			cut = k
		}
	}
	if cut < 0 {
		return name
	}
	if base := strings.TrimSpace(name[:cut]); base != "" {
		return base
	}
	return name
}

// distinctive reports whether a base name says enough on its own to
// stand for its product: two or more words, or Chinese.
func distinctive(base string) bool {
	r, _ := utf8.DecodeRuneInString(base)
	return strings.Contains(base, " ") || unicode.Is(unicode.Han, r)
}

// nameIndex finds products by name. Names are lower-cased; each is listed
// under its first keyTokens tokens (words, or single characters of
// unspaced scripts and punctuation, with a plural "s" dropped), so a
// message is compared only with the names that start the way some place
// in it does, even when thousands of names share a brand.
type nameIndex struct {
	list    []string // the names as written, for Names
	exact   map[string]int
	byStart map[string][]namedProduct
}

type namedProduct struct {
	name    string
	product int
}

func newNameIndex(products []commerce.Product) nameIndex {
	x := nameIndex{exact: make(map[string]int, 2*len(products)), byStart: make(map[string][]namedProduct, 2*len(products))}
	for i, p := range products {
		for _, n := range []string{p.Name, p.NameZh} {
			if n = strings.TrimSpace(n); n == "" {
				continue
			}
			x.list = append(x.list, n)
			low := strings.ToLower(n)
			forms := []string{low}
			if base := BaseName(low); base != low && distinctive(base) {
				forms = append(forms, base)
			}
			for _, f := range forms {
				if _, dup := x.exact[f]; dup {
					continue
				}
				x.exact[f] = i
				if utf8.RuneCountInString(f) >= 3 {
					key := strings.Join(tokens(f, keyTokens), "\x00")
					x.byStart[key] = append(x.byStart[key], namedProduct{f, i})
				}
			}
		}
	}
	return x
}

// keyTokens is how many of a name's first tokens it is listed under.
const keyTokens = 3

// isWordRune reports whether r belongs to a space-separated word.
func isWordRune(r rune) bool {
	return (unicode.IsLetter(r) || unicode.IsDigit(r)) && !unicode.Is(unicode.Han, r)
}

// tokens splits lower-cased text into at most limit tokens (no limit
// when it is 0): words, with a plural "s" dropped, and each other
// character that is not a space.
func tokens(text string, limit int) []string {
	var out []string
	word := -1
	for i, r := range text {
		if limit > 0 && len(out) >= limit {
			return out
		}
		if isWordRune(r) {
			if word < 0 {
				word = i
			}
			continue
		}
		if word >= 0 {
			out = append(out, singular(text[word:i]))
			word = -1
		}
		if !unicode.IsSpace(r) {
			out = append(out, string(r))
		}
	}
	if word >= 0 && (limit == 0 || len(out) < limit) {
		out = append(out, singular(text[word:]))
	}
	return out
}

// singular drops an English plural "s" ("tents", not "glass").
func singular(w string) string {
	for _, es := range []string{"xes", "ches", "shes", "sses"} {
		if len(w) > len(es)+1 && strings.HasSuffix(w, es) {
			return w[:len(w)-2] // "boxes", "watches", "glasses"
		}
	}
	if len(w) > 3 && strings.HasSuffix(w, "s") && !strings.HasSuffix(w, "ss") {
		return w[:len(w)-1]
	}
	return w
}

// longestIn returns the product whose listed name is the longest that
// text mentions; Latin names must stand as whole words ("Ace" is not in
// "Acer"), with a plural "s" allowed. Ties go to the earlier product.
func (x *nameIndex) longestIn(text string) (int, bool) {
	low := strings.ToLower(text)
	best, bestLen := 0, 0
	try := func(key string) {
		for _, n := range x.byStart[key] {
			if len(n.name) > bestLen || len(n.name) == bestLen && n.product < best {
				if mentions(low, n.name) {
					best, bestLen = n.product, len(n.name)
				}
			}
		}
	}
	toks := tokens(low, 0)
	for i := range toks {
		for n := 1; n <= keyTokens && i+n <= len(toks); n++ {
			try(strings.Join(toks[i:i+n], "\x00"))
		}
	}
	return best, bestLen > 0
}

// mentions reports whether low holds name with word edges where name has
// them.
func mentions(low, name string) bool {
	for off := 0; off < len(low); {
		k := strings.Index(low[off:], name)
		if k < 0 {
			return false
		}
		k += off
		e := k + len(name)
		off = k + 1
		first, _ := utf8.DecodeRuneInString(name)
		last, _ := utf8.DecodeLastRuneInString(name)
		if isWordRune(first) && k > 0 {
			if prev, _ := utf8.DecodeLastRuneInString(low[:k]); isWordRune(prev) {
				continue
			}
		}
		if isWordRune(last) && e < len(low) {
			if e < len(low) && low[e] == 's' {
				e++ // "tents"
			}
			if next, _ := utf8.DecodeRuneInString(low[e:]); e < len(low) && isWordRune(next) {
				continue
			}
		}
		return true
	}
	return false
}
