// Package httpapi is a commerce.Connector over the merchant's own HTTP
// API, for merchants whose orders live elsewhere. Everything about that
// API is configuration (see Config): the URL of each endpoint, where the
// records are in its JSON, which of its fields are ours, and how its order
// statuses map onto commerce's.
//
// The connector only reads, except CreateReturn. It never logs; errors
// name the endpoint but never a URL, a header value or a response body,
// which may hold credentials or personal data.
package httpapi

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"reflect"
	"slices"
	"strings"
	"time"

	"github.com/shopdesk/shopdesk/commerce"
)

// ErrNotConfigured is returned (wrapped) by Customer, CreateReturn,
// Returns and CreateRequest when the config leaves their endpoint out;
// for Returns and CreateRequest it wraps commerce.ErrNotSupported too.
var ErrNotConfigured = errors.New("endpoint not configured")

// Connector reads a merchant's shop over its HTTP API. It is safe for
// concurrent use.
type Connector struct {
	client   *http.Client
	base     *url.URL
	headers  http.Header
	timeout  time.Duration
	retries  int
	statuses map[string]string // lower-cased merchant status → ours

	customer, order, orders, product, products, createReturn *endpoint
	returns, cancelOrder, changeAddress, invoice             *endpoint

	sleep func(context.Context, time.Duration) error
	now   func() time.Time
}

var (
	_ commerce.Connector    = (*Connector)(nil)
	_ commerce.Requests     = (*Connector)(nil)
	_ commerce.ReturnLister = (*Connector)(nil)
)

// optional are the endpoints a config may leave out.
var optional = []string{"customer", "create_return", "returns", "cancel_order", "change_address", "invoice"}

// New validates cfg and returns a Connector. getenv supplies ${VAR} in
// header values (nil: no variables); client sends the requests (nil: a
// new client). Redirects to another host than BaseURL's are refused, so
// the headers never reach it.
func New(cfg Config, getenv func(string) string, client *http.Client) (*Connector, error) {
	base, err := url.Parse(cfg.BaseURL)
	if err != nil || (base.Scheme != "http" && base.Scheme != "https") || base.Host == "" {
		return nil, errors.New("httpapi: base_url must be an http:// or https:// URL")
	}
	if base.User != nil || base.RawQuery != "" || base.Fragment != "" {
		return nil, errors.New("httpapi: base_url must not hold credentials, a query or a fragment (use headers and endpoint urls)")
	}
	c := &Connector{base: base, timeout: cfg.Timeout, retries: cfg.Retries, sleep: sleepContext, now: time.Now}
	switch {
	case c.timeout == 0:
		c.timeout = defaultTimeout
	case c.timeout < time.Millisecond:
		return nil, errors.New("httpapi: timeout must be at least 1ms (write units, e.g. 5s)")
	}
	switch {
	case c.retries == 0:
		c.retries = defaultRetries
	case c.retries < 0:
		c.retries = 0
	case c.retries > maxRetries:
		return nil, fmt.Errorf("httpapi: retries must be at most %d", maxRetries)
	}
	if c.headers, err = expandHeaders(cfg.Headers, getenv); err != nil {
		return nil, fmt.Errorf("httpapi: %w", err)
	}
	slots := []**endpoint{&c.customer, &c.order, &c.orders, &c.product, &c.products, &c.createReturn,
		&c.returns, &c.cancelOrder, &c.changeAddress, &c.invoice}
	for i, ce := range cfg.endpoints() {
		if !ce.ep.configured() {
			if !slices.Contains(optional, ce.spec.name) {
				return nil, fmt.Errorf("httpapi: the %s endpoint is required (give its url)", ce.spec.name)
			}
			continue
		}
		if *slots[i], err = compile(ce.spec, ce.ep, base); err != nil {
			return nil, fmt.Errorf("httpapi: %w", err)
		}
	}
	if c.statuses, err = statusMap(cfg.StatusMap); err != nil {
		return nil, fmt.Errorf("httpapi: %w", err)
	}
	c.client = &http.Client{}
	if client != nil {
		cp := *client
		c.client = &cp
	}
	next := c.client.CheckRedirect
	c.client.CheckRedirect = func(req *http.Request, via []*http.Request) error {
		if !sameOrigin(req.URL, base) {
			return errors.New("redirect to another host refused")
		}
		if next != nil {
			return next(req, via)
		}
		if len(via) >= 10 {
			return errors.New("stopped after 10 redirects")
		}
		return nil
	}
	return c, nil
}

// ourStatuses are the order statuses commerce knows.
var ourStatuses = []string{commerce.StatusProcessing, commerce.StatusShipped, commerce.StatusDelivered, commerce.StatusCancelled, commerce.StatusReturned}

