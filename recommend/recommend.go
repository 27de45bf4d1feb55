// Package recommend suggests catalog products to a shopper from their
// purchase history, the interests they expressed in the conversation and
// the shop's orders (often bought together, the catalog's related lists,
// same category), each with a one-line reason.
//
// It is pure computation over values the caller fetched, with no I/O and
// safe for concurrent use: Prepare indexes a tenant's catalog snapshot and
// orders once into a Shop that serves many recommendations, and
// Recommend and Popular do both for one-off calls. Only products in the
// given catalog are ever recommended, only in stock, never one the
// shopper already bought, and the ordering is deterministic (equal
// scores by SKU).
package recommend

import (
	"math"
	"sort"
	"strings"
	"unicode"

	"github.com/shopdesk/shopdesk/catalog"
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

// Query is one shopper's side of a recommendation: Input without the
// shop's catalog and orders, which a Shop holds.
type Query struct {
	History   []commerce.Order
	Interests []string
	Language  string
	K         int
}

// DefaultK is the number of results when K is not set.
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
	return in.shop().rank(in.query(), false)
}

// Recommend is the package's Recommend over s's catalog and orders.
func (s *Shop) Recommend(q Query) []Recommendation {
	return s.rank(q, false)
}

// Popular is the package's Popular over s's catalog and orders.
func (s *Shop) Popular(q Query) []Recommendation {
	return s.popular(q, false)
}

func (in Input) shop() *Shop { return Prepare(catalog.New(in.Catalog), in.Orders) }

func (in Input) query() Query {
	return Query{History: in.History, Interests: in.Interests, Language: in.Language, K: in.K}
}

