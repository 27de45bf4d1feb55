package grounding

import (
	"encoding/json"
	"slices"
	"testing"
)

// shopSources are what retrieval and tools returned for a question to an
// outdoor-gear shop: policy passages, a product page, and two order-lookup
// tool results, one JSON and one key: value lines.
var shopSources = []Source{
	{Title: "Returns policy", Text: "We accept returns within 30 days of delivery. Items must be unworn with tags attached. " +
		"Refunds go to the original payment method within 5 business days. Return shipping costs $6.95, deducted from the refund."},
	{Title: "Cove 2 Tent", Text: "Cove 2 Tent — 2-person backpacking tent, 1.9 kg. Price: $199.00. Colors: Green, Sand. SKU TNT-2001."},
	{Title: "lookup_order", Text: `{"order_number":"HL-100101","status":"shipped","carrier":"SF Express","tracking":"SF1234567890",` +
		`"items":[{"name":"Storm Shell Jacket","qty":1,"unit_price":299.0}],"total":"299.00 USD"}`},
	{Title: "退货政策", Text: "签收后30天内可申请退货，退货运费15元由买家承担。冲锋衣（Storm Shell Jacket）售价人民币899元。"},
	{Title: "lookup_order", Text: "order: SO-55321\nstatus: processing\nsubtotal: 45.00\ncurrency: USD"},
}

var shopOptions = Options{Products: []string{
	"Cove 2 Tent — Green / One Size",
	"Cove 2 Backpacking Tent",
	"Cove 2 Tent Footprint",
	"Storm Shell Jacket",
	"Summit Down Parka",
	"Trail Runner 3",
	"冲锋衣",
	"羽绒服",
}}

func TestCheck(t *testing.T) {
	for _, tc := range []struct {
		name, answer string
		unsupported  []string // "kind text"
	}{
		{"en price supported", "The Cove 2 Tent costs $199 [2].", nil},
		{"en price invented", "The Cove 2 Tent costs $179 [2].", []string{"price $179"}},
		{"en prices in other forms", "The Cove 2 Tent costs $199.00 and return shipping is USD 6.95 [1][2].", nil},
		{"en price from JSON", "Your Storm Shell Jacket was $299 [3].", nil},
		{"en price from tool total", "Your order total was 299.00 USD [3].", nil},
		{"en price from key value", "Your order subtotal is US$ 45 [5].", nil},
		{"en price words", "That comes to 45 dollars.", nil},
		{"en price wrong currency", "The Cove 2 Tent is ¥199 [2].", []string{"price ¥199"}},
		{"en order supported", "Order HL-100101 has shipped [3].", nil},
		{"en order other case and #", "Order #hl-100101 has shipped [3].", nil},
		{"en order invented", "Order HL-100199 has shipped.", []string{"order HL-100199"}},
		{"en order number invented", "Your order #1002 is on its way.", []string{"order #1002"}},
		{"en order after cue invented", "Order number 7731 was refunded.", []string{"order 7731"}},
		{"en order standalone supported", "SO-55321 is being processed [5].", nil},
		{"en order standalone invented", "SO-55399 is being processed.", []string{"order SO-55399"}},
		{"en sku is not an order", "SKU TNT-2009 is in stock.", nil},
		{"en tracking is not an order", "Your tracking number is SF9999999999.", nil},
		{"en product supported", "The Storm Shell Jacket ships free [3].", nil},
		{"en product invented", "The Summit Down Parka is $349.", []string{"product Summit Down Parka", "price $349"}},
		{"en longest product first", "Try the Cove 2 Backpacking Tent.", []string{"product Cove 2 Backpacking Tent"}},
		{"en product variant supported by base", "The Cove 2 Tent — Green / One Size is in stock [2].", nil},
		{"en citation out of range", "Returns are accepted within 30 days [1][6].", []string{"citation [6]"}},
		{"en citation zero", "Returns are accepted within 30 days [0].", []string{"citation [0]"}},
		{"en citation group", "Returns are accepted within 30 days [1, 9].", []string{"citation [9]"}},

		{"zh price supported", "冲锋衣售价899元【4】。", nil},
		{"zh price invented", "冲锋衣售价799元。", []string{"price 799元"}},
		{"zh price prefix and suffix", "冲锋衣售价人民币899元。", nil},
		{"zh shipping supported", "退货运费15元由买家承担【4】。", nil},
		{"zh shipping invented", "退货运费20元由买家承担。", []string{"price 20元"}},
		{"zh price wrong currency", "满199元包邮。", []string{"price 199元"}},
		{"zh order supported", "您的订单号HL-100101已发货【3】。", nil},
		{"zh order invented", "您的订单 1002 已发货。", []string{"order 1002"}},
		{"zh order standalone supported", "订单号：SO-55321 正在处理【5】。", nil},
		{"zh product invented", "羽绒服现价¥599。", []string{"product 羽绒服", "price ¥599"}},
		{"zh product supported", "这件冲锋衣很受欢迎【4】。", nil},
		{"zh citation out of range", "请参考【9】。", []string{"citation [9]"}},
		{"zh tracking is not an order", "快递单号SF-7654321，请查收。", nil},

		{"mixed", "您好！The Cove 2 Tent 售价 $199 [2]，订单 HL-100101 已发货 [3]，另送 Trail Runner 3 一双 [7]。",
			[]string{"product Trail Runner 3", "citation [7]"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := Check(tc.answer, shopSources, shopOptions)
			var got []string
			for _, c := range r.Unsupported {
				got = append(got, c.Kind+" "+c.Text)
			}
			if !slices.Equal(got, tc.unsupported) {
				t.Errorf("Check(%q) unsupported = %q, want %q\nclaims: %+v", tc.answer, got, tc.unsupported, r.Claims)
			}
			if r.OK() != (len(tc.unsupported) == 0) {
				t.Errorf("OK() = %v with %d unsupported", r.OK(), len(tc.unsupported))
			}
			checkOffsets(t, tc.answer, r)
		})
	}
}

