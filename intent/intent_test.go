package intent

import (
	"bytes"
	"fmt"
	"testing"
)

func TestProjectSet(t *testing.T) {
	all := ProjectExamples()
	count := map[Label]map[string]int{}
	first := 0
	for _, ex := range all {
		if count[ex.Intent] == nil {
			count[ex.Intent] = map[string]int{}
		}
		count[ex.Intent][ex.Lang]++
	}
	// examples.jsonl keeps the splits SplitOf gave it before any training.
	frozen, err := ParseExamples(bytes.NewReader(projectSet))
	if err != nil {
		t.Fatal(err)
	}
	for _, ex := range frozen {
		first++
		if got := SplitOf(ex.Text); got != ex.Split {
			t.Errorf("%q: split %s, SplitOf says %s", ex.Text, ex.Split, got)
		}
	}
	more, err := ParseExamples(bytes.NewReader(projectMore))
	if err != nil {
		t.Fatal(err)
	}
	for _, ex := range more {
		if ex.Split != SplitTrain {
			t.Errorf("train_more.jsonl: %q is in %s, want train only", ex.Text, ex.Split)
		}
	}
	if first < 800 {
		t.Errorf("%d examples in the frozen set, want at least 800", first)
	}
	for _, l := range Labels {
		for _, lang := range []string{"en", "zh"} {
			if count[l][lang] < 25 {
				t.Errorf("%s %s: %d examples, want at least 25", l, lang, count[l][lang])
			}
		}
	}
	if n := len(TemplateExamples()); n < 1000 {
		t.Errorf("%d template examples", n)
	}
}

// TestShippedModel holds the embedded classifier to floors a little under
// what it measured. Test was looked at once a round, after the model was
// frozen. Second round (L-BFGS, train_extra.jsonl, thresholds fitted on
// dev and dev2 and capped at 0.5): en 0.908 (59/65), zh 0.915 (86/94).
// Third round (train_r3.jsonl, thresholds fitted on the three dev sets):
// en 0.923 (60/65), zh 0.904 (85/94, under the 0.92), two Chinese
// None messages taken as actions. Test3, written by a writer who read no
// data file, measured once on the third round's model: en 0.930
// (106/114), zh 0.888 (95/107), None as actions en 1, zh 2. Fifth round
// (train_r5.jsonl, None weighing 1.5), measured once: test en 0.908
// (59/65), zh 0.894 (84/94); test2 en 0.973, zh 0.922; test3 en 0.956,
// zh 0.944; None as actions as before on each. Test4, written in the
// sixth round by a writer who read no data file, measured once on the
// fifth round's model: en 0.929 (104/112), zh 0.894 (101/113), no None
// as actions. Sixth round (train_r6.jsonl, None weighing 2), measured
// once: test en 0.923 (60/65), zh 0.926 (87/94), None as actions en 0,
// zh 1; test2 en 0.973, zh 0.951 (2, 2); test3 en 0.965, zh 0.972 (1,
// 1); test4 en 0.929, zh 0.912 (0, 0). Test5, written in the seventh
// round the same way, measured once on the sixth round's model: en 0.933
// (98/105), zh 0.971 (100/103), None as actions en 1, zh 2. Seventh
// round (train_r7.jsonl, None weighing 1.5 again), measured once: test en
// 0.938 (61/65), zh 0.947 (89/94), None as actions en 0, zh 1; test2 en
// 0.973, zh 0.961 (2, 2); test3 en 0.974, zh 0.972 (1, 1); test4 en
// 0.964, zh 0.938 (0, 0); test5 en 0.943, zh 0.981 (1, 2). Test6,
// written in the eighth round the same way, measured once on the
// seventh round's model, which the eighth did not replace: en 0.929
// (104/112), zh 0.956 (109/114), None as actions en 2, zh 0. Dev is where
// the thresholds were fitted, so its figures are in-sample.
func TestShippedModel(t *testing.T) {
	c := Default()
	all := ProjectExamples()
	for _, tc := range []struct {
		split                  string
		en, zh                 float64
		noneAsActionEN, noneZH int
	}{
		{SplitDev, 0.92, 0.93, 2, 3},
		{SplitTest, 0.93, 0.94, 0, 1},
		{SplitTest2, 0.97, 0.96, 2, 2},
		{SplitTest3, 0.97, 0.97, 1, 1},
		{SplitTest4, 0.96, 0.93, 0, 0},
		{SplitTest5, 0.94, 0.98, 1, 2},
		{SplitTest6, 0.92, 0.95, 2, 0},
	} {
		rep := Evaluate(c.Classify, splitOf(all, tc.split))
		t.Logf("%s:\n%s", tc.split, rep)
		if testing.Verbose() {
			fmt.Printf("%s split:\n%s\n", tc.split, rep)
			for _, m := range rep.Misses {
				fmt.Printf("  miss %s: want %s got %s %.2f %q\n", m.Lang, m.Intent, m.Got, m.Confidence, m.Text)
			}
		}
		floors := map[string]float64{"en": tc.en, "zh": tc.zh}
		allowed := map[string]int{"en": tc.noneAsActionEN, "zh": tc.noneZH}
		for _, lang := range []string{"en", "zh"} {
			if a := rep.ByLanguage[lang]; a.Value < floors[lang] || a.Total < 50 {
				t.Errorf("%s %s accuracy %.3f (%d messages), floor %.2f", tc.split, lang, a.Value, a.Total, floors[lang])
			}
			if n := rep.NoneAsAction[lang]; n > allowed[lang] {
				t.Errorf("%s %s: %d None messages taken as actions, want at most %d", tc.split, lang, n, allowed[lang])
			}
		}
	}
}
