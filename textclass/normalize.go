package textclass

import "unicode"

// Normalize appends to dst the runes of text as the features see them:
// lower case; full-width ASCII and Chinese punctuation folded to ASCII;
// curly quotes to straight ones; each run of digits to one '0' (order
// numbers and prices say little about intent); each run of white space
// to one space; a character repeated more than twice cut to two
// ("soooo" → "soo", "？？？" → "??"); and a space at each end. Text past
// maxRunes runes is dropped.
func Normalize(text string, dst []rune) []rune {
	dst = append(dst[:0], ' ')
	n := 0
	for _, r := range text {
		if n++; n > maxRunes {
			break
		}
		r = fold(r)
		last := dst[len(dst)-1]
		switch {
		case r == ' ':
			if last == ' ' {
				continue
			}
		case r == '0':
			if last == '0' {
				continue
			}
		case len(dst) >= 2 && r == last && r == dst[len(dst)-2]:
			continue
		}
		dst = append(dst, r)
	}
	if dst[len(dst)-1] != ' ' {
		dst = append(dst, ' ')
	}
	return dst
}

// fold maps one rune to its normal form; see Normalize.
func fold(r rune) rune {
	switch {
	case r >= 0xff01 && r <= 0xff5e: // full-width ASCII
		r -= 0xfee0
	case r == 0x3000:
		return ' '
	}
	switch r {
	case '，', '、':
		return ','
	case '。':
		return '.'
	case '’', '‘', '`', '´':
		return '\''
	case '“', '”', '「', '」', '《', '》':
		return '"'
	case '…':
		return '.'
	}
	switch {
	case r >= '0' && r <= '9', unicode.IsDigit(r):
		return '0'
	case unicode.IsSpace(r) || unicode.IsControl(r):
		return ' '
	}
	return unicode.ToLower(r)
}
