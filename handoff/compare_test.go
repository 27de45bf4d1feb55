package handoff

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"testing"

	"github.com/shopdesk/shopdesk/inference/ollamatest"
	"github.com/shopdesk/shopdesk/sentiment"
	"github.com/shopdesk/shopdesk/textclass"
)

// jsonlOf writes a labelled set as JSONL, for EvaluateFunc.
func jsonlOf(t *testing.T, set []sentiment.Labelled) *bytes.Reader {
	var b bytes.Buffer
	for _, ex := range set {
		line, err := json.Marshal(ex)
		if err != nil {
			t.Fatal(err)
		}
		b.Write(append(line, '\n'))
	}
	return bytes.NewReader(b.Bytes())
}

// TestCompareMood trains the mood variants considered and measures each,
// with DetectWith as in production, on one dev set after calibrating on
// the other; it chose sentiment's DefaultLearnTrain and
// DefaultHandoffWeight. It never reads heldout.jsonl. Run it with
// SHOPDESK_COMPARE=1 (or a variant's name).
func TestCompareMood(t *testing.T) {
	which := os.Getenv("SHOPDESK_COMPARE")
	if which == "" {
		t.Skip("set SHOPDESK_COMPARE=1")
	}
	dir, err := ollamatest.SharedDir()
	if err != nil {
		t.Skip(err)
	}
	sets, err := sentiment.LearnSets("../sentiment", dir)
	if err != nil {
		t.Fatal(err)
	}
	measure := func(name string, classify func(string) sentiment.Result, on []sentiment.Labelled) string {
		rep, err := EvaluateFunc(jsonlOf(t, on), classify)
		if err != nil {
			t.Fatal(err)
		}
		h := rep.Handoff
		return fmt.Sprintf(" | %s %.3f en %.3f zh %.3f hand-off P %.3f R %.3f (fp %d fn %d)", name, rep.Accuracy.Value,
			rep.ByLanguage["en"].Value, rep.ByLanguage["zh"].Value, h.Precision, h.Recall, h.FalsePositives, h.FalseNegatives)
	}
	if which == "1" || which == "shipped" {
		fmt.Printf("%-22s%s\n", "shipped mood.bin", measure("dev2", sentiment.Default().Classify, sets.Dev2))
	}
	for _, v := range []struct {
		name string
		o    sentiment.LearnOptions
	}{
		{"default", sentiment.LearnOptions{}},
		{"l2 1e-4", sentiment.LearnOptions{Train: textclass.TrainOptions{L2: 1e-4}}},
		{"l2 3e-5", sentiment.LearnOptions{Train: textclass.TrainOptions{L2: 3e-5, Tolerance: 1e-8}}},
		{"l2 3e-6", sentiment.LearnOptions{Train: textclass.TrainOptions{L2: 3e-6, Tolerance: 1e-8}}},
		{"l2 3e-6 headroom 0.05", sentiment.LearnOptions{Train: textclass.TrainOptions{L2: 3e-6, Tolerance: 1e-8}, HandoffHeadroom: 0.05}},
		{"l2 3e-6 headroom 0.1", sentiment.LearnOptions{Train: textclass.TrainOptions{L2: 3e-6, Tolerance: 1e-8}, HandoffHeadroom: 0.1}},
		{"l2 3e-6 weight 3", sentiment.LearnOptions{Train: textclass.TrainOptions{L2: 3e-6, Tolerance: 1e-8}, HandoffWeight: 3}},
		{"l2 3e-6 weight 3 head 0.1", sentiment.LearnOptions{Train: textclass.TrainOptions{L2: 3e-6, Tolerance: 1e-8}, HandoffWeight: 3, HandoffHeadroom: 0.1}},
		{"hand-off weight 2", sentiment.LearnOptions{HandoffWeight: 2}},
		{"hand-off weight 4", sentiment.LearnOptions{HandoffWeight: 4}},
	} {
		if which != "1" && which != v.name {
			continue
		}
		a, _, err := sentiment.Learn(sets.Train, sets.Dev, v.o)
		if err != nil {
			t.Fatal(err)
		}
		b, _, err := sentiment.Learn(sets.Train, sets.Dev2, v.o)
		if err != nil {
			t.Fatal(err)
		}
		fmt.Printf("%-22s%s%s\n", v.name, measure("dev2", a.Classify, sets.Dev2), measure("dev", b.Classify, sets.Dev))
	}
}
