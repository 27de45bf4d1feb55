package grounding

import (
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzCheck runs Check, Repair and Citations on arbitrary text. sources
// holds source texts separated by "\n---\n" and products catalog names
// separated by '|'. None may panic; claims must lie within the answer;
// when Repair says its text is worth sending, the text holds no
// unsupported claim and cites no unsupported number (see checkRepaired).
func FuzzCheck(f *testing.F) {
	var sources []string
	for _, s := range shopSources {
		sources = append(sources, s.Title+"\n"+s.Text)
	}
	src := strings.Join(sources, "\n---\n")
	products := strings.Join(shopOptions.Products, "|")
	for _, a := range []string{
		"The Cove 2 Tent costs $199 [2]. Return shipping is $6.95 [1]. It comes with a free footprint worth $39 [2].",
		"Returns are accepted within 30 days [1][7]. Refunds take 5 business days [1, 7].",
		"Here are your options:\n- Cove 2 Tent: $199 [2]\n- Summit Down Parka: $349\n",
		"Your order #1002 shipped yesterday. It cost US$ 89.99. Order HL-100199, SKU TNT-2009.",
		"冲锋衣售价899元【4】。退货运费15元，由买家承担【4，8】。另外现在下单还送价值50元的收纳袋。",
		"您的订单号HL-100101已发货【3】。订单 1002 也已发货。人民币1.5万元。",
		"Small items, e.g. socks, ship for $4.95. [[7]1] $[7]5,00 \xff\xfe【】[0]",
	} {
		f.Add(a, src, products)
	}
	f.Add("", "", "")
	f.Add("$5 [1]. $5,00 [2].", "5.00 EUR", "Ace|a")
	f.Fuzz(func(t *testing.T, answer, src, products string) {
		var sources []Source
		if src != "" {
			for _, s := range strings.Split(src, "\n---\n") {
				sources = append(sources, Source{Text: s})
			}
		}
		var opts Options
		if products != "" {
			opts.Products = strings.Split(products, "|")
		}
		r := Check(answer, sources, opts)
		checkOffsets(t, answer, r)

		for _, n := range Citations(answer) {
			if n < 1 {
				t.Fatalf("Citations(%q) has %d", answer, n)
			}
		}

		at := 0
		for _, u := range splitUnits(answer, nil) {
			if u.start != at || u.end <= u.start {
				t.Fatalf("splitUnits(%q): unit %v after %d", answer, u, at)
			}
			at = u.end
		}
		if at != len(answer) {
			t.Fatalf("splitUnits(%q) covers %d bytes", answer, at)
		}

		out, ok := Repair(answer, r)
		if utf8.ValidString(answer) && !utf8.ValidString(out) {
			t.Fatalf("Repair(%q) = %q, invalid UTF-8", answer, out)
		}
		checkRepaired(t, answer, sources, opts, r, out, ok)
	})
}

// checkRepaired fails t when Repair said its output out is worth sending
// but out still cites an unsupported source number, holds the text of an
// unsupported claim as a whole token, or, checked again, yields a claim
// with the kind and text of one r found unsupported.
func checkRepaired(t *testing.T, answer string, sources []Source, opts Options, r Report, out string, ok bool) {
	t.Helper()
	if !ok {
		return
	}
	cited := Citations(out)
	again := Check(out, sources, opts)
	for _, u := range r.Unsupported {
		if u.Kind == kindCitation {
			n, _ := citationNumber(u.Text)
			if citesAny(out, map[int]bool{n: true}) || slices.Contains(cited, n) {
				t.Fatalf("Repair(%q) = %q still cites %s", answer, out, u.Text)
			}
			continue
		}
		if containsAnyToken(out, []string{u.Text}) {
			t.Fatalf("Repair(%q) = %q still holds %s %q", answer, out, u.Kind, u.Text)
		}
		for _, c := range again.Unsupported {
			if c.Kind == u.Kind && c.Text == u.Text {
				t.Fatalf("Repair(%q) = %q: checked again, %s %q is still unsupported", answer, out, u.Kind, u.Text)
			}
		}
	}
}
