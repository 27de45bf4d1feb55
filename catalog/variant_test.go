package catalog

import (
	"slices"
	"testing"

	"github.com/shopdesk/shopdesk/commerce"
)

func TestColour(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"绿色", "green"}, {"Green", "green"}, {"军绿", "olive"}, {"橄榄绿", "olive"}, {"Navy Blue", "navy"},
		{"藏青色", "navy"}, {"黑", "black"}, {"黑色", "black"}, {"奶油色", "cream"}, {"Heather Grey", "grey"},
		{"gray", "grey"}, {"青色", "teal"}, {"do you have it in red?", "red"}, {"有红色的吗", "red"},
		{"网红款", ""}, {"sandals", ""}, {"", ""}, {"digital", ""},
	} {
		if got := Colour(c.in); got != c.want {
			t.Errorf("Colour(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestReadSize(t *testing.T) {
	for _, c := range []struct {
		in   string
		want Size
	}{
		{"size M please", Size{Letters: []string{"M"}}},
		{"do you have it in L?", Size{Letters: []string{"L"}}},
		{"the hoodie in grey, medium", Size{Letters: []string{"M"}}},
		{"an xl", Size{Letters: []string{"XL"}}},
		{"有M码吗", Size{Letters: []string{"M"}}},
		{"中码", Size{Letters: []string{"M"}}},
		{"加大码有吗", Size{Letters: []string{"XL"}}},
		{"42码", Size{Number: 42, System: "EU"}},
		{"EU 42", Size{Number: 42, System: "EU"}},
		{"US 9", Size{Number: 9, System: "US"}},
		{"US women's 7", Size{Number: 7, System: "US", Gender: "W"}},
		{"a women's 7?", Size{Number: 7, Gender: "W"}},
		{"女款7码", Size{Number: 7, Gender: "W"}},
		{"size 10", Size{Number: 10}},
		{"kids 6", Size{Number: 6, System: "KIDS"}},
		{"大一码", Size{Step: 1}},
		{"one size up please", Size{Step: 1}},
		{"小一号", Size{Step: -1}},
		{"加长款", Size{Word: "long"}},
		{"in regular", Size{Word: "regular"}},
		// Not sizes.
		{"do these run small?", Size{}},
		{"how long is shipping?", Size{}},
		{"Is it still available?", Size{}},
		{"I'm happy", Size{}},
		{"order 10023", Size{}},
	} {
		got := ReadSize(c.in)
		if !slices.Equal(got.Letters, c.want.Letters) || got.Number != c.want.Number || got.System != c.want.System ||
			got.Gender != c.want.Gender || got.Word != c.want.Word || got.Step != c.want.Step {
			t.Errorf("ReadSize(%q) = %+v, want %+v", c.in, got, c.want)
		}
	}
}

// boot is a product with men's and women's US sizes.
var boot = commerce.Product{SKU: "B", Variants: []commerce.Variant{
	{SKU: "B-BRN-M8", Color: "brown", Size: "US M 8", Stock: 1}, {SKU: "B-BRN-M9", Color: "brown", Size: "US M 9", Stock: 0},
	{SKU: "B-BRN-M10", Color: "brown", Size: "US M 10", Stock: 2}, {SKU: "B-GRY-W7", Color: "grey", Size: "US W 7", Stock: 3},
	{SKU: "B-GRY-W9", Color: "grey", Size: "US W 9", Stock: 3},
}}

// jacket is a product with letter sizes.
var jacket = commerce.Product{SKU: "J", Variants: []commerce.Variant{
	{SKU: "J-OLV-S", Color: "Olive", Size: "S", Stock: 1}, {SKU: "J-OLV-M", Color: "Olive", Size: "M", Stock: 0},
	{SKU: "J-OLV-L", Color: "Olive", Size: "L", Stock: 4}, {SKU: "J-BLK-M", Color: "Black", Size: "M", Stock: 2},
	{SKU: "J-BLK-L", Color: "Black", Size: "L", Stock: 2},
}}

func TestVariant(t *testing.T) {
	for _, c := range []struct {
		p           commerce.Product
		color, size string
		want        string // SKU, "" for none
	}{
		{boot, "", "EU 42", "B-BRN-M9"},     // EU − 33 = US men's 9
		{boot, "", "42码", "B-BRN-M9"},       // 码 of 30 and over is European
		{boot, "", "女款40码", "B-GRY-W9"},     // women's: EU − 31
		{boot, "", "US 10", "B-BRN-M10"},    // men's first when unsaid
		{boot, "", "women's 7", "B-GRY-W7"}, // the gender said
		{boot, "灰色", "", "B-GRY-W7"},        // Chinese colour; in stock first
		{boot, "", "EU 50", ""},             // no such size
		{boot, "", "M", ""},                 // a letter size on a numeric scale
		{jacket, "绿色", "L", "J-OLV-L"},      // olive answers green
		{jacket, "black", "中码", "J-BLK-M"},  // 中码 is M
		{jacket, "black", "S", ""},          // no black S
		{jacket, "", "", "J-OLV-S"},         // anything: the first in stock
		{jacket, "purple", "", ""},
		{commerce.Product{Variants: []commerce.Variant{{SKU: "G-25", Color: "digital", Size: "$25"}, {SKU: "G-50", Color: "digital", Size: "$50"}}}, "", "$50", "G-50"},
		{commerce.Product{Variants: []commerce.Variant{{SKU: "S-R", Size: "Regular"}, {SKU: "S-L", Size: "Long"}}}, "", "加长", "S-L"},
	} {
		v, ok := Variant(c.p, c.color, c.size)
		if ok != (c.want != "") || v.SKU != c.want {
			t.Errorf("Variant(%s, %q, %q) = %s %v, want %q", c.p.SKU, c.color, c.size, v.SKU, ok, c.want)
		}
	}
}

func TestMatchingFromCurrentVariant(t *testing.T) {
	for _, c := range []struct {
		msg, from string
		want      []string
	}{
		{"one size up please", "J-BLK-M", []string{"J-BLK-L"}}, // keeps black
		{"大一码", "J-OLV-S", []string{"J-OLV-M"}},                // out of stock, but the size asked
		{"小一码", "J-OLV-S", nil},                                // nothing below S
		{"in black", "J-OLV-L", []string{"J-BLK-L"}},           // keeps L
		{"大一码", "B-BRN-M9", []string{"B-BRN-M10"}},             // men's steps stay men's
		{"can I swap it", "J-BLK-M", nil},                      // nothing named: only the same variant, left out
		{"size L please", "J-BLK-M", []string{"J-BLK-L"}},      // keeps black
	} {
		p := jacket
		if c.from[0] == 'B' {
			p = boot
		}
		var from commerce.Variant
		for _, v := range p.Variants {
			if v.SKU == c.from {
				from = v
			}
		}
		var got []string
		for _, v := range Matching(p, ReadConstraint(c.msg), from) {
			got = append(got, v.SKU)
		}
		if !slices.Equal(got, c.want) {
			t.Errorf("Matching(%q from %s) = %v, want %v", c.msg, c.from, got, c.want)
		}
	}
}

func TestSizeStep(t *testing.T) {
	for _, c := range []struct {
		p        commerce.Product
		cur      string
		step     int
		want     string
		wantOK   bool
		scenario string
	}{
		{jacket, "M", 1, "L", true, "letters"},
		{jacket, "L", 1, "", false, "off the end"},
		{boot, "US M 8", 2, "US M 10", true, "numbers of one gender"},
		{boot, "US W 7", 1, "US W 9", true, "women's"},
		{boot, "US W 6", 1, "", false, "not a size of the product"},
	} {
		got, ok := SizeStep(c.p, c.cur, c.step)
		if got != c.want || ok != c.wantOK {
			t.Errorf("%s: SizeStep(%q, %d) = %q %v, want %q %v", c.scenario, c.cur, c.step, got, ok, c.want, c.wantOK)
		}
	}
}
