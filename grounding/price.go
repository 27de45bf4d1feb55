package grounding

import (
	"strings"
	"unicode/utf8"
)

// amount is a money amount: cents is the value × 100, rounded half up;
// cur is an ISO 4217 code, "$" for a dollar of unstated country, "¥" for
// yuan or yen, or "" when unknown.
type amount struct {
	cents int64
	cur   string
}

// priceClaim is a price found at s[start:end].
type priceClaim struct {
	start, end int
	amount
}

// maxIntDigits bounds the integer part of a number read as an amount, so
// cents × 10,000 (for 万) stays within int64.
const maxIntDigits = 12

// findPrices returns the prices in s: numbers written with a currency
// symbol, code or word before or after them. Bare numbers are not prices.
func findPrices(s string) []priceClaim {
	var out []priceClaim
	scanNumbers(s, func(start, end int, cents int64) {
		if p, ok := priceAt(s, start, end, cents); ok {
			out = append(out, p)
		}
	})
	return out
}

// sourceAmounts calls add for every amount a source states: its prices,
// and bare numbers right after a price key or currency word.
func sourceAmounts(s string, add func(amount)) {
	scanNumbers(s, func(start, end int, cents int64) {
		if p, ok := priceAt(s, start, end, cents); ok {
			add(p.amount)
		} else if cur, ok := priceKeyBefore(s, start); ok {
			add(amount{cents, cur})
		}
	})
}

// scanNumbers calls fn for each number in s that parses as an amount:
// digits with optional thousands commas ("1,299") and decimals ("12.99").
func scanNumbers(s string, fn func(start, end int, cents int64)) {
	for i := 0; i < len(s); {
		if !isDigit(s[i]) {
			i++
			continue
		}
		end, cents, ok := parseNumber(s, i)
		if ok && !continuesNumber(s, i) {
			fn(i, end, cents)
		}
		i = end
	}
}

// continuesNumber reports whether the digit at s[i] continues a number
// before it, as the "3" in "1.2.3" does.
func continuesNumber(s string, i int) bool {
	return i > 0 && isDigit(s[i-1]) ||
		i > 1 && (s[i-1] == '.' || s[i-1] == ',') && isDigit(s[i-2])
}

// parseNumber reads the number starting at the digit s[i]. It returns
// where it ends and its value in cents; ok is false when the integer part
// has more than maxIntDigits digits.
func parseNumber(s string, i int) (end int, cents int64, ok bool) {
	j := i
	for j < len(s) && isDigit(s[j]) {
		j++
	}
	ints := j - i
	if ints <= 3 {
		for j+3 < len(s) && s[j] == ',' && isDigit(s[j+1]) && isDigit(s[j+2]) && isDigit(s[j+3]) &&
			(j+4 == len(s) || !isDigit(s[j+4])) {
			j += 4
			ints += 3
		}
	}
	intEnd := j
	if j+1 < len(s) && s[j] == '.' && isDigit(s[j+1]) {
		j++
		for j < len(s) && isDigit(s[j]) {
			j++
		}
	}
	if ints > maxIntDigits {
		return j, 0, false
	}
	var v int64
	for k := i; k < intEnd; k++ {
		if isDigit(s[k]) {
			v = v*10 + int64(s[k]-'0')
		}
	}
	v *= 100
	if intEnd < j {
		frac := s[intEnd+1 : j]
		v += int64(frac[0]-'0') * 10
		if len(frac) > 1 {
			v += int64(frac[1] - '0')
		}
		if len(frac) > 2 && frac[2] >= '5' {
			v++
		}
	}
	return j, v, true
}

