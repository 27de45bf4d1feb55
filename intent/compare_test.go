package intent

import (
	"fmt"
	"os"
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
// the two dev sets, each with the thresholds fitted on the other one (so
// that neither measures its own thresholds); it chose DefaultFeatures,
// DefaultTrain, DefaultWeights and DefaultHeadroom. It never looks at
// test. Run it with SHOPDESK_COMPARE=1 (SHOPDESK_COMPARE=name for one).
func TestCompare(t *testing.T) {
	which := os.Getenv("SHOPDESK_COMPARE")
	if which == "" {
		t.Skip("set SHOPDESK_COMPARE=1")
	}
	all := append(allExamples(t), TemplateExamples()...)
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
		if which != "1" && which != v.name {
			continue
		}
		var line string
		for _, cross := range []struct{ tune, on string }{{SplitDev, SplitDev2}, {SplitDev2, SplitDev}} {
			o := v.opts
			o.Tune = []string{cross.tune}
			_, rep, err := Train(v.ex, o)
			if err != nil {
				t.Fatal(err)
			}
			d := rep.Dev2
			if cross.on == SplitDev {
				d = rep.Dev
			}
			line += fmt.Sprintf(" | %s %.3f en %.3f zh %.3f none→action %d", cross.on, d.Accuracy.Value, d.ByLanguage["en"].Value, d.ByLanguage["zh"].Value, d.NoneAsAction["en"]+d.NoneAsAction["zh"])
			if cross.on == SplitDev2 {
				line = fmt.Sprintf("%-20s %3d it (converged %v, gradient %.0e) %5d KB", v.name, rep.Optimizer.Iterations, rep.Optimizer.Converged, rep.Optimizer.Gradient, rep.ModelBytes/1024) + line
			}
			if os.Getenv("SHOPDESK_COMPARE_MISSES") != "" {
				for _, m := range d.Misses {
					fmt.Printf("  %s miss %s: want %s got %s %.2f %q\n", cross.on, m.Lang, m.Intent, m.Got, m.Confidence, m.Text)
				}
			}
		}
		fmt.Println(line)
	}
}
