// Package sqlstore is the embedded commerce backend: customers, orders,
// the catalog and return requests kept in shopdesk's own SQLite database
// and filled from the merchant's export files by Import (what `shopdesk
// import` calls). Every table is keyed by tenant first, and every query
// names its tenant, so one merchant never reads another's records.
package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/shopdesk/shopdesk/commerce"
	"github.com/shopdesk/shopdesk/sqlite"
	"github.com/shopdesk/shopdesk/tenant"
)

// migrations are the commerce tables, appended to only. Times are Unix
// milliseconds in UTC; digest is a hash of the record as imported, so a
// re-import can tell an unchanged record from an updated one.
var migrations = []string{
	`CREATE TABLE customers (
		tenant     TEXT NOT NULL,
		id         TEXT NOT NULL,
		name       TEXT NOT NULL DEFAULT '',
		email      TEXT NOT NULL DEFAULT '',
		phone      TEXT NOT NULL DEFAULT '',
		postcode   TEXT NOT NULL DEFAULT '',
		country    TEXT NOT NULL DEFAULT '',
		language   TEXT NOT NULL DEFAULT '',
		digest     TEXT NOT NULL,
		updated_at INTEGER NOT NULL,
		PRIMARY KEY (tenant, id)
	);
	CREATE INDEX customers_email ON customers (tenant, email);
	CREATE TABLE orders (
		tenant            TEXT NOT NULL,
		id                TEXT NOT NULL,
		customer_id       TEXT NOT NULL DEFAULT '',
		email             TEXT NOT NULL DEFAULT '',
		phone             TEXT NOT NULL DEFAULT '',
		status            TEXT NOT NULL,
		placed_at         INTEGER NOT NULL,
		shipped_at        INTEGER,
		delivered_at      INTEGER,
		carrier           TEXT NOT NULL DEFAULT '',
		tracking_number   TEXT NOT NULL DEFAULT '',
		currency          TEXT NOT NULL DEFAULT '',
		shipping_postcode TEXT NOT NULL DEFAULT '',
		subtotal          REAL NOT NULL DEFAULT 0,
		shipping          REAL NOT NULL DEFAULT 0,
		total             REAL NOT NULL DEFAULT 0,
		digest            TEXT NOT NULL,
		updated_at        INTEGER NOT NULL,
		PRIMARY KEY (tenant, id)
	);
	CREATE INDEX orders_customer ON orders (tenant, customer_id, placed_at);
	CREATE TABLE order_lines (
		tenant     TEXT NOT NULL,
		order_id   TEXT NOT NULL,
		line_no    INTEGER NOT NULL,
		sku        TEXT NOT NULL,
		name       TEXT NOT NULL DEFAULT '',
		qty        INTEGER NOT NULL,
		unit_price REAL NOT NULL DEFAULT 0,
		PRIMARY KEY (tenant, order_id, line_no),
		FOREIGN KEY (tenant, order_id) REFERENCES orders (tenant, id) ON DELETE CASCADE
	);
	CREATE INDEX order_lines_sku ON order_lines (tenant, sku);
	CREATE TABLE products (
		tenant     TEXT NOT NULL,
		sku        TEXT NOT NULL,
		name       TEXT NOT NULL DEFAULT '',
		category   TEXT NOT NULL DEFAULT '',
		data       TEXT NOT NULL,
		digest     TEXT NOT NULL,
		updated_at INTEGER NOT NULL,
		PRIMARY KEY (tenant, sku)
	);
	CREATE INDEX products_name ON products (tenant, name);
	CREATE INDEX products_category ON products (tenant, category);
	CREATE TABLE return_requests (
		tenant          TEXT NOT NULL,
		id              TEXT NOT NULL,
		order_id        TEXT NOT NULL,
		customer_id     TEXT NOT NULL DEFAULT '',
		conversation_id TEXT NOT NULL DEFAULT '',
		lines           TEXT NOT NULL,
		reason          TEXT NOT NULL DEFAULT '',
		resolution      TEXT NOT NULL,
		status          TEXT NOT NULL,
		created_at      INTEGER NOT NULL,
		PRIMARY KEY (tenant, id)
	);
	CREATE INDEX return_requests_order ON return_requests (tenant, order_id, created_at);`,
	// Service requests: cancellations, address changes, invoices. data
	// holds the kind's fields as JSON (address, invoice title, ...).
	`CREATE TABLE service_requests (
		tenant          TEXT NOT NULL,
		id              TEXT NOT NULL,
		kind            TEXT NOT NULL,
		order_id        TEXT NOT NULL,
		customer_id     TEXT NOT NULL DEFAULT '',
		conversation_id TEXT NOT NULL DEFAULT '',
		data            TEXT NOT NULL,
		status          TEXT NOT NULL,
		created_at      INTEGER NOT NULL,
		PRIMARY KEY (tenant, id)
	);
	CREATE INDEX service_requests_order ON service_requests (tenant, order_id, created_at);`,
}

