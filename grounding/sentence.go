package grounding

import (
	"strings"
	"unicode/utf8"
)

// span is the byte range s[start:end].
type span struct{ start, end int }

// splitUnits cuts s into the units Repair keeps or drops whole, which
// together cover s exactly. A line that is a list item ("- ", "1. ", "•",
// "①", "一、"...) or a table row is one unit; other lines are cut after
// each sentence. A sentence ends at '。', '！', '？' or '；', or at '.', '!'
// or '?' followed by white space or the end of the line, except after an
// abbreviation ("e.g.", "Dr.", "No. 5") or an initial. It takes along the
// closing quotes, brackets and citation markers after its end and the
// white space up to the next sentence, newline included, so "30 days. [1]"
// keeps its citation. No cut falls where protect is true; protect may be
// nil or shorter than s.
func splitUnits(s string, protect []bool) []span {
	var units []span
	for ls := 0; ls < len(s); {
		le := len(s)
		if k := strings.IndexByte(s[ls:], '\n'); k >= 0 {
			le = ls + k + 1
		}
		if listItem(s[ls:le]) {
			units = append(units, span{ls, le})
		} else {
			units = splitLine(s, ls, le, protect, units)
		}
		ls = le
	}
	return units
}

// splitLine appends to units the sentences of the line s[ls:le].
func splitLine(s string, ls, le int, protect []bool, units []span) []span {
	start := ls
	for i := ls; i < le; {
		r, w := utf8.DecodeRuneInString(s[i:le])
		end := -1
		switch r {
		case '。', '！', '？', '；':
			end = sentenceTail(s, i+w, le)
		case '.', '!', '?':
			j := i + w
			for j < le && (s[j] == '.' || s[j] == '!' || s[j] == '?') {
				j++
			}
			k := skipClosers(s, j, le)
			_, cite := citationAt(s[:le], k)
			if (k == le || isSpace(s[k]) || cite) && !(r == '.' && j == i+1 && abbreviation(s, ls, i, le)) {
				end = sentenceTail(s, j, le)
			} else {
				w = j - i // past the whole run of stops
			}
		}
		if end > i && (end == le || end >= len(protect) || !protect[end]) {
			units = append(units, span{start, end})
			start, i = end, end
			continue
		}
		i += w
	}
	if start < le {
		units = append(units, span{start, le})
	}
	return units
}

// sentenceTail returns where the sentence whose stop ends at s[j] ends:
// after closing quotes and brackets, citation markers and the white space
// after them, within the line ending at le.
func sentenceTail(s string, j, le int) int {
	j = skipClosers(s, j, le)
	for {
		k := skipSpaces(s, j)
		if k >= le {
			return le
		}
		g, ok := citationAt(s[:le], k)
		if !ok {
			break
		}
		j = skipClosers(s, g, le)
	}
	for j < le && isSpace(s[j]) {
		j++
	}
	return j
}

// skipClosers skips the closing quotes and brackets at s[j:le].
func skipClosers(s string, j, le int) int {
	for j < le {
		r, w := utf8.DecodeRuneInString(s[j:le])
		if !strings.ContainsRune("\"')]”’」』）】", r) {
			return j
		}
		j += w
	}
	return j
}

// citationAt returns where the citation marker starting at s[k] ends.
func citationAt(s string, k int) (int, bool) {
	for _, b := range brackets {
		if strings.HasPrefix(s[k:], b[0]) {
			g, ok := citeGroupAt(s, k, b[0], b[1])
			return g.end, ok
		}
	}
	return 0, false
}

func isSpace(b byte) bool { return b == ' ' || b == '\t' || b == '\n' || b == '\r' }

// abbreviations end in a period that does not end the sentence;
// numberAbbreviations only when a number follows ("No. 5").
var (
	abbreviations = map[string]bool{
		"mr": true, "mrs": true, "ms": true, "dr": true, "st": true, "vs": true, "approx": true,
		"incl": true, "jr": true, "sr": true, "mt": true, "jan": true, "feb": true, "apr": true,
		"jun": true, "jul": true, "aug": true, "sep": true, "sept": true, "oct": true, "nov": true, "dec": true,
	}
	numberAbbreviations = map[string]bool{"no": true, "nos": true, "vol": true, "p": true, "pp": true, "art": true, "ch": true, "fig": true}
)

// abbreviation reports whether the period at s[i], in the line starting at
// ls and ending at le, ends an abbreviation or initial rather than a
// sentence.
func abbreviation(s string, ls, i, le int) bool {
	k := i
	for k > ls && (isASCIILetter(s[k-1]) || s[k-1] == '.') {
		k--
	}
	word := s[k:i]
	switch {
	case word == "":
		return false
	case strings.Contains(word, "."): // e.g. i.e. U.S. a.m.
		return true
	case len(word) == 1 && 'A' <= word[0] && word[0] <= 'Z': // J. Smith
		return true
	}
	lw := asciiLower(word)
	if abbreviations[lw] {
		return true
	}
	j := skipSpaces(s, i+1)
	return numberAbbreviations[lw] && j < le && isDigit(s[j])
}

// listItem reports whether line is a list item or table row.
func listItem(line string) bool {
	t := strings.TrimLeft(line, " \t")
	if t == "" {
		return false
	}
	for _, p := range []string{"- ", "* ", "+ ", "• ", "•", "· ", "|", "（", "("} {
		if strings.HasPrefix(t, p) {
			if p == "（" || p == "(" { // (1) （一）
				r, _ := utf8.DecodeRuneInString(t[len(p):])
				return '0' <= r && r <= '9' || strings.ContainsRune("一二三四五六七八九十", r)
			}
			return true
		}
	}
	if r, _ := utf8.DecodeRuneInString(t); '①' <= r && r <= '⑳' {
		return true
	}
	k := 0
	for k < len(t) && k < 3 && isDigit(t[k]) {
		k++
	}
	if k > 0 {
		rest := t[k:]
		return strings.HasPrefix(rest, ". ") || strings.HasPrefix(rest, ") ") ||
			strings.HasPrefix(rest, "、") || strings.HasPrefix(rest, "．") || rest == "." || rest == ".\n"
	}
	for _, r := range t { // 一、 二、
		if !strings.ContainsRune("一二三四五六七八九十", r) {
			return false
		}
		return strings.HasPrefix(t[len(string(r)):], "、")
	}
	return false
}
