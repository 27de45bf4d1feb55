package assistant

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/shopdesk/shopdesk/conversation"
	"github.com/shopdesk/shopdesk/handoff"
)

// finishHandoff stores the turn together with the hand-off notice, so the
// notice is delivered even if shopdesk restarts before it goes out.
func (a *Assistant) finishHandoff(ctx context.Context, t *turn, d handoff.Decision) (Reply, error) {
	now := time.Now().UTC()
	transcript := make([]handoff.Turn, 0, len(t.conv.Messages)+2)
	for _, m := range t.conv.Messages {
		transcript = append(transcript, handoff.Turn{Role: m.Role, Content: m.Content, At: m.At})
	}
	transcript = append(transcript,
		handoff.Turn{Role: t.user.Role, Content: t.user.Content, At: now},
		handoff.Turn{Role: "assistant", Content: t.reply.Answer, At: now})
	b := make([]byte, 12)
	rand.Read(b)
	ev := handoff.Event{
		ID:             "handoff_" + hex.EncodeToString(b),
		Tenant:         t.req.Tenant,
		ConversationID: t.conv.ID,
		Reason:         d.Reason,
		Topic:          d.Topic,
		Summary:        handoffSummary(t, d),
		CustomerID:     t.conv.CustomerID,
		Language:       t.conv.Language,
		Transcript:     transcript,
		At:             now,
	}
	payload, err := json.Marshal(ev)
	if err != nil {
		return Reply{}, err
	}
	h := &conversation.Handoff{ID: ev.ID, Tenant: ev.Tenant, ConversationID: ev.ConversationID, Payload: payload, CreatedAt: now}
	reply, err := a.store(ctx, t, false, h)
	if err == nil && a.opts.HandoffQueued != nil {
		a.opts.HandoffQueued()
	}
	return reply, err
}

// handoffSummary tells the person taking over what they need at a glance.
func handoffSummary(t *turn, d handoff.Decision) string {
	var b strings.Builder
	reason := map[string]string{
		handoff.ReasonRequested:  "The shopper asked for a person.",
		handoff.ReasonNegative:   fmt.Sprintf("The shopper has been unhappy for %d messages in a row.", t.conv.NegativeStreak),
		handoff.ReasonUnanswered: fmt.Sprintf("The assistant could not answer %d times.", t.conv.Unanswered),
		handoff.ReasonHighRisk:   "High-risk topic (" + d.Topic + ").",
	}[d.Reason]
	b.WriteString(reason)
	fmt.Fprintf(&b, " Latest message: %q.", utf8Prefix(strings.Join(strings.Fields(t.user.Content), " "), 300))
	for _, line := range detailLines(t.conv) {
		b.WriteString(" " + line + ".")
	}
	if t.conv.Summary != "" {
		b.WriteString(" Earlier: " + utf8Prefix(t.conv.Summary, 1000))
	}
	return b.String()
}

// Sender delivers one hand-off notice; *handoff.Notifier is one.
type Sender interface {
	Send(ctx context.Context, e handoff.Event) error
}

// Outbox delivers queued hand-off notices to the merchant's webhook. A
// notice that cannot be delivered stays queued and is tried again later,
// after a restart too.
type Outbox struct {
	Store  *conversation.Store
	Sender Sender
	// Retry is how long to wait before trying undelivered notices again
	// (default 1 minute).
	Retry time.Duration
	// Delivered, if set, is told each delivery's result.
	Delivered func(ok bool)
	Log       *slog.Logger
	wake      chan struct{}
}

// NewOutbox returns an outbox delivering through sender.
func NewOutbox(store *conversation.Store, sender Sender) *Outbox {
	return &Outbox{Store: store, Sender: sender, Retry: time.Minute, wake: make(chan struct{}, 1)}
}

// Wake asks the outbox to deliver now.
func (o *Outbox) Wake() {
	select {
	case o.wake <- struct{}{}:
	default:
	}
}

// Run delivers notices until ctx ends.
func (o *Outbox) Run(ctx context.Context) {
	for {
		o.deliver(ctx)
		select {
		case <-ctx.Done():
			return
		case <-o.wake:
		case <-time.After(o.Retry):
		}
	}
}

func (o *Outbox) deliver(ctx context.Context) {
	pending, err := o.Store.PendingHandoffs(ctx, 100)
	if err != nil {
		o.warn("hand-off outbox unreadable", "err", err)
		return
	}
	for _, h := range pending {
		var ev handoff.Event
		if err := json.Unmarshal(h.Payload, &ev); err != nil {
			o.warn("dropping an unreadable hand-off notice", "id", h.ID, "err", err)
			o.Store.HandoffDelivered(ctx, h.ID)
			continue
		}
		err := o.Sender.Send(ctx, ev)
		if ctx.Err() != nil {
			return
		}
		if o.Delivered != nil {
			o.Delivered(err == nil)
		}
		if err != nil {
			o.warn("hand-off notice not delivered; will retry", "id", h.ID, "tenant", h.Tenant, "conversation", h.ConversationID, "err", err)
			o.Store.HandoffFailed(ctx, h.ID, err)
			continue
		}
		o.Store.HandoffDelivered(ctx, h.ID)
		if o.Log != nil {
			o.Log.Info("hand-off notice delivered", "id", h.ID, "tenant", h.Tenant, "conversation", h.ConversationID)
		}
	}
}

func (o *Outbox) warn(msg string, args ...any) {
	if o.Log != nil {
		o.Log.Warn(msg, args...)
	}
}
