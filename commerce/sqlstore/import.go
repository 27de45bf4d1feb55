package sqlstore

import (
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/shopdesk/shopdesk/commerce"
	"github.com/shopdesk/shopdesk/tenant"
)

// Kind is what a file to import holds: Customers, Orders or Products.
type Kind string

// The kinds of file Import reads.
const (
	Customers Kind = "customers"
	Orders    Kind = "orders"
	Products  Kind = "products"
)

// Mapping names, for each of our fields, the file's field or column that
// holds it: {"id": "customer_number", "email": "Email"}. Our names are the
// JSON names of the commerce types ("customer_id" and "order_id" also
// name the id of customers and orders); nested fields are "lines.sku",
// "lines.qty", "variants.sku", "variants.stock" and so on, and "lines" or
// "variants" names the nested list itself. A JSON name may be a dotted
// path ("shipping_address.zip"); "-" ignores a field. Fields not mapped
// are looked for under our name and common synonyms (customer_id, e-mail,
// order_number, title, price, quantity, Variant SKU, ...), ignoring case,
// spaces and punctuation. An empty Mapping uses only those defaults.
type Mapping map[string]string

// Problem is a record that was not imported, and why.
type Problem struct {
	// Where names the file and the record: "orders.json: record 3" for
	// the third element of a JSON list, "customers.csv:7" for line 7 of a
	// CSV or JSONL file.
	Where string `json:"where"`
	// Err says what is wrong, naming the field.
	Err string `json:"error"`
}

// ImportResult counts the records of one file: added, replacing a
// different stored record, or identical to the stored one. Problems are
// the records left out.
type ImportResult struct {
	Added, Updated, Unchanged int
	Problems                  []Problem
}

// Limits on one import.
const (
	// MaxImportBytes is the largest file Import reads.
	MaxImportBytes = 64 << 20
	// maxRecords bounds the records (CSV rows) of one file.
	maxRecords = 500_000
	// maxSubs bounds the lines of an order, variants of a product and
	// entries of a list field.
	maxSubs = 1000
)

// Import reads the records of kind from r, a file called name (used in
// messages and, with an empty format, for its extension), and stores them
// for tenant t in one transaction. format is "csv", "json", "jsonl" or ""
// (by extension: .csv, .json, .jsonl or .ndjson; otherwise by content).
//
// JSON is a list of records, an object holding one under the kind's name
// (or "data", "items", "records", "results"; beside it, "dated_relative_to"
// moves the dates to the day of the import), one record, or JSON lines;
// orders nest their "lines" and products their "variants". CSV has a
// header row; customers take a row each, orders a row per line and
// products a row per variant, the rows of one order or product grouped by
// id wherever they are, its own fields from the first row filling them.
// Dates are RFC 3339, "2006-01-02 15:04:05" or "2006-01-02", UTC without
// a zone.
//
// A record that is stored already is replaced whole (its lines or
// variants too) unless identical; records not in the file are kept. When
// an id appears more than once in a file, the last valid record wins. A
// bad record (no id, a wrong type, an unreadable date or number, a
// negative quantity, a line or variant without SKU) becomes a Problem and
// the rest go in. The error is for a file that cannot be read as a whole:
// empty, over MaxImportBytes, not CSV or JSON (a JSON or CSV syntax error
// included), a CSV header without the id column or a mapped column, an
// unknown kind or mapping field; nothing is stored then.
func (s *Store) Import(ctx context.Context, t string, kind Kind, name string, r io.Reader, format string, m Mapping) (ImportResult, error) {
	var res ImportResult
	if err := tenant.Validate(t); err != nil {
		return res, err
	}
	spec, ok := kinds[kind]
	if !ok {
		return res, fmt.Errorf("import %s: unknown kind %q; use customers, orders or products", name, kind)
	}
	n, err := resolve(spec, m)
	if err != nil {
		return res, fmt.Errorf("import %s: %w", name, err)
	}
	data, err := io.ReadAll(io.LimitReader(r, MaxImportBytes+1))
	if err != nil {
		return res, fmt.Errorf("import %s: %w", name, err)
	}
	if len(data) > MaxImportBytes {
		return res, fmt.Errorf("import %s: larger than %d MiB; split the file", name, MaxImportBytes>>20)
	}
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	if len(bytes.TrimSpace(data)) == 0 {
		return res, fmt.Errorf("import %s: the file is empty", name)
	}
	if bytes.IndexByte(data, 0) >= 0 {
		return res, fmt.Errorf("import %s: not a text file", name)
	}
	rd := &reader{name: name, kind: kind, spec: spec, n: n, m: m}
	var items []item
	switch format = formatOf(format, name, data); format {
	case "csv":
		items, err = rd.csvItems(data)
	case "json":
		items, err = rd.jsonItems(data)
	case "jsonl":
		items, err = rd.jsonLines(data)
	default:
		return res, fmt.Errorf("import %s: unknown format %q; use csv, json or jsonl", name, format)
	}
	if err != nil {
		return res, fmt.Errorf("import %w", err)
	}

	days := 0
	if rd.datedFor != nil {
		days = daysSince(*rd.datedFor, s.now())
	}
	var ids []string
	latest := map[string]any{}
	for _, it := range items {
		id, rec, where, err := convert(kind, it)
		if err != nil {
			res.Problems = append(res.Problems, Problem{Where: where, Err: err.Error()})
			continue
		}
		rec = redate(rec, days)
		if _, dup := latest[id]; !dup {
			ids = append(ids, id)
		}
		latest[id] = rec
	}
	if err := s.write(ctx, t, kind, ids, latest, &res); err != nil {
		return ImportResult{}, fmt.Errorf("import %s: %w", name, err)
	}
	if res.Added+res.Updated > 0 {
		s.bump(t)
	}
	return res, nil
}

