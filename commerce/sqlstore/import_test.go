package sqlstore

import (
	"context"
	"io"
	"strings"
	"testing"

	"github.com/shopdesk/shopdesk/commerce"
)

// goodOrder is a valid order, for files that mix good and bad records.
const goodOrder = `{"order_id": "OK-1", "customer_id": "C1", "placed_at": "2026-01-01", "lines": [{"sku": "S", "qty": 1, "unit_price": 2}]}`

func TestImportFileErrors(t *testing.T) {
	for _, tc := range []struct {
		name, file, format, src string
		kind                    Kind
		m                       Mapping
		want                    string // in the error
	}{
		{name: "empty", file: "c.csv", src: "", kind: Customers, want: "c.csv: the file is empty"},
		{name: "blank", file: "c.json", src: " \n\t\n", kind: Customers, want: "c.json: the file is empty"},
		{name: "bom only", file: "c.csv", src: "\xef\xbb\xbf", kind: Customers, want: "empty"},
		{name: "unknown kind", file: "x.json", src: "[]", kind: "invoices", want: `x.json: unknown kind "invoices"`},
		{name: "unknown format", file: "x.json", format: "xml", src: "[]", kind: Orders, want: `unknown format "xml"`},
		{name: "unknown mapping field", file: "c.csv", src: "id\nC1\n", kind: Customers, m: Mapping{"emial": "Email"}, want: `"emial" is not a field`},
		{name: "empty mapping target", file: "c.csv", src: "id\nC1\n", kind: Customers, m: Mapping{"email": " "}, want: "maps to nothing"},
		{name: "binary", file: "o.json", src: "[\x00\x01]", kind: Orders, want: "not a text file"},
		{name: "not JSON", file: "o.json", src: "hello, world", kind: Orders, want: "o.json: not a JSON array or object"},
		{name: "JSON scalar", file: "o.json", src: "42", kind: Orders, want: "not a JSON array or object"},
		{name: "truncated JSON", file: "o.json", src: "[" + goodOrder + `, {"order_id": "X",`, kind: Orders, want: "o.json: record 2"},
		{name: "JSON syntax", file: "o.json", src: "[\n" + goodOrder + ",\n{\"order_id\" \"X\"}]", kind: Orders, want: "o.json: record 2: line 3 column"},
		{name: "JSON trailing garbage", file: "o.json", src: "[" + goodOrder + "] x", kind: Orders, want: "after the end"},
		{name: "JSON object syntax", file: "o.json", src: `{"orders": [` + goodOrder, kind: Orders, want: "o.json"},
		{name: "JSON lines all garbage", file: "o.jsonl", src: "a,b\nc,d\n", kind: Orders, want: "o.jsonl: not JSON lines"},
		{name: "CSV unclosed quote", file: "c.csv", src: "id,name\nC1,\"Bob\nC2,Ann\n", kind: Customers, want: "c.csv:2: extraneous or missing"},
		{name: "CSV bare quote", file: "c.csv", src: "id,name\nC1,Bo\"b\n", kind: Customers, want: "c.csv:2: bare"},
		{name: "CSV bad header", file: "c.csv", src: "id,\"na\"me\nC1,Bob\n", kind: Customers, want: "c.csv: header"},
		{name: "CSV no id column", file: "c.csv", src: "name,email\nBob,b@example.com\n", kind: Customers, want: "c.csv: no id column"},
		{name: "CSV no sku column", file: "p.csv", src: "title,price\nHat,3\n", kind: Products, want: "p.csv: no sku column"},
		{name: "CSV mapped column missing", file: "c.csv", src: "id,email\nC1,a@example.com\n", kind: Customers,
			m: Mapping{"email": "E-Mail Address"}, want: `no column "E-Mail Address"`},
		{name: "CSV given to JSON reader", file: "c.txt", format: "json", src: "id,name\nC1,Bob\n", kind: Customers, want: "not a JSON array"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := newStore(t)
			res, err := s.Import(context.Background(), "t1", tc.kind, tc.file, strings.NewReader(tc.src), tc.format, tc.m)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want one containing %q (result %+v)", err, tc.want, res)
			}
			if all, _ := s.AllOrders(context.Background(), "t1"); len(all) != 0 {
				t.Errorf("a failed file stored %d orders", len(all))
			}
		})
	}
}

