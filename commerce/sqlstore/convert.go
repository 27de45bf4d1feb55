package sqlstore

import (
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/shopdesk/shopdesk/commerce"
)

// This file checks and converts the values of an item's fields into Go
// values. Each getter records the first problem in its values and
// returns the zero value after one, so a converter reads every field and
// then asks for err once. Messages name the field and, for numbers and
// dates, quote the value (never names, emails or addresses).

// values reads the fields of one record (or nested line) of an item.
type values struct {
	f      map[string]any
	prefix string // "lines[2]." for a nested record
	err    error
}

// fail records the first problem.
func (v *values) fail(field, format string, args ...any) {
	if v.err == nil {
		v.err = fmt.Errorf("%s%s: %s", v.prefix, field, fmt.Sprintf(format, args...))
	}
}

// maxText bounds any single text field, in bytes.
const maxText = 64 << 10

// str returns a text field, trimmed; numbers are taken as their digits.
func (v *values) str(field string) string {
	switch x := v.f[field].(type) {
	case nil:
		return ""
	case string:
		s := strings.TrimSpace(x)
		if len(s) > maxText {
			v.fail(field, "longer than %d bytes", maxText)
			return ""
		}
		if !utf8.ValidString(s) {
			v.fail(field, "not valid UTF-8 text")
			return ""
		}
		return s
	case json.Number:
		return x.String()
	default:
		v.fail(field, "want text, got %s", typeName(x))
		return ""
	}
}

// quote shows a bad value in a message, shortened.
func quote(s string) string {
	if len(s) > 40 {
		s = s[:40] + "…"
	}
	return strconv.Quote(s)
}

// number returns a numeric field (a JSON number or numeric text) and
// whether it was present; it must be finite and within ±1e12.
func (v *values) number(field string) (float64, bool) {
	var raw string
	switch x := v.f[field].(type) {
	case nil:
		return 0, false
	case json.Number:
		raw = x.String()
	case string:
		raw = strings.TrimSpace(x)
	default:
		v.fail(field, "want a number, got %s", typeName(x))
		return 0, false
	}
	n, err := strconv.ParseFloat(raw, 64)
	if err != nil || math.IsNaN(n) || math.IsInf(n, 0) {
		v.fail(field, "%s is not a number", quote(raw))
		return 0, false
	}
	if math.Abs(n) > 1e12 {
		v.fail(field, "%s is out of range", quote(raw))
		return 0, false
	}
	return n, true
}

// amount returns a non-negative money amount and whether it was present.
func (v *values) amount(field string) (float64, bool) {
	n, ok := v.number(field)
	if ok && n < 0 {
		v.fail(field, "%v is negative", n)
		return 0, false
	}
	return n, ok
}

// optAmount returns a money amount, nil when absent or null.
func (v *values) optAmount(field string) *float64 {
	if n, ok := v.amount(field); ok {
		return &n
	}
	return nil
}

// count returns a whole, non-negative number and whether it was present.
func (v *values) count(field string) (int, bool) {
	n, ok := v.number(field)
	if !ok {
		return 0, false
	}
	if n != math.Trunc(n) {
		v.fail(field, "%v is not a whole number", n)
		return 0, false
	}
	if n < 0 {
		v.fail(field, "%v is negative", n)
		return 0, false
	}
	if n > 1e9 {
		v.fail(field, "%v is out of range", n)
		return 0, false
	}
	return int(n), true
}

// stock returns a stock figure: a whole number, 0 when absent or
// negative.
func (v *values) stock(field string) int {
	n, ok := v.number(field)
	switch {
	case !ok || n <= 0:
		return 0
	case n != math.Trunc(n):
		v.fail(field, "%v is not a whole number", n)
		return 0
	case n > 1e9:
		v.fail(field, "%v is out of range", n)
		return 0
	}
	return int(n)
}

// timeLayouts are the date formats accepted, tried in order; times
// without a zone are UTC.
var timeLayouts = []string{time.RFC3339Nano, "2006-01-02 15:04:05", "2006-01-02T15:04:05",
	"2006-01-02 15:04:05 -0700", "2006-01-02 15:04:05Z07:00", "2006-01-02"}

