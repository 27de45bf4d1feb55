package conversation

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"github.com/shopdesk/shopdesk/tenant"
)

// Pruned counts what Prune removed.
type Pruned struct {
	Conversations int64 `json:"conversations"`
	Messages      int64 `json:"messages"`
	Notices       int64 `json:"handoff_notices"`
}

// Prune deletes the conversations of every tenant not updated since
// before, with their messages, continuations and delivered hand-off
// notices; notices still undelivered are kept until they go out.
func (s *Store) Prune(ctx context.Context, before time.Time) (Pruned, error) {
	var p Pruned
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		cut := before.UnixMilli()
		var err error
		if p.Messages, err = count(ctx, tx, `SELECT COUNT(*) FROM messages m JOIN conversations c
			ON c.tenant = m.tenant AND c.id = m.conversation_id WHERE c.updated_at < ?`, cut); err != nil {
			return err
		}
		if p.Notices, err = exec(ctx, tx, `DELETE FROM handoffs WHERE delivered_at IS NOT NULL AND EXISTS (
			SELECT 1 FROM conversations c WHERE c.tenant = handoffs.tenant AND c.id = handoffs.conversation_id AND c.updated_at < ?)`, cut); err != nil {
			return err
		}
		if _, err = exec(ctx, tx, `DELETE FROM continuations WHERE EXISTS (
			SELECT 1 FROM conversations c WHERE c.tenant = continuations.tenant AND c.id = continuations.conversation_id AND c.updated_at < ?)`, cut); err != nil {
			return err
		}
		// Messages go with their conversation (ON DELETE CASCADE).
		p.Conversations, err = exec(ctx, tx, `DELETE FROM conversations WHERE updated_at < ?`, cut)
		return err
	})
	if err != nil {
		return Pruned{}, fmt.Errorf("prune conversations: %w", err)
	}
	return p, nil
}

// Erased counts what EraseCustomer removed.
type Erased struct {
	Conversations int64    `json:"conversations"`
	Messages      int64    `json:"messages"`
	Notices       int64    `json:"handoff_notices"`
	IDs           []string `json:"-"` // the conversations removed
}

// EraseCustomer deletes every conversation of the tenant bound to the
// customer, or in which the shopper gave one of emails, with its
// transcript, remembered details, continuations and hand-off notices
// (delivered or not: a notice holds the transcript).
func (s *Store) EraseCustomer(ctx context.Context, t, customerID string, emails []string) (Erased, error) {
	if err := tenant.Validate(t); err != nil {
		return Erased{}, err
	}
	if strings.TrimSpace(customerID) == "" {
		return Erased{}, fmt.Errorf("erase customer: no customer ID")
	}
	var e Erased
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		ids, err := s.conversationsOf(ctx, tx, t, customerID, emails)
		if err != nil {
			return err
		}
		for _, id := range ids {
			n, err := count(ctx, tx, `SELECT COUNT(*) FROM messages WHERE tenant = ? AND conversation_id = ?`, t, id)
			if err != nil {
				return err
			}
			e.Messages += n
			if n, err = exec(ctx, tx, `DELETE FROM handoffs WHERE tenant = ? AND conversation_id = ?`, t, id); err != nil {
				return err
			}
			e.Notices += n
			if _, err := exec(ctx, tx, `DELETE FROM continuations WHERE tenant = ? AND conversation_id = ?`, t, id); err != nil {
				return err
			}
			if _, err := exec(ctx, tx, `DELETE FROM conversations WHERE tenant = ? AND id = ?`, t, id); err != nil {
				return err
			}
		}
		e.Conversations, e.IDs = int64(len(ids)), ids
		return nil
	})
	if err != nil {
		return Erased{}, fmt.Errorf("erase customer: %w", err)
	}
	return e, nil
}

func (s *Store) conversationsOf(ctx context.Context, tx *sql.Tx, t, customerID string, emails []string) ([]string, error) {
	q := `SELECT id FROM conversations WHERE tenant = ? AND (customer_id = ?`
	args := []any{t, customerID}
	for _, em := range emails {
		if em = strings.TrimSpace(strings.ToLower(em)); em != "" {
			q += ` OR lower(json_extract(details, '$.email')) = ?`
			args = append(args, em)
		}
	}
	rows, err := tx.QueryContext(ctx, q+`) ORDER BY id`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var ids []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}

func (s *Store) inTx(ctx context.Context, fn func(*sql.Tx) error) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := fn(tx); err != nil {
		return err
	}
	return tx.Commit()
}

func exec(ctx context.Context, tx *sql.Tx, q string, args ...any) (int64, error) {
	res, err := tx.ExecContext(ctx, q, args...)
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

func count(ctx context.Context, tx *sql.Tx, q string, args ...any) (int64, error) {
	var n int64
	err := tx.QueryRowContext(ctx, q, args...).Scan(&n)
	return n, err
}
