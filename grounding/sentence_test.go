package grounding

import (
	"slices"
	"strings"
	"testing"
)

func TestSplitUnits(t *testing.T) {
	for _, tc := range []struct {
		text    string
		protect string // a substring no cut may fall inside
		want    []string
	}{
		{"It costs $12.99. Ships today.", "", []string{"It costs $12.99. ", "Ships today."}},
		{"Use e.g. soap. Then rinse.", "", []string{"Use e.g. soap. ", "Then rinse."}},
		{"Dr. Smith is here! Is it? Yes.", "", []string{"Dr. Smith is here! ", "Is it? ", "Yes."}},
		{"Wait... what?! Fine.", "", []string{"Wait... ", "what?! ", "Fine."}},
		{"No. 5 is ours. No. It is not.", "", []string{"No. 5 is ours. ", "No. ", "It is not."}},
		{"Open at 9 a.m. daily. Closed Sundays.", "", []string{"Open at 9 a.m. daily. ", "Closed Sundays."}},
		{"Visit shop.example/a?b=1 now. OK", "", []string{"Visit shop.example/a?b=1 now. ", "OK"}},
		{"Done.[1] Next. [2][3] End", "", []string{"Done.[1] ", "Next. [2][3] ", "End"}},
		{`He said "ok." Then left.`, "", []string{`He said "ok." `, "Then left."}},
		{"好的。我们马上处理！请稍等？谢谢；再见", "", []string{"好的。", "我们马上处理！", "请稍等？", "谢谢；", "再见"}},
		{"他说“好的。”然后走了。", "", []string{"他说“好的。”", "然后走了。"}},
		{"运费15元【1】。退货30天【2】。", "", []string{"运费15元【1】。", "退货30天【2】。"}},
		{"已发货。【1】 预计3天到。", "", []string{"已发货。【1】 ", "预计3天到。"}},
		{"Intro:\n- one. two.\n- three\n1. four. five.\n2) six. seven.\nlast. end", "",
			[]string{"Intro:\n", "- one. two.\n", "- three\n", "1. four. five.\n", "2) six. seven.\n", "last. ", "end"}},
		{"• 一。二。\n① 三。四。\n一、五。六。\n（1）七。八。\n| a. | b. |\n", "",
			[]string{"• 一。二。\n", "① 三。四。\n", "一、五。六。\n", "（1）七。八。\n", "| a. | b. |\n"}},
		{"First.\n\nSecond.\n", "", []string{"First.\n", "\n", "Second.\n"}},
		{"Buy the Acme Co. Tent today. Bye", "Acme Co. Tent", []string{"Buy the Acme Co. Tent today. ", "Bye"}},
		{"Buy the Acme Co. Tent today. Bye", "", []string{"Buy the Acme Co. ", "Tent today. ", "Bye"}},
		{"", "", nil},
		{"\xff. \xfe。", "", []string{"\xff. ", "\xfe。"}},
	} {
		t.Run(tc.text, func(t *testing.T) {
			var protect []bool
			if k := strings.Index(tc.text, tc.protect); tc.protect != "" && k >= 0 {
				protect = make([]bool, len(tc.text))
				for i := k + 1; i < k+len(tc.protect); i++ {
					protect[i] = true
				}
			}
			var got []string
			for _, u := range splitUnits(tc.text, protect) {
				got = append(got, tc.text[u.start:u.end])
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("splitUnits(%q) =\n%q, want\n%q", tc.text, got, tc.want)
			}
		})
	}
}
