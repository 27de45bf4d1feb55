package httpapi

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/shopdesk/shopdesk/commerce"
)

const shopToken = "shpat_0123456789abcdef"

// shopify serves testdata as a Shopify-like admin API for tenant "t1"
// and records the requests it gets.
type shopify struct {
	t    *testing.T
	mu   sync.Mutex
	reqs []seen
}

// seen is a request the fake API got.
type seen struct {
	method, path, contentType string
	body                      []byte
}

// requests returns the requests so far.
func (s *shopify) requests() []seen {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]seen(nil), s.reqs...)
}

func (s *shopify) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	s.mu.Lock()
	s.reqs = append(s.reqs, seen{r.Method, r.URL.Path, r.Header.Get("Content-Type"), body})
	s.mu.Unlock()
	if r.Header.Get("X-Shop-Access-Token") != shopToken {
		http.Error(w, "unauthorized", http.StatusUnauthorized)
		return
	}
	file := ""
	switch p, q := r.URL.Path, r.URL.Query(); {
	case p == "/admin/shops/t1/orders/1001.json":
		file = "order_1001.json"
	case p == "/admin/shops/t1/orders.json" && q.Get("customer_id") == "207119551" && q.Get("page_info") == "":
		w.Header().Set("Link", `<http://`+r.Host+`/admin/shops/t1/orders.json?customer_id=207119551&page_info=2>; rel="next"`)
		file = "orders_page1.json"
	case p == "/admin/shops/t1/orders.json" && q.Get("page_info") == "2":
		w.Header().Add("Link", `<http://`+r.Host+`/admin/shops/t1/orders.json?page_info=1>; rel="previous"`)
		file = "orders_page2.json"
	case p == "/admin/shops/t1/products.json" && q.Get("handle") == "merino-tee":
		io.WriteString(w, `{"products": [{"handle": "merino-tee", "title": "Merino tee", "variants": [{"inventory_quantity": 2}]}]}`)
		return
	case p == "/admin/shops/t1/products.json" && q.Get("handle") != "":
		io.WriteString(w, `{"products": []}`)
		return
	case p == "/admin/shops/t1/products.json" && q.Get("page_info") == "":
		w.Header().Set("Link", `<products.json?page_info=2>; rel="next", <products.json>; rel="first"`)
		file = "products.json"
	case p == "/admin/shops/t1/products.json":
		io.WriteString(w, `{"products": [{"handle": "scarf", "title": "Scarf"}]}`)
		return
	case p == "/admin/shops/t1/customers/207119551.json":
		io.WriteString(w, `{"customer": {"id": 207119551, "email": "ana.silva@example.com", "locale": "pt",
			"default_address": {"name": "Ana Silva", "zip": "94110", "country_code": "US"}}}`)
		return
	case p == "/admin/shops/t1/orders/1001/returns.json" && r.Method == http.MethodGet:
		io.WriteString(w, `{"returns": [{"reference": "R-76", "order_id": "1001", "state": "Refunded", "resolution": "refund",
			"refund": {"amount": "24.50", "processed_at": "2026-08-20 10:00:00"}}, {"reference": "R-X", "order_id": "999", "state": "open"}]}`)
		return
	case p == "/admin/shops/t1/orders/1001/cancel.json" && r.Method == http.MethodPost:
		io.WriteString(w, `{"request": {"reference": "C-5"}}`)
		return
	case p == "/admin/shops/t1/orders/1001/invoices.json" && r.Method == http.MethodPost:
		io.WriteString(w, `{"request": {"reference": "INV-9", "state": "queued"}}`)
		return
	case p == "/admin/shops/t1/orders/1001/returns.json" && r.Method == http.MethodPost:
		w.WriteHeader(http.StatusCreated)
		io.WriteString(w, `{"return": {"reference": "R-77", "state": "open", "created_at": "2026-08-10 08:00:00"}}`)
		return
	default:
		http.NotFound(w, r)
		return
	}
	data, err := os.ReadFile("testdata/" + file)
	if err != nil {
		s.t.Error(err)
	}
	w.Write(data)
}

// newShopify starts the fake API and a Connector configured by
// testdata/shopify.yaml.
func newShopify(t *testing.T) (*Connector, *shopify) {
	t.Helper()
	s := &shopify{t: t}
	srv := httptest.NewServer(s)
	t.Cleanup(srv.Close)
	cfg := loadYAML(t, "testdata/shopify.yaml")
	cfg.BaseURL = srv.URL + "/admin"
	env := map[string]string{"SHOP_TOKEN": shopToken}
	c, err := New(cfg, func(k string) string { return env[k] }, srv.Client())
	if err != nil {
		t.Fatal(err)
	}
	c.sleep = func(context.Context, time.Duration) error { return nil }
	c.now = func() time.Time { return time.Date(2026, 8, 10, 7, 0, 0, 0, time.UTC) }
	return c, s
}