func TestImportTooLarge(t *testing.T) {
	s := newStore(t)
	r := io.MultiReader(strings.NewReader("["), strings.NewReader(strings.Repeat(" ", MaxImportBytes)))
	_, err := s.Import(context.Background(), "t1", Orders, "big.json", r, "", nil)
	if err == nil || !strings.Contains(err.Error(), "big.json: larger than 64 MiB") {
		t.Fatalf("err = %v, want too large", err)
	}
}

func TestImportProblems(t *testing.T) {
	for _, tc := range []struct {
		name, file, src string
		kind            Kind
		m               Mapping
		added           int
		problems        []Problem // Err is a substring
	}{
		{name: "missing id", file: "o.json", kind: Orders, added: 1,
			src:      "[" + goodOrder + `, {"customer_id": "C1", "placed_at": "2026-01-01"}]`,
			problems: []Problem{{"o.json: record 2", "id: missing"}}},
		{name: "wrong type", file: "c.json", kind: Customers, added: 1,
			src:      `[{"id": "C1", "email": true}, {"id": 42, "email": "a@example.com"}]`,
			problems: []Problem{{"c.json: record 1", "email: want text, got a boolean"}}},
		{name: "id not text", file: "c.json", kind: Customers,
			src:      `[{"id": {"x": 1}}]`,
			problems: []Problem{{"c.json: record 1", "id: want text, got an object"}}},
		{name: "bad date", file: "o.json", kind: Orders, added: 1,
			src:      "[" + goodOrder + `, {"id": "B", "placed_at": "yesterday"}]`,
			problems: []Problem{{"o.json: record 2", `placed_at: "yesterday" is not a date`}}},
		{name: "missing date", file: "o.json", kind: Orders,
			src:      `[{"id": "B", "lines": []}]`,
			problems: []Problem{{"o.json: record 1", "placed_at: missing"}}},
		{name: "bad number", file: "o.json", kind: Orders, added: 1,
			src:      "[" + goodOrder + `, {"id": "B", "placed_at": "2026-01-01", "total": "12,50"}]`,
			problems: []Problem{{"o.json: record 2", `total: "12,50" is not a number`}}},
		{name: "negative qty", file: "o.json", kind: Orders,
			src:      `[{"id": "B", "placed_at": "2026-01-01", "lines": [{"sku": "S", "qty": 1}, {"sku": "T", "qty": -1}]}]`,
			problems: []Problem{{"o.json: record 1", "lines[2].qty: -1 is negative"}}},
		{name: "fractional qty", file: "o.json", kind: Orders,
			src:      `[{"id": "B", "placed_at": "2026-01-01", "lines": [{"sku": "S", "qty": 1.5}]}]`,
			problems: []Problem{{"o.json: record 1", "lines[1].qty: 1.5 is not a whole number"}}},
		{name: "line without sku", file: "o.json", kind: Orders,
			src:      `[{"id": "B", "placed_at": "2026-01-01", "lines": [{"name": "Hat", "qty": 1}]}]`,
			problems: []Problem{{"o.json: record 1", "lines[1].sku: missing"}}},
		{name: "lines not a list", file: "o.json", kind: Orders,
			src:      `[{"id": "B", "placed_at": "2026-01-01", "lines": "S x1"}]`,
			problems: []Problem{{"o.json: record 1", "lines: want a list, got text"}}},
		{name: "record not an object", file: "o.json", kind: Orders, added: 1,
			src:      "[1, " + goodOrder + "]",
			problems: []Problem{{"o.json: record 1", "not a JSON object but a number"}}},
		{name: "bad currency", file: "o.json", kind: Orders,
			src:      `[{"id": "B", "placed_at": "2026-01-01", "currency": "$"}]`,
			problems: []Problem{{"o.json: record 1", "currency"}}},
		{name: "variant without sku", file: "p.json", kind: Products,
			src:      `[{"sku": "P", "variants": [{"color": "red", "stock": 1}]}]`,
			problems: []Problem{{"p.json: record 1", "variants[1].sku: missing"}}},
		{name: "bad boolean", file: "p.json", kind: Products,
			src:      `[{"sku": "P", "returnable": "maybe"}]`,
			problems: []Problem{{"p.json: record 1", `returnable: "maybe" is not true or false`}}},
		{name: "JSONL bad line", file: "o.jsonl", kind: Orders, added: 1,
			src:      goodOrder + "\n{\"id\": \"B\",\n",
			problems: []Problem{{"o.jsonl:2", "not a JSON record"}}},
		{name: "CSV bad qty taints the whole order", file: "o.csv", kind: Orders, added: 1,
			src:      "order_id,placed_at,sku,qty\nA,2026-01-01,S1,1\nB,2026-01-02,S1,1\nA,2026-01-01,S2,-3\n",
			problems: []Problem{{"o.csv:4", "qty: -3 is negative"}}},
		{name: "CSV line without sku", file: "o.csv", kind: Orders,
			src:      "order_id,placed_at,sku,name,qty\nA,2026-01-01,,Hat,1\n",
			problems: []Problem{{"o.csv:2", "sku: missing"}}},
		{name: "CSV row without id", file: "c.csv", kind: Customers, added: 1,
			src:      "id,name\nC1,Ann\n,Bob\n",
			problems: []Problem{{"c.csv:3", "id: missing"}}},
		{name: "CSV field count", file: "c.csv", kind: Customers, added: 1,
			src:      "id,name\nC1,Ann\nC2,Bob,extra\n",
			problems: []Problem{{"c.csv:3", "row has 3 fields, the header 2"}}},
		{name: "CSV wrong type of number", file: "p.csv", kind: Products, added: 1,
			src:      "sku,name,price\nP1,Hat,3.50\nP2,Cap,three\n",
			problems: []Problem{{"p.csv:3", `price_usd: "three" is not a number`}}},
		{name: "duplicate ids: last valid wins", file: "c.json", kind: Customers, added: 1,
			src:      `[{"id": "C1", "name": "First"}, {"id": "C1", "name": "Last"}, {"id": "C1", "email": false}]`,
			problems: []Problem{{"c.json: record 3", "email"}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := newStore(t)
			res := importString(t, s, "t1", tc.kind, tc.file, tc.src, tc.m)
			if res.Added != tc.added {
				t.Errorf("added %d, want %d (%+v)", res.Added, tc.added, res)
			}
			if len(res.Problems) != len(tc.problems) {
				t.Fatalf("problems = %+v, want %+v", res.Problems, tc.problems)
			}
			for i, p := range res.Problems {
				if p.Where != tc.problems[i].Where || !strings.Contains(p.Err, tc.problems[i].Err) {
					t.Errorf("problem %d = %+v, want %+v", i, p, tc.problems[i])
				}
			}
		})
	}
}

