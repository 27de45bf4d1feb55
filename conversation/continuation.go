package conversation

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"
)

// Digest identifies a transcript as a client replays it: the roles and
// texts of its messages, in order, with surrounding white space ignored.
// An OpenAI client that names no conversation sends the whole transcript
// each turn; its digest finds the conversation it continues.
func Digest(msgs []Message) string {
	h := sha256.New()
	for _, m := range msgs {
		h.Write([]byte(m.Role))
		h.Write([]byte{0})
		h.Write([]byte(strings.TrimSpace(m.Content)))
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil))
}

// FindContinuation returns the conversation whose transcript, as its
// client last saw it, has the digest; ok is false when there is none, or
// when several conversations share it (identical transcripts are never
// merged).
func (s *Store) FindContinuation(ctx context.Context, tenant, digest string) (id string, ok bool, err error) {
	err = s.db.QueryRowContext(ctx, `SELECT conversation_id FROM continuations WHERE tenant = ? AND digest = ?`, tenant, digest).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return "", false, nil
	}
	if err != nil {
		return "", false, fmt.Errorf("find continuation: %w", err)
	}
	return id, id != "", nil
}

// RecordContinuation remembers that the client of conversation id now
// holds a transcript with the digest. A digest already recorded for
// another conversation is marked ambiguous, so neither is continued by it.
func (s *Store) RecordContinuation(ctx context.Context, tenant, digest, id string) error {
	_, err := s.db.ExecContext(ctx, `INSERT INTO continuations (tenant, digest, conversation_id, created_at) VALUES (?, ?, ?, ?)
		ON CONFLICT (tenant, digest) DO UPDATE SET conversation_id = CASE WHEN conversation_id = excluded.conversation_id
			THEN conversation_id ELSE '' END`, tenant, digest, id, time.Now().UnixMilli())
	if err != nil {
		return fmt.Errorf("record continuation of %s: %w", id, err)
	}
	return nil
}
