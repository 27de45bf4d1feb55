package catalog

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// otherBrands keeps the otherBrands that no product's brand or name
// holds (as whole words, in English).
func (x *productIndex) otherBrands() {
	var own [][]string
	var ownZh strings.Builder
	for _, p := range x.products {
		own = append(own, latinWords(fold(p.Brand+" "+p.Name)))
		ownZh.WriteString(fold(p.Brand + " " + p.NameZh))
		ownZh.WriteByte('\n')
	}
	carriedZh := ownZh.String()
	for _, b := range otherBrands {
		f := fold(b)
		ws := latinWords(f)
		if len(ws) == 0 {
			if !strings.Contains(carriedZh, f) {
				x.brandsZh = append(x.brandsZh, f)
			}
			continue
		}
		if !slices.ContainsFunc(own, func(words []string) bool { return wordsAt(words, ws) >= 0 }) {
			x.brandsEn = append(x.brandsEn, ws)
		}
	}
}

// wordsAt returns where the word sequence seq first stands in words, or
// -1.
func wordsAt(words, seq []string) int {
	for i := 0; i+len(seq) <= len(words); i++ {
		if equalWords(words[i:i+len(seq)], seq) {
			return i
		}
	}
	return -1
}

// comparisons between a brand and a kind keep the kind ours ("a rain
// jacket like my old Patagonia one").
var comparisons = []string{"like", "than", "vs", "versus", "similar", "instead", "compared", "unlike", "alternative"}

// otherBrandsKind reports whether a message (folded, and its words)
// names a kind as another brand's: in English with at most two words
// between the brand and the kind, none of them a comparison ("my North
// Face down jacket", "jackets from other brands"); in Chinese right
// after the brand, past a model number or one 的 ("北面的羽绒服",
// "北面1996羽绒服"), or before 是 and the brand ("羽绒服是北面的").
func (x *productIndex) otherBrandsKind(low string, words []string) bool {
	if len(x.brandsEn) == 0 && len(x.brandsZh) == 0 {
		return false
	}
	_, byWord, spans := kindsIn(x.corrected(words), low)
	for _, b := range x.brandsEn {
		i := wordsAt(words, b)
		if i < 0 || byWord == nil {
			continue
		}
		end := i + len(b)
		for k := range byWord {
			if byWord[k] == 0 || k > 0 && byWord[k-1] > 0 {
				continue // not where a kind starts
			}
			e := k + byWord[k]
			var between []string
			switch {
			case k >= end && k-end <= 2:
				between = words[end:k]
			case e <= i && i-e <= 2:
				between = words[e:i]
			default:
				continue
			}
			if !slices.ContainsFunc(between, func(w string) bool { return slices.Contains(comparisons, w) }) {
				return true
			}
		}
	}
	for _, b := range x.brandsZh {
		found := false
		eachIndex(low, b, func(i int) bool {
			end := i + len(b)
			for _, sp := range spans {
				if sp[0] >= end && modelNumberOrDe(low[end:sp[0]]) || sp[1] <= i && strings.TrimSpace(low[sp[1]:i]) == "是" {
					found = true
				}
			}
			return !found
		})
		if found {
			return true
		}
	}
	return false
}

// modelNumberOrDe reports whether s is only a model number (letters,
// digits, spaces) and at most one 的.
func modelNumberOrDe(s string) bool {
	s = strings.Replace(s, "的", "", 1)
	return strings.IndexFunc(s, func(r rune) bool { return !isWordRune(r) && !unicode.IsSpace(r) }) < 0
}

// runesBack returns the byte offset n runes before i in s (or 0).
func runesBack(s string, i, n int) int {
	for ; n > 0 && i > 0; n-- {
		_, size := utf8.DecodeLastRuneInString(s[:i])
		i -= size
	}
	return i
}

// writtenAsName reports whether message writes product p's name as a
// name: a word of it capitalised inside a sentence ("what about the
// Tidewind?"), or the first two characters of its Chinese name when no
// other product's Chinese name starts with them ("微光那个怎么样" for
// 微光200头灯).
func (x *productIndex) writtenAsName(message string, p int) bool {
	if pre := x.zhPrefix[p]; pre != "" && strings.Contains(fold(message), pre) {
		return true
	}
	start := true // at the start of a sentence
	for i := 0; i < len(message); {
		r, size := utf8.DecodeRuneInString(message[i:])
		if !isWordRune(r) {
			if strings.ContainsRune(".!?。！？\n", r) {
				start = true
			}
			i += size
			continue
		}
		j := i
		for j < len(message) {
			r2, s2 := utf8.DecodeRuneInString(message[j:])
			if !isWordRune(r2) {
				break
			}
			j += s2
		}
		if word := message[i:j]; !start && unicode.IsUpper(r) && len(word) > 1 && x.namesProduct(singular(fold(word)), p) {
			return true
		}
		start, i = false, j
	}
	return false
}

// zhPrefixes sets zhPrefix: each product's first two Chinese characters
// of its name, when no other product's Chinese name starts with them.
func (x *productIndex) zhPrefixes() {
	x.zhPrefix = make([]string, x.n)
	count := map[string]int{}
	for i, p := range x.products {
		if r := []rune(fold(BaseName(p.NameZh))); len(r) >= 2 && unicode.Is(unicode.Han, r[0]) && unicode.Is(unicode.Han, r[1]) {
			x.zhPrefix[i] = string(r[:2])
			count[x.zhPrefix[i]]++
		}
	}
	for i, pre := range x.zhPrefix {
		if count[pre] > 1 {
			x.zhPrefix[i] = ""
		}
	}
}

// namesProduct reports whether term is a word of product p's name.
func (x *productIndex) namesProduct(term string, p int) bool {
	id, ok := x.terms[term]
	if !ok {
		return false
	}
	for _, post := range x.post[id] {
		if int(post.p) == p && post.name {
			return true
		}
	}
	return false
}
