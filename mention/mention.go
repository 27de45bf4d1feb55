// Package mention finds the shop's identifiers in text, English or
// Chinese, written by a shopper or a model: order numbers, SKUs, e-mail
// addresses, phone numbers and postcodes. It is the one place that
// decides what a string of letters and digits is, so the assistant's
// memory, the actions and the grounding check agree.
//
// # Precedence
//
// One string could often be several things ("40218" is a postcode, an
// order number or a SKU). Find decides in this order, and a byte belongs
// to one mention at most:
//
//  1. E-mail addresses come first: nothing inside one is anything else.
//  2. A cue word right before decides, across fillers such as "number",
//     "no.", "ID", "is", ':', "号", "是":
//     - an order cue ("order", "orders", "订单", "订单号", "单号", "訂單")
//     or a '#' makes an order number ("My order is 12345", "order number
//     is 40218", "#40218", "订单号40218", "订单 40218", "orders 1002,
//     1003 and #1004") of anything with three or more digits that is not
//     a date, decimal, percentage, amount or quantity ("order 100
//     pieces"); but a SKU-shaped identifier is a SKU ("I'd like to order
//     HL-JKT-001-BLU-M"), and so, after a plain cue though not after '#',
//     is one the shop's catalog knows;
//     - a SKU cue ("SKU", "item", "model", "style", "part", "货号", "型号",
//     "款号") makes a SKU of an identifier of three or more characters
//     with a digit ("Is SKU HL-12345 in stock?");
//     - a cue for some other code (tracking, waybill, coupon, voucher,
//     serial, barcode, "快递", "运单", "物流", "优惠券", ...) makes it
//     nothing.
//  3. Without a cue, by shape: an identifier the catalog knows is a SKU;
//     a SKU-shaped one (letters in two or more of its hyphen-separated
//     parts and a digit: HL-JKT-001, HL-JKT-001-BLU-M) is a SKU; letters,
//     a hyphen and three or more digits (HL-100101, SO-55321) is an order
//     number, unless a SKU or other-code cue stands shortly before it on
//     the same line ("SKU for the red one: HL-12345" is a SKU).
//  4. Numbers that are left: 7 to 15 digits, bare or grouped the way
//     phone numbers are written ("13800138000", "138 0013 8000", "+86
//     138-0013-8000", "(775) 555-0123", "010-12345678"), are phone numbers;
//     5 or 6 digits alone, ZIP+4 ("94105-1234") and UK or Canadian
//     postcodes ("SW1A 1AA", "K1A 0B1") are postcodes. A bare number is
//     never an order number, and dates, decimals, amounts and
//     percentages are none of these.
//
// Only ASCII letters and digits make identifiers; full-width digits are
// not read. Everything here is pure, safe for concurrent use, and never
// panics, whatever the input (invalid UTF-8 included).
package mention

import (
	"regexp"
	"slices"
	"strings"
)

// Kind is what a mention is.
type Kind uint8

// The kinds of mention.
const (
	Order Kind = iota + 1
	SKU
	Email
	Phone
	Postcode
)

// String names the kind: "order", "sku", "email", "phone", "postcode".
func (k Kind) String() string {
	switch k {
	case Order:
		return "order"
	case SKU:
		return "sku"
	case Email:
		return "email"
	case Phone:
		return "phone"
	case Postcode:
		return "postcode"
	}
	return "unknown"
}

// Mention is one identifier found in a text. Start and End are byte
// offsets, 0 <= Start < End <= len(text): text[Start:End] is the mention
// as written, with the '#' that may open an order number. Value is its
// normalised form: an order number or SKU upper-cased without '#', an
// e-mail address lower-cased, a phone number's digits (after a '+' when
// it has one), a postcode upper-cased without spaces.
type Mention struct {
	Kind       Kind
	Start, End int
	Value      string
}

// Mentions is what Find returns, in order of Start.
type Mentions []Mention

// Values returns the distinct values of the mentions of kind k, in order.
func (ms Mentions) Values(k Kind) []string {
	var out []string
	for _, m := range ms {
		if m.Kind == k && !slices.Contains(out, m.Value) {
			out = append(out, m.Value)
		}
	}
	return out
}

