package handoff

import (
	"context"
	"crypto/hmac"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

func testEvent() Event {
	at := time.Date(2026, 5, 1, 10, 0, 0, 0, time.UTC)
	return Event{
		ID: "ev-1", Tenant: "acme", ConversationID: "c-42", Reason: ReasonHighRisk, Topic: TopicSafety,
		Summary: "Power bank caught fire while charging; shopper unhurt, wants a refund.", Language: "en",
		Transcript: []Turn{
			{Role: "user", Content: "The power bank caught fire!", At: at},
			{Role: "assistant", Content: "I'm very sorry…", At: at.Add(time.Second)},
		},
		At: at.Add(2 * time.Second),
	}
}

// recorder is a webhook receiver answering with statuses in turn (the
// last one repeats) and recording each request.
type recorder struct {
	mu       sync.Mutex
	statuses []int
	header   http.Header // extra response headers
	requests []*http.Request
	bodies   [][]byte
	times    []time.Time
}

func (rc *recorder) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	rc.mu.Lock()
	n := len(rc.requests)
	rc.requests = append(rc.requests, r)
	rc.bodies = append(rc.bodies, body)
	rc.times = append(rc.times, time.Now())
	status := rc.statuses[min(n, len(rc.statuses)-1)]
	rc.mu.Unlock()
	for k, v := range rc.header {
		w.Header()[k] = v
	}
	w.WriteHeader(status)
}

func (rc *recorder) count() int {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	return len(rc.requests)
}

func newTestNotifier(t *testing.T, url string, o NotifierOptions) *Notifier {
	t.Helper()
	o.URL = url
	if o.Backoff == 0 {
		o.Backoff = time.Millisecond
	}
	n, err := NewNotifier(o)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func TestSendSuccess(t *testing.T) {
	rc := &recorder{statuses: []int{http.StatusNoContent}}
	srv := httptest.NewServer(rc)
	defer srv.Close()
	n := newTestNotifier(t, srv.URL+"/hooks/handoff?token=x", NotifierOptions{Secret: "s3cret"})

	e := testEvent()
	if err := n.Send(context.Background(), e); err != nil {
		t.Fatal(err)
	}
	if rc.count() != 1 {
		t.Fatalf("%d requests, want 1", rc.count())
	}
	r, body := rc.requests[0], rc.bodies[0]
	for header, want := range map[string]string{
		"Content-Type":  "application/json",
		HeaderEvent:     "handoff",
		HeaderIdempo:    "ev-1",
		HeaderSignature: Sign([]byte("s3cret"), body),
	} {
		if got := r.Header.Get(header); got != want {
			t.Errorf("header %s = %q, want %q", header, got, want)
		}
	}
	if r.Method != http.MethodPost || r.URL.Path != "/hooks/handoff" || r.URL.Query().Get("token") != "x" {
		t.Errorf("request %s %s", r.Method, r.URL)
	}
	var got Event
	if err := json.Unmarshal(body, &got); err != nil {
		t.Fatal(err)
	}
	if got.Tenant != e.Tenant || got.ConversationID != e.ConversationID || got.Reason != e.Reason ||
		got.Topic != e.Topic || got.Summary != e.Summary || len(got.Transcript) != 2 || !got.At.Equal(e.At) {
		t.Errorf("received %+v, want %+v", got, e)
	}
	var raw map[string]any
	json.Unmarshal(body, &raw)
	for _, key := range []string{"id", "tenant", "conversation_id", "reason", "summary", "transcript", "at"} {
		if _, ok := raw[key]; !ok {
			t.Errorf("body has no %q field", key)
		}
	}
}

func TestSignatureVerifies(t *testing.T) {
	const secret = "whsec_test"
	verified := make(chan bool, 1)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		// What a receiver does: recompute over the raw body, compare in constant time.
		want := Sign([]byte(secret), body)
		verified <- hmac.Equal([]byte(r.Header.Get(HeaderSignature)), []byte(want)) &&
			len(want) == len("sha256=")+64
	}))
	defer srv.Close()
	if err := newTestNotifier(t, srv.URL, NotifierOptions{Secret: secret}).Send(context.Background(), testEvent()); err != nil {
		t.Fatal(err)
	}
	if !<-verified {
		t.Error("signature does not verify")
	}
	// A different secret must not verify.
	if Sign([]byte("other"), []byte("{}")) == Sign([]byte(secret), []byte("{}")) {
		t.Error("signature does not depend on the secret")
	}
}

