// Package privacy keeps what shopdesk stores about shoppers within the
// bounds merchants owe them (PIPL, GDPR): old conversations are pruned
// after a retention period, stale records with them, and a shopper's data
// can be erased on request, with an account of what was removed.
package privacy

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/shopdesk/shopdesk/commerce"
	"github.com/shopdesk/shopdesk/conversation"
)

// DefaultRetention is how long conversations are kept after their last
// message, by default.
const DefaultRetention = 180 * 24 * time.Hour

// Conversations prunes and erases transcripts; *conversation.Store is one.
type Conversations interface {
	Prune(ctx context.Context, before time.Time) (conversation.Pruned, error)
	EraseCustomer(ctx context.Context, tenant, customerID string, emails []string) (conversation.Erased, error)
}

// Returns removes the personal fields of return requests;
// *sqlstore.Store is one.
type Returns interface {
	ForgetCustomer(ctx context.Context, tenant, customerID string, conversations []string) (int64, error)
}

// Pruner removes records that no longer serve a purpose (verification
// failures past their window, embeddings no document uses) and says how
// many.
type Pruner struct {
	Name  string
	Prune func(ctx context.Context) (int64, error)
}

// Options configure a Keeper. Conversations is required.
type Options struct {
	Conversations Conversations
	// Returns, if set, is the embedded store's return requests (a
	// merchant's own API keeps its own).
	Returns Returns
	// Customer, if set, looks a customer up, so that conversations in
	// which the shopper gave their email are erased too.
	Customer func(ctx context.Context, tenant, id string) (commerce.Customer, error)
	// Retention is how long a conversation is kept after its last message
	// (DefaultRetention for 0; negative keeps them forever).
	Retention time.Duration
	// Pruners run with each Prune.
	Pruners []Pruner
	// Every is how often Run prunes (default a day).
	Every  time.Duration
	Now    func() time.Time
	Logger *slog.Logger
}

// Keeper applies retention and erasure.
type Keeper struct {
	opts Options
	log  *slog.Logger
}

// New returns a Keeper over opts.
func New(opts Options) (*Keeper, error) {
	if opts.Conversations == nil {
		return nil, errors.New("privacy: Conversations is required")
	}
	if opts.Retention == 0 {
		opts.Retention = DefaultRetention
	}
	if opts.Every <= 0 {
		opts.Every = 24 * time.Hour
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	k := &Keeper{opts: opts, log: opts.Logger}
	if k.log == nil {
		k.log = slog.New(slog.DiscardHandler)
	}
	return k, nil
}

// Erasure is what EraseCustomer removed.
type Erasure struct {
	Customer       string `json:"customer_id"`
	Conversations  int64  `json:"conversations"`
	Messages       int64  `json:"messages"`
	Notices        int64  `json:"handoff_notices"`
	ReturnRequests int64  `json:"return_requests_anonymised"`
	// Kept says what stays, and why.
	Kept []string `json:"kept"`
}

// EraseCustomer removes the tenant's conversations with the customer
// (those bound to them, and those in which they gave their email), the
// details remembered in them, their hand-off notices, and the personal
// fields of their return requests.
func (k *Keeper) EraseCustomer(ctx context.Context, tenant, customerID string) (Erasure, error) {
	customerID = strings.TrimSpace(customerID)
	if customerID == "" || len(customerID) > 128 {
		return Erasure{}, fmt.Errorf("erase customer: a customer ID of 1 to 128 bytes is required")
	}
	var emails []string
	if k.opts.Customer != nil {
		c, err := k.opts.Customer(ctx, tenant, customerID)
		switch {
		case err == nil:
			emails = append(emails, c.Email)
		case !errors.Is(err, commerce.ErrNotFound):
			return Erasure{}, fmt.Errorf("erase customer: %w", err)
		}
	}
	e, err := k.opts.Conversations.EraseCustomer(ctx, tenant, customerID, emails)
	if err != nil {
		return Erasure{}, err
	}
	out := Erasure{Customer: customerID, Conversations: e.Conversations, Messages: e.Messages, Notices: e.Notices,
		Kept: []string{"the shop's own records (customer, orders, catalog) stay in the merchant's systems and are not changed"}}
	if k.opts.Returns != nil {
		if out.ReturnRequests, err = k.opts.Returns.ForgetCustomer(ctx, tenant, customerID, e.IDs); err != nil {
			return out, err
		}
		out.Kept = append(out.Kept, "return requests keep their order, items, resolution and status, without the customer, conversation or reason")
	}
	k.log.Info("customer data erased", "tenant", tenant, "conversations", out.Conversations, "messages", out.Messages,
		"notices", out.Notices, "return_requests", out.ReturnRequests)
	return out, nil
}

// Pruning is what one Prune removed.
type Pruning struct {
	conversation.Pruned
	Other map[string]int64 `json:"other"`
}

// Prune deletes conversations older than the retention period, then runs
// every Pruner. A failing pruner is reported and the others still run.
func (k *Keeper) Prune(ctx context.Context) (Pruning, error) {
	out := Pruning{Other: map[string]int64{}}
	var errs []error
	if k.opts.Retention > 0 {
		p, err := k.opts.Conversations.Prune(ctx, k.opts.Now().Add(-k.opts.Retention))
		if err != nil {
			errs = append(errs, err)
		}
		out.Pruned = p
	}
	for _, p := range k.opts.Pruners {
		n, err := p.Prune(ctx)
		if err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", p.Name, err))
			continue
		}
		out.Other[p.Name] = n
	}
	return out, errors.Join(errs...)
}

// Run prunes now and then every opts.Every, until ctx ends.
func (k *Keeper) Run(ctx context.Context) {
	for {
		p, err := k.Prune(ctx)
		if ctx.Err() != nil {
			return
		}
		if err != nil {
			k.log.Warn("pruning old records failed in part; will retry", "err", err)
		}
		removed := p.Conversations
		for _, n := range p.Other {
			removed += n
		}
		if removed > 0 {
			k.log.Info("pruned old records", "conversations", p.Conversations, "messages", p.Messages, "notices", p.Notices, "other", p.Other)
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(k.opts.Every):
		}
	}
}
