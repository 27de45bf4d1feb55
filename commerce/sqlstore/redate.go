package sqlstore

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/shopdesk/shopdesk/commerce"
)

// datedKey lets a sample file (the demo shop's orders) keep its dates
// current: {"dated_relative_to": "2026-11-21", "orders": [...]} moves
// every date in it by the whole days from that day to the day of the
// import, so an order delivered "four days before" stays four days old
// whenever the file is imported. Only a file that says so is moved; a
// merchant's export is imported as it is.
const datedKey = "dated_relative_to"

// parseDatedFor reads the day a file's dates were written for.
func parseDatedFor(raw json.RawMessage) (time.Time, error) {
	var s string
	if err := json.Unmarshal(raw, &s); err == nil {
		if d, err := time.Parse("2006-01-02", strings.TrimSpace(s)); err == nil {
			return d, nil
		}
	}
	return time.Time{}, fmt.Errorf("%s: want a day such as \"2026-11-21\", got %.40s", datedKey, raw)
}

// daysSince returns the whole days from day to now's date, in UTC.
func daysSince(day, now time.Time) int {
	y, m, d := now.UTC().Date()
	return int(time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Sub(day).Hours() / 24)
}

// redate moves a record's dates by days.
func redate(rec any, days int) any {
	o, ok := rec.(commerce.Order)
	if !ok || days == 0 {
		return rec
	}
	move := func(t *time.Time) *time.Time {
		if t == nil {
			return nil
		}
		moved := t.AddDate(0, 0, days)
		return &moved
	}
	o.PlacedAt = *move(&o.PlacedAt)
	o.ShippedAt, o.DeliveredAt = move(o.ShippedAt), move(o.DeliveredAt)
	return o
}
