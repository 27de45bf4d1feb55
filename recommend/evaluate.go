package recommend

import (
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/shopdesk/shopdesk/catalog"
	"github.com/shopdesk/shopdesk/commerce"
)

// Report is the outcome of an offline evaluation: how often the hidden
// last purchase is among the top K of Recommend and of the Popular
// baseline.
type Report struct {
	// K is the cut-off of hit rate@K.
	K int `json:"k"`
	// Customers is the number of customers evaluated.
	Customers int `json:"customers"`
	// Skipped counts customers with at least two orders whose last order
	// holds only products they had bought before, so there was nothing new
	// to predict.
	Skipped int `json:"skipped"`
	// RecommendHits and PopularHits count the customers for whom at least
	// one hidden product was in the top K.
	RecommendHits int `json:"recommend_hits"`
	PopularHits   int `json:"popular_hits"`
	// RecommendHitRate and PopularHitRate are the hits over Customers.
	RecommendHitRate float64 `json:"recommend_hit_rate"`
	PopularHitRate   float64 `json:"popular_hit_rate"`
}

// ErrNothingToEvaluate reports orders in which no customer has a last
// purchase to hide.
var ErrNothingToEvaluate = errors.New("no customer has two orders with something new in the last")

// Evaluate measures hit rate@k of Recommend against the Popular baseline
// by hiding each customer's last purchase. The protocol:
//
//   - Cancelled orders are dropped. A customer is the order's CustomerID,
//     or its e-mail when there is none; orders with neither are only
//     statistics.
//   - Every customer with at least two orders is evaluated: their last
//     order by PlacedAt (ties by order ID) is hidden, the earlier ones are
//     their history. The products to predict are those of the hidden
//     order they had not bought before (a repeat cannot be recommended);
//     if there are none the customer is skipped.
//   - Both methods see the same input: the history, no interests, and
//     every order of the shop except the hidden one, so the hidden basket
//     cannot leak into co-purchase or popularity counts.
//   - Stock is ignored for both methods: the catalog's stock is today's,
//     and the hidden product may have sold out since it was bought.
//   - A hit is any hidden product among the top k.
//
// It returns an error for k < 1 and ErrNothingToEvaluate when no customer
// qualifies.
func Evaluate(products []commerce.Product, orders []commerce.Order, k int) (Report, error) {
	return evaluate(products, orders, k, false)
}

// evaluate is Evaluate; with past set, each customer's statistics use only
// the orders placed before the hidden one (what the shop knew at the
// time), a stricter protocol reported alongside in the tests.
func evaluate(products []commerce.Product, orders []commerce.Order, k int, past bool) (Report, error) {
	if k < 1 {
		return Report{}, fmt.Errorf("evaluate: k is %d, want at least 1", k)
	}
	snap := catalog.New(products)
	c := &Shop{snap: snap, products: snap.Products()} // for orderProducts
	byCustomer := make(map[string][]int)
	for i, o := range orders {
		if !counts(o) {
			continue
		}
		if key := customerKey(o); key != "" {
			byCustomer[key] = append(byCustomer[key], i)
		}
	}
	keys := make([]string, 0, len(byCustomer))
	for key, idx := range byCustomer {
		if len(idx) >= 2 {
			keys = append(keys, key)
		}
	}
	sort.Strings(keys)

	r := Report{K: k}
	var buf []int
	for _, key := range keys {
		idx := byCustomer[key]
		sort.SliceStable(idx, func(a, b int) bool {
			oa, ob := orders[idx[a]], orders[idx[b]]
			if !oa.PlacedAt.Equal(ob.PlacedAt) {
				return oa.PlacedAt.Before(ob.PlacedAt)
			}
			return oa.ID < ob.ID
		})
		hiddenAt := idx[len(idx)-1]
		hidden := orders[hiddenAt]
		history := make([]commerce.Order, 0, len(idx)-1)
		before := make(map[int]bool)
		for _, i := range idx[:len(idx)-1] {
			history = append(history, orders[i])
			for _, p := range c.orderProducts(buf, orders[i]) {
				before[p] = true
			}
		}
		want := make(map[string]bool)
		for _, p := range c.orderProducts(buf, hidden) {
			if !before[p] {
				want[c.products[p].SKU] = true
			}
		}
		if len(want) == 0 {
			r.Skipped++
			continue
		}
		known := make([]commerce.Order, 0, len(orders))
		for i, o := range orders {
			if i == hiddenAt || (past && !o.PlacedAt.Before(hidden.PlacedAt)) {
				continue
			}
			known = append(known, o)
		}
		shop, q := Prepare(snap, known), Query{History: history, K: k}
		r.Customers++
		if hit(shop.rank(q, true), want) {
			r.RecommendHits++
		}
		if hit(shop.popular(q, true), want) {
			r.PopularHits++
		}
	}
	if r.Customers == 0 {
		return r, ErrNothingToEvaluate
	}
	r.RecommendHitRate = float64(r.RecommendHits) / float64(r.Customers)
	r.PopularHitRate = float64(r.PopularHits) / float64(r.Customers)
	return r, nil
}

// customerKey identifies an order's customer: the customer ID, or the
// lower-cased e-mail for guest orders.
func customerKey(o commerce.Order) string {
	if id := strings.TrimSpace(o.CustomerID); id != "" {
		return "id:" + id
	}
	if e := strings.ToLower(strings.TrimSpace(o.Email)); e != "" {
		return "email:" + e
	}
	return ""
}

func hit(recs []Recommendation, want map[string]bool) bool {
	for _, r := range recs {
		if want[r.SKU] {
			return true
		}
	}
	return false
}