// Popular is the baseline recommender: the in-stock products in the most
// orders that the customer has not bought, ignoring interests. Score is
// the number of orders containing the product; products nobody ordered
// are not returned.
func Popular(in Input) []Recommendation {
	return in.shop().popular(in.query(), false)
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
func (s *Shop) rank(q Query, anyStock bool) []Recommendation {
	n := len(s.products)
	if n == 0 {
		return nil
	}
	excluded := make([]bool, n)
	var sources []source
	for _, p := range s.purchases(q.History) {
		excluded[p.product] = true
		sources = append(sources, source{product: p.product, weight: 1 / float64(1+p.rank)})
	}
	asked, texts := s.interests(q.Interests)
	for _, a := range asked {
		excluded[a.product] = true
		sources = append(sources, a)
	}

	cands := make([]candidate, n)
	for _, src := range sources {
		s.scoreSource(cands, src)
	}
	if len(texts) > 0 {
		x := s.textIndex()
		for _, t := range texts {
			for i, m := range x.match(t.text) {
				cands[i].add(weightInterest*t.weight*m.score, signalInterest, -1, m.term)
			}
		}
	}
	if st := &s.st; st.max > 0 {
		for i := range cands {
			cands[i].add(weightPopular*float64(st.orders[i])/float64(st.max), signalPopular, -1, "")
		}
	}

	var ranked []scoredProduct
	for i, cd := range cands {
		if excluded[i] || cd.score <= 0 || !(anyStock || inStock(s.products[i])) {
			continue
		}
		ranked = append(ranked, scoredProduct{product: i, score: round(cd.score)})
	}
	ranked = s.top(ranked, q.K)
	if len(ranked) == 0 {
		return nil
	}
	zh := chinese(q.Language)
	out := make([]Recommendation, len(ranked))
	for j, r := range ranked {
		cd := cands[r.product]
		subject := cd.term
		if cd.sig != signalInterest && cd.sig != signalPopular {
			subject = displayName(s.products[cd.from], zh)
		}
		out[j] = Recommendation{
			SKU:    s.products[r.product].SKU,
			Name:   displayName(s.products[r.product], zh),
			Reason: reason(cd.sig, oneLine(subject, 40), zh),
			Score:  r.score,
		}
	}
	return out
}

// scoreSource adds what source src says about every other product.
func (s *Shop) scoreSource(cands []candidate, src source) {
	co, rel, cat, catWeight := signalBoughtWithPurchase, signalRelatedPurchase, signalCategoryPurchase, weightCategoryPurchase
	if src.asked {
		co, rel, cat, catWeight = signalBoughtWithAsked, signalRelatedAsked, signalCategoryAsked, weightCategoryAsked
	}
	if total := s.st.orders[src.product]; total > 0 {
		for other, both := range s.st.with(src.product) {
			cands[other].add(weightCoPurchase*src.weight*float64(both)/float64(total), co, src.product, "")
		}
	}
	linked := map[int]bool{src.product: true}
	for _, sku := range s.products[src.product].Related {
		if i, ok := s.snap.Index(sku); ok && !linked[i] {
			linked[i] = true
			cands[i].add(weightRelated*src.weight, rel, src.product, "")
		}
	}
	for _, i := range s.reverse[src.product] {
		if !linked[i] {
			linked[i] = true
			cands[i].add(weightRelatedReverse*src.weight, rel, src.product, "")
		}
	}
	if key := categoryKey(s.products[src.product]); key != "" {
		for _, i := range s.byCategory[key] {
			if i != src.product {
				cands[i].add(catWeight*src.weight, cat, src.product, "")
			}
		}
	}
}

// interests splits the conversation's interests into products asked about
// (any whitespace-separated word that is a product or variant SKU) and the
// remaining free text, each weighted by recency.
func (s *Shop) interests(in []string) ([]source, []textInterest) {
	var asked []source
	var texts []textInterest
	seen := make(map[int]bool)
	for i, text := range in {
		w := math.Max(0.5, 1-0.05*float64(i))
		var rest []string
		for _, word := range strings.Fields(text) {
			sku := strings.TrimFunc(word, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
			if p, ok := s.snap.Index(sku); ok {
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
func (s *Shop) popular(q Query, anyStock bool) []Recommendation {
	if len(s.products) == 0 {
		return nil
	}
	bought := make([]bool, len(s.products))
	for _, p := range s.purchases(q.History) {
		bought[p.product] = true
	}
	var ranked []scoredProduct
	for i, p := range s.products {
		if !bought[i] && s.st.orders[i] > 0 && (anyStock || inStock(p)) {
			ranked = append(ranked, scoredProduct{product: i, score: float64(s.st.orders[i])})
		}
	}
	ranked = s.top(ranked, q.K)
	if len(ranked) == 0 {
		return nil
	}
	zh := chinese(q.Language)
	out := make([]Recommendation, len(ranked))
	for j, r := range ranked {
		out[j] = Recommendation{
			SKU:    s.products[r.product].SKU,
			Name:   displayName(s.products[r.product], zh),
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

// top returns the first k of ps (DefaultK when k ≤ 0) by score, then
// SKU, best first. It selects rather than sorts: ps may hold most of the
// catalog, k a handful.
func (s *Shop) top(ps []scoredProduct, k int) []scoredProduct {
	if k <= 0 {
		k = DefaultK
	}
	better := func(a, b scoredProduct) bool {
		if a.score != b.score {
			return a.score > b.score
		}
		return s.products[a.product].SKU < s.products[b.product].SKU
	}
	best := make([]scoredProduct, 0, min(k, len(ps)))
	for _, p := range ps {
		if len(best) == k && !better(p, best[k-1]) {
			continue
		}
		i := sort.Search(len(best), func(i int) bool { return better(p, best[i]) })
		if len(best) < k {
			best = append(best, scoredProduct{})
		}
		copy(best[i+1:], best[i:len(best)-1])
		best[i] = p
	}
	return best
}

// round keeps four decimals, so that sums differing only in floating-point
// noise tie and fall back to the SKU order.
func round(x float64) float64 { return math.Round(x*1e4) / 1e4 }
