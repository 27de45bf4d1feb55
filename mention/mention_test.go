package mention

import (
	"fmt"
	"slices"
	"strings"
	"testing"
)

// findCase is a text and its mentions, rendered "kind:value".
type findCase struct {
	text string
	want []string
}

// checkFind runs Find with known over each case.
func checkFind(t *testing.T, known func(string) bool, cases []findCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.text, func(t *testing.T) {
			var got []string
			for _, m := range Find(tc.text, known) {
				got = append(got, fmt.Sprintf("%s:%s", m.Kind, m.Value))
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("Find(%q) = %q, want %q", tc.text, got, tc.want)
			}
		})
	}
}

// TestFind pins what each kind of text is, including each disagreement
// the old extractors had (issue 9): the memory and the actions found no
// order number in "My order is 12345", and the actions took the SKU in
// "Is SKU HL-12345 in stock?" for one.
func TestFind(t *testing.T) {
	checkFind(t, nil, []findCase{
		// Order numbers in every cue form, both languages.
		{"My order is 12345", []string{"order:12345"}},
		{"order number is 40218", []string{"order:40218"}},
		{"#40218", []string{"order:40218"}},
		{"订单号40218", []string{"order:40218"}},
		{"订单 40218", []string{"order:40218"}},
		{"我的单号是40218", []string{"order:40218"}},
		{"訂單號碼：40218", []string{"order:40218"}},
		{"Order No. 1002", []string{"order:1002"}},
		{"order number 1002", []string{"order:1002"}},
		{"Order #1002 and #1003", []string{"order:1002", "order:1003"}},
		{"订单1002已发货", []string{"order:1002"}},
		{"订单号HL-100101", []string{"order:HL-100101"}},
		{"订单号：SO-55321", []string{"order:SO-55321"}},
		{"订单号是 1002", []string{"order:1002"}},
		{"SO-55321 is ready", []string{"order:SO-55321"}},
		{"Order ID: hl-100101", []string{"order:HL-100101"}},
		{"order#hl-100101", []string{"order:HL-100101"}},
		{"orders 1002, 1003 and #1004", []string{"order:1002", "order:1003", "order:1004"}},
		{"订单编号为 1002、1003", []string{"order:1002", "order:1003"}},
		{"您的订单＃1002", []string{"order:1002"}},
		{"Where is HL-100101?", []string{"order:HL-100101"}},
		{"Order status for HL-100102, email Emily.Carter@Example.com", []string{"order:HL-100102", "email:emily.carter@example.com"}},
		{"我要退货，订单 HL-100101", []string{"order:HL-100101"}},
		{"order ORD-2024-00123", []string{"order:ORD-2024-00123"}},
		{"order 112-3456789-1234567", []string{"order:112-3456789-1234567"}},

		// SKUs are not order numbers.
		{"Is SKU HL-12345 in stock?", []string{"sku:HL-12345"}},
		{"SKU for the red one: HL-12345", []string{"sku:HL-12345"}},
		{"Do you have HL-JKT-001-BLU-M?", []string{"sku:HL-JKT-001-BLU-M"}},
		{"I'd like to order hl-jkt-001", []string{"sku:HL-JKT-001"}},
		{"型号HL-2000", []string{"sku:HL-2000"}},
		{"货号：TNT2001", []string{"sku:TNT2001"}},
		{"return item 2 of order 40218", []string{"order:40218"}},

		// Other codes are nothing.
		{"Tracking number SF-1234567", nil},
		{"tracking SF1234567890", nil},
		{"the tracking number for your parcel is SF-1234567", nil},
		{"快递单号SF-1234567", nil},
		{"coupon code SAVE-2024", nil},
		{"can you track HL-100101 for me", []string{"order:HL-100101"}},
		{"I mean HL-100101", []string{"order:HL-100101"}},

		// Phones and postcodes are not order numbers.
		{"phone 138 0013 8000", []string{"phone:13800138000"}},
		{"+86 138-0013-8000", []string{"phone:+8613800138000"}},
		{"手机13800138000", []string{"phone:13800138000"}},
		{"call (775) 555-0123 or 775.555.0123", []string{"phone:7755550123", "phone:7755550123"}},
		{"+1 775-555-0123", []string{"phone:+17755550123"}},
		{"+86 13800138000 or +86-13800138000", []string{"phone:+8613800138000", "phone:+8613800138000"}},
		{"北京 010-12345678", []string{"phone:01012345678"}},
		{"call 400-820-1234", []string{"phone:4008201234"}},
		{"zip 89501", []string{"postcode:89501"}},
		{"ZIP 94105-1234, 100101 Beijing", []string{"postcode:94105-1234", "postcode:100101"}},
		{"London SW1A 1AA, Ottawa K1A 0B1", []string{"postcode:SW1A1AA", "postcode:K1A0B1"}},
		{"order 40218, postcode 89501, phone 775-555-0123", []string{"order:40218", "postcode:89501", "phone:7755550123"}},
		{"订单 40218，手机 138 0013 8000", []string{"order:40218", "phone:13800138000"}},
		{"12345 9876543", []string{"postcode:12345", "phone:9876543"}},

		// None of them.
		{"You can order 100 pieces.", nil},
		{"订单满 100 件包邮", nil},
		{"orders over $100", nil},
		{"订单 199 元包邮, order 250 dollars", nil},
		{"order 12 more", nil},
		{"order 2024-05-01", nil},
		{"order 1002.50", nil},
		{"Your order is on its way.", nil},
		{"reorder 1002, preordered 1003", nil},
		{"Colors #FF0000 and #00F", nil},
		{"&#1234; #12", nil},
		{"iPhone-15, USB-C, Wi-Fi 6, COVID-19", nil},
		{"2024-05-01T10:00", nil},
		{"see https://shop.example/p/TNT-2001", nil},
		{"Write to ab-123@example.com or shop-123.com", []string{"email:ab-123@example.com"}},
		{"it costs $12345 or 12999元, 1,299,000 or 3.14159", nil},
		{"save 15% on 12345678.90", nil},
	})
}

