package recommend

import (
	"sort"
	"strings"
	"sync"

	"github.com/shopdesk/shopdesk/catalog"
	"github.com/shopdesk/shopdesk/commerce"
)

// Shop is a tenant's catalog and order statistics prepared for many
// recommendations. Build it once per catalog snapshot and set of orders
// (package catalog's Cache keeps one per tenant); then a recommendation
// costs what the shopper's own history and interests need, not a pass
// over every order. It is safe for concurrent use.
//
// Products are referred to by their position in the snapshot.
type Shop struct {
	snap       *catalog.Snapshot
	products   []commerce.Product
	byCategory map[string][]int
	// reverse lists, for each product, the products whose Related list
	// names it, in catalog order.
	reverse [][]int
	st      stats

	textOnce sync.Once
	text     *textIndex // built on the first interest in free text
}

// Prepare builds a Shop over snap and orders, every order of the tenant
// (cancelled ones are ignored).
func Prepare(snap *catalog.Snapshot, orders []commerce.Order) *Shop {
	s := &Shop{snap: snap, products: snap.Products(), byCategory: make(map[string][]int)}
	for i, p := range s.products {
		if cat := categoryKey(p); cat != "" {
			s.byCategory[cat] = append(s.byCategory[cat], i)
		}
	}
	s.reverse = make([][]int, len(s.products))
	for i, p := range s.products {
		for _, sku := range p.Related {
			if j, ok := snap.Index(sku); ok && j != i {
				s.reverse[j] = append(s.reverse[j], i)
			}
		}
	}
	s.st = s.orderStats(orders)
	return s
}

// Snapshot is the catalog s was prepared over; the SKUs of its
// recommendations resolve there.
func (s *Shop) Snapshot() *catalog.Snapshot { return s.snap }

// textIndex returns the index of the products' text, building it once.
func (s *Shop) textIndex() *textIndex {
	s.textOnce.Do(func() { s.text = newTextIndex(s.products) })
	return s.text
}

func categoryKey(p commerce.Product) string {
	return strings.ToLower(strings.TrimSpace(p.Category))
}

// inStock reports whether p can be sold now: stock on the product and, if
// it has variants, on at least one of them.
func inStock(p commerce.Product) bool {
	if p.Stock <= 0 {
		return false
	}
	if len(p.Variants) == 0 {
		return true
	}
	for _, v := range p.Variants {
		if v.Stock > 0 {
			return true
		}
	}
	return false
}

// counts reports whether an order is a purchase: cancelled orders were
// never bought, so they feed neither history nor statistics. Returned
// orders still count: the shopper chose the product and already has
// (or had) it.
func counts(o commerce.Order) bool {
	return !strings.EqualFold(o.Status, commerce.StatusCancelled)
}

// orderProducts appends to dst the distinct catalog products of o's lines,
// in line order; lines the catalog does not know are skipped.
func (s *Shop) orderProducts(dst []int, o commerce.Order) []int {
	dst = dst[:0]
next:
	for _, l := range o.Lines {
		i, ok := s.snap.Index(l.SKU)
		if !ok {
			continue
		}
		for _, j := range dst {
			if j == i {
				continue next
			}
		}
		dst = append(dst, i)
	}
	return dst
}

// purchase is a product the customer bought and how recently: rank 0 is
// their newest order.
type purchase struct {
	product int
	rank    int
}

// purchases lists the distinct products of history, newest order first,
// each with the rank of the newest order that contains it.
func (s *Shop) purchases(history []commerce.Order) []purchase {
	orders := make([]commerce.Order, 0, len(history))
	for _, o := range history {
		if counts(o) {
			orders = append(orders, o)
		}
	}
	sort.SliceStable(orders, func(a, b int) bool {
		if !orders[a].PlacedAt.Equal(orders[b].PlacedAt) {
			return orders[a].PlacedAt.After(orders[b].PlacedAt)
		}
		return orders[a].ID > orders[b].ID
	})
	seen := make(map[int]bool)
	var out []purchase
	var buf []int
	for rank, o := range orders {
		buf = s.orderProducts(buf, o)
		for _, i := range buf {
			if !seen[i] {
				seen[i] = true
				out = append(out, purchase{product: i, rank: rank})
			}
		}
	}
	return out
}
