package mention

import (
	"regexp"
	"strings"
)

// numbers reads the numbers no earlier pass took: phone numbers and
// postcodes.
func (sc *scanner) numbers() {
	s := sc.s
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !isDigit(c) && c != '+' && c != '(' {
			continue
		}
		if i > 0 && (isASCIIAlnum(s[i-1]) || strings.IndexByte(".,-/_#&@+", s[i-1]) >= 0) || !sc.free(i, i+1) {
			continue
		}
		end, groups, ok := phoneAt(s, i)
		if !ok {
			continue
		}
		raw, digits := s[i:end], len(Digits(s[i:end]))
		switch {
		case !sc.free(i, end) || !standsAlone(s, sc.low, i, end) || dateLike(raw):
		case groups == 2 && zipPlus4(raw), groups == 1 && c != '+' && c != '(' && (digits == 5 || digits == 6):
			sc.claim(Postcode, i, end)
		case digits >= 7 && digits <= 15:
			sc.claim(Phone, i, end)
		}
		i = end - 1
	}
	for _, re := range []*regexp.Regexp{ukPostcode, caPostcode} {
		for _, m := range re.FindAllStringIndex(s, -1) {
			sc.claim(Postcode, m[0], m[1])
		}
	}
}

// UK and Canadian postcodes, upper-case only: in lower case too many
// words and sizes ("m4 8gb") take their shape.
var (
	ukPostcode = regexp.MustCompile(`\b[A-Z]{1,2}[0-9][A-Z0-9]? ?[0-9][A-Z]{2}\b`)
	caPostcode = regexp.MustCompile(`\b[A-Z][0-9][A-Z] ?[0-9][A-Z][0-9]\b`)
)

// phoneAt reads digit groups at s[i] the way phone numbers are written:
// an optional '+', groups joined by single spaces, dots or hyphens, one
// of them possibly in parentheses ("+1 (775) 555-0123"). After a space
// or dot both groups have two to four digits (but any number may follow
// a country code), after a hyphen up to eight ("010-12345678"); a group
// that breaks the rule is left out. It returns
// where the number ends and how many groups it has.
func phoneAt(s string, i int) (end, groups int, ok bool) {
	j := i
	if s[j] == '+' {
		j++
	}
	var sep byte
	prev := 0 // digits of the group before sep
	for {
		g, paren := j, false
		if g < len(s) && s[g] == '(' {
			paren, g = true, g+1
		}
		e := g
		for e < len(s) && isDigit(s[e]) {
			e++
		}
		n := e - g
		if paren {
			if e >= len(s) || s[e] != ')' {
				n = 0
			}
			e++
		}
		fits := n > 0
		switch {
		case groups == 1 && s[i] == '+': // after the country code
			fits = fits && n <= 12
		case sep == '-':
			fits = fits && n <= 8
		case sep != 0:
			fits = fits && n >= 2 && n <= 4 && prev <= 4
		}
		if !fits {
			return end, groups, groups > 0
		}
		groups, end, prev = groups+1, e, n
		if e+1 >= len(s) || (s[e] != ' ' && s[e] != '-' && s[e] != '.') || !isDigit(s[e+1]) && s[e+1] != '(' {
			return end, groups, true
		}
		sep, j = s[e], e+1
	}
}

// standsAlone reports whether the number at s[i:j] is not part of
// something else: a word, a decimal or list of thousands, a percentage,
// an amount, a quantity.
func standsAlone(s, low string, i, j int) bool {
	if j < len(s) && (isASCIIAlnum(s[j]) || s[j] == '%' || s[j] == '_' || s[j] == '@') {
		return false
	}
	if j+1 < len(s) && (s[j] == '.' || s[j] == ',' || s[j] == '-' || s[j] == '/') && isDigit(s[j+1]) {
		return false
	}
	return !currencyAround(s, low, i, j) && !quantityAfter(s, low, j)
}

