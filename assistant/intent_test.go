package assistant

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/shopdesk/shopdesk/actions"
	"github.com/shopdesk/shopdesk/handoff"
)

// invoiceActions answers invoice requests the way actions does when no
// merchant system takes them: a reply, and the request for a person.
type invoiceActions struct{}

func (invoiceActions) Handle(_ context.Context, req actions.Request) (actions.Result, bool, error) {
	if req.Reading == nil || req.Reading.Intent != actions.Invoice {
		return actions.Result{Intent: actions.None, Confidence: 0.9, By: actions.ByModel}, false, nil
	}
	return actions.Result{Intent: actions.Invoice, Confidence: req.Reading.Confidence, By: req.Reading.By,
		Text: "I've passed your invoice request for order HL-100101 to our team.", Handoff: "invoice",
		Note: "The shopper asked for invoice on order HL-100101; please carry it out."}, true, nil
}

func (invoiceActions) Call(context.Context, actions.Request, string, map[string]any) (actions.Result, bool, error) {
	return actions.Result{}, false, nil
}

// Every turn reports its intent with the classifier's confidence; a
// request no merchant system took goes to a person with its note.
func TestIntentOfEveryTurn(t *testing.T) {
	reader := actions.NewClassifier(nil, nil)
	r := newRig(t, says("You can return most items within 30 days [1]."), func(o *Options) {
		o.Actions, o.Intent = invoiceActions{}, reader.Read
	})
	kb, _ := r.ask(t, "kb", "How long do I have to return an item?")
	if kb.Outcome != OutcomeAnswered || kb.Intent != "none" || kb.IntentConfidence < 0.5 || kb.IntentBy != actions.ByModel {
		t.Errorf("knowledge-base turn: %+v", kb)
	}
	inv, _ := r.ask(t, "inv", "I need an invoice for order HL-100101")
	if inv.Outcome != OutcomeAction || inv.Intent != "invoice" || inv.IntentConfidence < 0.5 || !inv.Escalated || inv.EscalationReason != "invoice" {
		t.Fatalf("invoice turn: %+v", inv)
	}
	pending, err := r.store.PendingHandoffs(context.Background(), 10)
	if err != nil || len(pending) != 1 {
		t.Fatalf("pending notices %d, %v", len(pending), err)
	}
	var ev handoff.Event
	json.Unmarshal(pending[0].Payload, &ev)
	if ev.Reason != "invoice" || !strings.HasPrefix(ev.Summary, "The shopper asked for invoice on order HL-100101") {
		t.Errorf("notice %+v", ev)
	}
	if r.counts.handoffs["invoice"] != 1 {
		t.Errorf("hand-offs counted %v", r.counts.handoffs)
	}
	// Without a classifier the reply still names the intent.
	plain := newRig(t, says("You can return most items within 30 days [1]."), nil)
	if got, _ := plain.ask(t, "p", "How long do I have to return an item?"); got.Intent != "none" || got.IntentConfidence != 0 {
		t.Errorf("no classifier: %+v", got)
	}
}

// flowActions starts a guided return on "return" and then takes every
// message as the answer to its question, as actions does.
type flowActions struct{}

func (flowActions) Handle(_ context.Context, req actions.Request) (actions.Result, bool, error) {
	if !actions.AwaitsAnswer(req.Conv) && !strings.Contains(req.Message, "return") {
		return actions.Result{Intent: actions.None}, false, nil
	}
	req.Conv.State = []byte(`{"flow":{"kind":"return","step":"reason"}}`)
	return actions.Result{Intent: actions.StartReturn, Text: "Why are you returning it?"}, true, nil
}

func (flowActions) Call(context.Context, actions.Request, string, map[string]any) (actions.Result, bool, error) {
	return actions.Result{}, false, nil
}

// An answer to a flow's question, told as a complaint, does not count
// towards the negative streak: the flow goes on instead of handing the
// shopper over mid-flow. A request for a person still hands over.
func TestFlowAnswersAreNotMoodTurns(t *testing.T) {
	r := newRig(t, says("You can return most items within 30 days [1]."), func(o *Options) { o.Actions = flowActions{} })
	first, _ := r.ask(t, "flow", "This is terrible, the tent I got is awful and I'm really angry. I want to return it")
	if first.Sentiment.Label != "negative" || first.Escalated || first.Outcome != OutcomeAction {
		t.Fatalf("first, negative, turn: %+v", first)
	}
	second, _ := r.ask(t, "flow", "Worst shop ever, I'm furious and disappointed!!!")
	if second.Sentiment.Label != "negative" || second.Escalated || second.Outcome != OutcomeAction {
		t.Fatalf("a negative answer to the flow's question handed over: %+v", second)
	}
	third, _ := r.ask(t, "flow", "I want to talk to a human")
	if !third.Escalated || third.EscalationReason != handoff.ReasonRequested {
		t.Fatalf("a request for a person inside a flow: %+v", third)
	}
}
