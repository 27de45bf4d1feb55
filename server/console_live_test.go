package server

import (
	"bufio"
	"context"
	"net/http"
	"net/url"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/shopdesk/shopdesk/sqlite"
	"github.com/shopdesk/shopdesk/staff"
)

// A transcript's live stream lasts as long as its session: logging out,
// or a password change, ends it with "signed_out", found by the periodic
// check or, sooner, by the next event, which is not sent.
func TestConsoleStreamEndsWithTheSession(t *testing.T) {
	for _, tc := range []struct {
		name    string
		recheck time.Duration
		end     func(f *consoleFixture, b *browser)
	}{
		{"logout, then a message", time.Hour, func(f *consoleFixture, b *browser) {
			if status, _ := b.post("/console/logout", nil); status != http.StatusSeeOther {
				t.Fatalf("logout: %d", status)
			}
			if _, err := f.convs.AddAgentMessage(context.Background(), "acme", "c1", "ada", "words for a signed-in page only"); err != nil {
				t.Fatal(err)
			}
		}},
		{"password change", 20 * time.Millisecond, func(f *consoleFixture, _ *browser) {
			if err := f.staff.SetPassword(context.Background(), "acme", "mei", "another long password"); err != nil {
				t.Fatal(err)
			}
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newConsoleFixture(t, func(o *Options) { o.SessionRecheck = tc.recheck })
			b := f.browser(t).login("acme", "mei")
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			resp := openTranscriptEvents(ctx, t, f, b)
			defer resp.Body.Close()
			lines := make(chan string, 64)
			go func() {
				defer close(lines)
				sc := bufio.NewScanner(resp.Body)
				for sc.Scan() {
					lines <- sc.Text()
				}
			}()
			wait := func(want string) {
				t.Helper()
				for line := range lines {
					if strings.Contains(line, "signed-in page only") {
						t.Fatalf("sent after the session ended: %q", line)
					}
					if line == want {
						return
					}
				}
				t.Fatalf("the stream ended without %q", want)
			}
			wait(": connected")
			// Still going after a while signed in (several checks at 20ms).
			time.Sleep(100 * time.Millisecond)
			select {
			case line, ok := <-lines:
				if !ok || strings.Contains(line, "signed_out") {
					t.Fatalf("the stream ended while signed in: %q", line)
				}
			default:
			}
			tc.end(f, b)
			wait("event: signed_out")
			wait("") // and then the stream closes
			for range lines {
			}
			if ctx.Err() != nil {
				t.Fatal("the stream did not close")
			}
		})
	}
}

// The inbox's own refreshes (X-Console-Background) do not keep a session
// from idling out; a person's requests do.
func TestConsoleBackgroundRefreshIdles(t *testing.T) {
	var mu sync.Mutex
	now := time.Now()
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	advance := func(d time.Duration) { mu.Lock(); now = now.Add(d); mu.Unlock() }
	people := openStaff(t, staff.Options{Now: clock, IdleTimeout: time.Hour}, "acme", "ada", "mei")
	f := newConsoleFixture(t, func(o *Options) { o.Staff = people })
	idle, busy := f.browser(t).login("acme", "mei"), f.browser(t).login("acme", "ada")
	inbox := "/console/inbox?view=" + url.QueryEscape("all")
	for i := 0; i < 4; i++ {
		advance(14 * time.Minute)
		if status, body, _ := idle.do("GET", inbox, nil, headerBackground, "1"); status != http.StatusOK || !strings.Contains(body, `id="inbox-list"`) {
			t.Fatalf("a background refresh at %d: %d", i, status)
		}
		if status, _, _ := busy.do("GET", inbox, nil); status != http.StatusOK {
			t.Fatalf("a person's request at %d: %d", i, status)
		}
	}
	// Over an hour of refreshes only: signed out; the busy one is not.
	advance(10 * time.Minute)
	if status, _, resp := idle.do("GET", inbox, nil, headerBackground, "1"); status != http.StatusSeeOther || !strings.HasPrefix(resp.Header.Get("Location"), "/console/login") {
		t.Fatalf("the idle tab after an hour of refreshes: %d", status)
	}
	if status, _, _ := busy.do("GET", inbox, nil); status != http.StatusOK {
		t.Fatalf("the busy tab: %d", status)
	}
}

// openStaff opens a staff store of its own with opts and an agent of
// each name at tenant t, all with consolePassword.
func openStaff(t *testing.T, opts staff.Options, tenant string, names ...string) *staff.Store {
	t.Helper()
	db, err := sqlite.Open(filepath.Join(t.TempDir(), "staff.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	opts.DB = db
	people, err := staff.Open(context.Background(), opts)
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range names {
		if _, err := people.Add(context.Background(), tenant, name, consolePassword, staff.RoleAgent); err != nil {
			t.Fatal(err)
		}
	}
	return people
}

// A stream open when its session reaches its expiry (here the idle
// timeout, which the stream itself does not extend) ends then, with no
// check due before it.
func TestConsoleStreamEndsAtExpiry(t *testing.T) {
	people := openStaff(t, staff.Options{IdleTimeout: 1500 * time.Millisecond}, "acme", "mei")
	f := newConsoleFixture(t, func(o *Options) { o.Staff, o.SessionRecheck = people, time.Hour })
	b := f.browser(t).login("acme", "mei")
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	resp := openTranscriptEvents(ctx, t, f, b)
	defer resp.Body.Close()
	sc := bufio.NewScanner(resp.Body)
	signedOut := false
	for sc.Scan() {
		if sc.Text() == "event: signed_out" {
			signedOut = true
		}
	}
	if ctx.Err() != nil || !signedOut {
		t.Fatalf("the stream did not end at the session's expiry (signed_out sent: %v)", signedOut)
	}
}

// openTranscriptEvents opens the live stream of conversation c1's
// transcript as b, until ctx ends.
func openTranscriptEvents(ctx context.Context, t *testing.T, f *consoleFixture, b *browser) *http.Response {
	t.Helper()
	req, _ := http.NewRequestWithContext(ctx, "GET", f.ts.URL+"/console/conversations/c1/events", nil)
	resp, err := b.client.Do(req)
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("events: %v %v", resp, err)
	}
	return resp
}
