package intent

import (
	"fmt"
	"os"
	"slices"
	"testing"

	"github.com/shopdesk/shopdesk/textclass"
)

// TestStability trains with and without two harmless merchant examples
// and counts the dev and dev2 messages whose label changes: what the
// strict retrain gate needs to be near zero. It never looks at test.
// Run it with SHOPDESK_STABILITY=l2,tolerance.
func TestStability(t *testing.T) {
	spec := os.Getenv("SHOPDESK_STABILITY")
	if spec == "" {
		t.Skip("set SHOPDESK_STABILITY=l2,tolerance")
	}
	var l2, tol float64
	fmt.Sscanf(spec, "%g,%g", &l2, &tol)
	all := append(allExamples(t), TemplateExamples()...)
	o := Options{Train: textclass.TrainOptions{L2: l2, Tolerance: tol}}
	a, ra, err := Train(all, o)
	if err != nil {
		t.Fatal(err)
	}
	harmless := []Example{
		{Text: "Is the Harbor Lane trekking pole sold in pairs?", Intent: ProductLookup, Lang: "en", Source: SourceMerchant},
		{Text: "登山杖是一对卖的吗", Intent: ProductLookup, Lang: "zh", Source: SourceMerchant},
	}
	b, rb, err := Train(append(all, harmless...), o)
	if err != nil {
		t.Fatal(err)
	}
	flips := 0
	for _, ex := range all {
		if ex.Source == SourceProject && slices.Contains(DevSplits, ex.Split) {
			la, _ := a.Classify(ex.Text)
			lb, _ := b.Classify(ex.Text)
			if la != lb {
				flips++
				pa, pb := a.Probabilities(ex.Text), b.Probabilities(ex.Text)
				fmt.Printf("  %s flip %s→%s: p %.3f→%.3f of %s, thresholds %.3f→%.3f\n", ex.Split, la, lb, pa[index(la)], pb[index(la)], la, a.Threshold(la), b.Threshold(la))
			}
		}
	}
	fmt.Printf("l2 %g tolerance %g: %d+%d iterations, dev %d→%d, dev2 %d→%d correct, %d dev/dev2 labels changed\n", l2, tol,
		ra.Optimizer.Iterations, rb.Optimizer.Iterations, ra.Dev.Accuracy.Correct, rb.Dev.Accuracy.Correct, ra.Dev2.Accuracy.Correct, rb.Dev2.Accuracy.Correct, flips)
}
