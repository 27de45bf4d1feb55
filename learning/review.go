package learning

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/shopdesk/shopdesk/tenant"
)

// List returns a tenant's phrasings of one status (all when status is
// empty), oldest first, after the given ID (for paging), at most limit.
func (p *Phrasings) List(ctx context.Context, t, status string, after int64, limit int) ([]Phrasing, error) {
	if err := tenant.Validate(t); err != nil {
		return nil, err
	}
	switch status {
	case "", StatusCandidate, StatusApproved, StatusRejected:
	default:
		return nil, fmt.Errorf("%w: status %q is not one of candidate, approved, rejected", ErrInvalid, status)
	}
	return p.query(ctx, `SELECT `+columns+` FROM phrasings WHERE tenant = ? AND (? = '' OR status = ?) AND id > ? ORDER BY id LIMIT ?`,
		t, status, status, after, limit)
}

// ForDocument returns every phrasing of one document, oldest first.
func (p *Phrasings) ForDocument(ctx context.Context, t, docID string) ([]Phrasing, error) {
	if err := tenant.Validate(t); err != nil {
		return nil, err
	}
	return p.query(ctx, `SELECT `+columns+` FROM phrasings WHERE tenant = ? AND doc_id = ? ORDER BY id`, t, docID)
}

func (p *Phrasings) query(ctx context.Context, q string, args ...any) ([]Phrasing, error) {
	rows, err := p.db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("phrasings: %w", err)
	}
	defer rows.Close()
	out := []Phrasing{}
	for rows.Next() {
		ph, err := scan(rows)
		if err != nil {
			return nil, fmt.Errorf("phrasings: %w", err)
		}
		out = append(out, ph)
	}
	return out, rows.Err()
}

// Approve approves a phrasing, with its words replaced by text when text
// is not empty (scrubbed like any phrasing), and indexes it with its
// document. Errors: ErrNotFound, ErrInvalid for text with nothing left.
func (p *Phrasings) Approve(ctx context.Context, t string, id int64, text string) (Phrasing, error) {
	if text == "" {
		return p.setStatus(ctx, t, id, StatusApproved, "", "")
	}
	q, norm, err := clean(text)
	if err != nil {
		return Phrasing{}, err
	}
	return p.setStatus(ctx, t, id, StatusApproved, q, norm)
}

// Reject rejects a phrasing: it is not proposed again, and leaves the
// index if it was approved. Errors: ErrNotFound.
func (p *Phrasings) Reject(ctx context.Context, t string, id int64) (Phrasing, error) {
	return p.setStatus(ctx, t, id, StatusRejected, "", "")
}

func (p *Phrasings) setStatus(ctx context.Context, t string, id int64, status, q, norm string) (Phrasing, error) {
	if err := tenant.Validate(t); err != nil {
		return Phrasing{}, err
	}
	before, err := scan(p.db.QueryRowContext(ctx, `SELECT `+columns+` FROM phrasings WHERE tenant = ? AND id = ?`, t, id))
	if errors.Is(err, sql.ErrNoRows) {
		return Phrasing{}, fmt.Errorf("%w: phrasing %d", ErrNotFound, id)
	}
	if err != nil {
		return Phrasing{}, fmt.Errorf("phrasings: %w", err)
	}
	set, args := `status = ?, updated_at = ?`, []any{status, time.Now().Unix()}
	if q != "" {
		set += `, question = ?, norm = ?`
		args = append(args, q, norm)
	}
	args = append(args, t, id)
	after, err := scan(p.db.QueryRowContext(ctx, `UPDATE phrasings SET `+set+` WHERE tenant = ? AND id = ? RETURNING `+columns, args...))
	if err != nil {
		return Phrasing{}, fmt.Errorf("%w: the document already has a phrasing with these words", ErrInvalid)
	}
	if before.Status == StatusApproved || after.Status == StatusApproved {
		if err := p.changed(ctx, t, after.DocID); err != nil {
			return after, err
		}
	}
	return after, nil
}

// MaxPerDocument bounds the phrasings indexed with one document: the most
// often seen.
const MaxPerDocument = 100

// Phrasings returns the approved phrasings of the tenant's documents among
// docIDs, by document ID, at most MaxPerDocument each, the most often
// seen first: the index.PhrasingSource.
func (p *Phrasings) Phrasings(ctx context.Context, t string, docIDs []string) (map[string][]string, error) {
	out := map[string][]string{}
	for start := 0; start < len(docIDs); start += 500 {
		part := docIDs[start:min(start+500, len(docIDs))]
		args := []any{t}
		marks := make([]byte, 0, 2*len(part))
		for i, id := range part {
			if i > 0 {
				marks = append(marks, ',')
			}
			marks = append(marks, '?')
			args = append(args, id)
		}
		rows, err := p.db.QueryContext(ctx, `SELECT doc_id, question FROM phrasings WHERE tenant = ? AND status = 'approved' AND doc_id IN (`+string(marks)+`) ORDER BY seen DESC, id`, args...)
		if err != nil {
			return nil, fmt.Errorf("phrasings: %w", err)
		}
		for rows.Next() {
			var doc, q string
			if err := rows.Scan(&doc, &q); err != nil {
				rows.Close()
				return nil, fmt.Errorf("phrasings: %w", err)
			}
			if len(out[doc]) < MaxPerDocument {
				out[doc] = append(out[doc], q)
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, fmt.Errorf("phrasings: %w", err)
		}
	}
	return out, nil
}

// Forget removes every phrasing of a deleted document.
func (p *Phrasings) Forget(ctx context.Context, t, docID string) error {
	if _, err := p.db.ExecContext(ctx, `DELETE FROM phrasings WHERE tenant = ? AND doc_id = ?`, t, docID); err != nil {
		return fmt.Errorf("phrasings: %w", err)
	}
	return nil
}

// Counts returns the number of phrasings of every tenant by status, for
// metrics.
func (p *Phrasings) Counts(ctx context.Context) (map[string]int, error) {
	rows, err := p.db.QueryContext(ctx, `SELECT status, COUNT(*) FROM phrasings GROUP BY status`)
	if err != nil {
		return nil, fmt.Errorf("phrasings: %w", err)
	}
	defer rows.Close()
	out := map[string]int{StatusCandidate: 0, StatusApproved: 0, StatusRejected: 0}
	for rows.Next() {
		var s string
		var n int
		if err := rows.Scan(&s, &n); err != nil {
			return nil, err
		}
		out[s] = n
	}
	return out, rows.Err()
}
