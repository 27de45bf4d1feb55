// Package staff keeps the merchant's support staff: accounts per tenant
// with a role (admin or agent), passwords hashed with argon2id, console
// sessions with their CSRF tokens, and a limit on failed logins.
//
// Session tokens and CSRF tokens are random 256-bit values; the database
// keeps only the session token's SHA-256, so a copy of it opens no
// session (the CSRF token, kept as it is, is of no use without one). A failed
// login says nothing about whether the account exists, and takes as long
// either way.
package staff

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"database/sql"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/shopdesk/shopdesk/sqlite"
	"github.com/shopdesk/shopdesk/tenant"
)

// The roles of staff.
const (
	// RoleAdmin manages everything: knowledge, learning, models, users,
	// and the inbox.
	RoleAdmin = "admin"
	// RoleAgent works the inbox: reads, takes over, replies, resolves.
	RoleAgent = "agent"
)

// Errors callers map to responses.
var (
	// ErrBadLogin: the name or password is wrong, or the account is
	// locked for now; it never says which.
	ErrBadLogin = errors.New("wrong name or password")
	// ErrNoSession: the session token is unknown, expired or ended.
	ErrNoSession = errors.New("not signed in")
	// ErrExists: an account of that name exists in the tenant.
	ErrExists = errors.New("an account of that name exists")
	// ErrNoUser: no such account.
	ErrNoUser = errors.New("no such account")
)

// User is a staff account.
type User struct {
	Tenant    string    `json:"tenant"`
	Name      string    `json:"name"`
	Role      string    `json:"role"`
	CreatedAt time.Time `json:"created_at"`
}

// Session is a signed-in staff member.
type Session struct {
	User User
	// CSRF is the token every state-changing request of the session must
	// carry.
	CSRF      string
	ExpiresAt time.Time
}

// Options configure a Store.
type Options struct {
	DB *sql.DB
	// IdleTimeout ends a session unused this long (default 12 hours);
	// MaxAge ends any session (default 7 days).
	IdleTimeout, MaxAge time.Duration
	// PerAccount and PerSource bound failed logins within Window
	// (defaults 5, 20 and 15 minutes).
	PerAccount, PerSource int
	Window                time.Duration
	Now                   func() time.Time
}

// Store keeps accounts and sessions.
type Store struct{ opts Options }

var migrations = []string{
	`CREATE TABLE staff_users (
		tenant     TEXT NOT NULL,
		name       TEXT NOT NULL,
		password   TEXT NOT NULL,
		role       TEXT NOT NULL,
		created_at INTEGER NOT NULL,
		PRIMARY KEY (tenant, name)
	);
	CREATE TABLE staff_sessions (
		token_hash TEXT PRIMARY KEY,
		tenant     TEXT NOT NULL,
		name       TEXT NOT NULL,
		csrf       TEXT NOT NULL,
		created_at INTEGER NOT NULL,
		last_seen  INTEGER NOT NULL,
		FOREIGN KEY (tenant, name) REFERENCES staff_users (tenant, name) ON DELETE CASCADE
	);
	CREATE TABLE staff_login_failures (key TEXT NOT NULL, at INTEGER NOT NULL);
	CREATE INDEX staff_login_failures_key ON staff_login_failures (key, at);`,
}

