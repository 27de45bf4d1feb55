// Package recommend suggests catalog products to a shopper from their
// purchase history, the interests they expressed in the conversation and
// the shop's orders (often bought together, the catalog's related lists,
// same category), each with a one-line reason.
//
// It is pure computation over values the caller fetched: no I/O, no
// state, safe for concurrent use. Only products in the given catalog are
// ever recommended, only in stock, never one the shopper already bought,
// and the ordering is deterministic (equal scores by SKU).
package recommend

import (
	"math"
	"sort"
	"strings"
	"unicode"

	"github.com/shopdesk/shopdesk/commerce"
)

// Recommendation is one suggested product.
type Recommendation struct {
	// SKU is the product's (not a variant's) SKU, as in the catalog.
	SKU string `json:"sku"`
	// Name is the product's name in the requested language.
	Name string `json:"name"`
	// Reason is one line in the requested language naming the strongest
	// signal and where it comes from, e.g. "Often bought with your Cove 2
	// Backpacking Tent".
	Reason string `json:"reason"`
	// Score orders the results, higher first; it is comparable only
	// within one call.
	Score float64 `json:"score"`
}

// Input is everything a recommendation is computed from.
type Input struct {
	// Catalog is the tenant's whole catalog; nothing outside it is ever
	// recommended.
	Catalog []commerce.Product
	// Orders is every order of the tenant, for "often bought together"
	// and popularity. Cancelled orders are ignored.
	Orders []commerce.Order
	// History is this customer's orders; empty for anonymous shoppers.
	// Its products are never recommended. Cancelled orders are ignored.
	History []commerce.Order
	// Interests are product or variant SKUs, or free text ("tent",
	// "waterproof", "我想买个帐篷"), from the conversation, most recent
	// first. Products named by SKU are what the shopper is looking at:
	// they seed similar and complementary products and are not
	// themselves recommended.
	Interests []string
	// Language is "zh" for Chinese names and reasons; anything else
	// gets English.
	Language string
	// K is the most results to return; 0 or less means 5.
	K int
}

// DefaultK is the number of results when Input.K is not set.
const DefaultK = 5

// Signal weights. Each signal is scaled to [0, 1] per source before its
// weight applies, so the weights compare directly.
//
//   - Interest text (3.0): what the shopper asks for now is the most
//     direct evidence there is; a full match must beat anything inferred
//     from older purchases.
//   - Co-purchase (2.0 × P(candidate | source), over the shop's orders):
//     what shoppers actually put in one basket; behavioural, so it beats
//     editorial links when the data exists.
//   - Related list (1.5, or 0.75 when only the candidate lists the
//     source): the merchant's curated complements; strong, but written
//     once and not checked against demand.
//   - Same category (1.0 from a product asked about, 0.3 from a purchase):
//     for a product being looked at, same-category products are the
//     alternatives the shopper is weighing; after a purchase they are
//     substitutes for something the shopper now owns, so they count little.
//   - Popularity (0.1 × orders / most orders of any product): a tie-breaker
//     among otherwise equal candidates, and the only reason left for a
//     shopper with no history and no interests.
//
// A source's weight is 1/(1+r) for a purchase in the customer's r-th
// newest order (the latest purchase says most about the next), and 1.25
// for a product asked about, decaying by 5% per older interest down to
// half. The weights were set from these arguments before measuring; see
// TestDemoHitRate for what they achieve.
const (
	weightInterest         = 3.0
	weightCoPurchase       = 2.0
	weightRelated          = 1.5
	weightRelatedReverse   = 0.75
	weightCategoryAsked    = 1.0
	weightCategoryPurchase = 0.3
	weightPopular          = 0.1
	weightAsked            = 1.25
)

// Recommend returns up to K in-stock catalog products for the shopper in,
// best first, each with a reason in in.Language. It returns nil when
// nothing qualifies: an empty catalog, or no signal at all (no history,
// no interests, no orders) — it never pads with products it has no
// reason for.
func Recommend(in Input) []Recommendation {
	return rank(in, false)
}