// Store is the embedded commerce.Connector (and commerce.OrderLister). It
// is safe for concurrent use; an Import is one transaction, so readers see
// a file's records all at once or not at all.
type Store struct {
	db  *sql.DB
	now func() time.Time

	mu       sync.Mutex
	versions map[string]uint64 // imports that changed something, by tenant
}

var (
	_ commerce.Connector    = (*Store)(nil)
	_ commerce.OrderLister  = (*Store)(nil)
	_ commerce.Requests     = (*Store)(nil)
	_ commerce.ReturnLister = (*Store)(nil)
)

// Open creates or upgrades the commerce tables in db (component
// "commerce") and returns a Store over them.
func Open(ctx context.Context, db *sql.DB) (*Store, error) {
	if err := sqlite.Migrate(ctx, db, "commerce", migrations); err != nil {
		return nil, err
	}
	return &Store{db: db, now: time.Now, versions: map[string]uint64{}}, nil
}

// Version counts the imports into tenant t through this Store that added
// or changed a record: it changes whenever t's customers, orders or
// catalog may have, so caches built from them (package catalog's) know
// to reload. It starts at 0 and is kept in memory only; writes by another
// process are not seen (the data directory's lock keeps a second
// shopdesk out).
func (s *Store) Version(t string) uint64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.versions[t]
}

func (s *Store) bump(t string) {
	s.mu.Lock()
	s.versions[t]++
	s.mu.Unlock()
}

// Customer returns the tenant's customer id, or commerce.ErrNotFound.
func (s *Store) Customer(ctx context.Context, t, id string) (commerce.Customer, error) {
	if err := tenant.Validate(t); err != nil {
		return commerce.Customer{}, err
	}
	c := commerce.Customer{ID: id}
	err := s.db.QueryRowContext(ctx, `SELECT name, email, phone, postcode, country, language
		FROM customers WHERE tenant = ? AND id = ?`, t, id).
		Scan(&c.Name, &c.Email, &c.Phone, &c.Postcode, &c.Country, &c.Language)
	if errors.Is(err, sql.ErrNoRows) {
		return commerce.Customer{}, fmt.Errorf("customer %s: %w", id, commerce.ErrNotFound)
	}
	if err != nil {
		return commerce.Customer{}, fmt.Errorf("customer %s: %w", id, err)
	}
	return c, nil
}

// orderColumns are the orders columns scanOrder reads, in order.
const orderColumns = `id, customer_id, email, phone, status, placed_at, shipped_at, delivered_at,
	carrier, tracking_number, currency, shipping_postcode, subtotal, shipping, total`

// scanOrder reads one row of orderColumns.
func scanOrder(row interface{ Scan(...any) error }) (commerce.Order, error) {
	var o commerce.Order
	var placed int64
	var shipped, delivered sql.NullInt64
	err := row.Scan(&o.ID, &o.CustomerID, &o.Email, &o.Phone, &o.Status, &placed, &shipped, &delivered,
		&o.Carrier, &o.TrackingNumber, &o.Currency, &o.ShippingPostcode, &o.Subtotal, &o.Shipping, &o.Total)
	if err != nil {
		return commerce.Order{}, err
	}
	o.PlacedAt = time.UnixMilli(placed).UTC()
	o.ShippedAt, o.DeliveredAt = msTime(shipped), msTime(delivered)
	o.Lines = []commerce.OrderLine{}
	return o, nil
}

// msTime turns a nullable Unix-millisecond column into a time.
func msTime(v sql.NullInt64) *time.Time {
	if !v.Valid {
		return nil
	}
	t := time.UnixMilli(v.Int64).UTC()
	return &t
}

// Order returns the tenant's order id with its lines, or
// commerce.ErrNotFound.
func (s *Store) Order(ctx context.Context, t, id string) (commerce.Order, error) {
	if err := tenant.Validate(t); err != nil {
		return commerce.Order{}, err
	}
	o, err := scanOrder(s.db.QueryRowContext(ctx, `SELECT `+orderColumns+` FROM orders WHERE tenant = ? AND id = ?`, t, id))
	if errors.Is(err, sql.ErrNoRows) {
		return commerce.Order{}, fmt.Errorf("order %s: %w", id, commerce.ErrNotFound)
	}
	if err != nil {
		return commerce.Order{}, fmt.Errorf("order %s: %w", id, err)
	}
	orders := []commerce.Order{o}
	if err := s.addLines(ctx, t, orders, `order_id = ?`, id); err != nil {
		return commerce.Order{}, fmt.Errorf("order %s: %w", id, err)
	}
	return orders[0], nil
}