func TestImportDuplicateLastWins(t *testing.T) {
	s := newStore(t)
	importString(t, s, "t1", Customers, "c.json", `[{"id": "C1", "name": "First"}, {"id": "C1", "name": "Last"}]`, nil)
	if c, err := s.Customer(context.Background(), "t1", "C1"); err != nil || c.Name != "Last" {
		t.Errorf("Customer = %+v, %v; want the last record", c, err)
	}
}

// TestImportVersion pins what caches rely on: a tenant's version moves
// with every import that changes something, and only then.
func TestImportVersion(t *testing.T) {
	s := newStore(t)
	for _, step := range []struct {
		name, data string
		want       uint64
	}{
		{"added", `[{"id": "C1", "name": "First"}]`, 1},
		{"unchanged", `[{"id": "C1", "name": "First"}]`, 1},
		{"updated", `[{"id": "C1", "name": "Second"}]`, 2},
		{"only problems", `[{"name": "no id"}]`, 2},
	} {
		t.Run(step.name, func(t *testing.T) {
			importString(t, s, "t1", Customers, "c.json", step.data, nil)
			if v := s.Version("t1"); v != step.want {
				t.Errorf("Version = %d, want %d", v, step.want)
			}
		})
	}
	if v := s.Version("t2"); v != 0 {
		t.Errorf("another tenant's version moved to %d", v)
	}
}

