package widget

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/shopdesk/shopdesk/sqlite"
)

// Errors of Sessions.
var (
	// ErrNoSession: the token names no live session of the tenant
	// (unknown, expired, malformed, or another tenant's).
	ErrNoSession = errors.New("unknown or expired widget session")
	// ErrTokenReplayed: the customer token was first used by another
	// session.
	ErrTokenReplayed = errors.New("the customer token was already used by another browser session")
)

// DefaultIdle is how long a session lasts without a request.
const DefaultIdle = 30 * 24 * time.Hour

// tokenPrefix starts session tokens, so logs and support can tell them
// from keys.
const tokenPrefix = "ws_"

var migrations = []string{
	`CREATE TABLE widget_sessions (
		hash            TEXT PRIMARY KEY,
		tenant          TEXT NOT NULL,
		conversation_id TEXT NOT NULL DEFAULT '',
		created_at      INTEGER NOT NULL,
		last_seen       INTEGER NOT NULL
	);
	CREATE INDEX widget_sessions_seen ON widget_sessions (last_seen);
	CREATE TABLE widget_customer_tokens (
		hash       TEXT PRIMARY KEY,
		tenant     TEXT NOT NULL,
		session    TEXT NOT NULL,
		expires_at INTEGER NOT NULL
	);
	CREATE INDEX widget_customer_tokens_expiry ON widget_customer_tokens (expires_at);`,
}

// Session is one browser's widget session. Only the hash of its token is
// stored; the token itself lives in the browser.
type Session struct {
	Tenant string
	// Hash is the hex SHA-256 of the token; it is what conversations are
	// bound to (assistant.Request.Session).
	Hash string
	// ConversationID is the session's current conversation, if any.
	ConversationID string
	CreatedAt      time.Time
	LastSeen       time.Time
}

// Sessions keeps widget sessions in SQLite. It is safe for concurrent use.
type Sessions struct {
	db   *sql.DB
	idle time.Duration
	now  func() time.Time
}

// SessionOptions configure Sessions. DB is required.
type SessionOptions struct {
	DB *sql.DB
	// Idle is how long a session lasts without a request (DefaultIdle).
	Idle time.Duration
	Now  func() time.Time
}

// OpenSessions prepares the session tables.
func OpenSessions(ctx context.Context, opts SessionOptions) (*Sessions, error) {
	if opts.DB == nil {
		return nil, errors.New("widget sessions: DB is required")
	}
	if err := sqlite.Migrate(ctx, opts.DB, "widget", migrations); err != nil {
		return nil, err
	}
	if opts.Idle <= 0 {
		opts.Idle = DefaultIdle
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	return &Sessions{db: opts.DB, idle: opts.Idle, now: opts.Now}, nil
}

// Idle is how long a session lasts without a request.
func (s *Sessions) Idle() time.Duration { return s.idle }

// HashToken is the hex SHA-256 of a token, the form tokens are stored in.
func HashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// Create starts a session for tenant and returns its token, which only
// the caller ever sees.
func (s *Sessions) Create(ctx context.Context, tenant string) (string, Session, error) {
	b := make([]byte, 32)
	rand.Read(b)
	token := tokenPrefix + base64.RawURLEncoding.EncodeToString(b)
	now := s.now()
	sess := Session{Tenant: tenant, Hash: HashToken(token), CreatedAt: now, LastSeen: now}
	if _, err := s.db.ExecContext(ctx, `INSERT INTO widget_sessions (hash, tenant, created_at, last_seen) VALUES (?, ?, ?, ?)`,
		sess.Hash, tenant, now.UnixMilli(), now.UnixMilli()); err != nil {
		return "", Session{}, fmt.Errorf("create widget session: %w", err)
	}
	return token, sess, nil
}

// touchEvery is how stale last_seen may get before a lookup rewrites it.
const touchEvery = time.Minute

// Lookup returns the tenant's live session for token, noting that it was
// seen, or ErrNoSession.
func (s *Sessions) Lookup(ctx context.Context, tenant, token string) (Session, error) {
	if !strings.HasPrefix(token, tokenPrefix) || len(token) != len(tokenPrefix)+43 {
		return Session{}, ErrNoSession
	}
	sess := Session{Hash: HashToken(token)}
	var created, seen int64
	err := s.db.QueryRowContext(ctx, `SELECT tenant, conversation_id, created_at, last_seen FROM widget_sessions WHERE hash = ?`, sess.Hash).
		Scan(&sess.Tenant, &sess.ConversationID, &created, &seen)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && sess.Tenant != tenant) {
		return Session{}, ErrNoSession
	}
	if err != nil {
		return Session{}, fmt.Errorf("widget session: %w", err)
	}
	now := s.now()
	sess.CreatedAt, sess.LastSeen = time.UnixMilli(created), time.UnixMilli(seen)
	if now.Sub(sess.LastSeen) > s.idle {
		return Session{}, ErrNoSession
	}
	if now.Sub(sess.LastSeen) > touchEvery {
		if _, err := s.db.ExecContext(ctx, `UPDATE widget_sessions SET last_seen = ? WHERE hash = ?`, now.UnixMilli(), sess.Hash); err != nil {
			return Session{}, fmt.Errorf("widget session: %w", err)
		}
		sess.LastSeen = now
	}
	return sess, nil
}

// SetConversation makes id (or none, for "") the session's current
// conversation.
func (s *Sessions) SetConversation(ctx context.Context, tenant, hash, id string) error {
	if _, err := s.db.ExecContext(ctx, `UPDATE widget_sessions SET conversation_id = ? WHERE hash = ? AND tenant = ?`, id, hash, tenant); err != nil {
		return fmt.Errorf("widget session: %w", err)
	}
	return nil
}

// BindCustomerToken ties a customer token to the session that first
// presents it, until the token can no longer be valid; another session
// presenting it gets ErrTokenReplayed. A token copied out of one browser
// (a cached page, a shared link) is thus useless in another.
func (s *Sessions) BindCustomerToken(ctx context.Context, tenant, hash, token string, until time.Time) error {
	th := HashToken(token)
	if _, err := s.db.ExecContext(ctx, `INSERT INTO widget_customer_tokens (hash, tenant, session, expires_at) VALUES (?, ?, ?, ?)
		ON CONFLICT (hash) DO NOTHING`, th, tenant, hash, until.UnixMilli()); err != nil {
		return fmt.Errorf("widget customer token: %w", err)
	}
	var owner string
	if err := s.db.QueryRowContext(ctx, `SELECT session FROM widget_customer_tokens WHERE hash = ?`, th).Scan(&owner); err != nil {
		return fmt.Errorf("widget customer token: %w", err)
	}
	if owner != hash {
		return ErrTokenReplayed
	}
	return nil
}

// Prune deletes sessions idle for longer than the idle timeout and token
// bindings past their tokens' expiry, and says how many rows went.
func (s *Sessions) Prune(ctx context.Context) (int64, error) {
	now := s.now()
	a, err := s.db.ExecContext(ctx, `DELETE FROM widget_sessions WHERE last_seen < ?`, now.Add(-s.idle).UnixMilli())
	if err != nil {
		return 0, fmt.Errorf("prune widget sessions: %w", err)
	}
	b, err := s.db.ExecContext(ctx, `DELETE FROM widget_customer_tokens WHERE expires_at < ?`, now.UnixMilli())
	if err != nil {
		return 0, fmt.Errorf("prune widget customer tokens: %w", err)
	}
	n, _ := a.RowsAffected()
	m, _ := b.RowsAffected()
	return n + m, nil
}
