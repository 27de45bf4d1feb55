package mention

import "strings"

// cueKind is what a cue word announces.
type cueKind uint8

const (
	cueOrder cueKind = iota + 1
	cueSKU
	cueOther // tracking numbers, coupons and other codes: nothing of ours
)

// cue is a word that announces what follows. Latin cues match whole
// words (a plural "s" allowed), CJK ones anywhere. window cues also mark
// an uncued identifier shortly after them on the same line.
type cue struct {
	word   string
	kind   cueKind
	window bool
}

// cues, longest first where one starts another, so "快递单号" is a
// courier's number before "单号" can be an order's.
var cues = []cue{
	{"order", cueOrder, false},
	{"订单", cueOrder, false}, {"訂單", cueOrder, false}, {"单号", cueOrder, false}, {"單號", cueOrder, false},

	{"sku", cueSKU, true}, {"model", cueSKU, true}, {"货号", cueSKU, true}, {"型号", cueSKU, true}, {"款号", cueSKU, true},
	{"item", cueSKU, false}, {"style", cueSKU, false}, {"part", cueSKU, false}, {"article", cueSKU, false},

	{"tracking", cueOther, true}, {"waybill", cueOther, true}, {"coupon", cueOther, true}, {"promo", cueOther, true},
	{"voucher", cueOther, true}, {"barcode", cueOther, true}, {"serial", cueOther, true}, {"upc", cueOther, true},
	{"ean", cueOther, true}, {"isbn", cueOther, true}, {"code", cueOther, false},
	{"快递", cueOther, true}, {"快遞", cueOther, true}, {"运单", cueOther, true}, {"運單", cueOther, true},
	{"物流", cueOther, true}, {"追踪", cueOther, true}, {"跟踪", cueOther, true}, {"优惠", cueOther, true},
	{"券", cueOther, true}, {"兑换码", cueOther, true}, {"折扣码", cueOther, true}, {"条码", cueOther, true},
	{"编码", cueOther, false},
}

// cuesByFirst are the cues by their first byte, each list in cues'
// order: cueAt runs at every byte of a message.
var cuesByFirst = func() (t [256][]cue) {
	for _, c := range cues {
		t[c.word[0]] = append(t[c.word[0]], c)
	}
	return t
}()

// cueAt returns the cue starting at i and where it ends, or ok false.
func (sc *scanner) cueAt(i int) (c cue, end int, ok bool) {
	if i >= len(sc.low) {
		return cue{}, 0, false
	}
	for _, c := range cuesByFirst[sc.low[i]] {
		if !strings.HasPrefix(sc.low[i:], c.word) {
			continue
		}
		j := i + len(c.word)
		if !isASCIILetter(c.word[0]) {
			return c, j, true
		}
		if i > 0 && isASCIILetter(sc.low[i-1]) {
			continue // "reorder"
		}
		if j < len(sc.low) && sc.low[j] == 's' {
			j++
		}
		if j < len(sc.low) && isASCIILetter(sc.low[j]) {
			continue // "ordered", "items" is fine, "itemize" is not
		}
		return c, j, true
	}
	return cue{}, 0, false
}

// cued reads the identifiers right after cue words: order numbers, SKUs,
// and other codes, which are claimed by nothing but taken all the same.
func (sc *scanner) cued() {
	for i := 0; i < len(sc.s); i++ {
		c, j, ok := sc.cueAt(i)
		if !ok {
			continue
		}
		k := sc.skipFillers(j)
		for range 16 { // "orders 1002, 1003 and 1004"
			e, ok := sc.cuedID(c.kind, k)
			if !ok {
				break
			}
			i = e - 1
			if k = sc.listNext(e); k < 0 {
				break
			}
		}
		if i < j-1 {
			i = j - 1 // a cue is not also the start of another
		}
	}
}

// cuedID takes the identifier at s[k] after a cue of kind, and reports
// whether there was one.
func (sc *scanner) cuedID(kind cueKind, k int) (int, bool) {
	j, letters, digits, _ := scanID(sc.s, k)
	if j == k || !sc.free(k, j) {
		return j, false
	}
	id := sc.s[k:j]
	start, hash := sc.hashBefore(k)
	switch kind {
	case cueOrder:
		if !sc.orderID(k, j, letters, digits) {
			return j, false
		}
		if skuShaped(id) || !hash && sc.isKnown(id) {
			sc.claim(SKU, k, j)
		} else {
			sc.claim(Order, start, j)
		}
	case cueSKU:
		if j-k < 3 || digits == 0 {
			return j, false
		}
		sc.claim(SKU, k, j)
	default:
		if digits == 0 && !hash {
			return j, false // "coupon codes", "tracking information"
		}
		sc.mark(start, j)
	}
	return j, true
}

// hashBefore returns where an identifier at s[k] starts when it is
// written after '#' or '＃', and whether it is.
func (sc *scanner) hashBefore(k int) (int, bool) {
	if k > 0 && sc.s[k-1] == '#' {
		return k - 1, true
	}
	if strings.HasSuffix(sc.s[:k], "＃") {
		return k - len("＃"), true
	}
	return k, false
}

