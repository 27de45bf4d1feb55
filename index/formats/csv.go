package formats

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
)

// shopifyColumns mark a Shopify product export: one row per variant,
// grouped under the product's Handle.
var shopifyColumns = []string{"handle", "title", "body (html)"}

func readCSV(text string, opts Options) (Result, error) {
	r := csv.NewReader(strings.NewReader(text))
	r.Comma = sniffDelimiter(text, opts.Format)
	r.FieldsPerRecord = -1
	r.ReuseRecord = false
	header, err := r.Read()
	if err != nil {
		return Result{}, fmt.Errorf("%s: no header row: %w", opts.Name, csvError(err))
	}
	for i := range header {
		header[i] = strings.TrimSpace(header[i])
	}
	lower := make([]string, len(header))
	for i, h := range header {
		lower[i] = strings.ToLower(h)
	}
	m := opts.Mapping
	shopify := m.GroupBy == "" && containsAll(lower, shopifyColumns)
	if shopify {
		m.GroupBy = "Handle"
	}

	var res Result
	type group struct {
		where string
		rows  []record
	}
	var groups []*group
	byKey := map[string]*group{}
	for {
		row, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			if !errors.As(err, &pe) {
				return Result{}, fmt.Errorf("%s: %w", opts.Name, err)
			}
			res.Problems = append(res.Problems, Problem{fmt.Sprintf("%s:%d", opts.Name, pe.Line), csvError(err).Error()})
			continue
		}
		line, _ := r.FieldPos(0) // a successful read has at least one field
		where := fmt.Sprintf("%s:%d", opts.Name, line)
		if len(row) > len(header) {
			res.Problems = append(res.Problems, Problem{where, fmt.Sprintf("%d columns, but the header has %d", len(row), len(header))})
			continue
		}
		if blankRow(row) {
			continue
		}
		rec := record{keys: header, values: map[string]any{}}
		for i, h := range header {
			if i < len(row) {
				rec.values[h] = strings.TrimSpace(row[i])
			} else {
				rec.values[h] = ""
			}
		}
		if m.GroupBy == "" {
			groups = append(groups, &group{where: where, rows: []record{rec}})
			continue
		}
		key, _ := rec.get(m.GroupBy)
		k := scalarString(key)
		if k == "" {
			res.Problems = append(res.Problems, Problem{where, fmt.Sprintf("empty %s", m.GroupBy)})
			continue
		}
		if g, ok := byKey[k]; ok {
			g.rows = append(g.rows, rec)
			continue
		}
		g := &group{where: where, rows: []record{rec}}
		byKey[k] = g
		groups = append(groups, g)
	}

	seen := map[string]string{}
	for _, g := range groups {
		rec := g.rows[0]
		if shopify {
			rec = shopifyRecord(g.rows)
		} else if len(g.rows) > 1 {
			rec = mergeRows(g.rows)
		}
		addRecord(&res, rec, Options{Mapping: m, Name: opts.Name}, g.where, seen)
	}
	return res, nil
}

func csvError(err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return fmt.Errorf("column %d: %w", pe.Column, pe.Err)
	}
	return err
}

// sniffDelimiter picks tab for TSV, and otherwise whichever of comma and
// semicolon (spreadsheet exports in many locales) the header uses more.
func sniffDelimiter(text, format string) rune {
	if format == "tsv" {
		return '\t'
	}
	header, _, _ := strings.Cut(text, "\n")
	switch {
	case strings.Count(header, "\t") > strings.Count(header, ",") && strings.Count(header, "\t") > strings.Count(header, ";"):
		return '\t'
	case strings.Count(header, ";") > strings.Count(header, ","):
		return ';'
	}
	return ','
}

func containsAll(have, want []string) bool {
	for _, w := range want {
		if !slices.Contains(have, w) {
			return false
		}
	}
	return true
}

func blankRow(row []string) bool {
	for _, c := range row {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}

// mergeRows combines grouped rows: the first non-empty value of each
// column, and for columns that differ, every distinct value.
func mergeRows(rows []record) record {
	out := record{keys: rows[0].keys, values: map[string]any{}}
	for _, k := range out.keys {
		var vals []string
		for _, r := range rows {
			if v := scalarString(r.values[k]); v != "" && !slices.Contains(vals, v) {
				vals = append(vals, v)
			}
		}
		out.values[k] = strings.Join(vals, ", ")
	}
	return out
}

// shopifyRecord turns the rows of one Shopify product into a record: the
// product's own columns from its first row, and a line per variant.
func shopifyRecord(rows []record) record {
	first := rows[0]
	get := func(r record, col string) string {
		v, _ := r.get(col)
		return scalarString(v)
	}
	out := record{values: map[string]any{}}
	add := func(key string, v any) {
		out.keys = append(out.keys, key)
		out.values[key] = v
	}
	add("id", get(first, "Handle"))
	add("title", get(first, "Title"))
	add("text", htmlToText(get(first, "Body (HTML)")))
	for _, col := range []string{"Vendor", "Type", "Product Category", "Tags"} {
		if v := get(first, col); v != "" {
			add(col, v)
		}
	}
	var variants []any
	for _, r := range rows {
		var parts []string
		for i := 1; i <= 3; i++ {
			name, val := get(first, fmt.Sprintf("Option%d Name", i)), get(r, fmt.Sprintf("Option%d Value", i))
			if val != "" && val != "Default Title" {
				if name == "" {
					name = fmt.Sprintf("Option %d", i)
				}
				parts = append(parts, name+" "+val)
			}
		}
		for _, col := range []string{"Variant SKU", "Variant Price", "Variant Inventory Qty"} {
			if v := get(r, col); v != "" {
				parts = append(parts, strings.TrimPrefix(col, "Variant ")+" "+v)
			}
		}
		if len(parts) > 0 {
			variants = append(variants, strings.Join(parts, ", "))
		}
	}
	if len(variants) > 0 {
		add("variants", variants)
	}
	add("kind", "product")
	return out
}
