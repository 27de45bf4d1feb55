package handoff

import (
	"context"
	"encoding/json"
	"log/slog"
	"time"

	"github.com/shopdesk/shopdesk/conversation"
)

// Sender delivers one hand-off notice; *Notifier is one.
type Sender interface {
	Send(ctx context.Context, e Event) error
}

// Queue holds the notices waiting for delivery; *conversation.Store is
// one (it writes them in the same transaction as the escalated turn).
type Queue interface {
	PendingHandoffs(ctx context.Context, limit int) ([]conversation.Handoff, error)
	HandoffDelivered(ctx context.Context, id string) error
	HandoffFailed(ctx context.Context, id string, cause error) error
}

// OutboxOptions configure an Outbox.
type OutboxOptions struct {
	Queue Queue
	// SenderFor returns the sender of a tenant's notices, and false for a
	// tenant without a webhook (its notices are marked delivered: the
	// escalation stays recorded on the conversation). Each tenant has its
	// own sender, so one merchant's transcripts never reach another's URL.
	SenderFor func(tenant string) (Sender, bool)
	// Retry is how long to wait before trying undelivered notices again
	// (default 1 minute).
	Retry time.Duration
	// Delivered, if set, is told each delivery's result.
	Delivered func(ok bool)
	Logger    *slog.Logger
}

// Outbox delivers queued hand-off notices to the merchants' webhooks. A
// notice that cannot be delivered stays queued and is tried again later,
// after a restart too.
type Outbox struct {
	opts OutboxOptions
	log  *slog.Logger
	wake chan struct{}
}

// NewOutbox returns an outbox over opts.Queue.
func NewOutbox(opts OutboxOptions) *Outbox {
	if opts.Retry <= 0 {
		opts.Retry = time.Minute
	}
	o := &Outbox{opts: opts, log: opts.Logger, wake: make(chan struct{}, 1)}
	if o.log == nil {
		o.log = slog.New(slog.DiscardHandler)
	}
	return o
}

// Wake asks the outbox to deliver now.
func (o *Outbox) Wake() {
	select {
	case o.wake <- struct{}{}:
	default:
	}
}

// Run delivers notices until ctx ends, then returns once the delivery in
// flight has stopped.
func (o *Outbox) Run(ctx context.Context) {
	for {
		o.deliver(ctx)
		select {
		case <-ctx.Done():
			return
		case <-o.wake:
		case <-time.After(o.opts.Retry):
		}
	}
}

func (o *Outbox) deliver(ctx context.Context) {
	pending, err := o.opts.Queue.PendingHandoffs(ctx, 100)
	if err != nil {
		if ctx.Err() == nil {
			o.log.Warn("hand-off outbox unreadable", "err", err)
		}
		return
	}
	for _, h := range pending {
		if ctx.Err() != nil {
			return
		}
		var ev Event
		if err := json.Unmarshal(h.Payload, &ev); err != nil {
			o.log.Warn("dropping an unreadable hand-off notice", "id", h.ID, "err", err)
			o.opts.Queue.HandoffDelivered(ctx, h.ID)
			continue
		}
		sender, ok := o.opts.SenderFor(h.Tenant)
		if !ok {
			// No webhook for this merchant: the conversation is marked
			// escalated; there is no one to notify.
			o.opts.Queue.HandoffDelivered(ctx, h.ID)
			continue
		}
		err := sender.Send(ctx, ev)
		if ctx.Err() != nil {
			return
		}
		if o.opts.Delivered != nil {
			o.opts.Delivered(err == nil)
		}
		if err != nil {
			o.log.Warn("hand-off notice not delivered; will retry", "id", h.ID, "tenant", h.Tenant, "conversation", h.ConversationID, "err", err)
			o.opts.Queue.HandoffFailed(ctx, h.ID, err)
			continue
		}
		o.opts.Queue.HandoffDelivered(ctx, h.ID)
		o.log.Info("hand-off notice delivered", "id", h.ID, "tenant", h.Tenant, "conversation", h.ConversationID)
	}
}
