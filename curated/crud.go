package curated

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/shopdesk/shopdesk/tenant"
)

// Create stores a new answer, with a fresh ID unless a.ID is set.
// Errors: ErrInvalid, ErrConflict when the ID or the question is taken.
func (s *Store) Create(ctx context.Context, t string, a Answer) (Answer, error) {
	if err := tenant.Validate(t); err != nil {
		return Answer{}, err
	}
	if err := a.Validate(); err != nil {
		return Answer{}, err
	}
	if a.ID == "" {
		a.ID = newID()
	}
	now := time.Now().Unix()
	alts, _ := json.Marshal(a.Alternates)
	tags, _ := json.Marshal(a.Tags)
	row := s.db.QueryRowContext(ctx, `INSERT INTO curated_answers (tenant, id, question, norm, answer, alternates, lang, tags, author, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING `+columns,
		t, a.ID, a.Question, normalize(a.Question), a.Answer, string(alts), a.Lang, string(tags), a.Author, now, now)
	out, err := scan(row)
	if err != nil {
		return Answer{}, s.conflict(err, "create")
	}
	s.bump(t)
	return out, nil
}

// conflict turns a uniqueness failure into ErrConflict.
func (s *Store) conflict(err error, op string) error {
	if strings.Contains(err.Error(), "UNIQUE") {
		return fmt.Errorf("%w: another curated answer has this id or this question", ErrConflict)
	}
	return fmt.Errorf("curated %s: %w", op, err)
}

// Get returns one answer.
func (s *Store) Get(ctx context.Context, t, id string) (Answer, bool, error) {
	if err := tenant.Validate(t); err != nil {
		return Answer{}, false, err
	}
	a, err := scan(s.db.QueryRowContext(ctx, `SELECT `+columns+` FROM curated_answers WHERE tenant = ? AND id = ?`, t, id))
	if errors.Is(err, sql.ErrNoRows) {
		return Answer{}, false, nil
	}
	if err != nil {
		return Answer{}, false, fmt.Errorf("curated get: %w", err)
	}
	return a, true, nil
}

// List returns a tenant's answers in ID order after the given ID, at most
// limit (all with limit 0).
func (s *Store) List(ctx context.Context, t, after string, limit int) ([]Answer, error) {
	if err := tenant.Validate(t); err != nil {
		return nil, err
	}
	if limit <= 0 {
		limit = -1
	}
	rows, err := s.db.QueryContext(ctx, `SELECT `+columns+` FROM curated_answers WHERE tenant = ? AND id > ? ORDER BY id LIMIT ?`, t, after, limit)
	if err != nil {
		return nil, fmt.Errorf("curated list: %w", err)
	}
	defer rows.Close()
	out := []Answer{}
	for rows.Next() {
		a, err := scan(rows)
		if err != nil {
			return nil, fmt.Errorf("curated list: %w", err)
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// Update replaces an answer's fields (its ID and creation time stay).
// Errors: ErrInvalid, ErrNotFound, ErrConflict when the new question is
// another answer's.
func (s *Store) Update(ctx context.Context, t, id string, a Answer) (Answer, error) {
	if err := tenant.Validate(t); err != nil {
		return Answer{}, err
	}
	a.ID = id
	if err := a.Validate(); err != nil {
		return Answer{}, err
	}
	alts, _ := json.Marshal(a.Alternates)
	tags, _ := json.Marshal(a.Tags)
	out, err := scan(s.db.QueryRowContext(ctx, `UPDATE curated_answers SET question = ?, norm = ?, answer = ?, alternates = ?, lang = ?, tags = ?,
		author = ?, updated_at = ? WHERE tenant = ? AND id = ? RETURNING `+columns,
		a.Question, normalize(a.Question), a.Answer, string(alts), a.Lang, string(tags), a.Author, time.Now().Unix(), t, id))
	if errors.Is(err, sql.ErrNoRows) {
		return Answer{}, fmt.Errorf("%w: %q", ErrNotFound, id)
	}
	if err != nil {
		return Answer{}, s.conflict(err, "update")
	}
	s.bump(t)
	return out, nil
}

// Delete removes an answer; it reports false if there was none.
func (s *Store) Delete(ctx context.Context, t, id string) (bool, error) {
	if err := tenant.Validate(t); err != nil {
		return false, err
	}
	res, err := s.db.ExecContext(ctx, `DELETE FROM curated_answers WHERE tenant = ? AND id = ?`, t, id)
	if err != nil {
		return false, fmt.Errorf("curated delete: %w", err)
	}
	n, _ := res.RowsAffected()
	if n > 0 {
		s.bump(t)
	}
	return n > 0, nil
}

// ImportResult counts what an import did.
type ImportResult struct {
	Added   int `json:"added"`
	Updated int `json:"updated"`
}

// Import adds answers, or updates the one with the same question (or, if
// the entry names one, the same ID): importing a file again updates it.
// It stops at the first answer that fails, reporting it by index.
func (s *Store) Import(ctx context.Context, t string, answers []Answer) (ImportResult, error) {
	var res ImportResult
	for i, a := range answers {
		if err := a.Validate(); err != nil {
			return res, fmt.Errorf("entry %d: %w", i+1, err)
		}
		id := a.ID
		if id == "" {
			err := s.db.QueryRowContext(ctx, `SELECT id FROM curated_answers WHERE tenant = ? AND norm = ?`, t, normalize(a.Question)).Scan(&id)
			if err != nil && !errors.Is(err, sql.ErrNoRows) {
				return res, fmt.Errorf("curated import: %w", err)
			}
		}
		if id != "" {
			if _, err := s.Update(ctx, t, id, a); err == nil {
				res.Updated++
				continue
			} else if !errors.Is(err, ErrNotFound) {
				return res, fmt.Errorf("entry %d: %w", i+1, err)
			}
		}
		if _, err := s.Create(ctx, t, a); err != nil {
			return res, fmt.Errorf("entry %d: %w", i+1, err)
		}
		res.Added++
	}
	return res, nil
}
