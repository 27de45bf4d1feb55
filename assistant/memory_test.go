package assistant

import (
	"strings"
	"testing"

	"github.com/shopdesk/shopdesk/catalog"
	"github.com/shopdesk/shopdesk/commerce"
	"github.com/shopdesk/shopdesk/conversation"
)

// TestRemember pins what the memory takes from a message, through
// package mention and the catalog snapshot, including the forms the old
// patterns missed or misread (issue 9).
func TestRemember(t *testing.T) {
	snap := catalog.New([]commerce.Product{
		{SKU: "HL-TNT-001", Name: "Cove 2 Backpacking Tent", NameZh: "海湾双人徒步帐篷"},
		{SKU: "HL-12345", Name: "Summit Daypack"},
		{SKU: "HL-BPK-001", Name: "Harbor 28L Daypack"},
		{SKU: "trail-runner", Name: "Trail Runner — Black", Variants: []commerce.Variant{{SKU: "88231-BLK-9"}}},
	})
	for _, tc := range []struct {
		msg  string
		snap *catalog.Snapshot
		want conversation.Details
	}{
		{"My order is 12345", snap, conversation.Details{OrderNumber: "12345"}},
		{"订单 40218，邮箱 Li.Wei@Example.com", snap, conversation.Details{OrderNumber: "40218", Email: "li.wei@example.com"}},
		{"where is #hl-100101?", snap, conversation.Details{OrderNumber: "HL-100101"}},
		{"Is SKU HL-12345 in stock?", snap, conversation.Details{Product: "Summit Daypack"}},
		{"Is HL-12345 in stock?", snap, conversation.Details{Product: "Summit Daypack"}},
		{"Is HL-12345 in stock?", nil, conversation.Details{OrderNumber: "HL-12345"}},
		{"do you have 88231-blk-9?", snap, conversation.Details{Product: "Trail Runner — Black"}},
		{"I'm looking at the trail runner", snap, conversation.Details{Product: "Trail Runner — Black"}},
		{"我想看看海湾双人徒步帐篷", snap, conversation.Details{Product: "Cove 2 Backpacking Tent"}},
		{"call me on 138 0013 8000, zip 89501", snap, conversation.Details{}},
		// Partly, by kind, misspelt; not a kind two products share.
		{"is the Cove tent still available?", snap, conversation.Details{Product: "Cove 2 Backpacking Tent"}},
		{"帐篷多少钱", snap, conversation.Details{Product: "Cove 2 Backpacking Tent"}},
		{"the cove tnet", snap, conversation.Details{Product: "Cove 2 Backpacking Tent"}},
		{"do you sell daypacks?", snap, conversation.Details{}},
		{"how long is shipping?", snap, conversation.Details{}},
	} {
		t.Run(tc.msg, func(t *testing.T) {
			var d conversation.Details
			remember(&d, tc.msg, tc.snap)
			if d != tc.want {
				t.Errorf("remember(%q) = %+v, want %+v", tc.msg, d, tc.want)
			}
		})
	}
}

// TestShoppersOrderNumberInEveryForm: an order number the shopper gave,
// in any form, may be repeated back. "My order is 12345" used to go
// unremembered, so a correct answer naming order 12345 was replaced by
// "I don't know".
func TestShoppersOrderNumberInEveryForm(t *testing.T) {
	for _, msg := range []string{
		"My order is 12345. How long do I have to return an item?",
		"Order number is 12345 - how long do I have to return an item?",
		"#12345: how long do I have to return an item?",
		"订单号12345. How long do I have to return an item?",
	} {
		// No '#' in the test's name: sqlite.Open cuts its data directory's
		// path there.
		t.Run(strings.ReplaceAll(msg, "#", "No."), func(t *testing.T) {
			r := newRig(t, says("For order 12345, you can return most items within 30 days of delivery [1]."), nil)
			reply, _ := r.ask(t, "", msg)
			if reply.Outcome != OutcomeAnswered || !strings.Contains(reply.Answer, "order 12345") {
				t.Errorf("%s: %q; the shopper's own order number should stay", reply.Outcome, reply.Answer)
			}
		})
	}
}
