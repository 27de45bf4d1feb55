package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"

	"github.com/shopdesk/shopdesk/commerce/sqlstore"
	"github.com/shopdesk/shopdesk/conversation"
	"github.com/shopdesk/shopdesk/privacy"
	"github.com/shopdesk/shopdesk/tenant"
)

// cmdEraseCustomer removes a shopper's data from a data directory no
// server is using (a running server does the same on
// DELETE /api/customers/{id}/data).
func cmdEraseCustomer(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	own, rest := splitFlags(args, []string{"tenant"}, []string{"json"})
	fs := flag.NewFlagSet("erase-customer", flag.ContinueOnError)
	fs.SetOutput(stderr)
	tn := fs.String("tenant", tenant.Default, "tenant the customer belongs to")
	asJSON := fs.Bool("json", false, "print what was removed as JSON")
	if err := fs.Parse(own); err != nil {
		return err
	}
	cfg, pos, err := loadConfig("erase-customer", rest, getenv, stderr)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return errors.New("usage: shopdesk erase-customer [--tenant T] [--json] CUSTOMER_ID")
	}
	if err := tenant.Validate(*tn); err != nil {
		return err
	}
	db, closeDB, err := openDatabase(cfg.DataDir)
	if err != nil {
		return fmt.Errorf("%w\n(while serving, use DELETE /api/customers/{id}/data)", err)
	}
	defer closeDB()
	convs, err := conversation.Open(ctx, db)
	if err != nil {
		return err
	}
	opts := privacy.Options{Conversations: convs}
	if cfg.Commerce == "embedded" {
		shop, err := sqlstore.Open(ctx, db)
		if err != nil {
			return err
		}
		opts.Returns, opts.Customer = shop, shop.Customer
	}
	k, err := privacy.New(opts)
	if err != nil {
		return err
	}
	e, err := k.EraseCustomer(ctx, *tn, pos[0])
	if err != nil {
		return err
	}
	if *asJSON {
		return json.NewEncoder(stdout).Encode(e)
	}
	fmt.Fprintf(stdout, "erased customer %s of tenant %s: %d conversation(s) with %d message(s), %d hand-off notice(s); %d return request(s) anonymised\n",
		e.Customer, *tn, e.Conversations, e.Messages, e.Notices, e.ReturnRequests)
	for _, k := range e.Kept {
		fmt.Fprintf(stdout, "kept: %s\n", k)
	}
	return nil
}
