package intent

import (
	"context"
	"fmt"
	"log/slog"
	"slices"

	"github.com/shopdesk/shopdesk/embedding"
)

// EmbedFunc returns one vector per text; inference.Client's Embed fits
// behind one. It must honour ctx.
type EmbedFunc func(ctx context.Context, texts []string) ([][]float32, error)

// Voter lets the labelled examples nearest to a message, by embedding,
// vote with the linear model. It measures itself on the dev split when
// built and switches itself off when the vote does not raise dev
// accuracy (as with a test embedding model whose vectors mean nothing).
// It is safe for concurrent use once built.
type Voter struct {
	c      *Classifier
	embed  EmbedFunc
	vecs   [][]float32
	labels []int
	weight float64
	// Enabled reports whether votes count; Reason says why or why not.
	Enabled bool
	Reason  string
}

// voterK is how many neighbours vote; voterWeights are the shares of the
// vote tried on dev.
const voterK = 7

var voterWeights = []float64{0.2, 0.4, 0.6}

// NewVoter embeds the training examples of the project's set (and the
// merchant's), then measures on its dev split. An embedding error is
// returned; a vote that does not help leaves a disabled Voter, logged
// with its reason.
func NewVoter(ctx context.Context, c *Classifier, embed EmbedFunc, examples []Example, log *slog.Logger) (*Voter, error) {
	v := &Voter{c: c, embed: embed}
	var train, dev []Example
	for _, ex := range examples {
		switch {
		case ex.Source == SourceProject && ex.Split == SplitDev:
			dev = append(dev, ex)
		case ex.Split == SplitTrain && (ex.Source == SourceProject || ex.Source == SourceMerchant):
			train = append(train, ex)
		}
	}
	if len(train) == 0 || len(dev) == 0 {
		return v, fmt.Errorf("intent voter: need training and dev examples")
	}
	vecs, err := embedAll(ctx, embed, texts(train))
	if err != nil {
		return nil, err
	}
	devVecs, err := embedAll(ctx, embed, texts(dev))
	if err != nil {
		return nil, err
	}
	v.vecs = vecs
	for _, ex := range train {
		v.labels = append(v.labels, index(ex.Intent))
	}
	correct := func(w float64) int {
		n := 0
		for i, ex := range dev {
			if l, _ := v.combine(ex.Text, devVecs[i], w); l == ex.Intent {
				n++
			}
		}
		return n
	}
	base, best, bestW := correct(0), -1, 0.0
	for _, w := range voterWeights {
		if n := correct(w); n > best {
			best, bestW = n, w
		}
	}
	if best > base {
		v.Enabled, v.weight = true, bestW
		v.Reason = fmt.Sprintf("dev accuracy %d/%d with a %.0f%% vote, %d/%d without", best, len(dev), 100*bestW, base, len(dev))
	} else {
		v.Reason = fmt.Sprintf("the vote does not improve dev accuracy (best %d/%d, %d/%d without): off", best, len(dev), base, len(dev))
	}
	if log != nil {
		log.Info("intent voter", "enabled", v.Enabled, "reason", v.Reason)
	}
	return v, nil
}

// Classify is the Classifier's Classify with the neighbours' vote when
// Enabled; it embeds text, so it costs a model call. On an embedding
// error it returns the linear model's answer and the error.
func (v *Voter) Classify(ctx context.Context, text string) (Label, float64, error) {
	if !v.Enabled {
		l, p := v.c.Classify(text)
		return l, p, nil
	}
	vec, err := v.embed(ctx, []string{text})
	if err != nil || len(vec) != 1 {
		l, p := v.c.Classify(text)
		return l, p, fmt.Errorf("intent voter: embed: %v", err)
	}
	l, p := v.combine(text, vec[0], v.weight)
	return l, p, nil
}

// combine mixes the linear probabilities with the share of the voterK
// nearest examples (cosine) of each label, weighted w, then applies the
// classifier's thresholds.
func (v *Voter) combine(text string, q []float32, w float64) (Label, float64) {
	p := v.c.Probabilities(text)
	type nb struct {
		sim float64
		l   int
	}
	nbs := make([]nb, 0, len(v.vecs))
	for i, x := range v.vecs {
		nbs = append(nbs, nb{embedding.Cosine(q, x), v.labels[i]})
	}
	slices.SortFunc(nbs, func(a, b nb) int { return cmpFloat(b.sim, a.sim) })
	votes := make([]float64, len(p))
	k := min(voterK, len(nbs))
	for _, n := range nbs[:k] {
		votes[n.l] += 1 / float64(k)
	}
	probs := make([]float32, len(p))
	best := 0
	for i := range p {
		probs[i] = float32((1-w)*p[i] + w*votes[i])
		if probs[i] > probs[best] {
			best = i
		}
	}
	return v.c.decide(probs, best)
}

func cmpFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func texts(ex []Example) []string {
	out := make([]string, len(ex))
	for i, e := range ex {
		out[i] = e.Text
	}
	return out
}

// embedAll embeds texts in batches of 64.
func embedAll(ctx context.Context, embed EmbedFunc, ts []string) ([][]float32, error) {
	var out [][]float32
	for i := 0; i < len(ts); i += 64 {
		part := ts[i:min(i+64, len(ts))]
		vs, err := embed(ctx, part)
		if err != nil {
			return nil, fmt.Errorf("intent voter: embed: %w", err)
		}
		if len(vs) != len(part) {
			return nil, fmt.Errorf("intent voter: %d vectors for %d texts", len(vs), len(part))
		}
		out = append(out, vs...)
	}
	return out, nil
}
