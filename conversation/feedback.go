package conversation

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"
	"unicode/utf8"

	"github.com/shopdesk/shopdesk/tenant"
)

// ErrNoSuchTurn reports a turn that is not an assistant message of the
// conversation.
var ErrNoSuchTurn = errors.New("no such answer in the conversation")

// The ratings of an answer.
const (
	RatingUp   = "up"
	RatingDown = "down"
)

// MaxCommentRunes bounds a feedback comment.
const MaxCommentRunes = 2000

// Feedback is a shopper's rating of one answer, stored with what was
// rated: the question, the answer, its sources, the intent and the model.
type Feedback struct {
	ID             int64     `json:"id"`
	Tenant         string    `json:"-"`
	ConversationID string    `json:"conversation_id"`
	Seq            int       `json:"turn"`
	Rating         string    `json:"rating"`
	Comment        string    `json:"comment,omitempty"`
	Question       string    `json:"question"`
	Answer         string    `json:"answer"`
	Sources        []Source  `json:"sources"`
	Intent         string    `json:"intent,omitempty"`
	Model          string    `json:"model,omitempty"`
	Outcome        string    `json:"outcome,omitempty"`
	At             time.Time `json:"at"`
}

// Rate records a rating of the assistant message seq of the tenant's
// conversation id (0: its latest assistant message). A later rating of
// the same answer replaces the earlier one. Errors: ErrNotFound,
// ErrNoSuchTurn, or an invalid rating or comment.
func (s *Store) Rate(ctx context.Context, t, id string, seq int, rating, comment string) (Feedback, error) {
	if err := tenant.Validate(t); err != nil {
		return Feedback{}, err
	}
	if rating != RatingUp && rating != RatingDown {
		return Feedback{}, fmt.Errorf("rating %q: want up or down", rating)
	}
	if !utf8.ValidString(comment) || utf8.RuneCountInString(comment) > MaxCommentRunes {
		return Feedback{}, fmt.Errorf("comment: at most %d characters of valid UTF-8", MaxCommentRunes)
	}
	f := Feedback{Tenant: t, ConversationID: id, Rating: rating, Comment: comment, At: time.Now().UTC()}
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		if err := exists(ctx, tx, t, id); err != nil {
			return err
		}
		q := `SELECT seq, content, sources, intent, model, outcome FROM messages
			WHERE tenant = ? AND conversation_id = ? AND role = 'assistant' AND seq = ?`
		args := []any{t, id, seq}
		if seq == 0 {
			q = `SELECT seq, content, sources, intent, model, outcome FROM messages
				WHERE tenant = ? AND conversation_id = ? AND role = 'assistant' ORDER BY seq DESC LIMIT 1`
			args = args[:2]
		}
		var sources string
		err := tx.QueryRowContext(ctx, q, args...).Scan(&f.Seq, &f.Answer, &sources, &f.Intent, &f.Model, &f.Outcome)
		if errors.Is(err, sql.ErrNoRows) {
			return ErrNoSuchTurn
		}
		if err != nil {
			return err
		}
		if sources != "" {
			json.Unmarshal([]byte(sources), &f.Sources)
		}
		if f.Sources == nil {
			f.Sources = []Source{}
		}
		err = tx.QueryRowContext(ctx, `SELECT content FROM messages WHERE tenant = ? AND conversation_id = ? AND role = 'user' AND seq < ?
			ORDER BY seq DESC LIMIT 1`, t, id, f.Seq).Scan(&f.Question)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE messages SET rating = ? WHERE tenant = ? AND conversation_id = ? AND seq = ?`, rating, t, id, f.Seq); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM feedback WHERE tenant = ? AND conversation_id = ? AND seq = ?`, t, id, f.Seq); err != nil {
			return err
		}
		src, _ := json.Marshal(f.Sources)
		res, err := tx.ExecContext(ctx, `INSERT INTO feedback (tenant, conversation_id, seq, rating, comment, question, answer, sources, intent, model, outcome, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, t, id, f.Seq, rating, comment, f.Question, f.Answer, string(src), f.Intent, f.Model, f.Outcome, f.At.UnixMilli())
		if err != nil {
			return err
		}
		f.ID, _ = res.LastInsertId()
		return nil
	})
	if err != nil {
		if errors.Is(err, ErrNotFound) || errors.Is(err, ErrNoSuchTurn) {
			return Feedback{}, err
		}
		return Feedback{}, fmt.Errorf("rate conversation %s: %w", id, err)
	}
	s.hub.publish(Event{Type: EventRated, Tenant: t, ConversationID: id})
	return f, nil
}

// SetCSAT records the shopper's rating of the whole conversation, 1 to 5.
func (s *Store) SetCSAT(ctx context.Context, t, id string, score int) error {
	if score < 1 || score > 5 {
		return fmt.Errorf("csat %d: want 1 to 5", score)
	}
	res, err := s.db.ExecContext(ctx, `UPDATE conversations SET csat = ? WHERE tenant = ? AND id = ?`, score, t, id)
	if err != nil {
		return fmt.Errorf("csat of conversation %s: %w", id, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return ErrNotFound
	}
	s.hub.publish(Event{Type: EventRated, Tenant: t, ConversationID: id})
	return nil
}

// FeedbackSince lists the tenant's ratings made at or after since, oldest
// first, at most limit.
func (s *Store) FeedbackSince(ctx context.Context, t string, since time.Time, rating string, limit int) ([]Feedback, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT id, conversation_id, seq, rating, comment, question, answer, sources, intent, model, outcome, created_at
		FROM feedback WHERE tenant = ? AND created_at >= ? AND (? = '' OR rating = ?) ORDER BY created_at, id LIMIT ?`,
		t, since.UnixMilli(), rating, rating, limit)
	if err != nil {
		return nil, fmt.Errorf("feedback: %w", err)
	}
	defer rows.Close()
	var out []Feedback
	for rows.Next() {
		f := Feedback{Tenant: t}
		var sources string
		var at int64
		if err := rows.Scan(&f.ID, &f.ConversationID, &f.Seq, &f.Rating, &f.Comment, &f.Question, &f.Answer, &sources, &f.Intent, &f.Model, &f.Outcome, &at); err != nil {
			return nil, fmt.Errorf("feedback: %w", err)
		}
		json.Unmarshal([]byte(sources), &f.Sources)
		f.At = time.UnixMilli(at).UTC()
		out = append(out, f)
	}
	return out, rows.Err()
}

func exists(ctx context.Context, tx *sql.Tx, t, id string) error {
	var one int
	err := tx.QueryRowContext(ctx, `SELECT 1 FROM conversations WHERE tenant = ? AND id = ?`, t, id).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return ErrNotFound
	}
	return err
}
