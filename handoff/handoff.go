// Package handoff decides when a conversation goes to a human, and tells
// the shop's helpdesk by a signed JSON webhook.
//
// A conversation is escalated when the shopper asks for a person, on a
// high-risk topic (legal threats, safety incidents, chargebacks), when
// sentiment stays negative for some turns, or when the assistant has had
// to say it does not know too often. Detect looks at one message; Rules
// adds the conversation's counters. Notifier delivers the Event with
// retries; Notice is what the shopper is told.
package handoff

import "github.com/shopdesk/shopdesk/sentiment"

// Reasons for a hand-off, as in Decision.Reason and Event.Reason.
const (
	ReasonRequested  = "requested"          // the shopper asked for a person
	ReasonNegative   = "negative_sentiment" // sentiment stayed negative
	ReasonUnanswered = "unanswered"         // the assistant did not know, repeatedly
	ReasonHighRisk   = "high_risk"          // legal, safety or chargeback
)

// Topics of a high-risk hand-off, as in Decision.Topic.
const (
	TopicLegal      = "legal"
	TopicSafety     = "safety"
	TopicChargeback = "chargeback"
)

// Default thresholds of Rules.
const (
	DefaultNegativeTurns   = 2
	DefaultUnansweredTurns = 2
)

// Rules are the conversation-level thresholds. A zero field means its
// default (2); a negative one turns that rule off.
type Rules struct {
	// NegativeTurns is how many consecutive negative shopper turns
	// escalate.
	NegativeTurns int
	// UnansweredTurns is how many "don't know" answers in a conversation
	// escalate.
	UnansweredTurns int
}

// Signals are what Decide knows about the conversation at the shopper's
// latest turn.
type Signals struct {
	// Message is the shopper's latest message.
	Message string
	// Sentiment is the sentiment of Message.
	Sentiment sentiment.Result
	// NegativeStreak is the number of consecutive negative shopper turns,
	// including this one. It counts only if Sentiment is negative.
	NegativeStreak int
	// Unanswered is the number of "don't know" answers in the
	// conversation so far, including this turn's if already known.
	Unanswered int
}

// Decision is whether to escalate and why. Reason is empty when Escalate
// is false; Topic is set only for ReasonHighRisk.
type Decision struct {
	Escalate bool   `json:"escalate"`
	Reason   string `json:"reason,omitempty"`
	Topic    string `json:"topic,omitempty"`
}

// Decide applies the rules to one turn; the message's own signals come
// from DetectWith (the rules, then s.Sentiment's learned hand-off). When several apply, the reason is
// the first of: high_risk, requested, negative_sentiment, unanswered.
func (r Rules) Decide(s Signals) Decision {
	if d := DetectWith(s.Message, s.Sentiment); d.Escalate {
		return d
	}
	if n := threshold(r.NegativeTurns, DefaultNegativeTurns); n > 0 &&
		s.Sentiment.Label == sentiment.Negative && s.NegativeStreak >= n {
		return Decision{Escalate: true, Reason: ReasonNegative}
	}
	if n := threshold(r.UnansweredTurns, DefaultUnansweredTurns); n > 0 && s.Unanswered >= n {
		return Decision{Escalate: true, Reason: ReasonUnanswered}
	}
	return Decision{}
}

// threshold returns v, def for zero, and 0 (off) for a negative v.
func threshold(v, def int) int {
	switch {
	case v == 0:
		return def
	case v < 0:
		return 0
	}
	return v
}
