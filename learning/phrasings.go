// Package learning learns how shoppers ask for the merchant's documents:
// a question that was answered from an FAQ entry or a curated answer and
// then confirmed becomes a candidate phrasing of that document, with its
// personal data removed. Approved phrasings are indexed with the document
// (index.PhrasingSource), survive its re-ingest and go when it is deleted.
//
// Everything is per tenant: every call names its tenant, and no phrasing
// of one tenant is ever returned for another.
package learning

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/shopdesk/shopdesk/sqlite"
	"github.com/shopdesk/shopdesk/tenant"
)

// The modes of learn_phrasings.
const (
	// ModeReview queues candidates for staff to approve or reject.
	ModeReview = "review"
	// ModeAuto approves candidates at once.
	ModeAuto = "auto"
	// ModeOff learns nothing from traffic; staff may still attach.
	ModeOff = "off"
)

// The statuses of a phrasing.
const (
	StatusCandidate = "candidate"
	StatusApproved  = "approved"
	StatusRejected  = "rejected"
)

// The sources of a phrasing.
const (
	SourceFeedback = "feedback" // a thumbs up
	SourceQuietEnd = "auto"     // the conversation ended without a sign of failure
	SourceStaff    = "staff"    // attached directly
)

// MaxQuestionBytes bounds one phrasing.
const MaxQuestionBytes = 500

// Errors callers map to client errors.
var (
	// ErrInvalid: the phrasing or request cannot be used as sent.
	ErrInvalid = errors.New("invalid phrasing")
	// ErrNotFound: no such phrasing, or (for Propose and Attach) no such
	// document that phrasings can be learned for.
	ErrNotFound = errors.New("not found")
)

var migrations = []string{`
CREATE TABLE phrasings (
	id INTEGER PRIMARY KEY,
	tenant TEXT NOT NULL,
	doc_id TEXT NOT NULL,
	question TEXT NOT NULL,
	norm TEXT NOT NULL,
	status TEXT NOT NULL,
	source TEXT NOT NULL,
	seen INTEGER NOT NULL,
	created_at INTEGER NOT NULL,
	updated_at INTEGER NOT NULL,
	UNIQUE (tenant, doc_id, norm)
);
CREATE INDEX phrasings_by_status ON phrasings (tenant, status, id);
`}

