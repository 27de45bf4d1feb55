package intent

import (
	"maps"
	"strings"
	"testing"
)

// TestTrainLeavesOutEvaluationMessages: a training example with the text
// of a dev or test message, whatever its source, is not learned.
func TestTrainLeavesOutEvaluationMessages(t *testing.T) {
	var examples []Example
	var testText, devText string
	for _, ex := range ProjectExamples() {
		if ex.Split == SplitTrain {
			continue
		}
		examples = append(examples, ex)
		switch {
		case ex.Split == SplitTest3 && testText == "":
			testText = ex.Text
		case ex.Split == SplitDev2 && devText == "":
			devText = ex.Text
		}
	}
	examples = append(examples,
		Example{Text: "  " + strings.ToUpper(testText) + " ", Intent: OrderStatus, Source: SourceMerchant},
		Example{Text: devText, Intent: Recommend, Source: SourceTemplate},
		Example{Text: "where is my parcel", Intent: OrderStatus, Source: SourceMerchant},
		Example{Text: "hello there", Intent: None, Source: SourceTemplate},
	)
	_, rep, err := Train(examples, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if want := map[string]int{SourceMerchant: 1, SourceTemplate: 1}; !maps.Equal(rep.LeftOut, want) {
		t.Errorf("left out %v, want %v", rep.LeftOut, want)
	}
}
