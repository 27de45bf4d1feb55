package staff

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/shopdesk/shopdesk/sqlite"
)

func openStore(t *testing.T) (*Store, *time.Time) {
	t.Helper()
	db, err := sqlite.Open(filepath.Join(t.TempDir(), "shopdesk.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	now := time.Now()
	s, err := Open(context.Background(), Options{DB: db, Now: func() time.Time { return now }, PerAccount: 3, PerSource: 5})
	if err != nil {
		t.Fatal(err)
	}
	return s, &now
}

const pw = "correct horse battery"

func TestAccountsAndLogin(t *testing.T) {
	s, now := openStore(t)
	ctx := context.Background()
	if _, err := s.Add(ctx, "shop", "mei", pw, RoleAgent); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Add(ctx, "shop", "mei", pw, RoleAdmin); !errors.Is(err, ErrExists) {
		t.Fatalf("a duplicate account: %v", err)
	}
	for _, bad := range []struct{ name, pw, role string }{
		{"mei two", pw, RoleAgent}, {"", pw, RoleAgent}, {"tom", "short", RoleAgent}, {"tom", pw, "root"},
	} {
		if _, err := s.Add(ctx, "shop", bad.name, bad.pw, bad.role); err == nil {
			t.Errorf("accepted %+v", bad)
		}
	}
	token, sess, err := s.Login(ctx, "shop", " mei ", pw, "10.0.0.1")
	if err != nil || sess.User.Role != RoleAgent || sess.CSRF == "" || token == "" {
		t.Fatalf("login: %+v %v", sess, err)
	}
	got, err := s.Session(ctx, token)
	if err != nil || got.User.Name != "mei" || !got.CheckCSRF(sess.CSRF) || got.CheckCSRF("") || got.CheckCSRF(sess.CSRF+"x") {
		t.Fatalf("session: %+v %v", got, err)
	}
	// The database keeps no token that opens a session.
	var stored string
	s.opts.DB.QueryRow(`SELECT token_hash FROM staff_sessions`).Scan(&stored)
	if _, err := s.Session(ctx, stored); !errors.Is(err, ErrNoSession) || strings.Contains(stored, token) {
		t.Fatal("the stored value opens the session")
	}
	// Another tenant's account of the same name is another account.
	if _, _, err := s.Login(ctx, "other", "mei", pw, "10.0.0.1"); !errors.Is(err, ErrBadLogin) {
		t.Fatalf("another tenant: %v", err)
	}
	// Idle sessions end; logout ends them.
	*now = now.Add(13 * time.Hour)
	if _, err := s.Session(ctx, token); !errors.Is(err, ErrNoSession) {
		t.Fatalf("an idle session: %v", err)
	}
	token, _, _ = s.Login(ctx, "shop", "mei", pw, "10.0.0.1")
	s.Logout(ctx, token)
	if _, err := s.Session(ctx, token); !errors.Is(err, ErrNoSession) {
		t.Fatal("a session after logout")
	}
	// A password change ends the account's sessions.
	token, _, _ = s.Login(ctx, "shop", "mei", pw, "10.0.0.1")
	if err := s.SetPassword(ctx, "shop", "mei", "another long password"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Session(ctx, token); !errors.Is(err, ErrNoSession) {
		t.Fatal("a session survived a password change")
	}
	if err := s.Remove(ctx, "shop", "nobody"); !errors.Is(err, ErrNoUser) {
		t.Fatalf("remove nobody: %v", err)
	}
}

func TestLoginLimits(t *testing.T) {
	s, now := openStore(t)
	ctx := context.Background()
	s.Add(ctx, "shop", "mei", pw, RoleAdmin)
	for i := range 3 {
		if _, _, err := s.Login(ctx, "shop", "mei", "wrong password "+string(rune('a'+i)), "10.0.0.1"); !errors.Is(err, ErrBadLogin) {
			t.Fatal(err)
		}
	}
	// Locked from that source: the right password is refused with the
	// same error, after the same time.
	start := time.Now()
	if _, _, err := s.Login(ctx, "shop", "mei", pw, "10.0.0.1"); !errors.Is(err, ErrBadLogin) {
		t.Fatalf("locked account: %v", err)
	}
	if time.Since(start) < minLoginTime {
		t.Error("a locked login returned early")
	}
	// A stranger's guesses elsewhere do not lock the owner out.
	if _, _, err := s.Login(ctx, "shop", "mei", pw, "10.9.9.9"); err != nil {
		t.Fatalf("the owner from another address: %v", err)
	}
	// Unknown accounts fail the same way.
	if _, _, err := s.Login(ctx, "shop", "nobody", pw, "10.0.0.2"); !errors.Is(err, ErrBadLogin) {
		t.Fatal(err)
	}
	// One source guessing at many accounts is stopped too.
	for _, name := range []string{"a", "b", "c", "d", "e"} {
		s.Login(ctx, "shop", name, "x", "10.0.0.3")
	}
	s.Add(ctx, "shop", "tom", pw, RoleAgent)
	if _, _, err := s.Login(ctx, "shop", "tom", pw, "10.0.0.3"); !errors.Is(err, ErrBadLogin) {
		t.Fatalf("a source past its limit: %v", err)
	}
	*now = now.Add(16 * time.Minute)
	if _, _, err := s.Login(ctx, "shop", "mei", pw, "10.0.0.1"); err != nil {
		t.Fatalf("after the window: %v", err)
	}
	if n, err := s.Prune(ctx); err != nil || n == 0 {
		t.Fatalf("prune: %d %v", n, err)
	}
}

func TestPasswordHash(t *testing.T) {
	h, err := hashPassword(pw)
	if err != nil || !strings.HasPrefix(h, "$argon2id$v=19$m=19456,t=2,p=1$") {
		t.Fatalf("%s %v", h, err)
	}
	if ok, _ := checkPassword(h, pw); !ok {
		t.Fatal("the password does not match its hash")
	}
	if ok, _ := checkPassword(h, pw+" "); ok {
		t.Fatal("another password matched")
	}
	for _, bad := range []string{"", "$bcrypt$x", "$argon2id$v=19$m=99999999,t=2,p=1$AAAA$AAAA", "$argon2id$v=19$m=1,t=1,p=1$!!$AAAA"} {
		if _, err := checkPassword(bad, pw); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}

// Guessing spread over many addresses is bounded too, IPv6 addresses of
// one /64 count as one, and a burst of parallel guesses is held to the
// limit as a sequence is.
func TestLoginLimitsSpread(t *testing.T) {
	s, _ := openStore(t)
	ctx := context.Background()
	s.Add(ctx, "shop", "mei", pw, RoleAdmin)
	s.Add(ctx, "shop", "tom", pw, RoleAgent)
	for i := range 3*accountSources + 1 {
		s.Login(ctx, "shop", "mei", "guess", fmt.Sprintf("10.1.%d.%d", i/250, i%250))
	}
	if _, _, err := s.Login(ctx, "shop", "mei", pw, "10.200.0.1"); !errors.Is(err, ErrBadLogin) {
		t.Fatalf("an account guessed at from %d addresses: %v", 3*accountSources+1, err)
	}
	for i := range 4 {
		s.Login(ctx, "shop", "tom", "guess", fmt.Sprintf("2001:db8:1:2::%x", i+1))
	}
	if _, _, err := s.Login(ctx, "shop", "tom", pw, "2001:db8:1:2:ffff::9"); !errors.Is(err, ErrBadLogin) {
		t.Fatalf("rotating addresses within one /64: %v", err)
	}
	if _, _, err := s.Login(ctx, "shop", "tom", pw, "2001:db8:1:3::1"); err != nil {
		t.Fatalf("another /64: %v", err)
	}

	s.Add(ctx, "shop", "ada", pw, RoleAgent)
	var checks atomic.Int32
	passwordCheck = func(ctx context.Context, encoded, password string) (bool, error) {
		checks.Add(1)
		return checkPasswordLimited(ctx, encoded, password)
	}
	t.Cleanup(func() { passwordCheck = checkPasswordLimited })
	var wg sync.WaitGroup
	for range 24 {
		wg.Go(func() { s.Login(ctx, "shop", "ada", "guess", "10.7.7.7") })
	}
	wg.Wait()
	if n := checks.Load(); n > 3 {
		t.Fatalf("a burst of 24 parallel guesses had %d passwords checked, want at most the limit of 3", n)
	}
	if _, _, err := s.Login(ctx, "shop", "ada", pw, "10.7.7.7"); !errors.Is(err, ErrBadLogin) {
		t.Fatalf("after the burst: %v", err)
	}
}

// Peek finds a live session without extending it: a session only peeked
// at idles out as if unused.
func TestPeekDoesNotExtend(t *testing.T) {
	s, now := openStore(t)
	ctx := context.Background()
	if _, err := s.Add(ctx, "shop", "mei", pw, RoleAgent); err != nil {
		t.Fatal(err)
	}
	peeked, _, _ := s.Login(ctx, "shop", "mei", pw, "10.0.0.1")
	used, _, _ := s.Login(ctx, "shop", "mei", pw, "10.0.0.1")
	*now = now.Add(11 * time.Hour)
	if sess, err := s.Peek(ctx, peeked); err != nil || sess.User.Name != "mei" {
		t.Fatalf("peek: %+v %v", sess, err)
	}
	if _, err := s.Session(ctx, used); err != nil {
		t.Fatal(err)
	}
	*now = now.Add(2 * time.Hour)
	if _, err := s.Peek(ctx, peeked); !errors.Is(err, ErrNoSession) {
		t.Fatalf("a session only peeked at is still live: %v", err)
	}
	if _, err := s.Session(ctx, used); err != nil {
		t.Fatalf("a used session idled out: %v", err)
	}
}