func loadYAML(t *testing.T, path string) Config {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	cfg, err := ParseConfig(&doc)
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

// sameJSON fails unless got and want marshal to the same JSON.
func sameJSON(t *testing.T, got, want any) {
	t.Helper()
	g, _ := json.MarshalIndent(got, "", " ")
	w, _ := json.MarshalIndent(want, "", " ")
	if string(g) != string(w) {
		t.Errorf("got\n%s\nwant\n%s", g, w)
	}
}

func ptr[T any](v T) *T { return &v }

func TestShopifyOrder(t *testing.T) {
	c, _ := newShopify(t)
	got, err := c.Order(t.Context(), "t1", "1001")
	if err != nil {
		t.Fatal(err)
	}
	placed, _ := time.Parse(time.RFC3339, "2026-08-01T10:00:00-04:00")
	want := commerce.Order{
		ID: "1001", CustomerID: "207119551", Email: "ana.silva@example.com", Phone: "+14155550101",
		Status: commerce.StatusShipped, PlacedAt: placed, ShippedAt: ptr(time.Date(2026, 8, 2, 9, 30, 0, 0, time.UTC)),
		Carrier: "UPS", TrackingNumber: "1Z999AA10123456784", Currency: "USD", ShippingPostcode: "94110",
		Lines: []commerce.OrderLine{
			{SKU: "TEE-BLK-M", Name: "Merino tee", Qty: 2, UnitPrice: 49.5},
			{SKU: "CAP-01", Name: "Cap", Qty: 1, UnitPrice: 100},
		},
		Subtotal: 199, Shipping: 10, Total: 209,
	}
	sameJSON(t, got, want)
}

func TestShopifyOrdersFollowsPagesAndSortsNewestFirst(t *testing.T) {
	c, s := newShopify(t)
	got, err := c.Orders(t.Context(), "t1", "207119551")
	if err != nil {
		t.Fatal(err)
	}
	var ids, statuses []string
	for _, o := range got {
		ids, statuses = append(ids, o.ID), append(statuses, o.Status)
	}
	// 1099 belongs to another customer: dropped although the API sent it.
	if strings.Join(ids, ",") != "1002,1001" || strings.Join(statuses, ",") != "processing,shipped" {
		t.Errorf("orders %v statuses %v, want 1002,1001 processing,shipped", ids, statuses)
	}
	if len(got) == 2 && (got[0].Total != 35.5 || got[0].Lines[0].Qty != 3 || got[0].CustomerID != "207119551") {
		t.Errorf("order 1002 = %+v", got[0])
	}
	if n := len(s.requests()); n != 2 {
		t.Errorf("%d requests, want 2 pages", n)
	}
}

func TestShopifyProducts(t *testing.T) {
	c, _ := newShopify(t)
	got, err := c.Products(t.Context(), "t1")
	if err != nil {
		t.Fatal(err)
	}
	want := []commerce.Product{
		{SKU: "merino-tee", Name: "Merino tee", Category: "Shirts", Brand: "Northwind", Description: "Soft.",
			PriceUSD: ptr(49.5), Stock: 7, Tags: []string{"wool", "summer"}, Variants: []commerce.Variant{
				{SKU: "TEE-BLK-M", Color: "Black", Size: "M", Stock: 3},
				{SKU: "TEE-BLK-L", Color: "Black", Size: "L", Stock: 4},
			}},
		// stock given, so not summed; final_sale mapped to "-"; price "" is no price.
		{SKU: "cap", Name: "Cap", Category: "Hats", Brand: "Northwind", Stock: 7, Returnable: true,
			Tags: []string{"sun"}, Variants: []commerce.Variant{{SKU: "CAP-01", Stock: 1}}},
		{SKU: "scarf", Name: "Scarf"},
	}
	sameJSON(t, got, want)
}

func TestShopifyProductFromAList(t *testing.T) {
	c, _ := newShopify(t)
	p, err := c.Product(t.Context(), "t1", "merino-tee")
	if err != nil || p.SKU != "merino-tee" || p.Stock != 2 {
		t.Errorf("Product = %+v, %v; want merino-tee with stock 2", p, err)
	}
	if _, err := c.Product(t.Context(), "t1", "nope"); !errors.Is(err, commerce.ErrNotFound) {
		t.Errorf("empty list: err = %v, want ErrNotFound", err)
	}
}

func TestShopifyCustomer(t *testing.T) {
	c, _ := newShopify(t)
	got, err := c.Customer(t.Context(), "t1", "207119551")
	if err != nil {
		t.Fatal(err)
	}
	sameJSON(t, got, commerce.Customer{ID: "207119551", Name: "Ana Silva", Email: "ana.silva@example.com",
		Postcode: "94110", Country: "US", Language: "pt"})
}

func TestNotFound(t *testing.T) {
	c, s := newShopify(t)
	for name, call := range map[string]func() error{
		"404 order":      func() error { _, err := c.Order(t.Context(), "t1", "4040"); return err },
		"404 customer":   func() error { _, err := c.Customer(t.Context(), "t1", "1"); return err },
		"other tenant":   func() error { _, err := c.Order(t.Context(), "t2", "1001"); return err },
		"dot-dot id":     func() error { _, err := c.Order(t.Context(), "t1", ".."); return err },
		"empty customer": func() error { _, err := c.Orders(t.Context(), "t1", ""); return err },
	} {
		t.Run(name, func(t *testing.T) {
			if err := call(); !errors.Is(err, commerce.ErrNotFound) {
				t.Errorf("err = %v, want ErrNotFound", err)
			}
		})
	}
	for _, r := range s.requests() {
		if strings.Contains(r.path, "..") || strings.HasSuffix(r.path, "/orders/.json") {
			t.Errorf("request sent for a bad key: %s", r.path)
		}
	}
}

func TestCreateReturn(t *testing.T) {
	c, s := newShopify(t)
	r := commerce.ReturnRequest{OrderID: "1001", CustomerID: "207119551", ConversationID: "conv-1",
		Lines: []commerce.ReturnLine{{SKU: "TEE-BLK-M", Qty: 1, ExchangeSKU: "TEE-BLK-L"}}, Reason: "too small",
		Resolution: commerce.ResolutionExchange}
	got, err := c.CreateReturn(t.Context(), "t1", r)
	if err != nil {
		t.Fatal(err)
	}
	want := r
	want.ID, want.Status, want.CreatedAt = "R-77", "open", time.Date(2026, 8, 10, 8, 0, 0, 0, time.UTC)
	sameJSON(t, got, want)

	reqs := s.requests()
	last := reqs[len(reqs)-1]
	var posted commerce.ReturnRequest
	if err := json.Unmarshal(last.body, &posted); err != nil {
		t.Fatalf("posted body: %v", err)
	}
	sent := r
	sent.CreatedAt = c.now()
	sameJSON(t, posted, sent)
	if last.method != http.MethodPost || last.contentType != "application/json" {
		t.Errorf("sent %s with Content-Type %q", last.method, last.contentType)
	}
}

func TestCreateReturnWithoutReference(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, `{"ok": true}`)
	}))
	defer srv.Close()
	cfg := minimalConfig(srv.URL)
	cfg.CreateReturn = Endpoint{URL: "/returns"}
	c := mustNew(t, cfg)
	_, err := c.CreateReturn(t.Context(), "t1", commerce.ReturnRequest{OrderID: "1"})
	if err == nil || !strings.Contains(err.Error(), "no reference id") {
		t.Errorf("err = %v, want one saying there is no reference id", err)
	}
}