// priceAt decides whether the number s[start:end] worth cents is a price,
// and if so returns it with the currency notation around it.
func priceAt(s string, start, end int, cents int64) (priceClaim, bool) {
	pStart, pCur := currencyBefore(s, start)
	if pStart < 0 && start > 0 && (isASCIIAlnum(s[start-1]) || strings.IndexByte("-_./#+", s[start-1]) >= 0) {
		return priceClaim{}, false // part of a code, version, phone number or path
	}
	j := end
	for _, m := range []struct {
		text string
		mul  int64
	}{{"万", 10000}, {"千", 1000}} {
		if strings.HasPrefix(s[j:], m.text) {
			j += len(m.text)
			cents *= m.mul
			break
		}
	}
	sEnd, sCur := currencyAfter(s, j)
	if sEnd < 0 {
		if pStart < 0 {
			return priceClaim{}, false
		}
		if j < len(s) && (isASCIILetter(s[j]) || s[j] == '%') {
			return priceClaim{}, false // "$5k", "US$5m", "$5%"
		}
	}
	p := priceClaim{start: start, end: j, amount: amount{cents: cents}}
	if pStart >= 0 {
		p.start, p.cur = pStart, pCur
	}
	if sEnd >= 0 {
		p.end = sEnd
		if p.cur == "" || p.cur == "$" || p.cur == "¥" {
			p.cur = sCur
		}
	}
	return p, true
}

// dollarPrefixes maps the letters before '$' to the dollar they name.
var dollarPrefixes = map[string]string{
	"US": "USD", "HK": "HKD", "C": "CAD", "CA": "CAD", "A": "AUD", "AU": "AUD",
	"NZ": "NZD", "S": "SGD", "SG": "SGD", "NT": "TWD", "MX": "MXN", "R": "BRL",
}

// codes are the currency codes recognized before or after a number, in
// any letter case; RMB is the yuan.
var codes = map[string]string{
	"USD": "USD", "CNY": "CNY", "RMB": "CNY", "EUR": "EUR", "GBP": "GBP", "HKD": "HKD",
	"CAD": "CAD", "AUD": "AUD", "JPY": "JPY", "SGD": "SGD", "NZD": "NZD", "TWD": "TWD",
	"CHF": "CHF", "INR": "INR", "KRW": "KRW",
}

// currencyBefore finds a currency notation ending right before the number
// at s[i], allowing one space between. It returns where the notation
// starts and its currency, or -1.
func currencyBefore(s string, i int) (int, string) {
	j := i
	if j > 0 && s[j-1] == ' ' {
		j--
	} else if strings.HasSuffix(s[:j], "\u00a0") {
		j -= len("\u00a0")
	}
	t := s[:j]
	for _, sym := range []struct{ text, cur string }{
		{"￥", "¥"}, {"¥", "¥"}, {"€", "EUR"}, {"£", "GBP"}, {"₹", "INR"}, {"₩", "KRW"}, {"人民币", "CNY"},
	} {
		if strings.HasSuffix(t, sym.text) {
			return j - len(sym.text), sym.cur
		}
	}
	if strings.HasSuffix(t, "$") {
		k := j - 1
		l := k
		for l > 0 && k-l < 3 && s[l-1] >= 'A' && s[l-1] <= 'Z' {
			l--
		}
		if l < k && (l == 0 || !isASCIIAlnum(s[l-1])) {
			if cur, ok := dollarPrefixes[s[l:k]]; ok {
				return l, cur
			}
		}
		return k, "$"
	}
	l := j
	for l > 0 && j-l <= 3 && isASCIILetter(s[l-1]) {
		l--
	}
	if j-l == 3 && (l == 0 || !isDigit(s[l-1])) {
		if cur, ok := codes[strings.ToUpper(s[l:j])]; ok {
			return l, cur
		}
	}
	return -1, ""
}

// suffixes are the currency notations recognized after a number, longest
// first where one is a prefix of another.
var suffixes = []struct{ text, cur string }{
	{"美元", "USD"}, {"美金", "USD"}, {"欧元", "EUR"}, {"英镑", "GBP"}, {"港元", "HKD"},
	{"港币", "HKD"}, {"日元", "JPY"}, {"人民币", "CNY"}, {"块钱", "CNY"}, {"元", "CNY"},
	{"€", "EUR"}, {"$", "$"},
}

// words are the currency words recognized after a number, in any letter
// case, followed by a non-letter. "Pounds" is left out: it is also a
// weight.
var words = []struct{ text, cur string }{
	{"dollars", "$"}, {"dollar", "$"}, {"bucks", "$"}, {"euros", "EUR"}, {"euro", "EUR"},
	{"yuan", "CNY"}, {"rmb", "CNY"},
}