// First returns the value of the first mention of kind k, or "".
func (ms Mentions) First(k Kind) string {
	for _, m := range ms {
		if m.Kind == k {
			return m.Value
		}
	}
	return ""
}

// Find returns the mentions in text, in order of Start, never two over
// the same byte, decided as the package documentation says. known, if
// not nil, reports whether the shop's catalog has a SKU (given
// upper-cased); it makes a SKU of an identifier that would otherwise be
// an order number, except one written after '#'.
func Find(text string, known func(sku string) bool) Mentions {
	sc := &scanner{s: text, low: asciiLower(text), used: make([]bool, len(text)), known: known}
	sc.emails()
	sc.cued()
	sc.hashes()
	sc.identifiers()
	sc.numbers()
	slices.SortFunc(sc.out, func(a, b Mention) int { return a.Start - b.Start })
	return sc.out
}

// OrderNumbers returns the distinct order numbers in text, normalised.
func OrderNumbers(text string) []string { return Find(text, nil).Values(Order) }

// OrderNumber returns the first order number in text, or "".
func OrderNumber(text string) string { return Find(text, nil).First(Order) }

// Emails returns the distinct e-mail addresses in text, lower-cased.
func Emails(text string) []string { return Find(text, nil).Values(Email) }

// Phones returns the distinct phone numbers in text, as digits.
func Phones(text string) []string { return Find(text, nil).Values(Phone) }

// Postcodes returns the distinct postcodes in text, normalised.
func Postcodes(text string) []string { return Find(text, nil).Values(Postcode) }

// SKUs returns the distinct SKUs in text (cued or SKU-shaped),
// upper-cased.
func SKUs(text string) []string { return Find(text, nil).Values(SKU) }

// NormalizeOrder is the form order numbers are compared in: trimmed,
// without a leading '#' or '＃', ASCII letters upper-cased.
func NormalizeOrder(s string) string {
	s = strings.TrimSpace(s)
	s = strings.TrimPrefix(strings.TrimPrefix(s, "#"), "＃")
	return asciiUpper(s)
}

// Digits returns the ASCII digits of s, the form phone numbers are
// compared in.
func Digits(s string) string {
	b := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		if isDigit(s[i]) {
			b = append(b, s[i])
		}
	}
	return string(b)
}

// normalize turns a mention as written into its Value.
func normalize(k Kind, raw string) string {
	switch k {
	case Order:
		return NormalizeOrder(raw)
	case SKU:
		return asciiUpper(raw)
	case Email:
		return asciiLower(raw)
	case Phone:
		if strings.HasPrefix(raw, "+") {
			return "+" + Digits(raw)
		}
		return Digits(raw)
	case Postcode:
		return asciiUpper(strings.Join(strings.Fields(raw), ""))
	}
	return raw
}

// scanner is one Find call: the text, its ASCII-lowered copy (same
// offsets), which bytes are claimed, and the mentions so far.
type scanner struct {
	s, low string
	used   []bool
	out    Mentions
	known  func(string) bool
}

func (sc *scanner) free(a, b int) bool { return !slices.Contains(sc.used[a:b], true) }

func (sc *scanner) mark(a, b int) {
	for i := a; i < b; i++ {
		sc.used[i] = true
	}
}

// claim records s[a:b] as a mention of kind k, unless a byte of it is
// taken.
func (sc *scanner) claim(k Kind, a, b int) {
	if a >= b || !sc.free(a, b) {
		return
	}
	sc.out = append(sc.out, Mention{Kind: k, Start: a, End: b, Value: normalize(k, sc.s[a:b])})
	sc.mark(a, b)
}

// isKnown reports whether the catalog knows id as a SKU.
func (sc *scanner) isKnown(id string) bool {
	return sc.known != nil && len(id) >= 2 && sc.known(asciiUpper(id))
}

var email = regexp.MustCompile(`[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}`)

func (sc *scanner) emails() {
	if strings.IndexByte(sc.s, '@') < 0 {
		return
	}
	for _, m := range email.FindAllStringIndex(sc.s, -1) {
		sc.claim(Email, m[0], m[1])
	}
}