func TestSendNoSecretNoSignature(t *testing.T) {
	rc := &recorder{statuses: []int{http.StatusOK}}
	srv := httptest.NewServer(rc)
	defer srv.Close()
	if err := newTestNotifier(t, srv.URL, NotifierOptions{}).Send(context.Background(), testEvent()); err != nil {
		t.Fatal(err)
	}
	if got := rc.requests[0].Header.Get(HeaderSignature); got != "" {
		t.Errorf("signature %q without a secret", got)
	}
}

func TestSendRetries(t *testing.T) {
	for _, tc := range []struct {
		name      string
		statuses  []int
		attempts  int
		wantCalls int
		wantErr   bool
		wantCode  int // StatusError in the chain, if wantErr
	}{
		{"retry then success", []int{500, 502, 200}, 5, 3, false, 0},
		{"429 is retried", []int{429, 201}, 5, 2, false, 0},
		{"4xx is not retried", []int{400}, 5, 1, true, 400},
		{"404 is not retried", []int{404}, 5, 1, true, 404},
		{"redirect is not followed", []int{302}, 5, 1, true, 302},
		{"gives up after the attempts", []int{503}, 3, 3, true, 503},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rc := &recorder{statuses: tc.statuses}
			srv := httptest.NewServer(rc)
			defer srv.Close()
			n := newTestNotifier(t, srv.URL, NotifierOptions{Attempts: tc.attempts})
			err := n.Send(context.Background(), testEvent())
			if (err != nil) != tc.wantErr {
				t.Fatalf("err = %v, want error %v", err, tc.wantErr)
			}
			if rc.count() != tc.wantCalls {
				t.Errorf("%d requests, want %d", rc.count(), tc.wantCalls)
			}
			if tc.wantErr {
				var se *StatusError
				if !errors.As(err, &se) || se.StatusCode != tc.wantCode {
					t.Errorf("err = %v, want a StatusError %d in it", err, tc.wantCode)
				}
			}
			for i, r := range rc.requests {
				if r.Header.Get(HeaderIdempo) != "ev-1" {
					t.Errorf("attempt %d has Idempotency-Key %q", i+1, r.Header.Get(HeaderIdempo))
				}
			}
		})
	}
}

func TestSendNetworkErrorRetried(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	url := srv.URL
	srv.Close() // nothing listens there now
	n := newTestNotifier(t, url, NotifierOptions{Attempts: 3})
	err := n.Send(context.Background(), testEvent())
	if err == nil {
		t.Fatal("no error from a closed server")
	}
	var se *StatusError
	if errors.As(err, &se) {
		t.Errorf("err = %v, want a network error", err)
	}
}

func TestSendHonoursRetryAfter(t *testing.T) {
	rc := &recorder{statuses: []int{503, 200}, header: http.Header{"Retry-After": {"1"}}}
	srv := httptest.NewServer(rc)
	defer srv.Close()
	n := newTestNotifier(t, srv.URL, NotifierOptions{Backoff: time.Millisecond})
	if err := n.Send(context.Background(), testEvent()); err != nil {
		t.Fatal(err)
	}
	if rc.count() != 2 {
		t.Fatalf("%d requests, want 2", rc.count())
	}
	if gap := rc.times[1].Sub(rc.times[0]); gap < 900*time.Millisecond {
		t.Errorf("retried after %v, want about the 1s of Retry-After", gap)
	}
}

func TestRetryAfter(t *testing.T) {
	now := time.Date(2026, 5, 1, 10, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		v    string
		want time.Duration
	}{
		{"", 0}, {"0", 0}, {"3", 3 * time.Second}, {"-5", 0}, {"junk", 0},
		{"3600", MaxDelay}, {"99999999999999999", MaxDelay},
		{now.Add(10 * time.Second).Format(http.TimeFormat), 10 * time.Second},
		{now.Add(-time.Hour).Format(http.TimeFormat), 0},
	} {
		if got := retryAfter(tc.v, now); got != tc.want {
			t.Errorf("retryAfter(%q) = %v, want %v", tc.v, got, tc.want)
		}
	}
}

