package sentiment

import (
	"bytes"
	"os"
	"testing"

	"github.com/shopdesk/shopdesk/inference/ollamatest"
)

func TestLearned(t *testing.T) {
	l := Default()
	for _, tc := range []struct {
		text    string
		want    Label
		handoff string
	}{
		{"I've waited three weeks and the parcel still hasn't come", Negative, ""},
		{"扣了两次款", Negative, ""},
		{"Do you have the fleece in green?", Neutral, ""},
		{"Thanks, that sorted it!", Positive, ""},
		{"谢谢，很满意", Positive, ""},
		{"can I speak to a human please", Neutral, HandoffRequested},
		{"我要转人工", Neutral, HandoffRequested},
		{"", Neutral, ""},
	} {
		r := l.Classify(tc.text)
		if r.Label != tc.want || r.Handoff != tc.handoff {
			t.Errorf("Classify(%q) = %+v, want %s handoff %q", tc.text, r, tc.want, tc.handoff)
		}
		if LabelFor(r.Score) != r.Label || r.Confidence <= 0 || r.Confidence > 1 {
			t.Errorf("Classify(%q) = %+v: score, label and confidence disagree", tc.text, r)
		}
	}
}

func TestDecodeLearnedCorrupt(t *testing.T) {
	good, err := Default().MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	for name, data := range map[string][]byte{
		"empty":     nil,
		"truncated": good[:len(good)/3],
		"magic":     append([]byte("XXXXX"), good[5:]...),
		"trailing":  append(append([]byte(nil), good...), 1),
	} {
		if _, err := DecodeLearned(data); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}

func FuzzDecodeLearned(f *testing.F) {
	good, _ := Default().MarshalBinary()
	f.Add(good[:100])
	f.Add([]byte("SDMD1\x00\x00\x00\x3f\x05\x00\x00\x00SDTC\x01"))
	f.Fuzz(func(t *testing.T, data []byte) {
		if l, err := DecodeLearned(data); err == nil {
			l.Classify("where is my order")
		}
	})
}

// TestGenerateReproducesMoodModel retrains as go generate does.
func TestGenerateReproducesMoodModel(t *testing.T) {
	if testing.Short() {
		t.Skip("trains a model")
	}
	dir, err := ollamatest.SharedDir()
	if err != nil {
		t.Skip(err)
	}
	if _, err := os.Stat(dir + "/data/bitext"); err != nil {
		t.Skip(err)
	}
	sets, err := LearnSets(".", dir)
	if err != nil {
		t.Fatal(err)
	}
	l, _, err := Learn(sets.Train, append(sets.Dev, sets.Dev2...), LearnOptions{})
	if err != nil {
		t.Fatal(err)
	}
	data, _ := l.MarshalBinary()
	if !bytes.Equal(data, defaultLearned) {
		t.Error("training does not reproduce mood.bin: run go generate ./sentiment")
	}
}
