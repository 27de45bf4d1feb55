// Package conversation stores support conversations per tenant in SQLite:
// the transcript, what was learned about the shopper, the running summary
// of older turns, hand-off state, and the outbox of hand-off notices.
//
// Every read and write names its tenant; a conversation ID is unique only
// within its tenant, so one merchant can never load another's.
package conversation

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"time"

	"github.com/shopdesk/shopdesk/sentiment"
)

// ErrNotFound reports a conversation the tenant does not have.
var ErrNotFound = errors.New("conversation not found")

// Roles of messages.
const (
	RoleUser      = "user"
	RoleAssistant = "assistant"
	// RoleAgent is a person of the merchant's team writing to the shopper.
	RoleAgent = "agent"
)

// Details are facts gathered from the shopper during a conversation.
type Details struct {
	OrderNumber string `json:"order_number,omitempty"`
	Email       string `json:"email,omitempty"`
	// Product is the catalog product the shopper last showed interest in.
	Product string `json:"product,omitempty"`
}

// Source is a passage an assistant message relied on, as shown to the
// shopper.
type Source struct {
	ID      string `json:"id"`
	Title   string `json:"title"`
	URL     string `json:"url,omitempty"`
	Snippet string `json:"snippet"`
}

// Message is one turn of the transcript.
type Message struct {
	Seq     int    `json:"seq"`
	Role    string `json:"role"`
	Content string `json:"content"`
	// Sources are what an assistant message cites, in citation order.
	Sources []Source `json:"sources,omitempty"`
	// Sentiment is a shopper message's mood.
	Sentiment *sentiment.Result `json:"sentiment,omitempty"`
	// Fallback marks an assistant message that is not a grounded model
	// answer: a verbatim FAQ answer, "don't know", or a hand-off notice.
	Fallback bool `json:"fallback,omitempty"`
	// Outcome, Intent and Model describe how an assistant message came to
	// be: the turn's outcome (answered, dont_know, handoff, action,
	// fallback, curated), the shopper's request it answered, and the
	// catalog entry that generated it, if one did.
	Outcome string `json:"outcome,omitempty"`
	Intent  string `json:"intent,omitempty"`
	Model   string `json:"model,omitempty"`
	// LatencyMS is the time from the shopper's message to the first text
	// of this answer.
	LatencyMS int `json:"latency_ms,omitempty"`
	// Author names the person who wrote an agent message.
	Author string `json:"author,omitempty"`
	// Rating is the shopper's verdict on an assistant message: "up",
	// "down" or empty.
	Rating string    `json:"rating,omitempty"`
	At     time.Time `json:"at"`
}

// Conversation is one support conversation and its state.
type Conversation struct {
	ID     string `json:"id"`
	Tenant string `json:"-"`
	// CustomerID is the shopper the integrator vouched for, if any.
	CustomerID string `json:"customer_id,omitempty"`
	// Session identifies the browser session (the chat widget's) that
	// started the conversation, if one did; only it may continue it. It
	// is set when the conversation is created and never changes.
	Session string `json:"-"`
	// Language is the language of the shopper's latest message.
	Language string  `json:"language,omitempty"`
	Details  Details `json:"details"`
	// Summary condenses the first Summarized messages.
	Summary    string `json:"summary,omitempty"`
	Summarized int    `json:"-"`
	// NegativeStreak counts consecutive negative shopper messages up to
	// the latest; Unanswered counts "don't know" answers.
	NegativeStreak   int        `json:"negative_streak"`
	Unanswered       int        `json:"unanswered"`
	Escalated        bool       `json:"escalated"`
	EscalationReason string     `json:"escalation_reason,omitempty"`
	EscalatedAt      *time.Time `json:"escalated_at,omitempty"`
	// HeldBy names the person who has taken the conversation over; while
	// set, the assistant stays silent.
	HeldBy string `json:"held_by,omitempty"`
	// ResolvedAt is when a person marked the conversation resolved; a new
	// shopper message reopens it.
	ResolvedAt *time.Time `json:"resolved_at,omitempty"`
	// CSAT is the shopper's rating of the whole conversation, 1 to 5 (0:
	// none given).
	CSAT int `json:"csat,omitempty"`
	// State is what commerce flows keep between turns, owned by package
	// actions and stored here as it is.
	State     json.RawMessage `json:"state,omitempty"`
	CreatedAt time.Time       `json:"created_at"`
	UpdatedAt time.Time       `json:"updated_at"`
	Messages  []Message       `json:"messages"`
}

// NextSeq is the sequence number the next message gets.
func (c *Conversation) NextSeq() int {
	if n := len(c.Messages); n > 0 {
		return c.Messages[n-1].Seq + 1
	}
	return 1
}

var validID = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_.:@-]{0,127}$`)

// ValidateID reports whether id can name a conversation.
func ValidateID(id string) error {
	if !validID.MatchString(id) {
		return fmt.Errorf("conversation ID %q: use 1-128 letters, digits, '.', '_', ':', '@' or '-', starting with a letter or digit", id)
	}
	return nil
}

// NewID returns a fresh random conversation ID.
func NewID() string {
	b := make([]byte, 12)
	rand.Read(b)
	return "conv_" + hex.EncodeToString(b)
}
