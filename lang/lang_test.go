package lang

import "testing"

func TestDetect(t *testing.T) {
	for _, tc := range []struct{ text, want string }{
		{"Where is my order?", English},
		{"我的订单到哪里了？", Chinese},
		{"我想退货 iPhone 15 的保护壳", Chinese},
		{"请问 Storm Shell Jacket 有蓝色M码吗", Chinese},
		{"Can I return the 冲锋衣 I bought last week?", English},
		{"退货 return", Chinese},
		{"A1001", English},
		{"我的邮箱是 chen.siyuan@example.cn", Chinese},
		{"我的邮箱是chen.siyuan@example.cn，电话13800138000", Chinese},
		{"看这个 https://shop.example.com/products/storm-shell-jacket", Chinese},
		{"my email is emily.carter@example.com", English},
		{"emily.carter@example.com", English},
		{"", English},
		{"？！", English},
	} {
		if got := Detect(tc.text); got != tc.want {
			t.Errorf("Detect(%q) = %s, want %s", tc.text, got, tc.want)
		}
	}
}

func BenchmarkDetect(b *testing.B) {
	s := "请问 Storm Shell Jacket 有蓝色M码吗？我上周下单的订单号是 HL-100123。"
	for range b.N {
		Detect(s)
	}
}

func TestTokens(t *testing.T) {
	for _, tc := range []struct {
		s    string
		want int
	}{
		{"", 0},
		{"hello", 2},
		{"return policy", 4},
		{"退货政策", 4},
		{"退货 policy.", 5},
		{"Order HL-100101, please!", 10},
	} {
		t.Run(tc.s, func(t *testing.T) {
			if got := Tokens(tc.s); got != tc.want {
				t.Errorf("Tokens(%q) = %d, want %d", tc.s, got, tc.want)
			}
			var c TokenCounter
			for _, r := range tc.s {
				c.Add(r)
			}
			if c.Total() != tc.want {
				t.Errorf("TokenCounter over %q = %d, want %d", tc.s, c.Total(), tc.want)
			}
		})
	}
}

func TestRunesBefore(t *testing.T) {
	s := "ab不用人工"
	i := len("ab不用")
	for _, c := range []struct{ n, want int }{{0, i}, {1, len("ab不")}, {2, len("ab")}, {3, 1}, {9, 0}} {
		if got := RunesBefore(s, i, c.n); got != c.want {
			t.Errorf("RunesBefore(%q, %d, %d) = %d, want %d", s, i, c.n, got, c.want)
		}
	}
}

func TestHasHan(t *testing.T) {
	for s, want := range map[string]bool{"": false, "rain jacket": false, "yrf有红色的吗": true, "Größe M": false, "ＡＢＣ": false, "睡袋": true} {
		if got := HasHan(s); got != want {
			t.Errorf("HasHan(%q) = %v, want %v", s, got, want)
		}
	}
}
