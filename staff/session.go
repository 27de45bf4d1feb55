package staff

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/shopdesk/shopdesk/clientaddr"
	"github.com/shopdesk/shopdesk/tenant"
)

// minLoginTime is the least time a login takes, right or wrong.
const minLoginTime = 250 * time.Millisecond

// Login checks a name and password and, when they match and neither the
// account from that source, nor the source, nor the account from
// everywhere has failed too often, starts a session. It returns the
// session token (for the cookie) and the session. Every failure is
// ErrBadLogin after the same time.
//
// Each attempt is recorded before the password is checked and counted
// with the others, so a burst of parallel guesses is held to the limits
// as a sequence of guesses is. The hard limit of an account is per
// source (PerAccount): a stranger elsewhere cannot lock its owner out;
// from everywhere together an account takes PerAccount × accountSources
// failures in a window, which bounds guessing spread over many
// addresses. IPv6 sources count by /64, what one subscriber is given.
func (s *Store) Login(ctx context.Context, t, name, password, source string) (string, Session, error) {
	start := time.Now()
	defer func() {
		if wait := minLoginTime - time.Since(start); wait > 0 {
			select {
			case <-time.After(wait):
			case <-ctx.Done():
			}
		}
	}()
	name = trimmed(name)
	if tenant.Validate(t) != nil || CheckName(name) != nil || len(password) > 1024 {
		return "", Session{}, ErrBadLogin
	}
	source = clientaddr.Key(source)
	account := "account:" + t + "/" + name
	keys := []string{account + "@" + source, "source:" + source, account}
	limits := []int{s.opts.PerAccount, s.opts.PerSource, s.opts.PerAccount * accountSources}
	attempts, locked, err := s.attempt(ctx, keys, limits)
	if err != nil {
		return "", Session{}, err
	}
	if locked {
		return "", Session{}, ErrBadLogin
	}
	var hash, role string
	var created int64
	err = s.opts.DB.QueryRowContext(ctx, `SELECT password, role, created_at FROM staff_users WHERE tenant = ? AND name = ?`, t, name).Scan(&hash, &role, &created)
	found := err == nil
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return "", Session{}, fmt.Errorf("login: %w", err)
	}
	if !found {
		hash = dummyHash()
	}
	ok, err := passwordCheck(ctx, hash, password)
	if err != nil && found && !errors.Is(err, errBusy) && ctx.Err() == nil {
		return "", Session{}, fmt.Errorf("login: stored hash: %w", err)
	}
	if !ok || !found {
		return "", Session{}, ErrBadLogin
	}
	// Signed in: this attempt was no failure, and the account's failures
	// from this source are forgiven.
	s.forget(ctx, attempts)
	s.opts.DB.ExecContext(ctx, `DELETE FROM staff_login_failures WHERE key = ?`, keys[0])
	u := User{Tenant: t, Name: name, Role: role, CreatedAt: time.UnixMilli(created).UTC()}
	token, sess := randomToken(), Session{User: u, CSRF: randomToken()}
	now := s.opts.Now()
	if _, err := s.opts.DB.ExecContext(ctx, `INSERT INTO staff_sessions (token_hash, tenant, name, csrf, created_at, last_seen) VALUES (?, ?, ?, ?, ?, ?)`,
		tokenHash(token), t, name, sess.CSRF, now.UnixMilli(), now.UnixMilli()); err != nil {
		return "", Session{}, fmt.Errorf("login: %w", err)
	}
	sess.ExpiresAt = s.expiry(now, now)
	return token, sess, nil
}

// accountSources is how many sources' worth of failures an account takes
// from everywhere together before it is locked for everyone.
const accountSources = 20

// attempt records a login attempt under each key and reports whether any
// key, this attempt included, is over its limit. It returns the rows it
// wrote, for forget.
func (s *Store) attempt(ctx context.Context, keys []string, limits []int) ([]int64, bool, error) {
	now := s.opts.Now().UnixMilli()
	since := s.opts.Now().Add(-s.opts.Window).UnixMilli()
	var rows []int64
	locked := false
	for i, k := range keys {
		res, err := s.opts.DB.ExecContext(ctx, `INSERT INTO staff_login_failures (key, at) VALUES (?, ?)`, k, now)
		if err != nil {
			return rows, false, fmt.Errorf("login: %w", err)
		}
		if id, err := res.LastInsertId(); err == nil {
			rows = append(rows, id)
		}
		var n int
		if err := s.opts.DB.QueryRowContext(ctx, `SELECT COUNT(*) FROM staff_login_failures WHERE key = ? AND at > ?`, k, since).Scan(&n); err != nil {
			return rows, false, fmt.Errorf("login: %w", err)
		}
		if n > limits[i] {
			locked = true
		}
	}
	return rows, locked, nil
}

