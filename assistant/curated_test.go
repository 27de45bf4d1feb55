package assistant

import (
	"context"
	"strings"
	"testing"

	"github.com/shopdesk/shopdesk/curated"
	"github.com/shopdesk/shopdesk/inference"
)

// fixedMatch is a CuratedMatcher with one answer per tenant.
type fixedMatch map[string]curated.Answer

func (f fixedMatch) Match(_ context.Context, tenant, msg string) (curated.Match, bool, error) {
	a, ok := f[tenant]
	if !ok {
		return curated.Match{}, false, nil
	}
	return curated.Match{Answer: a, Phrasing: a.Question, Score: curated.ScoreText(msg, a.Question)}, true, nil
}

func TestCuratedAnswers(t *testing.T) {
	wrap := curated.Answer{ID: "wrap", Question: "Do you offer gift wrapping?", Answer: "Yes: gift wrap is $4 per item.", Lang: "en"}
	model := says("Gift wrap is available [1].")
	r := newRig(t, model, func(o *Options) { o.Curated = fixedMatch{"shop": wrap} })

	reply, streamed := r.ask(t, "c1", "do you offer gift wrapping")
	if reply.Outcome != OutcomeCurated || reply.Answer != wrap.Answer || streamed != wrap.Answer {
		t.Fatalf("strong match: %+v (streamed %q)", reply, streamed)
	}
	if len(reply.Sources) != 1 || reply.Sources[0].ID != "curated:wrap" {
		t.Errorf("sources = %+v", reply.Sources)
	}
	if n := len(model.requests()); n != 0 {
		t.Fatalf("the model was called %d times for a curated answer", n)
	}
	if r.counts.outcomes[OutcomeCurated] != 1 {
		t.Errorf("outcomes = %v", r.counts.outcomes)
	}

	// A weaker match is the first source the model answers from.
	reply, _ = r.ask(t, "c2", "is gift wrapping available for orders to Canada")
	if reply.Outcome != OutcomeAnswered || len(reply.Sources) == 0 || reply.Sources[0].ID != "curated:wrap" {
		t.Fatalf("weak match: %+v", reply)
	}
	reqs := model.requests()
	if len(reqs) != 1 || !strings.Contains(promptText(reqs[0]), wrap.Answer) {
		t.Fatalf("the prompt lacks the curated answer")
	}

	// Another tenant's curated answer never answers.
	other, _ := r.askTenant(t, "othershop", "c3", "do you offer gift wrapping")
	if other.Outcome == OutcomeCurated {
		t.Fatal("shop's curated answer answered othershop")
	}
}

func promptText(req inference.ChatRequest) string {
	var b strings.Builder
	for _, m := range req.Messages {
		b.WriteString(m.Content)
	}
	return b.String()
}

func TestFAQFirst(t *testing.T) {
	model := &fakeModel{reply: func(inference.ChatRequest) (string, error) {
		return "", &inference.Error{Kind: inference.ErrUnavailable}
	}}
	r := newRig(t, model, func(o *Options) {
		o.AnswerMode = func(tenant string) string {
			if tenant == "shop" {
				return AnswerFAQFirst
			}
			return AnswerGenerate
		}
	})
	reply, _ := r.ask(t, "c1", "How long do I have to return an item?")
	if reply.Outcome != OutcomeCurated || reply.Answer != shopDocs[0].Text || reply.Sources[0].ID != "faq-return-window" {
		t.Fatalf("faq_first: %+v", reply)
	}
	if n := len(model.requests()); n != 0 {
		t.Fatalf("the model was called %d times", n)
	}
	// A question that is not the FAQ's goes to the model (here down: the
	// fallback answers).
	reply, _ = r.ask(t, "c2", "my tent arrived, what is the weight of the Cove 2 tent")
	if reply.Outcome == OutcomeCurated {
		t.Fatalf("weak FAQ match answered verbatim: %+v", reply)
	}
	// Without faq_first the same question goes to the model.
	other, _ := r.askTenant(t, "othershop", "c3", "How long do I have to return an item?")
	if other.Outcome == OutcomeCurated {
		t.Fatalf("othershop is not faq_first: %+v", other)
	}
}

func (r *rig) askTenant(t *testing.T, tenant, conv, msg string) (Reply, string) {
	t.Helper()
	var streamed strings.Builder
	reply, err := r.a.Answer(context.Background(), Request{Tenant: tenant, ConversationID: conv, Message: msg, Model: chatEntry},
		func(s string) error { streamed.WriteString(s); return nil })
	if err != nil {
		t.Fatalf("%q: %v", msg, err)
	}
	return reply, streamed.String()
}
