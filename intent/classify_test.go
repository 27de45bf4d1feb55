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
	} {
		got, conf := c.Classify(tc.text)
		if got != tc.want || conf < 0 || conf > 1 {
			t.Errorf("Classify(%q) = %s %.2f, want %s", tc.text, got, conf, tc.want)
		}
	}
}
