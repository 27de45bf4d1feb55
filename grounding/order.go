package grounding

import (
	"cmp"
	"slices"
	"strings"
)

// orderClaim is an order number found at s[start:end]; id is the
// identifier ASCII-lowered, without the '#' that may start the claim.
type orderClaim struct {
	start, end int
	id         string
}

// findOrders returns the order numbers in s, in three passes:
//
//  1. identifiers after an order cue: "order 1002", "order number is
//     HL-100101", "Order #1002 and #1003", "订单号：1002", "订单HL-100101";
//  2. '#' followed by an identifier with three or more digits ("#1002"),
//     except hex colors and "&#...;" entities;
//  3. standalone identifiers of letters, a hyphen and three or more digits
//     ("SO-55321"), unless a SKU, model, tracking, coupon or similar cue
//     shortly before marks them as something else.
//
// A bare number is never an order number without a cue, so phone numbers,
// postcodes and dates are left alone; identifiers after a cue must hold
// three or more digits and not read as a date or a quantity ("order 100
// pieces").
func findOrders(s string) []orderClaim {
	low := asciiLower(s)
	var out []orderClaim
	used := make([]bool, len(s)) // bytes inside a claim
	taken := func(a, b int) bool {
		return slices.Contains(used[a:b], true)
	}
	add := func(k, j int) {
		start := k
		if k > 0 && s[k-1] == '#' {
			start = k - 1
		} else if strings.HasSuffix(s[:k], "＃") {
			start = k - len("＃")
		}
		if !taken(start, j) {
			out = append(out, orderClaim{start: start, end: j, id: low[k:j]})
			for i := start; i < j; i++ {
				used[i] = true
			}
		}
	}

	for i := 0; i < len(s); i++ {
		j := orderCueEnd(s, low, i)
		if j < 0 {
			continue
		}
		k := skipFillers(s, low, j)
		for n := 0; n < 16; n++ { // "orders 1002, 1003 and 1004"
			e, ok := orderIDAt(s, low, k)
			if !ok {
				break
			}
			add(k, e)
			i = e - 1
			if k = listNext(s, low, e); k < 0 {
				break
			}
		}
	}

	for i := 0; i < len(s); i++ {
		k := i + 1
		if strings.HasPrefix(s[i:], "＃") {
			k = i + len("＃")
		} else if s[i] != '#' {
			continue
		}
		if i > 0 && (isASCIIAlnum(s[i-1]) || s[i-1] == '&') {
			continue
		}
		if e, ok := orderIDAt(s, low, k); ok && !hexColor(s[k:e]) {
			add(k, e)
		}
	}

	for i := 0; i < len(s); {
		if !isASCIILetter(s[i]) || i > 0 && (isASCIIAlnum(s[i-1]) || strings.IndexByte("_@./\\#&=?+-", s[i-1]) >= 0) {
			i++
			continue
		}
		j, letters, digits, hyphens := scanID(s, i)
		if hyphens > 0 && letters > 0 && digits >= 3 && !inAddress(s, j) && !otherCodeBefore(low, i) {
			add(i, j)
		}
		i = j
	}
	slices.SortFunc(out, func(a, b orderClaim) int { return cmp.Compare(a.start, b.start) })
	return out
}

// orderCueEnd returns where the order cue at s[i] ends ("order", "orders",
// "订单", "订单号", ...), or -1 when none starts there.
func orderCueEnd(s, low string, i int) int {
	if strings.HasPrefix(low[i:], "order") && (i == 0 || !isASCIILetter(low[i-1])) {
		j := i + len("order")
		if j < len(low) && low[j] == 's' {
			j++
		}
		if j < len(low) && isASCIILetter(low[j]) {
			return -1 // "ordered", "ordering"
		}
		return j
	}
	if strings.HasPrefix(s[i:], "订单") {
		j := i + len("订单")
		for _, x := range []string{"号码", "编号", "号"} {
			if strings.HasPrefix(s[j:], x) {
				return j + len(x)
			}
		}
		return j
	}
	return -1
}

// skipFillers skips what may stand between an order cue and its
// identifier: blanks, ':' and '#', "number", "no.", "ID", "is", "是", ...
// It stops before a '#' that directly precedes the identifier, which the
// claim then includes.
func skipFillers(s, low string, j int) int {
	for range 6 {
		k := skipBlanks(s, j)
		switch {
		case k < len(s) && s[k] == ':', strings.HasPrefix(s[k:], "："):
			j = k + len(":")
			if s[k] != ':' {
				j = k + len("：")
			}
		case k < len(s) && s[k] == '#', strings.HasPrefix(s[k:], "＃"):
			n := len("#")
			if s[k] != '#' {
				n = len("＃")
			}
			if k+n < len(s) && isASCIIAlnum(s[k+n]) {
				return k + n
			}
			j = k + n
		default:
			if w := fillerLen(s, low, k); w > 0 {
				j = k + w
				continue
			}
			return k
		}
	}
	return skipBlanks(s, j)
}

