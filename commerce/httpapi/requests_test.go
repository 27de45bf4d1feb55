package httpapi

import (
	"encoding/json"
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/shopdesk/shopdesk/commerce"
)

func TestReturnsOfAnOrder(t *testing.T) {
	c, _ := newShopify(t)
	got, err := c.Returns(t.Context(), "t1", "1001")
	if err != nil {
		t.Fatal(err)
	}
	refunded := time.Date(2026, 8, 20, 10, 0, 0, 0, time.UTC)
	want := []commerce.ReturnRequest{{ID: "R-76", OrderID: "1001", Resolution: "refund", Status: "refunded",
		RefundAmount: ptr(24.5), RefundedAt: &refunded}}
	sameJSON(t, got, want) // the record naming another order is dropped
}

func TestCreateRequest(t *testing.T) {
	c, s := newShopify(t)
	for _, tc := range []struct {
		kind, id, status string
	}{
		{commerce.RequestCancel, "C-5", "requested"},
		{commerce.RequestInvoice, "INV-9", "queued"},
	} {
		t.Run(tc.kind, func(t *testing.T) {
			r := commerce.ServiceRequest{Kind: tc.kind, OrderID: "1001", CustomerID: "207119551", InvoiceTitle: "Ana Silva"}
			got, err := c.CreateRequest(t.Context(), "t1", r)
			if err != nil {
				t.Fatal(err)
			}
			if got.ID != tc.id || got.Status != tc.status || !got.Delivered {
				t.Errorf("got %+v", got)
			}
			last := s.requests()[len(s.requests())-1]
			var posted commerce.ServiceRequest
			if err := json.Unmarshal(last.body, &posted); err != nil || last.method != http.MethodPost ||
				posted.Kind != tc.kind || posted.OrderID != "1001" || posted.CreatedAt.IsZero() {
				t.Errorf("posted %s %s: %+v, %v", last.method, last.body, posted, err)
			}
		})
	}
	// change_address has no endpoint in the worked example.
	_, err := c.CreateRequest(t.Context(), "t1", commerce.ServiceRequest{Kind: commerce.RequestAddress, OrderID: "1001"})
	if !errors.Is(err, ErrNotConfigured) || !errors.Is(err, commerce.ErrNotSupported) {
		t.Errorf("change_address err = %v, want ErrNotConfigured and ErrNotSupported", err)
	}
	min := mustNew(t, minimalConfig("http://127.0.0.1:1"))
	if _, err := min.Returns(t.Context(), "t1", "1"); !errors.Is(err, commerce.ErrNotSupported) {
		t.Errorf("Returns without an endpoint: %v", err)
	}
}
