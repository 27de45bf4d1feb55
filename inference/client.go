// Package inference is shopdesk's client for Ollama: streaming chat, batched
// embeddings and model management over github.com/ollama/ollama/api, spread
// over one or more Ollama hosts.
//
// Each host runs a bounded number of generations at once with a bounded
// queue behind them; past that, callers get ErrOverloaded at once instead of
// piling up. Requests go to the healthy host with the least work; a host
// that fails is skipped for a while, and a request that fails before
// anything was streamed is retried on another host. The caller's context
// reaches Ollama, so a caller that gives up stops the generation.
package inference

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/ollama/ollama/api"
)

// Options configures a Client.
type Options struct {
	// Hosts are Ollama base URLs, such as http://127.0.0.1:11434.
	Hosts []string
	// Concurrency is the number of generations in flight per host
	// (embedding calls have a separate allowance of the same size).
	Concurrency int
	// Queue is the number of callers that may wait per host.
	Queue int
	// QueueTimeout bounds a wait in the queue; zero waits as long as the
	// caller's context allows.
	QueueTimeout time.Duration
	// FailureBackoff is how long a failed host is skipped at first; it
	// doubles with each further failure up to MaxBackoff.
	FailureBackoff time.Duration
	MaxBackoff     time.Duration
	// EmbedBatch is the number of inputs sent to Ollama per embedding call.
	EmbedBatch int
	// HTTPClient talks to Ollama; nil uses a pooled client without an
	// overall timeout (streams may run long; contexts bound them).
	HTTPClient *http.Client
	// Logger receives host failures and retries; nil discards them.
	Logger *slog.Logger
}

// Client sends requests to a pool of Ollama hosts. It is safe for
// concurrent use.
type Client struct {
	hosts []*Host
	opts  Options
	log   *slog.Logger
}

// Host is one Ollama server in the pool.
type Host struct {
	// URL is the host's base URL.
	URL  string
	base *url.URL
	http *http.Client
	api  *api.Client
	gen  *limiter
	emb  *limiter

	mu        sync.Mutex
	failures  int
	downUntil time.Time
	lastErr   error
}

// New validates opts and returns a Client. It does not contact Ollama.
func New(opts Options) (*Client, error) {
	if len(opts.Hosts) == 0 {
		return nil, errors.New("inference: no Ollama host configured")
	}
	if opts.Concurrency <= 0 {
		opts.Concurrency = 4
	}
	if opts.Queue < 0 {
		opts.Queue = 0
	}
	if opts.FailureBackoff <= 0 {
		opts.FailureBackoff = 2 * time.Second
	}
	if opts.MaxBackoff < opts.FailureBackoff {
		opts.MaxBackoff = max(30*time.Second, opts.FailureBackoff)
	}
	if opts.EmbedBatch <= 0 {
		opts.EmbedBatch = 64
	}
	if opts.HTTPClient == nil {
		opts.HTTPClient = &http.Client{Transport: newTransport(opts.Concurrency)}
	}
	c := &Client{opts: opts, log: opts.Logger}
	if c.log == nil {
		c.log = slog.New(slog.DiscardHandler)
	}
	for _, raw := range opts.Hosts {
		u, err := ParseHost(raw)
		if err != nil {
			return nil, err
		}
		c.hosts = append(c.hosts, &Host{
			URL:  u.String(),
			base: u,
			http: opts.HTTPClient,
			api:  api.NewClient(u, opts.HTTPClient),
			gen:  newLimiter(opts.Concurrency, opts.Queue),
			emb:  newLimiter(opts.Concurrency, opts.Queue),
		})
	}
	return c, nil
}

