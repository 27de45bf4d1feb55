package catalog

import (
	"slices"
	"strings"

	"github.com/shopdesk/shopdesk/commerce"
	"github.com/shopdesk/shopdesk/lang"
	"github.com/shopdesk/shopdesk/mention"
)

// Via says how a product was found.
type Via string

// The ways a product is found.
const (
	ViaSKU          Via = "sku"          // a product or variant SKU in the message
	ViaName         Via = "name"         // words of its name, in either language, perhaps misspelt
	ViaKind         Via = "kind"         // only its kind ("the rain jacket", "羽绒服")
	ViaConversation Via = "conversation" // "it", "这件", or a colour or size asked alone: the conversation's product
	ViaSearch       Via = "search"       // the knowledge index chose among the catalog's candidates
)

// Match is what a message says about products: the product it means, if
// any, and the colour and size it asks for.
type Match struct {
	Product commerce.Product
	// Found is false when the message means no product.
	Found bool
	Via   Via
	// Score is the winner's raw score (a sum of inverse document
	// frequencies); only its order among candidates means anything.
	Score float64
	// Confidence is in [0, 1]: 1 for a SKU, lower the closer the runner-up.
	Confidence float64
	// Ambiguous is set when the message names a kind (or part of a name)
	// that several products share about equally; Product is the likeliest
	// and Alternatives the others (at most 3), best first, so the shopper
	// can be asked which one.
	Ambiguous    bool
	Alternatives []commerce.Product
	// Constraint is the colour and size the message asks for (a variant
	// SKU's own, when it named one).
	Constraint Constraint
	// Variant is the variant a variant SKU named, if one did.
	Variant commerce.Variant
	// Asks is what else the message asks of the product: when it is
	// ambiguous, these can be told for each candidate.
	Asks Facets
	// unread counts the message's words the catalog knows nothing of
	// ("pit zips"): only then may the knowledge index settle an
	// ambiguity.
	unread int
}

// Facets are the product facts beside colour and size that a message
// asks for.
type Facets struct {
	Price, Warranty bool
}

// maxAlternatives is how many alternatives Match offers at most, beside
// the likeliest product.
const maxAlternatives = 3

