package recommend

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"testing"
	"time"

	"github.com/shopdesk/shopdesk/commerce"
)

// demoOrder is the shape of deploy/demo/commerce/orders.json, which names
// the order ID "order_id".
type demoOrder struct {
	OrderID          string               `json:"order_id"`
	CustomerID       string               `json:"customer_id"`
	Email            string               `json:"email"`
	Status           string               `json:"status"`
	PlacedAt         time.Time            `json:"placed_at"`
	ShippedAt        *time.Time           `json:"shipped_at"`
	DeliveredAt      *time.Time           `json:"delivered_at"`
	Carrier          string               `json:"carrier"`
	TrackingNumber   string               `json:"tracking_number"`
	Currency         string               `json:"currency"`
	ShippingPostcode string               `json:"shipping_postcode"`
	Lines            []commerce.OrderLine `json:"lines"`
	Subtotal         float64              `json:"subtotal"`
	Shipping         float64              `json:"shipping"`
	Total            float64              `json:"total"`
}

func loadDemo(t testing.TB) ([]commerce.Product, []commerce.Order) {
	t.Helper()
	var catalog []commerce.Product
	readJSON(t, "../deploy/demo/knowledge/catalog/products.json", &catalog)
	var file struct{ Orders []demoOrder } // the dates as written, not moved to today
	readJSON(t, "../deploy/demo/commerce/orders.json", &file)
	orders := make([]commerce.Order, len(file.Orders))
	for i, o := range file.Orders {
		orders[i] = commerce.Order{
			ID: o.OrderID, CustomerID: o.CustomerID, Email: o.Email, Status: o.Status,
			PlacedAt: o.PlacedAt, ShippedAt: o.ShippedAt, DeliveredAt: o.DeliveredAt,
			Carrier: o.Carrier, TrackingNumber: o.TrackingNumber, Currency: o.Currency,
			ShippingPostcode: o.ShippingPostcode, Lines: o.Lines,
			Subtotal: o.Subtotal, Shipping: o.Shipping, Total: o.Total,
		}
	}
	if len(catalog) == 0 || len(orders) == 0 {
		t.Fatalf("demo data is empty: %d products, %d orders", len(catalog), len(orders))
	}
	return catalog, orders
}

func readJSON(t testing.TB, path string, v any) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("read demo data: %v", err)
	}
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatalf("decode %s: %v", path, err)
	}
}

func TestDemoHitRate(t *testing.T) {
	catalog, orders := loadDemo(t)
	const k = 5
	for _, tc := range []struct {
		name string
		past bool
	}{
		{"leave-one-out", false},
		{"past-only", true},
	} {
		r, err := evaluate(catalog, orders, k, tc.past)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		msg := fmt.Sprintf("demo hit rate@%d (%s): Recommend %.2f (%d/%d), Popular %.2f (%d/%d), %d skipped",
			k, tc.name, r.RecommendHitRate, r.RecommendHits, r.Customers,
			r.PopularHitRate, r.PopularHits, r.Customers, r.Skipped)
		t.Log(msg)
		fmt.Println(msg)
		if r.Customers != 11 {
			t.Errorf("%s: evaluated %d customers, want the 11 with two or more orders", tc.name, r.Customers)
		}
		if r.RecommendHits < r.PopularHits {
			t.Errorf("%s: Recommend hits %d < Popular hits %d", tc.name, r.RecommendHits, r.PopularHits)
		}
	}
	// The headline protocol, as measured when this test was written.
	r, err := Evaluate(catalog, orders, k)
	if err != nil {
		t.Fatal(err)
	}
	if r.RecommendHits < 4 || r.RecommendHits <= r.PopularHits {
		t.Errorf("Recommend hits %d/%d, Popular %d; measured 4 and 1", r.RecommendHits, r.Customers, r.PopularHits)
	}
}

func TestEvaluateErrors(t *testing.T) {
	catalog := []commerce.Product{product("A", "x", 1), product("B", "x", 1)}
	day := func(d int) time.Time { return time.Date(2026, 1, d, 0, 0, 0, 0, time.UTC) }
	oneEach := []commerce.Order{
		{ID: "1", CustomerID: "C1", PlacedAt: day(1), Lines: lines("A")},
		{ID: "2", CustomerID: "C2", PlacedAt: day(2), Lines: lines("B")},
	}
	if _, err := Evaluate(catalog, oneEach, 5); !errors.Is(err, ErrNothingToEvaluate) {
		t.Errorf("one order per customer: err = %v, want ErrNothingToEvaluate", err)
	}
	if _, err := Evaluate(catalog, oneEach, 0); err == nil {
		t.Error("k = 0: no error")
	}
	repeat := []commerce.Order{
		{ID: "1", CustomerID: "C1", PlacedAt: day(1), Lines: lines("A")},
		{ID: "2", CustomerID: "C1", PlacedAt: day(2), Lines: lines("A-RED")},
		{ID: "3", CustomerID: "C1", PlacedAt: day(3), Status: commerce.StatusCancelled, Lines: lines("B")},
	}
	r, err := Evaluate(catalog, repeat, 5)
	if !errors.Is(err, ErrNothingToEvaluate) || r.Skipped != 1 {
		t.Errorf("repeat purchase, cancelled last: report %+v, err %v; want 1 skipped and ErrNothingToEvaluate", r, err)
	}
}

func TestEvaluateHidesLastOrder(t *testing.T) {
	catalog := []commerce.Product{product("A", "x", 1), product("B", "y", 0), product("C", "z", 1)}
	day := func(d int) time.Time { return time.Date(2026, 1, d, 0, 0, 0, 0, time.UTC) }
	orders := []commerce.Order{
		// C1 bought A, then B, which is now out of stock.
		{ID: "2", CustomerID: "C1", PlacedAt: day(2), Lines: lines("B")},
		{ID: "1", CustomerID: "C1", PlacedAt: day(1), Lines: lines("A")},
		// Another shopper bought A with B, and C alone twice.
		{ID: "3", CustomerID: "C2", PlacedAt: day(3), Lines: lines("A", "B")},
		{ID: "4", CustomerID: "C3", PlacedAt: day(4), Lines: lines("C")},
		{ID: "5", Email: "Guest@example.com", PlacedAt: day(5), Lines: lines("C")},
	}
	r, err := Evaluate(catalog, orders, 1)
	if err != nil {
		t.Fatal(err)
	}
	// Stock is ignored, so B is predictable from co-purchase; Popular
	// picks C (two orders against B's one once the hidden order is out).
	want := Report{K: 1, Customers: 1, RecommendHits: 1, RecommendHitRate: 1}
	if r != want {
		t.Errorf("report = %+v, want %+v", r, want)
	}
}
