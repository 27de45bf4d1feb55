package assistant

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/shopdesk/shopdesk/actions"
	"github.com/shopdesk/shopdesk/conversation"
	"github.com/shopdesk/shopdesk/handoff"
	"github.com/shopdesk/shopdesk/prompts"
)

// escalate marks the conversation for a person, queues the notice for
// the merchant's webhook and tells the shopper what happens next.
func (a *Assistant) escalate(ctx context.Context, t *turn, d handoff.Decision) (Reply, error) {
	now := time.Now().UTC()
	t.conv.Escalated, t.conv.EscalationReason, t.conv.EscalatedAt = true, d.Reason, &now
	text := prompts.Handoff(t.conv.Language, d.Reason, d.Topic, t.persona)
	if err := t.emit(text); err != nil {
		return Reply{}, err
	}
	t.reply.Answer = text
	t.reply.Sources = []conversation.Source{}
	t.reply.Outcome = OutcomeHandoff
	a.opts.Observer.Escalated(d.Reason)
	a.log.Info("conversation handed to a person", "tenant", t.req.Tenant, "conversation", t.conv.ID, "reason", d.Reason, "topic", d.Topic)
	return a.finishHandoff(ctx, t, d, "")
}

// actionHandoff hands over a request the actions could not complete
// (one no merchant system took): the conversation is marked for a
// person, whose notice carries the action's note, and the shopper has
// already been told by the action's reply.
func (a *Assistant) actionHandoff(ctx context.Context, t *turn, res actions.Result) (Reply, error) {
	now := time.Now().UTC()
	t.conv.Escalated, t.conv.EscalationReason, t.conv.EscalatedAt = true, res.Handoff, &now
	a.opts.Observer.Escalated(res.Handoff)
	a.log.Info("request handed to a person", "tenant", t.req.Tenant, "conversation", t.conv.ID, "reason", res.Handoff)
	return a.finishHandoff(ctx, t, handoff.Decision{Escalate: true, Reason: res.Handoff}, res.Note)
}

// finishHandoff stores the turn together with the hand-off notice, so the
// notice is delivered even if shopdesk restarts before it goes out.
func (a *Assistant) finishHandoff(ctx context.Context, t *turn, d handoff.Decision, note string) (Reply, error) {
	now := time.Now().UTC()
	transcript := make([]handoff.Turn, 0, len(t.conv.Messages)+2)
	for _, m := range t.conv.Messages {
		transcript = append(transcript, handoff.Turn{Role: m.Role, Content: m.Content, At: m.At})
	}
	transcript = append(transcript,
		handoff.Turn{Role: t.user.Role, Content: t.user.Content, At: now},
		handoff.Turn{Role: "assistant", Content: t.reply.Answer, At: now})
	ev := handoff.Event{
		ID:             "handoff_" + handoff.NewEventID(),
		Tenant:         t.req.Tenant,
		ConversationID: t.conv.ID,
		Reason:         d.Reason,
		Topic:          d.Topic,
		Summary:        handoffSummary(t, d, note),
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

// handoffSummary tells the person taking over what they need at a glance;
// note, when set, says what the shopper's request needs.
func handoffSummary(t *turn, d handoff.Decision, note string) string {
	var b strings.Builder
	reason := map[string]string{
		handoff.ReasonRequested:  "The shopper asked for a person.",
		handoff.ReasonNegative:   fmt.Sprintf("The shopper has been unhappy for %d messages in a row.", t.conv.NegativeStreak),
		handoff.ReasonUnanswered: fmt.Sprintf("The assistant could not answer %d times.", t.conv.Unanswered),
		handoff.ReasonHighRisk:   "High-risk topic (" + d.Topic + ").",
	}[d.Reason]
	if note != "" {
		reason = note
	}
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
