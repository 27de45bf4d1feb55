package httpapi

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"reflect"
	"strconv"
	"strings"
	"time"
)

// This file turns a merchant's JSON record into one of commerce's types.
// Each field of the target struct is looked up under the dotted path its
// JSON name maps to in Endpoint.Fields (its own name when unmapped, none
// when mapped to "-"); values are coerced leniently, since shop APIs
// write prices as "12.50" and IDs as numbers.

// timeLayouts are the timestamp formats accepted, tried in order. Times
// without a zone are UTC.
var timeLayouts = []string{time.RFC3339Nano, "2006-01-02 15:04:05", "2006-01-02T15:04:05", "2006-01-02"}

var timeType = reflect.TypeFor[time.Time]()

// lookup follows a dotted path through decoded JSON; numeric segments
// index arrays. An empty path is v itself.
func lookup(v any, path string) (any, bool) {
	if path == "" {
		return v, true
	}
	for seg := range strings.SplitSeq(path, ".") {
		switch cur := v.(type) {
		case map[string]any:
			next, ok := cur[seg]
			if !ok {
				return nil, false
			}
			v = next
		case []any:
			i, err := strconv.Atoi(seg)
			if err != nil || i < 0 || i >= len(cur) {
				return nil, false
			}
			v = cur[i]
		default:
			return nil, false
		}
	}
	return v, true
}

// decodeRecord fills the struct out points to from rec. prefix is the
// dotted name of out within the top-level record ("" or "lines."). Errors
// name the field, never its value.
func decodeRecord(rec any, fields map[string]string, prefix string, out reflect.Value) error {
	if _, ok := rec.(map[string]any); !ok {
		if prefix == "" {
			return errors.New("record is not a JSON object")
		}
		return fmt.Errorf("%s: element is not a JSON object", strings.TrimSuffix(prefix, "."))
	}
	t := out.Type()
	for i := range t.NumField() {
		name := jsonName(t.Field(i))
		if name == "" {
			continue
		}
		key := prefix + name
		path, mapped := fields[key]
		if !mapped {
			path = name
		}
		if path == "-" {
			continue
		}
		v, ok := lookup(rec, path)
		if !ok || v == nil {
			continue
		}
		if err := setValue(out.Field(i), v, fields, key); err != nil {
			return fmt.Errorf("field %s: %w", key, err)
		}
	}
	return nil
}

// setValue stores the JSON value v in dst, coercing between text and
// numbers where that is unambiguous. Empty text leaves numbers, times and
// booleans unset.
func setValue(dst reflect.Value, v any, fields map[string]string, key string) error {
	t := dst.Type()
	if t.Kind() == reflect.Pointer {
		if s, ok := v.(string); ok && strings.TrimSpace(s) == "" && t.Elem().Kind() != reflect.String {
			return nil
		}
		p := reflect.New(t.Elem())
		if err := setValue(p.Elem(), v, fields, key); err != nil {
			return err
		}
		dst.Set(p)
		return nil
	}
	if t == timeType {
		s, ok := v.(string)
		if !ok {
			return errors.New("want a timestamp as text")
		}
		if strings.TrimSpace(s) == "" {
			return nil
		}
		tm, err := parseTime(s)
		if err != nil {
			return err
		}
		dst.Set(reflect.ValueOf(tm))
		return nil
	}
	switch t.Kind() {
	case reflect.String:
		s, ok := scalarText(v)
		if !ok {
			return errors.New("want text")
		}
		dst.SetString(s)
	case reflect.Int:
		f, ok, err := number(v)
		if err != nil || !ok {
			return err
		}
		if f != math.Trunc(f) || math.Abs(f) > 1<<53 {
			return errors.New("want a whole number")
		}
		dst.SetInt(int64(f))
	case reflect.Float64:
		f, ok, err := number(v)
		if err != nil || !ok {
			return err
		}
		dst.SetFloat(f)
	case reflect.Bool:
		b, ok, err := boolean(v)
		if err != nil || !ok {
			return err
		}
		dst.SetBool(b)
	case reflect.Slice:
		return setSlice(dst, v, fields, key)
	default:
		return fmt.Errorf("unsupported type %s", t)
	}
	return nil
}

