package recommend

import "github.com/shopdesk/shopdesk/commerce"

// stats are the shop-wide order statistics a recommendation needs, kept
// so that what was bought with a product is read from the baskets that
// hold it rather than from every order.
type stats struct {
	// orders[i] is the number of purchase orders containing product i;
	// max is the largest.
	orders []int
	max    int
	// basket b of the purchase orders with two or more products is
	// items[start[b]:start[b+1]], its distinct products.
	start, items []int32
	// holding[i] lists the baskets that contain product i.
	holding [][]int32
}

// orderStats counts, over the purchase orders, how many contain each
// product, and keeps their baskets.
func (s *Shop) orderStats(orders []commerce.Order) stats {
	st := stats{orders: make([]int, len(s.products)), start: []int32{0}, holding: make([][]int32, len(s.products))}
	var buf []int
	for _, o := range orders {
		if !counts(o) {
			continue
		}
		buf = s.orderProducts(buf, o)
		for _, i := range buf {
			st.orders[i]++
			st.max = max(st.max, st.orders[i])
		}
		if len(buf) < 2 {
			continue
		}
		b := int32(len(st.start) - 1)
		for _, i := range buf {
			st.items = append(st.items, int32(i))
			st.holding[i] = append(st.holding[i], b)
		}
		st.start = append(st.start, int32(len(st.items)))
	}
	return st
}

// with counts, for each product bought together with product p, the
// purchase orders containing both.
func (st *stats) with(p int) map[int]int {
	if len(st.holding[p]) == 0 {
		return nil
	}
	m := make(map[int]int)
	for _, b := range st.holding[p] {
		for _, i := range st.items[st.start[b]:st.start[b+1]] {
			if int(i) != p {
				m[int(i)]++
			}
		}
	}
	return m
}
