package conversation

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/shopdesk/shopdesk/sentiment"
	"github.com/shopdesk/shopdesk/sqlite"
	"github.com/shopdesk/shopdesk/tenant"
)

var migrations = []string{
	`CREATE TABLE conversations (
		tenant            TEXT NOT NULL,
		id                TEXT NOT NULL,
		customer_id       TEXT NOT NULL DEFAULT '',
		language          TEXT NOT NULL DEFAULT '',
		details           TEXT NOT NULL DEFAULT '{}',
		summary           TEXT NOT NULL DEFAULT '',
		summarized        INTEGER NOT NULL DEFAULT 0,
		negative_streak   INTEGER NOT NULL DEFAULT 0,
		unanswered        INTEGER NOT NULL DEFAULT 0,
		escalated         INTEGER NOT NULL DEFAULT 0,
		escalation_reason TEXT NOT NULL DEFAULT '',
		escalated_at      INTEGER,
		created_at        INTEGER NOT NULL,
		updated_at        INTEGER NOT NULL,
		PRIMARY KEY (tenant, id)
	);
	CREATE TABLE messages (
		tenant          TEXT NOT NULL,
		conversation_id TEXT NOT NULL,
		seq             INTEGER NOT NULL,
		role            TEXT NOT NULL,
		content         TEXT NOT NULL,
		sources         TEXT NOT NULL DEFAULT '',
		sentiment       TEXT NOT NULL DEFAULT '',
		fallback        INTEGER NOT NULL DEFAULT 0,
		created_at      INTEGER NOT NULL,
		PRIMARY KEY (tenant, conversation_id, seq),
		FOREIGN KEY (tenant, conversation_id) REFERENCES conversations (tenant, id) ON DELETE CASCADE
	);
	CREATE TABLE handoffs (
		id              TEXT PRIMARY KEY,
		tenant          TEXT NOT NULL,
		conversation_id TEXT NOT NULL,
		payload         TEXT NOT NULL,
		created_at      INTEGER NOT NULL,
		attempts        INTEGER NOT NULL DEFAULT 0,
		last_error      TEXT NOT NULL DEFAULT '',
		delivered_at    INTEGER
	);
	CREATE INDEX handoffs_pending ON handoffs (created_at) WHERE delivered_at IS NULL;`,
	`ALTER TABLE conversations ADD COLUMN state TEXT NOT NULL DEFAULT '{}';`,
	`CREATE TABLE continuations (
		tenant          TEXT NOT NULL,
		digest          TEXT NOT NULL,
		conversation_id TEXT NOT NULL,
		created_at      INTEGER NOT NULL,
		PRIMARY KEY (tenant, digest)
	);
	CREATE INDEX continuations_conversation ON continuations (tenant, conversation_id);
	CREATE INDEX conversations_updated ON conversations (tenant, updated_at);
	CREATE INDEX conversations_customer ON conversations (tenant, customer_id);`,
	`ALTER TABLE messages ADD COLUMN outcome TEXT NOT NULL DEFAULT '';
	ALTER TABLE messages ADD COLUMN intent TEXT NOT NULL DEFAULT '';
	ALTER TABLE messages ADD COLUMN model TEXT NOT NULL DEFAULT '';
	ALTER TABLE messages ADD COLUMN latency_ms INTEGER NOT NULL DEFAULT 0;
	ALTER TABLE messages ADD COLUMN author TEXT NOT NULL DEFAULT '';
	ALTER TABLE messages ADD COLUMN rating TEXT NOT NULL DEFAULT '';
	ALTER TABLE conversations ADD COLUMN csat INTEGER NOT NULL DEFAULT 0;
	ALTER TABLE conversations ADD COLUMN held_by TEXT NOT NULL DEFAULT '';
	ALTER TABLE conversations ADD COLUMN resolved_at INTEGER;
	CREATE TABLE feedback (
		id              INTEGER PRIMARY KEY,
		tenant          TEXT NOT NULL,
		conversation_id TEXT NOT NULL,
		seq             INTEGER NOT NULL,
		rating          TEXT NOT NULL,
		comment         TEXT NOT NULL DEFAULT '',
		question        TEXT NOT NULL DEFAULT '',
		answer          TEXT NOT NULL DEFAULT '',
		sources         TEXT NOT NULL DEFAULT '',
		intent          TEXT NOT NULL DEFAULT '',
		model           TEXT NOT NULL DEFAULT '',
		outcome         TEXT NOT NULL DEFAULT '',
		created_at      INTEGER NOT NULL,
		FOREIGN KEY (tenant, conversation_id) REFERENCES conversations (tenant, id) ON DELETE CASCADE
	);
	CREATE INDEX feedback_time ON feedback (tenant, created_at);
	CREATE INDEX messages_time ON messages (tenant, created_at);`,
	`ALTER TABLE conversations ADD COLUMN session TEXT NOT NULL DEFAULT '';`,
}

