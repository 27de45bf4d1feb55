package httpapi

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/shopdesk/shopdesk/commerce"
)

// Limits of one call.
const (
	maxBody        = 8 << 20 // bytes of one response
	maxPages       = 100     // pages followed through Link rel="next"
	maxRetryAfter  = 10 * time.Second
	backoffBase    = 200 * time.Millisecond
	backoffCeiling = 2 * time.Second
)

// StatusError reports an answer from the merchant's API with a status
// other than 2xx or 404 (which is commerce.ErrNotFound).
type StatusError struct {
	// StatusCode is the HTTP status the merchant's API answered.
	StatusCode int
}

// Error names the status; never the body, which may hold personal data.
func (e *StatusError) Error() string {
	return fmt.Sprintf("merchant API answered %d %s", e.StatusCode, http.StatusText(e.StatusCode))
}

// page is one decoded response.
type page struct {
	body any
	next string // absolute URL of the next page, "" when there is none
}

// call sends one request to e at rawURL with body (nil for none) and
// decodes the JSON answer. GETs are retried after network errors,
// timeouts, 429 and 5xx. Errors name the endpoint, not the URL.
func (c *Connector) call(ctx context.Context, e *endpoint, rawURL string, body []byte) (page, error) {
	attempts := 1
	if e.method == http.MethodGet {
		attempts += c.retries
	}
	for i := 1; ; i++ {
		p, retry, wait, err := c.attempt(ctx, e, rawURL, body)
		if err == nil {
			return p, nil
		}
		if ctx.Err() != nil {
			return page{}, fmt.Errorf("httpapi %s: %w", e.name, context.Cause(ctx))
		}
		if !retry || i >= attempts || wait < 0 {
			if i > 1 {
				err = fmt.Errorf("%w (after %d attempts)", err, i)
			}
			return page{}, fmt.Errorf("httpapi %s: %w", e.name, err)
		}
		if wait == 0 {
			wait = backoff(i)
		}
		if err := c.sleep(ctx, wait); err != nil {
			return page{}, fmt.Errorf("httpapi %s: %w", e.name, err)
		}
	}
}

// attempt makes one request. retry says whether another attempt may
// succeed; wait is the delay the server asked for (0: none, negative:
// longer than we wait).
func (c *Connector) attempt(ctx context.Context, e *endpoint, rawURL string, body []byte) (p page, retry bool, wait time.Duration, err error) {
	actx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(actx, e.method, rawURL, rd)
	if err != nil {
		return page{}, false, 0, errors.New("cannot build the request URL")
	}
	req.Header = c.headers.Clone()
	if req.Header.Get("Accept") == "" {
		req.Header.Set("Accept", "application/json")
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := c.client.Do(req)
	if err != nil {
		return page{}, true, 0, c.networkError(actx, e.method, err)
	}
	defer resp.Body.Close()
	switch code := resp.StatusCode; {
	case code == http.StatusNotFound:
		drain(resp.Body)
		return page{}, false, 0, commerce.ErrNotFound
	case code == http.StatusTooManyRequests || code >= 500:
		drain(resp.Body)
		return page{}, true, retryAfter(resp.Header.Get("Retry-After"), c.now()), &StatusError{StatusCode: code}
	case code < 200 || code > 299:
		drain(resp.Body)
		return page{}, false, 0, &StatusError{StatusCode: code}
	}
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxBody+1))
	if err != nil {
		return page{}, true, 0, c.networkError(actx, e.method, err)
	}
	if len(data) > maxBody {
		return page{}, false, 0, fmt.Errorf("response larger than %d MiB", maxBody>>20)
	}
	v, err := decodeJSON(data)
	if err != nil {
		return page{}, false, 0, err
	}
	next, err := nextLink(resp.Header, resp.Request.URL, c.base)
	if err != nil {
		return page{}, false, 0, err
	}
	return page{body: v, next: next}, false, 0, nil
}

// networkError describes a failed exchange without the URL, which
// *url.Error would quote.
func (c *Connector) networkError(actx context.Context, method string, err error) error {
	if ue, ok := errors.AsType[*url.Error](err); ok {
		err = ue.Err
	}
	if errors.Is(actx.Err(), context.DeadlineExceeded) {
		return fmt.Errorf("%s: no answer within %s: %w", method, c.timeout, context.DeadlineExceeded)
	}
	return fmt.Errorf("%s: %w", method, err)
}

// decodeJSON parses a response body, keeping numbers exact. Errors give
// at most a byte offset, never content.
func decodeJSON(data []byte) (any, error) {
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, errors.New("response is empty, want JSON")
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var v any
	err := dec.Decode(&v)
	if err == nil && dec.More() {
		err = errors.New("trailing data")
	}
	if err != nil {
		if se, ok := errors.AsType[*json.SyntaxError](err); ok {
			return nil, fmt.Errorf("response is not valid JSON (at byte %d)", se.Offset)
		}
		return nil, errors.New("response is not valid JSON")
	}
	return v, nil
}

// drain reads a little of an unused body so the connection can be reused.
func drain(r io.Reader) { _, _ = io.Copy(io.Discard, io.LimitReader(r, 64<<10)) }

// backoff is the pause before attempt n+1: exponential with jitter.
func backoff(n int) time.Duration {
	d := min(backoffBase<<(n-1), backoffCeiling)
	return d/2 + rand.N(d/2+1)
}

// retryAfter reads a Retry-After header (seconds or an HTTP date): 0 when
// absent or unreadable, negative when longer than maxRetryAfter.
func retryAfter(h string, now time.Time) time.Duration {
	h = strings.TrimSpace(h)
	if h == "" {
		return 0
	}
	var d time.Duration
	if secs, err := strconv.Atoi(h); err == nil {
		d = time.Duration(secs) * time.Second
	} else if t, err := http.ParseTime(h); err == nil {
		d = t.Sub(now)
	} else {
		return 0
	}
	switch {
	case d > maxRetryAfter:
		return -1
	case d <= 0:
		return time.Millisecond
	}
	return d
}

// nextLink finds the rel="next" target of Link headers, resolved against
// the request URL; it must stay on base's host so headers never leave it.
func nextLink(h http.Header, reqURL, base *url.URL) (string, error) {
	for _, v := range h.Values("Link") {
		for {
			start := strings.IndexByte(v, '<')
			end := strings.IndexByte(v, '>')
			if start < 0 || end < start {
				break
			}
			target, params := v[start+1:end], v[end+1:]
			v = params
			if i := strings.IndexByte(params, '<'); i >= 0 {
				params = params[:i]
			}
			if !relNext(params) {
				continue
			}
			u, err := reqURL.Parse(target)
			if err != nil || !sameOrigin(u, base) {
				return "", errors.New(`Link rel="next" does not point into base_url`)
			}
			return u.String(), nil
		}
	}
	return "", nil
}

// relNext reports whether Link parameters hold rel="next".
func relNext(params string) bool {
	for p := range strings.SplitSeq(params, ";") {
		k, val, ok := strings.Cut(p, "=")
		if !ok || !strings.EqualFold(strings.TrimSpace(k), "rel") {
			continue
		}
		for rel := range strings.FieldsSeq(strings.Trim(strings.TrimSpace(strings.TrimRight(val, ", ")), `"`)) {
			if strings.EqualFold(rel, "next") {
				return true
			}
		}
	}
	return false
}

// sleepContext waits d or until ctx ends.
func sleepContext(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return context.Cause(ctx)
	case <-t.C:
		return nil
	}
}
