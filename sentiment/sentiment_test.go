package sentiment

import (
	"bufio"
	"encoding/json"
	"math"
	"os"
	"testing"
)

func TestClassify(t *testing.T) {
	for _, tc := range []struct {
		name, text string
		want       Label
	}{
		{"plain question", "Where is my order?", Neutral},
		{"plain question zh", "我的订单到哪了？", Neutral},
		{"empty", "", Neutral},
		{"order number", "A1001", Neutral},
		{"negative word", "This is the worst service ever.", Negative},
		{"positive word", "Thanks, that was helpful.", Positive},
		{"negated positive", "The quality is not good.", Negative},
		{"negated negative", "Not bad at all.", Positive},
		{"negation reaches over a booster", "It is not very good.", Negative},
		{"negation stops at a comma", "No, the blender is great.", Positive},
		{"no problem is not a problem", "No problem, I can wait.", Neutral},
		{"curly apostrophe", "I don’t like the smell.", Negative},
		{"diminished is still negative", "It's a bit slow.", Negative},
		{"contrast weighs the second half", "The box is nice but the cup arrived broken.", Negative},
		{"yes/no question about a quality", "Is this jacket good for hiking?", Neutral},
		{"hypothetical in a question", "What does the warranty cover if it caught fire?", Neutral},
		{"repeated question marks", "Where is my order???", Negative},
		{"shouting", "WHERE IS MY ORDER", Negative},
		{"capitals with thanks", "THANK YOU SO MUCH", Positive},
		{"emphatic NOT", "The jacket is NOT waterproof.", Negative},
		{"negative emoji", "order 123 😡", Negative},
		{"positive emoji", "ok 👍", Positive},
		{"heart with variation selector", "❤️", Positive},
		{"ascii emoticon", "got it :(", Negative},
		{"zh negative", "太差了，质量真的很垃圾。", Negative},
		{"zh 不错 is positive", "质量不错", Positive},
		{"zh 不满意 is negative", "我很不满意", Negative},
		{"zh negated positive", "东西不好用", Negative},
		{"zh negation over a booster", "不是很喜欢", Negative},
		{"zh 不太 negates", "不太喜欢", Negative},
		{"zh diminisher", "有点失望", Negative},
		{"zh intensifier", "非常感谢", Positive},
		{"zh 好的 is not praise", "好的，我再等等。", Neutral},
		{"zh 你好 is not praise", "你好，在吗？", Neutral},
		{"zh 不好意思 is not a complaint", "不好意思，请问几点发货？", Neutral},
		{"zh 快递 is not fast", "发什么快递？", Neutral},
		{"zh 特别 is not 别", "特别喜欢", Positive},
		{"zh 别的 is not a negation", "别的颜色还有吗？", Neutral},
		{"zh 什么 is not a yes/no question", "这是什么垃圾产品？", Negative},
		{"zh yes/no question", "人工皮革容易开裂吗？", Neutral},
		{"zh might-it question", "会不会褪色？", Neutral},
		{"zh repeated question marks", "怎么还没发货？？", Negative},
		{"zh exclamations", "物流太慢了！！", Negative},
		{"mixed, English dominant", "The 充电器 is broken, very disappointed.", Negative},
		{"mixed, Chinese dominant", "这个 power bank 质量太差了", Negative},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := Classify(tc.text)
			if got.Label != tc.want {
				t.Errorf("Classify(%q) = %+v, want %s", tc.text, got, tc.want)
			}
		})
	}
}

// TestRulesOrder checks that the rules move the score the right way.
func TestRulesOrder(t *testing.T) {
	for _, tc := range []struct {
		name, weaker, stronger string
	}{
		{"intensifier", "good", "very good"},
		{"exclamation", "good", "good!!!"},
		{"capitals", "this is good", "this is GOOD"},
		{"negated negative is weaker than positive", "not bad", "good"},
		{"zh intensifier", "满意", "非常满意"},
		{"emoji adds", "thanks", "thanks 😊"},
		// For negative text, "stronger" is more negative: compare negated scores.
	} {
		t.Run(tc.name, func(t *testing.T) {
			w, s := Classify(tc.weaker).Score, Classify(tc.stronger).Score
			if !(s > w) {
				t.Errorf("score(%q) = %.3f, want above score(%q) = %.3f", tc.stronger, s, tc.weaker, w)
			}
		})
	}
	for _, tc := range []struct {
		name, milder, harsher string
	}{
		{"diminisher", "a bit slow", "slow"},
		{"zh diminisher", "有点慢", "慢"},
		{"intensifier", "bad", "extremely bad"},
		{"exclamation", "terrible", "terrible!!"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m, h := Classify(tc.milder).Score, Classify(tc.harsher).Score
			if !(h < m) {
				t.Errorf("score(%q) = %.3f, want below score(%q) = %.3f", tc.harsher, h, tc.milder, m)
			}
		})
	}
}

func TestLabelFor(t *testing.T) {
	for _, tc := range []struct {
		score float64
		want  Label
	}{
		{-1, Negative}, {-NeutralBand, Negative}, {-0.049, Neutral}, {0, Neutral},
		{0.049, Neutral}, {NeutralBand, Positive}, {1, Positive},
	} {
		if got := LabelFor(tc.score); got != tc.want {
			t.Errorf("LabelFor(%v) = %s, want %s", tc.score, got, tc.want)
		}
	}
}

func loadTexts(tb testing.TB) []string {
	tb.Helper()
	f, err := os.Open("testdata/labelled.jsonl")
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	var texts []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		var ex struct{ Text string }
		if err := json.Unmarshal(sc.Bytes(), &ex); err != nil {
			tb.Fatal(err)
		}
		texts = append(texts, ex.Text)
	}
	if len(texts) == 0 {
		tb.Fatal("no labelled texts")
	}
	return texts
}

// TestAllocations: tokens come from a pool; only a message with capital
// letters is copied, once, to lower-case it.
func TestAllocations(t *testing.T) {
	for _, tc := range []struct {
		text string
		max  float64
	}{
		{"Where is my order? It's been two weeks!!", 1},
		{"where is my order? it's been two weeks!!", 0},
		{"等了半个月还没到，太失望了。", 0},
	} {
		if n := testing.AllocsPerRun(100, func() { Classify(tc.text) }); n > tc.max {
			t.Errorf("Classify(%q) allocates %v times, want at most %v", tc.text, n, tc.max)
		}
	}
}

func BenchmarkClassify(b *testing.B) {
	texts := loadTexts(b)
	b.ResetTimer()
	n := 0
	for b.Loop() {
		Classify(texts[n%len(texts)])
		n++
	}
	perMessage := float64(b.Elapsed().Nanoseconds()) / float64(n)
	b.ReportMetric(perMessage, "ns/msg")
	b.ReportMetric(100_000, "target-ns/msg")
	b.Logf("Classify: %.0f ns a message over %d labelled messages; target: well under 1 ms (target ≤ 100 µs)", perMessage, len(texts))
}

func FuzzClassify(f *testing.F) {
	for _, s := range []string{
		"", "Where is my order?", "NOT bad!!! 😡😡", "不不不不满意？？", "太好了", ":-( :) :D :",
		"don’t", "'''", "\xff\xfe", "❤️‍🔥", "a bit a bit a bit very very very", "但是但是不过",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		r := Classify(s)
		if math.IsNaN(r.Score) || r.Score < -1 || r.Score > 1 {
			t.Fatalf("Classify(%q) score %v outside [-1, 1]", s, r.Score)
		}
		if r.Label != LabelFor(r.Score) {
			t.Fatalf("Classify(%q) = %+v: label does not match score", s, r)
		}
	})
}
