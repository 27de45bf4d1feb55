package main

import (
	"context"
	"io"
	"path/filepath"
	"strings"
	"testing"

	"github.com/shopdesk/shopdesk/actions"
	"github.com/shopdesk/shopdesk/commerce/sqlstore"
	"github.com/shopdesk/shopdesk/conversation"
	"github.com/shopdesk/shopdesk/identity"
	"github.com/shopdesk/shopdesk/sqlite"
	"github.com/shopdesk/shopdesk/tenant"
)

// The demo shop imported today, with make run's return policy: a recent
// delivery can be returned and an old one cannot, whatever the day.
func TestDemoReturnsMakeSenseToday(t *testing.T) {
	ctx := context.Background()
	db, err := sqlite.Open(filepath.Join(t.TempDir(), "shopdesk.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	store, err := sqlstore.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	specs, err := parseImports(demoImports)
	if err != nil {
		t.Fatal(err)
	}
	if problems, err := importFiles(ctx, store, tenant.Default, specs, "", nil, io.Discard); err != nil || problems != 0 {
		t.Fatalf("import: %d problems, %v", problems, err)
	}
	verifier, err := identity.New(ctx, identity.Options{DB: db, Orders: store.Order})
	if err != nil {
		t.Fatal(err)
	}
	holiday, err := actions.ParseHoliday("11-01..12-24:01-31") // as make run
	if err != nil {
		t.Fatal(err)
	}
	acts := actions.New(actions.Options{Shop: store, Verifier: verifier, Policy: actions.Policy{WindowDays: 30, Holiday: holiday}})
	for _, tc := range []struct{ customer, order, want string }{
		{"C006", "HL-100122", "Which items"},                   // delivered 18 days before the import
		{"C001", "HL-100101", "allows returns within 30 days"}, // 107 days before
	} {
		c := &conversation.Conversation{ID: "demo-" + tc.order, Tenant: tenant.Default, CustomerID: tc.customer}
		res, handled, err := acts.Handle(ctx, actions.Request{Tenant: tenant.Default, Source: "test", Language: "en",
			Message: "I want to return something from order " + tc.order, Conv: c})
		if err != nil || !handled || !strings.Contains(res.Text, tc.want) {
			t.Errorf("return of %s: %v, handled %v, %q; want %q", tc.order, err, handled, res.Text, tc.want)
		}
	}
}
