package intent

import (
	"bytes"
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/shopdesk/shopdesk/bitext"
	"github.com/shopdesk/shopdesk/inference/ollamatest"
	"github.com/shopdesk/shopdesk/textclass"
)

// allExamples returns the project's set plus Bitext's, skipping the test
// when the shared data is missing.
func allExamples(t testing.TB) []Example {
	t.Helper()
	dir, err := ollamatest.SharedDir()
	if err != nil {
		t.Skip(err)
	}
	rows, err := bitext.Read(dir)
	if err != nil {
		t.Skip(err)
	}
	return append(ProjectExamples(), BitextExamples(rows)...)
}

// TestCompare trains the variants considered and prints their figures on
// the three dev sets, each with the thresholds fitted on the other two
// (so that none measures its own thresholds); it chose DefaultFeatures,
// DefaultTrain, DefaultWeights and DefaultHeadroom. It never looks at
// test. Run it with SHOPDESK_COMPARE=1 (SHOPDESK_COMPARE=name,name for
// some).
func TestCompare(t *testing.T) {
	which := os.Getenv("SHOPDESK_COMPARE")
	if which == "" {
		t.Skip("set SHOPDESK_COMPARE=1")
	}
	all := append(allExamples(t), TemplateExamples()...)
	// without leaves out the project's examples from one embedded file.
	without := func(data []byte) []Example {
		in := textsOf(t, data)
		return slices.DeleteFunc(slices.Clone(all), func(ex Example) bool { return ex.Source == SourceProject && in[ex.Text] })
	}
	var noBitext, noTemplates []Example
	for _, ex := range all {
		if ex.Source != SourceBitext {
			noBitext = append(noBitext, ex)
		}
		if ex.Source != SourceTemplate {
			noTemplates = append(noTemplates, ex)
		}
	}
	f := textclass.DefaultFeatures
	l2 := func(v float64) Options { return Options{Train: textclass.TrainOptions{L2: v}} }
	for _, v := range []struct {
		name string
		ex   []Example
		opts Options
	}{
		{"default", all, Options{}},
		{"no train_r3", without(projectR3), Options{}},
		{"no train_r5", without(projectR5), Options{}},
		{"no train_r6", without(projectR6), Options{}},
		{"no train_r7", without(projectR7), Options{}},
		{"none 1", all, Options{NoneWeight: 1}},
		{"no threshold", all, Options{NoThreshold: true}},
		{"no bitext", noBitext, Options{}},
		{"bitext weight 0.3", all, Options{Weights: map[string]float32{SourceBitext: 0.3}}},
		{"no templates", noTemplates, Options{}},
		{"templates 0.5", all, Options{Weights: map[string]float32{SourceTemplate: 0.5}}},
		{"l2 3e-5", all, l2(3e-5)},
		{"l2 1e-5", all, l2(1e-5)},
		{"l2 3e-6", all, l2(3e-6)},
		{"l2 1e-6", all, l2(1e-6)},
		{"l2 3e-7", all, l2(3e-7)},
		{"l2 1e-6 none 2", all, Options{Train: textclass.TrainOptions{L2: 1e-6}, NoneWeight: 2}},
		{"l2 3e-5 none 1.5", all, Options{Train: textclass.TrainOptions{L2: 3e-5}, NoneWeight: 1.5}},
		{"l2 3e-5 none 2", all, Options{Train: textclass.TrainOptions{L2: 3e-5}, NoneWeight: 2}},
		{"l2 1e-5 none 2", all, Options{Train: textclass.TrainOptions{L2: 1e-5}, NoneWeight: 2}},
		{"none 2", all, Options{NoneWeight: 2}},
		{"none 3", all, Options{NoneWeight: 3}},
		{"none 1.5", all, Options{NoneWeight: 1.5}},
		{"l2 1e-5 none 1.5", all, Options{Train: textclass.TrainOptions{L2: 1e-5}, NoneWeight: 1.5}},
		{"l2 1e-5 none 3", all, Options{Train: textclass.TrainOptions{L2: 1e-5}, NoneWeight: 3}},
		{"l2 3e-4", all, l2(3e-4)},
		{"l2 1e-3", all, l2(1e-3)},
		{"headroom 0.05", all, Options{Headroom: 0.05}},
		{"max threshold 0.9", all, Options{MaxThreshold: 0.9}},
		{"max threshold 0.8", all, Options{MaxThreshold: 0.8}},
		{"max threshold 0.6", all, Options{MaxThreshold: 0.6}},
		{"max threshold 0.5", all, Options{MaxThreshold: 0.5}},
		{"max threshold 0.4", all, Options{MaxThreshold: 0.4}},
		{"headroom 0.1", all, Options{Headroom: 0.1}},
		{"char 1-3", all, Options{Features: textclass.Features{Bits: f.Bits, CharMin: 1, CharMax: 3}}},
		{"char 1-5", all, Options{Features: textclass.Features{Bits: f.Bits, CharMin: 1, CharMax: 5}}},
		{"char 1-4 + words 1", all, Options{Features: textclass.Features{Bits: f.Bits, CharMin: 1, CharMax: 4, WordMax: 1}}},
		{"char 1-4 + words 1-2", all, Options{Features: textclass.Features{Bits: f.Bits, CharMin: 1, CharMax: 4, WordMax: 2}}},
		{"bits 17", all, Options{Features: textclass.Features{Bits: 17, CharMin: 1, CharMax: 4}}},
		{"bits 19", all, Options{Features: textclass.Features{Bits: 19, CharMin: 1, CharMax: 4}}},
	} {
		if which != "1" && !slices.Contains(strings.Split(which, ","), v.name) {
			continue
		}
		// Each dev set is measured with the temperature and thresholds
		// fitted on the other two, so that none measures its own.
		line := fmt.Sprintf("%-20s", v.name)
		total, none := 0, 0
		for _, on := range DevSplits {
			o := v.opts
			o.Tune = nil
			for _, s := range DevSplits {
				if s != on {
					o.Tune = append(o.Tune, s)
				}
			}
			_, rep, err := Train(v.ex, o)
			if err != nil {
				t.Fatal(err)
			}
			d := map[string]Report{SplitDev: rep.Dev, SplitDev2: rep.Dev2, SplitDev3: rep.Dev3}[on]
			n := d.NoneAsAction["en"] + d.NoneAsAction["zh"]
			total += d.Accuracy.Correct
			none += n
			line += fmt.Sprintf(" | %s %.3f en %.3f zh %.3f none→action %d", on, d.Accuracy.Value, d.ByLanguage["en"].Value, d.ByLanguage["zh"].Value, n)
			if on == SplitDev {
				line += fmt.Sprintf(" (%d KB)", rep.ModelBytes/1024)
			}
			if os.Getenv("SHOPDESK_COMPARE_MISSES") != "" {
				for _, m := range d.Misses {
					fmt.Printf("  %s miss %s: want %s got %s %.2f %q\n", on, m.Lang, m.Intent, m.Got, m.Confidence, m.Text)
				}
			}
		}
		line += fmt.Sprintf(" | correct %d, none→action %d", total, none)
		fmt.Println(line)
	}
}

// textsOf returns the texts of an embedded examples file.
func textsOf(t *testing.T, data []byte) map[string]bool {
	t.Helper()
	ex, err := ParseExamples(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	texts := map[string]bool{}
	for _, e := range ex {
		texts[e.Text] = true
	}
	return texts
}
