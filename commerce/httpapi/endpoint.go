package httpapi

import (
	"fmt"
	"net/http"
	"net/url"
	"reflect"
	"regexp"
	"slices"
	"strings"

	"github.com/shopdesk/shopdesk/commerce"
)

// spec is what New checks an Endpoint against.
type spec struct {
	name   string       // config key, and the name in errors
	record reflect.Type // the commerce type its records become
	method string       // default method
	// vars are the placeholders the URL may use besides {tenant}; the
	// URL must use at least one of them when key is set.
	vars []string
	key  bool
}

// configuredEndpoint pairs an Endpoint with its spec.
type configuredEndpoint struct {
	spec spec
	ep   Endpoint
}

// endpoints lists c's endpoints in a fixed order.
func (c Config) endpoints() []configuredEndpoint {
	get := http.MethodGet
	return []configuredEndpoint{
		{spec{"customer", reflect.TypeFor[commerce.Customer](), get, []string{"id", "customer_id"}, true}, c.Customer},
		{spec{"order", reflect.TypeFor[commerce.Order](), get, []string{"id", "order_id"}, true}, c.Order},
		{spec{"orders", reflect.TypeFor[commerce.Order](), get, []string{"customer_id"}, true}, c.Orders},
		{spec{"product", reflect.TypeFor[commerce.Product](), get, []string{"sku", "id"}, true}, c.Product},
		{spec{"products", reflect.TypeFor[commerce.Product](), get, nil, false}, c.Products},
		{spec{"create_return", reflect.TypeFor[commerce.ReturnRequest](), http.MethodPost, []string{"order_id", "customer_id"}, false}, c.CreateReturn},
		{spec{"returns", reflect.TypeFor[commerce.ReturnRequest](), get, []string{"order_id"}, true}, c.Returns},
		{spec{"cancel_order", reflect.TypeFor[commerce.ServiceRequest](), http.MethodPost, []string{"order_id", "customer_id"}, false}, c.CancelOrder},
		{spec{"change_address", reflect.TypeFor[commerce.ServiceRequest](), http.MethodPost, []string{"order_id", "customer_id"}, false}, c.ChangeAddress},
		{spec{"invoice", reflect.TypeFor[commerce.ServiceRequest](), http.MethodPost, []string{"order_id", "customer_id"}, false}, c.Invoice},
	}
}

// endpoint is a validated Endpoint, ready to call.
type endpoint struct {
	name    string
	method  string
	url     string // base URL joined with the template
	records string
	fields  map[string]string
}

var placeholder = regexp.MustCompile(`\{([^{}]*)\}`)

// compile validates e against s and joins its URL to base.
func compile(s spec, e Endpoint, base *url.URL) (*endpoint, error) {
	method := strings.ToUpper(strings.TrimSpace(e.Method))
	if method == "" {
		method = s.method
	}
	if s.method == http.MethodGet && method != http.MethodGet {
		return nil, fmt.Errorf("%s: method %q: lookups use GET", s.name, e.Method)
	}
	if s.method != http.MethodGet && method != http.MethodPost && method != http.MethodPut && method != http.MethodPatch {
		return nil, fmt.Errorf("%s: method %q: use POST, PUT or PATCH", s.name, e.Method)
	}
	if strings.Contains(e.URL, "://") || strings.HasPrefix(e.URL, "//") {
		return nil, fmt.Errorf("%s: url must be a path relative to base_url", s.name)
	}
	allowed := append([]string{"tenant"}, s.vars...)
	usesKey := false
	for _, m := range placeholder.FindAllStringSubmatch(e.URL, -1) {
		if !slices.Contains(allowed, m[1]) {
			return nil, fmt.Errorf("%s: url: unknown placeholder {%s} (allowed: {%s})", s.name, m[1], strings.Join(allowed, "}, {"))
		}
		usesKey = usesKey || m[1] != "tenant"
	}
	if s.key && !usesKey {
		return nil, fmt.Errorf("%s: url must contain {%s}", s.name, s.vars[0])
	}
	joined := strings.TrimSuffix(base.String(), "/") + "/" + strings.TrimPrefix(e.URL, "/")
	if _, err := url.Parse(placeholder.ReplaceAllString(joined, "x")); err != nil {
		return nil, fmt.Errorf("%s: url is not a valid URL path", s.name)
	}
	known := map[string]bool{}
	fieldNames(s.record, "", known)
	for k, path := range e.Fields {
		if !known[k] {
			return nil, fmt.Errorf("%s: fields: %q is not a field of commerce.%s", s.name, k, s.record.Name())
		}
		if strings.TrimSpace(path) == "" {
			return nil, fmt.Errorf("%s: fields: %q has an empty path (use \"-\" to skip the field)", s.name, k)
		}
	}
	return &endpoint{name: s.name, method: method, url: joined, records: e.Records, fields: e.Fields}, nil
}

// expand fills the URL template. Values are percent-encoded except for
// unreserved characters, so they can change neither the path nor the
// query. Values that are empty, "." or ".." are commerce.ErrNotFound
// without a request, since a server may resolve them to another resource.
func (e *endpoint) expand(vars map[string]string) (string, error) {
	bad := ""
	u := placeholder.ReplaceAllStringFunc(e.url, func(m string) string {
		name := m[1 : len(m)-1]
		v := vars[name]
		if strings.Trim(v, ".") == "" && bad == "" {
			bad = name
		}
		return escape(v)
	})
	if bad != "" {
		return "", fmt.Errorf("{%s} is empty or dot-only: %w", bad, commerce.ErrNotFound)
	}
	return u, nil
}

// escape percent-encodes everything but RFC 3986 unreserved characters.
func escape(s string) string {
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	for i := range len(s) {
		c := s[i]
		if 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-' || c == '.' || c == '_' || c == '~' {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hex[c>>4])
		b.WriteByte(hex[c&15])
	}
	return b.String()
}

var envVar = regexp.MustCompile(`\$\{([A-Za-z_][A-Za-z0-9_]*)\}`)

// expandHeaders replaces ${VAR} in header values from getenv. Errors name
// the header and variable, never a value.
func expandHeaders(h map[string]string, getenv func(string) string) (http.Header, error) {
	out := http.Header{}
	for name, tmpl := range h {
		if name == "" || strings.ContainsAny(name, " \t\r\n:\x00") {
			return nil, fmt.Errorf("headers: %q is not a valid header name", name)
		}
		var missing string
		v := envVar.ReplaceAllStringFunc(tmpl, func(m string) string {
			key := m[2 : len(m)-1]
			val := ""
			if getenv != nil {
				val = getenv(key)
			}
			if val == "" && missing == "" {
				missing = key
			}
			return val
		})
		if missing != "" {
			return nil, fmt.Errorf("headers: %s: environment variable %s is not set", name, missing)
		}
		if strings.ContainsAny(v, "\r\n\x00") {
			return nil, fmt.Errorf("headers: %s: value holds a line break or NUL", name)
		}
		out.Set(name, v)
	}
	return out, nil
}

// sameOrigin reports whether u is on base's scheme, host and port.
func sameOrigin(u, base *url.URL) bool {
	return strings.EqualFold(u.Scheme, base.Scheme) && strings.EqualFold(u.Host, base.Host)
}