// currencyAfter finds a currency notation starting right after a number
// ending at s[i], allowing one space between. It returns where the
// notation ends and its currency, or -1.
func currencyAfter(s string, i int) (int, string) {
	j := i
	if j < len(s) && s[j] == ' ' {
		j++
	} else if strings.HasPrefix(s[j:], "\u00a0") {
		j += len("\u00a0")
	}
	rest := s[j:]
	for _, sfx := range suffixes {
		if strings.HasPrefix(rest, sfx.text) {
			if sfx.text == "元" && strings.HasPrefix(rest[len("元"):], "素") {
				return -1, "" // 元素, "element"
			}
			return j + len(sfx.text), sfx.cur
		}
	}
	l := 0
	for l < len(rest) && l < 8 && isASCIILetter(rest[l]) {
		l++
	}
	if l == 0 || l < len(rest) && isASCIIAlnum(rest[l]) {
		return -1, ""
	}
	word := asciiLower(rest[:l])
	if cur, ok := codes[strings.ToUpper(word)]; ok && l == 3 {
		return j + l, cur
	}
	for _, w := range words {
		if word == w.text {
			return j + l, w.cur
		}
	}
	return -1, ""
}

// priceKeys are the parts of keys and labels that mark the number after
// them as money; notPriceKeys veto them ("total_qty", "price_days").
var (
	priceKeys    = []string{"price", "cost", "amount", "total", "fee", "charge", "refund", "msrp", "paid", "价", "金额", "费", "总计", "合计", "退款", "实付"}
	notPriceKeys = []string{"qty", "quantity", "count", "day", "percent", "pct", "rate", "weight", "size", "item", "数量", "天", "率", "件"}
)

// priceKeyBefore reports whether the number at s[i] follows a price key or
// currency word, as in `"unit_price": 299.0`, "售价：299" or "USD: 45",
// across quotes, colons, equals signs and spaces. cur is the currency the
// word names, or "" for a key.
func priceKeyBefore(s string, i int) (cur string, ok bool) {
	j := i
	for n := 0; j > 0 && n < 6; n++ {
		switch {
		case strings.IndexByte(" \t\"':=()", s[j-1]) >= 0:
			j--
		case strings.HasSuffix(s[:j], "："), strings.HasSuffix(s[:j], "＝"):
			j -= len("：")
		default:
			n = 6
		}
	}
	var word string
	if r, _ := utf8.DecodeLastRuneInString(s[:j]); isHan(r) {
		k := j
		for n := 0; k > 0 && n < 3; n++ { // the last three characters: "售价", "价格是", not "价格保护期"
			r, w := utf8.DecodeLastRuneInString(s[:k])
			if !isHan(r) {
				break
			}
			k -= w
		}
		word = s[k:j]
	} else {
		k := j
		for k > 0 && j-k < 40 && (isASCIILetter(s[k-1]) || s[k-1] == '_' || s[k-1] == '-') {
			k--
		}
		word = asciiLower(s[k:j])
	}
	if word == "" {
		return "", false
	}
	if c, ok := codes[strings.ToUpper(word)]; ok {
		return c, true
	}
	for _, w := range words {
		if word == w.text {
			return w.cur, true
		}
	}
	for _, k := range notPriceKeys {
		if strings.Contains(word, k) {
			return "", false
		}
	}
	for _, k := range priceKeys {
		if strings.Contains(word, k) {
			return "", true
		}
	}
	return "", false
}

// compatible reports whether amounts in currencies a and b can be the
// same price.
func compatible(a, b string) bool {
	switch {
	case a == "" || b == "" || a == b:
		return true
	case a == "$" || b == "$":
		return isDollar(a) || isDollar(b)
	case a == "¥" || b == "¥":
		c := a + b
		return strings.Contains(c, "CNY") || strings.Contains(c, "JPY")
	}
	return false
}

func isDollar(cur string) bool {
	switch cur {
	case "USD", "CAD", "AUD", "HKD", "NZD", "SGD", "TWD", "MXN", "BRL":
		return true
	}
	return false
}
