package sqlstore

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/shopdesk/shopdesk/commerce"
	"github.com/shopdesk/shopdesk/tenant"
)

// StatusRequested is the status of a return request just filed.
const StatusRequested = "requested"

// maxReasonRunes bounds the reason stored with a return request.
const maxReasonRunes = 2000

// CreateReturn files r against the tenant's order r.OrderID and returns it
// with a new ID ("RMA-" and 8 characters of base32, unique within the
// tenant), status "requested" and CreatedAt now (UTC, to the millisecond).
// The order must exist (else commerce.ErrNotFound, wrapped); every line
// must name a SKU of the order with a quantity between 1 and the quantity
// ordered; an exchange needs an ExchangeSKU on each line; an empty
// Resolution means a refund; an empty CustomerID is the order's.
func (s *Store) CreateReturn(ctx context.Context, t string, r commerce.ReturnRequest) (commerce.ReturnRequest, error) {
	if err := tenant.Validate(t); err != nil {
		return commerce.ReturnRequest{}, err
	}
	o, err := s.Order(ctx, t, r.OrderID)
	if err != nil {
		return commerce.ReturnRequest{}, fmt.Errorf("create return: %w", err)
	}
	if err := checkReturn(&r, o); err != nil {
		return commerce.ReturnRequest{}, fmt.Errorf("create return for order %s: %w", o.ID, err)
	}
	if r.CustomerID == "" {
		r.CustomerID = o.CustomerID
	}
	r.Status = StatusRequested
	r.CreatedAt = s.now().UTC().Truncate(time.Millisecond)
	lines, err := json.Marshal(r.Lines)
	if err != nil {
		return commerce.ReturnRequest{}, fmt.Errorf("create return: %w", err)
	}
	for range 5 {
		r.ID, err = newID("RMA-")
		if err != nil {
			return commerce.ReturnRequest{}, fmt.Errorf("create return: %w", err)
		}
		res, err := s.db.ExecContext(ctx, `INSERT INTO return_requests (tenant, id, order_id, customer_id,
				conversation_id, lines, reason, resolution, status, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (tenant, id) DO NOTHING`,
			t, r.ID, r.OrderID, r.CustomerID, r.ConversationID, string(lines), r.Reason, r.Resolution,
			r.Status, r.CreatedAt.UnixMilli())
		if err != nil {
			return commerce.ReturnRequest{}, fmt.Errorf("create return for order %s: %w", o.ID, err)
		}
		if n, err := res.RowsAffected(); err == nil && n == 1 {
			return r, nil
		}
	}
	return commerce.ReturnRequest{}, errors.New("create return: no free return ID after 5 tries")
}

// checkReturn validates r against its order and normalises its fields.
func checkReturn(r *commerce.ReturnRequest, o commerce.Order) error {
	switch r.Resolution {
	case "":
		r.Resolution = commerce.ResolutionRefund
	case commerce.ResolutionRefund, commerce.ResolutionExchange:
	default:
		return fmt.Errorf("resolution %q is not %s or %s", r.Resolution, commerce.ResolutionRefund, commerce.ResolutionExchange)
	}
	if len(r.Lines) == 0 {
		return errors.New("no lines to return")
	}
	ordered := map[string]int{}
	for _, l := range o.Lines {
		ordered[l.SKU] += l.Qty
	}
	asked := map[string]int{}
	for i, l := range r.Lines {
		if _, ok := ordered[l.SKU]; !ok {
			return fmt.Errorf("line %d: %s is not in the order", i+1, l.SKU)
		}
		if l.Qty < 1 {
			return fmt.Errorf("line %d: quantity %d is below 1", i+1, l.Qty)
		}
		if asked[l.SKU] += l.Qty; asked[l.SKU] > ordered[l.SKU] {
			return fmt.Errorf("line %d: %d of %s asked back, %d ordered", i+1, asked[l.SKU], l.SKU, ordered[l.SKU])
		}
		if r.Resolution == commerce.ResolutionExchange && strings.TrimSpace(l.ExchangeSKU) == "" {
			return fmt.Errorf("line %d: an exchange needs the replacement SKU", i+1)
		}
	}
	r.Reason = bound(r.Reason, maxReasonRunes)
	return nil
}

// Returns lists the return requests filed against the tenant's order
// orderID, oldest first; none (and no error) when there are none.
func (s *Store) Returns(ctx context.Context, t, orderID string) ([]commerce.ReturnRequest, error) {
	if err := tenant.Validate(t); err != nil {
		return nil, err
	}
	rows, err := s.db.QueryContext(ctx, `SELECT id, customer_id, conversation_id, lines, reason, resolution,
		status, created_at FROM return_requests WHERE tenant = ? AND order_id = ? ORDER BY created_at, id`, t, orderID)
	if err != nil {
		return nil, fmt.Errorf("returns of order %s: %w", orderID, err)
	}
	defer rows.Close()
	out := []commerce.ReturnRequest{}
	for rows.Next() {
		r := commerce.ReturnRequest{OrderID: orderID}
		var lines string
		var created int64
		if err := rows.Scan(&r.ID, &r.CustomerID, &r.ConversationID, &lines, &r.Reason, &r.Resolution,
			&r.Status, &created); err != nil {
			return nil, fmt.Errorf("returns of order %s: %w", orderID, err)
		}
		if err := json.Unmarshal([]byte(lines), &r.Lines); err != nil {
			return nil, fmt.Errorf("return %s: %w", r.ID, err)
		}
		r.CreatedAt = time.UnixMilli(created).UTC()
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("returns of order %s: %w", orderID, err)
	}
	return out, nil
}

// ForgetCustomer removes the personal fields of the tenant's return and
// service requests filed by the customer or in one of conversations: the
// customer, the conversation, the reason in the shopper's words, and a
// service request's address, invoice title, tax ID and e-mail. The
// request itself (order, items, kind, resolution, status) stays, as the
// shop's record. It returns how many requests it changed.
func (s *Store) ForgetCustomer(ctx context.Context, t, customerID string, conversations []string) (int64, error) {
	if err := tenant.Validate(t); err != nil {
		return 0, err
	}
	if strings.TrimSpace(customerID) == "" {
		return 0, errors.New("forget customer: no customer ID")
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return 0, fmt.Errorf("forget customer: %w", err)
	}
	defer tx.Rollback()
	var n int64
	for _, forget := range []string{
		`UPDATE return_requests SET customer_id = '', conversation_id = '', reason = '' WHERE tenant = ? AND `,
		`UPDATE service_requests SET customer_id = '', conversation_id = '', data = '{}' WHERE tenant = ? AND `,
	} {
		for _, w := range append([][2]string{{"customer_id = ?", customerID}}, pairs("conversation_id = ?", conversations)...) {
			res, err := tx.ExecContext(ctx, forget+w[0], t, w[1])
			if err != nil {
				return 0, fmt.Errorf("forget customer: %w", err)
			}
			m, _ := res.RowsAffected()
			n += m
		}
	}
	if err := tx.Commit(); err != nil {
		return 0, fmt.Errorf("forget customer: %w", err)
	}
	return n, nil
}

func pairs(cond string, vals []string) [][2]string {
	out := make([][2]string, len(vals))
	for i, v := range vals {
		out[i] = [2]string{cond, v}
	}
	return out
}