// Popular is the baseline recommender: the in-stock products in the most
// orders that the customer has not bought, ignoring interests. Score is
// the number of orders containing the product; products nobody ordered
// are not returned.
func Popular(in Input) []Recommendation {
	return popular(in, false)
}

// source is a product a recommendation can come from: one the customer
// bought or one they asked about.
type source struct {
	product int
	weight  float64
	asked   bool
}

// textInterest is the free text of one interest and its recency weight.
type textInterest struct {
	text   string
	weight float64
}

// candidate accumulates a product's score and remembers its single
// strongest contribution for the reason.
type candidate struct {
	score float64
	best  float64
	sig   signal
	from  int
	term  string
}

func (c *candidate) add(v float64, sig signal, from int, term string) {
	if v <= 0 {
		return
	}
	c.score += v
	if v > c.best {
		c.best, c.sig, c.from, c.term = v, sig, from, term
	}
}

// rank is Recommend; anyStock disables the stock filter for offline
// evaluation, where today's stock says nothing about the past.
func rank(in Input, anyStock bool) []Recommendation {
	c := newCatalog(in.Catalog)
	n := len(c.products)
	if n == 0 {
		return nil
	}
	excluded := make([]bool, n)
	isSource := make([]bool, n)
	var sources []source
	for _, p := range c.purchases(in.History) {
		excluded[p.product], isSource[p.product] = true, true
		sources = append(sources, source{product: p.product, weight: 1 / float64(1+p.rank)})
	}
	asked, texts := c.interests(in.Interests)
	for _, a := range asked {
		excluded[a.product], isSource[a.product] = true, true
		sources = append(sources, a)
	}
	st := c.orderStats(in.Orders, isSource)

	cands := make([]candidate, n)
	reverse := c.reverseRelated()
	for _, s := range sources {
		c.scoreSource(cands, s, st, reverse)
	}
	if len(texts) > 0 {
		x := newTextIndex(c.products)
		for _, t := range texts {
			for i, m := range x.match(t.text) {
				cands[i].add(weightInterest*t.weight*m.score, signalInterest, -1, m.term)
			}
		}
	}
	if st.max > 0 {
		for i := range cands {
			cands[i].add(weightPopular*float64(st.orders[i])/float64(st.max), signalPopular, -1, "")
		}
	}

	var ranked []scoredProduct
	for i, cd := range cands {
		if excluded[i] || cd.score <= 0 || !(anyStock || inStock(c.products[i])) {
			continue
		}
		ranked = append(ranked, scoredProduct{product: i, score: round(cd.score)})
	}
	ranked = c.top(ranked, in.K)
	if len(ranked) == 0 {
		return nil
	}
	zh := chinese(in.Language)
	out := make([]Recommendation, len(ranked))
	for j, r := range ranked {
		cd := cands[r.product]
		subject := cd.term
		if cd.sig != signalInterest && cd.sig != signalPopular {
			subject = displayName(c.products[cd.from], zh)
		}
		out[j] = Recommendation{
			SKU:    c.products[r.product].SKU,
			Name:   displayName(c.products[r.product], zh),
			Reason: reason(cd.sig, oneLine(subject, 40), zh),
			Score:  r.score,
		}
	}
	return out
}

