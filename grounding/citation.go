package grounding

import (
	"strconv"
	"strings"
)

// citeGroup is one citation marker at s[start:end], such as "[1]",
// "[1, 3]" or "【2】".
type citeGroup struct {
	start, end  int
	open, close string // the brackets as written
	sep         string // the separator after the first number, as written
	nums        []citeNum
}

// citeNum is one source number in a marker, written at s[start:end].
type citeNum struct {
	n, start, end int
}

// brackets pairs the opening and closing brackets of citation markers.
var brackets = [][2]string{{"[", "]"}, {"【", "】"}, {"［", "］"}}

// maxCiteDigits bounds the digits of a cited number, so "[2024]" is a year
// in brackets rather than a citation.
const maxCiteDigits = 3

// scanCitations returns the citation markers in s: an opening bracket,
// numbers of one to three digits separated by ',', '，', '、', ';' or '；'
// with optional spaces, and the matching closing bracket. Numbers may be
// 0; Check reports them as unsupported.
func scanCitations(s string) []citeGroup {
	var out []citeGroup
	for i := 0; i < len(s); i++ {
		if s[i] != '[' && s[i] != 0xE3 && s[i] != 0xEF {
			continue
		}
		for _, b := range brackets {
			if strings.HasPrefix(s[i:], b[0]) {
				if g, ok := citeGroupAt(s, i, b[0], b[1]); ok {
					out = append(out, g)
					i = g.end - 1
				}
				break
			}
		}
	}
	return out
}

func citeGroupAt(s string, i int, open, close string) (citeGroup, bool) {
	g := citeGroup{start: i, open: open, close: close}
	j := skipSpaces(s, i+len(open))
	for {
		k := j
		for k < len(s) && isDigit(s[k]) && k-j <= maxCiteDigits {
			k++
		}
		if k == j || k-j > maxCiteDigits {
			return g, false
		}
		n, _ := strconv.Atoi(s[j:k])
		g.nums = append(g.nums, citeNum{n: n, start: j, end: k})
		j = skipSpaces(s, k)
		if strings.HasPrefix(s[j:], close) {
			g.end = j + len(close)
			return g, true
		}
		sep := ""
		for _, x := range []string{",", "，", "、", ";", "；"} {
			if strings.HasPrefix(s[j:], x) {
				sep = x
				break
			}
		}
		if sep == "" {
			return g, false
		}
		next := skipSpaces(s, j+len(sep))
		if len(g.nums) == 1 {
			g.sep = s[k:next]
		}
		j = next
	}
}

func skipSpaces(s string, j int) int {
	for j < len(s) && s[j] == ' ' {
		j++
	}
	return j
}

// citationText is the canonical marker for source number n.
func citationText(n int) string { return "[" + strconv.Itoa(n) + "]" }

// citationNumber parses a citation claim's Text, "[n]" or "n".
func citationNumber(text string) (int, bool) {
	text = strings.TrimSuffix(strings.TrimPrefix(text, "["), "]")
	if text == "" || len(text) > maxCiteDigits {
		return 0, false
	}
	n, err := strconv.Atoi(text)
	return n, err == nil && n >= 0
}

// Citations returns the distinct source numbers cited in answer ([1], [2],
// [1][3], [1, 2], 【1】, 【1，2】), in order of first appearance. Numbers
// are at least 1; whether they are at most the number of sources is for
// Check to say.
func Citations(answer string) []int {
	var out []int
	for _, g := range scanCitations(answer) {
		for _, n := range g.nums {
			if n.n >= 1 && !containsInt(out, n.n) {
				out = append(out, n.n)
			}
		}
	}
	return out
}

func containsInt(list []int, n int) bool {
	for _, v := range list {
		if v == n {
			return true
		}
	}
	return false
}

// dropCitations removes the numbers in bad from the citation markers of
// s, and the markers left empty, with the spaces before them when what
// follows is a space, punctuation or the end ("yes [7]." becomes "yes.").
// It repeats while a removal joins a new marker ("[[7]1]" becomes "[1]"),
// up to maxCitePasses times; the result may still cite a bad number after
// that, which only contrived text needs.
func dropCitations(s string, bad map[int]bool) string {
	if len(bad) == 0 {
		return s
	}
	for range maxCitePasses {
		changed := false
		var b strings.Builder
		last := 0
		for _, g := range scanCitations(s) {
			var keep []citeNum
			for _, n := range g.nums {
				if !bad[n.n] {
					keep = append(keep, n)
				}
			}
			if len(keep) == len(g.nums) {
				continue
			}
			changed = true
			start := g.start
			if len(keep) == 0 {
				k := start
				for k > last && s[k-1] == ' ' {
					k--
				}
				if g.end == len(s) || strings.ContainsRune(" \n\t.,;:!?)。，；：！？、）", firstRune(s[g.end:])) {
					start = k
				}
			}
			b.WriteString(s[last:start])
			if len(keep) > 0 {
				b.WriteString(g.open)
				for i, n := range keep {
					if i > 0 {
						b.WriteString(g.sep)
					}
					b.WriteString(s[n.start:n.end])
				}
				b.WriteString(g.close)
			}
			last = g.end
		}
		if !changed {
			return s
		}
		b.WriteString(s[last:])
		s = b.String()
	}
	return s
}

// maxCitePasses bounds the passes of dropCitations.
const maxCitePasses = 8

func firstRune(s string) rune {
	for _, r := range s {
		return r
	}
	return -1
}
