package sqlstore

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/shopdesk/shopdesk/commerce"
)

// The demo's orders keep their age whatever day they are imported: the
// newest was placed the day before, an order delivered 18 days before is
// inside a 30-day return window and one delivered 107 days before is not.
func TestDemoOrdersAreDatedForTheImportDay(t *testing.T) {
	ctx := context.Background()
	for _, today := range []time.Time{
		time.Date(2026, 11, 21, 8, 0, 0, 0, time.UTC),
		time.Date(2027, 6, 15, 23, 59, 0, 0, time.UTC),
		time.Date(2031, 2, 28, 0, 0, 0, 0, time.UTC),
	} {
		s := newStore(t)
		s.now = func() time.Time { return today }
		importFile(t, s, "default", Orders, demoOrders, nil)
		midnight := today.Truncate(24 * time.Hour)
		ago := func(at time.Time) int { return int(midnight.Sub(at.Truncate(24*time.Hour)).Hours() / 24) }
		order := func(id string) commerce.Order {
			o, err := s.Order(ctx, "default", id)
			if err != nil {
				t.Fatal(err)
			}
			return o
		}
		if o := order("HL-100130"); o.Status != commerce.StatusProcessing || ago(o.PlacedAt) != 1 {
			t.Errorf("%s: newest order %s placed %d days before", today, o.Status, ago(o.PlacedAt))
		}
		if o := order("HL-100122"); o.DeliveredAt == nil || ago(*o.DeliveredAt) != 18 {
			t.Errorf("%s: HL-100122 delivered %v, want 18 days before", today, o.DeliveredAt)
		}
		if o := order("HL-100101"); o.DeliveredAt == nil || ago(*o.DeliveredAt) != 107 {
			t.Errorf("%s: HL-100101 delivered %v, want 107 days before", today, o.DeliveredAt)
		}
		all, err := s.AllOrders(ctx, "default")
		if err != nil || len(all) != 30 {
			t.Fatalf("AllOrders = %d, %v", len(all), err)
		}
		for _, o := range all {
			if !o.PlacedAt.Before(today) || o.ShippedAt != nil && o.ShippedAt.Before(o.PlacedAt) || o.DeliveredAt != nil && !o.DeliveredAt.Before(today) {
				t.Errorf("%s: order %s placed %s, shipped %v, delivered %v", today, o.ID, o.PlacedAt, o.ShippedAt, o.DeliveredAt)
			}
		}
		// The same day, a re-import changes nothing; the next day, every
		// order moves a day on.
		if res := importFile(t, s, "default", Orders, demoOrders, nil); res.Unchanged != 30 {
			t.Errorf("%s: re-import %+v", today, res)
		}
		s.now = func() time.Time { return today.Add(24 * time.Hour) }
		if res := importFile(t, s, "default", Orders, demoOrders, nil); res.Updated != 30 {
			t.Errorf("%s: import the next day %+v, want 30 updated", today, res)
		}
	}
}

func TestDatedRelativeTo(t *testing.T) {
	ctx := context.Background()
	s := newStore(t) // today is fixedNow, 2026-12-01
	const orders = `[{"id": "A", "placed_at": "2026-01-10T08:00:00Z", "delivered_at": "2026-01-12"}]`
	importString(t, s, "t1", Orders, "o.json", `{"dated_relative_to": "2026-01-15", "orders": `+orders+`}`, nil)
	o, err := s.Order(ctx, "t1", "A")
	if err != nil || !o.PlacedAt.Equal(time.Date(2026, 11, 26, 8, 0, 0, 0, time.UTC)) || !o.DeliveredAt.Equal(time.Date(2026, 11, 28, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("moved order %+v, %v; want placed 2026-11-26, delivered 2026-11-28", o, err)
	}
	// Without the header, dates are kept as written.
	importString(t, s, "t2", Orders, "o.json", `{"orders": `+orders+`}`, nil)
	if o, err := s.Order(ctx, "t2", "A"); err != nil || !o.PlacedAt.Equal(time.Date(2026, 1, 10, 8, 0, 0, 0, time.UTC)) {
		t.Errorf("unmoved order %+v, %v", o, err)
	}
	for _, bad := range []string{`"yesterday"`, `20260115`, `"2026-13-01"`, `null`} {
		_, err := s.Import(ctx, "t3", Orders, "o.json", strings.NewReader(`{"dated_relative_to": `+bad+`, "orders": `+orders+`}`), "", nil)
		if err == nil || !strings.Contains(err.Error(), "dated_relative_to") {
			t.Errorf("dated_relative_to %s: %v", bad, err)
		}
	}
	if all, _ := s.AllOrders(ctx, "t3"); len(all) != 0 {
		t.Errorf("a file with a bad header was imported: %+v", all)
	}
}
