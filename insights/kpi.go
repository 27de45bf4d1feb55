// Package insights measures how well shopdesk serves a merchant's
// shoppers — conversations, automated resolution, hand-offs, "don't
// know", ratings, satisfaction and speed, per day — and finds what the
// knowledge base lacks: the questions it could not answer, grouped.
package insights

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sort"
	"time"

	"github.com/shopdesk/shopdesk/conversation"
)

// Conversations reports on stored conversations; *conversation.Store is
// one.
type Conversations interface {
	Summaries(ctx context.Context, tenant string, from, to time.Time) ([]conversation.Summary, error)
	UnansweredSince(ctx context.Context, tenant string, since time.Time, limit int) ([]conversation.Unanswered, error)
}

// Options configure Insights. Conversations and Similar are required.
type Options struct {
	Conversations Conversations
	// Similar scores how much two questions ask the same, 0 to 1.
	Similar func(a, b string) float64
	// Nearest returns the document that best answers a question, for gaps
	// (optional).
	Nearest func(ctx context.Context, tenant, question string) (id, title string)
	// Embed, when the embedding model is a real one, lets gaps group
	// questions by meaning as well as wording (optional; leave it nil for
	// a stand-in model, whose vectors mean nothing).
	Embed func(ctx context.Context, texts []string) ([][]float32, error)
}

// Insights computes KPIs and content gaps.
type Insights struct{ opts Options }

// New returns Insights over opts.
func New(opts Options) (*Insights, error) {
	if opts.Conversations == nil || opts.Similar == nil {
		return nil, errors.New("insights: Conversations and Similar are required")
	}
	return &Insights{opts: opts}, nil
}

// RepeatWindow is how soon a new conversation by the same shopper on the
// same topic means the first one did not resolve it.
const RepeatWindow = 24 * time.Hour

// KPIs are the measures of one period (a day, or the whole range).
type KPIs struct {
	Day           string `json:"day,omitempty"` // YYYY-MM-DD (UTC), for a day
	Conversations int    `json:"conversations"`
	// AutomatedResolutionRate is the share of conversations resolved
	// without a person (see Resolved).
	AutomatedResolutionRate float64        `json:"automated_resolution_rate"`
	HandoffRate             float64        `json:"handoff_rate"`
	HandoffsByReason        map[string]int `json:"handoffs_by_reason"`
	// DontKnowRate and FallbackRate are shares of the assistant's answers.
	DontKnowRate float64 `json:"dont_know_rate"`
	FallbackRate float64 `json:"fallback_rate"`
	Answers      int     `json:"answers"`
	ThumbsUp     int     `json:"thumbs_up"`
	ThumbsDown   int     `json:"thumbs_down"`
	// CSAT is the mean of the ratings given (1-5), CSATResponses how many.
	CSAT          float64 `json:"csat"`
	CSATResponses int     `json:"csat_responses"`
	// FirstAnswerP50MS and P95 are the time from a conversation's first
	// message to the first text of its first answer.
	FirstAnswerP50MS int `json:"first_answer_p50_ms"`
	FirstAnswerP95MS int `json:"first_answer_p95_ms"`
}

// Report is the KPIs of a range, in total and per day.
type Report struct {
	From  time.Time `json:"from"`
	To    time.Time `json:"to"`
	Total KPIs      `json:"total"`
	Days  []KPIs    `json:"days"`
}

// MaxRange is the longest range one report covers.
const MaxRange = 400 * 24 * time.Hour