// scoreSource adds what source s says about every other product.
func (c *catalog) scoreSource(cands []candidate, s source, st stats, reverse [][]int) {
	co, rel, cat, catWeight := signalBoughtWithPurchase, signalRelatedPurchase, signalCategoryPurchase, weightCategoryPurchase
	if s.asked {
		co, rel, cat, catWeight = signalBoughtWithAsked, signalRelatedAsked, signalCategoryAsked, weightCategoryAsked
	}
	if total := st.orders[s.product]; total > 0 {
		for other, both := range st.with[s.product] {
			cands[other].add(weightCoPurchase*s.weight*float64(both)/float64(total), co, s.product, "")
		}
	}
	linked := map[int]bool{s.product: true}
	for _, sku := range c.products[s.product].Related {
		if i, ok := c.resolve(sku); ok && !linked[i] {
			linked[i] = true
			cands[i].add(weightRelated*s.weight, rel, s.product, "")
		}
	}
	for _, i := range reverse[s.product] {
		if !linked[i] {
			linked[i] = true
			cands[i].add(weightRelatedReverse*s.weight, rel, s.product, "")
		}
	}
	if key := categoryKey(c.products[s.product]); key != "" {
		for _, i := range c.byCategory[key] {
			if i != s.product {
				cands[i].add(catWeight*s.weight, cat, s.product, "")
			}
		}
	}
}

// reverseRelated lists, for each product, the products whose Related list
// names it, in catalog order. Related SKUs the catalog lacks are dropped.
func (c *catalog) reverseRelated() [][]int {
	out := make([][]int, len(c.products))
	for i, p := range c.products {
		for _, sku := range p.Related {
			if j, ok := c.resolve(sku); ok && j != i {
				out[j] = append(out[j], i)
			}
		}
	}
	return out
}

// interests splits the conversation's interests into products asked about
// (any whitespace-separated word that is a product or variant SKU) and the
// remaining free text, each weighted by recency.
func (c *catalog) interests(in []string) ([]source, []textInterest) {
	var asked []source
	var texts []textInterest
	seen := make(map[int]bool)
	for i, s := range in {
		w := math.Max(0.5, 1-0.05*float64(i))
		var rest []string
		for _, word := range strings.Fields(s) {
			sku := strings.TrimFunc(word, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
			if p, ok := c.resolve(sku); ok {
				if !seen[p] {
					seen[p] = true
					asked = append(asked, source{product: p, weight: weightAsked * w, asked: true})
				}
				continue
			}
			rest = append(rest, word)
		}
		if len(rest) > 0 {
			texts = append(texts, textInterest{text: strings.Join(rest, " "), weight: w})
		}
	}
	return asked, texts
}

// popular is Popular; anyStock as for rank.
func popular(in Input, anyStock bool) []Recommendation {
	c := newCatalog(in.Catalog)
	if len(c.products) == 0 {
		return nil
	}
	bought := make([]bool, len(c.products))
	for _, p := range c.purchases(in.History) {
		bought[p.product] = true
	}
	st := c.orderStats(in.Orders, nil)
	var ranked []scoredProduct
	for i, p := range c.products {
		if !bought[i] && st.orders[i] > 0 && (anyStock || inStock(p)) {
			ranked = append(ranked, scoredProduct{product: i, score: float64(st.orders[i])})
		}
	}
	ranked = c.top(ranked, in.K)
	if len(ranked) == 0 {
		return nil
	}
	zh := chinese(in.Language)
	out := make([]Recommendation, len(ranked))
	for j, r := range ranked {
		out[j] = Recommendation{
			SKU:    c.products[r.product].SKU,
			Name:   displayName(c.products[r.product], zh),
			Reason: reason(signalPopular, "", zh),
			Score:  r.score,
		}
	}
	return out
}

// scoredProduct is a candidate's final score.
type scoredProduct struct {
	product int
	score   float64
}

// top sorts ps by score, then SKU, and keeps the first k (DefaultK when
// k ≤ 0).
func (c *catalog) top(ps []scoredProduct, k int) []scoredProduct {
	if k <= 0 {
		k = DefaultK
	}
	sort.Slice(ps, func(a, b int) bool {
		if ps[a].score != ps[b].score {
			return ps[a].score > ps[b].score
		}
		return c.products[ps[a].product].SKU < c.products[ps[b].product].SKU
	})
	return ps[:min(k, len(ps))]
}

// round keeps four decimals, so that sums differing only in floating-point
// noise tie and fall back to the SKU order.
func round(x float64) float64 { return math.Round(x*1e4) / 1e4 }
