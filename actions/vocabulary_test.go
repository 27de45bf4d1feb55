package actions

import (
	"context"
	"strings"
	"testing"

	"github.com/shopdesk/shopdesk/commerce"
	"github.com/shopdesk/shopdesk/conversation"
	"github.com/shopdesk/shopdesk/mention"
)

// addVocabulary gives the shop what issue 9's disagreements need: an
// order with a bare number, a product whose SKU looks like an order
// number, and a final-sale product exported Shopify-style, keyed by
// handle, with variant SKUs unrelated to it, in a delivered order.
func addVocabulary(shop *memShop) {
	shop.orders["12345"] = commerce.Order{ID: "12345", CustomerID: "C003", Email: "li.wei@example.com", Phone: "+86 138 0013 8000",
		Status: "delivered", PlacedAt: *at("2026-08-10T08:00:00Z"), DeliveredAt: at("2026-08-12T08:00:00Z"), Currency: "CNY",
		ShippingPostcode: "100101", Lines: []commerce.OrderLine{{SKU: "88231-BLK-9", Name: "Trail Runner — Black / 9", Qty: 1, UnitPrice: 399}}}
	shop.products = append(shop.products,
		commerce.Product{SKU: "HL-12345", Name: "Summit Daypack", PriceUSD: price(89), Stock: 3, Returnable: true},
		commerce.Product{SKU: "trail-runner", Name: "Trail Runner", PriceCNY: price(399), Stock: 6, FinalSale: true,
			Variants: []commerce.Variant{{SKU: "88231-BLK-9", Color: "black", Size: "9", Stock: 2}, {SKU: "88231-BLK-10", Color: "black", Size: "10", Stock: 4}}})
}

// TestReadsTheShopVocabulary pins what actions read from a message: the
// order number in every cue form and the proof beside it, never a SKU.
func TestReadsTheShopVocabulary(t *testing.T) {
	a, shop := newActions(t)
	addVocabulary(shop)
	for _, tc := range []struct {
		msg, order, proof string
	}{
		{"My order is 12345", "12345", ""}, // the old pattern needed "order 12345"
		{"order number is 12345, email Li.Wei@example.com", "12345", "li.wei@example.com"},
		{"#12345 phone 138 0013 8000", "12345", "13800138000"},
		{"订单号12345，手机 +86 138-0013-8000", "12345", "+8613800138000"},
		{"订单 12345 邮编 100101", "12345", "100101"},
		{"Is SKU HL-12345 in stock?", "", ""}, // the old pattern took the SKU for an order number
		{"Is HL-12345 in stock?", "", ""},     // the catalog knows it
		{"Where is HL-100101? 89501", "HL-100101", "89501"},
	} {
		t.Run(tc.msg, func(t *testing.T) {
			req := Request{Tenant: "shop", Message: tc.msg}
			a.read(context.Background(), &req)
			if got := req.found.First(mention.Order); got != tc.order {
				t.Errorf("order number %q, want %q", got, tc.order)
			}
			if got := proofIn(req.found); got != tc.proof {
				t.Errorf("proof %q, want %q", got, tc.proof)
			}
		})
	}
}

func TestOrderNumberForms(t *testing.T) {
	a, shop := newActions(t)
	addVocabulary(shop)
	for i, msg := range []string{
		"Where is my order? My order is 12345, email li.wei@example.com",
		"订单到哪了？订单号12345，手机 138 0013 8000",
		"order status: #12345, postcode 100101",
	} {
		t.Run(msg, func(t *testing.T) {
			c := &conversation.Conversation{ID: "forms" + string(rune('a'+i)), Tenant: "shop"}
			res := turn(t, a, c, "en", msg)
			if len(res.Facts) != 1 || res.Facts[0].ID != "order:12345" {
				t.Fatalf("verified lookup of order 12345: %+v", res)
			}
		})
	}
}

func TestProductBySKUAndVariant(t *testing.T) {
	a, shop := newActions(t)
	addVocabulary(shop)
	for _, tc := range []struct{ msg, want string }{
		{"Is SKU HL-12345 in stock?", "Summit Daypack"},
		{"is hl-12345 in stock?", "Summit Daypack"},           // the old lookup was case-sensitive
		{"do you have 88231-BLK-10 in stock", "Trail Runner"}, // a variant SKU its product's does not prefix
		{"Is HL-JKT-001-BLK-M in stock?", "Storm Shell Waterproof Jacket"},
	} {
		t.Run(tc.msg, func(t *testing.T) {
			res := turn(t, a, &conversation.Conversation{ID: "sku", Tenant: "shop"}, "en", tc.msg)
			if res.Intent != ProductLookup || !strings.HasPrefix(res.Text, tc.want) {
				t.Errorf("%q: %+v, want the %s", tc.msg, res, tc.want)
			}
		})
	}
}

// TestFinalSaleThroughVariant: a final-sale product whose variant SKUs
// are unrelated to its own is refused (the old prefix lookup found no
// product and let it through).
func TestFinalSaleThroughVariant(t *testing.T) {
	a, shop := newActions(t)
	addVocabulary(shop)
	c := &conversation.Conversation{ID: "fs", Tenant: "shop", CustomerID: "C003"}
	turn(t, a, c, "en", "I want to return something from order 12345")
	res := turn(t, a, c, "en", "the 88231-blk-9") // a SKU in another case than the order's
	if !strings.Contains(res.Text, "can't be returned") || len(res.Facts) != 1 || !strings.Contains(res.Facts[0].Text, "Final sale") {
		t.Errorf("final-sale variant: %+v", res)
	}
}
