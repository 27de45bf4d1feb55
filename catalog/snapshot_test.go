package catalog

import (
	"slices"
	"testing"

	"github.com/shopdesk/shopdesk/commerce"
)

// shop has a demo-style product whose variants extend its SKU, a
// Shopify-style one keyed by handle whose variant SKUs are unrelated to
// it, a final-sale product, a Chinese-only name and a duplicate SKU.
var shop = New([]commerce.Product{
	{SKU: "HL-JKT-001", Name: "Storm Shell Waterproof Jacket", NameZh: "风暴硬壳防水冲锋衣",
		Variants: []commerce.Variant{{SKU: "HL-JKT-001-BLU-M"}, {SKU: "HL-JKT-001-BLK-M"}}},
	{SKU: "cove-2-tent", Name: "Cove 2 Tent — Green / One Size", Variants: []commerce.Variant{{SKU: "48213-GRN"}, {SKU: "48213-SND"}}},
	{SKU: "HL-JKT-005", Name: "Clearance Jacket", FinalSale: true},
	{SKU: "HL-SCK-001", NameZh: "美利奴羊毛袜"},
	{SKU: "hl-jkt-005", Name: "Duplicate of the clearance jacket"},
	{Name: "No SKU"},
	{SKU: "HL-ACE-1", Name: "Ace"},
	{SKU: "HL-JKT-001-KIDS"}, {SKU: "HL-JKT-0010"}, {SKU: "X", Variants: []commerce.Variant{{SKU: "Y-1"}}},
})

func TestResolve(t *testing.T) {
	for _, tc := range []struct {
		sku, want string // want is the product SKU, "" for none
	}{
		{"HL-JKT-001", "HL-JKT-001"},
		{"hl-jkt-001", "HL-JKT-001"},
		{" HL-JKT-001-BLU-M ", "HL-JKT-001"},
		{"HL-JKT-001-RED-XL", "HL-JKT-001"}, // a variant the catalog does not list
		{"48213-grn", "cove-2-tent"},        // a variant SKU unrelated to its product's
		{"COVE-2-TENT", "cove-2-tent"},
		{"HL-JKT-005", "HL-JKT-005"},
		{"HL-JKT-001-KIDS-4", "HL-JKT-001-KIDS"}, // the longest prefix
		{"HL-JKT-0010-S", "HL-JKT-0010"},
		{"y-1", "X"},
		{"HL-JKT", ""},
		{"HL-JKT-00", ""},
		{"HL-JKT-0011", ""},
		{"", ""},
		{"-", ""},
	} {
		t.Run(tc.sku, func(t *testing.T) {
			p, ok := shop.Resolve(tc.sku)
			if ok != (tc.want != "") || p.SKU != tc.want {
				t.Errorf("Resolve(%q) = %q, %v; want %q", tc.sku, p.SKU, ok, tc.want)
			}
		})
	}
	if shop.Len() != 8 {
		t.Errorf("Len = %d: products without a SKU or with a duplicate one stay out", shop.Len())
	}
	if p, _ := shop.Resolve("HL-JKT-005"); !p.FinalSale {
		t.Error("of two products with one SKU, the first should win")
	}
	for sku, want := range map[string]bool{"48213-SND": true, "hl-jkt-001-blk-m": true, "HL-JKT-001-RED-XL": false, "48213": false} {
		if shop.Has(sku) != want {
			t.Errorf("Has(%q) = %v: only exact product and variant SKUs count", sku, !want)
		}
	}
}

func TestInText(t *testing.T) {
	for _, tc := range []struct {
		text, want string
	}{
		{"Is SKU hl-jkt-001-blu-m in stock?", "HL-JKT-001"},
		{"do you have 48213-GRN?", "cove-2-tent"},
		{"Does the storm shell waterproof jacket come in red?", "HL-JKT-001"},
		{"这件风暴硬壳防水冲锋衣有没有L码", "HL-JKT-001"},
		{"美利奴羊毛袜还有吗", "HL-SCK-001"},
		{"Is the Cove 2 Tent waterproof?", "cove-2-tent"}, // the name without its variant
		{"two Cove 2 Tents, please", "cove-2-tent"},
		{"Clearance jacket or Storm Shell Waterproof Jacket?", "HL-JKT-001"}, // the longest name
		{"my Acer laptop", ""},
		{"the ace of spades", "HL-ACE-1"},
		{"a kayak", ""},
		{"", ""},
	} {
		t.Run(tc.text, func(t *testing.T) {
			p, ok := shop.InText(tc.text)
			if ok != (tc.want != "") || p.SKU != tc.want {
				t.Errorf("InText(%q) = %q, %v; want %q", tc.text, p.SKU, ok, tc.want)
			}
		})
	}
}

// TestInTextSharedBrand: names that share their first words (a brand)
// are told apart, plurals and all.
func TestInTextSharedBrand(t *testing.T) {
	brand := New([]commerce.Product{
		{SKU: "A", Name: "Harbor Lane Storm Shell"}, {SKU: "B", Name: "Harbor Lane Cove Tent"},
		{SKU: "C", Name: "Harbor Lane"}, {SKU: "D", NameZh: "港湾小径帐篷"}, {SKU: "E", NameZh: "港湾小径冲锋衣"},
	})
	for text, want := range map[string]string{
		"two Harbor Lane Cove Tents": "B", "harbor lane storm shell?": "A", "anything by harbor lane": "C",
		"港湾小径冲锋衣有货吗": "E", "我要港湾小径帐篷": "D", "Harbor Lanes": "C",
	} {
		if p, _ := brand.InText(text); p.SKU != want {
			t.Errorf("InText(%q) = %q, want %q", text, p.SKU, want)
		}
	}
}

func TestNamed(t *testing.T) {
	for name, want := range map[string]string{
		"Storm Shell Waterproof Jacket": "HL-JKT-001", "storm shell waterproof jacket": "HL-JKT-001",
		"风暴硬壳防水冲锋衣": "HL-JKT-001", "Cove 2 Tent": "cove-2-tent", "HL-JKT-005": "HL-JKT-005", "Storm Shell": "",
	} {
		p, ok := shop.Named(name)
		if ok != (want != "") || p.SKU != want {
			t.Errorf("Named(%q) = %q, %v; want %q", name, p.SKU, ok, want)
		}
	}
	want := []string{"Storm Shell Waterproof Jacket", "风暴硬壳防水冲锋衣", "Cove 2 Tent — Green / One Size", "Clearance Jacket", "美利奴羊毛袜", "Ace"}
	if got := shop.Names(); !slices.Equal(got, want) {
		t.Errorf("Names = %q, want %q", got, want)
	}
}

func TestBaseName(t *testing.T) {
	for name, want := range map[string]string{
		"Cove 2 Tent — Green / One Size":           "Cove 2 Tent",
		"Storm Shell Waterproof Jacket — Blue / M": "Storm Shell Waterproof Jacket",
		"Trail Tent (2-person)":                    "Trail Tent",
		"Tent - Green":                             "Tent",
		"Socks, 3-pack":                            "Socks",
		"  Plain Name ":                            "Plain Name",
		"(2-person)":                               "(2-person)",
		"风暴冲锋衣 / 蓝色":                               "风暴冲锋衣",
	} {
		if got := BaseName(name); got != want {
			t.Errorf("BaseName(%q) = %q, want %q", name, got, want)
		}
	}
}
