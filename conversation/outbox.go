package conversation

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"time"
)

// Handoff is a hand-off notice waiting to be delivered to the merchant's
// webhook. Payload is the JSON body to send.
type Handoff struct {
	ID             string
	Tenant         string
	ConversationID string
	Payload        json.RawMessage
	Attempts       int
	CreatedAt      time.Time
}

func addHandoff(ctx context.Context, tx *sql.Tx, h *Handoff, now time.Time) error {
	if h.CreatedAt.IsZero() {
		h.CreatedAt = now
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO handoffs (id, tenant, conversation_id, payload, created_at) VALUES (?, ?, ?, ?, ?)`,
		h.ID, h.Tenant, h.ConversationID, string(h.Payload), h.CreatedAt.UnixMilli())
	if err != nil {
		return fmt.Errorf("queue hand-off %s: %w", h.ID, err)
	}
	return nil
}

// PendingHandoffs returns up to limit notices not yet delivered, oldest
// first.
func (s *Store) PendingHandoffs(ctx context.Context, limit int) ([]Handoff, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT id, tenant, conversation_id, payload, attempts, created_at
		FROM handoffs WHERE delivered_at IS NULL ORDER BY created_at LIMIT ?`, limit)
	if err != nil {
		return nil, fmt.Errorf("pending hand-offs: %w", err)
	}
	defer rows.Close()
	var out []Handoff
	for rows.Next() {
		var h Handoff
		var payload string
		var created int64
		if err := rows.Scan(&h.ID, &h.Tenant, &h.ConversationID, &payload, &h.Attempts, &created); err != nil {
			return nil, fmt.Errorf("pending hand-offs: %w", err)
		}
		h.Payload = json.RawMessage(payload)
		h.CreatedAt = time.UnixMilli(created).UTC()
		out = append(out, h)
	}
	return out, rows.Err()
}

// HandoffDelivered marks notice id delivered.
func (s *Store) HandoffDelivered(ctx context.Context, id string) error {
	_, err := s.db.ExecContext(ctx, `UPDATE handoffs SET delivered_at = ?, attempts = attempts + 1, last_error = '' WHERE id = ?`,
		time.Now().UnixMilli(), id)
	return err
}

// HandoffFailed records a failed delivery of notice id.
func (s *Store) HandoffFailed(ctx context.Context, id string, cause error) error {
	_, err := s.db.ExecContext(ctx, `UPDATE handoffs SET attempts = attempts + 1, last_error = ? WHERE id = ?`, cause.Error(), id)
	return err
}