// TestFindKnown pins what the catalog's knowledge changes: an uncued or
// plainly cued identifier the shop sells is a SKU, one after '#' stays an
// order number.
func TestFindKnown(t *testing.T) {
	known := func(sku string) bool { return sku == "HL-12345" || sku == "P-00042" || sku == "TENT-GREEN" }
	checkFind(t, known, []findCase{
		{"Is HL-12345 in stock?", []string{"sku:HL-12345"}},
		{"is hl-12345 in stock?", []string{"sku:HL-12345"}},
		{"I'd like to order P-00042", []string{"sku:P-00042"}},
		{"order #HL-12345", []string{"order:HL-12345"}},
		{"Where is HL-100101?", []string{"order:HL-100101"}},
		{"tent-green please", []string{"sku:TENT-GREEN"}},
	})
}

func TestHelpers(t *testing.T) {
	text := "My order is 12345, email A@B.co, phone 138 0013 8000, zip 89501, SKU HL-12345, also #40218"
	for _, tc := range []struct {
		name string
		got  []string
		want []string
	}{
		{"OrderNumbers", OrderNumbers(text), []string{"12345", "40218"}},
		{"Emails", Emails(text), []string{"a@b.co"}},
		{"Phones", Phones(text), []string{"13800138000"}},
		{"Postcodes", Postcodes(text), []string{"89501"}},
		{"SKUs", SKUs(text), []string{"HL-12345"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if !slices.Equal(tc.got, tc.want) {
				t.Errorf("%s = %q, want %q", tc.name, tc.got, tc.want)
			}
		})
	}
	if got := OrderNumber(text); got != "12345" {
		t.Errorf("OrderNumber = %q", got)
	}
	if got := OrderNumber("nothing here"); got != "" {
		t.Errorf("OrderNumber of no order = %q", got)
	}
	for in, want := range map[string]string{" #hl-100101 ": "HL-100101", "＃1002": "1002", "so-5": "SO-5", "订单": "订单"} {
		if got := NormalizeOrder(in); got != want {
			t.Errorf("NormalizeOrder(%q) = %q, want %q", in, got, want)
		}
	}
	if got := Digits("+86 138-0013-8000 ８"); got != "8613800138000" {
		t.Errorf("Digits = %q", got)
	}
}

// FuzzExtract checks that Find never panics and returns sorted,
// disjoint mentions whose values are the normalisations of their text.
func FuzzExtract(f *testing.F) {
	for _, s := range []string{
		"My order is 12345", "#40218 and ＃1002", "订单号40218，手机 +86 138-0013-8000", "Is SKU HL-12345 in stock?",
		"HL-JKT-001-BLU-M", "a@b.co (775) 555-0123 SW1A 1AA 94105-1234", "order 1002.50 $12345 订单 199 元",
		"orders 1002, 1003 and #1004", "\xff#\xfe12345", "+(", "1-", "order#", "快递单号SF-1234567",
	} {
		f.Add(s)
	}
	known := func(s string) bool { return strings.HasPrefix(s, "HL-") }
	f.Fuzz(func(t *testing.T, s string) {
		for _, kn := range []func(string) bool{nil, known} {
			end := 0
			for _, m := range Find(s, kn) {
				if m.Start < end || m.Start >= m.End || m.End > len(s) {
					t.Fatalf("Find(%q): bad span %+v after %d", s, m, end)
				}
				end = m.End
				if m.Value == "" || m.Value != normalize(m.Kind, s[m.Start:m.End]) {
					t.Fatalf("Find(%q): %+v is not the normalisation of %q", s, m, s[m.Start:m.End])
				}
			}
		}
	})
}
