package grounding

import (
	"slices"
	"testing"
)

func TestFindProducts(t *testing.T) {
	catalog := []string{
		"Cove 2 Tent — Green / One Size",
		"Cove 2 Backpacking Tent",
		"Cove 2 Tent Footprint",
		"Backpacking Tent",
		"Men’s Storm Shell Jacket",
		"Ace",
		"冲锋衣",
		"羽绒服（男款）",
		"x",   // too short
		"123", // no letter
	}
	for _, tc := range []struct {
		text string
		want []string // "mention|name"
	}{
		{"The Cove 2 Tent — Green / One Size is back.", []string{"Cove 2 Tent — Green / One Size|cove 2 tent - green / one size"}},
		{"The cove 2 tent - green / one size is back.", []string{"cove 2 tent - green / one size|cove 2 tent - green / one size"}},
		{"The Cove 2 Tent is back.", []string{"Cove 2 Tent|cove 2 tent"}},
		{"Two Cove 2 Tents left.", []string{"Cove 2 Tents|cove 2 tent"}},
		{"The Cove 2 Backpacking Tent is light.", []string{"Cove 2 Backpacking Tent|cove 2 backpacking tent"}},
		{"Add a Cove 2 Tent Footprint.", []string{"Cove 2 Tent Footprint|cove 2 tent footprint"}},
		{"COVE 2 TENT and a backpacking tent", []string{"COVE 2 TENT|cove 2 tent", "backpacking tent|backpacking tent"}},
		{"The Men's Storm Shell Jacket", []string{"Men's Storm Shell Jacket|men's storm shell jacket"}},
		{"The Cove  2\u00a0Tent", []string{"Cove  2\u00a0Tent|cove 2 tent"}},
		{"Ace or Acer or Space?", []string{"Ace|ace"}},
		{"这件冲锋衣很好，羽绒服也不错", []string{"冲锋衣|冲锋衣", "羽绒服|羽绒服"}},
		{"我想买Cove 2 Tent和冲锋衣", []string{"Cove 2 Tent|cove 2 tent", "冲锋衣|冲锋衣"}},
		{"ＣＯＶＥ 2 ＴＥＮＴ", []string{"ＣＯＶＥ 2 ＴＥＮＴ|cove 2 tent"}},
		{"Cove 2 Tentacles, Acer, xylophone, 123", nil},
		{"\xffCove 2 Tent\xfe", []string{"Cove 2 Tent|cove 2 tent"}},
	} {
		t.Run(tc.text, func(t *testing.T) {
			var got []string
			for _, p := range findProducts(tc.text, catalog) {
				got = append(got, tc.text[p.start:p.end]+"|"+p.name)
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("findProducts(%q) = %q, want %q", tc.text, got, tc.want)
			}
		})
	}
}

func TestVariantBase(t *testing.T) {
	for _, tc := range []struct{ name, want string }{
		{"cove 2 tent - green / one size", "cove 2 tent"},
		{"storm shell jacket / blue", "storm shell jacket"},
		{"tent (2-person)", "tent"},
		{"羽绒服(男款)", "羽绒服"},
		{"t-shirt", ""},
		{"cove 2 tent", ""},
		{"x (large)", ""},
	} {
		if got := variantBase(tc.name); got != tc.want {
			t.Errorf("variantBase(%q) = %q, want %q", tc.name, got, tc.want)
		}
	}
}
