package faqs

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/shopdesk/shopdesk/index"
)

// Limits of a reviewed candidate's text.
const (
	MaxQuestionRunes = 500
	MaxAnswerRunes   = 8000
)

// List returns the tenant's candidates with status (all for ""), newest
// first, at most limit.
func (c *Candidates) List(ctx context.Context, t, status string, limit int) ([]Candidate, error) {
	if err := checkTenant(t); err != nil {
		return nil, err
	}
	switch status {
	case "", Pending, Approved, Rejected:
	default:
		return nil, fmt.Errorf("status %q: want pending, approved or rejected", status)
	}
	rows, err := c.opts.DB.QueryContext(ctx, `SELECT id, question, answer, lang, conversations, count, author, status, similar_faq, doc_id, created_at, decided_at
		FROM faq_candidates WHERE tenant = ? AND (? = '' OR status = ?) ORDER BY created_at DESC, id DESC LIMIT ?`, t, status, status, limit)
	if err != nil {
		return nil, fmt.Errorf("faq candidates: %w", err)
	}
	defer rows.Close()
	var out []Candidate
	for rows.Next() {
		cand, err := scan(rows, t)
		if err != nil {
			return nil, err
		}
		out = append(out, cand)
	}
	return out, rows.Err()
}

// Get returns one of the tenant's candidates.
func (c *Candidates) Get(ctx context.Context, t string, id int64) (Candidate, error) {
	if err := checkTenant(t); err != nil {
		return Candidate{}, err
	}
	row := c.opts.DB.QueryRowContext(ctx, `SELECT id, question, answer, lang, conversations, count, author, status, similar_faq, doc_id, created_at, decided_at
		FROM faq_candidates WHERE tenant = ? AND id = ?`, t, id)
	cand, err := scan(row, t)
	if errors.Is(err, sql.ErrNoRows) {
		return Candidate{}, ErrNotFound
	}
	return cand, err
}

type scanner interface{ Scan(...any) error }

func scan(r scanner, t string) (Candidate, error) {
	cand := Candidate{Tenant: t}
	var convs string
	var created int64
	var decided sql.NullInt64
	if err := r.Scan(&cand.ID, &cand.Question, &cand.Answer, &cand.Lang, &convs, &cand.Count, &cand.Author, &cand.Status,
		&cand.SimilarFAQ, &cand.DocID, &created, &decided); err != nil {
		return Candidate{}, err
	}
	cand.Conversations = strings.Split(convs, ",")
	cand.CreatedAt = time.UnixMilli(created).UTC()
	if decided.Valid {
		at := time.UnixMilli(decided.Int64).UTC()
		cand.DecidedAt = &at
	}
	return cand, nil
}

// Approve ingests the candidate as an FAQ document, with the reviewer's
// edits of the question and answer if given, tagged with the
// conversation it came from. It returns the document's ID.
func (c *Candidates) Approve(ctx context.Context, t string, id int64, question, answer string) (Candidate, error) {
	cand, err := c.Get(ctx, t, id)
	if err != nil {
		return Candidate{}, err
	}
	if cand.Status != Pending {
		return Candidate{}, fmt.Errorf("%w (%s)", ErrDecided, cand.Status)
	}
	if q := strings.TrimSpace(question); q != "" {
		cand.Question = q
	}
	if a := strings.TrimSpace(answer); a != "" {
		cand.Answer = a
	}
	if err := checkText(cand.Question, cand.Answer); err != nil {
		return Candidate{}, err
	}
	cand.DocID = "faq-learned-" + strconv.FormatInt(cand.ID, 10)
	doc := index.Document{ID: cand.DocID, Title: cand.Question, Text: cand.Answer, Kind: index.KindFAQ, Lang: cand.Lang,
		Tags: []string{"from-conversation:" + cand.Conversations[0]}, Source: "conversation " + cand.Conversations[0]}
	res, err := c.opts.Knowledge.Ingest(ctx, t, []index.Document{doc}, nil)
	if err != nil {
		return Candidate{}, fmt.Errorf("approve FAQ candidate %d: %w", id, err)
	}
	if len(res.Failed) > 0 {
		return Candidate{}, fmt.Errorf("approve FAQ candidate %d: %v", id, res.Failed[0].Err)
	}
	return c.decide(ctx, cand, Approved)
}

// Reject sets the candidate aside.
func (c *Candidates) Reject(ctx context.Context, t string, id int64) (Candidate, error) {
	cand, err := c.Get(ctx, t, id)
	if err != nil {
		return Candidate{}, err
	}
	if cand.Status != Pending {
		return Candidate{}, fmt.Errorf("%w (%s)", ErrDecided, cand.Status)
	}
	return c.decide(ctx, cand, Rejected)
}

func (c *Candidates) decide(ctx context.Context, cand Candidate, status string) (Candidate, error) {
	now := time.Now().UTC()
	if _, err := c.opts.DB.ExecContext(ctx, `UPDATE faq_candidates SET status = ?, question = ?, answer = ?, doc_id = ?, decided_at = ?
		WHERE tenant = ? AND id = ?`, status, cand.Question, cand.Answer, cand.DocID, now.UnixMilli(), cand.Tenant, cand.ID); err != nil {
		return Candidate{}, fmt.Errorf("faq candidate %d: %w", cand.ID, err)
	}
	cand.Status, cand.DecidedAt = status, &now
	return cand, nil
}

func checkText(q, a string) error {
	switch {
	case !utf8.ValidString(q) || utf8.RuneCountInString(q) > MaxQuestionRunes:
		return fmt.Errorf("question: at most %d characters", MaxQuestionRunes)
	case !utf8.ValidString(a) || utf8.RuneCountInString(a) > MaxAnswerRunes:
		return fmt.Errorf("answer: at most %d characters", MaxAnswerRunes)
	}
	return nil
}
