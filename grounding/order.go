package grounding

import "github.com/shopdesk/shopdesk/mention"

// orderClaim is an order number found at s[start:end]; id is the
// identifier ASCII-lowered, without the '#' that may start the claim.
type orderClaim struct {
	start, end int
	id         string
}

// findOrders returns the order numbers in s as package mention finds
// them in shoppers' messages: after an order cue ("order 1002", "order
// number is HL-100101", "订单号：1002"), after '#', or standalone
// letters-hyphen-digits identifiers ("SO-55321") not introduced as a
// SKU, tracking number or code. SKU-shaped identifiers, bare numbers,
// phone numbers, postcodes, dates and amounts are not order numbers.
func findOrders(s string) []orderClaim {
	var out []orderClaim
	for _, m := range mention.Find(s, nil) {
		if m.Kind == mention.Order {
			out = append(out, orderClaim{start: m.Start, end: m.End, id: asciiLower(m.Value)})
		}
	}
	return out
}
