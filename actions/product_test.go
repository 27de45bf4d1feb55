package actions

import (
	"context"
	"strings"
	"testing"

	"github.com/shopdesk/shopdesk/catalog"
	"github.com/shopdesk/shopdesk/commerce"
	"github.com/shopdesk/shopdesk/conversation"
)

// addProducts gives the test shop products named partly, by kind and in
// Chinese: a second rain jacket, a tent, a down jacket.
func addProducts(shop *memShop) {
	shop.products = append(shop.products,
		commerce.Product{SKU: "HL-JKT-007", Name: "Coastal Packable Rain Jacket", NameZh: "海岸便携防雨夹克", PriceUSD: price(99), Stock: 9, Returnable: true,
			Variants: []commerce.Variant{{SKU: "HL-JKT-007-RED-M", Color: "red", Size: "M", Stock: 4}, {SKU: "HL-JKT-007-YEL-M", Color: "yellow", Size: "M", Stock: 5}}},
		commerce.Product{SKU: "HL-TNT-001", Name: "Cove 2 Backpacking Tent", NameZh: "海湾双人徒步帐篷", PriceUSD: price(299), Stock: 8, Returnable: true,
			Variants: []commerce.Variant{{SKU: "HL-TNT-001-GRN", Color: "green", Size: "One Size", Stock: 8}, {SKU: "HL-TNT-001-SND", Color: "sand", Size: "One Size"}}},
		commerce.Product{SKU: "HL-JKT-002", Name: "Ridgeline 800 Down Jacket", NameZh: "山脊800蓬羽绒服", PriceUSD: price(249), PriceCNY: price(1699), Stock: 30, Returnable: true,
			Variants: []commerce.Variant{{SKU: "HL-JKT-002-NVY-M", Color: "navy", Size: "M", Stock: 5}, {SKU: "HL-JKT-002-NVY-L", Color: "navy", Size: "L", Stock: 0},
				{SKU: "HL-JKT-002-BLK-L", Color: "black", Size: "L", Stock: 3}}},
	)
}

func TestProductLookupResolves(t *testing.T) {
	a, shop := newActions(t)
	addProducts(shop)
	for _, tc := range []struct {
		lang, msg, current string
		want               []string // in the reply
		remember           string   // the product of interest after the turn
	}{
		{"en", "Is the Cove tent still available?", "", []string{"Cove 2 Backpacking Tent (HL-TNT-001)", "8 in stock"}, "Cove 2 Backpacking Tent"},
		{"zh", "羽绒服多少钱", "", []string{"山脊800蓬羽绒服", "¥1699.00"}, "Ridgeline 800 Down Jacket"},
		{"en", "ridgline down jaket in navy?", "", []string{"Ridgeline 800 Down Jacket", "In navy, sizes in stock: M."}, "Ridgeline 800 Down Jacket"},
		{"en", "Do you have the Ridgeline in navy, size L?", "", []string{"navy / L (HL-JKT-002-NVY-L) is out of stock"}, "Ridgeline 800 Down Jacket"},
		{"zh", "山脊羽绒服有黑色L码吗", "", []string{"black / L（HL-JKT-002-BLK-L）：库存 3 件"}, "Ridgeline 800 Down Jacket"},
		{"en", "do you have it in green?", "Cove 2 Backpacking Tent", []string{"In green, sizes in stock: One Size."}, "Cove 2 Backpacking Tent"},
		{"en", "does the Cove tent come in purple?", "", []string{"It doesn't come in purple. In stock in green."}, "Cove 2 Backpacking Tent"},
	} {
		t.Run(tc.msg, func(t *testing.T) {
			c := &conversation.Conversation{ID: "p", Tenant: "shop", Details: conversation.Details{Product: tc.current}}
			// Straight to the lookup: which messages reach it is the
			// intent classifier's business.
			res, handled, err := a.productLookup(context.Background(), Request{Tenant: "shop", Language: tc.lang, Message: tc.msg, Conv: c})
			if err != nil || !handled {
				t.Fatalf("%q: handled %v, %v", tc.msg, handled, err)
			}
			for _, w := range tc.want {
				if !strings.Contains(res.Text, w) {
					t.Errorf("%q: %q lacks %q", tc.msg, res.Text, w)
				}
			}
			if c.Details.Product != tc.remember {
				t.Errorf("remembered %q, want %q", c.Details.Product, tc.remember)
			}
		})
	}
}

