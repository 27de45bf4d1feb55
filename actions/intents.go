package actions

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"time"

	"github.com/shopdesk/shopdesk/intent"
)

// ErrInvalidExamples is wrapped by AddExamples' errors about the
// examples sent; their text names the bad one by its index.
var ErrInvalidExamples = errors.New("invalid examples")

// MaxExamplesPerCall bounds one AddExamples call.
const MaxExamplesPerCall = 1000

// The states of a retrain, as in RetrainStatus.State.
const (
	RetrainNone      = "none"      // none since the server started
	RetrainRunning   = "running"   // under way
	RetrainInstalled = "installed" // the new model serves
	RetrainRefused   = "refused"   // it scored worse on the test sets; nothing changed
	RetrainFailed    = "failed"    // it could not run; nothing changed
)

// RetrainStatus is the last retrain's outcome.
type RetrainStatus struct {
	State      string     `json:"state"`
	StartedAt  *time.Time `json:"started_at,omitempty"`
	FinishedAt *time.Time `json:"finished_at,omitempty"`
	// Merchant is how many of the merchant's examples it learned.
	Merchant int `json:"merchant_examples"`
	// Reason says why it was refused or failed: the gate's reason.
	Reason string `json:"reason,omitempty"`
	// Before and After are test-split accuracy by language of the model
	// in force and of the retrained one.
	Before map[string]intent.Accuracy `json:"before,omitempty"`
	After  map[string]intent.Accuracy `json:"after,omitempty"`
	// Model is the file the installed model was written to.
	Model string `json:"model,omitempty"`
}

// IntentStatus is what serves intents now.
type IntentStatus struct {
	// Model is where the classifier came from: "default" (the shipped
	// model) or the retrained model's file.
	Model string `json:"model"`
	// Vote is "off" (no embedding model, or it did not help), "measuring"
	// or "on"; VoteReason says why.
	Vote       string `json:"vote"`
	VoteReason string `json:"vote_reason,omitempty"`
}

// IntentsOptions configures Intents.
type IntentsOptions struct {
	// DataDir holds the merchant's examples and the retrained model.
	DataDir string
	// Classifier is the one that serves; retrains swap its model.
	Classifier *Classifier
	// From is where its model came from (intent.Load's from).
	From string
	// Embed, if set, lets the nearest labelled examples vote once the
	// vote has measured itself better on dev; nil: no vote.
	Embed  intent.EmbedFunc
	Logger *slog.Logger
}

// Intents manages the server-wide intent classifier for the operator:
// the merchant's examples, retraining in the background with the
// test-split gate, and the embedding vote. It is safe for concurrent use;
// Run does the background work.
type Intents struct {
	opts  IntentsOptions
	log   *slog.Logger
	start chan struct{}

	mu     sync.Mutex // guards the fields below and the examples file
	last   RetrainStatus
	status IntentStatus
}

// NewIntents returns Intents over opts; nothing runs until Run.
func NewIntents(opts IntentsOptions) *Intents {
	if opts.From == "" {
		opts.From = "default"
	}
	log := opts.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	st := IntentStatus{Model: opts.From, Vote: "off", VoteReason: "no embedding model is configured for it"}
	if opts.Embed != nil {
		st.Vote, st.VoteReason = "measuring", "embedding the labelled examples and measuring the vote on dev"
	}
	return &Intents{opts: opts, log: log, start: make(chan struct{}, 1), last: RetrainStatus{State: RetrainNone}, status: st}
}

// Run measures the embedding vote, then retrains whenever Retrain asks,
// until ctx ends.
func (in *Intents) Run(ctx context.Context) {
	in.measureVote(ctx)
	for {
		select {
		case <-ctx.Done():
			return
		case <-in.start:
			if in.retrain(ctx) {
				in.measureVote(ctx)
			}
		}
	}
}

// measureVote builds the embedding vote over the classifier in force and
// lets it vote if it reports itself enabled.
func (in *Intents) measureVote(ctx context.Context) {
	if in.opts.Embed == nil {
		return
	}
	in.setVote("measuring", "embedding the labelled examples and measuring the vote on dev")
	c := in.opts.Classifier.Model()
	examples := intent.ProjectExamples()
	if merchant, err := intent.ReadMerchantExamples(in.opts.DataDir); err == nil {
		examples = append(examples, merchant...)
	}
	v, err := intent.NewVoter(ctx, c, in.opts.Embed, examples, in.log)
	switch {
	case err != nil:
		in.log.Warn("intent vote is off: the embedding model failed", "err", err)
		in.setVote("off", "the embedding model failed: "+err.Error())
	case in.opts.Classifier.SetVoter(c, v):
		in.setVote("on", v.Reason)
	default:
		in.setVote("off", v.Reason)
	}
}