// KPIs reports on the tenant's conversations created in [from, to). To
// see whether a conversation was followed by another on the same topic,
// it also reads a day past to.
func (in *Insights) KPIs(ctx context.Context, tenant string, from, to time.Time) (Report, error) {
	if !from.Before(to) {
		return Report{}, fmt.Errorf("from %s is not before to %s", from.Format(time.RFC3339), to.Format(time.RFC3339))
	}
	if to.Sub(from) > MaxRange {
		return Report{}, fmt.Errorf("a report covers at most %d days", int(MaxRange.Hours()/24))
	}
	all, err := in.opts.Conversations.Summaries(ctx, tenant, from, to.Add(RepeatWindow))
	if err != nil {
		return Report{}, err
	}
	var within []conversation.Summary
	for _, s := range all {
		if s.CreatedAt.Before(to) {
			within = append(within, s)
		}
	}
	rep := Report{From: from, To: to, Total: in.measure(within, all)}
	byDay := map[string][]conversation.Summary{}
	for _, s := range within {
		d := s.CreatedAt.UTC().Format(time.DateOnly)
		byDay[d] = append(byDay[d], s)
	}
	for d := from.UTC().Truncate(24 * time.Hour); d.Before(to); d = d.Add(24 * time.Hour) {
		day := d.Format(time.DateOnly)
		k := in.measure(byDay[day], all)
		k.Day = day
		rep.Days = append(rep.Days, k)
	}
	return rep, nil
}

func (in *Insights) measure(convs, all []conversation.Summary) KPIs {
	k := KPIs{Conversations: len(convs), HandoffsByReason: map[string]int{}}
	var latencies []int
	var csat, resolved, handoffs, dontKnow, fallback int
	for _, c := range convs {
		if in.Resolved(c, all) {
			resolved++
		}
		if c.Escalated {
			handoffs++
			k.HandoffsByReason[c.Reason]++
		}
		k.Answers += c.Answers
		dontKnow += c.DontKnow
		fallback += c.Fallback
		k.ThumbsUp += c.Up
		k.ThumbsDown += c.Down
		if c.CSAT > 0 {
			csat += c.CSAT
			k.CSATResponses++
		}
		if c.FirstLatencyMS > 0 {
			latencies = append(latencies, c.FirstLatencyMS)
		}
	}
	k.AutomatedResolutionRate = ratio(resolved, len(convs))
	k.HandoffRate = ratio(handoffs, len(convs))
	k.DontKnowRate, k.FallbackRate = ratio(dontKnow, k.Answers), ratio(fallback, k.Answers)
	if k.CSATResponses > 0 {
		k.CSAT = float64(csat) / float64(k.CSATResponses)
	}
	k.FirstAnswerP50MS, k.FirstAnswerP95MS = percentile(latencies, 0.50), percentile(latencies, 0.95)
	return k
}

// Resolved reports whether the assistant resolved c on its own: it was
// rated up; or no person took part, its last answer was neither "don't
// know" nor the fallback, and the same shopper did not come back on the
// same topic within RepeatWindow (among all).
func (in *Insights) Resolved(c conversation.Summary, all []conversation.Summary) bool {
	if c.Up > 0 && !c.Escalated && c.HumanReplies == 0 {
		return true
	}
	if c.Escalated || c.HumanReplies > 0 || c.Answers == 0 || c.LastOutcome == "dont_know" || c.LastOutcome == "fallback" || c.LastOutcome == "held" {
		return false
	}
	if c.CustomerID == "" {
		return true // an anonymous shopper's return cannot be told
	}
	for _, o := range all {
		if o.ID == c.ID || o.CustomerID != c.CustomerID || !o.CreatedAt.After(c.CreatedAt) || o.CreatedAt.Sub(c.CreatedAt) > RepeatWindow {
			continue
		}
		if in.sameTopic(c, o) {
			return false
		}
	}
	return true
}

// sameTopic: the same request (intent), or much the same first question.
func (in *Insights) sameTopic(a, b conversation.Summary) bool {
	if a.FirstIntent != "" && a.FirstIntent != "none" && a.FirstIntent == b.FirstIntent {
		return true
	}
	return in.opts.Similar(a.FirstQuestion, b.FirstQuestion) >= 0.6
}

func ratio(n, of int) float64 {
	if of == 0 {
		return 0
	}
	return float64(n) / float64(of)
}

// percentile is the nearest-rank percentile of xs, 0 without any.
func percentile(xs []int, p float64) int {
	if len(xs) == 0 {
		return 0
	}
	s := slices.Clone(xs)
	sort.Ints(s)
	i := int(float64(len(s))*p+0.999999) - 1
	return s[max(0, min(i, len(s)-1))]
}
