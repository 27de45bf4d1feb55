package grounding

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

func isDigit(b byte) bool       { return '0' <= b && b <= '9' }
func isASCIILetter(b byte) bool { return 'a' <= b|0x20 && b|0x20 <= 'z' }
func isASCIIAlnum(b byte) bool  { return isDigit(b) || isASCIILetter(b) }
func isHan(r rune) bool         { return unicode.Is(unicode.Han, r) }

// isCJK reports whether r belongs to a script written without spaces
// between words, where names match as plain substrings.
func isCJK(r rune) bool {
	return r >= 0x1100 && unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana, unicode.Hangul)
}

// isWordRune reports whether r is part of a space-separated word: a letter
// or digit outside the CJK scripts.
func isWordRune(r rune) bool {
	if r < utf8.RuneSelf {
		return isASCIIAlnum(byte(r))
	}
	return (unicode.IsLetter(r) || unicode.IsDigit(r)) && !isCJK(r)
}

// asciiLower lowers the ASCII letters of s and leaves every other byte,
// invalid UTF-8 included, as it is, so offsets into s stay valid.
func asciiLower(s string) string {
	for i := 0; i < len(s); i++ {
		if 'A' <= s[i] && s[i] <= 'Z' {
			b := []byte(s)
			for j := i; j < len(b); j++ {
				if 'A' <= b[j] && b[j] <= 'Z' {
					b[j] += 'a' - 'A'
				}
			}
			return string(b)
		}
	}
	return s
}

// fold prepares text for case-insensitive name matching: letters lowered,
// full-width ASCII narrowed, dashes made '-', curly quotes straight, runs
// of white space made one ' ', invalid bytes made U+FFFD. With withOrigin
// it also returns, for each byte of the result and one past its end, the
// offset in s of the character it came from.
func fold(s string, withOrigin bool) (string, []int) {
	buf := make([]byte, 0, len(s)+4)
	var origin []int
	if withOrigin {
		origin = make([]int, 0, len(s)+5)
	}
	space := false
	for i := 0; i < len(s); {
		if c := s[i]; c < utf8.RuneSelf && c != ' ' && (c < '\t' || c > '\r') { // ASCII fast path
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			buf = append(buf, c)
			if withOrigin {
				origin = append(origin, i)
			}
			space = false
			i++
			continue
		}
		r, w := utf8.DecodeRuneInString(s[i:])
		r = foldRune(r)
		if r == ' ' || unicode.IsSpace(r) {
			if space {
				i += w
				continue
			}
			r, space = ' ', true
		} else {
			space = false
		}
		n := len(buf)
		buf = utf8.AppendRune(buf, r)
		if withOrigin {
			for range len(buf) - n {
				origin = append(origin, i)
			}
		}
		i += w
	}
	if withOrigin {
		origin = append(origin, len(s))
	}
	return string(buf), origin
}

func foldRune(r rune) rune {
	switch {
	case r < utf8.RuneSelf:
		if 'A' <= r && r <= 'Z' {
			return r + 'a' - 'A'
		}
		return r
	case 0xFF01 <= r && r <= 0xFF5E: // full-width ASCII
		return unicode.ToLower(r - 0xFEE0)
	case 0x2010 <= r && r <= 0x2015, r == 0x2212, r == 0xFE58, r == 0xFE63:
		return '-'
	case r == 0x2018 || r == 0x2019 || r == 0x201B:
		return '\''
	case r == 0x201C || r == 0x201D:
		return '"'
	}
	return unicode.ToLower(r)
}

// containsToken reports whether s holds tok (both ASCII-lowered) with no
// letter, digit or hyphen joined to either end, and not as the integer or
// fraction of a decimal number: "1002" is in "#1002," but not in
// "hl-1002", "10020" or "1002.50".
func containsToken(s, tok string) bool {
	for off := 0; off <= len(s)-len(tok); {
		k := indexFrom(s, tok, off)
		if k < 0 {
			return false
		}
		e := k + len(tok)
		before := k == 0 || !isASCIIAlnum(s[k-1]) && s[k-1] != '-' &&
			!(k > 1 && s[k-1] == '.' && isDigit(s[k-2]))
		after := e == len(s) || !isASCIIAlnum(s[e]) && !(s[e] == '-' && e+1 < len(s) && isASCIIAlnum(s[e+1])) &&
			!(e+1 < len(s) && (s[e] == '.' || s[e] == ',') && isDigit(s[e+1]))
		if before && after {
			return true
		}
		off = k + 1
	}
	return false
}

func indexFrom(s, sub string, off int) int {
	if off > len(s) {
		return -1
	}
	k := strings.Index(s[off:], sub)
	if k < 0 {
		return -1
	}
	return off + k
}
