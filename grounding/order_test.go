package grounding

import (
	"slices"
	"testing"
)

func TestFindOrders(t *testing.T) {
	for _, tc := range []struct {
		text string
		want []string // claim texts
		ids  []string // normalized identifiers, when checked
	}{
		{"Your order 1002 shipped.", []string{"1002"}, []string{"1002"}},
		{"Order #1002 shipped.", []string{"#1002"}, []string{"1002"}},
		{"order number 1002", []string{"1002"}, nil},
		{"order number is 1002", []string{"1002"}, nil},
		{"Order No. 1002", []string{"1002"}, nil},
		{"Order ID: HL-100101", []string{"HL-100101"}, []string{"hl-100101"}},
		{"order#hl-100101", []string{"#hl-100101"}, []string{"hl-100101"}},
		{"orders 1002, 1003 and #1004", []string{"1002", "1003", "#1004"}, nil},
		{"Order #1002 and #1003", []string{"#1002", "#1003"}, nil},
		{"订单 1002 已发货", []string{"1002"}, nil},
		{"订单1002已发货", []string{"1002"}, nil},
		{"订单号HL-100101", []string{"HL-100101"}, nil},
		{"订单号：SO-55321", []string{"SO-55321"}, nil},
		{"订单号是 1002", []string{"1002"}, nil},
		{"订单编号为 1002、1003", []string{"1002", "1003"}, nil},
		{"您的订单＃1002", []string{"＃1002"}, nil},
		{"SO-55321 is ready", []string{"SO-55321"}, nil},
		{"(HL-100101)", []string{"HL-100101"}, nil},

		{"SKU TNT-2001 is in stock", nil, nil},
		{"Tracking number SF-1234567", nil, nil},
		{"tracking SF1234567890", nil, nil},
		{"快递单号SF-1234567", nil, nil},
		{"型号HL-2000", nil, nil},
		{"coupon SAVE-2024", nil, nil},
		{"You can order 100 pieces.", nil, nil},
		{"订单满 100 件包邮", nil, nil},
		{"orders over $100", nil, nil},
		{"订单 199 元包邮, order 250 dollars", nil, nil},
		{"order 12 more", nil, nil},
		{"order 2024-05-01", nil, nil},
		{"order 1002.50", nil, nil},
		{"Your order is on its way.", nil, nil},
		{"reorder 1002, preordered 1003", nil, nil},
		{"Colors #FF0000 and #00F", nil, nil},
		{"&#1234; #12", nil, nil},
		{"Write to ab-123@example.com or shop-123.com", nil, nil},
		{"call 400-820-1234", nil, nil},
		{"ZIP 94105-1234, 100101 Beijing", nil, nil},
		{"iPhone-15, USB-C, Wi-Fi 6, COVID-19", nil, nil},
		{"2024-05-01T10:00", nil, nil},
		{"see https://shop.example/p/TNT-2001", nil, nil},
	} {
		t.Run(tc.text, func(t *testing.T) {
			var got, ids []string
			for _, o := range findOrders(tc.text) {
				got = append(got, tc.text[o.start:o.end])
				ids = append(ids, o.id)
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("findOrders(%q) = %q, want %q", tc.text, got, tc.want)
			}
			if tc.ids != nil && !slices.Equal(ids, tc.ids) {
				t.Errorf("findOrders(%q) ids = %q, want %q", tc.text, ids, tc.ids)
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