// statusMap checks m's targets and lower-cases its keys.
func statusMap(m map[string]string) (map[string]string, error) {
	out := make(map[string]string, len(m))
	for k, v := range m {
		if !slices.Contains(ourStatuses, v) {
			return nil, fmt.Errorf("status_map: %q maps to %q; use one of %s", k, v, strings.Join(ourStatuses, ", "))
		}
		out[strings.ToLower(strings.TrimSpace(k))] = v
	}
	return out, nil
}

// status maps a merchant's order status onto ours.
func (c *Connector) status(raw string) string {
	key := strings.ToLower(strings.TrimSpace(raw))
	if s, ok := c.statuses[key]; ok {
		return s
	}
	if slices.Contains(ourStatuses, key) {
		return key
	}
	return raw
}

// Customer looks up a customer by ID; ErrNotConfigured without a customer
// endpoint.
func (c *Connector) Customer(ctx context.Context, tenant, id string) (commerce.Customer, error) {
	if c.customer == nil {
		return commerce.Customer{}, fmt.Errorf("httpapi customer: %w", ErrNotConfigured)
	}
	recs, err := c.fetch(ctx, c.customer, map[string]string{"tenant": tenant, "id": id, "customer_id": id}, false)
	if err != nil {
		return commerce.Customer{}, err
	}
	return one(c.customer, recs, id, func(cu *commerce.Customer) *string { return &cu.ID })
}

// Order looks up an order by ID, with its status mapped through StatusMap.
func (c *Connector) Order(ctx context.Context, tenant, id string) (commerce.Order, error) {
	recs, err := c.fetch(ctx, c.order, map[string]string{"tenant": tenant, "id": id, "order_id": id}, false)
	if err != nil {
		return commerce.Order{}, err
	}
	o, err := one(c.order, recs, id, func(o *commerce.Order) *string { return &o.ID })
	if err != nil {
		return commerce.Order{}, err
	}
	o.Status = c.status(o.Status)
	return o, nil
}

// Orders lists a customer's orders, newest first, following Link
// rel="next" pages. Records that name another customer are dropped, in
// case the merchant's API ignores the customer filter.
func (c *Connector) Orders(ctx context.Context, tenant, customerID string) ([]commerce.Order, error) {
	recs, err := c.fetch(ctx, c.orders, map[string]string{"tenant": tenant, "customer_id": customerID}, true)
	if err != nil {
		return nil, err
	}
	all, err := decodeAll[commerce.Order](c.orders, recs)
	if err != nil {
		return nil, err
	}
	out := all[:0]
	for _, o := range all {
		if o.CustomerID != "" && o.CustomerID != customerID {
			continue
		}
		o.CustomerID = customerID
		o.Status = c.status(o.Status)
		out = append(out, o)
	}
	slices.SortStableFunc(out, func(a, b commerce.Order) int { return b.PlacedAt.Compare(a.PlacedAt) })
	return out, nil
}

// Product looks up a product by SKU. Without a stock value its stock is
// the sum of its variants'.
func (c *Connector) Product(ctx context.Context, tenant, sku string) (commerce.Product, error) {
	recs, err := c.fetch(ctx, c.product, map[string]string{"tenant": tenant, "sku": sku, "id": sku}, false)
	if err != nil {
		return commerce.Product{}, err
	}
	return one(c.product, recs, sku, func(p *commerce.Product) *string { return &p.SKU })
}

// Products lists the catalog, following Link rel="next" pages.
func (c *Connector) Products(ctx context.Context, tenant string) ([]commerce.Product, error) {
	recs, err := c.fetch(ctx, c.products, map[string]string{"tenant": tenant}, true)
	if err != nil {
		return nil, err
	}
	return decodeAll[commerce.Product](c.products, recs)
}

// CreateReturn sends r as JSON (CreatedAt set to now when zero) and
// returns it with the merchant's reference as ID, and the status and
// creation time the answer gives ("requested" and r's when it gives
// none). The request is never retried. ErrNotConfigured without a
// create_return endpoint.
func (c *Connector) CreateReturn(ctx context.Context, tenant string, r commerce.ReturnRequest) (commerce.ReturnRequest, error) {
	e := c.createReturn
	if e == nil {
		return commerce.ReturnRequest{}, fmt.Errorf("httpapi create_return: returns cannot be filed through the merchant's API: %w", ErrNotConfigured)
	}
	if r.CreatedAt.IsZero() {
		r.CreatedAt = c.now().UTC()
	}
	body, err := json.Marshal(r)
	if err != nil {
		return commerce.ReturnRequest{}, fmt.Errorf("httpapi create_return: %w", err)
	}
	recs, err := c.fetchBody(ctx, e, map[string]string{"tenant": tenant, "order_id": r.OrderID, "customer_id": r.CustomerID}, body)
	if err != nil {
		return commerce.ReturnRequest{}, err
	}
	got, err := decodeAll[commerce.ReturnRequest](e, recs)
	if err != nil {
		return commerce.ReturnRequest{}, err
	}
	if len(got) != 1 || strings.TrimSpace(got[0].ID) == "" {
		return commerce.ReturnRequest{}, fmt.Errorf("httpapi create_return: the answer holds no reference id (map it with fields: {id: ...})")
	}
	r.ID, r.Status = got[0].ID, firstNonEmpty(got[0].Status, r.Status, "requested")
	if !got[0].CreatedAt.IsZero() {
		r.CreatedAt = got[0].CreatedAt
	}
	return r, nil
}

