// Package curated keeps the merchant's curated answers: a question, the
// answer in the merchant's own words, alternate phrasings, a language and
// tags. A shopper message that matches one strongly is answered with it
// word for word, before any retrieval or generation (Matcher).
//
// Everything is per tenant: every call names its tenant, and one tenant's
// answers never match another's messages.
package curated

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/shopdesk/shopdesk/lang"
	"github.com/shopdesk/shopdesk/sqlite"
)

// Errors callers map to client errors.
var (
	// ErrInvalid: the answer cannot be stored as sent; the message names
	// the field.
	ErrInvalid = errors.New("invalid curated answer")
	// ErrNotFound: the tenant has no such answer.
	ErrNotFound = errors.New("curated answer not found")
	// ErrConflict: another answer has this ID or this question.
	ErrConflict = errors.New("curated answer conflict")
)

// Limits on one answer.
const (
	MaxQuestionBytes = 1000
	MaxAnswerBytes   = 8000
	MaxAlternates    = 50
	MaxTags          = 20
)

var migrations = []string{`
CREATE TABLE curated_answers (
	tenant TEXT NOT NULL,
	id TEXT NOT NULL,
	question TEXT NOT NULL,
	norm TEXT NOT NULL,
	answer TEXT NOT NULL,
	alternates TEXT NOT NULL,
	lang TEXT NOT NULL,
	tags TEXT NOT NULL,
	author TEXT NOT NULL,
	created_at INTEGER NOT NULL,
	updated_at INTEGER NOT NULL,
	PRIMARY KEY (tenant, id),
	UNIQUE (tenant, norm)
) WITHOUT ROWID;
`}

// Answer is one curated answer.
type Answer struct {
	ID         string    `json:"id"`
	Question   string    `json:"question"`
	Answer     string    `json:"answer"`
	Alternates []string  `json:"alternates"`
	Lang       string    `json:"lang"`
	Tags       []string  `json:"tags"`
	Author     string    `json:"author,omitempty"`
	CreatedAt  time.Time `json:"created_at"`
	UpdatedAt  time.Time `json:"updated_at"`
}

// Store keeps the curated answers of every tenant in SQLite. It is safe
// for concurrent use.
type Store struct {
	db *sql.DB
	mu sync.Mutex
	// version counts each tenant's writes, so a Matcher knows when to
	// reload.
	version map[string]int64
}

// Open migrates the table and returns the store.
func Open(ctx context.Context, db *sql.DB) (*Store, error) {
	if err := sqlite.Migrate(ctx, db, "curated", migrations); err != nil {
		return nil, err
	}
	return &Store{db: db, version: map[string]int64{}}, nil
}

func (s *Store) bump(t string) {
	s.mu.Lock()
	s.version[t]++
	s.mu.Unlock()
}

func (s *Store) versionOf(t string) int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.version[t]
}

var validID = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$`)

// Validate checks and tidies a: trims its fields, drops empty and repeated
// alternates and tags, and detects its language when it has none.
func (a *Answer) Validate() error {
	a.Question, a.Answer, a.Lang = strings.TrimSpace(a.Question), strings.TrimSpace(a.Answer), strings.TrimSpace(a.Lang)
	bad := func(field, format string, args ...any) error {
		return fmt.Errorf("%w: %s: %s", ErrInvalid, field, fmt.Sprintf(format, args...))
	}
	switch {
	case a.ID != "" && !validID.MatchString(a.ID):
		return bad("id", "use 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit")
	case a.Question == "":
		return bad("question", "is required")
	case len(a.Question) > MaxQuestionBytes:
		return bad("question", "is %d bytes; the limit is %d", len(a.Question), MaxQuestionBytes)
	case normalize(a.Question) == "":
		return bad("question", "has no words")
	case a.Answer == "":
		return bad("answer", "is required")
	case len(a.Answer) > MaxAnswerBytes:
		return bad("answer", "is %d bytes; the limit is %d", len(a.Answer), MaxAnswerBytes)
	case len(a.Alternates) > MaxAlternates:
		return bad("alternates", "has %d phrasings; the limit is %d", len(a.Alternates), MaxAlternates)
	case len(a.Tags) > MaxTags:
		return bad("tags", "has %d tags; the limit is %d", len(a.Tags), MaxTags)
	case len(a.Author) > 128:
		return bad("author", "is longer than 128 bytes")
	}
	for _, f := range append([]string{a.ID, a.Question, a.Answer, a.Lang, a.Author}, append(a.Alternates, a.Tags...)...) {
		if !utf8.ValidString(f) {
			return bad("text", "is not valid UTF-8")
		}
	}
	var err error
	if a.Alternates, err = tidy(a.Alternates, MaxQuestionBytes, "alternates"); err != nil {
		return err
	}
	if a.Tags, err = tidy(a.Tags, 64, "tags"); err != nil {
		return err
	}
	switch a.Lang {
	case "":
		a.Lang = lang.Detect(a.Question + "\n" + a.Answer)
	case lang.English, lang.Chinese:
	default:
		return bad("lang", "%q is not en or zh", a.Lang)
	}
	return nil
}

func tidy(items []string, limit int, field string) ([]string, error) {
	out := []string{}
	seen := map[string]bool{}
	for _, it := range items {
		it = strings.TrimSpace(it)
		if len(it) > limit {
			return nil, fmt.Errorf("%w: %s: an entry is %d bytes; the limit is %d", ErrInvalid, field, len(it), limit)
		}
		if n := normalize(it); n != "" && !seen[n] {
			seen[n] = true
			out = append(out, it)
		}
	}
	return out, nil
}

// normalize is the form in which two questions are the same.
func normalize(s string) string {
	return strings.ToLower(strings.Join(strings.FieldsFunc(s, func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	}), " "))
}

func newID() string {
	b := make([]byte, 8)
	rand.Read(b)
	return "ca-" + hex.EncodeToString(b)
}

const columns = `id, question, answer, alternates, lang, tags, author, created_at, updated_at`

func scan(row interface{ Scan(...any) error }) (Answer, error) {
	var a Answer
	var alts, tags string
	var created, updated int64
	if err := row.Scan(&a.ID, &a.Question, &a.Answer, &alts, &a.Lang, &tags, &a.Author, &created, &updated); err != nil {
		return Answer{}, err
	}
	json.Unmarshal([]byte(alts), &a.Alternates)
	json.Unmarshal([]byte(tags), &a.Tags)
	a.CreatedAt, a.UpdatedAt = time.Unix(created, 0).UTC(), time.Unix(updated, 0).UTC()
	return a, nil
}
