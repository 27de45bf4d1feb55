package handoff

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"time"
)

// Turn is one message of the transcript sent with a hand-off.
type Turn struct {
	Role    string    `json:"role"` // "user" (the shopper) or "assistant"
	Content string    `json:"content"`
	At      time.Time `json:"at"`
}

// Event is the JSON body of a hand-off webhook.
type Event struct {
	// ID is unique per hand-off, for the receiver to drop duplicates; it
	// is also sent as the Idempotency-Key header. The caller sets it, for
	// example with NewEventID.
	ID             string `json:"id"`
	Tenant         string `json:"tenant"`
	ConversationID string `json:"conversation_id"`
	Reason         string `json:"reason"`
	Topic          string `json:"topic,omitempty"`
	// Summary is the caller's short account of the conversation.
	Summary    string    `json:"summary"`
	CustomerID string    `json:"customer_id,omitempty"`
	Language   string    `json:"language,omitempty"`
	Transcript []Turn    `json:"transcript"`
	At         time.Time `json:"at"`
}

// NewEventID returns a random 128-bit ID, in hex, for Event.ID.
func NewEventID() string {
	var b [16]byte
	rand.Read(b[:]) // never fails since Go 1.24
	return hex.EncodeToString(b[:])
}

// Defaults and caps of NotifierOptions.
const (
	DefaultAttempts = 5
	DefaultTimeout  = 10 * time.Second
	DefaultBackoff  = time.Second
	// MaxDelay caps the doubling backoff and a receiver's Retry-After.
	MaxDelay = time.Minute
)

// The headers of a hand-off request besides Content-Type.
const (
	HeaderEvent     = "X-Shopdesk-Event"     // always "handoff"
	HeaderSignature = "X-Shopdesk-Signature" // "sha256=" + hex HMAC-SHA256 of the body, with a Secret
	HeaderIdempo    = "Idempotency-Key"      // Event.ID
)

// NotifierOptions configure a Notifier. The URL comes from the
// configuration (SHOPDESK_HANDOFF_WEBHOOK or the file), read by the
// caller.
type NotifierOptions struct {
	// URL receives the POST; http or https.
	URL string
	// Secret, if set, signs each body with HMAC-SHA256 in the
	// X-Shopdesk-Signature header as "sha256=<hex>".
	Secret string
	// Attempts is the number of tries, 5 by default.
	Attempts int
	// Timeout bounds each attempt, 10s by default.
	Timeout time.Duration
	// Backoff is the first delay between attempts, 1s by default,
	// doubling up to MaxDelay.
	Backoff time.Duration
	// Client sends the requests. By default, one that does not follow
	// redirects (a 3xx is then an error, not a silent GET).
	Client *http.Client
	// Logger receives a line per failed attempt and per delivery; nil
	// discards them. Customer text is never logged.
	Logger *slog.Logger
}

// Notifier posts hand-off events to a webhook, with retries. It is safe
// for concurrent use.
type Notifier struct {
	url      string
	host     string // for errors and logs; the URL may hold a token
	secret   []byte
	attempts int
	timeout  time.Duration
	backoff  time.Duration
	client   *http.Client
	log      *slog.Logger
}

// NewNotifier validates o and returns a Notifier. The URL must be an
// absolute http or https URL; negative counts or durations are errors.
func NewNotifier(o NotifierOptions) (*Notifier, error) {
	u, err := url.Parse(o.URL)
	switch {
	case o.URL == "":
		return nil, errors.New("handoff webhook: no URL")
	case err != nil:
		return nil, fmt.Errorf("handoff webhook URL: %w", err)
	case u.Scheme != "http" && u.Scheme != "https":
		return nil, fmt.Errorf("handoff webhook URL: scheme %q, want http or https", u.Scheme)
	case u.Host == "":
		return nil, errors.New("handoff webhook URL: no host")
	case o.Attempts < 0 || o.Timeout < 0 || o.Backoff < 0:
		return nil, errors.New("handoff webhook: negative attempts, timeout or backoff")
	}
	n := &Notifier{
		url:      u.String(),
		host:     u.Host,
		secret:   []byte(o.Secret),
		attempts: cmpOr(o.Attempts, DefaultAttempts),
		timeout:  cmpOr(o.Timeout, DefaultTimeout),
		backoff:  cmpOr(o.Backoff, DefaultBackoff),
		client:   o.Client,
		log:      o.Logger,
	}
	if n.client == nil {
		n.client = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error {
			return http.ErrUseLastResponse
		}}
	}
	if n.log == nil {
		n.log = slog.New(slog.DiscardHandler)
	}
	return n, nil
}

func cmpOr[T int | time.Duration](v, def T) T {
	if v == 0 {
		return def
	}
	return v
}

