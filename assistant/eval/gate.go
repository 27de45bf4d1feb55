package eval

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/shopdesk/shopdesk/models"
)

// DefaultTolerance is how much worse than the current model, on the
// score and on each metric, a candidate may measure and still pass.
const DefaultTolerance = 0.02

// DefaultGateTimeout bounds one gate decision: both evaluations.
const DefaultGateTimeout = 30 * time.Minute

// scoreTTL is how long the current model's measurement is reused: the
// knowledge base changes under it.
const scoreTTL = 24 * time.Hour

// GateOptions configures a Gate. Evaluate and Generator are required.
type GateOptions struct {
	// Items are the golden set.
	Items []Item
	// Evaluate runs items with gen generating: an evaluation pipeline of
	// its own, so that gate runs leave no conversations behind.
	Evaluate func(ctx context.Context, items []Item, gen models.Entry) (Report, error)
	// Generator returns the chat entry that generates the assistant's
	// answers in a catalog.
	Generator func(*models.Catalog) models.Entry
	// Tolerance is DefaultTolerance when 0.
	Tolerance float64
	// Timeout bounds one decision (default DefaultGateTimeout); a decision
	// that runs over keeps the current model.
	Timeout time.Duration
	// Verdict, if set, counts each decision by candidate tag.
	Verdict func(model string, accepted bool)
	Logger  *slog.Logger
}

// Gate is a models.Gate: a catalog edit that changes the assistant's chat
// model applies only if the new model scores no worse on the golden set
// than the current one (Compare, with the tolerance). The current model's
// score is measured at the first decision and kept for a day. Safe for
// concurrent use; decisions run one at a time.
type Gate struct {
	opts GateOptions
	log  *slog.Logger

	run    sync.Mutex // one evaluation at a time
	mu     sync.Mutex
	scores map[string]measured // by Ollama tag
}

type measured struct {
	metrics Metrics
	at      time.Time
}

// NewGate returns a Gate over opts.
func NewGate(opts GateOptions) (*Gate, error) {
	if opts.Evaluate == nil || opts.Generator == nil || len(opts.Items) == 0 {
		return nil, errors.New("model gate: a golden set, Evaluate and Generator are required")
	}
	if opts.Tolerance <= 0 {
		opts.Tolerance = DefaultTolerance
	}
	if opts.Timeout <= 0 {
		opts.Timeout = DefaultGateTimeout
	}
	g := &Gate{opts: opts, log: opts.Logger, scores: map[string]measured{}}
	if g.log == nil {
		g.log = slog.New(slog.DiscardHandler)
	}
	return g, nil
}

// Gated reports whether next changes the Ollama tag the assistant
// generates with.
func (g *Gate) Gated(cur, next *models.Catalog) bool {
	return g.opts.Generator(cur).Tag != g.opts.Generator(next).Tag
}

// Check evaluates the golden set with next's generator (and with cur's,
// unless measured recently) and returns nil if next is no worse. A
// failed or timed-out evaluation rejects next; a cancelled one (a newer
// edit, shutdown) decides nothing.
func (g *Gate) Check(ctx context.Context, cur, next *models.Catalog) error {
	g.run.Lock()
	defer g.run.Unlock()
	ctx, cancel := context.WithTimeout(ctx, g.opts.Timeout)
	defer cancel()
	old, cand := g.opts.Generator(cur), g.opts.Generator(next)
	reject := func(err error) error {
		if errors.Is(err, context.Canceled) {
			return err
		}
		if g.opts.Verdict != nil {
			g.opts.Verdict(cand.Tag, false)
		}
		return err
	}
	start := time.Now()
	oldM, err := g.current(ctx, old)
	if err != nil {
		return reject(fmt.Errorf("model gate: could not measure the current model %s, so %s is not let in: %w", old.Tag, cand.Tag, err))
	}
	rep, err := g.opts.Evaluate(ctx, g.opts.Items, cand)
	if err != nil {
		return reject(fmt.Errorf("model gate: could not evaluate %s, so %s stays: %w", cand.Tag, old.Tag, err))
	}
	lost := Compare(oldM, rep.Overall, g.opts.Tolerance)
	if len(lost) > 0 {
		return reject(fmt.Errorf("model gate: %s scored %.3f against %.3f for %s (tolerance %.3f) and lost on %s; %s stays",
			cand.Tag, rep.Overall.Score, oldM.Score, old.Tag, g.opts.Tolerance, Losses(lost), old.Tag))
	}
	g.mu.Lock()
	g.scores[cand.Tag] = measured{rep.Overall, time.Now()}
	g.mu.Unlock()
	if g.opts.Verdict != nil {
		g.opts.Verdict(cand.Tag, true)
	}
	g.log.Info("model gate passed", "model", cand.Tag, "score", rep.Overall.Score, "current", old.Tag, "current_score", oldM.Score,
		"tolerance", g.opts.Tolerance, "items", len(g.opts.Items), "took", time.Since(start).Round(time.Millisecond))
	return nil
}

// current returns the metrics of the model in force, measuring them if
// they are unknown or stale.
func (g *Gate) current(ctx context.Context, gen models.Entry) (Metrics, error) {
	g.mu.Lock()
	m, ok := g.scores[gen.Tag]
	g.mu.Unlock()
	if ok && time.Since(m.at) < scoreTTL {
		return m.metrics, nil
	}
	rep, err := g.opts.Evaluate(ctx, g.opts.Items, gen)
	if err != nil {
		return Metrics{}, err
	}
	g.mu.Lock()
	g.scores[gen.Tag] = measured{rep.Overall, time.Now()}
	g.mu.Unlock()
	return rep.Overall, nil
}
