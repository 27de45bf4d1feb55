// Package faqs turns the answers people give shoppers into FAQ
// candidates. When a person resolves a conversation they replied in, the
// shopper's question and the person's answer, with personal data
// removed, become a candidate; one like a pending candidate is merged
// into it, and one like an existing FAQ says so. Approved (and perhaps
// edited) by staff, a candidate is ingested as an FAQ document that links
// back to the conversation it came from.
package faqs

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/shopdesk/shopdesk/conversation"
	"github.com/shopdesk/shopdesk/handoff"
	"github.com/shopdesk/shopdesk/index"
	"github.com/shopdesk/shopdesk/redact"
	"github.com/shopdesk/shopdesk/sqlite"
	"github.com/shopdesk/shopdesk/tenant"
)

// ErrNotFound reports a candidate the tenant does not have.
var ErrNotFound = errors.New("no such FAQ candidate")

// ErrDecided reports a candidate already approved or rejected.
var ErrDecided = errors.New("the FAQ candidate was already decided")

// The statuses of a candidate.
const (
	Pending  = "pending"
	Approved = "approved"
	Rejected = "rejected"
)

// Candidate is a question and the answer a person gave it.
type Candidate struct {
	ID       int64  `json:"id"`
	Tenant   string `json:"-"`
	Question string `json:"question"`
	Answer   string `json:"answer"`
	Lang     string `json:"lang,omitempty"`
	// Conversations are where the question was answered (the first is
	// the one the answer comes from); Count is how many times it came.
	Conversations []string `json:"conversations"`
	Count         int      `json:"count"`
	Author        string   `json:"author,omitempty"`
	Status        string   `json:"status"`
	// SimilarFAQ is an existing FAQ document that already asks much the
	// same, for the reviewer to compare.
	SimilarFAQ string     `json:"similar_faq,omitempty"`
	DocID      string     `json:"doc_id,omitempty"` // once approved
	CreatedAt  time.Time  `json:"created_at"`
	DecidedAt  *time.Time `json:"decided_at,omitempty"`
}

// Conversations loads a conversation; *conversation.Store is one.
type Conversations interface {
	Load(ctx context.Context, tenant, id string) (*conversation.Conversation, error)
}

// Knowledge finds and adds FAQ documents; *index.Index is one.
type Knowledge interface {
	Search(ctx context.Context, tenant, query string, opts index.SearchOptions) (index.SearchResult, error)
	Ingest(ctx context.Context, tenant string, docs []index.Document, progress func(done, total int)) (index.IngestResult, error)
}

// Options configure Candidates. All but Logger and Similar are required.
type Options struct {
	DB            *sql.DB
	Conversations Conversations
	Knowledge     Knowledge
	// Similar scores how much two questions ask the same, 0 to 1, in both
	// languages (assistant.Relevance taken both ways, say).
	Similar func(a, b string) float64
	// Customer returns the shopper's name, to remove it (optional).
	Customer func(ctx context.Context, tenant, id string) (name string)
	Logger   *slog.Logger
}

// SameQuestion is the similarity at or above which two questions are
// taken to ask the same thing.
const SameQuestion = 0.75

var migrations = []string{
	`CREATE TABLE faq_candidates (
		id            INTEGER PRIMARY KEY,
		tenant        TEXT NOT NULL,
		question      TEXT NOT NULL,
		answer        TEXT NOT NULL,
		lang          TEXT NOT NULL DEFAULT '',
		conversations TEXT NOT NULL DEFAULT '',
		count         INTEGER NOT NULL DEFAULT 1,
		author        TEXT NOT NULL DEFAULT '',
		status        TEXT NOT NULL,
		similar_faq   TEXT NOT NULL DEFAULT '',
		doc_id        TEXT NOT NULL DEFAULT '',
		created_at    INTEGER NOT NULL,
		decided_at    INTEGER
	);
	CREATE INDEX faq_candidates_status ON faq_candidates (tenant, status, created_at);`,
}

// Candidates keeps the FAQ candidates of every tenant.
type Candidates struct {
	opts Options
	log  *slog.Logger
}

// Open prepares the candidates' table.
func Open(ctx context.Context, opts Options) (*Candidates, error) {
	if opts.DB == nil || opts.Conversations == nil || opts.Knowledge == nil || opts.Similar == nil {
		return nil, errors.New("faqs: DB, Conversations, Knowledge and Similar are required")
	}
	if err := sqlite.Migrate(ctx, opts.DB, "faqs", migrations); err != nil {
		return nil, err
	}
	c := &Candidates{opts: opts, log: opts.Logger}
	if c.log == nil {
		c.log = slog.New(slog.DiscardHandler)
	}
	return c, nil
}

