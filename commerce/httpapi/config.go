package httpapi

import (
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"
)

// Endpoint describes one call to the merchant's API and where our fields
// are in its answer.
type Endpoint struct {
	// Method is the HTTP method; default GET (POST for create_return).
	Method string `yaml:"method" json:"method"`
	// URL is a path (and query) appended to Config.BaseURL. The
	// placeholders {tenant}, {id}, {customer_id}, {sku} and {order_id}
	// are replaced with the escaped value; which ones an endpoint may use
	// is checked by New.
	URL string `yaml:"url" json:"url"`
	// Records is the dotted path to the record (or the array of records)
	// in the response JSON; empty = the whole body.
	Records string `yaml:"records" json:"records"`
	// Fields maps our field names (the JSON names of commerce.Order,
	// OrderLine, Customer, Product, Variant and ReturnRequest, e.g. "id",
	// "status", "lines", "lines.sku", "variants.stock") to dotted paths in
	// the merchant's record; numeric segments index arrays
	// ("fulfillments.0.tracking_number"). Paths of nested fields such as
	// "lines.sku" are relative to the element. Unmapped fields use our own
	// name; a field mapped to "-" is never read.
	Fields map[string]string `yaml:"fields" json:"fields"`
}

// configured reports whether the endpoint was given at all.
func (e Endpoint) configured() bool { return e.URL != "" }

// Config describes a merchant's HTTP API. The zero values of Timeout and
// Retries mean their defaults.
type Config struct {
	// BaseURL is the root of the API, http or https, e.g.
	// "https://shop.example.com/api/v1". Requests never leave its host:
	// redirects to another host are refused.
	BaseURL string `yaml:"base_url"`
	// Headers are sent with every request. ${VAR} in a value is replaced
	// from the environment given to New, e.g. Authorization:
	// "Bearer ${SHOP_TOKEN}"; values are never logged or put in errors.
	Headers map[string]string `yaml:"headers"`
	// Timeout limits each attempt; default 5s.
	Timeout time.Duration `yaml:"timeout"`
	// Retries is how often a failed GET is retried after a network error,
	// a timeout, 429 or 5xx; default 2, negative for none. Other methods
	// are never retried.
	Retries int `yaml:"retries"`

	// Customer looks up one customer by {id}; optional.
	Customer Endpoint `yaml:"customer"`
	// Order looks up one order by {id}; required.
	Order Endpoint `yaml:"order"`
	// Orders lists a customer's orders by {customer_id}; required.
	Orders Endpoint `yaml:"orders"`
	// Product looks up one product by {sku}; required.
	Product Endpoint `yaml:"product"`
	// Products lists the catalog; required.
	Products Endpoint `yaml:"products"`
	// CreateReturn files a return request; optional. The request body is
	// the commerce.ReturnRequest as JSON; the answer must hold the
	// merchant's reference under the field "id".
	CreateReturn Endpoint `yaml:"create_return"`
	// Returns lists an order's return requests by {order_id}, with their
	// status and refund (refund_amount, refunded_at); optional. Without
	// it, "where is my refund?" goes to a person.
	Returns Endpoint `yaml:"returns"`
	// CancelOrder, ChangeAddress and Invoice file a cancellation, a
	// change of shipping address and an invoice request; each optional.
	// The request body is the commerce.ServiceRequest as JSON; the answer
	// must hold the merchant's reference under the field "id". Without
	// one, requests of its kind are handed to a person (the hand-off
	// notice carries them).
	CancelOrder   Endpoint `yaml:"cancel_order"`
	ChangeAddress Endpoint `yaml:"change_address"`
	Invoice       Endpoint `yaml:"invoice"`

	// StatusMap maps the merchant's order statuses (case-insensitive) to
	// ours, e.g. {"fulfilled": "shipped"}. The key "" gives the status of
	// orders that have none. A status neither mapped nor one of ours is
	// kept as the merchant wrote it.
	StatusMap map[string]string `yaml:"status_map"`
}