// fillerLen returns the length of the filler word at low[k], or 0.
func fillerLen(s, low string, k int) int {
	l := k
	for l < len(low) && isASCIILetter(low[l]) {
		l++
	}
	switch low[k:l] {
	case "number", "num", "no", "id", "is", "was", "ref":
		if low[k:l] == "no" && l < len(low) && low[l] == '.' {
			l++
		}
		return l - k
	}
	for _, w := range []string{"号码", "编号", "号", "是", "为"} {
		if strings.HasPrefix(s[k:], w) {
			return len(w)
		}
	}
	return 0
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

// orderIDAt reads the identifier at s[k] and reports whether it can be an
// order number: three or more digits, and when it has no letters, not a
// date ("2024-05-01"), decimal, percentage, amount ("订单 199 元") or
// quantity.
func orderIDAt(s, low string, k int) (int, bool) {
	j, letters, digits, _ := scanID(s, k)
	if j == k || digits < 3 {
		return j, false
	}
	if letters == 0 {
		if dateLike(s[k:j]) ||
			j < len(s) && (s[j] == '%' || (s[j] == '.' || s[j] == ',') && j+1 < len(s) && isDigit(s[j+1])) ||
			quantityAfter(s, low, j) || hasCurrencyAfter(s, j) {
			return j, false
		}
	}
	return j, true
}

// scanID reads the run of ASCII letters and digits at s[k], with single
// hyphens between them, and counts its parts.
func scanID(s string, k int) (end, letters, digits, hyphens int) {
	j := k
	for j < len(s) {
		switch c := s[j]; {
		case isDigit(c):
			digits++
		case isASCIILetter(c):
			letters++
		case c == '-' && j > k && j+1 < len(s) && isASCIIAlnum(s[j+1]):
			hyphens++
		default:
			return j, letters, digits, hyphens
		}
		j++
	}
	return j, letters, digits, hyphens
}

// dateLike reports whether digits and hyphens id read as a date: 2024-05,
// 2024-05-01, 05-01-2024.
func dateLike(id string) bool {
	parts := strings.Split(id, "-")
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

func hasCurrencyAfter(s string, j int) bool {
	end, _ := currencyAfter(s, j)
	return end >= 0
}

// listNext returns where the next identifier of a list starts after the
// one ending at s[e] (", ", " and ", "、", "和", "/"), or -1.
func listNext(s, low string, e int) int {
	k := skipBlanks(s, e)
	for _, sep := range []string{",", "，", "、", "/", "&", "and ", "or ", "和", "或", "及", "以及"} {
		if strings.HasPrefix(low[k:], sep) {
			k = skipBlanks(s, k+len(sep))
			if strings.HasPrefix(s[k:], "#") {
				k++
			} else if strings.HasPrefix(s[k:], "＃") {
				k += len("＃")
			}
			return k
		}
	}
	return -1
}

// hexColor reports whether id, written after '#', reads as a color.
func hexColor(id string) bool {
	switch len(id) {
	case 3, 4, 6, 8:
	default:
		return false
	}
	letter := false
	for i := 0; i < len(id); i++ {
		c := id[i] | 0x20
		if !isDigit(id[i]) && (c < 'a' || c > 'f') {
			return false
		}
		letter = letter || !isDigit(id[i])
	}
	return letter
}

// inAddress reports whether the identifier ending at s[j] continues as an
// e-mail address, host name or file name.
func inAddress(s string, j int) bool {
	return j < len(s) && (s[j] == '@' || s[j] == '_' || s[j] == '.' && j+1 < len(s) && isASCIIAlnum(s[j+1]))
}

// otherCodes mark an identifier as some other code than an order number.
var otherCodes = []string{
	"sku", "track", "model", "item", "part", "code", "coupon", "promo", "voucher", "style",
	"barcode", "upc", "ean", "isbn", "serial", "waybill",
	"货号", "型号", "款号", "编码", "条码", "运单", "快递", "物流", "追踪", "跟踪", "优惠", "券", "兑换码", "折扣码",
}

// otherCodeBefore reports whether one of otherCodes appears shortly before
// low[i] on the same line.
func otherCodeBefore(low string, i int) bool {
	w := low[max(0, i-32):i]
	if n := strings.LastIndexByte(w, '\n'); n >= 0 {
		w = w[n+1:]
	}
	for _, c := range otherCodes {
		if strings.Contains(w, c) {
			return true
		}
	}
	return false
}
