package staff

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/shopdesk/shopdesk/tenant"
)

// minLoginTime is the least time a login takes, right or wrong.
const minLoginTime = 250 * time.Millisecond

// Login checks a name and password and, when they match and neither the
// account nor the source (the client's address) has failed too often,
// starts a session. It returns the session token (for the cookie) and the
// session. Every failure is ErrBadLogin after the same time.
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
		checkPassword(dummyHash(), password)
		return "", Session{}, ErrBadLogin
	}
	keys := []string{"account:" + t + "/" + name, "source:" + source}
	limits := []int{s.opts.PerAccount, s.opts.PerSource}
	locked, err := s.locked(ctx, keys, limits)
	if err != nil {
		return "", Session{}, err
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
	ok, err := checkPassword(hash, password)
	if err != nil && found {
		return "", Session{}, fmt.Errorf("login: stored hash: %w", err)
	}
	if !ok || !found || locked {
		if !locked {
			for _, k := range keys {
				s.opts.DB.ExecContext(ctx, `INSERT INTO staff_login_failures (key, at) VALUES (?, ?)`, k, s.opts.Now().UnixMilli())
			}
		}
		return "", Session{}, ErrBadLogin
	}
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

func (s *Store) locked(ctx context.Context, keys []string, limits []int) (bool, error) {
	since := s.opts.Now().Add(-s.opts.Window).UnixMilli()
	for i, k := range keys {
		var n int
		if err := s.opts.DB.QueryRowContext(ctx, `SELECT COUNT(*) FROM staff_login_failures WHERE key = ? AND at > ?`, k, since).Scan(&n); err != nil {
			return false, fmt.Errorf("login: %w", err)
		}
		if n >= limits[i] {
			return true, nil
		}
	}
	return false, nil
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
	if now.Sub(time.UnixMilli(seen)) > time.Minute {
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