// StatusError is a webhook's answer other than 2xx.
type StatusError struct {
	StatusCode int
	// RetryAfter is the receiver's Retry-After, capped at MaxDelay; zero
	// if absent.
	RetryAfter time.Duration
}

// Error returns the status, as "webhook answered 503 Service Unavailable".
func (e *StatusError) Error() string {
	return fmt.Sprintf("webhook answered %d %s", e.StatusCode, http.StatusText(e.StatusCode))
}

// Retryable reports whether the request may succeed later: 429 and 5xx.
func (e *StatusError) Retryable() bool {
	return e.StatusCode == http.StatusTooManyRequests || e.StatusCode >= 500
}

// Send posts e as JSON. It retries on network errors, timeouts, 429 and
// 5xx, waiting Backoff, doubled each time up to MaxDelay, or the
// receiver's Retry-After if longer; it does not retry other statuses.
// It returns nil once a 2xx arrives; otherwise an error wrapping the
// last failure (a *StatusError for a status) or ctx's error if ctx ended
// first. e.ID must be set.
func (n *Notifier) Send(ctx context.Context, e Event) error {
	if e.ID == "" {
		return errors.New("handoff webhook: event has no ID")
	}
	body, err := json.Marshal(e)
	if err != nil {
		return fmt.Errorf("handoff webhook: encode event: %w", err)
	}
	sig := ""
	if len(n.secret) > 0 {
		sig = Sign(n.secret, body)
	}
	log := n.log.With("tenant", e.Tenant, "conversation_id", e.ConversationID, "event_id", e.ID, "reason", e.Reason)
	start := time.Now()
	delay := n.backoff
	for attempt := 1; ; attempt++ {
		err := n.post(ctx, body, sig, e.ID)
		if err == nil {
			log.Info("handoff delivered", "attempt", attempt, "took", time.Since(start))
			return nil
		}
		if ctx.Err() != nil {
			return fmt.Errorf("handoff webhook %s: %w", n.host, errors.Join(ctx.Err(), err))
		}
		var se *StatusError
		if errors.As(err, &se) && !se.Retryable() {
			log.Error("handoff webhook refused", "attempt", attempt, "err", err)
			return fmt.Errorf("handoff webhook %s: %w", n.host, err)
		}
		if attempt >= n.attempts {
			log.Error("handoff webhook failed", "attempt", attempt, "took", time.Since(start), "err", err)
			return fmt.Errorf("handoff webhook %s: %d attempts: %w", n.host, attempt, err)
		}
		wait := delay
		if se != nil {
			wait = max(wait, se.RetryAfter)
		}
		log.Warn("handoff webhook attempt failed", "attempt", attempt, "retry_in", wait, "err", err)
		if serr := sleep(ctx, wait); serr != nil {
			return fmt.Errorf("handoff webhook %s: %w", n.host, errors.Join(serr, fmt.Errorf("after %d attempts: %w", attempt, err)))
		}
		delay = min(delay*2, MaxDelay)
	}
}

// post makes one attempt.
func (n *Notifier) post(ctx context.Context, body []byte, sig, id string) error {
	ctx, cancel := context.WithTimeout(ctx, n.timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, n.url, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "shopdesk-handoff")
	req.Header.Set(HeaderEvent, "handoff")
	req.Header.Set(HeaderIdempo, id)
	if sig != "" {
		req.Header.Set(HeaderSignature, sig)
	}
	resp, err := n.client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	// Drain a little so the connection can be reused.
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	if resp.StatusCode >= 200 && resp.StatusCode < 300 {
		return nil
	}
	se := &StatusError{StatusCode: resp.StatusCode}
	if se.Retryable() {
		se.RetryAfter = retryAfter(resp.Header.Get("Retry-After"), time.Now())
	}
	return se
}

// Sign returns the X-Shopdesk-Signature value for body: "sha256=" and
// the hex HMAC-SHA256 of body under secret. A receiver recomputes it over
// the raw body and compares with hmac.Equal.
func Sign(secret, body []byte) string {
	mac := hmac.New(sha256.New, secret)
	mac.Write(body)
	return "sha256=" + hex.EncodeToString(mac.Sum(nil))
}

// retryAfter parses a Retry-After value, seconds or an HTTP date, capped
// at MaxDelay; zero if absent or invalid.
func retryAfter(v string, now time.Time) time.Duration {
	if v == "" {
		return 0
	}
	var d time.Duration
	if secs, err := strconv.Atoi(v); err == nil {
		d = time.Duration(min(secs, int(MaxDelay/time.Second))) * time.Second
	} else if t, err := http.ParseTime(v); err == nil {
		d = t.Sub(now)
	}
	return max(0, min(d, MaxDelay))
}

// sleep waits d or until ctx ends, returning ctx's error then.
func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