func TestSendStopsWhenContextEnds(t *testing.T) {
	t.Run("during a request", func(t *testing.T) {
		release := make(chan struct{})
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			select {
			case <-release:
			case <-r.Context().Done():
			}
		}))
		defer srv.Close()
		defer close(release)
		ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
		defer cancel()
		start := time.Now()
		err := newTestNotifier(t, srv.URL, NotifierOptions{Timeout: time.Minute}).Send(ctx, testEvent())
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("err = %v, want it to wrap context.DeadlineExceeded", err)
		}
		if took := time.Since(start); took > 5*time.Second {
			t.Errorf("Send took %v after its context ended", took)
		}
	})
	t.Run("between attempts", func(t *testing.T) {
		rc := &recorder{statuses: []int{503}}
		srv := httptest.NewServer(rc)
		defer srv.Close()
		ctx, cancel := context.WithCancel(context.Background())
		var once atomic.Bool
		n := newTestNotifier(t, srv.URL, NotifierOptions{Backoff: time.Hour, Attempts: 5})
		go func() {
			for rc.count() == 0 {
				time.Sleep(time.Millisecond)
			}
			once.Store(true)
			cancel()
		}()
		err := n.Send(ctx, testEvent())
		if !errors.Is(err, context.Canceled) || !once.Load() {
			t.Errorf("err = %v, want it to wrap context.Canceled", err)
		}
		if rc.count() != 1 {
			t.Errorf("%d requests, want 1", rc.count())
		}
	})
	t.Run("per-attempt timeout is retried", func(t *testing.T) {
		var calls atomic.Int32
		release := make(chan struct{})
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if calls.Add(1) == 1 {
				<-release // hang the first attempt past its timeout
			}
		}))
		defer srv.Close()
		defer close(release)
		n := newTestNotifier(t, srv.URL, NotifierOptions{Timeout: 50 * time.Millisecond})
		if err := n.Send(context.Background(), testEvent()); err != nil {
			t.Fatal(err)
		}
		if calls.Load() != 2 {
			t.Errorf("%d requests, want 2", calls.Load())
		}
	})
}

func TestNewNotifier(t *testing.T) {
	for _, tc := range []struct {
		name    string
		o       NotifierOptions
		wantErr bool
	}{
		{"https", NotifierOptions{URL: "https://helpdesk.example/hooks"}, false},
		{"http", NotifierOptions{URL: "http://127.0.0.1:9000/h"}, false},
		{"empty", NotifierOptions{}, true},
		{"ftp", NotifierOptions{URL: "ftp://example.com/h"}, true},
		{"relative", NotifierOptions{URL: "/hooks"}, true},
		{"no host", NotifierOptions{URL: "https:///hooks"}, true},
		{"bad", NotifierOptions{URL: "http://[::1"}, true},
		{"negative attempts", NotifierOptions{URL: "https://x.example", Attempts: -1}, true},
		{"negative timeout", NotifierOptions{URL: "https://x.example", Timeout: -time.Second}, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			n, err := NewNotifier(tc.o)
			if (err != nil) != tc.wantErr {
				t.Fatalf("err = %v, want error %v", err, tc.wantErr)
			}
			if err == nil && (n.attempts != DefaultAttempts || n.timeout != DefaultTimeout || n.backoff != DefaultBackoff) {
				t.Errorf("defaults not applied: %+v", n)
			}
		})
	}
}

func TestSendNeedsID(t *testing.T) {
	n := newTestNotifier(t, "http://127.0.0.1:1", NotifierOptions{})
	e := testEvent()
	e.ID = ""
	if err := n.Send(context.Background(), e); err == nil {
		t.Error("no error for an event without an ID")
	}
	if a, b := NewEventID(), NewEventID(); a == b || len(a) != 32 {
		t.Errorf("NewEventID gave %q and %q", a, b)
	}
}
