package conversation

import (
	"context"
	"fmt"
	"time"
)

// Summary is what reports need of one conversation.
type Summary struct {
	ID         string
	CustomerID string
	CreatedAt  time.Time
	Escalated  bool
	Reason     string
	// FirstQuestion is the shopper's first message; FirstIntent the
	// intent of the first answer, FirstLatencyMS its time to first text.
	FirstQuestion  string
	FirstIntent    string
	FirstLatencyMS int
	// LastOutcome is the outcome of the last assistant message.
	LastOutcome string
	// Answers counts assistant messages, DontKnow and Fallback those with
	// that outcome; Up and Down the ratings; CSAT the conversation's.
	Answers, DontKnow, Fallback, Up, Down, CSAT int
	// HumanReplies counts messages people wrote.
	HumanReplies int
}

// Summaries returns the tenant's conversations created in [from, to),
// oldest first.
func (s *Store) Summaries(ctx context.Context, t string, from, to time.Time) ([]Summary, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT c.id, c.customer_id, c.created_at, c.escalated, c.escalation_reason, c.csat,
		COALESCE((SELECT content FROM messages m WHERE m.tenant = c.tenant AND m.conversation_id = c.id AND m.role = 'user' ORDER BY seq LIMIT 1), ''),
		COALESCE((SELECT intent FROM messages m WHERE m.tenant = c.tenant AND m.conversation_id = c.id AND m.role = 'assistant' ORDER BY seq LIMIT 1), ''),
		COALESCE((SELECT latency_ms FROM messages m WHERE m.tenant = c.tenant AND m.conversation_id = c.id AND m.role = 'assistant' ORDER BY seq LIMIT 1), 0),
		COALESCE((SELECT outcome FROM messages m WHERE m.tenant = c.tenant AND m.conversation_id = c.id AND m.role = 'assistant' ORDER BY seq DESC LIMIT 1), ''),
		COALESCE(SUM(m.role = 'assistant'), 0), COALESCE(SUM(m.outcome = 'dont_know'), 0), COALESCE(SUM(m.outcome = 'fallback'), 0),
		COALESCE(SUM(m.rating = 'up'), 0), COALESCE(SUM(m.rating = 'down'), 0), COALESCE(SUM(m.role = 'agent'), 0)
		FROM conversations c LEFT JOIN messages m ON m.tenant = c.tenant AND m.conversation_id = c.id
		WHERE c.tenant = ? AND c.created_at >= ? AND c.created_at < ?
		GROUP BY c.tenant, c.id ORDER BY c.created_at, c.id`, t, from.UnixMilli(), to.UnixMilli())
	if err != nil {
		return nil, fmt.Errorf("conversation summaries: %w", err)
	}
	defer rows.Close()
	var out []Summary
	for rows.Next() {
		var sm Summary
		var created int64
		var escalated int
		if err := rows.Scan(&sm.ID, &sm.CustomerID, &created, &escalated, &sm.Reason, &sm.CSAT, &sm.FirstQuestion, &sm.FirstIntent,
			&sm.FirstLatencyMS, &sm.LastOutcome, &sm.Answers, &sm.DontKnow, &sm.Fallback, &sm.Up, &sm.Down, &sm.HumanReplies); err != nil {
			return nil, fmt.Errorf("conversation summaries: %w", err)
		}
		sm.CreatedAt, sm.Escalated = time.UnixMilli(created).UTC(), escalated != 0
		out = append(out, sm)
	}
	return out, rows.Err()
}

// Unanswered is a shopper question the assistant did not settle.
type Unanswered struct {
	ConversationID string
	Question       string
	// Outcome is dont_know, fallback or handoff, or "rated_down".
	Outcome  string
	Language string
	At       time.Time
}

// UnansweredSince lists the tenant's questions since the time given that
// got "don't know", the FAQ fallback, a hand-off or a thumbs-down, newest
// first, at most limit.
func (s *Store) UnansweredSince(ctx context.Context, t string, since time.Time, limit int) ([]Unanswered, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT a.conversation_id,
		COALESCE((SELECT content FROM messages q WHERE q.tenant = a.tenant AND q.conversation_id = a.conversation_id AND q.role = 'user' AND q.seq < a.seq ORDER BY q.seq DESC LIMIT 1), ''),
		CASE WHEN a.rating = 'down' THEN 'rated_down' ELSE a.outcome END, c.language, a.created_at
		FROM messages a JOIN conversations c ON c.tenant = a.tenant AND c.id = a.conversation_id
		WHERE a.tenant = ? AND a.role = 'assistant' AND a.created_at >= ?
			AND (a.outcome IN ('dont_know', 'fallback', 'handoff') OR a.rating = 'down')
		ORDER BY a.created_at DESC LIMIT ?`, t, since.UnixMilli(), limit)
	if err != nil {
		return nil, fmt.Errorf("unanswered questions: %w", err)
	}
	defer rows.Close()
	var out []Unanswered
	for rows.Next() {
		var u Unanswered
		var at int64
		if err := rows.Scan(&u.ConversationID, &u.Question, &u.Outcome, &u.Language, &at); err != nil {
			return nil, fmt.Errorf("unanswered questions: %w", err)
		}
		if u.Question != "" {
			u.At = time.UnixMilli(at).UTC()
			out = append(out, u)
		}
	}
	return out, rows.Err()
}

// Tenants lists the tenants with conversations updated since the time
// given.
func (s *Store) Tenants(ctx context.Context, since time.Time) ([]string, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT DISTINCT tenant FROM conversations WHERE updated_at >= ? ORDER BY tenant`, since.UnixMilli())
	if err != nil {
		return nil, fmt.Errorf("tenants: %w", err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var t string
		if err := rows.Scan(&t); err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, rows.Err()
}