// formatOf picks the format: the one given, else by extension, else by
// the first character.
func formatOf(format, name string, data []byte) string {
	if format = strings.ToLower(strings.TrimSpace(format)); format != "" {
		if format == "ndjson" {
			return "jsonl"
		}
		return format
	}
	switch strings.ToLower(filepath.Ext(name)) {
	case ".csv", ".tsv":
		return "csv"
	case ".json":
		return "json"
	case ".jsonl", ".ndjson":
		return "jsonl"
	}
	if c := bytes.TrimSpace(data)[0]; c == '[' || c == '{' {
		return "json"
	}
	return "csv"
}

// digest fingerprints a record as stored, to tell unchanged ones.
func digest(rec any) (string, error) {
	b, err := json.Marshal(rec)
	if err != nil {
		return "", err
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:16]), nil
}

// write stores recs (by id, in the order of ids) in one transaction and
// counts them in res.
func (s *Store) write(ctx context.Context, t string, kind Kind, ids []string, recs map[string]any, res *ImportResult) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	table, key := string(kind), idField(kind)
	lookup, err := tx.PrepareContext(ctx, `SELECT digest FROM `+table+` WHERE tenant = ? AND `+key+` = ?`)
	if err != nil {
		return err
	}
	defer lookup.Close()
	now := s.now().UnixMilli()
	for _, id := range ids {
		if err := ctx.Err(); err != nil {
			return err
		}
		rec := recs[id]
		sum, err := digest(rec)
		if err != nil {
			return err
		}
		var old string
		switch err := lookup.QueryRowContext(ctx, t, id).Scan(&old); {
		case errors.Is(err, sql.ErrNoRows):
			res.Added++
		case err != nil:
			return err
		case old == sum:
			res.Unchanged++
			continue
		default:
			res.Updated++
		}
		switch rec := rec.(type) {
		case commerce.Customer:
			err = putCustomer(ctx, tx, t, rec, sum, now)
		case commerce.Order:
			err = putOrder(ctx, tx, t, rec, sum, now)
		case commerce.Product:
			err = putProduct(ctx, tx, t, rec, sum, now)
		default:
			err = fmt.Errorf("cannot store %T", rec)
		}
		if err != nil {
			return fmt.Errorf("%s %s: %w", kind, id, err)
		}
	}
	return tx.Commit()
}

// putCustomer inserts or replaces c.
func putCustomer(ctx context.Context, tx *sql.Tx, t string, c commerce.Customer, sum string, now int64) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO customers (tenant, id, name, email, phone, postcode, country,
			language, digest, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (tenant, id) DO UPDATE SET name = excluded.name, email = excluded.email,
			phone = excluded.phone, postcode = excluded.postcode, country = excluded.country,
			language = excluded.language, digest = excluded.digest, updated_at = excluded.updated_at`,
		t, c.ID, c.Name, c.Email, c.Phone, c.Postcode, c.Country, c.Language, sum, now)
	return err
}

// putOrder inserts or replaces o and all its lines.
func putOrder(ctx context.Context, tx *sql.Tx, t string, o commerce.Order, sum string, now int64) error {
	var shipped, delivered any
	if o.ShippedAt != nil {
		shipped = o.ShippedAt.UnixMilli()
	}
	if o.DeliveredAt != nil {
		delivered = o.DeliveredAt.UnixMilli()
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO orders (tenant, id, customer_id, email, phone, status,
			placed_at, shipped_at, delivered_at, carrier, tracking_number, currency, shipping_postcode,
			subtotal, shipping, total, digest, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (tenant, id) DO UPDATE SET customer_id = excluded.customer_id, email = excluded.email,
			phone = excluded.phone, status = excluded.status, placed_at = excluded.placed_at,
			shipped_at = excluded.shipped_at, delivered_at = excluded.delivered_at, carrier = excluded.carrier,
			tracking_number = excluded.tracking_number, currency = excluded.currency,
			shipping_postcode = excluded.shipping_postcode, subtotal = excluded.subtotal,
			shipping = excluded.shipping, total = excluded.total, digest = excluded.digest,
			updated_at = excluded.updated_at`,
		t, o.ID, o.CustomerID, o.Email, o.Phone, o.Status, o.PlacedAt.UnixMilli(), shipped, delivered,
		o.Carrier, o.TrackingNumber, o.Currency, o.ShippingPostcode, o.Subtotal, o.Shipping, o.Total, sum, now); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM order_lines WHERE tenant = ? AND order_id = ?`, t, o.ID); err != nil {
		return err
	}
	for i, l := range o.Lines {
		if _, err := tx.ExecContext(ctx, `INSERT INTO order_lines (tenant, order_id, line_no, sku, name, qty, unit_price)
			VALUES (?, ?, ?, ?, ?, ?, ?)`, t, o.ID, i+1, l.SKU, l.Name, l.Qty, l.UnitPrice); err != nil {
			return err
		}
	}
	return nil
}

// putProduct inserts or replaces p, variants included.
func putProduct(ctx context.Context, tx *sql.Tx, t string, p commerce.Product, sum string, now int64) error {
	data, err := json.Marshal(p)
	if err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO products (tenant, sku, name, category, data, digest, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (tenant, sku) DO UPDATE SET name = excluded.name, category = excluded.category,
			data = excluded.data, digest = excluded.digest, updated_at = excluded.updated_at`,
		t, p.SKU, p.Name, p.Category, string(data), sum, now)
	return err
}
