package assistant

import (
	"context"
	"strings"

	"github.com/shopdesk/shopdesk/actions"
	"github.com/shopdesk/shopdesk/conversation"
	"github.com/shopdesk/shopdesk/handoff"
	"github.com/shopdesk/shopdesk/index"
	"github.com/shopdesk/shopdesk/prompts"
)

// act sends the reply to a commerce request, its facts as the sources.
//
// A reply that only asks for the order and its proof is preceded by the
// FAQ entry that answers the question in general, when one matches it as
// strongly as faq_first requires: "When will I get my refund?" is told
// how refunds go before being asked which order.
func (a *Assistant) act(ctx context.Context, t *turn, res actions.Result) (Reply, error) {
	text := res.Text
	t.reply.Sources = []conversation.Source{}
	if res.AsksForOrder && len(res.Facts) == 0 {
		if h, ok := a.generalAnswer(ctx, t); ok {
			text = strings.TrimSpace(h.Text) + " [1]\n\n" + res.Text
			t.reply.Sources = append(t.reply.Sources, sourceOf(h))
		}
	}
	if err := t.emit(text); err != nil {
		return Reply{}, err
	}
	t.reply.Answer = text
	for _, f := range res.Facts {
		t.reply.Sources = append(t.reply.Sources, conversation.Source{ID: f.ID, Title: f.Title, Snippet: snippet(f.Text)})
	}
	t.reply.Outcome, t.reply.Intent = OutcomeAction, string(res.Intent)
	t.reply.IntentConfidence, t.reply.IntentBy = res.Confidence, res.By
	if res.Handoff != "" {
		return a.actionHandoff(ctx, t, res)
	}
	t.reply.QuickReplies = res.QuickReplies
	return a.finish(ctx, t, false)
}

// dontKnow answers honestly that the sources do not say, handing the
// conversation over when that happens again.
func (a *Assistant) dontKnow(ctx context.Context, t *turn, prefix string) (Reply, error) {
	t.conv.Unanswered++
	if !t.conv.Escalated {
		d := a.opts.Rules.Decide(handoff.Signals{Message: t.user.Content, Sentiment: *t.user.Sentiment,
			NegativeStreak: t.conv.NegativeStreak, Unanswered: t.conv.Unanswered})
		if d.Escalate {
			return a.escalate(ctx, t, d)
		}
	}
	text := prompts.DontKnow(t.conv.Language, t.persona)
	if err := t.emit(text); err != nil {
		return Reply{}, err
	}
	t.reply.Answer = prefix + text
	t.reply.Sources = []conversation.Source{}
	if prefix != "" {
		t.reply.Sources = nil
	}
	t.reply.Outcome = OutcomeDontKnow
	return a.finish(ctx, t, true)
}

// fallback answers with the best FAQ entry found, word for word, when no
// model can answer.
func (a *Assistant) fallback(ctx context.Context, t *turn, hits []index.SearchHit) (Reply, error) {
	text := prompts.Unavailable(t.conv.Language)
	t.reply.Sources = []conversation.Source{}
	for _, h := range hits {
		if h.Kind == "faq" {
			text = strings.TrimSpace(h.Text)
			t.reply.Sources = []conversation.Source{sourceOf(h)}
			break
		}
	}
	if err := t.emit(text); err != nil {
		return Reply{}, err
	}
	t.reply.Answer = text
	t.reply.Outcome = OutcomeFallback
	return a.finish(ctx, t, true)
}

// held stores the shopper's message for the person who holds the
// conversation, and answers nothing.
func (a *Assistant) held(ctx context.Context, t *turn) (Reply, error) {
	if err := a.opts.Store.Save(context.WithoutCancel(ctx), t.conv, []conversation.Message{t.user}, nil); err != nil {
		return Reply{}, err
	}
	t.reply.Outcome = OutcomeHeld
	t.reply.Escalated, t.reply.EscalationReason = t.conv.Escalated, t.conv.EscalationReason
	t.reply.HeldBy = t.conv.HeldBy
	a.opts.Observer.Answered(OutcomeHeld)
	return t.reply, nil
}

// finish stores the turn.
func (a *Assistant) finish(ctx context.Context, t *turn, fallback bool) (Reply, error) {
	return a.store(ctx, t, fallback, nil)
}

func (a *Assistant) store(ctx context.Context, t *turn, fallback bool, h *conversation.Handoff) (Reply, error) {
	t.reply.Fallback = fallback
	t.reply.Escalated, t.reply.EscalationReason = t.conv.Escalated, t.conv.EscalationReason
	bot := conversation.Message{Role: conversation.RoleAssistant, Content: t.reply.Answer, Sources: t.reply.Sources, Fallback: fallback,
		Outcome: t.reply.Outcome, Intent: t.reply.Intent, LatencyMS: int(t.firstText.Milliseconds())}
	if t.reply.Outcome == OutcomeAnswered {
		bot.Model = t.req.Model.ID
	}
	// The answer has been sent: store it even if the client has gone.
	if err := a.opts.Store.Save(context.WithoutCancel(ctx), t.conv, []conversation.Message{t.user, bot}, h); err != nil {
		return Reply{}, err
	}
	if t.replayed {
		// The client's next request will replay this transcript.
		seen := append(append([]conversation.Message{}, t.req.History...), t.user, bot)
		if err := a.opts.Store.RecordContinuation(context.WithoutCancel(ctx), t.req.Tenant, conversation.Digest(seen), t.conv.ID); err != nil {
			a.log.Warn("could not remember the transcript's continuation; the next turn starts a new conversation", "tenant", t.req.Tenant, "conversation", t.conv.ID, "err", err)
		}
	}
	a.opts.Observer.Answered(t.reply.Outcome)
	return t.reply, nil
}