// setSlice fills a []string (from an array or comma-separated text) or a
// slice of structs (from an array of objects, fields under key + ".").
func setSlice(dst reflect.Value, v any, fields map[string]string, key string) error {
	elem := dst.Type().Elem()
	if elem.Kind() == reflect.String {
		if s, ok := v.(string); ok {
			var out []string
			for part := range strings.SplitSeq(s, ",") {
				if part = strings.TrimSpace(part); part != "" {
					out = append(out, part)
				}
			}
			dst.Set(reflect.ValueOf(out))
			return nil
		}
	}
	arr, ok := v.([]any)
	if !ok {
		return errors.New("want a list")
	}
	out := reflect.MakeSlice(dst.Type(), 0, len(arr))
	for i, item := range arr {
		e := reflect.New(elem).Elem()
		if elem.Kind() == reflect.Struct {
			if err := decodeRecord(item, fields, key+".", e); err != nil {
				return fmt.Errorf("element %d: %w", i, err)
			}
		} else if item == nil {
			continue
		} else if err := setValue(e, item, fields, key); err != nil {
			return fmt.Errorf("element %d: %w", i, err)
		}
		out = reflect.Append(out, e)
	}
	dst.Set(out)
	return nil
}

// scalarText renders a JSON string, number or boolean as text.
func scalarText(v any) (string, bool) {
	switch x := v.(type) {
	case string:
		return x, true
	case json.Number:
		return x.String(), true
	case bool:
		return strconv.FormatBool(x), true
	}
	return "", false
}

// number reads a JSON number or a number written as text ("12.50").
// ok is false for empty text.
func number(v any) (f float64, ok bool, err error) {
	var s string
	switch x := v.(type) {
	case json.Number:
		s = x.String()
	case string:
		s = strings.TrimSpace(x)
		if s == "" {
			return 0, false, nil
		}
	default:
		return 0, false, errors.New("want a number")
	}
	f, err = strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
		return 0, false, errors.New("want a number")
	}
	return f, true, nil
}

// boolean reads true/false, their text forms, or 0/1.
func boolean(v any) (b, ok bool, err error) {
	switch x := v.(type) {
	case bool:
		return x, true, nil
	case string:
		if strings.TrimSpace(x) == "" {
			return false, false, nil
		}
		b, err := strconv.ParseBool(strings.TrimSpace(x))
		if err != nil {
			return false, false, errors.New("want true or false")
		}
		return b, true, nil
	case json.Number:
		switch x.String() {
		case "0":
			return false, true, nil
		case "1":
			return true, true, nil
		}
	}
	return false, false, errors.New("want true or false")
}

// parseTime reads RFC 3339 or "2006-01-02 15:04:05" (UTC).
func parseTime(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	for _, layout := range timeLayouts {
		if t, err := time.Parse(layout, s); err == nil {
			return t, nil
		}
	}
	return time.Time{}, errors.New(`want a time in RFC 3339 or "2006-01-02 15:04:05"`)
}

// jsonName is the JSON name of a struct field, "" for unexported or
// skipped fields.
func jsonName(f reflect.StructField) string {
	if !f.IsExported() {
		return ""
	}
	name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
	if name == "-" {
		return ""
	}
	if name == "" {
		return f.Name
	}
	return name
}

// fieldNames lists the names Fields may map for records of type t: every
// JSON field name, and "parent.child" for fields of nested structs.
func fieldNames(t reflect.Type, prefix string, into map[string]bool) {
	for i := range t.NumField() {
		f := t.Field(i)
		name := jsonName(f)
		if name == "" {
			continue
		}
		into[prefix+name] = true
		ft := f.Type
		if ft.Kind() == reflect.Slice {
			ft = ft.Elem()
		}
		if ft.Kind() == reflect.Struct && ft != timeType {
			fieldNames(ft, prefix+name+".", into)
		}
	}
}
