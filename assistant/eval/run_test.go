package eval

import (
	"context"
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/shopdesk/shopdesk/assistant"
	"github.com/shopdesk/shopdesk/conversation"
	"github.com/shopdesk/shopdesk/models"
)

// fakeAssistant answers with a function.
type fakeAssistant struct {
	answer func(req assistant.Request) (assistant.Reply, error)
	calls  []assistant.Request
}

func (f *fakeAssistant) Answer(_ context.Context, req assistant.Request, _ func(string) error) (assistant.Reply, error) {
	f.calls = append(f.calls, req)
	return f.answer(req)
}

func sources(ids ...string) []conversation.Source {
	out := []conversation.Source{}
	for _, id := range ids {
		out = append(out, conversation.Source{ID: id})
	}
	return out
}

func mustParse(t *testing.T, text string) []Item {
	t.Helper()
	items, err := Parse(strings.NewReader(text), "test.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	return items
}

const testSet = `{"id":"faq","lang":"en","messages":[{"role":"user","content":"return window?"}],"expect":{"sources":["faq-a","faq-b"],"facts":["30 days",["Jan 31","January 31"],"$6.95"]}}
{"id":"order","lang":"en","customer_id":"C1","messages":[{"role":"user","content":"where is HL-1?"},{"role":"assistant","content":"your email?"},{"role":"user","content":"a@example.com"}],"expect":{"sources":["order:HL-1"],"intent":"order_status","outcome":"action"}}
{"id":"refuse","lang":"zh","messages":[{"role":"user","content":"法国的首都？"}],"expect":{"refuse":true}}
{"id":"answers-anyway","lang":"zh","messages":[{"role":"user","content":"天气？"}],"expect":{"refuse":true}}
{"id":"broken","lang":"en","messages":[{"role":"user","content":"fail"}],"expect":{"facts":["x"]}}
`

func TestRun(t *testing.T) {
	rec := &Recorder{}
	fake := &fakeAssistant{}
	fake.answer = func(req assistant.Request) (assistant.Reply, error) {
		switch req.Message {
		case "return window?":
			rec.CheckFailed("price")
			return assistant.Reply{Outcome: assistant.OutcomeAnswered, Answer: "You have 30 Days, until january 31 [1][3].",
				Sources: sources("faq-a", "faq-c"), CompletionTokens: 9}, nil
		case "where is HL-1?":
			rec.CheckFailed("order") // an earlier turn's: not charged to the item
			return assistant.Reply{Outcome: assistant.OutcomeAction, Intent: "order_status", Answer: "Your email?"}, nil
		case "a@example.com":
			return assistant.Reply{Outcome: assistant.OutcomeAction, Intent: "order_status", Answer: "Delivered [1].", Sources: sources("order:HL-1")}, nil
		case "法国的首都？":
			return assistant.Reply{Outcome: assistant.OutcomeDontKnow, Answer: "不知道"}, nil
		case "天气？":
			return assistant.Reply{Outcome: assistant.OutcomeAnswered, Answer: "晴", PromptTokens: 5}, nil
		}
		return assistant.Reply{}, errors.New("model exploded")
	}
	rep, err := Run(context.Background(), Config{Assistant: fake, Recorder: rec, Items: mustParse(t, testSet), Tenant: "t1",
		Model: models.Entry{ID: "chat", Tag: "tiny"}})
	if err != nil {
		t.Fatal(err)
	}
	// Earlier turns run in the item's conversation, with its customer.
	if len(fake.calls) != 6 || fake.calls[1].ConversationID != fake.calls[2].ConversationID || fake.calls[2].CustomerID != "C1" ||
		fake.calls[1].ConversationID == fake.calls[0].ConversationID || fake.calls[0].Tenant != "t1" || fake.calls[0].Model.Tag != "tiny" {
		t.Fatalf("calls: %+v", fake.calls)
	}
	byID := map[string]Result{}
	for _, r := range rep.Items {
		byID[r.ID] = r
	}
	faq := byID["faq"]
	if faq.SourcesFound != 1 || faq.FactsFound != 2 || len(faq.Missing) != 1 || faq.Missing[0] != "$6.95" ||
		faq.Citations != 2 || faq.BadCitations != 1 || len(faq.Removed) != 1 || !faq.Generated || !faq.RefuseOK {
		t.Errorf("faq: %+v", faq)
	}
	if o := byID["order"]; o.SourcesFound != 1 || !o.RouteOK || len(o.Removed) != 0 || o.Generated {
		t.Errorf("order: %+v", o)
	}
	if !byID["refuse"].RefuseOK || byID["answers-anyway"].RefuseOK || byID["broken"].Err == "" {
		t.Errorf("refusals and errors: %+v", rep.Items)
	}

	m := rep.Overall
	near := func(name string, got, want float64) {
		t.Helper()
		if math.Abs(got-want) > 1e-9 {
			t.Errorf("%s = %v, want %v", name, got, want)
		}
	}
	near("source recall", m.SourceRecall, (0.5+1)/2)
	near("fact recall", m.FactRecall, (2.0/3+0)/2)
	near("refusal accuracy", m.RefusalAccuracy, 3.0/5) // broken failed, answers-anyway answered
	near("routing accuracy", m.RoutingAccuracy, 1)
	near("citation validity", m.CitationValidity, 2.0/3)
	near("removal rate", m.RemovalRate, 1.0/2) // faq and answers-anyway generated; faq lost a claim
	if m.Errors != 1 || m.Removals != 1 || m.Generated != 2 || m.Items != 5 {
		t.Errorf("counts: %+v", m)
	}
	want := (0.25*m.SourceRecall + 0.30*m.FactRecall + 0.20*m.RefusalAccuracy + 0.10*m.RoutingAccuracy +
		0.05*m.CitationValidity + 0.10*(1-m.RemovalRate)) / 1.0
	near("score", m.Score, want)
	if zh := rep.ByLang["zh"]; zh.Items != 2 || zh.SourceItems != 0 || zh.RefusalAccuracy != 0.5 {
		t.Errorf("zh: %+v", zh)
	}
	// Without source, fact or routing items those terms drop out.
	near("zh score", rep.ByLang["zh"].Score, (0.20*0.5+0.05*1+0.10*(1-0))/0.35)
}

func TestRunFails(t *testing.T) {
	items := mustParse(t, testSet)
	failing := &fakeAssistant{answer: func(assistant.Request) (assistant.Reply, error) { return assistant.Reply{}, errors.New("no model") }}
	if _, err := Run(context.Background(), Config{Assistant: failing, Items: items}); err == nil || !strings.Contains(err.Error(), "every item failed") {
		t.Fatalf("all failing: %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	ok := &fakeAssistant{answer: func(assistant.Request) (assistant.Reply, error) { return assistant.Reply{}, nil }}
	if _, err := Run(ctx, Config{Assistant: ok, Items: items}); !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled: %v", err)
	}
	if _, err := Run(context.Background(), Config{Items: items}); err == nil {
		t.Fatal("ran without an assistant")
	}
}

func TestCompare(t *testing.T) {
	cur := Metrics{Score: 0.70, SourceRecall: 0.8, SourceItems: 3, FactRecall: 0.5, FactItems: 3, RefusalAccuracy: 1,
		RoutingAccuracy: 1, RoutingItems: 2, CitationValidity: 1, RemovalRate: 0.1}
	if lost := Compare(cur, cur, 0.02); len(lost) != 0 {
		t.Fatalf("equal reports lost: %v", lost)
	}
	within := cur
	within.Score, within.FactRecall, within.RemovalRate = 0.69, 0.49, 0.11
	if lost := Compare(cur, within, 0.02); len(lost) != 0 {
		t.Fatalf("within tolerance lost: %v", lost)
	}
	worse := cur
	worse.FactRecall, worse.RemovalRate = 0.3, 0.5
	lost := Compare(cur, worse, 0.02)
	if len(lost) != 2 || lost[0].Metric != "fact_recall" || lost[1].Metric != "removal_rate" {
		t.Fatalf("lost %v", lost)
	}
	if s := Losses(lost); s != "fact_recall 0.300 < 0.500, removal_rate 0.500 > 0.100" {
		t.Errorf("losses read %q", s)
	}
	// A metric no item measures cannot be lost.
	cur.SourceItems, worse = 0, cur
	worse.SourceRecall = 0
	if lost := Compare(cur, worse, 0); len(lost) != 0 {
		t.Errorf("unmeasured metric lost: %v", lost)
	}
}