func (in *Intents) setVote(state, reason string) {
	in.mu.Lock()
	defer in.mu.Unlock()
	in.status.Vote, in.status.VoteReason = state, reason
}

// Status reports what serves intents now.
func (in *Intents) Status() IntentStatus {
	in.mu.Lock()
	defer in.mu.Unlock()
	return in.status
}

// AddExamples validates examples and appends them to the merchant's
// file. Nothing is written unless all are valid; an error wrapping
// ErrInvalidExamples names the first bad one by its index ("examples[2]:
// unknown intent ...").
func (in *Intents) AddExamples(examples []intent.Example) error {
	if len(examples) == 0 {
		return fmt.Errorf("%w: examples: none given", ErrInvalidExamples)
	}
	if len(examples) > MaxExamplesPerCall {
		return fmt.Errorf("%w: examples: %d given, at most %d a call", ErrInvalidExamples, len(examples), MaxExamplesPerCall)
	}
	var buf bytes.Buffer
	for i, ex := range examples {
		if ex.Split != "" {
			return fmt.Errorf("%w: examples[%d]: split is not taken: the merchant's examples are training data", ErrInvalidExamples, i)
		}
		buf.Reset()
		line, _ := json.Marshal(ex)
		buf.Write(line)
		if _, err := intent.ParseExamples(&buf); err != nil {
			return fmt.Errorf("%w: examples[%d]: %s", ErrInvalidExamples, i, strings.TrimPrefix(err.Error(), "line 1: "))
		}
	}
	in.mu.Lock()
	defer in.mu.Unlock()
	if err := intent.AddExamples(in.opts.DataDir, examples); err != nil {
		if strings.Contains(err.Error(), "would be more than") {
			return fmt.Errorf("%w: %v", ErrInvalidExamples, err)
		}
		return err
	}
	return nil
}

// Retrain starts a retrain in the background, unless one is running; it
// returns the status and whether it started one.
func (in *Intents) Retrain() (RetrainStatus, bool) {
	in.mu.Lock()
	defer in.mu.Unlock()
	if in.last.State == RetrainRunning {
		return in.last, false
	}
	now := time.Now().UTC()
	in.last = RetrainStatus{State: RetrainRunning, StartedAt: &now}
	in.start <- struct{}{} // never blocks: one retrain at a time
	return in.last, true
}

// LastRetrain returns the last retrain's status.
func (in *Intents) LastRetrain() RetrainStatus {
	in.mu.Lock()
	defer in.mu.Unlock()
	return in.last
}

// retrain runs one retrain and installs its model if the gate lets it;
// it reports whether the model changed.
func (in *Intents) retrain(ctx context.Context) bool {
	cur := in.opts.Classifier.Model()
	rep, err := intent.Retrain(ctx, intent.RetrainOptions{DataDir: in.opts.DataDir, Current: cur})
	var c *intent.Classifier
	if err == nil {
		c, _, err = intent.Load(in.opts.DataDir)
	}
	now := time.Now().UTC()
	in.mu.Lock()
	defer in.mu.Unlock()
	st := &in.last
	st.FinishedAt, st.Merchant = &now, rep.Merchant
	if rep.Test.Messages > 0 {
		st.Before, st.After = rep.Before.ByLanguage, rep.Test.ByLanguage
	}
	switch {
	case errors.Is(err, intent.ErrWorse):
		st.State, st.Reason = RetrainRefused, err.Error()
		in.log.Warn("intent retrain refused; the model in force stays", "reason", err)
		return false
	case err != nil:
		st.State, st.Reason = RetrainFailed, err.Error()
		in.log.Error("intent retrain failed; the model in force stays", "err", err)
		return false
	}
	in.opts.Classifier.SetModel(c)
	st.State, st.Model = RetrainInstalled, rep.Written
	in.status.Model = rep.Written
	in.log.Info("intent retrain installed", "model", rep.Written, "merchant_examples", rep.Merchant)
	return true
}
