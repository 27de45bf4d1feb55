package sqlstore

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"
	"time"
)

// This file reads a file's bytes into items: records keyed by our field
// names, with their nested lines or variants, each knowing where in the
// file it came from. Syntax errors that leave the rest of a JSON or CSV
// file unreadable fail the whole file; a bad JSONL line or a bad record
// is a Problem.

// item is one record read from a file, before its values are checked.
type item struct {
	where string
	top   map[string]any
	subs  []subItem
	err   error // a problem found while reading, reported at where
}

// subItem is one line of an order or variant of a product. In a CSV file
// it has its own row (where); in JSON it is an element of the record's
// list (label, like "lines[2]").
type subItem struct {
	where string
	label string
	f     map[string]any
}

// reader turns one file into items.
type reader struct {
	name string
	kind Kind
	spec kindSpec
	n    names
	m    Mapping
	// datedFor is the day the file's dates were written for, when it says
	// (see datedKey).
	datedFor *time.Time
}

// jsonItems reads a JSON array of records, an object wrapping one (under
// the kind's name, "data", "items", "records" or "results"), a single
// record, or records one after another.
func (rd *reader) jsonItems(data []byte) ([]item, error) {
	trimmed := bytes.TrimSpace(data)
	if trimmed[0] != '[' && trimmed[0] != '{' {
		return nil, fmt.Errorf("%s: not a JSON array or object", rd.name)
	}
	if trimmed[0] == '{' {
		dec := json.NewDecoder(bytes.NewReader(trimmed))
		var obj map[string]json.RawMessage
		if err := dec.Decode(&obj); err != nil {
			return nil, fmt.Errorf("%s: %w", rd.name, jsonErr(trimmed, err))
		}
		keys := make(map[string]any, len(obj))
		for k := range obj {
			keys[k] = nil
		}
		var norm map[string]string
		_, isRecord := lookup(keys, &norm, rd.n[idField(rd.kind)])
		if _, err := dec.Token(); err == io.EOF && !isRecord {
			if raw, ok := obj[datedKey]; ok {
				day, err := parseDatedFor(raw)
				if err != nil {
					return nil, fmt.Errorf("%s: %w", rd.name, err)
				}
				rd.datedFor = &day
			}
			for _, key := range []string{string(rd.kind), "data", "items", "records", "results"} {
				if raw, ok := obj[key]; ok && bytes.HasPrefix(bytes.TrimSpace(raw), []byte("[")) {
					return rd.jsonArray(bytes.TrimSpace(raw))
				}
			}
		}
		return rd.jsonStream(trimmed)
	}
	return rd.jsonArray(trimmed)
}

// jsonArray reads the elements of a JSON array one at a time.
func (rd *reader) jsonArray(data []byte) ([]item, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	if _, err := dec.Token(); err != nil {
		return nil, fmt.Errorf("%s: %w", rd.name, jsonErr(data, err))
	}
	var out []item
	for dec.More() {
		if len(out) >= maxRecords {
			return nil, fmt.Errorf("%s: more than %d records; split the file", rd.name, maxRecords)
		}
		where := fmt.Sprintf("%s: record %d", rd.name, len(out)+1)
		var v any
		if err := dec.Decode(&v); err != nil {
			return nil, fmt.Errorf("%s: %w", where, jsonErr(data, err))
		}
		out = append(out, rd.jsonItem(where, v))
	}
	if _, err := dec.Token(); err != nil {
		return nil, fmt.Errorf("%s: %w", rd.name, jsonErr(data, err))
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, fmt.Errorf("%s: data after the end of the JSON array", rd.name)
	}
	return out, nil
}

// jsonStream reads JSON values one after another, each a record.
func (rd *reader) jsonStream(data []byte) ([]item, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var out []item
	for {
		where := fmt.Sprintf("%s: record %d", rd.name, len(out)+1)
		var v any
		err := dec.Decode(&v)
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", where, jsonErr(data, err))
		}
		if len(out) >= maxRecords {
			return nil, fmt.Errorf("%s: more than %d records; split the file", rd.name, maxRecords)
		}
		out = append(out, rd.jsonItem(where, v))
	}
}

