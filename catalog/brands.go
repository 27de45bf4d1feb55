package catalog

import (
	"regexp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/shopdesk/shopdesk/lang"
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
// jacket like my old Patagonia one", "北面的冲锋衣和你们的冲锋衣哪个好").
var (
	// byBrand are the words between a kind and the brand after it that
	// make the kind the brand's.
	byBrand       = []string{"from", "by", "of", "made"}
	comparisons   = []string{"like", "than", "vs", "versus", "similar", "instead", "compared", "unlike", "alternative"}
	zhComparisons = []string{"和", "跟", "比", "还是", "对比", "哪个好", "像"}
	// placeCues before a brand make it a place ("heading to Patagonia",
	// "去哥伦比亚").
	placeCues   = []string{"to", "in", "visit", "visiting", "across", "around", "at"}
	zhPlaceCues = []string{"去", "在", "到"}
	// purchases make a brand after a place cue the place something was
	// bought ("bought it at REI", "在迪卡侬买的"), and may stand between a
	// kind and that place ("the tent I got at Decathlon", "淘宝买的冲锋衣").
	purchaseVerbs = []string{"bought", "buy", "got", "purchased", "ordered", "picked"}
	purchaseWords = []string{"i", "we", "it", "them", "one", "up", "at", "from", "on", "off", "in", "via", "through"}
	zhPurchases   = []string{"上买的", "上买了", "里买的", "买的", "买了", "买来的", "入的", "购买的", "购入的", "网购的", "下单的"}
	// ours before a kind keeps it the shop's ("your trail runners",
	// "你们的冲锋衣").
	zhOurs = []string{"你们", "你家", "贵店"}
)

// otherBrandsKind reports whether every kind a message (folded, and its
// words) names is another brand's, within one clause: in English after
// the brand with at most two words between, none of them a comparison
// ("my North Face down jacket"), or before it with "from" or "by"
// between ("jackets from other brands");
// in Chinese right after the brand, past a model number or one 的
// ("北面的羽绒服", "北面1996羽绒服"), or before 是 and the brand
// ("羽绒服是北面的"). A brand after "to"/"去" and the like is a place; a
// kind after "your"/"你们" and children are never another brand's. A
// clause that says its thing is not the shop's ("not from you", "不是你家
// 的", notOurs; in Chinese the stretch between spaces) makes every kind in
// it theirs but those after "your"/"你们".
func (x *productIndex) otherBrandsKind(low string, words []string) bool {
	disowned := disowns(low)
	if !disowned && !x.namesOtherBrand(low, words) {
		return false
	}
	kinds, theirs := 0, 0
	for _, clause := range clauseSplit.Split(low, -1) {
		disowned := disowned && disowns(clause)
		ws := latinWords(clause)
		fixed := x.corrected(ws)
		_, byWord, spans := kindsIn(fixed, clause)
		brands := x.brandsIn(ws)
		for k := range byWord {
			if byWord[k] == 0 || k > 0 && byWord[k-1] > 0 || noKind(conceptsIn(fixed[k:k+byWord[k]], "")) {
				continue // not where a kind starts, or children
			}
			kinds++
			e := k + byWord[k]
			ours := k > 0 && ws[k-1] == "your" || k > 1 && ws[k-2] == "your"
			for _, b := range brands {
				var between []string
				switch {
				case k >= b[1] && k-b[1] <= 2:
					between = ws[b[1]:k]
				case e < b[0] && b[0]-e <= 2 && !slices.ContainsFunc(ws[e:b[0]], func(w string) bool { return !slices.Contains(byBrand, w) }):
					// "jackets from other brands", "a down jacket by
					// Patagonia"; not "the gas canister fit a Jetboil".
				case e < b[0] && boughtThere(ws[e:b[0]]):
					// "the tent I bought at REI".
				default:
					continue
				}
				if !ours && !slices.ContainsFunc(between, func(w string) bool { return slices.Contains(comparisons, w) }) {
					theirs++
					break
				}
			}
			if disowned && !ours && len(brands) == 0 {
				theirs++
			}
		}
		compares := slices.ContainsFunc(zhComparisons, func(c string) bool { return strings.Contains(clause, c) })
		for _, sp := range spans {
			if noKind(conceptsIn(nil, clause[sp[0]:sp[1]])) {
				continue
			}
			kinds++
			before := clause[lang.RunesBefore(clause, sp[0], 3):sp[0]]
			if compares || slices.ContainsFunc(zhOurs, func(o string) bool { return strings.Contains(before, o) }) {
				continue
			}
			if disowned && disowns(zhSegment(clause, sp)) || x.zhBrandBy(clause, sp) {
				theirs++
			}
		}
	}
	return theirs > 0 && theirs == kinds
}

// namesOtherBrand reports whether a message (folded, and its words)
// names any of the other brands at all.
func (x *productIndex) namesOtherBrand(low string, words []string) bool {
	for _, b := range x.brandsEn {
		if wordsAt(words, b) >= 0 {
			return true
		}
	}
	for _, b := range x.brandsZh {
		if strings.Contains(low, b) {
			return true
		}
	}
	return false
}

// zhSegment is the stretch of clause around span sp between spaces, which
// Chinese writers use as commas ("抓绒衣起球吗 之前买的别家的…").
func zhSegment(clause string, sp [2]int) string {
	start := strings.LastIndexFunc(clause[:sp[0]], unicode.IsSpace) + 1
	end := len(clause)
	if k := strings.IndexFunc(clause[sp[1]:], unicode.IsSpace); k >= 0 {
		end = sp[1] + k
	}
	return clause[start:end]
}

// disowns reports whether text (folded) says a thing is not from the shop
// (notOurs), looking for the expression only where one of its words is.
// In Chinese, 不是你们的 in a question ("是不是你们的", "不是你们的吗") or
// about blame ("不是你们的问题") disowns nothing.
func disowns(text string) bool {
	if !slices.ContainsFunc(notOursWords, func(w string) bool { return strings.Contains(text, w) }) {
		return false
	}
	for _, m := range notOurs.FindAllStringIndex(text, -1) {
		if strings.HasPrefix(text[m[0]:], "不是") {
			before, after := text[:m[0]], text[m[1]:]
			if strings.HasSuffix(before, "是") || slices.ContainsFunc(zhNotOursTails, func(t string) bool { return strings.HasPrefix(strings.TrimSpace(after), t) }) {
				continue
			}
		}
		return true
	}
	return false
}

// zhNotOursTails after 不是你们的 make it a question or about blame.
var zhNotOursTails = []string{"吗", "呢", "问题", "错", "责任", "事"}

// notOursWords are in every match of notOurs.
var notOursWords = []string{"not", "n't", "never", "elsewhere", "other", "different", "不是", "别", "其他"}

// notOurs says a shopper's thing is not from the shop.
var notOurs = regexp.MustCompile(`\b(not|isn't|aren't|wasn't|weren't) (from|one of) (you|yours|your (shop|store|site))\b|\bnot yours\b|\b(didn't|did not|never) (buy|order|purchase) (it|them|this|that|one) (from|here|with) you\b|\bbought (it |them )?elsewhere\b|\b(bought|got|purchased|ordered) (it |them |one |mine )?(at|from|on) (another|a different|some other) (store|shop|retailer|seller|site)\b|不是(在)?(你家|你们家|你们店|你们|贵店|这家)(店)?(买|的)|别家的|别家买|买的别家|其他店买|别的店买|其他家买|别人家买`)

// clauseSplit separates a message's clauses.
var clauseSplit = regexp.MustCompile(`[.!?;,。！？；，\n]+`)

// brandsIn returns the word ranges of the other brands in a clause's
// words, every occurrence, except those after a place cue.
func (x *productIndex) brandsIn(ws []string) [][2]int {
	var out [][2]int
	for _, b := range x.brandsEn {
		for i := 0; i+len(b) <= len(ws); i++ {
			if equalWords(ws[i:i+len(b)], b) && !(i > 0 && slices.Contains(placeCues, ws[i-1]) && !boughtBefore(ws, i-1)) {
				out = append(out, [2]int{i, i + len(b)})
			}
		}
	}
	return out
}

// boughtBefore reports whether a purchase verb stands within the three
// words before ws[i] ("bought it at", "got mine from").
func boughtBefore(ws []string, i int) bool {
	return slices.ContainsFunc(ws[max(0, i-3):i], func(w string) bool { return slices.Contains(purchaseVerbs, w) })
}

// boughtThere reports whether the words between a kind and a brand say
// the kind was bought there ("I bought at", "we got from").
func boughtThere(between []string) bool {
	return len(between) <= 4 && slices.ContainsFunc(between, func(w string) bool { return slices.Contains(purchaseVerbs, w) }) &&
		!slices.ContainsFunc(between, func(w string) bool {
			return !slices.Contains(purchaseVerbs, w) && !slices.Contains(purchaseWords, w) && !slices.Contains(byBrand, w)
		})
}

// zhBought reports whether text begins with a purchase (zhPurchases).
func zhBought(text string) bool {
	return slices.ContainsFunc(zhPurchases, func(p string) bool { return strings.HasPrefix(text, p) })
}

// zhAfterPurchase is text past the purchase it begins with.
func zhAfterPurchase(text string) string {
	for _, p := range zhPurchases {
		if strings.HasPrefix(text, p) {
			return text[len(p):]
		}
	}
	return text
}

// zhBrandBy reports whether a Chinese brand stands right before the kind
// at span sp of clause (past a model number or one 的), or after it with
// 是 between, and not after a place cue.
func (x *productIndex) zhBrandBy(clause string, sp [2]int) bool {
	for _, b := range x.brandsZh {
		found := false
		eachIndex(clause, b, func(i int) bool {
			end := i + len(b)
			if prev := clause[lang.RunesBefore(clause, i, 1):i]; slices.Contains(zhPlaceCues, prev) && !zhBought(clause[end:]) {
				return true
			}
			found = sp[0] >= end && (modelNumberOrDe(clause[end:sp[0]]) || zhBought(clause[end:sp[0]]) && modelNumberOrDe(zhAfterPurchase(clause[end:sp[0]]))) ||
				sp[1] <= i && strings.TrimSpace(clause[sp[1]:i]) == "是"
			return !found
		})
		if found {
			return true
		}
	}
	return false
}

// noKind reports whether ids hold no kind: none, or only qualifiers
// (children).
func noKind(ids []int) bool {
	for _, c := range ids {
		if !concepts[c].qualifier {
			return false
		}
	}
	return true
}

// modelNumberOrDe reports whether s is only a model number (letters,
// digits, spaces) and at most one 的.
func modelNumberOrDe(s string) bool {
	s = strings.Replace(s, "的", "", 1)
	return strings.IndexFunc(s, func(r rune) bool { return !isWordRune(r) && !unicode.IsSpace(r) }) < 0
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
	return slices.ContainsFunc(capitalised(message), func(w string) bool { return x.namesProduct(w, p) })
}

// capitalised returns the words (folded, singular) message writes with a
// capital inside a sentence, as names are written.
func capitalised(message string) []string {
	var out []string
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
		if !start && unicode.IsUpper(r) && j-i > 1 {
			out = append(out, singular(fold(message[i:j])))
		}
		start, i = false, j
	}
	return out
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

// everydaySense reports whether candidate c is named only by one word of
// its name that is also an everyday word (everydayNames: "a big storm
// forecast", "I'm a beacon of patience", "你们logo是个灯塔吗"), used as
// one: no kind of it named, no determiner right before the word, not
// capitalised inside a sentence, and in Chinese neither next to 那个,
// 那款 and the like nor in a price, stock or size question ("登顶 有货不").
// Match asks it only when the message names no colour or size.
func (x *productIndex) everydaySense(message, low string, words []string, c candidate) bool {
	if c.kind {
		return false
	}
	var terms []string
	at := -1
	for i, w := range words {
		if !stopWords[w] && x.namesProduct(w, c.p) && !slices.Contains(terms, w) {
			terms, at = append(terms, w), i
		}
	}
	zhAt := -1
	eachBigram(low, func(start, _ int, b string) {
		if x.namesProduct(b, c.p) && !slices.Contains(terms, b) {
			terms, zhAt = append(terms, b), start
		}
	})
	if len(terms) != 1 || !everydayNames[terms[0]] {
		return false
	}
	if zhAt >= 0 {
		after := low[zhAt+len(terms[0]):]
		return !asksAttribute.MatchString(low) && !slices.ContainsFunc(zhPointers, func(p string) bool { return strings.HasPrefix(after, p) }) &&
			!slices.ContainsFunc(zhPointers, func(p string) bool { return strings.HasSuffix(low[:zhAt], p) })
	}
	// "the summit of Rainier", "a storm of complaints": a common noun.
	if at+1 < len(words) && words[at+1] == "of" {
		return !slices.Contains(capitalised(message), terms[0])
	}
	if at > 0 && slices.Contains(enDeterminers, words[at-1]) {
		return false
	}
	return !slices.Contains(capitalised(message), terms[0])
}

// zhPointers next to a name word make it a name ("微光那个", "那款灯塔").
var zhPointers = []string{"那个", "那款", "这个", "这款", "那件", "这件", "那双", "这双", "那顶", "这顶", "那只", "这只", "的那", "系列", "牌"}

// asksUnsold reports whether a message (folded, and its words) asks for
// a kind the catalog has none of, nor of its broader kinds, before any
// other kind it names ("do you sell a stove that works with those gas
// canisters?", "有没有炉头 配气罐用的"): the other kinds only say what it
// is for. An ask (askWords, zhAsks) must come before it.
func (x *productIndex) asksUnsold(low string, words []string) bool {
	fixed := x.corrected(words)
	_, byWord, spans := kindsIn(fixed, low)
	englishKind := slices.ContainsFunc(byWord, func(n int) bool { return n > 0 })
	if len(spans) > 0 && (!englishKind || spans[0][0] < firstLatinLetter(low)) {
		sp := spans[0]
		return x.unsold(conceptsIn(nil, low[sp[0]:sp[1]])) && slices.ContainsFunc(zhAsks, func(a string) bool { return strings.Contains(low[:sp[0]], a) })
	}
	for i, n := range byWord {
		if n > 0 {
			return x.unsold(conceptsIn(fixed[i:i+n], "")) && asksBefore(fixed[:i])
		}
	}
	return false
}

// firstLatinLetter is the byte offset of low's first Latin letter, or
// len(low).
func firstLatinLetter(low string) int {
	if i := strings.IndexFunc(low, func(r rune) bool { return 'a' <= r && r <= 'z' }); i >= 0 {
		return i
	}
	return len(low)
}

// unsold reports whether ids name kinds, none of which, nor their
// broader kinds, the catalog has.
func (x *productIndex) unsold(ids []int) bool {
	if noKind(ids) {
		return false
	}
	for _, c := range ids {
		if concepts[c].qualifier {
			continue
		}
		if len(x.byConcept[c]) > 0 {
			return false
		}
		for _, p := range concepts[c].parents {
			if pc := conceptIndex(p); pc >= 0 && len(x.byConcept[pc]) > 0 {
				return false
			}
		}
	}
	return true
}

// asksBefore reports whether words ask for something to buy: "you sell"
// (have, carry, stock: the shop's), or need, want, looking, recommend, any,
// buy. "I have a stove" asks for nothing.
func asksBefore(words []string) bool {
	for k, w := range words {
		if slices.Contains(shopVerbs, w) && k > 0 && (words[k-1] == "you" || words[k-1] == "u") || slices.Contains(askWords, w) {
			return true
		}
	}
	return false
}

// Asks for something to buy, before the kind asked for.
var (
	shopVerbs = []string{"sell", "have", "carry", "stock"}
	askWords  = []string{"need", "want", "looking", "recommend", "any", "buy"}
	zhAsks    = []string{"有没有", "有卖", "卖不卖", "想买", "要买", "推荐", "你们有", "你家有", "求"}
)
