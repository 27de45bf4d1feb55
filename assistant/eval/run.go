package eval

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/shopdesk/shopdesk/assistant"
	"github.com/shopdesk/shopdesk/conversation"
	"github.com/shopdesk/shopdesk/grounding"
	"github.com/shopdesk/shopdesk/models"
)

// Answerer is the answer pipeline; *assistant.Assistant is one.
type Answerer interface {
	Answer(ctx context.Context, req assistant.Request, onText func(string) error) (assistant.Reply, error)
}

// Recorder is an assistant.Observer that keeps what the grounding check
// removes, so Run can charge it to the turn being evaluated. Give it to
// the evaluated pipeline as its Observer and to Run as Config.Recorder;
// that pipeline must answer nothing but Run's turns, one at a time.
type Recorder struct {
	mu      sync.Mutex
	removed []string
}

// Answered does nothing: Run reads outcomes from the reply.
func (r *Recorder) Answered(string) {}

// CheckFailed records a claim the grounding check removed, by kind.
func (r *Recorder) CheckFailed(kind string) {
	r.mu.Lock()
	r.removed = append(r.removed, kind)
	r.mu.Unlock()
}

// Escalated does nothing: Run reads hand-offs from the reply.
func (r *Recorder) Escalated(string) {}

// take returns and forgets what was recorded.
func (r *Recorder) take() []string {
	if r == nil {
		return nil
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	out := r.removed
	r.removed = nil
	return out
}

// Config is one evaluation run.
type Config struct {
	// Assistant answers; Recorder is its Observer (nil counts no
	// removals).
	Assistant Answerer
	Recorder  *Recorder
	Items     []Item
	// Tenant is the tenant whose knowledge and shop answer.
	Tenant string
	// Model is the chat entry that generates the answers.
	Model models.Entry
	// TurnTimeout bounds each turn (default 2 minutes); a turn that runs
	// over is an error of its item.
	TurnTimeout time.Duration
	// Progress, if set, is called after each item.
	Progress func(done, total int)
}

// Result is how one item went.
type Result struct {
	ID      string   `json:"id"`
	Lang    string   `json:"lang"`
	Outcome string   `json:"outcome,omitempty"`
	Intent  string   `json:"intent,omitempty"`
	Answer  string   `json:"answer"`
	Sources []string `json:"sources"`
	// SourcesFound of SourcesExpected were cited; FactsFound of
	// FactsExpected were stated, Missing lists the others.
	SourcesExpected int      `json:"sources_expected"`
	SourcesFound    int      `json:"sources_found"`
	FactsExpected   int      `json:"facts_expected"`
	FactsFound      int      `json:"facts_found"`
	Missing         []string `json:"missing_facts,omitempty"`
	// Refused is whether the assistant declined (don't know or hand-off);
	// RefuseOK whether that was expected.
	Refused  bool `json:"refused"`
	RefuseOK bool `json:"refuse_ok"`
	// Routed marks an item expecting an intent or outcome; RouteOK
	// whether the reply had them.
	Routed  bool `json:"routed"`
	RouteOK bool `json:"route_ok"`
	// Removed are the kinds of the claims the grounding check removed.
	Removed []string `json:"removed,omitempty"`
	// Citations in the answer, BadCitations of them naming no source.
	Citations    int `json:"citations"`
	BadCitations int `json:"bad_citations"`
	// Generated marks an answer the model generated (it reported tokens).
	Generated bool          `json:"generated"`
	Latency   time.Duration `json:"latency_ns"`
	Err       string        `json:"error,omitempty"`
}

// Run plays every item through cfg.Assistant and scores the answers. An
// item whose turn fails is scored as failing everything it expected and
// counted in Metrics.Errors; Run itself fails only when ctx ends or every
// item failed.
func Run(ctx context.Context, cfg Config) (Report, error) {
	if cfg.Assistant == nil || len(cfg.Items) == 0 {
		return Report{}, errors.New("eval: an assistant and items are required")
	}
	if cfg.TurnTimeout <= 0 {
		cfg.TurnTimeout = 2 * time.Minute
	}
	start := time.Now()
	rep := Report{Model: cfg.Model.Tag}
	for i, it := range cfg.Items {
		if err := ctx.Err(); err != nil {
			return Report{}, fmt.Errorf("eval stopped after %d of %d items: %w", i, len(cfg.Items), err)
		}
		rep.Items = append(rep.Items, runItem(ctx, cfg, it))
		if cfg.Progress != nil {
			cfg.Progress(i+1, len(cfg.Items))
		}
	}
	if err := ctx.Err(); err != nil {
		return Report{}, fmt.Errorf("eval stopped: %w", err)
	}
	rep.summarize()
	rep.Took = time.Since(start)
	if rep.Overall.Errors == len(rep.Items) {
		return rep, fmt.Errorf("eval: every item failed; the first: %s: %s", rep.Items[0].ID, rep.Items[0].Err)
	}
	return rep, nil
}

// runItem plays the item's earlier shopper messages, then evaluates its
// last one.
func runItem(ctx context.Context, cfg Config, it Item) Result {
	res := Result{ID: it.ID, Lang: it.Lang, Sources: []string{},
		SourcesExpected: len(it.Expect.Sources), FactsExpected: len(it.Expect.Facts),
		Routed: it.Expect.Intent != "" || it.Expect.Outcome != ""}
	var users []string
	for _, m := range it.Messages {
		if m.Role == "user" {
			users = append(users, m.Content)
		}
	}
	conv := conversation.NewID()
	turn := func(msg string) (assistant.Reply, error) {
		ctx, cancel := context.WithTimeout(ctx, cfg.TurnTimeout)
		defer cancel()
		return cfg.Assistant.Answer(ctx, assistant.Request{Tenant: cfg.Tenant, ConversationID: conv, Message: msg,
			CustomerID: it.CustomerID, Source: "eval:" + it.ID, Model: cfg.Model}, nil)
	}
	for _, msg := range users[:len(users)-1] {
		if _, err := turn(msg); err != nil {
			res.Err = fmt.Sprintf("earlier turn %q: %v", msg, err)
			return res
		}
	}
	cfg.Recorder.take() // what earlier turns removed is not this item's
	began := time.Now()
	reply, err := turn(users[len(users)-1])
	res.Latency = time.Since(began)
	res.Removed = cfg.Recorder.take()
	if err != nil {
		res.Err = err.Error()
		return res
	}
	score(&res, it.Expect, reply)
	return res
}

// score fills in how reply meets expect.
func score(res *Result, expect Expect, reply assistant.Reply) {
	res.Outcome, res.Intent, res.Answer = reply.Outcome, reply.Intent, reply.Answer
	res.Generated = reply.PromptTokens+reply.CompletionTokens > 0
	for _, s := range reply.Sources {
		res.Sources = append(res.Sources, s.ID)
	}
	for _, want := range expect.Sources {
		for _, got := range res.Sources {
			if got == want {
				res.SourcesFound++
				break
			}
		}
	}
	answer := normalize(reply.Answer)
	for _, f := range expect.Facts {
		if factIn(answer, f) {
			res.FactsFound++
		} else {
			res.Missing = append(res.Missing, f[0])
		}
	}
	res.Refused = reply.Outcome == assistant.OutcomeDontKnow || reply.Outcome == assistant.OutcomeHandoff
	res.RefuseOK = res.Refused == expect.Refuse
	if !expect.Refuse && reply.Outcome == assistant.OutcomeHandoff && expect.Outcome == assistant.OutcomeHandoff {
		res.RefuseOK = true // a hand-off asked for is the right answer, not a refusal
	}
	res.RouteOK = res.Routed &&
		(expect.Intent == "" || expect.Intent == reply.Intent) &&
		(expect.Outcome == "" || expect.Outcome == reply.Outcome)
	for _, n := range grounding.Citations(reply.Answer) {
		res.Citations++
		if n > len(reply.Sources) {
			res.BadCitations++
		}
	}
}

// factIn reports whether the normalised answer states any spelling of f.
func factIn(answer string, f Fact) bool {
	for _, s := range f {
		if strings.Contains(answer, normalize(s)) {
			return true
		}
	}
	return false
}