// Defaults and limits.
const (
	defaultTimeout = 5 * time.Second
	defaultRetries = 2
	maxRetries     = 10
)

// LogValue implements slog.LogValuer: the configuration without header
// values, which may hold credentials.
func (c Config) LogValue() slog.Value {
	names := make([]string, 0, len(c.Headers))
	for k := range c.Headers {
		names = append(names, k)
	}
	slices.Sort(names)
	eps := []slog.Attr{}
	for _, e := range c.endpoints() {
		if e.ep.configured() {
			eps = append(eps, slog.String(e.spec.name, strings.TrimSpace(e.ep.Method+" "+e.ep.URL)))
		}
	}
	return slog.GroupValue(
		slog.String("base_url", c.BaseURL),
		slog.String("headers", strings.Join(names, ",")),
		slog.Duration("timeout", c.Timeout),
		slog.Int("retries", c.Retries),
		slog.Attr{Key: "endpoints", Value: slog.GroupValue(eps...)},
	)
}

// ParseConfig reads the `http:` mapping of the config file's commerce
// section (a document node holding that mapping is accepted too). Unknown
// keys are errors that give their line; the result still has to pass New.
//
//	commerce:
//	  backend: http
//	  http:
//	    base_url: https://shop.example.com/api
//	    headers: {Authorization: "Bearer ${SHOP_TOKEN}"}
//	    timeout: 5s
//	    retries: 2
//	    status_map: {fulfilled: shipped, "": processing}
//	    order:
//	      url: /orders/{id}.json
//	      records: order
//	      fields: {status: fulfillment_status, lines: line_items, lines.qty: quantity}
//	    orders:   {url: "/orders.json?customer_id={customer_id}", records: orders}
//	    product:  {url: /products/{sku}.json, records: product}
//	    products: {url: /products.json, records: products}
func ParseConfig(node *yaml.Node) (Config, error) {
	if node != nil && node.Kind == yaml.DocumentNode && len(node.Content) == 1 {
		node = node.Content[0]
	}
	if node == nil || node.Kind != yaml.MappingNode {
		return Config{}, fmt.Errorf("commerce http: want a mapping of %s", strings.Join(configKeys, ", "))
	}
	if err := checkKeys(node, configKeys, "commerce http"); err != nil {
		return Config{}, err
	}
	for i := 0; i+1 < len(node.Content); i += 2 {
		k, v := node.Content[i].Value, node.Content[i+1]
		if !slices.Contains(endpointNames, k) {
			continue
		}
		if v.Kind != yaml.MappingNode {
			return Config{}, fmt.Errorf("commerce http: line %d: %s: want a mapping of %s", v.Line, k, strings.Join(endpointKeys, ", "))
		}
		if err := checkKeys(v, endpointKeys, "commerce http "+k); err != nil {
			return Config{}, err
		}
	}
	var c Config
	if err := node.Decode(&c); err != nil {
		return Config{}, fmt.Errorf("commerce http: %w", err)
	}
	return c, nil
}

var (
	configKeys    = []string{"base_url", "headers", "timeout", "retries", "status_map", "customer", "order", "orders", "product", "products", "create_return", "returns", "cancel_order", "change_address", "invoice"}
	endpointNames = []string{"customer", "order", "orders", "product", "products", "create_return", "returns", "cancel_order", "change_address", "invoice"}
	endpointKeys  = []string{"method", "url", "records", "fields"}
)

// checkKeys refuses keys of mapping n that are not in known.
func checkKeys(n *yaml.Node, known []string, where string) error {
	for i := 0; i < len(n.Content); i += 2 {
		k := n.Content[i]
		if !slices.Contains(known, k.Value) {
			return fmt.Errorf("%s: line %d: unknown key %q (known: %s)", where, k.Line, k.Value, strings.Join(known, ", "))
		}
	}
	return nil
}
