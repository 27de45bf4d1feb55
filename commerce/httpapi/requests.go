package httpapi

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/shopdesk/shopdesk/commerce"
)

// notConfigured wraps both ErrNotConfigured and commerce.ErrNotSupported.
func notConfigured(name string) error {
	return fmt.Errorf("httpapi %s: %w (%w)", name, ErrNotConfigured, commerce.ErrNotSupported)
}

// Returns lists an order's return requests from the returns endpoint,
// oldest first, their statuses as the merchant gives them (lower-cased).
// Records that name another order are dropped.
func (c *Connector) Returns(ctx context.Context, tenant, orderID string) ([]commerce.ReturnRequest, error) {
	if c.returns == nil {
		return nil, notConfigured("returns")
	}
	recs, err := c.fetch(ctx, c.returns, map[string]string{"tenant": tenant, "order_id": orderID}, true)
	if err != nil {
		return nil, err
	}
	all, err := decodeAll[commerce.ReturnRequest](c.returns, recs)
	if err != nil {
		return nil, err
	}
	out := all[:0]
	for _, r := range all {
		if r.OrderID != "" && r.OrderID != orderID {
			continue
		}
		r.OrderID, r.Status = orderID, strings.ToLower(strings.TrimSpace(r.Status))
		out = append(out, r)
	}
	return out, nil
}

// CreateRequest sends r as JSON to the endpoint of its kind (CreatedAt
// set to now when zero) and returns it with the merchant's reference as
// ID, the status the answer gives ("requested" when none) and Delivered
// set. The request is never retried. Without the kind's endpoint the
// error wraps ErrNotConfigured and commerce.ErrNotSupported.
func (c *Connector) CreateRequest(ctx context.Context, tenant string, r commerce.ServiceRequest) (commerce.ServiceRequest, error) {
	e := map[string]*endpoint{commerce.RequestCancel: c.cancelOrder, commerce.RequestAddress: c.changeAddress,
		commerce.RequestInvoice: c.invoice}[r.Kind]
	if e == nil {
		return commerce.ServiceRequest{}, notConfigured(r.Kind)
	}
	if r.CreatedAt.IsZero() {
		r.CreatedAt = c.now().UTC()
	}
	body, err := json.Marshal(r)
	if err != nil {
		return commerce.ServiceRequest{}, fmt.Errorf("httpapi %s: %w", e.name, err)
	}
	recs, err := c.fetchBody(ctx, e, map[string]string{"tenant": tenant, "order_id": r.OrderID, "customer_id": r.CustomerID}, body)
	if err != nil {
		return commerce.ServiceRequest{}, err
	}
	got, err := decodeAll[commerce.ServiceRequest](e, recs)
	if err != nil {
		return commerce.ServiceRequest{}, err
	}
	if len(got) != 1 || strings.TrimSpace(got[0].ID) == "" {
		return commerce.ServiceRequest{}, fmt.Errorf("httpapi %s: the answer holds no reference id (map it with fields: {id: ...})", e.name)
	}
	r.ID, r.Status, r.Delivered = got[0].ID, firstNonEmpty(got[0].Status, commerce.ReturnRequested), true
	return r, nil
}