// time returns a date field in UTC to the millisecond, nil when absent.
func (v *values) time(field string) *time.Time {
	switch x := v.f[field].(type) {
	case nil:
		return nil
	case string:
		s := strings.TrimSpace(x)
		for _, layout := range timeLayouts {
			if t, err := time.Parse(layout, s); err == nil {
				if t.Year() < 1900 || t.Year() > 9999 {
					break
				}
				t = t.UTC().Truncate(time.Millisecond)
				return &t
			}
		}
		v.fail(field, "%s is not a date (use RFC 3339, \"2006-01-02 15:04:05\" or \"2006-01-02\")", quote(s))
	default:
		v.fail(field, "want a date, got %s", typeName(x))
	}
	return nil
}

// boolean returns a yes/no field and whether it was present.
func (v *values) boolean(field string) (bool, bool) {
	switch x := v.f[field].(type) {
	case nil:
		return false, false
	case bool:
		return x, true
	case string, json.Number:
		s := strings.ToLower(strings.TrimSpace(fmt.Sprint(x)))
		switch s {
		case "true", "yes", "y", "1", "t":
			return true, true
		case "false", "no", "n", "0", "f":
			return false, true
		}
		v.fail(field, "%s is not true or false", quote(s))
	default:
		v.fail(field, "want true or false, got %s", typeName(x))
	}
	return false, false
}

// list returns a list of text: a JSON list, or comma-separated text.
func (v *values) list(field string) []string {
	var parts []string
	switch x := v.f[field].(type) {
	case nil:
		return nil
	case string:
		parts = strings.Split(x, ",")
	case []any:
		for i, e := range x {
			switch s := e.(type) {
			case string:
				parts = append(parts, s)
			case json.Number:
				parts = append(parts, s.String())
			default:
				v.fail(fmt.Sprintf("%s[%d]", field, i+1), "want text, got %s", typeName(e))
				return nil
			}
		}
	default:
		v.fail(field, "want a list, got %s", typeName(x))
		return nil
	}
	var out []string
	for _, p := range parts {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	if len(out) > maxSubs {
		v.fail(field, "more than %d entries", maxSubs)
		return nil
	}
	return out
}

// id returns the record's identifying field, which must be present.
func (v *values) id(field string) string {
	s := v.str(field)
	switch {
	case v.err != nil:
	case s == "":
		v.fail(field, "missing")
	case len(s) > 200:
		v.fail(field, "longer than 200 characters")
	case strings.ContainsFunc(s, func(r rune) bool { return r < ' ' || r == 0x7f }):
		v.fail(field, "contains control characters")
	default:
		return s
	}
	return ""
}

// statusWords maps the order statuses of common shop systems onto ours.
var statusWords = map[string][]string{
	commerce.StatusProcessing: {"processing", "pending", "paid", "unfulfilled", "open", "new", "confirmed",
		"on-hold", "on_hold", "awaiting_shipment", "partially_fulfilled"},
	commerce.StatusShipped:   {"shipped", "fulfilled", "in_transit", "dispatched"},
	commerce.StatusDelivered: {"delivered", "completed", "complete"},
	commerce.StatusCancelled: {"cancelled", "canceled", "voided"},
	commerce.StatusReturned:  {"returned", "refunded"},
}

// orderStatus maps raw onto our statuses; an unknown one is kept, lower
// case, for the assistant to quote. Without one, the dates decide.
func orderStatus(raw string, shipped, delivered *time.Time) string {
	key := strings.ReplaceAll(strings.ToLower(strings.TrimSpace(raw)), " ", "_")
	for status, words := range statusWords {
		if slices.Contains(words, key) {
			return status
		}
	}
	switch {
	case key != "":
		return key
	case delivered != nil:
		return commerce.StatusDelivered
	case shipped != nil:
		return commerce.StatusShipped
	}
	return commerce.StatusProcessing
}
