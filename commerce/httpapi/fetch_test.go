package httpapi

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/shopdesk/shopdesk/commerce"
)

// minimalConfig has the required endpoints, on base.
func minimalConfig(base string) Config {
	return Config{
		BaseURL:  base,
		Order:    Endpoint{URL: "/orders/{id}"},
		Orders:   Endpoint{URL: "/orders?customer={customer_id}"},
		Product:  Endpoint{URL: "/products/{sku}"},
		Products: Endpoint{URL: "/products"},
	}
}

// mustNew builds a Connector whose backoff pauses are recorded, not slept.
func mustNew(t *testing.T, cfg Config) *Connector {
	t.Helper()
	c, err := New(cfg, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	c.sleep = func(context.Context, time.Duration) error { return nil }
	return c
}

// sequence answers with the given statuses in turn (the last one repeats)
// and counts the requests.
func sequence(t *testing.T, retryAfter string, codes ...int) (*httptest.Server, *atomic.Int32) {
	var n atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		i := int(n.Add(1)) - 1
		code := codes[min(i, len(codes)-1)]
		if code != http.StatusOK {
			w.Header().Set("Retry-After", retryAfter)
			w.WriteHeader(code)
			io.WriteString(w, `{"error": "ana.silva@example.com is locked"}`)
			return
		}
		io.WriteString(w, `{"id": "A1", "status": "shipped"}`)
	}))
	t.Cleanup(srv.Close)
	return srv, &n
}

func TestRetryOn503ThenSuccess(t *testing.T) {
	srv, n := sequence(t, "3", 503, 503, 200)
	c := mustNew(t, minimalConfig(srv.URL))
	var waits []time.Duration
	c.sleep = func(_ context.Context, d time.Duration) error { waits = append(waits, d); return nil }
	o, err := c.Order(t.Context(), "t1", "A1")
	if err != nil || o.Status != commerce.StatusShipped {
		t.Fatalf("Order = %+v, %v", o, err)
	}
	if n.Load() != 3 || len(waits) != 2 || waits[0] != 3*time.Second || waits[1] != 3*time.Second {
		t.Errorf("%d requests, waits %v; want 3 requests honouring Retry-After: 3", n.Load(), waits)
	}
}

func TestRetryBacksOffWithoutRetryAfter(t *testing.T) {
	srv, n := sequence(t, "", 502, 500, 500)
	c := mustNew(t, minimalConfig(srv.URL))
	var waits []time.Duration
	c.sleep = func(_ context.Context, d time.Duration) error { waits = append(waits, d); return nil }
	_, err := c.Order(t.Context(), "t1", "A1")
	var se *StatusError
	if !errors.As(err, &se) || se.StatusCode != 500 || !strings.Contains(err.Error(), "after 3 attempts") {
		t.Errorf("err = %v, want a 500 StatusError after 3 attempts", err)
	}
	if n.Load() != 3 || len(waits) != 2 || waits[0] < 100*time.Millisecond || waits[0] > 200*time.Millisecond || waits[1] < 200*time.Millisecond || waits[1] > 400*time.Millisecond {
		t.Errorf("%d requests, waits %v; want 3 with growing backoff", n.Load(), waits)
	}
}

func TestNoRetry(t *testing.T) {
	for _, tc := range []struct {
		name       string
		code       int
		retryAfter string
		call       func(*Connector) error
	}{
		{"400", 400, "", func(c *Connector) error { _, err := c.Order(context.Background(), "t1", "A1"); return err }},
		{"Retry-After beyond the cap", 429, "3600", func(c *Connector) error { _, err := c.Order(context.Background(), "t1", "A1"); return err }},
		{"POST", 503, "", func(c *Connector) error {
			_, err := c.CreateReturn(context.Background(), "t1", commerce.ReturnRequest{OrderID: "A1"})
			return err
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv, n := sequence(t, tc.retryAfter, tc.code, 200)
			cfg := minimalConfig(srv.URL)
			cfg.CreateReturn = Endpoint{URL: "/orders/{order_id}/returns"}
			err := tc.call(mustNew(t, cfg))
			var se *StatusError
			if !errors.As(err, &se) || se.StatusCode != tc.code || n.Load() != 1 {
				t.Errorf("err = %v after %d requests, want StatusError %d after 1", err, n.Load(), tc.code)
			}
			if strings.Contains(err.Error(), "ana.silva") {
				t.Errorf("error %q quotes the response body", err)
			}
		})
	}
}