// Orders lists the customer's orders, newest first; none (and no error)
// for an unknown or empty customer ID, since guest orders have none.
func (s *Store) Orders(ctx context.Context, t, customerID string) ([]commerce.Order, error) {
	if err := tenant.Validate(t); err != nil {
		return nil, err
	}
	if customerID == "" {
		return []commerce.Order{}, nil
	}
	out, err := s.listOrders(ctx, t, `customer_id = ?`, customerID)
	if err != nil {
		return nil, fmt.Errorf("orders of customer %s: %w", customerID, err)
	}
	return out, nil
}

// AllOrders lists every order of the tenant, newest first.
func (s *Store) AllOrders(ctx context.Context, t string) ([]commerce.Order, error) {
	if err := tenant.Validate(t); err != nil {
		return nil, err
	}
	out, err := s.listOrders(ctx, t, `1 = 1`)
	if err != nil {
		return nil, fmt.Errorf("all orders: %w", err)
	}
	return out, nil
}

// listOrders reads the tenant's orders matching where (a condition on
// orders columns, with args), newest first, with their lines.
func (s *Store) listOrders(ctx context.Context, t, where string, args ...any) ([]commerce.Order, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT `+orderColumns+` FROM orders WHERE tenant = ? AND `+where+`
		ORDER BY placed_at DESC, id DESC`, append([]any{t}, args...)...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []commerce.Order{}
	for rows.Next() {
		o, err := scanOrder(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, o)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows.Close()
	if err := s.addLines(ctx, t, out, `order_id IN (SELECT id FROM orders WHERE tenant = ? AND `+where+`)`,
		append([]any{t}, args...)...); err != nil {
		return nil, err
	}
	return out, nil
}

// addLines fills in the lines of orders from the order_lines rows
// matching where.
func (s *Store) addLines(ctx context.Context, t string, orders []commerce.Order, where string, args ...any) error {
	index := make(map[string]int, len(orders))
	for i, o := range orders {
		index[o.ID] = i
	}
	rows, err := s.db.QueryContext(ctx, `SELECT order_id, sku, name, qty, unit_price FROM order_lines
		WHERE tenant = ? AND `+where+` ORDER BY order_id, line_no`, append([]any{t}, args...)...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var id string
		var l commerce.OrderLine
		if err := rows.Scan(&id, &l.SKU, &l.Name, &l.Qty, &l.UnitPrice); err != nil {
			return err
		}
		if i, ok := index[id]; ok {
			orders[i].Lines = append(orders[i].Lines, l)
		}
	}
	return rows.Err()
}

// Product returns the tenant's product with exactly this SKU (a variant's
// SKU does not find its product), or commerce.ErrNotFound.
func (s *Store) Product(ctx context.Context, t, sku string) (commerce.Product, error) {
	if err := tenant.Validate(t); err != nil {
		return commerce.Product{}, err
	}
	var data string
	err := s.db.QueryRowContext(ctx, `SELECT data FROM products WHERE tenant = ? AND sku = ?`, t, sku).Scan(&data)
	if errors.Is(err, sql.ErrNoRows) {
		return commerce.Product{}, fmt.Errorf("product %s: %w", sku, commerce.ErrNotFound)
	}
	if err != nil {
		return commerce.Product{}, fmt.Errorf("product %s: %w", sku, err)
	}
	var p commerce.Product
	if err := json.Unmarshal([]byte(data), &p); err != nil {
		return commerce.Product{}, fmt.Errorf("product %s: %w", sku, err)
	}
	return p, nil
}

// Products lists the tenant's whole catalog, ordered by SKU.
func (s *Store) Products(ctx context.Context, t string) ([]commerce.Product, error) {
	if err := tenant.Validate(t); err != nil {
		return nil, err
	}
	rows, err := s.db.QueryContext(ctx, `SELECT sku, data FROM products WHERE tenant = ? ORDER BY sku`, t)
	if err != nil {
		return nil, fmt.Errorf("products: %w", err)
	}
	defer rows.Close()
	out := []commerce.Product{}
	for rows.Next() {
		var sku, data string
		if err := rows.Scan(&sku, &data); err != nil {
			return nil, fmt.Errorf("products: %w", err)
		}
		var p commerce.Product
		if err := json.Unmarshal([]byte(data), &p); err != nil {
			return nil, fmt.Errorf("product %s: %w", sku, err)
		}
		out = append(out, p)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("products: %w", err)
	}
	return out, nil
}
