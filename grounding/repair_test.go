package grounding

import "testing"

func TestRepair(t *testing.T) {
	for _, tc := range []struct {
		name, answer string
		want         string
		ok           bool
	}{
		{"en keeps the good sentences",
			"The Cove 2 Tent costs $199 [2]. Return shipping is $6.95 [1]. It comes with a free footprint worth $39 [2]. Refunds take 5 business days [1].",
			"The Cove 2 Tent costs $199 [2]. Return shipping is $6.95 [1]. Refunds take 5 business days [1].", true},
		{"en deletes out-of-range citations only",
			"Returns are accepted within 30 days [1][7]. Refunds take 5 business days [1, 7].",
			"Returns are accepted within 30 days [1]. Refunds take 5 business days [1].", true},
		{"en citation after the period goes with its sentence",
			"The tent costs $149. [2] Returns are accepted within 30 days of delivery. [1] Refunds go to the original payment method within 5 business days. [1]",
			"Returns are accepted within 30 days of delivery. [1] Refunds go to the original payment method within 5 business days. [1]", true},
		{"en abbreviation and decimals stay in one sentence",
			"Small items, e.g. socks, ship for $4.95. Returns are accepted within 30 days of delivery [1]. Refunds go to the original payment method [1].",
			"Returns are accepted within 30 days of delivery [1]. Refunds go to the original payment method [1].", true},
		{"en list item removed whole",
			"Here are your options:\n- Cove 2 Tent: $199 [2]\n- Summit Down Parka: $349\n- Storm Shell Jacket: $299 [3]\n",
			"Here are your options:\n- Cove 2 Tent: $199 [2]\n- Storm Shell Jacket: $299 [3]", true},
		{"en repeated invented identifier goes too",
			"Order HL-100199 is on its way. Returns are accepted within 30 days of delivery [1]. Refunds go to the original payment method within 5 business days [1]. Quote item HL-100199 when you write.",
			"Returns are accepted within 30 days of delivery [1]. Refunds go to the original payment method within 5 business days [1].", true},
		{"en similar supported price kept",
			"Shipping is $5. The Cove 2 Tent costs $199.00 and ships from our warehouse [2]. Return shipping is $6.95 [1].",
			"The Cove 2 Tent costs $199.00 and ships from our warehouse [2]. Return shipping is $6.95 [1].", true},
		{"en gives up when most is invented",
			"Your order #1002 shipped yesterday. It cost $89.99. The Summit Down Parka is on backorder. Thanks for your patience!",
			"Thanks for your patience!", false},
		{"en gives up when too little remains",
			"Yes [7]. The Summit Down Parka is $349.",
			"Yes.", false},
		{"en only a citation remains",
			"The Summit Down Parka is $349.\n[1]",
			"[1]", false},

		{"zh keeps the good sentences",
			"冲锋衣售价899元【4】。退货运费15元，由买家承担【4】。另外现在下单还送价值50元的收纳袋。签收后30天内可以申请退货【4】。",
			"冲锋衣售价899元【4】。退货运费15元，由买家承担【4】。签收后30天内可以申请退货【4】。", true},
		{"zh deletes out-of-range citations only",
			"签收后30天内可以申请退货【4】【8】，退货运费由买家承担【4，8】。",
			"签收后30天内可以申请退货【4】，退货运费由买家承担【4】。", true},
		{"zh gives up when most is invented",
			"您的订单 1002 已于昨天发货。退款20元将在三天内到账。羽绒服正在补货中。感谢您的耐心等待！",
			"感谢您的耐心等待！", false},
		{"zh list",
			"为您找到以下商品：\n1. 冲锋衣：899元【4】\n2. 羽绒服：599元\n",
			"为您找到以下商品：\n1. 冲锋衣：899元【4】", true},

		{"removing a citation cannot join an invented price",
			"Shipping is $5. Your total is $[7]5,00 today, and returns are accepted within 30 days of delivery [1]. Refunds take 5 business days [1].",
			"Refunds take 5 business days [1].", false},
		{"removing a citation cannot join an invented order",
			"Order #1002 is late. Your order [9]1002 is late too, sorry. Returns are accepted within 30 days of delivery [1]. Refunds take 5 business days [1].",
			"Returns are accepted within 30 days of delivery [1]. Refunds take 5 business days [1].", true},
		{"nothing unsupported", "Returns are accepted within 30 days [1].", "Returns are accepted within 30 days [1].", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := Check(tc.answer, shopSources, shopOptions)
			got, ok := Repair(tc.answer, r)
			if got != tc.want || ok != tc.ok {
				t.Errorf("Repair(%q)\n = %q, %v\nwant %q, %v\nunsupported: %+v", tc.answer, got, ok, tc.want, tc.ok, r.Unsupported)
			}
			checkRepaired(t, tc.answer, shopSources, shopOptions, r, got, ok)
			if ok {
				if r2 := Check(got, shopSources, shopOptions); !r2.OK() {
					t.Errorf("repaired answer still has unsupported claims %+v", r2.Unsupported)
				}
			}
		})
	}
}

func TestRepairForeignReport(t *testing.T) {
	answer := "Shipping is $5.99 for this one. Returns within 30 days of delivery are free [1]. Refunds take 5 business days."
	for _, tc := range []struct {
		name string
		r    Report
		want string
		ok   bool
	}{
		{"offsets past the end", Report{Unsupported: []Claim{{Kind: kindPrice, Text: "$5.99", Start: 100, End: 200}}},
			"Returns within 30 days of delivery are free [1]. Refunds take 5 business days.", true},
		{"offsets reversed", Report{Unsupported: []Claim{{Kind: kindPrice, Text: "$5.99", Start: 9, End: 3}}},
			"Returns within 30 days of delivery are free [1]. Refunds take 5 business days.", true},
		{"text elsewhere", Report{Unsupported: []Claim{{Kind: kindOrder, Text: "HL-1", Start: 0, End: 4}}},
			answer, true},
		{"empty text", Report{Unsupported: []Claim{{Kind: kindProduct}}}, answer, true},
		{"citation as bare number", Report{Unsupported: []Claim{{Kind: kindCitation, Text: "1"}}},
			"Shipping is $5.99 for this one. Returns within 30 days of delivery are free. Refunds take 5 business days.", true},
		{"citation garbage", Report{Unsupported: []Claim{{Kind: kindCitation, Text: "[x]"}}}, answer, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := Repair(answer, tc.r)
			if got != tc.want || ok != tc.ok {
				t.Errorf("Repair = %q, %v; want %q, %v", got, ok, tc.want, tc.ok)
			}
		})
	}
}

func TestContainsAnyToken(t *testing.T) {
	for _, tc := range []struct {
		s, text string
		want    bool
	}{
		{"costs $5.", "$5", true},
		{"costs $50.", "$5", false},
		{"costs $5.99.", "$5", false},
		{"costs $5,000.", "$5", false},
		{"Acer", "Ace", false},
		{"the Ace.", "Ace", true},
		{"10020", "1002", false},
		{"#1002", "1002", true},
		{"这件冲锋衣", "冲锋衣", true},
		{"15元", "5元", false},
		{"", "x", false},
	} {
		if got := containsAnyToken(tc.s, []string{tc.text}); got != tc.want {
			t.Errorf("containsAnyToken(%q, %q) = %v, want %v", tc.s, tc.text, got, tc.want)
		}
	}
}