// hang holds each request until the client gives up or the test ends.
func hang(t *testing.T) (*httptest.Server, *atomic.Int32, chan struct{}) {
	var n atomic.Int32
	arrived := make(chan struct{}, 10)
	done := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n.Add(1)
		arrived <- struct{}{}
		select {
		case <-r.Context().Done():
		case <-done:
		}
	}))
	t.Cleanup(func() { close(done); srv.Close() })
	return srv, &n, arrived
}

func TestTimeoutPerAttempt(t *testing.T) {
	srv, n, _ := hang(t)
	cfg := minimalConfig(srv.URL)
	cfg.Timeout, cfg.Retries = 50*time.Millisecond, 1
	c := mustNew(t, cfg)
	start := time.Now()
	_, err := c.Products(t.Context(), "t1")
	if !errors.Is(err, context.DeadlineExceeded) || !strings.Contains(err.Error(), "no answer within 50ms") {
		t.Errorf("err = %v, want a timeout naming 50ms", err)
	}
	if n.Load() != 2 || time.Since(start) > 2*time.Second {
		t.Errorf("%d attempts in %s, want 2 quick ones", n.Load(), time.Since(start))
	}
}

func TestContextCancelStopsTheCall(t *testing.T) {
	srv, n, arrived := hang(t)
	c := mustNew(t, minimalConfig(srv.URL))
	ctx, cancel := context.WithCancel(t.Context())
	go func() { <-arrived; cancel() }()
	_, err := c.Order(ctx, "t1", "A1")
	if !errors.Is(err, context.Canceled) || n.Load() != 1 {
		t.Errorf("err = %v after %d requests, want context.Canceled after 1", err, n.Load())
	}
}

func TestHeadersExpandedAndNeverInErrors(t *testing.T) {
	const secret = "s3cr3t-t0ken-value"
	var mu sync.Mutex
	var got []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		got = append(got, r.Header.Get("Authorization"), r.Header.Get("X-Tenant"))
		mu.Unlock()
		w.WriteHeader(http.StatusUnauthorized)
		io.WriteString(w, "bad token "+r.Header.Get("Authorization"))
	}))
	defer srv.Close()
	cfg := minimalConfig(srv.URL)
	cfg.Headers = map[string]string{"Authorization": "Bearer ${SHOP_TOKEN}", "X-Tenant": "plain"}
	env := map[string]string{"SHOP_TOKEN": secret}
	c, err := New(cfg, func(k string) string { return env[k] }, srv.Client())
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.Order(t.Context(), "t1", "A1")
	if err == nil || strings.Contains(err.Error(), secret) || strings.Contains(err.Error(), "bad token") || !strings.Contains(err.Error(), "order") {
		t.Errorf("err = %v, want a 401 error naming the endpoint, without the token or body", err)
	}
	mu.Lock()
	if len(got) != 2 || got[0] != "Bearer "+secret || got[1] != "plain" {
		t.Errorf("headers sent %q", got)
	}
	mu.Unlock()

	// A network error quotes neither the URL (with the order number) nor headers.
	srv.Close()
	_, err = c.Order(t.Context(), "t1", "ORD-PRIVATE-42")
	if err == nil || strings.Contains(err.Error(), "ORD-PRIVATE-42") || strings.Contains(err.Error(), secret) {
		t.Errorf("network err = %v, want one without URL or token", err)
	}

	delete(env, "SHOP_TOKEN")
	if _, err := New(cfg, func(k string) string { return env[k] }, nil); err == nil || !strings.Contains(err.Error(), "SHOP_TOKEN is not set") {
		t.Errorf("missing variable: err = %v", err)
	}

	var log bytes.Buffer
	cfg.Headers["Authorization"] = "Bearer " + secret
	slog.New(slog.NewTextHandler(&log, nil)).Info("commerce", "http", cfg)
	if strings.Contains(log.String(), secret) || !strings.Contains(log.String(), "Authorization") {
		t.Errorf("logged config %q shows a header value or hides the header names", log.String())
	}
}

