package httpapi

import (
	"bytes"
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/shopdesk/shopdesk/commerce"
)

// decodeJSONString decodes s as a merchant's response would be.
func decodeJSONString(t *testing.T, s string) any {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader([]byte(s)))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		t.Fatal(err)
	}
	return v
}

func TestLookup(t *testing.T) {
	v := decodeJSONString(t, `{"a": {"b": [{"c": 1}, {"c": "two"}]}, "d.e": 3}`)
	for path, want := range map[string]any{
		"a.b.1.c": "two",
		"a.b.0.c": json.Number("1"),
		"a.b.2.c": nil, // out of range
		"a.b.x":   nil, // not an index
		"a.c":     nil,
		"d.e":     nil, // keys holding dots cannot be reached
	} {
		got, ok := lookup(v, path)
		if ok != (want != nil) || (ok && got != want) {
			t.Errorf("lookup(%q) = %v, %v; want %v", path, got, ok, want)
		}
	}
	if got, ok := lookup(v, ""); !ok || !reflect.DeepEqual(got, v) {
		t.Errorf("empty path gives %v", got)
	}
}

func TestCoercion(t *testing.T) {
	for _, tc := range []struct {
		json string
		want commerce.OrderLine
	}{
		{`{"sku": 12345, "qty": "3", "unit_price": "12.50"}`, commerce.OrderLine{SKU: "12345", Qty: 3, UnitPrice: 12.5}},
		{`{"sku": "A", "qty": 2.0, "unit_price": 7}`, commerce.OrderLine{SKU: "A", Qty: 2, UnitPrice: 7}},
		{`{"sku": true, "qty": " 4 ", "unit_price": " 0.99 "}`, commerce.OrderLine{SKU: "true", Qty: 4, UnitPrice: 0.99}},
		{`{"sku": null, "qty": "", "unit_price": null, "name": "Tee"}`, commerce.OrderLine{Name: "Tee"}},
	} {
		var got commerce.OrderLine
		if err := decodeRecord(decodeJSONString(t, tc.json), nil, "", reflect.ValueOf(&got).Elem()); err != nil {
			t.Errorf("%s: %v", tc.json, err)
			continue
		}
		if got != tc.want {
			t.Errorf("%s: got %+v, want %+v", tc.json, got, tc.want)
		}
	}
	for _, bad := range []string{`{"qty": "three"}`, `{"qty": 1e300}`, `{"unit_price": "NaN"}`, `{"unit_price": {}}`, `{"sku": {}}`, `[1]`} {
		var got commerce.OrderLine
		if err := decodeRecord(decodeJSONString(t, bad), nil, "", reflect.ValueOf(&got).Elem()); err == nil {
			t.Errorf("%s accepted as %+v", bad, got)
		}
	}
}

func TestBooleansAndTimes(t *testing.T) {
	var p commerce.Product
	rec := decodeJSONString(t, `{"returnable": "TRUE", "final_sale": 0, "price_usd": "0", "price_cny": ""}`)
	if err := decodeRecord(rec, nil, "", reflect.ValueOf(&p).Elem()); err != nil {
		t.Fatal(err)
	}
	if !p.Returnable || p.FinalSale || p.PriceUSD == nil || *p.PriceUSD != 0 || p.PriceCNY != nil {
		t.Errorf("got %+v", p)
	}
	if err := decodeRecord(decodeJSONString(t, `{"final_sale": "maybe"}`), nil, "", reflect.ValueOf(&p).Elem()); err == nil ||
		!strings.Contains(err.Error(), "final_sale") {
		t.Errorf("bad boolean: %v", err)
	}

	for in, want := range map[string]time.Time{
		"2026-08-01T10:00:00Z":        time.Date(2026, 8, 1, 10, 0, 0, 0, time.UTC),
		"2026-08-01T12:00:00.5+02:00": time.Date(2026, 8, 1, 10, 0, 0, 5e8, time.UTC),
		"2026-08-01 10:00:00":         time.Date(2026, 8, 1, 10, 0, 0, 0, time.UTC),
		" 2026-08-01 ":                time.Date(2026, 8, 1, 0, 0, 0, 0, time.UTC),
		"2026-08-01T10:00:00":         time.Date(2026, 8, 1, 10, 0, 0, 0, time.UTC),
	} {
		got, err := parseTime(in)
		if err != nil || !got.Equal(want) {
			t.Errorf("parseTime(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	for _, bad := range []string{"01/08/2026", "1722506400", "2026-13-01 00:00:00"} {
		if _, err := parseTime(bad); err == nil {
			t.Errorf("parseTime(%q) accepted", bad)
		}
	}
	var o commerce.Order
	if err := decodeRecord(decodeJSONString(t, `{"shipped_at": "", "delivered_at": null, "placed_at": 1722506400}`), nil, "", reflect.ValueOf(&o).Elem()); err == nil {
		t.Error("a number accepted as placed_at")
	}
	if o.ShippedAt != nil || o.DeliveredAt != nil {
		t.Errorf("empty times set: %v %v", o.ShippedAt, o.DeliveredAt)
	}
}

func TestFieldNames(t *testing.T) {
	names := map[string]bool{}
	fieldNames(reflect.TypeFor[commerce.Order](), "", names)
	for _, n := range []string{"id", "status", "lines", "lines.sku", "lines.unit_price", "placed_at", "shipped_at"} {
		if !names[n] {
			t.Errorf("%q missing", n)
		}
	}
	if names["placed_at.wall"] || names["lines.Qty"] {
		t.Errorf("unexpected names in %v", names)
	}
}