// Match finds the product message means in the catalog, and the colour
// and size it asks for. current is the product the conversation is about
// (its name in either language or its SKU, as remembered; "" for none).
//
// In order: a product or variant SKU (found by package mention), or the
// tail of one without the shop's prefix ("JKT-003"); words of names in
// either language, partial or misspelt by one letter, and kinds ("the
// rain jacket", "头灯"), ranked by how rare the matched words are, what
// the descriptions say, children's products down unless children are
// mentioned (and the others down when they are), products with the
// colour or size asked for up, and the conversation's product up; then,
// when nothing is named, the conversation's product if the message
// points back at it ("it", "这件") or asks only a colour, size, price or
// stock question. Everyday words alone ("my card was declined") and
// numbers alone name nothing; a kind next to another brand ("my North
// Face down jacket") and a bare kind in a return question ("can I return
// boots I've worn?") name none of the shop's products. Match is pure and
// safe for concurrent use; the index it reads is built on the first call.
func (s *Snapshot) Match(message, current string) Match {
	low := hanziForPinyin(fold(message))
	words := childAges(latinWords(low))
	m := Match{Constraint: readConstraint(message, low, words),
		Asks: Facets{Price: asksPrice.MatchString(low), Warranty: asksWarranty.MatchString(low)}}
	var skus []string
	if strings.ContainsAny(message, "0123456789") { // every SKU has a digit
		skus = mention.Find(message, func(sku string) bool {
			_, tail := s.byTail(sku)
			return tail || s.Has(sku)
		}).Values(mention.SKU)
	}
	for _, sku := range skus {
		i, ok := s.Index(sku)
		if !ok {
			i, ok = s.byTail(sku)
		}
		if ok {
			p := s.products[i]
			m.Product, m.Found, m.Via, m.Confidence, m.Score = p, true, ViaSKU, 1, 1
			for _, v := range p.Variants {
				if k := skuKey(v.SKU); k == skuKey(sku) || strings.HasSuffix(k, "-"+skuKey(sku)) {
					m.Variant, m.Constraint = v, Constraint{Color: Colour(v.Color), Size: variantSize(v.Size)}
				}
			}
			return m
		}
	}
	x := s.productIndex()
	cur := -1
	if current != "" {
		if p, ok := s.Named(current); ok {
			cur, _ = s.Index(p.SKU)
		}
	}
	ranked, unread := x.rank(low, words, m.Constraint, cur)
	m.unread = unread
	// A kind of another brand's ("my North Face down jacket") is none of
	// ours; a product named by its own name still is.
	kindCounts := !x.otherBrandsKind(low, words)
	var ok []candidate
	for _, c := range ranked {
		if c.kind && kindCounts || c.name >= x.strong && !(m.Constraint.IsZero() && x.everydaySense(message, low, words, c)) {
			ok = append(ok, c)
		}
	}
	if len(ok) == 0 {
		if cur >= 0 && refersBack(low, m.Constraint) {
			m.Product, m.Found, m.Via, m.Confidence = s.products[cur], true, ViaConversation, 0.7
		}
		return m
	}
	top := ok[0]
	strongName := top.name >= x.strong
	if !strongName && (asksPolicy.MatchString(low) || asksStore.MatchString(low)) && !specificKind(low, words) {
		return m
	}
	if !strongName && x.asksUnsold(low, words) {
		return m
	}
	// "Is this one wool?" about the product being discussed: one word
	// of another product's name, without its kind, does not move the
	// conversation on, unless it is written as a name ("what about the
	// Tidewind, would that do?").
	if cur >= 0 && top.p != cur && !top.kind && top.name < 2*x.strong && pointsBack.MatchString(low) && !x.writtenAsName(message, top.p) {
		m.Product, m.Found, m.Via, m.Confidence = s.products[cur], true, ViaConversation, 0.6
		return m
	}
	// The conversation's product wins a kind it shares ("is the tent
	// waterproof?" about the tent being discussed).
	if cur >= 0 && top.p != cur && !strongName {
		if k := slices.IndexFunc(ok, func(c candidate) bool { return c.p == cur }); k >= 0 {
			top, ok = ok[k], append([]candidate{ok[k]}, slices.Delete(slices.Clone(ok), k, k+1)...)
		}
	}
	m.Product, m.Found, m.Score = s.products[top.p], true, float64(top.score)
	m.Via = ViaName
	if !strongName {
		m.Via = ViaKind
	}
	runnerUp := float32(0)
	if len(ok) > 1 {
		runnerUp = ok[1].score
	}
	margin := float64(1 - runnerUp/top.score)
	m.Confidence = 0.55 + 0.45*margin
	if !strongName {
		m.Confidence = 0.45 + 0.45*margin
	}
	if top.p == cur {
		return m
	}
	// Ambiguous: others about as likely, by a kind or a shared part of a
	// name ("Storm Shell" is a jacket and rain pants).
	near := float32(0.75)
	if strongName {
		near = 0.9
	}
	var alts []int
	for _, c := range ok[1:] {
		if c.score >= near*top.score && len(alts) < maxAlternatives {
			alts = append(alts, c.p)
		}
	}
	if len(alts) == 0 {
		return m
	}
	if !m.Constraint.IsZero() {
		// A colour or size only one of them has decides.
		var fit []int
		for _, p := range append([]int{top.p}, alts...) {
			if len(Matching(s.products[p], m.Constraint, commerce.Variant{})) > 0 {
				fit = append(fit, p)
			}
		}
		if len(fit) == 1 {
			m.Product = s.products[fit[0]]
			return m
		}
	}
	m.Ambiguous = true
	m.Confidence = min(m.Confidence, 0.5)
	for _, p := range alts {
		m.Alternatives = append(m.Alternatives, s.products[p])
	}
	return m
}

// refersBack reports whether a message (folded) that names no product is about
// the conversation's: it points back ("it", "this one", "这件") or asks
// only a colour, size, price or stock question, and is not about
// shipping, orders, returns or the like.
func refersBack(low string, c Constraint) bool {
	if aboutOther.MatchString(low) || dummyIt.MatchString(low) {
		return false
	}
	return pointsBack.MatchString(low) || !c.IsZero() || asksAttribute.MatchString(low)
}

// determiners before a kind make it one product rather than the kind
// ("can I return the rain jacket?", "那双靴子能退吗").
var (
	enDeterminers = []string{"the", "this", "that", "these", "those", "my", "your", "our", "his", "her", "their", "its"}
	zhDeterminers = []string{"这", "那", "我的", "我买的", "刚买的", "买的", "收到的"}
)

// specificKind reports whether a kind named in a message (folded, and its
// words) follows a determiner, in English with at most two words
// between ("the wool undies"), in Chinese within the three characters
// before it.
func specificKind(low string, words []string) bool {
	_, byWord, spans := kindsIn(words, low)
	for i, n := range byWord {
		if n == 0 || i > 0 && byWord[i-1] > 0 {
			continue
		}
		// "the wool undies": up to two words between.
		for k := i - 1; k >= max(0, i-3) && byWord[k] == 0; k-- {
			if slices.Contains(enDeterminers, words[k]) {
				return true
			}
		}
	}
	for _, sp := range spans {
		before := low[lang.RunesBefore(low, sp[0], 3):sp[0]]
		for _, d := range zhDeterminers {
			if strings.Contains(before, d) {
				return true
			}
		}
	}
	return false
}
