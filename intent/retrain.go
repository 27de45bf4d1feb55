package intent

import (
	"context"
	"errors"
	"fmt"
	"github.com/shopdesk/shopdesk/bitext"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
)

// TrainingSet gathers what the shipped classifier learns from: the
// project's set, its templates, Bitext from <sharedDir>/bitext.File and
// the merchant's examples. Without Bitext (no shared directory on a
// production host) it trains on the rest, and note says so.
func TrainingSet(sharedDir string, merchant []Example) (examples []Example, note string) {
	examples = append(ProjectExamples(), TemplateExamples()...)
	rows, err := bitext.Read(sharedDir)
	if err != nil {
		note = fmt.Sprintf("trained without Bitext (%v)", err)
	} else {
		examples = append(examples, BitextExamples(rows)...)
	}
	return append(examples, merchant...), note
}

// RetrainOptions say where the data is and what the new model must beat.
type RetrainOptions struct {
	// DataDir holds intents.jsonl and receives models/intents.bin.
	DataDir string
	// Current is the classifier in force; nil means Load(DataDir).
	Current *Classifier
	// Out, if set, is where the model is written instead of
	// <DataDir>/models/intents.bin.
	Out string
}

// RetrainReport is what a retrain measured.
type RetrainReport struct {
	TrainReport
	// Merchant is the number of the merchant's examples learned.
	Merchant int `json:"merchant"`
	// Before measures the current classifier on the same test sets.
	Before Report `json:"before"`
	// Written is the model file's path; empty when refused.
	Written string `json:"written,omitempty"`
}

// ErrWorse is wrapped by the error of a retrain refused because the new
// model scores worse than the current or the shipped one on the test
// sets.
var ErrWorse = errors.New("the retrained model scores worse on the test sets than the current or the shipped model")

// Retrain refits the shipped classifier (textclass.Refit) to the
// merchant's examples in <DataDir>/intents.jsonl, with the project's
// training split and templates as what it already learned (it needs no
// Bitext), recalibrates it on the dev splits, and installs it unless it
// is worse on the project's test sets (TestSplits, together) than the
// current classifier or the shipped one: more than GateTolerance fewer
// messages right in either language, or more than GateTolerance more
// None messages taken as actions in either. Against the shipped model
// too, so that retrains one after another cannot drift down a message at
// a time. With no examples the refit, a convex problem solved to
// convergence, gives the shipped model back. A refusal returns the report
// and an error wrapping ErrWorse, and writes nothing. The model is written atomically; the
// caller reloads it with Load.
func Retrain(ctx context.Context, opts RetrainOptions) (RetrainReport, error) {
	var rep RetrainReport
	merchant, err := ReadMerchantExamples(opts.DataDir)
	if err != nil {
		return rep, err
	}
	rep.Merchant = len(merchant)
	cur := opts.Current
	if cur == nil {
		if cur, _, err = Load(opts.DataDir); err != nil {
			return rep, err
		}
	}
	// Refit the shipped model rather than train anew: a production host
	// has no Bitext, and the refit keeps what the shipped model learned
	// from it. With no merchant examples the result is the shipped model.
	project := ProjectExamples()
	examples := slices.Concat(project, TemplateExamples(), merchant)
	if err := ctx.Err(); err != nil {
		return rep, err
	}
	c, tr, err := Train(examples, Options{Start: Default()})
	if err != nil {
		return rep, err
	}
	rep.TrainReport = tr
	if err := ctx.Err(); err != nil {
		return rep, err
	}
	// The test sets gate together.
	var test []Example
	for _, s := range TestSplits {
		test = append(test, splitOf(project, s)...)
	}
	rep.Test = Evaluate(c.Classify, test)
	rep.Before = Evaluate(cur.Classify, test)
	if why := worse(rep.Test, rep.Before, "the current model"); why != "" {
		return rep, fmt.Errorf("%w: %s", ErrWorse, why)
	}
	if cur != Default() {
		if why := worse(rep.Test, Evaluate(Default().Classify, test), "the shipped model"); why != "" {
			return rep, fmt.Errorf("%w: %s", ErrWorse, why)
		}
	}
	data, err := c.MarshalBinary()
	if err != nil {
		return rep, err
	}
	out := opts.Out
	if out == "" {
		out = filepath.Join(opts.DataDir, ModelFile)
	}
	if err := writeAtomic(out, data); err != nil {
		return rep, err
	}
	rep.Written = out
	return rep, nil
}

// GateTolerance is how many fewer messages of the test sets, in one
// language, a retrained model may get right, and how many more None
// messages it may take as actions, and still be installed. The sets hold
// about 300 messages a language; two harmless examples move their least
// certain messages either way (a None message at 0.51 became an action at
// 0.50), and a gate without tolerance refused such retrains
// (TestRetrainGate).
const GateTolerance = 1

// worse says why report now is worse than before, the report of what,
// or "".
func worse(now, before Report, what string) string {
	for _, lang := range slices.Sorted(maps.Keys(before.ByLanguage)) {
		a, b := now.ByLanguage[lang], before.ByLanguage[lang]
		if a.Correct < b.Correct-GateTolerance {
			return fmt.Sprintf("%s accuracy %.3f (%d right), %s's %.3f (%d)", lang, a.Value, a.Correct, what, b.Value, b.Correct)
		}
		if now.NoneAsAction[lang] > before.NoneAsAction[lang]+GateTolerance {
			return fmt.Sprintf("%s: %d None messages taken as actions, %s %d", lang, now.NoneAsAction[lang], what, before.NoneAsAction[lang])
		}
	}
	return ""
}

func splitOf(examples []Example, split string) []Example {
	var out []Example
	for _, ex := range examples {
		if ex.Split == split {
			out = append(out, ex)
		}
	}
	return out
}

// writeAtomic writes data to path through a temporary file and a rename.
func writeAtomic(path string, data []byte) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".intents-*.tmp")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Chmod(tmp.Name(), fs.FileMode(0o644)); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}
