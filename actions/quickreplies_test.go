package actions

import (
	"strings"
	"testing"

	"github.com/shopdesk/shopdesk/conversation"
)

// A shopper who only ever taps the quick replies offered gets through a
// guided return in either language: every question offers some, and each
// one offered is understood by the step that asked.
func TestReturnFlowQuickReplies(t *testing.T) {
	for _, tc := range []struct {
		lang, start string
		pick        []int // which quick reply to tap at each question
		want        [][]string
	}{
		{"en", "I want to return something from order HL-100101", []int{0, 0, 0, 1, 0, 0},
			[][]string{{"1. Storm Shell Waterproof Jacket — Blue / M", "All items"}, {"It doesn't fit"}, {"Yes", "No"}, {"Refund", "Exchange"}, {"blue L"}, {"Yes", "No"}}},
		{"zh", "我要退货，订单 HL-100101", []int{0, 0, 0, 0, 0},
			[][]string{{"全部"}, {"尺码不合适"}, {"是", "不是"}, {"退款", "换货"}, {"是", "不是"}}},
	} {
		t.Run(tc.lang, func(t *testing.T) {
			a, shop := newActions(t)
			c := &conversation.Conversation{ID: "q-" + tc.lang, Tenant: "shop", CustomerID: "C001"}
			res := turn(t, a, c, tc.lang, tc.start)
			for i, pick := range tc.pick {
				for _, w := range tc.want[i] {
					if !contains(res.QuickReplies, w) {
						t.Fatalf("question %d %q offers %q, want %q among them", i, res.Text, res.QuickReplies, w)
					}
				}
				res = turn(t, a, c, tc.lang, res.QuickReplies[pick])
			}
			if !strings.Contains(res.Text, "RMA-TEST0001") || len(res.QuickReplies) != 0 || len(shop.returns) != 1 {
				t.Fatalf("after the last quick reply: %+v (%d returns)", res, len(shop.returns))
			}
		})
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