// orderID reports whether s[k:j] can be an order number: three or more
// digits and, without letters, not a date ("2024-05-01"), decimal,
// percentage, amount ("订单 199 元") or quantity ("order 100 pieces").
func (sc *scanner) orderID(k, j, letters, digits int) bool {
	if digits < 3 {
		return false
	}
	if letters > 0 {
		return true
	}
	s := sc.s
	return !dateLike(s[k:j]) &&
		!(j < len(s) && (s[j] == '%' || (s[j] == '.' || s[j] == ',') && j+1 < len(s) && isDigit(s[j+1]))) &&
		!quantityAfter(s, sc.low, j) && !currencyAround(s, sc.low, k, j)
}

// skipFillers skips what may stand between a cue and its identifier:
// blanks, ':' and '#', "number", "no.", "ID", "is", "号", "是", ... It
// stops before a '#' that directly precedes the identifier, which an
// order number then includes.
func (sc *scanner) skipFillers(j int) int {
	s := sc.s
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
			if w := sc.fillerLen(k); w > 0 {
				j = k + w
				continue
			}
			return k
		}
	}
	return skipBlanks(s, j)
}

// fillerLen returns the length of the filler word at s[k], or 0.
func (sc *scanner) fillerLen(k int) int {
	low := sc.low
	l := k
	for l < len(low) && isASCIILetter(low[l]) {
		l++
	}
	switch low[k:l] {
	case "number", "num", "no", "id", "is", "was", "ref", "reference", "code":
		if low[k:l] == "no" && l < len(low) && low[l] == '.' {
			l++
		}
		return l - k
	}
	for _, w := range []string{"号码", "號碼", "编号", "編號", "单号", "單號", "号", "號", "是", "为", "為", "码"} {
		if strings.HasPrefix(sc.s[k:], w) {
			return len(w)
		}
	}
	return 0
}

// listNext returns where the next identifier of a list starts after the
// one ending at s[e] (", ", " and ", "、", "和", "/"), or -1.
func (sc *scanner) listNext(e int) int {
	s := sc.s
	k := skipBlanks(s, e)
	for _, sep := range []string{",", "，", "、", "/", "&", "and ", "or ", "和", "或", "及", "以及"} {
		if strings.HasPrefix(sc.low[k:], sep) {
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

// hashes reads '#' followed by an identifier with three or more digits
// ("#40218") as an order number, except hex colors and "&#...;" entities.
func (sc *scanner) hashes() {
	s := sc.s
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
		j, letters, digits, _ := scanID(s, k)
		if j == k || hexColor(s[k:j]) || !sc.orderID(k, j, letters, digits) {
			continue
		}
		if skuShaped(s[k:j]) {
			sc.claim(SKU, k, j)
		} else {
			sc.claim(Order, i, j)
		}
	}
}

// identifiers reads the identifiers no cue introduced, by shape: known
// SKUs, SKU-shaped identifiers, and letters-hyphen-digits order numbers.
func (sc *scanner) identifiers() {
	s := sc.s
	for i := 0; i < len(s); {
		if !isASCIIAlnum(s[i]) || i > 0 && (isASCIIAlnum(s[i-1]) || strings.IndexByte("_@./\\#&=?+-", s[i-1]) >= 0) {
			i++
			continue
		}
		j, letters, digits, hyphens := scanID(s, i)
		switch id := s[i:j]; {
		case !sc.free(i, j) || inAddress(s, j):
		case (digits > 0 || hyphens > 0) && sc.isKnown(id):
			sc.claim(SKU, i, j)
		case !isASCIILetter(s[i]) || digits == 0:
		case skuShaped(id):
			if c, ok := sc.cueBefore(i); !ok || c.kind == cueSKU {
				sc.claim(SKU, i, j)
			}
		case hyphens > 0 && letters > 0 && digits >= 3:
			switch c, ok := sc.cueBefore(i); {
			case !ok:
				sc.claim(Order, i, j)
			case c.kind == cueSKU:
				sc.claim(SKU, i, j)
			}
		}
		i = j
	}
}

// cueBefore returns the last window cue in the 48 bytes before s[i] on
// the same line; a Latin cue must start a word.
func (sc *scanner) cueBefore(i int) (cue, bool) {
	from := max(0, i-48)
	if n := strings.LastIndexByte(sc.low[from:i], '\n'); n >= 0 {
		from += n + 1
	}
	w := sc.low[from:i]
	best, at := cue{}, -1
	for _, c := range cues {
		if !c.window {
			continue
		}
		for end := len(w); end > at-from; {
			k := strings.LastIndex(w[:end], c.word)
			if k < 0 {
				break
			}
			if !isASCIILetter(c.word[0]) || k == 0 || !isASCIILetter(w[k-1]) {
				if from+k > at {
					best, at = c, from+k
				}
				break
			}
			end = k
		}
	}
	return best, at >= 0
}

// skuShaped reports whether an identifier reads as a SKU: a digit, and
// letters in two or more of its hyphen-separated parts (HL-JKT-001,
// HL-JKT-001-BLU-M, P-00042-S), which order numbers do not have.
func skuShaped(id string) bool {
	parts, digit := 0, false
	for p := range strings.SplitSeq(id, "-") {
		if strings.IndexFunc(p, func(r rune) bool { return r < 128 && isASCIILetter(byte(r)) }) >= 0 {
			parts++
		}
		digit = digit || strings.ContainsAny(p, "0123456789")
	}
	return digit && parts >= 2
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
