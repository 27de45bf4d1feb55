package recommend

import (
	"sort"
	"strings"

	"github.com/shopdesk/shopdesk/commerce"
)

// catalog indexes a tenant's products for one recommendation: SKU
// resolution, categories, related lists and order statistics all refer to
// a product by its position in products.
type catalog struct {
	products []commerce.Product
	// bySKU maps upper-cased product and variant SKUs to their product;
	// a product's own SKU wins over another's variant with the same SKU.
	bySKU      map[string]int
	byCategory map[string][]int
}

// newCatalog indexes ps. Products without a SKU are dropped, and of two
// products with the same SKU the first wins, so every index names exactly
// one product that exists.
func newCatalog(ps []commerce.Product) *catalog {
	variants := 0
	for _, p := range ps {
		variants += len(p.Variants)
	}
	c := &catalog{
		products:   make([]commerce.Product, 0, len(ps)),
		bySKU:      make(map[string]int, len(ps)+variants),
		byCategory: make(map[string][]int),
	}
	for _, p := range ps {
		key := strings.ToUpper(strings.TrimSpace(p.SKU))
		if key == "" {
			continue
		}
		if _, dup := c.bySKU[key]; dup {
			continue
		}
		i := len(c.products)
		c.products = append(c.products, p)
		c.bySKU[key] = i
		if cat := categoryKey(p); cat != "" {
			c.byCategory[cat] = append(c.byCategory[cat], i)
		}
	}
	for i, p := range c.products {
		for _, v := range p.Variants {
			vk := strings.ToUpper(strings.TrimSpace(v.SKU))
			if _, taken := c.bySKU[vk]; vk != "" && !taken {
				c.bySKU[vk] = i
			}
		}
	}
	return c
}

func categoryKey(p commerce.Product) string {
	return strings.ToLower(strings.TrimSpace(p.Category))
}

// resolve maps a product or variant SKU to its product, case-insensitively:
// an exact product or variant SKU first, then the longest product SKU that
// is a prefix of sku ending at a '-' ("HL-JKT-001-BLU-M" → "HL-JKT-001").
// It reports false for SKUs the catalog does not have.
func (c *catalog) resolve(sku string) (int, bool) {
	if i, ok := c.bySKU[sku]; ok {
		return i, true // the common case: an exact, already upper-case SKU
	}
	s := strings.ToUpper(strings.TrimSpace(sku))
	if s == "" {
		return 0, false
	}
	if i, ok := c.bySKU[s]; ok {
		return i, true
	}
	for {
		cut := strings.LastIndexByte(s, '-')
		if cut <= 0 {
			return 0, false
		}
		s = s[:cut]
		if i, ok := c.bySKU[s]; ok {
			return i, true
		}
	}
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
func (c *catalog) orderProducts(dst []int, o commerce.Order) []int {
	dst = dst[:0]
next:
	for _, l := range o.Lines {
		i, ok := c.resolve(l.SKU)
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
func (c *catalog) purchases(history []commerce.Order) []purchase {
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
		buf = c.orderProducts(buf, o)
		for _, i := range buf {
			if !seen[i] {
				seen[i] = true
				out = append(out, purchase{product: i, rank: rank})
			}
		}
	}
	return out
}

// stats are the shop-wide order statistics a recommendation needs.
type stats struct {
	// orders[i] is the number of purchase orders containing product i.
	orders []int
	max    int
	// with[s][c] is the number of purchase orders containing both seed
	// product s and product c.
	with map[int]map[int]int
}

// orderStats counts, over the purchase orders, how many contain each
// product and, for each seed product, which products were bought with it.
func (c *catalog) orderStats(orders []commerce.Order, seed []bool) stats {
	st := stats{orders: make([]int, len(c.products)), with: make(map[int]map[int]int)}
	var buf []int
	for _, o := range orders {
		if !counts(o) {
			continue
		}
		buf = c.orderProducts(buf, o)
		for _, i := range buf {
			st.orders[i]++
			if st.orders[i] > st.max {
				st.max = st.orders[i]
			}
		}
		if len(buf) < 2 || seed == nil {
			continue
		}
		for _, s := range buf {
			if !seed[s] {
				continue
			}
			m := st.with[s]
			if m == nil {
				m = make(map[int]int)
				st.with[s] = m
			}
			for _, other := range buf {
				if other != s {
					m[other]++
				}
			}
		}
	}
	return st
}