// Store keeps conversations in a SQLite database. It is safe for
// concurrent use; callers serialise the turns of one conversation.
type Store struct {
	db  *sql.DB
	hub *Hub
}

// Open prepares the conversation tables in db.
func Open(ctx context.Context, db *sql.DB) (*Store, error) {
	if err := sqlite.Migrate(ctx, db, "conversation", migrations); err != nil {
		return nil, err
	}
	return &Store{db: db, hub: newHub()}, nil
}

// MaxMessages bounds the transcript Load returns: the most recent ones.
const MaxMessages = 1000

// Load returns the tenant's conversation id with its latest messages, or
// ErrNotFound.
func (s *Store) Load(ctx context.Context, t, id string) (*Conversation, error) {
	if err := tenant.Validate(t); err != nil {
		return nil, err
	}
	c := &Conversation{ID: id, Tenant: t}
	var details, state string
	var escalated int
	var escalatedAt sql.NullInt64
	var created, updated int64
	var resolvedAt sql.NullInt64
	err := s.db.QueryRowContext(ctx, `SELECT customer_id, language, details, summary, summarized,
		negative_streak, unanswered, escalated, escalation_reason, escalated_at, created_at, updated_at, state,
		csat, held_by, resolved_at, session
		FROM conversations WHERE tenant = ? AND id = ?`, t, id).Scan(
		&c.CustomerID, &c.Language, &details, &c.Summary, &c.Summarized,
		&c.NegativeStreak, &c.Unanswered, &escalated, &c.EscalationReason, &escalatedAt, &created, &updated, &state,
		&c.CSAT, &c.HeldBy, &resolvedAt, &c.Session)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("load conversation %s: %w", id, err)
	}
	if err := json.Unmarshal([]byte(details), &c.Details); err != nil {
		return nil, fmt.Errorf("load conversation %s: details: %w", id, err)
	}
	if state != "" && state != "{}" {
		c.State = json.RawMessage(state)
	}
	c.Escalated = escalated != 0
	if escalatedAt.Valid {
		at := time.UnixMilli(escalatedAt.Int64).UTC()
		c.EscalatedAt = &at
	}
	c.CreatedAt, c.UpdatedAt = time.UnixMilli(created).UTC(), time.UnixMilli(updated).UTC()
	if resolvedAt.Valid {
		at := time.UnixMilli(resolvedAt.Int64).UTC()
		c.ResolvedAt = &at
	}

	rows, err := s.db.QueryContext(ctx, `SELECT seq, role, content, sources, sentiment, fallback, created_at,
		outcome, intent, model, latency_ms, author, rating FROM (
		SELECT * FROM messages WHERE tenant = ? AND conversation_id = ? ORDER BY seq DESC LIMIT ?) ORDER BY seq`,
		t, id, MaxMessages)
	if err != nil {
		return nil, fmt.Errorf("load conversation %s: %w", id, err)
	}
	defer rows.Close()
	for rows.Next() {
		var m Message
		var sources, mood string
		var fallback int
		var at int64
		if err := rows.Scan(&m.Seq, &m.Role, &m.Content, &sources, &mood, &fallback, &at,
			&m.Outcome, &m.Intent, &m.Model, &m.LatencyMS, &m.Author, &m.Rating); err != nil {
			return nil, fmt.Errorf("load conversation %s: %w", id, err)
		}
		if sources != "" {
			if err := json.Unmarshal([]byte(sources), &m.Sources); err != nil {
				return nil, fmt.Errorf("load conversation %s message %d: %w", id, m.Seq, err)
			}
		}
		if mood != "" {
			m.Sentiment = new(sentiment.Result)
			if err := json.Unmarshal([]byte(mood), m.Sentiment); err != nil {
				return nil, fmt.Errorf("load conversation %s message %d: %w", id, m.Seq, err)
			}
		}
		m.Fallback = fallback != 0
		m.At = time.UnixMilli(at).UTC()
		c.Messages = append(c.Messages, m)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("load conversation %s: %w", id, err)
	}
	return c, nil
}

