package sqlstore

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"reflect"
	"testing"
)

// fuzzKinds and fuzzFormats are what FuzzImport's first two bytes pick.
var (
	fuzzKinds   = []Kind{Orders, Products, Customers, "nonsense"}
	fuzzFormats = []string{"", "csv", "json", "jsonl"}
)

// FuzzImport checks that no file makes Import panic, that a failed file
// stores nothing, that a re-import finds every record unchanged, and that
// whatever was stored reads back.
func FuzzImport(f *testing.F) {
	for _, path := range []string{"testdata/orders_lines.csv", "testdata/shopify_products.csv"} {
		b, err := os.ReadFile(path)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(uint8(0), uint8(1), b)
		f.Add(uint8(1), uint8(1), b)
	}
	f.Add(uint8(0), uint8(2), []byte("["+goodOrder+"]"))
	f.Add(uint8(0), uint8(3), []byte(goodOrder+"\n{\"id\":\"B\",\"placed_at\":\"2026-01-01\",\"lines\":[{\"sku\":\"S\",\"qty\":-1}]}\n"))
	f.Add(uint8(1), uint8(2), []byte(`{"products":[{"sku":"P","price_usd":null,"variants":[{"sku":"V","stock":"3"}]}]}`))
	f.Add(uint8(2), uint8(1), []byte("customer_id;name;email\nC1;Ann;a@example.com\n"))
	f.Add(uint8(2), uint8(0), []byte("id,name\nC1,\"Bob\n"))
	f.Add(uint8(0), uint8(1), []byte("order_id,placed_at,sku,qty,unit_price\nA,2026-01-01,S,1,1e308\nA,2026-01-01,T,1000000000,1e12\n"))

	s := newStore(f)
	n := 0
	f.Fuzz(func(t *testing.T, kindSel, formatSel uint8, data []byte) {
		ctx := context.Background()
		kind := fuzzKinds[int(kindSel)%len(fuzzKinds)]
		format := fuzzFormats[int(formatSel)%len(fuzzFormats)]
		n++
		tn := fmt.Sprintf("f%d", n)
		res, err := s.Import(ctx, tn, kind, "fuzz.dat", bytes.NewReader(data), format, nil)
		stored := stored(t, s, tn)
		if err != nil {
			if stored != 0 {
				t.Fatalf("failed import (%v) stored %d records", err, stored)
			}
			return
		}
		if res.Updated != 0 || res.Unchanged != 0 || res.Added != stored {
			t.Fatalf("first import into a new tenant = %+v, %d records stored", res, stored)
		}
		again, err := s.Import(ctx, tn, kind, "fuzz.dat", bytes.NewReader(data), format, nil)
		if err != nil || again.Unchanged != res.Added || again.Added+again.Updated != 0 ||
			len(again.Problems) != len(res.Problems) {
			t.Fatalf("re-import = %+v, %v; first %+v", again, err, res)
		}
	})
}

// stored reads back everything tenant tn has, failing t if any record
// does not decode, and returns how many records there are.
func stored(t *testing.T, s *Store, tn string) int {
	ctx := context.Background()
	orders, err := s.AllOrders(ctx, tn)
	if err != nil {
		t.Fatalf("AllOrders: %v", err)
	}
	for _, o := range orders {
		one, err := s.Order(ctx, tn, o.ID)
		if err != nil || !reflect.DeepEqual(one, o) {
			t.Fatalf("Order(%q) = %+v, %v; listed as %+v", o.ID, one, err, o)
		}
	}
	products, err := s.Products(ctx, tn)
	if err != nil {
		t.Fatalf("Products: %v", err)
	}
	for _, p := range products {
		if _, err := s.Product(ctx, tn, p.SKU); err != nil {
			t.Fatalf("Product(%q): %v", p.SKU, err)
		}
	}
	rows, err := s.db.QueryContext(ctx, `SELECT id FROM customers WHERE tenant = ?`, tn)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, id)
	}
	rows.Close()
	for _, id := range ids {
		if c, err := s.Customer(ctx, tn, id); err != nil || c.ID != id {
			t.Fatalf("Customer(%q) = %+v, %v", id, c, err)
		}
	}
	return len(orders) + len(products) + len(ids)
}
