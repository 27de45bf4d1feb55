package privacy

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/shopdesk/shopdesk/commerce"
	"github.com/shopdesk/shopdesk/commerce/sqlstore"
	"github.com/shopdesk/shopdesk/conversation"
	"github.com/shopdesk/shopdesk/sqlite"
)

type fixture struct {
	convs *conversation.Store
	shop  *sqlstore.Store
	k     *Keeper
	now   time.Time
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	ctx := context.Background()
	db, err := sqlite.Open(filepath.Join(t.TempDir(), "shopdesk.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	f := &fixture{now: time.Now()}
	if f.convs, err = conversation.Open(ctx, db); err != nil {
		t.Fatal(err)
	}
	if f.shop, err = sqlstore.Open(ctx, db); err != nil {
		t.Fatal(err)
	}
	for kind, src := range map[sqlstore.Kind]string{
		sqlstore.Customers: "id,name,email\nC001,Emily,emily@example.com\nC002,Marcus,marcus@example.com\n",
		sqlstore.Products:  `[{"sku":"P1","name":"Tent","stock":3,"returnable":true}]`,
		sqlstore.Orders:    `[{"id":"O1","customer_id":"C001","email":"emily@example.com","status":"delivered","placed_at":"2026-11-01T00:00:00Z","currency":"USD","lines":[{"sku":"P1","name":"Tent","qty":1,"unit_price":10}]}]`,
	} {
		format := "json"
		if kind == sqlstore.Customers {
			format = "csv"
		}
		if _, err := f.shop.Import(ctx, "shop", kind, "x", strings.NewReader(src), format, nil); err != nil {
			t.Fatal(err)
		}
	}
	f.k, err = New(Options{Conversations: f.convs, Returns: f.shop, Customer: f.shop.Customer, Now: func() time.Time { return f.now }})
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func (f *fixture) conversation(t *testing.T, tenant, id, customer, email string) {
	t.Helper()
	c := &conversation.Conversation{ID: id, Tenant: tenant, CustomerID: customer, Details: conversation.Details{Email: email}}
	if err := f.convs.Save(context.Background(), c, []conversation.Message{
		{Role: "user", Content: "my email is " + email}, {Role: "assistant", Content: "thanks"}},
		&conversation.Handoff{ID: "h-" + tenant + id, Tenant: tenant, ConversationID: id, Payload: []byte(`{}`)}); err != nil {
		t.Fatal(err)
	}
}

func TestEraseCustomer(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	f.conversation(t, "shop", "signed-in", "C001", "")
	f.conversation(t, "shop", "anonymous-with-email", "", "Emily@Example.com")
	f.conversation(t, "shop", "someone-else", "C002", "marcus@example.com")
	f.conversation(t, "othershop", "signed-in", "C001", "emily@example.com")
	r, err := f.shop.CreateReturn(ctx, "shop", commerce.ReturnRequest{OrderID: "O1", ConversationID: "anonymous-with-email",
		Reason: "My name is Emily and it leaks", Lines: []commerce.ReturnLine{{SKU: "P1", Qty: 1}}})
	if err != nil {
		t.Fatal(err)
	}

	got, err := f.k.EraseCustomer(ctx, "shop", "C001")
	if err != nil {
		t.Fatal(err)
	}
	if got.Conversations != 2 || got.Messages != 4 || got.Notices != 2 || got.ReturnRequests != 1 || len(got.Kept) == 0 {
		t.Fatalf("erasure %+v", got)
	}
	for _, id := range []string{"signed-in", "anonymous-with-email"} {
		if _, err := f.convs.Load(ctx, "shop", id); !errors.Is(err, conversation.ErrNotFound) {
			t.Errorf("conversation %s survived: %v", id, err)
		}
	}
	if _, err := f.convs.Load(ctx, "shop", "someone-else"); err != nil {
		t.Errorf("another customer's conversation was erased: %v", err)
	}
	if _, err := f.convs.Load(ctx, "othershop", "signed-in"); err != nil {
		t.Errorf("another tenant's conversation was erased: %v", err)
	}
	if pending, _ := f.convs.PendingHandoffs(ctx, 10); len(pending) != 2 {
		t.Errorf("%d hand-off notices left; want the other customer's and the other tenant's", len(pending))
	}
	rs, err := f.shop.Returns(ctx, "shop", "O1")
	if err != nil || len(rs) != 1 || rs[0].ID != r.ID || rs[0].CustomerID != "" || rs[0].ConversationID != "" || rs[0].Reason != "" || rs[0].Lines[0].SKU != "P1" {
		t.Fatalf("return request after erasure: %+v %v", rs, err)
	}
	// Again: nothing left to remove.
	if again, err := f.k.EraseCustomer(ctx, "shop", "C001"); err != nil || again.Conversations != 0 || again.ReturnRequests != 0 {
		t.Fatalf("second erasure %+v %v", again, err)
	}
	for _, bad := range []string{"", "  ", strings.Repeat("x", 129)} {
		if _, err := f.k.EraseCustomer(ctx, "shop", bad); err == nil {
			t.Errorf("customer ID %q accepted", bad)
		}
	}
}

func TestPruneByRetention(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	f.conversation(t, "shop", "a", "", "")
	f.conversation(t, "shop", "b", "", "")
	f.convs.HandoffDelivered(ctx, "h-shopa") // b's notice is still undelivered
	pruned := 0
	f.k.opts.Pruners = []Pruner{{Name: "verify_failures", Prune: func(context.Context) (int64, error) { pruned++; return 3, nil }},
		{Name: "broken", Prune: func(context.Context) (int64, error) { return 0, errors.New("disk on fire") }}}
	if p, _ := f.k.Prune(ctx); p.Conversations != 0 {
		t.Fatalf("conversations inside the retention period were pruned: %+v", p)
	}
	f.now = time.Now().Add(181 * 24 * time.Hour)
	p, err := f.k.Prune(ctx)
	if err == nil || !strings.Contains(err.Error(), "disk on fire") {
		t.Fatalf("a failing pruner was not reported: %v", err)
	}
	if p.Conversations != 2 || p.Messages != 4 || p.Notices != 1 || p.Other["verify_failures"] != 3 || pruned != 2 {
		t.Fatalf("pruned %+v (pruner ran %d times)", p, pruned)
	}
	if pending, _ := f.convs.PendingHandoffs(ctx, 10); len(pending) != 1 {
		t.Errorf("the undelivered notice was dropped: %d pending", len(pending))
	}
	f.conversation(t, "shop", "c", "", "")
	f.k.opts.Retention = -1 // keep forever
	f.now = f.now.Add(10 * 365 * 24 * time.Hour)
	if p, _ := f.k.Prune(ctx); p.Conversations != 0 {
		t.Fatalf("retention off still pruned %d", p.Conversations)
	}
}