// Save writes c's state and appends msgs to its transcript, numbering
// them after c's last message, in one transaction; with a hand-off, its
// notice joins the outbox in the same transaction, so a conversation is
// never marked escalated without a notice to deliver. On success msgs are
// appended to c.Messages.
func (s *Store) Save(ctx context.Context, c *Conversation, msgs []Message, h *Handoff) error {
	if err := tenant.Validate(c.Tenant); err != nil {
		return err
	}
	if err := ValidateID(c.ID); err != nil {
		return err
	}
	now := time.Now().UTC()
	if c.CreatedAt.IsZero() {
		c.CreatedAt = now
	}
	c.UpdatedAt = now
	details, err := json.Marshal(c.Details)
	if err != nil {
		return err
	}
	state := "{}"
	if len(c.State) > 0 {
		if !json.Valid(c.State) {
			return fmt.Errorf("save conversation %s: state is not JSON", c.ID)
		}
		state = string(c.State)
	}
	var escalatedAt any
	if c.EscalatedAt != nil {
		escalatedAt = c.EscalatedAt.UnixMilli()
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("save conversation %s: %w", c.ID, err)
	}
	defer tx.Rollback()
	_, err = tx.ExecContext(ctx, `INSERT INTO conversations (tenant, id, customer_id, language, details, summary, summarized,
			negative_streak, unanswered, escalated, escalation_reason, escalated_at, created_at, updated_at, state, session)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (tenant, id) DO UPDATE SET customer_id = excluded.customer_id, language = excluded.language,
			details = excluded.details, negative_streak = excluded.negative_streak, unanswered = excluded.unanswered,
			escalated = excluded.escalated, escalation_reason = excluded.escalation_reason,
			escalated_at = excluded.escalated_at, updated_at = excluded.updated_at, state = excluded.state`,
		c.Tenant, c.ID, c.CustomerID, c.Language, string(details), c.Summary, c.Summarized,
		c.NegativeStreak, c.Unanswered, boolInt(c.Escalated), c.EscalationReason, escalatedAt,
		c.CreatedAt.UnixMilli(), now.UnixMilli(), state, c.Session)
	if err != nil {
		return fmt.Errorf("save conversation %s: %w", c.ID, err)
	}
	saved, err := insertMessages(ctx, tx, c.Tenant, c.ID, msgs, now)
	if err != nil {
		return fmt.Errorf("save conversation %s: %w", c.ID, err)
	}
	if h != nil {
		if err := addHandoff(ctx, tx, h, now); err != nil {
			return err
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("save conversation %s: %w", c.ID, err)
	}
	c.Messages = append(c.Messages, saved...)
	for i := range saved {
		s.hub.publish(Event{Type: EventMessage, Tenant: c.Tenant, ConversationID: c.ID, Message: &saved[i]})
	}
	if h != nil {
		s.hub.publish(Event{Type: EventEscalated, Tenant: c.Tenant, ConversationID: c.ID})
	}
	return nil
}

// insertMessages appends msgs to the transcript, numbered after the last
// stored message (not the caller's copy: a person may have written in
// the meantime).
func insertMessages(ctx context.Context, tx *sql.Tx, t, id string, msgs []Message, now time.Time) ([]Message, error) {
	var last int
	if err := tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(seq), 0) FROM messages WHERE tenant = ? AND conversation_id = ?`, t, id).Scan(&last); err != nil {
		return nil, err
	}
	saved := make([]Message, len(msgs))
	for i, m := range msgs {
		m.Seq = last + 1 + i
		if m.At.IsZero() {
			m.At = now
		}
		var sources, mood []byte
		if len(m.Sources) > 0 {
			sources, _ = json.Marshal(m.Sources)
		}
		if m.Sentiment != nil {
			mood, _ = json.Marshal(m.Sentiment)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO messages (tenant, conversation_id, seq, role, content, sources, sentiment, fallback, created_at,
				outcome, intent, model, latency_ms, author)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, t, id, m.Seq, m.Role, m.Content, string(sources), string(mood),
			boolInt(m.Fallback), m.At.UnixMilli(), m.Outcome, m.Intent, m.Model, m.LatencyMS, m.Author); err != nil {
			return nil, err
		}
		saved[i] = m
	}
	return saved, nil
}

// SetSummary records that summary condenses the conversation's first
// through messages. An older summary never replaces a newer one.
func (s *Store) SetSummary(ctx context.Context, t, id, summary string, through int) error {
	_, err := s.db.ExecContext(ctx, `UPDATE conversations SET summary = ?, summarized = ?
		WHERE tenant = ? AND id = ? AND summarized < ?`, summary, through, t, id, through)
	if err != nil {
		return fmt.Errorf("summarise conversation %s: %w", id, err)
	}
	return nil
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}