func TestEndpointsNotConfigured(t *testing.T) {
	c := mustNew(t, minimalConfig("http://127.0.0.1:1"))
	if _, err := c.CreateReturn(t.Context(), "t1", commerce.ReturnRequest{OrderID: "1"}); !errors.Is(err, ErrNotConfigured) ||
		!strings.Contains(err.Error(), "create_return") {
		t.Errorf("CreateReturn err = %v, want ErrNotConfigured naming create_return", err)
	}
	if _, err := c.Customer(t.Context(), "t1", "1"); !errors.Is(err, ErrNotConfigured) {
		t.Errorf("Customer err = %v, want ErrNotConfigured", err)
	}
}

func TestStatusMapping(t *testing.T) {
	c, err := New(Config{BaseURL: "http://x", Order: Endpoint{URL: "/o/{id}"}, Orders: Endpoint{URL: "/c/{customer_id}"},
		Product: Endpoint{URL: "/p/{sku}"}, Products: Endpoint{URL: "/p"},
		StatusMap: map[string]string{"Fulfilled": "shipped", "": "processing", "in_transit": "shipped"}}, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	for raw, want := range map[string]string{
		"fulfilled": "shipped", "FULFILLED ": "shipped", "": "processing", "in_transit": "shipped",
		"Delivered": "delivered", "on_hold": "on_hold",
	} {
		if got := c.status(raw); got != want {
			t.Errorf("status(%q) = %q, want %q", raw, got, want)
		}
	}
}
