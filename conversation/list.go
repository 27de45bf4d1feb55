package conversation

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/shopdesk/shopdesk/tenant"
)

// The views of List.
const (
	// ViewAll lists every conversation.
	ViewAll = "all"
	// ViewWaiting lists escalated conversations no person holds yet.
	ViewWaiting = "waiting"
	// ViewEscalated lists every escalated conversation.
	ViewEscalated = "escalated"
	// ViewHeld lists conversations a person holds.
	ViewHeld = "held"
	// ViewUnanswered lists conversations with a "don't know" or fallback
	// answer.
	ViewUnanswered = "unanswered"
	// ViewNegative lists conversations with a negative shopper message.
	ViewNegative = "negative"
	// ViewRatedDown lists conversations with an answer rated down.
	ViewRatedDown = "rated_down"
	// ViewResolved lists conversations a person resolved.
	ViewResolved = "resolved"
)

// Views are the views List accepts.
var Views = []string{ViewAll, ViewWaiting, ViewEscalated, ViewHeld, ViewUnanswered, ViewNegative, ViewRatedDown, ViewResolved}

// Filter selects conversations for List.
type Filter struct {
	View string
	// From and To bound the last update (zero: no bound).
	From, To time.Time
	// Text finds conversations with a message containing it.
	Text string
	// Before continues a listing: only conversations updated before it.
	Before time.Time
	Limit  int
}

// Item is one conversation in a listing.
type Item struct {
	ID               string    `json:"id"`
	CustomerID       string    `json:"customer_id,omitempty"`
	Language         string    `json:"language,omitempty"`
	Escalated        bool      `json:"escalated"`
	EscalationReason string    `json:"escalation_reason,omitempty"`
	HeldBy           string    `json:"held_by,omitempty"`
	Resolved         bool      `json:"resolved"`
	NegativeStreak   int       `json:"negative_streak"`
	Unanswered       int       `json:"unanswered"`
	CSAT             int       `json:"csat,omitempty"`
	Messages         int       `json:"messages"`
	LastMessage      string    `json:"last_message"`
	LastRole         string    `json:"last_role"`
	CreatedAt        time.Time `json:"created_at"`
	UpdatedAt        time.Time `json:"updated_at"`
}

// List returns the tenant's conversations in the filter's view, most
// recently updated first.
func (s *Store) List(ctx context.Context, t string, f Filter) ([]Item, error) {
	if err := tenant.Validate(t); err != nil {
		return nil, err
	}
	where := []string{"c.tenant = ?"}
	args := []any{t}
	switch f.View {
	case "", ViewAll:
	case ViewWaiting:
		where = append(where, "c.escalated = 1 AND c.held_by = '' AND c.resolved_at IS NULL")
	case ViewEscalated:
		where = append(where, "c.escalated = 1")
	case ViewHeld:
		where = append(where, "c.held_by != ''")
	case ViewResolved:
		where = append(where, "c.resolved_at IS NOT NULL")
	case ViewUnanswered:
		where = append(where, "EXISTS (SELECT 1 FROM messages m WHERE m.tenant = c.tenant AND m.conversation_id = c.id AND m.outcome IN ('dont_know', 'fallback'))")
	case ViewNegative:
		where = append(where, `EXISTS (SELECT 1 FROM messages m WHERE m.tenant = c.tenant AND m.conversation_id = c.id AND m.role = 'user' AND json_extract(m.sentiment, '$.label') = 'negative')`)
	case ViewRatedDown:
		where = append(where, "EXISTS (SELECT 1 FROM messages m WHERE m.tenant = c.tenant AND m.conversation_id = c.id AND m.rating = 'down')")
	default:
		return nil, fmt.Errorf("view %q: want one of %s", f.View, strings.Join(Views, ", "))
	}
	if !f.From.IsZero() {
		where, args = append(where, "c.updated_at >= ?"), append(args, f.From.UnixMilli())
	}
	if !f.To.IsZero() {
		where, args = append(where, "c.updated_at < ?"), append(args, f.To.UnixMilli())
	}
	if !f.Before.IsZero() {
		where, args = append(where, "c.updated_at < ?"), append(args, f.Before.UnixMilli())
	}
	if text := strings.TrimSpace(f.Text); text != "" {
		if len(text) > 200 {
			return nil, fmt.Errorf("text: at most 200 bytes")
		}
		where = append(where, `(c.id = ? OR c.customer_id = ? OR EXISTS (SELECT 1 FROM messages m WHERE m.tenant = c.tenant AND m.conversation_id = c.id AND instr(lower(m.content), lower(?)) > 0))`)
		args = append(args, text, text, text)
	}
	if f.Limit <= 0 || f.Limit > 500 {
		f.Limit = 50
	}
	rows, err := s.db.QueryContext(ctx, `SELECT c.id, c.customer_id, c.language, c.escalated, c.escalation_reason, c.held_by,
		c.resolved_at IS NOT NULL, c.negative_streak, c.unanswered, c.csat, c.created_at, c.updated_at,
		(SELECT COUNT(*) FROM messages m WHERE m.tenant = c.tenant AND m.conversation_id = c.id),
		COALESCE((SELECT content FROM messages m WHERE m.tenant = c.tenant AND m.conversation_id = c.id ORDER BY seq DESC LIMIT 1), ''),
		COALESCE((SELECT role FROM messages m WHERE m.tenant = c.tenant AND m.conversation_id = c.id ORDER BY seq DESC LIMIT 1), '')
		FROM conversations c WHERE `+strings.Join(where, " AND ")+` ORDER BY c.updated_at DESC, c.id LIMIT ?`, append(args, f.Limit)...)
	if err != nil {
		return nil, fmt.Errorf("list conversations: %w", err)
	}
	defer rows.Close()
	var out []Item
	for rows.Next() {
		var it Item
		var escalated, resolved int
		var created, updated int64
		if err := rows.Scan(&it.ID, &it.CustomerID, &it.Language, &escalated, &it.EscalationReason, &it.HeldBy, &resolved,
			&it.NegativeStreak, &it.Unanswered, &it.CSAT, &created, &updated, &it.Messages, &it.LastMessage, &it.LastRole); err != nil {
			return nil, fmt.Errorf("list conversations: %w", err)
		}
		it.Escalated, it.Resolved = escalated != 0, resolved != 0
		it.CreatedAt, it.UpdatedAt = time.UnixMilli(created).UTC(), time.UnixMilli(updated).UTC()
		if r := []rune(it.LastMessage); len(r) > 160 {
			it.LastMessage = string(r[:160]) + "…"
		}
		out = append(out, it)
	}
	return out, rows.Err()
}
