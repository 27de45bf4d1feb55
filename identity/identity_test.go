package identity

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"sync"
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

// Guesses spread over conversations and sources are still bounded per
// order number, even when they arrive at once.
func TestVerifyLimitPerOrder(t *testing.T) {
	v := newVerifier(t, time.Millisecond)
	v.opts.PerConversation, v.opts.PerSource, v.opts.PerOrder = 1000, 1000, 10
	ctx := context.Background()
	var wg sync.WaitGroup
	var mu sync.Mutex
	outcomes := map[error]int{}
	for i := range 200 {
		wg.Go(func() {
			_, err := v.Verify(ctx, Claim{Tenant: "shop", ConversationID: fmt.Sprintf("c%d", i), Source: fmt.Sprintf("10.0.%d.%d", i/256, i%256),
				OrderID: "HL-100101", Proof: fmt.Sprintf("%05d", 10000+i)})
			mu.Lock()
			outcomes[err]++
			mu.Unlock()
		})
	}
	wg.Wait()
	if outcomes[ErrNotVerified] != 10 || outcomes[ErrLocked] != 190 {
		t.Fatalf("outcomes %v: want exactly 10 guesses tried and 190 locked out", outcomes)
	}
	// The right answer is now refused too, from anywhere.
	if _, err := v.Verify(ctx, Claim{Tenant: "shop", ConversationID: "new", Source: "elsewhere", OrderID: "hl-100101", Proof: "89501"}); !errors.Is(err, ErrLocked) {
		t.Fatalf("right answer after the order's limit: %v", err)
	}
	// Other orders and other tenants are not affected.
	if _, err := v.Verify(ctx, Claim{Tenant: "other", ConversationID: "new", Source: "elsewhere", OrderID: "HL-100101", Proof: "89501"}); !errors.Is(err, ErrNotVerified) {
		t.Fatalf("another tenant's order of the same number: %v", err)
	}
	// A window later the lock lifts, and old failures can be pruned.
	v.now = func() time.Time { return time.Now().Add(2 * time.Hour) }
	if n, err := v.Prune(ctx); err != nil || n != 33 {
		t.Fatalf("pruned %d, %v; want 33: three keys for each of the 11 failures", n, err)
	}
	if _, err := v.Verify(ctx, Claim{Tenant: "shop", ConversationID: "later", Source: "x", OrderID: "HL-100101", Proof: "89501"}); err != nil {
		t.Fatalf("after the window: %v", err)
	}
}

// A success clears the failures it reserved, so honest shoppers never
// use up a limit.
func TestVerifySuccessLeavesNoFailure(t *testing.T) {
	v := newVerifier(t, time.Millisecond)
	ctx := context.Background()
	for i := range 5 {
		if _, err := v.Verify(ctx, Claim{Tenant: "shop", ConversationID: "c", Source: "s", OrderID: "HL-100101", Proof: "89501"}); err != nil {
			t.Fatalf("attempt %d: %v", i, err)
		}
	}
	var n int
	v.opts.DB.QueryRow(`SELECT COUNT(*) FROM verify_failures`).Scan(&n)
	if n != 0 {
		t.Fatalf("%d failures recorded for successes", n)
	}
}