// FromResolved makes a candidate of a conversation a person resolved:
// the shopper's question (the message the person first answered) and the
// person's reply. It does nothing for conversations no person wrote in.
// It returns the candidate made or merged into, if any.
func (c *Candidates) FromResolved(ctx context.Context, t, id string) (*Candidate, error) {
	conv, err := c.opts.Conversations.Load(ctx, t, id)
	if err != nil {
		return nil, err
	}
	q, a, author, ok := exchange(conv)
	if !ok {
		return nil, nil
	}
	var known []string
	if c.opts.Customer != nil && conv.CustomerID != "" {
		known = append(known, c.opts.Customer(ctx, t, conv.CustomerID))
	}
	q, a = redact.Text(q, known...), redact.Text(a, known...)
	pending, err := c.List(ctx, t, Pending, 1000)
	if err != nil {
		return nil, err
	}
	for _, p := range pending {
		if c.opts.Similar(bare(q), bare(p.Question)) >= SameQuestion {
			return c.merge(ctx, p, id)
		}
	}
	cand := &Candidate{Tenant: t, Question: q, Answer: a, Lang: conv.Language, Conversations: []string{id}, Count: 1,
		Author: author, Status: Pending, CreatedAt: time.Now().UTC(), SimilarFAQ: c.similarFAQ(ctx, t, q)}
	res, err := c.opts.DB.ExecContext(ctx, `INSERT INTO faq_candidates (tenant, question, answer, lang, conversations, count, author, status, similar_faq, created_at)
		VALUES (?, ?, ?, ?, ?, 1, ?, ?, ?, ?)`, t, cand.Question, cand.Answer, cand.Lang, id, cand.Author, Pending, cand.SimilarFAQ, cand.CreatedAt.UnixMilli())
	if err != nil {
		return nil, fmt.Errorf("faq candidate: %w", err)
	}
	cand.ID, _ = res.LastInsertId()
	c.log.Info("FAQ candidate from a person's reply", "tenant", t, "candidate", cand.ID, "conversation", id, "similar_faq", cand.SimilarFAQ)
	return cand, nil
}

// exchange finds what the person answered: the last shopper message
// before the person's first reply, and that reply with any that follow
// it before the shopper writes again.
func exchange(conv *conversation.Conversation) (q, a, author string, ok bool) {
	first := -1
	for i, m := range conv.Messages {
		if m.Role == conversation.RoleAgent {
			first = i
			break
		}
	}
	if first < 0 {
		return "", "", "", false
	}
	for i := first - 1; i >= 0; i-- {
		if m := conv.Messages[i]; m.Role == conversation.RoleUser && isQuestion(m.Content) {
			q = m.Content
			break
		}
	}
	var parts []string
	for _, m := range conv.Messages[first:] {
		if m.Role == conversation.RoleUser {
			break
		}
		if m.Role == conversation.RoleAgent {
			parts = append(parts, strings.TrimSpace(m.Content))
			author = m.Author
		}
	}
	a = strings.Join(parts, "\n\n")
	return q, a, author, q != "" && a != ""
}

// isQuestion leaves out messages that only ask for a person, and ones
// too short to ask anything.
func isQuestion(s string) bool {
	if utf8.RuneCountInString(strings.TrimSpace(s)) < 6 {
		return false
	}
	return handoff.Detect(s).Reason != handoff.ReasonRequested
}

func (c *Candidates) merge(ctx context.Context, p Candidate, id string) (*Candidate, error) {
	for _, have := range p.Conversations {
		if have == id {
			return &p, nil
		}
	}
	p.Conversations = append(p.Conversations, id)
	p.Count++
	if _, err := c.opts.DB.ExecContext(ctx, `UPDATE faq_candidates SET conversations = ?, count = ? WHERE tenant = ? AND id = ?`,
		strings.Join(p.Conversations, ","), p.Count, p.Tenant, p.ID); err != nil {
		return nil, fmt.Errorf("faq candidate: %w", err)
	}
	return &p, nil
}

// similarFAQ returns the FAQ document that already asks much the same.
func (c *Candidates) similarFAQ(ctx context.Context, t, q string) string {
	res, err := c.opts.Knowledge.Search(ctx, t, q, index.SearchOptions{Mode: index.ModeKeyword, K: 5})
	if err != nil {
		c.log.Warn("could not compare an FAQ candidate with the FAQ", "tenant", t, "err", err)
		return ""
	}
	for _, h := range res.Hits {
		if h.Kind == index.KindFAQ && c.opts.Similar(bare(q), h.Title) >= SameQuestion {
			return h.DocID
		}
	}
	return ""
}

func checkTenant(t string) error { return tenant.Validate(t) }

// bare drops redaction placeholders, which say nothing of the question.
func bare(s string) string {
	for _, p := range []string{redact.Email, redact.Phone, redact.Order, redact.Postcode, redact.Name, redact.Address} {
		s = strings.ReplaceAll(s, p, " ")
	}
	return s
}