// zipPlus4 reports whether two groups read as a US ZIP+4 ("94105-1234").
func zipPlus4(raw string) bool {
	return len(raw) == 10 && raw[5] == '-' && len(Digits(raw)) == 9
}

// dateLike reports whether digits and hyphens or dots read as a date:
// 2024-05, 2024-05-01, 05-01-2024, 2024.05.01.
func dateLike(id string) bool {
	parts := strings.FieldsFunc(id, func(r rune) bool { return r == '-' || r == '.' || r == '/' })
	short := func(p string) bool { return len(p) == 1 || len(p) == 2 }
	switch len(parts) {
	case 2:
		return len(parts[0]) == 4 && short(parts[1])
	case 3:
		return len(parts[0]) == 4 && short(parts[1]) && short(parts[2]) ||
			short(parts[0]) && short(parts[1]) && (len(parts[2]) == 4 || len(parts[2]) == 2)
	}
	return false
}

// quantityAfter reports whether a counting word follows the number ending
// at s[j], as in "order 100 pieces" or "订单 100 件".
func quantityAfter(s, low string, j int) bool {
	j = skipBlanks(s, j)
	l := j
	for l < len(low) && isASCIILetter(low[l]) {
		l++
	}
	switch low[j:l] {
	case "pieces", "piece", "pcs", "units", "unit", "items", "item", "sets", "set", "pairs", "pair", "boxes", "box", "times":
		return true
	}
	for _, w := range []string{"件", "个", "套", "双", "台", "份", "箱", "次", "条"} {
		if strings.HasPrefix(s[j:], w) {
			return true
		}
	}
	return false
}

// currencyAround reports whether the number at s[i:j] is an amount: a
// currency sign or code just before it, or a currency word just after.
func currencyAround(s, low string, i, j int) bool {
	before := strings.TrimRight(low[:i], " ")
	for _, c := range []string{"$", "¥", "￥", "€", "£", "usd", "rmb", "cny", "eur", "gbp"} {
		if strings.HasSuffix(before, c) && (len(c) == 1 || len(before) == len(c) || !isASCIILetter(before[len(before)-len(c)-1])) {
			return true
		}
	}
	k := skipBlanks(s, j)
	for _, w := range []string{"元", "块", "塊", "美元", "人民币", "€", "$"} {
		if strings.HasPrefix(s[k:], w) {
			return true
		}
	}
	l := k
	for l < len(low) && isASCIILetter(low[l]) {
		l++
	}
	switch low[k:l] {
	case "dollars", "dollar", "usd", "rmb", "cny", "yuan", "eur", "euro", "euros", "gbp", "pounds":
		return true
	}
	return false
}

func skipBlanks(s string, j int) int {
	for j < len(s) {
		switch {
		case s[j] == ' ' || s[j] == '\t':
			j++
		case strings.HasPrefix(s[j:], "\u00a0"):
			j += len("\u00a0")
		case strings.HasPrefix(s[j:], "\u3000"):
			j += len("\u3000")
		default:
			return j
		}
	}
	return j
}

func isDigit(b byte) bool       { return '0' <= b && b <= '9' }
func isASCIILetter(b byte) bool { return 'a' <= b|0x20 && b|0x20 <= 'z' }
func isASCIIAlnum(b byte) bool  { return isDigit(b) || isASCIILetter(b) }

// asciiLower and asciiUpper change the case of ASCII letters only, so
// offsets into the text stay valid whatever it holds.
func asciiLower(s string) string { return mapASCII(s, 'A', 'Z', 'a'-'A') }
func asciiUpper(s string) string { return mapASCII(s, 'a', 'z', 'A'-'a') }

func mapASCII(s string, lo, hi byte, delta int) string {
	for i := 0; i < len(s); i++ {
		if lo <= s[i] && s[i] <= hi {
			b := []byte(s)
			for j := i; j < len(b); j++ {
				if lo <= b[j] && b[j] <= hi {
					b[j] = byte(int(b[j]) + delta)
				}
			}
			return string(b)
		}
	}
	return s
}