// TestProductLookupAsksWhichOne: a kind two products share is asked
// about, with each one cited, and nothing is remembered until the
// shopper says which.
func TestProductLookupAsksWhichOne(t *testing.T) {
	a, shop := newActions(t)
	addProducts(shop)
	c := &conversation.Conversation{ID: "which", Tenant: "shop"}
	res := turn(t, a, c, "en", "Do you have the rain jacket in green?")
	for _, w := range []string{"Which one do you mean: ", "Coastal Packable Rain Jacket (red, yellow) [1]", "Storm Shell Waterproof Jacket (blue, black) [2]", "None of them comes in green."} {
		if !strings.Contains(res.Text, w) {
			t.Errorf("%q lacks %q", res.Text, w)
		}
	}
	if len(res.Facts) != 2 || c.Details.Product != "" {
		t.Errorf("facts %d, remembered %q: want both products cited and none remembered", len(res.Facts), c.Details.Product)
	}
	res = turn(t, a, c, "en", "the Storm Shell one, is it in stock?")
	if !strings.HasPrefix(res.Text, "Storm Shell Waterproof Jacket (HL-JKT-001)") || c.Details.Product != "Storm Shell Waterproof Jacket" {
		t.Errorf("the answer to which one: %q, remembered %q", res.Text, c.Details.Product)
	}
	zh := turn(t, a, &conversation.Conversation{ID: "which-zh", Tenant: "shop"}, "zh", "防雨夹克有绿色吗")
	if !strings.HasPrefix(zh.Text, "请问您指的是哪一款：") || !strings.Contains(zh.Text, "这几款都没有绿色。") {
		t.Errorf("in Chinese: %q", zh.Text)
	}
}

// TestProductLookupSecondOpinion: with ProductSearch set, the knowledge
// index's product documents settle a kind the catalog cannot.
func TestProductLookupSecondOpinion(t *testing.T) {
	a, shop := newActions(t)
	addProducts(shop)
	var asked []string
	a.opts.ProductSearch = func(_ context.Context, tenant, query string, k int) ([]catalog.SearchHit, error) {
		asked = append(asked, tenant+": "+query)
		return []catalog.SearchHit{{ID: "HL-JKT-001", Title: "Storm Shell Waterproof Jacket", Score: 4}, {ID: "HL-JKT-007", Score: 1}}, nil
	}
	res := turn(t, a, &conversation.Conversation{ID: "idx", Tenant: "shop"}, "en", "how much is the rain jacket with pit zips?")
	if !strings.HasPrefix(res.Text, "Storm Shell Waterproof Jacket (HL-JKT-001)") || len(asked) != 1 || !strings.HasPrefix(asked[0], "shop: ") {
		t.Errorf("reply %q after searches %q", res.Text, asked)
	}
}

// TestProductLookupAnswersEachOne: a price or warranty question about a
// kind two products share is answered for both, cited, instead of asking
// which one first; nothing is remembered.
func TestProductLookupAnswersEachOne(t *testing.T) {
	a, shop := newActions(t)
	addProducts(shop)
	for i := range shop.products {
		if strings.Contains(shop.products[i].Name, "Rain Jacket") || strings.Contains(shop.products[i].Name, "Storm Shell") {
			shop.products[i].Warranty = "2-year limited warranty"
		}
	}
	lookup := func(lang, msg string) (Result, *conversation.Conversation) {
		t.Helper()
		c := &conversation.Conversation{ID: "each", Tenant: "shop"}
		res, handled, err := a.productLookup(context.Background(), Request{Tenant: "shop", Language: lang, Message: msg, Conv: c})
		if err != nil || !handled {
			t.Fatalf("%q: handled %v, %v", msg, handled, err)
		}
		return res, c
	}
	res, c := lookup("en", "How long is the warranty on the rain jackets?")
	for _, w := range []string{"All 2 have the same warranty, 2-year limited warranty: ", "[1]", "[2]", "Tell me which one"} {
		if !strings.Contains(res.Text, w) {
			t.Errorf("warranty: %q lacks %q", res.Text, w)
		}
	}
	if strings.Contains(res.Text, "Which one do you mean") || len(res.Facts) != 2 || c.Details.Product != "" {
		t.Errorf("warranty: %q, %d facts, remembered %q", res.Text, len(res.Facts), c.Details.Product)
	}
	res, _ = lookup("en", "how much is the rain jacket?")
	for _, w := range []string{"Coastal Packable Rain Jacket [", "price $99.00", "Storm Shell Waterproof Jacket [", "price $189.00"} {
		if !strings.Contains(res.Text, w) {
			t.Errorf("price: %q lacks %q", res.Text, w)
		}
	}
	res, _ = lookup("zh", "防雨夹克保修多久")
	if !strings.Contains(res.Text, "这2款的保修都是 2-year limited warranty") {
		t.Errorf("in Chinese: %q", res.Text)
	}
	// A warranty they do not share is told for each.
	for i := range shop.products {
		if shop.products[i].SKU == "HL-JKT-007" {
			shop.products[i].Warranty = ""
		}
	}
	res, _ = lookup("en", "what's the warranty on the rain jacket?")
	if !strings.Contains(res.Text, "warranty: 2-year limited warranty") || !strings.Contains(res.Text, "warranty: no warranty stated") {
		t.Errorf("different warranties: %q", res.Text)
	}
	// A colour asked still asks which one.
	res, _ = lookup("en", "how much is the rain jacket in green?")
	if !strings.HasPrefix(res.Text, "Which one do you mean") {
		t.Errorf("with a colour: %q", res.Text)
	}
}
