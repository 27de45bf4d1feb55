package grounding

import (
	"fmt"
	"strings"
	"testing"
)

// benchInput is a realistic worst case: an answer of about 800
// characters in English and Chinese with prices, orders, products and
// citations, five sources of about 1,000 characters, and a catalog of 200
// product names.
func benchInput() (string, []Source, Options) {
	answer := "Thanks for reaching out! Your order HL-100101 shipped on May 3 with SF Express [3]. " +
		"The Storm Shell Jacket you bought was $299 [3], and returns are accepted within 30 days of delivery [1]. " +
		"If you'd like to exchange it for the Summit Down Parka, that model is $349 and comes in sizes S to XL [2]. " +
		"Return shipping costs $6.95, deducted from the refund [1]. Refunds go to the original payment method within 5 business days [1]. " +
		"您也可以选择冲锋衣的换货服务，冲锋衣售价899元【4】，签收后30天内可申请退货，退货运费15元由买家承担【4】。" +
		"订单号SO-55321目前正在处理中【5】。如需帮助，请随时联系我们。 " +
		"For camping, the Cove 2 Tent costs $199 [2] and pairs well with the Trail Runner 3 shoes [6]."
	answer = answer + strings.Repeat(" Happy trails!", max(0, (800-len([]rune(answer)))/14))
	pad := func(s string) string {
		filler := " Our team checks every item before it ships, and we answer messages within one business day."
		for len([]rune(s)) < 1000 {
			s += filler
		}
		return s
	}
	sources := []Source{
		{Title: "Returns policy", Text: pad(shopSources[0].Text)},
		{Title: "Summit Down Parka", Text: pad("Summit Down Parka — 800-fill down, sizes S to XL. Price: $349.00. " + shopSources[1].Text)},
		{Title: "lookup_order", Text: pad(shopSources[2].Text)},
		{Title: "退货政策", Text: pad(shopSources[3].Text)},
		{Title: "lookup_order", Text: pad(shopSources[4].Text)},
	}
	products := append([]string(nil), shopOptions.Products...)
	adjectives := []string{"Alpine", "Summit", "Ridge", "Canyon", "Glacier", "Harbor", "Forest", "Desert", "Coastal", "Prairie"}
	nouns := []string{"Fleece", "Beanie", "Backpack", "Sleeping Bag", "Headlamp", "Trekking Pole", "Rain Shell", "Base Layer", "Water Bottle", "Camp Stove"}
	for i := 0; len(products) < 200; i++ {
		products = append(products, fmt.Sprintf("%s %s %d — Size %c", adjectives[i%10], nouns[i/10%10], i, 'A'+i%5))
	}
	return answer, sources, Options{Products: products}
}

func BenchmarkCheck(b *testing.B) {
	answer, sources, opts := benchInput()
	b.SetBytes(int64(len(answer)))
	for b.Loop() {
		Check(answer, sources, opts)
	}
}

func BenchmarkRepair(b *testing.B) {
	answer, sources, opts := benchInput()
	r := Check(answer, sources, opts)
	for b.Loop() {
		Repair(answer, r)
	}
}

func TestBenchInput(t *testing.T) {
	answer, sources, opts := benchInput()
	if n := len([]rune(answer)); n < 750 || n > 850 {
		t.Errorf("answer has %d characters", n)
	}
	for _, s := range sources {
		if n := len([]rune(s.Text)); n < 1000 || n > 1100 {
			t.Errorf("source %q has %d characters", s.Title, n)
		}
	}
	if len(opts.Products) != 200 {
		t.Errorf("%d products", len(opts.Products))
	}
	r := Check(answer, sources, opts)
	var got []string
	for _, c := range r.Unsupported {
		got = append(got, c.Kind+" "+c.Text)
	}
	if want := "product Trail Runner 3,citation [6]"; strings.Join(got, ",") != want {
		t.Errorf("unsupported = %q, want %s", got, want)
	}
}