func TestImportBadOrderKeepsOldVersion(t *testing.T) {
	ctx := context.Background()
	s := newStore(t)
	importString(t, s, "t1", Orders, "o.json", "["+goodOrder+"]", nil)
	res := importString(t, s, "t1", Orders, "o.json",
		`[{"order_id": "OK-1", "placed_at": "2026-01-01", "lines": [{"sku": "S", "qty": -1}]}]`, nil)
	if len(res.Problems) != 1 || res.Updated != 0 {
		t.Fatalf("import = %+v", res)
	}
	if o, err := s.Order(ctx, "t1", "OK-1"); err != nil || len(o.Lines) != 1 || o.Lines[0].Qty != 1 {
		t.Errorf("Order = %+v, %v; want the earlier version intact", o, err)
	}
}

func TestImportFormats(t *testing.T) {
	for _, tc := range []struct {
		name, file, format, src string
		kind                    Kind
		m                       Mapping
		check                   func(t *testing.T, s *Store)
	}{
		{name: "wrapper object", file: "o.json", kind: Orders, src: `{"orders": [` + goodOrder + `], "count": 1}`},
		{name: "data wrapper", file: "o.json", kind: Orders, src: `{"data": [` + goodOrder + `]}`},
		{name: "single record", file: "o.json", kind: Orders, src: goodOrder},
		{name: "single record with items", file: "o.json", kind: Orders,
			src: `{"order_id": "OK-1", "placed_at": "2026-01-01", "items": [{"sku": "S", "quantity": 1}]}`},
		{name: "concatenated records", file: "o.json", kind: Orders, src: goodOrder + goodOrder},
		{name: "JSON lines", file: "o.jsonl", kind: Orders, src: "\n" + goodOrder + "\r\n\n"},
		{name: "ndjson by flag", file: "o.txt", format: "ndjson", kind: Orders, src: goodOrder + "\n"},
		{name: "sniffed JSON", file: "export", kind: Orders, src: " [" + goodOrder + "]"},
		{name: "semicolon CSV", file: "o.csv", kind: Orders, src: "Order Number;Date;Variant SKU;Quantity\nOK-1;2026-01-01;S;1\n"},
		{name: "mapped JSON with dotted path", file: "o.json", kind: Orders,
			m:   Mapping{"order_id": "number", "placed_at": "dates.placed", "lines": "items", "lines.sku": "code", "shipping_postcode": "ship_to.zip"},
			src: `[{"number": 7, "dates": {"placed": "2026-01-01 08:00:00"}, "ship_to": {"zip": "10115"}, "items": [{"code": "S", "qty": "2"}]}]`,
			check: func(t *testing.T, s *Store) {
				o, err := s.Order(context.Background(), "t1", "7")
				if err != nil || o.ShippingPostcode != "10115" || len(o.Lines) != 1 || o.Lines[0].Qty != 2 || o.PlacedAt.Hour() != 8 {
					t.Errorf("Order(7) = %+v, %v", o, err)
				}
			}},
		{name: "customer synonyms", file: "c.csv", kind: Customers,
			src: "Customer ID,First Name,Last Name,E-mail,Zip\nC9,Ann,Lee,ann@example.com,02139\n",
			check: func(t *testing.T, s *Store) {
				c, err := s.Customer(context.Background(), "t1", "C9")
				if err != nil || c.Name != "Ann Lee" || c.Email != "ann@example.com" || c.Postcode != "02139" {
					t.Errorf("Customer(C9) = %+v, %v", c, err)
				}
			}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := newStore(t)
			res, err := s.Import(context.Background(), "t1", tc.kind, tc.file, strings.NewReader(tc.src), tc.format, tc.m)
			if err != nil || res.Added != 1 || len(res.Problems) != 0 {
				t.Fatalf("import = %+v, %v; want 1 added", res, err)
			}
			if tc.check != nil {
				tc.check(t, s)
				return
			}
			o, err := s.Order(context.Background(), "t1", "OK-1")
			if err != nil || len(o.Lines) != 1 || o.Lines[0].SKU != "S" || o.Status != commerce.StatusProcessing {
				t.Errorf("Order(OK-1) = %+v, %v", o, err)
			}
		})
	}
}
