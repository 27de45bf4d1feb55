package index

import (
	"strings"
	"testing"
)

func TestKindFor(t *testing.T) {
	long := strings.Repeat("Our return policy covers many cases. ", 80)
	for _, tc := range []struct {
		name string
		doc  Document
		want string
	}{
		{"question record", Document{Title: "How long do I have to return an item?", Text: "30 days.", Whole: true}, KindFAQ},
		{"Chinese question", Document{Title: "签收后多久可以退货？", Text: "30天内。"}, KindFAQ},
		{"short page asking", Document{Title: "Do you ship to Canada? ", Text: "Yes, in 5-10 business days."}, KindFAQ},
		{"answer in blocks", Document{Title: "Do you ship to Canada?", Blocks: []Block{{Kind: Heading, Level: 1, Text: "Do you ship to Canada?"}, {Kind: Paragraph, Text: "Yes."}}}, KindFAQ},
		{"long record", Document{Title: "What is your return policy?", Text: long, Whole: true}, KindFAQ},
		{"long page asking", Document{Title: "What is your return policy?", Text: long}, KindPage},
		{"no answer", Document{Title: "Do you ship to Canada?", Blocks: []Block{{Kind: Heading, Level: 1, Text: "Do you ship to Canada?"}}}, KindPage},
		{"statement", Document{Title: "Shipping to Canada", Text: "Yes, in 5-10 business days.", Whole: true}, KindPage},
		{"question inside", Document{Title: "Why? Because", Text: "x"}, KindPage},
	} {
		if got := KindFor(&tc.doc); got != tc.want {
			t.Errorf("%s: KindFor = %q, want %q", tc.name, got, tc.want)
		}
	}
}