func TestBadResponses(t *testing.T) {
	for _, tc := range []struct{ name, body, want string }{
		{"truncated JSON", `{"order": {"id": "A1", "email": "ana@example.com"`, "order: response is not valid JSON"},
		{"HTML", `<html>ana@example.com</html>`, "response is not valid JSON (at byte 1)"},
		{"trailing garbage", `{"order": {}} ana@example.com`, "not valid JSON"},
		{"empty", ``, "response is empty"},
		{"no records path", `{"orders": []}`, `nothing at records path "order"`},
		{"list where a number belongs", `{"order": {"total": ["ana@example.com"]}}`, "record 0: field total: want a number"},
		{"unreadable price", `{"order": {"total": "ana@example.com"}}`, "field total: want a number"},
		{"fractional qty", `{"order": {"lines": [{"qty": 1.5}]}}`, "field lines: element 0: field lines.qty: want a whole number"},
		{"bad time", `{"order": {"placed_at": "yesterday ana@example.com"}}`, "field placed_at: want a time"},
		{"lines not a list", `{"order": {"lines": "ana@example.com"}}`, "field lines: want a list"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, tc.body) }))
			defer srv.Close()
			cfg := minimalConfig(srv.URL)
			cfg.Order.Records = "order"
			_, err := mustNew(t, cfg).Order(t.Context(), "t1", "A1")
			if err == nil || !strings.Contains(err.Error(), tc.want) || strings.Contains(err.Error(), "ana@") {
				t.Errorf("err = %v, want one containing %q and no body content", err, tc.want)
			}
		})
	}
}

func TestResponseCapped(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, `"`+strings.Repeat("x", maxBody)+`"`)
	}))
	defer srv.Close()
	_, err := mustNew(t, minimalConfig(srv.URL)).Products(t.Context(), "t1")
	if err == nil || !strings.Contains(err.Error(), "larger than 8 MiB") {
		t.Errorf("err = %v, want the 8 MiB cap", err)
	}
}

func TestRequestsStayOnTheBaseHost(t *testing.T) {
	var elsewhere atomic.Int32
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		elsewhere.Add(1)
		io.WriteString(w, `{"products": []}`)
	}))
	defer other.Close()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/orders/A1" {
			http.Redirect(w, r, other.URL+"/steal", http.StatusFound)
			return
		}
		w.Header().Set("Link", "<"+other.URL+"/products?page=2>; rel=next")
		io.WriteString(w, `[]`)
	}))
	defer srv.Close()
	c := mustNew(t, minimalConfig(srv.URL))
	if _, err := c.Order(t.Context(), "t1", "A1"); err == nil || !strings.Contains(err.Error(), "redirect to another host refused") {
		t.Errorf("redirect: err = %v", err)
	}
	if _, err := c.Products(t.Context(), "t1"); err == nil || !strings.Contains(err.Error(), "does not point into base_url") {
		t.Errorf("next page elsewhere: err = %v", err)
	}
	if elsewhere.Load() != 0 {
		t.Errorf("the other host got %d requests", elsewhere.Load())
	}
}

func TestPlaceholdersAreEscaped(t *testing.T) {
	var mu sync.Mutex
	var paths, customers, injected []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		paths = append(paths, r.URL.EscapedPath())
		customers, injected = append(customers, r.URL.Query().Get("customer")), append(injected, r.URL.Query().Get("admin"))
		mu.Unlock()
		io.WriteString(w, `[]`)
	}))
	defer srv.Close()
	c := mustNew(t, minimalConfig(srv.URL))
	c.Order(t.Context(), "t1", "../a b/#1?x")
	c.Orders(t.Context(), "t1", "x&admin=1+2")
	mu.Lock()
	defer mu.Unlock()
	if len(paths) != 2 || paths[0] != "/orders/..%2Fa%20b%2F%231%3Fx" || customers[1] != "x&admin=1+2" || injected[1] != "" {
		t.Errorf("paths %q, customer %q, injected %q", paths, customers, injected)
	}
}
