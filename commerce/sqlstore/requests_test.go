package sqlstore

import (
	"context"
	"errors"
	"reflect"
	"regexp"
	"strings"
	"testing"

	"github.com/shopdesk/shopdesk/commerce"
)

func TestCreateRequest(t *testing.T) {
	ctx := context.Background()
	s := newStore(t)
	importFile(t, s, "acme", Orders, demoOrders, nil)
	addr := commerce.ServiceRequest{Kind: commerce.RequestAddress, OrderID: "HL-100128", ConversationID: "conv-1",
		Address: "  Jake Morrison, 12 Harbor St, Anchorage AK " + strings.Repeat("x", 600), Postcode: "99501"}
	got, err := s.CreateRequest(ctx, "acme", addr)
	if err != nil {
		t.Fatal(err)
	}
	if !regexp.MustCompile(`^REQ-[A-Z2-7]{8}$`).MatchString(got.ID) || got.Status != "requested" || got.CustomerID != "C006" ||
		got.Delivered || len([]rune(got.Address)) != maxAddressRunes || !strings.HasPrefix(got.Address, "Jake") {
		t.Errorf("created = %+v", got)
	}
	inv, err := s.CreateRequest(ctx, "acme", commerce.ServiceRequest{Kind: commerce.RequestInvoice, OrderID: "HL-100128",
		InvoiceTitle: "Morrison Outfitting LLC", TaxID: "91350100M000100Y43"})
	if err != nil {
		t.Fatal(err)
	}
	list, err := s.ServiceRequests(ctx, "acme", "HL-100128")
	if err != nil || len(list) != 2 || !reflect.DeepEqual(list[0], got) && !reflect.DeepEqual(list[1], got) {
		t.Fatalf("ServiceRequests = %+v, %v; want %+v among them", list, err, got)
	}
	if other, err := s.ServiceRequests(ctx, "other", "HL-100128"); err != nil || len(other) != 0 {
		t.Errorf("another tenant sees %+v, %v", other, err)
	}

	for _, tc := range []struct {
		name string
		r    commerce.ServiceRequest
		want string
	}{
		{"unknown kind", commerce.ServiceRequest{Kind: "refund_everything", OrderID: "HL-100128"}, "kind"},
		{"no such order", commerce.ServiceRequest{Kind: commerce.RequestCancel, OrderID: "HL-999999"}, "not found"},
		{"address missing", commerce.ServiceRequest{Kind: commerce.RequestAddress, OrderID: "HL-100128", Address: "  "}, "needs the address"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := s.CreateRequest(ctx, "acme", tc.r); err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("err = %v, want one saying %q", err, tc.want)
			}
		})
	}
	if _, err := s.CreateRequest(ctx, "acme", commerce.ServiceRequest{Kind: commerce.RequestCancel, OrderID: "HL-999999"}); !errors.Is(err, commerce.ErrNotFound) {
		t.Errorf("missing order: %v, want ErrNotFound", err)
	}

	// Erasure blanks the shopper's words but keeps the request.
	n, err := s.ForgetCustomer(ctx, "acme", "C006", nil)
	if err != nil || n != 2 {
		t.Fatalf("ForgetCustomer = %d, %v; want 2", n, err)
	}
	list, _ = s.ServiceRequests(ctx, "acme", "HL-100128")
	for _, r := range list {
		if r.CustomerID != "" || r.ConversationID != "" || r.Address != "" || r.InvoiceTitle != "" || r.TaxID != "" || r.Kind == "" {
			t.Errorf("after erasure: %+v", r)
		}
	}
	_ = inv
}