// jsonLines reads one JSON record per line. A line that is not JSON is a
// Problem, unless no line is JSON at all.
func (rd *reader) jsonLines(data []byte) ([]item, error) {
	var out []item
	parsed := 0
	for i, line := range bytes.Split(data, []byte("\n")) {
		line = bytes.TrimSpace(line)
		if len(line) == 0 {
			continue
		}
		if len(out) >= maxRecords {
			return nil, fmt.Errorf("%s: more than %d records; split the file", rd.name, maxRecords)
		}
		where := fmt.Sprintf("%s:%d", rd.name, i+1)
		dec := json.NewDecoder(bytes.NewReader(line))
		dec.UseNumber()
		var v any
		err := dec.Decode(&v)
		if err == nil && dec.More() {
			err = errors.New("more than one JSON value on the line")
		}
		if err != nil {
			out = append(out, item{where: where, err: fmt.Errorf("not a JSON record: %w", jsonErr(line, err))})
			continue
		}
		parsed++
		out = append(out, rd.jsonItem(where, v))
	}
	if parsed == 0 && len(out) > 0 {
		return nil, fmt.Errorf("%s: not JSON lines: %v", rd.name, out[0].err)
	}
	return out, nil
}

// jsonErr adds the line and column to a JSON syntax error.
func jsonErr(data []byte, err error) error {
	var se *json.SyntaxError
	if errors.As(err, &se) && se.Offset <= int64(len(data)) {
		before := data[:se.Offset]
		line := bytes.Count(before, []byte("\n")) + 1
		col := len(before) - bytes.LastIndexByte(before, '\n')
		return fmt.Errorf("line %d column %d: %w", line, col, err)
	}
	if errors.Is(err, io.ErrUnexpectedEOF) {
		return errors.New("unexpected end of JSON input")
	}
	return err
}

// jsonItem turns one decoded JSON record into an item.
func (rd *reader) jsonItem(where string, v any) item {
	rec, ok := v.(map[string]any)
	if !ok {
		return item{where: where, err: fmt.Errorf("not a JSON object but %s", typeName(v))}
	}
	it := item{where: where, top: canonical(rec, rd.spec.fields, rd.n, "")}
	if rd.spec.sub.name == "" {
		return it
	}
	var norm map[string]string
	list, found := lookup(rec, &norm, rd.n[rd.spec.sub.name])
	if !found || list == nil {
		return it
	}
	elems, ok := list.([]any)
	if !ok {
		it.err = fmt.Errorf("%s: want a list, got %s", rd.spec.sub.name, typeName(list))
		return it
	}
	if len(elems) > maxSubs {
		it.err = fmt.Errorf("%s: more than %d", rd.spec.sub.name, maxSubs)
		return it
	}
	for i, e := range elems {
		label := fmt.Sprintf("%s[%d]", rd.spec.sub.name, i+1)
		sub, ok := e.(map[string]any)
		if !ok {
			it.err = fmt.Errorf("%s: want an object, got %s", label, typeName(e))
			return it
		}
		it.subs = append(it.subs, subItem{label: label, f: canonical(sub, rd.spec.subs, rd.n, rd.spec.sub.name+".")})
	}
	return it
}

