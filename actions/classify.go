package actions

import (
	"context"
	"log/slog"
	"strings"
	"sync/atomic"

	"github.com/shopdesk/shopdesk/intent"
	"github.com/shopdesk/shopdesk/mention"
)

// How a message's intent was decided, as in Reading.By.
const (
	ByModel = "model" // the learned classifier
	ByVote  = "vote"  // the classifier with its nearest labelled examples' vote
	ByRule  = "rule"  // a rule kept beside the model (startReturnRule)
	ByFlow  = "flow"  // the answer to a question a flow asked, or details asked for
	ByTool  = "tool"  // a tool the chat model called
)

// Reading is what a message was read as.
type Reading struct {
	Intent Intent `json:"intent"`
	// Confidence is the learned model's calibrated probability of
	// Intent, in [0, 1]; for a rule's or a flow's reading it is the
	// model's probability of that intent too, which may be low.
	Confidence float64 `json:"confidence"`
	By         string  `json:"by"`
	// noneProb is the model's probability of None, reported when an
	// action was read but did not apply.
	noneProb float64
}

// Classifier reads messages with the learned intent classifier, and the
// embedding vote when one is enabled. The classifier can be replaced
// while it serves (after a retrain); it is safe for concurrent use.
type Classifier struct {
	cur atomic.Pointer[models]
	log *slog.Logger
}

type models struct {
	c *intent.Classifier
	v *intent.Voter // nil or enabled
}

// NewClassifier reads with c (nil: intent.Default()); log (nil: none)
// hears of embedding failures.
func NewClassifier(c *intent.Classifier, log *slog.Logger) *Classifier {
	if c == nil {
		c = intent.Default()
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	r := &Classifier{log: log}
	r.cur.Store(&models{c: c})
	return r
}

// Model returns the classifier in force.
func (r *Classifier) Model() *intent.Classifier { return r.cur.Load().c }

// SetModel replaces the classifier; the embedding vote, which was
// measured with the old one, is dropped.
func (r *Classifier) SetModel(c *intent.Classifier) { r.cur.Store(&models{c: c}) }

// SetVoter lets v vote, if it is enabled and was built over c, the
// classifier still in force; it reports whether v was taken.
func (r *Classifier) SetVoter(c *intent.Classifier, v *intent.Voter) bool {
	m := r.cur.Load()
	if v == nil || !v.Enabled || m.c != c {
		return false
	}
	return r.cur.CompareAndSwap(m, &models{c: c, v: v})
}

// Read returns what message asks for. A vote that fails (the embedding
// model is down) leaves the model's reading.
func (r *Classifier) Read(ctx context.Context, message string) Reading {
	message = withoutProof(message)
	m := r.cur.Load()
	l, p := m.c.Classify(message)
	by := ByModel
	if m.v != nil {
		if vl, vp, err := m.v.Classify(ctx, message); err == nil {
			l, p, by = vl, vp, ByVote
		} else {
			r.log.Warn("intent vote failed; the model alone decides", "err", err)
		}
	}
	rd := Reading{Intent: Intent(l), Confidence: p, By: by}
	if rd.Intent == None && startReturnRule.MatchString(message) {
		rd = Reading{Intent: StartReturn, Confidence: r.prob(m.c, message, intent.StartReturn), By: ByRule}
	}
	if rd.Intent == None {
		rd.noneProb = rd.Confidence
	} else {
		rd.noneProb = r.prob(m.c, message, intent.None)
	}
	return rd
}

// withoutProof blanks the e-mail addresses and phone numbers in message:
// they say nothing of what it asks, and their Latin letters pulled
// Chinese requests toward None ("取消订单 HL-100102，邮箱 a@b.com" read as
// None at 0.84). No dev or test message holds one, so the figures are
// unchanged by it.
func withoutProof(message string) string {
	found := mention.Find(message, nil)
	var b strings.Builder
	at := 0
	for _, m := range found {
		if (m.Kind == mention.Email || m.Kind == mention.Phone) && m.Start >= at {
			b.WriteString(message[at:m.Start])
			b.WriteByte(' ')
			at = m.End
		}
	}
	if at == 0 {
		return message
	}
	b.WriteString(message[at:])
	return b.String()
}

// prob is c's probability of label l for message.
func (r *Classifier) prob(c *intent.Classifier, message string, l intent.Label) float64 {
	ps := c.Probabilities(message)
	for i, x := range intent.Labels {
		if x == l {
			return ps[i]
		}
	}
	return 0
}

// AsNone is the reading reported for a message no action answered: None,
// with the model's probability of None.
func (rd Reading) AsNone() Reading {
	if rd.Intent == None {
		return rd
	}
	return Reading{Intent: None, Confidence: rd.noneProb, By: rd.By}
}
