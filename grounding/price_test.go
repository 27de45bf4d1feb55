package grounding

import (
	"fmt"
	"slices"
	"testing"
)

func TestFindPrices(t *testing.T) {
	for _, tc := range []struct {
		text string
		want []string // "text cents currency"
	}{
		{"It costs $12.99.", []string{"$12.99 1299 $"}},
		{"Only $1,299 today", []string{"$1,299 129900 $"}},
		{"US$ 45 each", []string{"US$ 45 4500 USD"}},
		{"HK$88", []string{"HK$88 8800 HKD"}},
		{"USD 45.00", []string{"USD 45.00 4500 USD"}},
		{"usd45", []string{"usd45 4500 USD"}},
		{"45 dollars", []string{"45 dollars 4500 $"}},
		{"$45 USD", []string{"$45 USD 4500 USD"}},
		{"299.00 USD", []string{"299.00 USD 29900 USD"}},
		{"20 EUR or 15 GBP", []string{"20 EUR 2000 EUR", "15 GBP 1500 GBP"}},
		{"€20 or £15", []string{"€20 2000 EUR", "£15 1500 GBP"}},
		{"$0.99 and $12.999", []string{"$0.99 99 $", "$12.999 1300 $"}},
		{"from $10-$20", []string{"$10 1000 $", "$20 2000 $"}},
		{"售价¥199", []string{"¥199 19900 ¥"}},
		{"售价￥1,299", []string{"￥1,299 129900 ¥"}},
		{"只要199元", []string{"199元 19900 CNY"}},
		{"只要199 元", []string{"199 元 19900 CNY"}},
		{"人民币199", []string{"人民币199 19900 CNY"}},
		{"人民币199元", []string{"人民币199元 19900 CNY"}},
		{"RMB 199", []string{"RMB 199 19900 CNY"}},
		{"CNY 199", []string{"CNY 199 19900 CNY"}},
		{"199 yuan", []string{"199 yuan 19900 CNY"}},
		{"50美元", []string{"50美元 5000 USD"}},
		{"30块钱", []string{"30块钱 3000 CNY"}},
		{"1.5万元", []string{"1.5万元 1500000 CNY"}},
		{"满199元减20元", []string{"199元 19900 CNY", "20元 2000 CNY"}},

		{"within 30 days", nil},
		{"size 10, 2 kg, 5 lbs", nil},
		{"30 天内", nil},
		{"20% off, 85折", nil},
		{"2024-05-01 or 5月1日", nil},
		{"call 400-820-1234 or +1 555 0100", nil},
		{"SW1A 1AA, 100101 Beijing", nil},
		{"$5k budget, $5% fee", nil},
		{"3元素", nil},
		{"HL-100 元", nil},
		{"v2.5 dollars", nil},
		{"3万件", nil},
		{"$ alone, ¥ alone, 元", nil},
		{"12345678901234 USD", nil},
		{"2 pounds", nil},
		{"US 10 and EU 42", nil},
	} {
		t.Run(tc.text, func(t *testing.T) {
			var got []string
			for _, p := range findPrices(tc.text) {
				got = append(got, fmt.Sprintf("%s %d %s", tc.text[p.start:p.end], p.cents, p.cur))
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("findPrices(%q) = %q, want %q", tc.text, got, tc.want)
			}
		})
	}
}

func TestSourceAmounts(t *testing.T) {
	for _, tc := range []struct {
		text string
		want []string // "cents currency"
	}{
		{`{"unit_price": 299.0, "qty": 2}`, []string{"29900 "}},
		{`{"price":"45.00","currency":"USD"}`, []string{"4500 "}},
		{"subtotal: 45.00\ncurrency: USD", []string{"4500 "}},
		{"Price (USD): 12", []string{"1200 USD"}},
		{"售价：299，库存 12 件", []string{"29900 "}},
		{"价格是 199", []string{"19900 "}},
		{"价格保护期30天", nil},
		{`{"total_qty": 3, "shipping_days": 5, "order_id": 100101}`, nil},
		{"$199.00 and 299.00 USD", []string{"19900 $", "29900 USD"}},
		{"Ships in 3 days; size 10.", nil},
	} {
		t.Run(tc.text, func(t *testing.T) {
			var got []string
			sourceAmounts(tc.text, func(a amount) { got = append(got, fmt.Sprintf("%d %s", a.cents, a.cur)) })
			if !slices.Equal(got, tc.want) {
				t.Errorf("sourceAmounts(%q) = %q, want %q", tc.text, got, tc.want)
			}
		})
	}
}

func TestCompatible(t *testing.T) {
	for _, tc := range []struct {
		a, b string
		want bool
	}{
		{"USD", "USD", true},
		{"$", "USD", true},
		{"CAD", "$", true},
		{"", "EUR", true},
		{"¥", "CNY", true},
		{"JPY", "¥", true},
		{"$", "CNY", false},
		{"¥", "USD", false},
		{"USD", "CAD", false},
		{"EUR", "GBP", false},
		{"$", "¥", false},
	} {
		if got := compatible(tc.a, tc.b); got != tc.want {
			t.Errorf("compatible(%q, %q) = %v, want %v", tc.a, tc.b, got, tc.want)
		}
	}
}
