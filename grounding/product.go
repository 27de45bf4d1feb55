package grounding

import (
	"cmp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/shopdesk/shopdesk/catalog"
)

// productClaim is a catalog product mentioned at s[start:end]. name is the
// folded catalog name and base the folded name without its variant, or ""
// when it has none.
type productClaim struct {
	start, end int
	name, base string
}

// findProducts returns the mentions in s of the names in products,
// compared through fold, and of their bases (the name without its
// variant) when a base has two or more words or is CJK, since answers
// often say "Cove 2 Tent" for the catalog's "Cove 2 Tent — Green / One
// Size". A name whose first or last character belongs to a space-separated
// word must not run into a neighboring letter or digit there, so "Ace" is
// not found in "Acer"; a plural "s" after a name is taken along. CJK names
// match anywhere. Longer names are matched first and a mention never
// overlaps another, so "Cove 2 Backpacking Tent" is one mention, not also
// one of "Backpacking Tent".
func findProducts(s string, products []string) []productClaim {
	if len(products) == 0 || s == "" {
		return nil
	}
	text, origin := fold(s, true)
	words, chars := textKeys(text)
	// mayOccur is a cheap filter before the search: a name can only occur
	// if its first word or CJK character does. It takes raw or folded
	// names.
	mayOccur := func(name string) bool {
		var buf [64]byte
		word := buf[:0]
		for _, r := range strings.TrimLeftFunc(name, unicode.IsSpace) {
			r = foldRune(r)
			switch {
			case isWordRune(r):
				word = utf8.AppendRune(word, r)
				continue
			case len(word) == 0 && isCJK(r):
				return chars[r]
			case len(word) == 0:
				return true
			}
			break
		}
		return len(word) == 0 || words[string(word)]
	}

	type pattern struct{ name, base string }
	var pats []pattern
	seen := make(map[string]bool)
	for _, p := range products {
		if !mayOccur(p) { // nor its base, which starts the same
			continue
		}
		name, _ := fold(p, false)
		name = strings.TrimSpace(name)
		if seen[name] || !usableName(name) {
			continue
		}
		seen[name] = true
		base := variantBase(name)
		pats = append(pats, pattern{name, base})
		if base != "" && !seen[base] && (strings.Contains(base, " ") || isCJKName(base)) {
			seen[base] = true
			pats = append(pats, pattern{base, ""}) // "Cove 2 Tent" for "Cove 2 Tent — Green / One Size"
		}
	}
	slices.SortFunc(pats, func(a, b pattern) int {
		return cmp.Or(cmp.Compare(len(b.name), len(a.name)), strings.Compare(a.name, b.name))
	})

	var found []productClaim // in folded offsets until the end
	used := make([]bool, len(text))
	for _, p := range pats {
		for off := 0; off < len(text); {
			k := strings.Index(text[off:], p.name)
			if k < 0 {
				break
			}
			k += off
			e := k + len(p.name)
			off = k + 1
			if r, _ := utf8.DecodeLastRuneInString(p.name); r < utf8.RuneSelf && unicode.IsLetter(r) &&
				e < len(text) && text[e] == 's' && (e+1 == len(text) || !startsWord(text[e+1:])) {
				e++ // "Cove 2 Tents"
			}
			if !wordEdges(text, k, e) {
				continue
			}
			if !slices.Contains(used[k:e], true) {
				found = append(found, productClaim{start: k, end: e, name: p.name, base: p.base})
				for i := k; i < e; i++ {
					used[i] = true
				}
				off = e
			}
		}
	}
	for i := range found {
		found[i].start, found[i].end = origin[found[i].start], origin[found[i].end]
	}
	slices.SortFunc(found, func(a, b productClaim) int { return cmp.Compare(a.start, b.start) })
	return found
}

// textKeys returns the words of folded text, also without a plural "s",
// and its CJK characters.
func textKeys(text string) (map[string]bool, map[rune]bool) {
	words, chars := make(map[string]bool, len(text)/4), make(map[rune]bool)
	start := -1
	for i, r := range text {
		if isWordRune(r) {
			if start < 0 {
				start = i
			}
			continue
		}
		if start >= 0 {
			words[text[start:i]] = true
			words[strings.TrimSuffix(text[start:i], "s")] = true
			start = -1
		}
		if isCJK(r) {
			chars[r] = true
		}
	}
	if start >= 0 {
		words[text[start:]] = true
		words[strings.TrimSuffix(text[start:], "s")] = true
	}
	return words, chars
}

// isCJKName reports whether name starts with a CJK character.
func isCJKName(name string) bool {
	r, _ := utf8.DecodeRuneInString(name)
	return isCJK(r)
}

// usableName reports whether a folded name is worth looking for: two or
// more characters, one of them a letter.
func usableName(name string) bool {
	if utf8.RuneCountInString(name) < 2 {
		return false
	}
	return strings.IndexFunc(name, unicode.IsLetter) >= 0
}

// wordEdges reports whether text[k:e] stands clear of the words around it:
// an edge character that belongs to a space-separated word must not touch
// another such character.
func wordEdges(text string, k, e int) bool {
	if first, _ := utf8.DecodeRuneInString(text[k:]); isWordRune(first) && k > 0 {
		if prev, _ := utf8.DecodeLastRuneInString(text[:k]); isWordRune(prev) {
			return false
		}
	}
	if last, _ := utf8.DecodeLastRuneInString(text[:e]); isWordRune(last) && e < len(text) {
		if startsWord(text[e:]) {
			return false
		}
	}
	return true
}

func startsWord(s string) bool {
	r, _ := utf8.DecodeRuneInString(s)
	return isWordRune(r)
}

// variantBase returns the folded name without its trailing variant
// (catalog.BaseName: "cove 2 tent - green / one size" → "cove 2 tent"),
// or "" when it has none or too little would remain.
func variantBase(name string) string {
	base := catalog.BaseName(name)
	if base == strings.TrimSpace(name) || !usableName(base) {
		return ""
	}
	return base
}
