package identity

import (
	"context"
	"errors"
	"path/filepath"
	"testing"
	"time"

	"github.com/shopdesk/shopdesk/commerce"
	"github.com/shopdesk/shopdesk/sqlite"
)

var order = commerce.Order{ID: "HL-100101", CustomerID: "C001", Email: "Emily.Carter@example.com", Phone: "+1 775-555-0123", ShippingPostcode: "89501"}

func TestProves(t *testing.T) {
	for proof, want := range map[string]bool{
		"emily.carter@example.com": true,
		"(775) 555-0123":           true,
		"7755550123":               true,
		"89501":                    true,
		"emily@example.com":        false,
		"555-0123":                 false, // too few digits to prove anything
		"":                         false,
		"89502":                    false,
	} {
		if got := Proves(order, proof); got != want {
			t.Errorf("Proves(%q) = %v, want %v", proof, got, want)
		}
	}
	if Proves(commerce.Order{}, "") || Proves(commerce.Order{ID: "x"}, "x") {
		t.Error("an empty order was proven")
	}
}

func newVerifier(t *testing.T, min time.Duration) *Verifier {
	t.Helper()
	db, err := sqlite.Open(filepath.Join(t.TempDir(), "db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	v, err := New(context.Background(), Options{DB: db, MinDuration: min, PerConversation: 2, PerSource: 3,
		Orders: func(_ context.Context, tenant, id string) (commerce.Order, error) {
			if tenant == "shop" && id == order.ID {
				return order, nil
			}
			return commerce.Order{}, commerce.ErrNotFound
		}})
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func TestVerify(t *testing.T) {
	v := newVerifier(t, 50*time.Millisecond)
	ctx := context.Background()
	start := time.Now()
	o, err := v.Verify(ctx, Claim{Tenant: "shop", ConversationID: "c", Source: "ip", OrderID: "#hl-100101", Proof: "89501"})
	if err != nil || o.ID != order.ID {
		t.Fatalf("right proof: %v %+v", err, o)
	}
	if time.Since(start) < 50*time.Millisecond {
		t.Error("verification returned before the minimum duration")
	}
	_, missing := v.Verify(ctx, Claim{Tenant: "shop", ConversationID: "d", Source: "ip", OrderID: "HL-999999", Proof: "89501"})
	_, wrong := v.Verify(ctx, Claim{Tenant: "shop", ConversationID: "d", Source: "ip", OrderID: "HL-100101", Proof: "00000"})
	if !errors.Is(missing, ErrNotVerified) || missing.Error() != wrong.Error() {
		t.Errorf("a missing order (%v) and a wrong proof (%v) must look the same", missing, wrong)
	}
	// Conversation d has used its two attempts; the right proof is refused.
	if _, err := v.Verify(ctx, Claim{Tenant: "shop", ConversationID: "d", Source: "ip2", OrderID: "HL-100101", Proof: "89501"}); !errors.Is(err, ErrLocked) {
		t.Errorf("after 2 failures: %v, want locked", err)
	}
	// Source ip has 2 failures; one more from a fresh conversation locks it.
	v.Verify(ctx, Claim{Tenant: "shop", ConversationID: "e", Source: "ip", OrderID: "HL-1", Proof: "x"})
	if _, err := v.Verify(ctx, Claim{Tenant: "shop", ConversationID: "f", Source: "ip", OrderID: "HL-100101", Proof: "89501"}); !errors.Is(err, ErrLocked) {
		t.Errorf("after 3 failures from one source: %v, want locked", err)
	}
	// Another tenant cannot verify this tenant's order.
	if _, err := v.Verify(ctx, Claim{Tenant: "other", ConversationID: "g", Source: "ip3", OrderID: "HL-100101", Proof: "89501"}); !errors.Is(err, ErrNotVerified) {
		t.Errorf("other tenant: %v", err)
	}
}

func TestCustomerToken(t *testing.T) {
	secret := []byte("0123456789abcdef")
	now := time.Now()
	tok := SignCustomer(secret, "shop", "C001", now.Add(time.Hour))
	if id, err := CustomerFromToken(secret, "shop", tok, now); err != nil || id != "C001" {
		t.Fatalf("valid token: %q %v", id, err)
	}
	for name, bad := range map[string]func() (string, error){
		"other tenant": func() (string, error) { return CustomerFromToken(secret, "other", tok, now) },
		"other secret": func() (string, error) { return CustomerFromToken([]byte("different-secret"), "shop", tok, now) },
		"expired":      func() (string, error) { return CustomerFromToken(secret, "shop", tok, now.Add(2*time.Hour)) },
		"tampered":     func() (string, error) { return CustomerFromToken(secret, "shop", "QzAwMg."+tok[5:], now) },
		"garbage":      func() (string, error) { return CustomerFromToken(secret, "shop", "a.b", now) },
		"no secret":    func() (string, error) { return CustomerFromToken(nil, "shop", tok, now) },
	} {
		if id, err := bad(); err == nil {
			t.Errorf("%s: accepted as %q", name, id)
		}
	}
}