// Open prepares the staff tables.
func Open(ctx context.Context, opts Options) (*Store, error) {
	if opts.DB == nil {
		return nil, errors.New("staff: DB is required")
	}
	if err := sqlite.Migrate(ctx, opts.DB, "staff", migrations); err != nil {
		return nil, err
	}
	def := func(d *time.Duration, v time.Duration) {
		if *d <= 0 {
			*d = v
		}
	}
	def(&opts.IdleTimeout, 12*time.Hour)
	def(&opts.MaxAge, 7*24*time.Hour)
	def(&opts.Window, 15*time.Minute)
	if opts.PerAccount <= 0 {
		opts.PerAccount = 5
	}
	if opts.PerSource <= 0 {
		opts.PerSource = 20
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	return &Store{opts: opts}, nil
}

var validName = regexp.MustCompile(`^[\p{L}\p{N}][\p{L}\p{N}._@-]{0,63}$`)

// CheckName reports whether name can name an account.
func CheckName(name string) error {
	if !validName.MatchString(name) {
		return fmt.Errorf("name %q: use 1-64 letters, digits, '.', '_', '@' or '-', starting with a letter or digit", name)
	}
	return nil
}

// CheckPassword reports whether password is acceptable.
func CheckPassword(password string) error {
	if utf8.RuneCountInString(password) < MinPasswordLen || len(password) > 1024 || !utf8.ValidString(password) {
		return fmt.Errorf("the password must be %d to 1024 characters", MinPasswordLen)
	}
	return nil
}

func checkRole(role string) error {
	if role != RoleAdmin && role != RoleAgent {
		return fmt.Errorf("role %q: want admin or agent", role)
	}
	return nil
}

// Add creates an account.
func (s *Store) Add(ctx context.Context, t, name, password, role string) (User, error) {
	if err := tenant.Validate(t); err != nil {
		return User{}, err
	}
	if err := CheckName(name); err != nil {
		return User{}, err
	}
	if err := checkRole(role); err != nil {
		return User{}, err
	}
	if err := CheckPassword(password); err != nil {
		return User{}, err
	}
	hash, err := hashPassword(password)
	if err != nil {
		return User{}, err
	}
	u := User{Tenant: t, Name: name, Role: role, CreatedAt: s.opts.Now().UTC().Truncate(time.Millisecond)}
	res, err := s.opts.DB.ExecContext(ctx, `INSERT INTO staff_users (tenant, name, password, role, created_at) VALUES (?, ?, ?, ?, ?)
		ON CONFLICT (tenant, name) DO NOTHING`, t, name, hash, role, u.CreatedAt.UnixMilli())
	if err != nil {
		return User{}, fmt.Errorf("add staff account: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return User{}, ErrExists
	}
	return u, nil
}

// SetPassword replaces an account's password and ends its sessions.
func (s *Store) SetPassword(ctx context.Context, t, name, password string) error {
	if err := CheckPassword(password); err != nil {
		return err
	}
	hash, err := hashPassword(password)
	if err != nil {
		return err
	}
	return s.change(ctx, t, name, `UPDATE staff_users SET password = ? WHERE tenant = ? AND name = ?`, hash)
}

// SetRole changes an account's role and ends its sessions.
func (s *Store) SetRole(ctx context.Context, t, name, role string) error {
	if err := checkRole(role); err != nil {
		return err
	}
	return s.change(ctx, t, name, `UPDATE staff_users SET role = ? WHERE tenant = ? AND name = ?`, role)
}

// Remove deletes an account and its sessions.
func (s *Store) Remove(ctx context.Context, t, name string) error {
	return s.change(ctx, t, name, `DELETE FROM staff_users WHERE tenant = ? AND name = ?`)
}

func (s *Store) change(ctx context.Context, t, name, q string, args ...any) error {
	tx, err := s.opts.DB.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	res, err := tx.ExecContext(ctx, q, append(args, t, name)...)
	if err != nil {
		return fmt.Errorf("staff account %s: %w", name, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return ErrNoUser
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM staff_sessions WHERE tenant = ? AND name = ?`, t, name); err != nil {
		return err
	}
	return tx.Commit()
}

// Users lists the tenant's accounts by name.
func (s *Store) Users(ctx context.Context, t string) ([]User, error) {
	rows, err := s.opts.DB.QueryContext(ctx, `SELECT name, role, created_at FROM staff_users WHERE tenant = ? ORDER BY name`, t)
	if err != nil {
		return nil, fmt.Errorf("staff accounts: %w", err)
	}
	defer rows.Close()
	var out []User
	for rows.Next() {
		u := User{Tenant: t}
		var at int64
		if err := rows.Scan(&u.Name, &u.Role, &at); err != nil {
			return nil, err
		}
		u.CreatedAt = time.UnixMilli(at).UTC()
		out = append(out, u)
	}
	return out, rows.Err()
}

func randomToken() string {
	b := make([]byte, 32)
	rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

func tokenHash(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// equal compares two strings in constant time.
func equal(a, b string) bool {
	return subtle.ConstantTimeCompare([]byte(a), []byte(b)) == 1 && a != ""
}

// trimmed is a name as typed, without surrounding space.
func trimmed(s string) string { return strings.TrimSpace(s) }