// checkOffsets fails t unless every claim of r lies within answer, with
// Text as written there (or "[n]" for citations), in order of Start, and
// Unsupported is a subsequence of Claims.
func checkOffsets(t *testing.T, answer string, r Report) {
	t.Helper()
	for i, c := range r.Claims {
		if c.Start < 0 || c.Start > c.End || c.End > len(answer) {
			t.Fatalf("claim %+v out of range for %d bytes", c, len(answer))
		}
		if c.Kind == kindCitation {
			if n, ok := citationNumber(c.Text); !ok || citationText(n) != c.Text {
				t.Errorf("citation claim text %q", c.Text)
			}
		} else if answer[c.Start:c.End] != c.Text {
			t.Errorf("claim %+v: answer has %q there", c, answer[c.Start:c.End])
		}
		if i > 0 && c.Start < r.Claims[i-1].Start {
			t.Errorf("claims out of order: %+v after %+v", c, r.Claims[i-1])
		}
	}
	j := 0
	for _, u := range r.Unsupported {
		for j < len(r.Claims) && r.Claims[j] != u {
			j++
		}
		if j == len(r.Claims) {
			t.Fatalf("unsupported claim %+v not among the claims in order", u)
		}
		j++
	}
}

func TestCheckFindsClaims(t *testing.T) {
	answer := "The Cove 2 Tent costs $199 [2]; order HL-100101 shipped [3]."
	r := Check(answer, shopSources, shopOptions)
	var got []string
	for _, c := range r.Claims {
		got = append(got, c.Kind+" "+c.Text)
	}
	want := []string{"product Cove 2 Tent", "price $199", "citation [2]", "order HL-100101", "citation [3]"}
	if !slices.Equal(got, want) {
		t.Errorf("claims = %q, want %q", got, want)
	}
	b, err := json.Marshal(r.Claims[1])
	if err != nil || string(b) != `{"kind":"price","text":"$199"}` {
		t.Errorf("claim JSON = %s, %v", b, err)
	}
}

func TestCheckNoFalsePositives(t *testing.T) {
	for _, answer := range []string{
		"Returns are accepted within 30 days of delivery.",
		"We offer 20% off when you buy 3 items; 15 percent for members.",
		"Sizes run from size 6 to size 12; the tent weighs 2 kg (4.2 lbs) and packs to 45 x 15 cm.",
		"Call us at +1 (555) 123-4567 or 400-820-1234, 9:00-18:00.",
		"Ship to SW1A 1AA, 100101 Beijing or ZIP 94105-1234.",
		"Order placed on 2024-05-01 and delivered on 5/3/2024.",
		"Your order is on its way and should arrive in 3-5 days.",
		"You can order 100 pieces at the wholesale rate.",
		"We restock in Q3 2024; the jacket has a 2-year warranty and a 10,000 mm rating.",
		"Colors: #FF0000 and #00F. Version 2.0.1 of the app, iPhone 15, USB-C, Wi-Fi 6.",
		"Email help@shop-123.example or visit shop.example/p/TNT-2001.",
		"30 天无理由退货，7天价保，支持 24 小时客服。",
		"请在2024年5月1日前下单，享受85折，满3件包邮。",
		"订单超过30天不能退，订单满2件打9折。",
		"客服电话 400-820-1234，邮编 100101。",
		"快递单号 SF1234567890，预计 2-3 天送达。",
	} {
		t.Run(answer, func(t *testing.T) {
			r := Check(answer, shopSources, shopOptions)
			if len(r.Claims) != 0 {
				t.Errorf("Check(%q) found claims %+v", answer, r.Claims)
			}
		})
	}
}

func TestCheckWithoutSources(t *testing.T) {
	r := Check("The Storm Shell Jacket is $299 [1]; order HL-100101.", nil, shopOptions)
	var got []string
	for _, c := range r.Unsupported {
		got = append(got, c.Kind+" "+c.Text)
	}
	want := []string{"product Storm Shell Jacket", "price $299", "citation [1]", "order HL-100101"}
	if !slices.Equal(got, want) {
		t.Errorf("unsupported = %q, want %q", got, want)
	}
	if r := Check("", shopSources, shopOptions); len(r.Claims) != 0 || !r.OK() {
		t.Errorf("empty answer: %+v", r)
	}
}

// TestCheckGivenOrders: the order numbers the shopper gave are
// supported in any written form; others still need a source.
func TestCheckGivenOrders(t *testing.T) {
	opts := Options{Given: []string{"12345", "#hl-100777"}}
	for _, tc := range []struct {
		answer      string
		unsupported []string
	}{
		{"Your order 12345 can be returned within 30 days.", nil},
		{"Order #12345 and order HL-100777 are yours.", nil},
		{"订单号12345已签收。", nil},
		{"Order 12346 can be returned.", []string{"12346"}},
	} {
		t.Run(tc.answer, func(t *testing.T) {
			var got []string
			for _, c := range Check(tc.answer, nil, opts).Unsupported {
				got = append(got, c.Text)
			}
			if !slices.Equal(got, tc.unsupported) {
				t.Errorf("unsupported %q, want %q", got, tc.unsupported)
			}
		})
	}
}