// firstNonEmpty returns the first non-empty string.
func firstNonEmpty(s ...string) string {
	for _, v := range s {
		if v != "" {
			return v
		}
	}
	return ""
}

// fetch GETs e and returns its records; with pages, it follows Link
// rel="next" up to maxPages.
func (c *Connector) fetch(ctx context.Context, e *endpoint, vars map[string]string, pages bool) ([]any, error) {
	u, err := e.expand(vars)
	if err != nil {
		return nil, fmt.Errorf("httpapi %s: %w", e.name, err)
	}
	var out []any
	for n := 1; u != ""; n++ {
		if n > maxPages {
			return nil, fmt.Errorf("httpapi %s: more than %d pages", e.name, maxPages)
		}
		p, err := c.call(ctx, e, u, nil)
		if err != nil {
			return nil, err
		}
		recs, err := records(e, p.body)
		if err != nil {
			return nil, err
		}
		out = append(out, recs...)
		if u = p.next; !pages {
			break
		}
	}
	return out, nil
}

// fetchBody sends body to e once and returns the records of the answer.
func (c *Connector) fetchBody(ctx context.Context, e *endpoint, vars map[string]string, body []byte) ([]any, error) {
	u, err := e.expand(vars)
	if err != nil {
		return nil, fmt.Errorf("httpapi %s: %w", e.name, err)
	}
	p, err := c.call(ctx, e, u, body)
	if err != nil {
		return nil, err
	}
	return records(e, p.body)
}

// records finds the record or records at e.records in a response.
func records(e *endpoint, body any) ([]any, error) {
	v, ok := lookup(body, e.records)
	if !ok {
		return nil, fmt.Errorf("httpapi %s: the response has nothing at records path %q", e.name, e.records)
	}
	switch x := v.(type) {
	case nil:
		return nil, nil
	case []any:
		return x, nil
	case map[string]any:
		return []any{x}, nil
	}
	return nil, fmt.Errorf("httpapi %s: records path %q holds neither an object nor a list", e.name, e.records)
}

// decodeAll turns records into Ts through e's field map; products get
// their stock from their variants when they give none.
func decodeAll[T any](e *endpoint, recs []any) ([]T, error) {
	out := make([]T, 0, len(recs))
	for i, rec := range recs {
		var t T
		if err := decodeRecord(rec, e.fields, "", reflect.ValueOf(&t).Elem()); err != nil {
			return nil, fmt.Errorf("httpapi %s: record %d: %w", e.name, i, err)
		}
		if p, ok := any(&t).(*commerce.Product); ok && !present(rec, e.fields, "stock") {
			for _, v := range p.Variants {
				p.Stock += v.Stock
			}
		}
		out = append(out, t)
	}
	return out, nil
}

// present reports whether rec has a non-null value for our field name.
func present(rec any, fields map[string]string, name string) bool {
	path, ok := fields[name]
	if !ok {
		path = name
	}
	v, found := lookup(rec, path)
	return path != "-" && found && v != nil
}

// one decodes the record a lookup of key found. A single record is the
// answer (its key filled in when it has none); among several, the one
// whose key matches. None is commerce.ErrNotFound.
func one[T any](e *endpoint, recs []any, key string, keyOf func(*T) *string) (T, error) {
	var zero T
	all, err := decodeAll[T](e, recs)
	if err != nil {
		return zero, err
	}
	switch len(all) {
	case 0:
		return zero, fmt.Errorf("httpapi %s: %w", e.name, commerce.ErrNotFound)
	case 1:
		if k := keyOf(&all[0]); *k == "" {
			*k = key
		}
		return all[0], nil
	}
	var found []T
	for _, t := range all {
		if *keyOf(&t) == key {
			found = append(found, t)
		}
	}
	switch len(found) {
	case 0:
		return zero, fmt.Errorf("httpapi %s: %d records and none has the key asked for: %w", e.name, len(all), commerce.ErrNotFound)
	case 1:
		return found[0], nil
	}
	return zero, fmt.Errorf("httpapi %s: %d records have the key asked for", e.name, len(found))
}