// newTransport keeps enough idle connections per host that steady traffic
// at full concurrency never re-dials.
func newTransport(concurrency int) *http.Transport {
	return &http.Transport{
		Proxy:               nil, // Ollama is local; never send prompts through a proxy
		DialContext:         (&net.Dialer{Timeout: 5 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
		MaxIdleConns:        256,
		MaxIdleConnsPerHost: max(2*concurrency, 16),
		IdleConnTimeout:     90 * time.Second,
	}
}

// ParseHost accepts an Ollama address as OLLAMA_HOST does: a URL, or a bare
// host[:port] meaning http on port 11434 by default.
func ParseHost(raw string) (*url.URL, error) {
	s := strings.TrimSpace(raw)
	if s == "" {
		return nil, errors.New("inference: empty Ollama host")
	}
	if !strings.Contains(s, "://") {
		s = "http://" + s
	}
	u, err := url.Parse(s)
	if err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") {
		return nil, fmt.Errorf("inference: Ollama host %q is not an http(s) URL or host:port", raw)
	}
	if u.Port() == "" {
		port := "11434"
		if u.Scheme == "https" && strings.Contains(raw, "://") {
			port = "443"
		}
		u.Host = net.JoinHostPort(u.Hostname(), port)
	}
	u.Path = strings.TrimRight(u.Path, "/")
	return u, nil
}

// Hosts returns the pool's hosts in configuration order.
func (c *Client) Hosts() []*Host { return slices.Clone(c.hosts) }

// HostStats is a snapshot of one host's load and health.
type HostStats struct {
	URL       string
	InFlight  int
	Queued    int
	Healthy   bool
	LastError string
}

// Stats reports every host's load and health.
func (c *Client) Stats() []HostStats {
	now := time.Now()
	out := make([]HostStats, 0, len(c.hosts))
	for _, h := range c.hosts {
		h.mu.Lock()
		st := HostStats{
			URL:      h.URL,
			InFlight: h.gen.inFlight() + h.emb.inFlight(),
			Queued:   h.gen.queued() + h.emb.queued(),
			Healthy:  !now.Before(h.downUntil),
		}
		if h.lastErr != nil {
			st.LastError = h.lastErr.Error()
		}
		h.mu.Unlock()
		out = append(out, st)
	}
	return out
}

// restingUntil is when a failed host comes back into rotation; the zero
// time for a healthy host.
func (h *Host) restingUntil() time.Time {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.downUntil
}

func (h *Host) succeeded() {
	h.mu.Lock()
	h.failures = 0
	h.downUntil = time.Time{}
	h.mu.Unlock()
}

// failed takes the host out of rotation for a backoff that doubles with
// consecutive failures.
func (h *Host) failed(err error, base, ceiling time.Duration) time.Duration {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.failures++
	backoff := time.Duration(float64(base) * math.Pow(2, float64(min(h.failures-1, 16))))
	backoff = min(backoff, ceiling)
	h.downUntil = time.Now().Add(backoff)
	h.lastErr = err
	return backoff
}

// pick returns the healthy host with the least load among those not yet
// tried; if every untried host is resting after a failure, the one that
// has rested longest, so a recovered Ollama is noticed without waiting.
func (c *Client) pick(tried []*Host, lim func(*Host) *limiter) *Host {
	now := time.Now()
	var best, probe *Host
	var probeUntil time.Time
	bestLoad := math.MaxInt
	for _, h := range c.hosts {
		if slices.Contains(tried, h) {
			continue
		}
		if until := h.restingUntil(); now.Before(until) {
			if probe == nil || until.Before(probeUntil) {
				probe, probeUntil = h, until
			}
			continue
		}
		if load := lim(h).load(); load < bestLoad {
			best, bestLoad = h, load
		}
	}
	if best != nil {
		return best
	}
	return probe
}

// call runs fn on a host, retrying on the next host when fn fails before
// setting *started. fn must wrap errors from the caller's own callbacks in
// callbackError so they are returned untouched.
func (c *Client) call(ctx context.Context, lim func(*Host) *limiter, model string, fn func(h *Host, started *bool) error) error {
	var tried []*Host
	var worst *Error
	for len(tried) < len(c.hosts) {
		h := c.pick(tried, lim) // never nil while some host is untried
		tried = append(tried, h)
		l := lim(h)
		if err := l.acquire(ctx, c.opts.QueueTimeout); err != nil {
			if ctxErr := ctx.Err(); ctxErr != nil {
				return fmt.Errorf("waiting for ollama %s: %w", h.URL, ctxErr)
			}
			// The least loaded host is full, so every host is.
			return &Error{Kind: ErrOverloaded, Host: h.URL, Model: model, RetryAfter: 2 * time.Second, Err: err}
		}
		started := false
		err := func() error {
			defer l.release() // even if a caller's callback panics
			return fn(h, &started)
		}()
		if err == nil {
			h.succeeded()
			return nil
		}
		var cb callbackError
		if errors.As(err, &cb) {
			return cb.err
		}
		err = classify(ctx, h.URL, model, err)
		var e *Error
		if !errors.As(err, &e) {
			return err
		}
		if e.Kind == ErrUnavailable {
			backoff := h.failed(e, c.opts.FailureBackoff, c.opts.MaxBackoff)
			e.RetryAfter = backoff
			c.log.Warn("ollama host failed; skipping it for a while", "host", h.URL, "model", model, "skip", backoff, "err", e.Err)
		} else {
			h.succeeded() // it answered, so it is up
		}
		if started || !retryable(e) {
			return e
		}
		if worst == nil || rank(e) > rank(worst) {
			worst = e
		}
		if len(tried) < len(c.hosts) {
			c.log.Info("retrying on another ollama host", "host", h.URL, "model", model, "err", e)
		}
	}
	return worst // every host failed retryably, so worst is set
}
