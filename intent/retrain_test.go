package intent

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/shopdesk/shopdesk/inference/ollamatest"
)

func sharedDir(t *testing.T) string {
	t.Helper()
	dir, err := ollamatest.SharedDir()
	if err != nil {
		t.Skip(err)
	}
	return dir
}

// TestGenerateReproducesShippedModel retrains as go generate does and
// compares the bytes with the embedded model.
func TestGenerateReproducesShippedModel(t *testing.T) {
	skipTraining(t)
	examples, note := TrainingSet(sharedDir(t), nil)
	if note != "" {
		t.Skip(note)
	}
	c, _, err := Train(examples, Options{})
	if err != nil {
		t.Fatal(err)
	}
	data, err := c.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(data, defaultModel) {
		t.Error("training does not reproduce model.bin: run go generate ./intent")
	}
}

// TestRetrainGate holds the gate (GateTolerance) to what it is for:
// poisoned examples are refused, harmless ones accepted, and a retrain
// with no examples gives the shipped model back, byte for byte.
func TestRetrainGate(t *testing.T) {
	skipTraining(t)
	t.Run("poisoned examples are refused", func(t *testing.T) {
		dir := t.TempDir()
		// Teach that asking where an order is means cancelling it.
		var poison []Example
		for _, ex := range ProjectExamples() {
			if ex.Intent == OrderStatus && ex.Split == SplitTrain {
				for range 3 {
					poison = append(poison, Example{Text: ex.Text, Intent: CancelOrder})
				}
			}
		}
		if err := AddExamples(dir, poison); err != nil {
			t.Fatal(err)
		}
		rep, err := Retrain(context.Background(), RetrainOptions{DataDir: dir})
		if !errors.Is(err, ErrWorse) {
			t.Fatalf("err = %v, want ErrWorse; test %s", err, rep.Test)
		}
		if rep.Written != "" {
			t.Errorf("wrote %s", rep.Written)
		}
		if _, err := os.Stat(filepath.Join(dir, ModelFile)); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("model file: %v, want none", err)
		}
		if c, from, err := Load(dir); err != nil || from != "default" || c != Default() {
			t.Errorf("Load = %v, %q, %v; want the default", c, from, err)
		}
		// Had such a model been installed, the same examples again would
		// match it, and the shipped model still refuses them.
		merchant, err := ReadMerchantExamples(dir)
		if err != nil {
			t.Fatal(err)
		}
		poisoned, _, err := Train(slices.Concat(ProjectExamples(), TemplateExamples(), merchant), Options{Start: Default()})
		if err != nil {
			t.Fatal(err)
		}
		_, err = Retrain(context.Background(), RetrainOptions{DataDir: dir, Current: poisoned})
		if !errors.Is(err, ErrWorse) || !strings.Contains(err.Error(), "the shipped model") {
			t.Errorf("err = %v, want ErrWorse against the shipped model", err)
		}
	})
	t.Run("harmless examples are accepted and loaded", func(t *testing.T) {
		dir := t.TempDir()
		err := AddExamples(dir, []Example{
			{Text: "Is the Harbor Lane trekking pole sold in pairs?", Intent: ProductLookup},
			{Text: "登山杖是一对卖的吗", Intent: ProductLookup},
		})
		if err != nil {
			t.Fatal(err)
		}
		rep, err := Retrain(context.Background(), RetrainOptions{DataDir: dir})
		if err != nil {
			t.Fatalf("%v\nbefore %s\nafter %s", err, rep.Before, rep.Test)
		}
		if rep.Merchant != 2 || rep.Written != filepath.Join(dir, ModelFile) {
			t.Errorf("merchant %d, written %q", rep.Merchant, rep.Written)
		}
		c, from, err := Load(dir)
		if err != nil || from != rep.Written {
			t.Fatalf("Load: %q, %v", from, err)
		}
		if got, _ := c.Classify("is the trekking pole sold in pairs?"); got != ProductLookup {
			t.Errorf("retrained model: %s", got)
		}
	})
	t.Run("no examples give the shipped model back", func(t *testing.T) {
		dir := t.TempDir()
		rep, err := Retrain(context.Background(), RetrainOptions{DataDir: dir})
		if err != nil {
			t.Fatalf("%v\nbefore %s\nafter %s", err, rep.Before, rep.Test)
		}
		data, err := os.ReadFile(rep.Written)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(data, defaultModel) {
			t.Error("a retrain with no examples changed the model")
		}
	})
	t.Run("a cancelled context stops it", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		if _, err := Retrain(ctx, RetrainOptions{DataDir: t.TempDir()}); !errors.Is(err, context.Canceled) {
			t.Errorf("err = %v", err)
		}
	})
}

func TestLoadCorruptModel(t *testing.T) {
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, "models"), 0o755)
	os.WriteFile(filepath.Join(dir, ModelFile), []byte("SDIC2 not a model"), 0o644)
	if _, _, err := Load(dir); err == nil || !strings.Contains(err.Error(), ModelFile) {
		t.Errorf("err = %v, want one naming the file", err)
	}
}

func TestWorseHasATolerance(t *testing.T) {
	rep := func(enRight, zhRight, enNone, zhNone int) Report {
		return Report{
			ByLanguage:   map[string]Accuracy{"en": {Correct: enRight, Total: 300}, "zh": {Correct: zhRight, Total: 300}},
			NoneAsAction: map[string]int{"en": enNone, "zh": zhNone},
		}
	}
	before := rep(280, 270, 3, 6)
	for _, tc := range []struct {
		now  Report
		want string // "" or a word of the reason
	}{
		{rep(280, 270, 3, 6), ""},
		{rep(279, 271, 4, 6), ""},
		{rep(278, 270, 3, 6), "en accuracy"},
		{rep(280, 268, 3, 6), "zh accuracy"},
		{rep(280, 270, 3, 8), "zh: 8 None"},
		{rep(290, 290, 5, 0), "en: 5 None"},
	} {
		got := worse(tc.now, before, "the current model")
		if (tc.want == "") != (got == "") || !strings.Contains(got, tc.want) {
			t.Errorf("worse(%v, %v) = %q, want %q", tc.now.ByLanguage, tc.now.NoneAsAction, got, tc.want)
		}
	}
}
