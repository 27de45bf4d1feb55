package grounding

import (
	"slices"
	"testing"
)

// TestFindOrders pins the claims' spans and identifiers; what is an
// order number at all is package mention's, tested there.
func TestFindOrders(t *testing.T) {
	for _, tc := range []struct {
		text string
		want []string // claim texts
		ids  []string // normalized identifiers
	}{
		{"Your order 1002 shipped.", []string{"1002"}, []string{"1002"}},
		{"Order #1002 shipped.", []string{"#1002"}, []string{"1002"}},
		{"order#hl-100101", []string{"#hl-100101"}, []string{"hl-100101"}},
		{"orders 1002, 1003 and #1004", []string{"1002", "1003", "#1004"}, []string{"1002", "1003", "1004"}},
		{"您的订单＃1002", []string{"＃1002"}, []string{"1002"}},
		{"(HL-100101)", []string{"HL-100101"}, []string{"hl-100101"}},
		{"SKU TNT-2001 is in stock, HL-JKT-001-BLU-M too", nil, nil},
		{"call 400-820-1234, ZIP 94105-1234", nil, nil},
	} {
		t.Run(tc.text, func(t *testing.T) {
			var got, ids []string
			for _, o := range findOrders(tc.text) {
				got = append(got, tc.text[o.start:o.end])
				ids = append(ids, o.id)
			}
			if !slices.Equal(got, tc.want) || !slices.Equal(ids, tc.ids) {
				t.Errorf("findOrders(%q) = %q ids %q, want %q ids %q", tc.text, got, ids, tc.want, tc.ids)
			}
		})
	}
}

func TestContainsToken(t *testing.T) {
	for _, tc := range []struct {
		s, tok string
		want   bool
	}{
		{`{"order_number":"hl-100101"}`, "hl-100101", true},
		{"order #1002, shipped", "1002", true},
		{"order_1002", "1002", true},
		{"hl-1002", "1002", false},
		{"10020", "1002", false},
		{"1002.50", "1002", false},
		{"1.1002", "1002", false},
		{"hl-100101-a", "hl-100101", false},
		{"so-55321\nstatus", "so-55321", true},
		{"", "1002", false},
	} {
		if got := containsToken(tc.s, tc.tok); got != tc.want {
			t.Errorf("containsToken(%q, %q) = %v, want %v", tc.s, tc.tok, got, tc.want)
		}
	}
}