// csvItems reads a CSV file with a header row. Customers have a row each;
// orders and products have a row per line or variant, and all rows with
// the same id form one record (wherever they are in the file), its own
// fields taken from the first row that fills them.
func (rd *reader) csvItems(data []byte) ([]item, error) {
	r := csv.NewReader(bytes.NewReader(data))
	r.Comma = sniffComma(data)
	r.FieldsPerRecord = -1
	header, err := r.Read()
	if err != nil {
		return nil, fmt.Errorf("%s: header: %w", rd.name, csvErr(err))
	}
	cols := map[string]any{}
	for i, h := range header {
		h = strings.TrimSpace(h)
		header[i] = h
		cols[h] = ""
	}
	if err := rd.checkHeader(cols); err != nil {
		return nil, err
	}
	var out []item
	group := map[string]int{} // id → index in out, for kinds with lines or variants
	for rows := 0; ; rows++ {
		row, err := r.Read()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return nil, fmt.Errorf("%s:%w", rd.name, csvErr(err))
		}
		if rows >= maxRecords {
			return nil, fmt.Errorf("%s: more than %d rows; split the file", rd.name, maxRecords)
		}
		line, _ := r.FieldPos(0)
		where := fmt.Sprintf("%s:%d", rd.name, line)
		rec := make(map[string]any, len(header))
		for i, cell := range row {
			if cell = strings.TrimSpace(cell); cell != "" && i < len(header) {
				if _, dup := rec[header[i]]; !dup {
					rec[header[i]] = cell
				}
			}
		}
		if len(rec) == 0 {
			continue
		}
		var rowErr error
		if len(row) != len(header) {
			rowErr = fmt.Errorf("row has %d fields, the header %d", len(row), len(header))
		}
		top := canonical(rec, rd.spec.fields, rd.n, "")
		if rd.spec.sub.name == "" {
			out = append(out, item{where: where, top: top, err: rowErr})
			continue
		}
		id, _ := top[idField(rd.kind)].(string)
		i, seen := group[id]
		if !seen || id == "" {
			i = len(out)
			out = append(out, item{where: where, top: top})
			if id != "" {
				group[id] = i
			}
		} else {
			for k, v := range top {
				if _, ok := out[i].top[k]; !ok {
					out[i].top[k] = v
				}
			}
		}
		it := &out[i]
		if rowErr != nil && it.err == nil {
			it.where, it.err = where, rowErr
		}
		if sub := canonical(rec, rd.spec.subs, rd.n, "flat:"+rd.spec.sub.name+"."); len(sub) > 0 {
			if len(it.subs) >= maxSubs && it.err == nil {
				it.where, it.err = where, fmt.Errorf("more than %d %s", maxSubs, rd.spec.sub.name)
			}
			it.subs = append(it.subs, subItem{where: where, f: sub})
		}
	}
}

// checkHeader fails when a column the Mapping names, or the id column, is
// missing from the header.
func (rd *reader) checkHeader(cols map[string]any) error {
	var norm map[string]string
	for _, ours := range slices.Sorted(maps.Keys(rd.m)) {
		theirs := strings.TrimSpace(rd.m[ours])
		if theirs == "-" {
			continue
		}
		if _, ok := lookup(cols, &norm, []string{theirs}); !ok {
			return fmt.Errorf("%s: no column %q (mapped to %s) in the header", rd.name, theirs, ours)
		}
	}
	id := idField(rd.kind)
	if _, ok := lookup(cols, &norm, rd.n[id]); !ok {
		return fmt.Errorf("%s: no %s column in the header (looked for %s); map one", rd.name, id, strings.Join(rd.n[id], ", "))
	}
	return nil
}

// sniffComma picks the separator of the header line: ',', ';' or tab.
func sniffComma(data []byte) rune {
	head, _, _ := bytes.Cut(data, []byte("\n"))
	comma, best := ',', bytes.Count(head, []byte(","))
	for _, c := range []rune{';', '\t'} {
		if n := bytes.Count(head, []byte(string(c))); n > best {
			comma, best = c, n
		}
	}
	return comma
}

// csvErr shortens a csv.ParseError to "LINE: problem", LINE being
// where the bad record starts.
func csvErr(err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return fmt.Errorf("%d: %w", pe.StartLine, pe.Err)
	}
	return err
}

// typeName names the JSON type of a decoded value.
func typeName(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case bool:
		return "a boolean"
	case json.Number:
		return "a number"
	case string:
		return "text"
	case []any:
		return "a list"
	case map[string]any:
		return "an object"
	}
	return fmt.Sprintf("%T", v)
}
