package redact

import (
	"strings"
	"testing"

	"github.com/shopdesk/shopdesk/mention"
)

func TestText(t *testing.T) {
	for _, tc := range []struct {
		in    string
		known []string
		want  string
	}{
		{"My email is emily.carter@example.com, order HL-100101", nil, "My email is [email], order [order number]"},
		{"call me on 138 0013 8000 or +1 (775) 555-0123", nil, "call me on [phone] or [phone]"},
		{"订单号40218，邮编100083", nil, "订单号[order number]，邮编[postcode]"},
		{"Hi, my name is Emily Carter and I live at 221 Baker Street, Apt 4", nil, "Hi, my name is [name] and I live at [address]"},
		{"I'm Marcus, where is my parcel?", nil, "I'm [name], where is my parcel?"},
		{"I'm sorry but I'm Not happy", nil, "I'm sorry but I'm Not happy"},
		{"我叫王小明，地址是北京市海淀区中关村大街27号", nil, "我叫[name]，[address]"},
		{"我是新客户，怎么退货？", nil, "我是新客户，怎么退货？"},
		{"Thanks, emily said the tent is great", []string{"Emily Carter"}, "Thanks, [name] said the tent is great"},
		{"How long do I have to return an item?", nil, "How long do I have to return an item?"},
		{"", nil, ""},
	} {
		t.Run(tc.in, func(t *testing.T) {
			if got := Text(tc.in, tc.known...); got != tc.want {
				t.Fatalf("Text(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

func FuzzText(f *testing.F) {
	f.Add("my name is Ann, 12 Main St, ann@example.com, 13800138000", "Ann")
	f.Add("我叫李雷，订单 40218", "李雷")
	f.Fuzz(func(t *testing.T, s, known string) {
		out := strings.ToLower(Text(s, known))
		for _, e := range mention.Emails(s) {
			if strings.Contains(out, strings.ToLower(e)) {
				t.Fatalf("e-mail %q survived: %q", e, out)
			}
		}
	})
}

func TestRemove(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"My name is Jane Doe and I want to return boots", "and I want to return boots"},
		{"I'm Marcus, where is my parcel?", "where is my parcel?"},
		{"email me at jane.doe@example.com about returns", "email me at about returns"},
		{"ship to 5 Elm St please, how long does it take", "how long does it take"},
		{"我叫王芳，退货要多久", "退货要多久"},
		{"is SKU HL-JKT-001 waterproof", "is SKU HL-JKT-001 waterproof"},
	} {
		if got := Remove(tc.in); got != tc.want {
			t.Errorf("Remove(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