// forget removes the rows attempt wrote.
func (s *Store) forget(ctx context.Context, rows []int64) {
	for _, id := range rows {
		s.opts.DB.ExecContext(ctx, `DELETE FROM staff_login_failures WHERE rowid = ?`, id)
	}
}

func (s *Store) expiry(created, lastSeen time.Time) time.Time {
	end, idle := created.Add(s.opts.MaxAge), lastSeen.Add(s.opts.IdleTimeout)
	if idle.Before(end) {
		return idle
	}
	return end
}

// Session returns the session of a token and marks it used; ErrNoSession
// when it is unknown, expired or ended, or its account is gone.
func (s *Store) Session(ctx context.Context, token string) (Session, error) {
	return s.session(ctx, token, true)
}

// Peek is Session without marking the session used, for what a page does
// on its own (a list refreshing itself, a live stream checking it may go
// on), so that an open tab still idles out.
func (s *Store) Peek(ctx context.Context, token string) (Session, error) {
	return s.session(ctx, token, false)
}

func (s *Store) session(ctx context.Context, token string, touch bool) (Session, error) {
	if token == "" || len(token) > 128 {
		return Session{}, ErrNoSession
	}
	var sess Session
	var created, seen, userCreated int64
	err := s.opts.DB.QueryRowContext(ctx, `SELECT s.tenant, s.name, u.role, u.created_at, s.csrf, s.created_at, s.last_seen
		FROM staff_sessions s JOIN staff_users u ON u.tenant = s.tenant AND u.name = s.name WHERE s.token_hash = ?`, tokenHash(token)).Scan(
		&sess.User.Tenant, &sess.User.Name, &sess.User.Role, &userCreated, &sess.CSRF, &created, &seen)
	if errors.Is(err, sql.ErrNoRows) {
		return Session{}, ErrNoSession
	}
	if err != nil {
		return Session{}, fmt.Errorf("session: %w", err)
	}
	now := s.opts.Now()
	if !now.Before(s.expiry(time.UnixMilli(created), time.UnixMilli(seen))) {
		s.Logout(ctx, token)
		return Session{}, ErrNoSession
	}
	sess.User.CreatedAt = time.UnixMilli(userCreated).UTC()
	if touch && now.Sub(time.UnixMilli(seen)) > time.Minute {
		s.opts.DB.ExecContext(ctx, `UPDATE staff_sessions SET last_seen = ? WHERE token_hash = ?`, now.UnixMilli(), tokenHash(token))
		seen = now.UnixMilli()
	}
	sess.ExpiresAt = s.expiry(time.UnixMilli(created), time.UnixMilli(seen))
	return sess, nil
}

// CheckCSRF reports whether token is the session's CSRF token.
func (sess Session) CheckCSRF(token string) bool { return equal(sess.CSRF, token) }

// Logout ends the session of a token.
func (s *Store) Logout(ctx context.Context, token string) error {
	_, err := s.opts.DB.ExecContext(ctx, `DELETE FROM staff_sessions WHERE token_hash = ?`, tokenHash(token))
	return err
}

// Prune removes expired sessions and old login failures, and says how
// many rows it removed.
func (s *Store) Prune(ctx context.Context) (int64, error) {
	now := s.opts.Now()
	var total int64
	for _, q := range []struct {
		sql string
		arg int64
	}{
		{`DELETE FROM staff_sessions WHERE created_at < ? OR last_seen < ?`, 0},
		{`DELETE FROM staff_login_failures WHERE at <= ?`, now.Add(-s.opts.Window).UnixMilli()},
	} {
		var res sql.Result
		var err error
		if q.arg == 0 {
			res, err = s.opts.DB.ExecContext(ctx, q.sql, now.Add(-s.opts.MaxAge).UnixMilli(), now.Add(-s.opts.IdleTimeout).UnixMilli())
		} else {
			res, err = s.opts.DB.ExecContext(ctx, q.sql, q.arg)
		}
		if err != nil {
			return total, fmt.Errorf("prune staff sessions: %w", err)
		}
		n, _ := res.RowsAffected()
		total += n
	}
	return total, nil
}