// Phrasing is one shopper phrasing of a document.
type Phrasing struct {
	ID       int64  `json:"id"`
	DocID    string `json:"doc_id"`
	Question string `json:"question"`
	Status   string `json:"status"`
	Source   string `json:"source"`
	// Seen counts the times it was proposed.
	Seen      int       `json:"seen"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

// Options configure Phrasings. DB is required.
type Options struct {
	DB *sql.DB
	// Mode returns a tenant's learn_phrasings mode; nil means ModeReview.
	Mode func(tenant string) string
	// Learnable reports whether a phrasing from source may be added to a
	// document: learned ones to FAQ entries and curated answers, staff's
	// to any document that exists. nil accepts every document.
	Learnable func(ctx context.Context, tenant, docID, source string) (bool, error)
	// Changed is called after a document's approved phrasings changed, to
	// index them again (index.Index.Reindex); its error is returned.
	Changed func(ctx context.Context, tenant, docID string) error
	Logger  *slog.Logger
}

// Phrasings stores the phrasings of every tenant's documents. It is safe
// for concurrent use.
type Phrasings struct {
	opts Options
	db   *sql.DB
	log  *slog.Logger
}

// Open migrates the tables and returns the store.
func Open(ctx context.Context, opts Options) (*Phrasings, error) {
	if opts.DB == nil {
		return nil, errors.New("learning: DB is required")
	}
	if err := sqlite.Migrate(ctx, opts.DB, "learning", migrations); err != nil {
		return nil, err
	}
	if opts.Mode == nil {
		opts.Mode = func(string) string { return ModeReview }
	}
	p := &Phrasings{opts: opts, db: opts.DB, log: opts.Logger}
	if p.log == nil {
		p.log = slog.New(slog.DiscardHandler)
	}
	return p, nil
}

// Propose records a confirmed question as a phrasing of docID: queued as
// a candidate, or approved at once when the tenant's mode is auto; nothing
// when it is off. The question is scrubbed of personal data first. A
// phrasing proposed before only counts once more, keeping its status (a
// rejected one stays rejected). Errors: ErrInvalid for a question with
// nothing left to learn, ErrNotFound for a document phrasings are not
// learned for.
func (p *Phrasings) Propose(ctx context.Context, t, docID, question, source string) error {
	mode := p.opts.Mode(t)
	if mode == ModeOff {
		return nil
	}
	status := StatusCandidate
	if mode == ModeAuto {
		status = StatusApproved
	}
	_, err := p.add(ctx, t, docID, question, source, status)
	return err
}

// Attach adds an approved phrasing to docID on staff's word: the
// correction for a question that found the wrong document. The question is
// scrubbed like a learned one. An existing phrasing of the document with
// the same words is approved.
func (p *Phrasings) Attach(ctx context.Context, t, docID, question string) (Phrasing, error) {
	return p.add(ctx, t, docID, question, SourceStaff, StatusApproved)
}

func (p *Phrasings) add(ctx context.Context, t, docID, question, source, status string) (Phrasing, error) {
	if err := tenant.Validate(t); err != nil {
		return Phrasing{}, err
	}
	if strings.TrimSpace(docID) == "" {
		return Phrasing{}, fmt.Errorf("%w: doc_id is required", ErrInvalid)
	}
	q, norm, err := clean(question)
	if err != nil {
		return Phrasing{}, err
	}
	if p.opts.Learnable != nil {
		ok, err := p.opts.Learnable(ctx, t, docID, source)
		if err != nil {
			return Phrasing{}, err
		}
		if !ok {
			return Phrasing{}, fmt.Errorf("%w: document %q", ErrNotFound, docID)
		}
	}
	now := time.Now().Unix()
	// A staff attach approves an existing phrasing; a learned one only
	// counts again.
	onConflict := `seen = seen + 1, updated_at = excluded.updated_at`
	if source == SourceStaff {
		onConflict += `, status = 'approved', question = excluded.question`
	}
	var ph Phrasing
	var before string
	err = p.db.QueryRowContext(ctx, `SELECT status FROM phrasings WHERE tenant = ? AND doc_id = ? AND norm = ?`, t, docID, norm).Scan(&before)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return Phrasing{}, fmt.Errorf("phrasings: %w", err)
	}
	row := p.db.QueryRowContext(ctx, `INSERT INTO phrasings (tenant, doc_id, question, norm, status, source, seen, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, 1, ?, ?)
		ON CONFLICT (tenant, doc_id, norm) DO UPDATE SET `+onConflict+`
		RETURNING `+columns, t, docID, q, norm, status, source, now, now)
	if ph, err = scan(row); err != nil {
		return Phrasing{}, fmt.Errorf("phrasings: %w", err)
	}
	if ph.Status == StatusApproved && before != StatusApproved {
		if err := p.changed(ctx, t, docID); err != nil {
			return ph, err
		}
	}
	return ph, nil
}

// clean scrubs a question and checks what is left; norm is the form two
// phrasings are the same in.
func clean(question string) (q, norm string, err error) {
	if !utf8.ValidString(question) {
		return "", "", fmt.Errorf("%w: question is not valid UTF-8", ErrInvalid)
	}
	if len(question) > MaxQuestionBytes {
		return "", "", fmt.Errorf("%w: question is %d bytes; the limit is %d", ErrInvalid, len(question), MaxQuestionBytes)
	}
	q = Scrub(question)
	norm = strings.ToLower(strings.Join(strings.FieldsFunc(q, func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	}), " "))
	if norm == "" {
		return "", "", fmt.Errorf("%w: question has no words left once personal data is removed", ErrInvalid)
	}
	return q, norm, nil
}

func (p *Phrasings) changed(ctx context.Context, t, docID string) error {
	if p.opts.Changed == nil {
		return nil
	}
	if err := p.opts.Changed(ctx, t, docID); err != nil {
		return fmt.Errorf("index the phrasings of %s: %w", docID, err)
	}
	return nil
}

const columns = `id, doc_id, question, status, source, seen, created_at, updated_at`

func scan(row interface{ Scan(...any) error }) (Phrasing, error) {
	var ph Phrasing
	var created, updated int64
	if err := row.Scan(&ph.ID, &ph.DocID, &ph.Question, &ph.Status, &ph.Source, &ph.Seen, &created, &updated); err != nil {
		return Phrasing{}, err
	}
	ph.CreatedAt, ph.UpdatedAt = time.Unix(created, 0).UTC(), time.Unix(updated, 0).UTC()
	return ph, nil
}
