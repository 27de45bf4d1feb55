package sqlstore

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/shopdesk/shopdesk/commerce"
	"github.com/shopdesk/shopdesk/sqlite"
)

// fixedNow is the clock of test stores.
var fixedNow = time.Date(2026, 12, 1, 9, 30, 0, 123456789, time.UTC)

// newStore opens a Store over a fresh database file.
func newStore(t testing.TB) *Store {
	t.Helper()
	db, err := sqlite.Open(filepath.Join(t.TempDir(), "shopdesk.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	s, err := Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	s.now = func() time.Time { return fixedNow }
	return s
}

// importString imports src and fails the test on an error.
func importString(t *testing.T, s *Store, tn string, kind Kind, name, src string, m Mapping) ImportResult {
	t.Helper()
	res, err := s.Import(context.Background(), tn, kind, name, strings.NewReader(src), "", m)
	if err != nil {
		t.Fatalf("import %s: %v", name, err)
	}
	return res
}

// importFile imports a file by path, named by its base name.
func importFile(t *testing.T, s *Store, tn string, kind Kind, path string, m Mapping) ImportResult {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	res, err := s.Import(context.Background(), tn, kind, filepath.Base(path), f, "", m)
	if err != nil {
		t.Fatalf("import %s: %v", path, err)
	}
	return res
}

func TestOpenTwice(t *testing.T) {
	db, err := sqlite.Open(filepath.Join(t.TempDir(), "shopdesk.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for range 2 {
		if _, err := Open(context.Background(), db); err != nil {
			t.Fatal(err)
		}
	}
}

func TestTenantIsolation(t *testing.T) {
	ctx := context.Background()
	s := newStore(t)
	importFile(t, s, "acme", Customers, "../../deploy/demo/commerce/customers.csv", nil)
	importFile(t, s, "acme", Orders, "../../deploy/demo/commerce/orders.json", nil)
	importFile(t, s, "acme", Products, "../../deploy/demo/knowledge/catalog/products.json", nil)

	if _, err := s.Order(ctx, "acme", "HL-100101"); err != nil {
		t.Fatalf("acme's own order: %v", err)
	}
	if _, err := s.Order(ctx, "other", "HL-100101"); !errors.Is(err, commerce.ErrNotFound) {
		t.Errorf("other tenant Order = %v, want ErrNotFound", err)
	}
	if _, err := s.Customer(ctx, "other", "C001"); !errors.Is(err, commerce.ErrNotFound) {
		t.Errorf("other tenant Customer = %v, want ErrNotFound", err)
	}
	if _, err := s.Product(ctx, "other", "HL-JKT-001"); !errors.Is(err, commerce.ErrNotFound) {
		t.Errorf("other tenant Product = %v, want ErrNotFound", err)
	}
	if got, err := s.Orders(ctx, "other", "C002"); err != nil || len(got) != 0 {
		t.Errorf("other tenant Orders = %d, %v; want none", len(got), err)
	}
	if got, err := s.AllOrders(ctx, "other"); err != nil || len(got) != 0 {
		t.Errorf("other tenant AllOrders = %d, %v; want none", len(got), err)
	}
	if got, err := s.Products(ctx, "other"); err != nil || len(got) != 0 {
		t.Errorf("other tenant Products = %d, %v; want none", len(got), err)
	}
	r := commerce.ReturnRequest{OrderID: "HL-100101", Lines: []commerce.ReturnLine{{SKU: "HL-HLM-001-BLK-OS", Qty: 1}}}
	if _, err := s.CreateReturn(ctx, "other", r); !errors.Is(err, commerce.ErrNotFound) {
		t.Errorf("other tenant CreateReturn = %v, want ErrNotFound", err)
	}

	// The same ids in another tenant are separate records.
	importString(t, s, "other", Orders, "o.json", `[{"id":"HL-100101","customer_id":"C002","placed_at":"2026-01-01",
		"lines":[{"sku":"X","qty":1,"unit_price":1}]}]`, nil)
	mine, err := s.Order(ctx, "acme", "HL-100101")
	if err != nil || len(mine.Lines) != 2 || mine.CustomerID != "C001" {
		t.Errorf("acme's order changed by another tenant's import: %+v, %v", mine, err)
	}
	if got, _ := s.Orders(ctx, "acme", "C002"); len(got) != 4 {
		t.Errorf("acme Orders(C002) = %d, want 4", len(got))
	}
	if _, err := s.Order(ctx, "bad tenant!", "HL-100101"); err == nil {
		t.Error("an invalid tenant was accepted")
	}
}

func TestReimportReplacesLines(t *testing.T) {
	ctx := context.Background()
	s := newStore(t)
	three := `[{"order_id":"A-1","customer_id":"C1","placed_at":"2026-03-01T10:00:00+08:00","lines":[
		{"sku":"S-1","qty":1,"unit_price":5},{"sku":"S-2","qty":2,"unit_price":5},{"sku":"S-3","qty":3,"unit_price":5}]}]`
	if res := importString(t, s, "t1", Orders, "a.json", three, nil); res.Added != 1 {
		t.Fatalf("first import: %+v", res)
	}
	o, err := s.Order(ctx, "t1", "A-1")
	if err != nil || len(o.Lines) != 3 || o.Subtotal != 30 || o.Total != 30 {
		t.Fatalf("after first import: %+v, %v", o, err)
	}
	if want := time.Date(2026, 3, 1, 2, 0, 0, 0, time.UTC); !o.PlacedAt.Equal(want) || o.PlacedAt.Location() != time.UTC {
		t.Errorf("PlacedAt = %v, want %v in UTC", o.PlacedAt, want)
	}
	if res := importString(t, s, "t1", Orders, "a.json", three, nil); res.Unchanged != 1 || res.Added+res.Updated != 0 {
		t.Errorf("identical re-import: %+v, want 1 unchanged", res)
	}
	one := `[{"order_id":"A-1","customer_id":"C1","status":"shipped","placed_at":"2026-03-01T10:00:00+08:00",
		"lines":[{"sku":"S-9","qty":1,"unit_price":7}]}]`
	if res := importString(t, s, "t1", Orders, "a.json", one, nil); res.Updated != 1 {
		t.Errorf("changed re-import: %+v, want 1 updated", res)
	}
	o, err = s.Order(ctx, "t1", "A-1")
	if err != nil || len(o.Lines) != 1 || o.Lines[0].SKU != "S-9" || o.Status != commerce.StatusShipped {
		t.Errorf("after re-import: %+v, %v; want the one new line", o, err)
	}
	var n int
	if err := s.db.QueryRow(`SELECT COUNT(*) FROM order_lines WHERE tenant = 't1'`).Scan(&n); err != nil || n != 1 {
		t.Errorf("order_lines rows = %d, %v; want 1", n, err)
	}
}

func TestCSVOrdersGrouped(t *testing.T) {
	ctx := context.Background()
	s := newStore(t)
	res := importFile(t, s, "t1", Orders, "testdata/orders_lines.csv", nil)
	if res.Added != 2 || len(res.Problems) != 0 {
		t.Fatalf("import = %+v, want 2 added", res)
	}
	o, err := s.Order(ctx, "t1", "A-1")
	if err != nil {
		t.Fatal(err)
	}
	want := []commerce.OrderLine{{SKU: "S-1", Name: "Sock", Qty: 2, UnitPrice: 10.5}, {SKU: "S-3", Name: "Glove", Qty: 1, UnitPrice: 9}}
	if !reflect.DeepEqual(o.Lines, want) {
		t.Errorf("lines = %+v, want %+v", o.Lines, want)
	}
	if o.Subtotal != 30 || o.Shipping != 5 || o.Total != 35 || o.Currency != "USD" || o.Status != commerce.StatusProcessing {
		t.Errorf("order = %+v", o)
	}
	list, err := s.Orders(ctx, "t1", "C1")
	if err != nil || len(list) != 2 || list[0].ID != "A-2" || list[0].Status != commerce.StatusShipped {
		t.Errorf("Orders = %+v, %v; want A-2 (shipped) first", list, err)
	}
	if res := importFile(t, s, "t1", Orders, "testdata/orders_lines.csv", nil); res.Unchanged != 2 {
		t.Errorf("re-import = %+v, want 2 unchanged", res)
	}
}

func TestCreateReturnRoundTrip(t *testing.T) {
	ctx := context.Background()
	s := newStore(t)
	importFile(t, s, "acme", Orders, "../../deploy/demo/commerce/orders.json", nil)
	r := commerce.ReturnRequest{OrderID: "HL-100104", ConversationID: "conv-1", Reason: "  too warm  ",
		Resolution: commerce.ResolutionExchange,
		Lines:      []commerce.ReturnLine{{SKU: "HL-SCK-001-GRY-L", Qty: 2, ExchangeSKU: "HL-SCK-001-GRY-M"}}}
	got, err := s.CreateReturn(ctx, "acme", r)
	if err != nil {
		t.Fatal(err)
	}
	if !regexp.MustCompile(`^RMA-[A-Z2-7]{8}$`).MatchString(got.ID) {
		t.Errorf("ID = %q, want RMA- and 8 base32 characters", got.ID)
	}
	if got.Status != StatusRequested || got.CustomerID != "C002" || got.Reason != "too warm" ||
		!got.CreatedAt.Equal(fixedNow.Truncate(time.Millisecond)) {
		t.Errorf("created = %+v", got)
	}
	second, err := s.CreateReturn(ctx, "acme", commerce.ReturnRequest{OrderID: "HL-100104",
		Lines: []commerce.ReturnLine{{SKU: "HL-SCK-001-GRY-L", Qty: 1}}})
	if err != nil || second.ID == got.ID || second.Resolution != commerce.ResolutionRefund {
		t.Fatalf("second return = %+v, %v", second, err)
	}
	list, err := s.Returns(ctx, "acme", "HL-100104")
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 2 || !reflect.DeepEqual(list[0], got) && !reflect.DeepEqual(list[1], got) {
		t.Errorf("Returns = %+v, want it to hold %+v", list, got)
	}
	if other, err := s.Returns(ctx, "other", "HL-100104"); err != nil || len(other) != 0 {
		t.Errorf("other tenant Returns = %+v, %v", other, err)
	}

	for _, tc := range []struct {
		name string
		r    commerce.ReturnRequest
		want string
	}{
		{"unknown order", commerce.ReturnRequest{OrderID: "nope", Lines: []commerce.ReturnLine{{SKU: "A", Qty: 1}}}, "not found"},
		{"no lines", commerce.ReturnRequest{OrderID: "HL-100104"}, "no lines"},
		{"sku not ordered", commerce.ReturnRequest{OrderID: "HL-100104", Lines: []commerce.ReturnLine{{SKU: "HL-X", Qty: 1}}}, "not in the order"},
		{"too many", commerce.ReturnRequest{OrderID: "HL-100104", Lines: []commerce.ReturnLine{{SKU: "HL-SCK-001-GRY-L", Qty: 4}}}, "3 ordered"},
		{"zero qty", commerce.ReturnRequest{OrderID: "HL-100104", Lines: []commerce.ReturnLine{{SKU: "HL-SCK-001-GRY-L"}}}, "below 1"},
		{"exchange without sku", commerce.ReturnRequest{OrderID: "HL-100104", Resolution: commerce.ResolutionExchange,
			Lines: []commerce.ReturnLine{{SKU: "HL-SCK-001-GRY-L", Qty: 1}}}, "replacement SKU"},
		{"bad resolution", commerce.ReturnRequest{OrderID: "HL-100104", Resolution: "store credit",
			Lines: []commerce.ReturnLine{{SKU: "HL-SCK-001-GRY-L", Qty: 1}}}, "resolution"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := s.CreateReturn(ctx, "acme", tc.r)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("err = %v, want one containing %q", err, tc.want)
			}
		})
	}
	if list, _ := s.Returns(ctx, "acme", "HL-100104"); len(list) != 2 {
		t.Errorf("rejected returns were stored: %d", len(list))
	}
}
