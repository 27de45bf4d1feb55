package sqlstore

import (
	"context"
	"crypto/rand"
	"encoding/base32"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/shopdesk/shopdesk/commerce"
	"github.com/shopdesk/shopdesk/tenant"
)

// Bounds of a service request's fields, in runes.
const (
	maxAddressRunes = 500
	maxFieldRunes   = 200
)

// requestData are the kind's fields, kept as JSON in service_requests.
type requestData struct {
	Address      string `json:"address,omitempty"`
	Postcode     string `json:"postcode,omitempty"`
	InvoiceTitle string `json:"invoice_title,omitempty"`
	TaxID        string `json:"tax_id,omitempty"`
	Email        string `json:"email,omitempty"`
}

// CreateRequest stores r against the tenant's order r.OrderID and returns
// it with a new ID ("REQ-" and 8 characters of base32), status
// "requested" and CreatedAt now. The store is a record, not the
// merchant's order system: Delivered stays false, so the caller passes
// the request on to a person. The order must exist (else
// commerce.ErrNotFound, wrapped); Kind must be one of commerce's request
// kinds; a change of address needs the address. Text fields are trimmed
// and cut to their bounds; an empty CustomerID is the order's.
func (s *Store) CreateRequest(ctx context.Context, t string, r commerce.ServiceRequest) (commerce.ServiceRequest, error) {
	if err := tenant.Validate(t); err != nil {
		return commerce.ServiceRequest{}, err
	}
	switch r.Kind {
	case commerce.RequestCancel, commerce.RequestAddress, commerce.RequestInvoice:
	default:
		return commerce.ServiceRequest{}, fmt.Errorf("create request: kind %q is not %s, %s or %s", r.Kind,
			commerce.RequestCancel, commerce.RequestAddress, commerce.RequestInvoice)
	}
	o, err := s.Order(ctx, t, r.OrderID)
	if err != nil {
		return commerce.ServiceRequest{}, fmt.Errorf("create request: %w", err)
	}
	d := requestData{Address: bound(r.Address, maxAddressRunes), Postcode: bound(r.Postcode, maxFieldRunes),
		InvoiceTitle: bound(r.InvoiceTitle, maxFieldRunes), TaxID: bound(r.TaxID, maxFieldRunes), Email: bound(r.Email, maxFieldRunes)}
	if r.Kind == commerce.RequestAddress && d.Address == "" {
		return commerce.ServiceRequest{}, fmt.Errorf("create request for order %s: a change of address needs the address", o.ID)
	}
	r.Address, r.Postcode, r.InvoiceTitle, r.TaxID, r.Email = d.Address, d.Postcode, d.InvoiceTitle, d.TaxID, d.Email
	if r.CustomerID == "" {
		r.CustomerID = o.CustomerID
	}
	r.OrderID, r.Status, r.Delivered = o.ID, commerce.ReturnRequested, false
	r.CreatedAt = s.now().UTC().Truncate(time.Millisecond)
	data, err := json.Marshal(d)
	if err != nil {
		return commerce.ServiceRequest{}, fmt.Errorf("create request: %w", err)
	}
	for range 5 {
		if r.ID, err = newID("REQ-"); err != nil {
			return commerce.ServiceRequest{}, fmt.Errorf("create request: %w", err)
		}
		res, err := s.db.ExecContext(ctx, `INSERT INTO service_requests (tenant, id, kind, order_id, customer_id,
				conversation_id, data, status, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (tenant, id) DO NOTHING`,
			t, r.ID, r.Kind, r.OrderID, r.CustomerID, r.ConversationID, string(data), r.Status, r.CreatedAt.UnixMilli())
		if err != nil {
			return commerce.ServiceRequest{}, fmt.Errorf("create request for order %s: %w", o.ID, err)
		}
		if n, err := res.RowsAffected(); err == nil && n == 1 {
			return r, nil
		}
	}
	return commerce.ServiceRequest{}, errors.New("create request: no free request ID after 5 tries")
}

// ServiceRequests lists the service requests filed against the tenant's
// order orderID, oldest first; none (and no error) when there are none.
func (s *Store) ServiceRequests(ctx context.Context, t, orderID string) ([]commerce.ServiceRequest, error) {
	if err := tenant.Validate(t); err != nil {
		return nil, err
	}
	rows, err := s.db.QueryContext(ctx, `SELECT id, kind, customer_id, conversation_id, data, status, created_at
		FROM service_requests WHERE tenant = ? AND order_id = ? ORDER BY created_at, id`, t, orderID)
	if err != nil {
		return nil, fmt.Errorf("requests of order %s: %w", orderID, err)
	}
	defer rows.Close()
	out := []commerce.ServiceRequest{}
	for rows.Next() {
		r := commerce.ServiceRequest{OrderID: orderID}
		var data string
		var created int64
		if err := rows.Scan(&r.ID, &r.Kind, &r.CustomerID, &r.ConversationID, &data, &r.Status, &created); err != nil {
			return nil, fmt.Errorf("requests of order %s: %w", orderID, err)
		}
		var d requestData
		if err := json.Unmarshal([]byte(data), &d); err != nil {
			return nil, fmt.Errorf("request %s: %w", r.ID, err)
		}
		r.Address, r.Postcode, r.InvoiceTitle, r.TaxID, r.Email = d.Address, d.Postcode, d.InvoiceTitle, d.TaxID, d.Email
		r.CreatedAt = time.UnixMilli(created).UTC()
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("requests of order %s: %w", orderID, err)
	}
	return out, nil
}

// bound trims s and cuts it to n runes.
func bound(s string, n int) string {
	s = strings.TrimSpace(s)
	if rs := []rune(s); len(rs) > n {
		return string(rs[:n])
	}
	return s
}

// newID draws a random reference: prefix and 8 characters of the RFC
// 4648 base32 alphabet (A-Z, 2-7), 40 bits.
func newID(prefix string) (string, error) {
	var b [5]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", err
	}
	return prefix + base32.StdEncoding.EncodeToString(b[:]), nil
}
