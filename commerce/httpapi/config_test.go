package httpapi

import (
	"strings"
	"testing"
	"time"

	"go.yaml.in/yaml/v3"
)

func TestParseConfig(t *testing.T) {
	cfg := loadYAML(t, "testdata/shopify.yaml")
	if cfg.Timeout != 2*time.Second || cfg.Retries != 1 || cfg.StatusMap["fulfilled"] != "shipped" ||
		cfg.Headers["X-Shop-Access-Token"] != "${SHOP_TOKEN}" {
		t.Errorf("top level: %+v", cfg)
	}
	// The YAML alias shares the order fields with orders.
	if cfg.Orders.Fields["lines.qty"] != "quantity" || cfg.Order.Records != "order" || cfg.CreateReturn.Fields["id"] != "reference" {
		t.Errorf("endpoints: order %+v orders %+v", cfg.Order, cfg.Orders)
	}
}

func TestParseConfigErrors(t *testing.T) {
	for _, tc := range []struct{ name, yaml, want string }{
		{"unknown key", "base_url: http://x\ntimout: 5s\n", `line 2: unknown key "timout"`},
		{"unknown endpoint key", "order:\n  url: /o/{id}\n  record: order\n", `commerce http order: line 3: unknown key "record"`},
		{"endpoint not a mapping", "order: /o/{id}\n", "order: want a mapping"},
		{"bad duration", "timeout: soon\n", "commerce http:"},
		{"not a mapping", "- a\n", "want a mapping"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var doc yaml.Node
			if err := yaml.Unmarshal([]byte(tc.yaml), &doc); err != nil {
				t.Fatal(err)
			}
			_, err := ParseConfig(&doc)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("err = %v, want %q", err, tc.want)
			}
		})
	}
	if _, err := ParseConfig(nil); err == nil {
		t.Error("nil node accepted")
	}
}

func TestNewValidates(t *testing.T) {
	for _, tc := range []struct {
		name string
		edit func(*Config)
		want string
	}{
		{"ftp base", func(c *Config) { c.BaseURL = "ftp://shop" }, "http:// or https://"},
		{"no base", func(c *Config) { c.BaseURL = "" }, "base_url"},
		{"credentials in base", func(c *Config) { c.BaseURL = "https://u:p@shop" }, "credentials"},
		{"missing order", func(c *Config) { c.Order = Endpoint{} }, "the order endpoint is required"},
		{"missing products", func(c *Config) { c.Products = Endpoint{} }, "the products endpoint is required"},
		{"unknown placeholder", func(c *Config) { c.Order.URL = "/o/{order}" }, "order: url: unknown placeholder {order}"},
		{"placeholder of another endpoint", func(c *Config) { c.Products.URL = "/p/{sku}" }, "products: url: unknown placeholder {sku}"},
		{"lookup without its key", func(c *Config) { c.Product.URL = "/p/{tenant}" }, "product: url must contain {sku}"},
		{"absolute endpoint url", func(c *Config) { c.Order.URL = "https://evil/o/{id}" }, "relative to base_url"},
		{"lookup by POST", func(c *Config) { c.Order.Method = "POST" }, "lookups use GET"},
		{"return by GET", func(c *Config) { c.CreateReturn = Endpoint{URL: "/r", Method: "get"} }, "use POST, PUT or PATCH"},
		{"unknown field", func(c *Config) { c.Order.Fields = map[string]string{"tracking": "t"} }, `"tracking" is not a field of commerce.Order`},
		{"unknown nested field", func(c *Config) { c.Products.Fields = map[string]string{"variants.qty": "q"} }, `"variants.qty" is not a field of commerce.Product`},
		{"empty field path", func(c *Config) { c.Order.Fields = map[string]string{"status": " "} }, "empty path"},
		{"status to unknown", func(c *Config) { c.StatusMap = map[string]string{"fulfilled": "sent"} }, `maps to "sent"`},
		{"tiny timeout", func(c *Config) { c.Timeout = 5 }, "at least 1ms"},
		{"too many retries", func(c *Config) { c.Retries = 50 }, "at most 10"},
		{"bad header name", func(c *Config) { c.Headers = map[string]string{"X Bad": "v"} }, "not a valid header name"},
		{"header line break", func(c *Config) { c.Headers = map[string]string{"X-A": "a\r\nX-B: b"} }, "line break"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg := minimalConfig("https://shop.example.com/api")
			tc.edit(&cfg)
			_, err := New(cfg, nil, nil)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("err = %v, want %q", err, tc.want)
			}
		})
	}
}

func TestNewDefaults(t *testing.T) {
	cfg := minimalConfig("https://shop.example.com/api/")
	cfg.Order.Fields = map[string]string{"lines.unit_price": "price", "shipped_at": "-"}
	c, err := New(cfg, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if c.timeout != defaultTimeout || c.retries != defaultRetries || c.customer != nil || c.createReturn != nil {
		t.Errorf("defaults: timeout %s retries %d", c.timeout, c.retries)
	}
	if c.order.url != "https://shop.example.com/api/orders/{id}" || c.order.method != "GET" {
		t.Errorf("order endpoint %+v", c.order)
	}
	cfg.Retries = -1
	if c, _ := New(cfg, nil, nil); c.retries != 0 {
		t.Errorf("retries -1 gives %d retries, want none", c.retries)
	}
}
