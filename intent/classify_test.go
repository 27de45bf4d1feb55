package intent

import "testing"

func TestClassify(t *testing.T) {
	c := Default()
	for _, tc := range []struct {
		text string
		want Label
	}{
		{"where is my order 10234?", OrderStatus},
		{"我的快递怎么还没发货", OrderStatus},
		{"show me my order history", ListOrders},
		{"I want to return these boots, they're too small", StartReturn},
		{"我要退货", StartReturn},
		{"how much is the Cove 2 tent?", ProductLookup},
		{"冲锋衣有黑色吗", ProductLookup},
		{"please cancel my order", CancelOrder},
		{"帮我取消订单", CancelOrder},
		{"I need to change the shipping address on my order", ChangeAddress},
		{"where is my refund?", RefundStatus},
		{"能开发票吗", Invoice},
		{"what is your return policy?", None},
		{"退货政策是什么", None},
		{"hello", None},
		{"", None},
		// The messages the issue names as missed by the former patterns;
		// only "羽绒服多少钱" is in a data file.
		{"Where's my order?", OrderStatus},
		{"Has my package shipped yet?", OrderStatus},
		{"Is my order on its way?", OrderStatus},
		{"我的快递怎么还没到", OrderStatus},
		{"物流单号是多少", OrderStatus},
		{"Is the Cove tent still available?", ProductLookup},
		{"Do you have the rain jacket in green?", ProductLookup},
		{"羽绒服多少钱", ProductLookup},
		{"I want to send these boots back", StartReturn},
		{"这个鞋子不合适，能换大一码吗", StartReturn},
		{"How long do I have to return an item?", None},
	} {
		got, conf := c.Classify(tc.text)
		if got != tc.want || conf < 0 || conf > 1 {
			t.Errorf("Classify(%q) = %s %.2f, want %s", tc.text, got, conf, tc.want)
		}
	}
}
