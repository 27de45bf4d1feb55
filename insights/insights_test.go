package insights

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/shopdesk/shopdesk/assistant"
	"github.com/shopdesk/shopdesk/conversation"
	"github.com/shopdesk/shopdesk/sqlite"
)

func similar(a, b string) float64 {
	return min(assistant.Relevance(a, []string{b}), assistant.Relevance(b, []string{a}))
}

type fixture struct {
	store *conversation.Store
	in    *Insights
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	db, err := sqlite.Open(filepath.Join(t.TempDir(), "shopdesk.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	store, err := conversation.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	in, err := New(Options{Conversations: store, Similar: similar,
		Nearest: func(context.Context, string, string) (string, string) { return "faq-payment", "How can I pay?" }})
	if err != nil {
		t.Fatal(err)
	}
	return &fixture{store, in}
}

type answer struct {
	q, outcome, intent string
	latency            int
}

func (f *fixture) conv(t *testing.T, id, customer string, at time.Time, escalated string, turns ...answer) {
	t.Helper()
	c := &conversation.Conversation{ID: id, Tenant: "shop", CustomerID: customer, CreatedAt: at, Language: "en"}
	if escalated != "" {
		c.Escalated, c.EscalationReason = true, escalated
	}
	var msgs []conversation.Message
	for i, a := range turns {
		msgs = append(msgs, conversation.Message{Role: "user", Content: a.q, At: at.Add(time.Duration(2*i) * time.Second)},
			conversation.Message{Role: "assistant", Content: "…", Outcome: a.outcome, Intent: a.intent, LatencyMS: a.latency, At: at.Add(time.Duration(2*i+1) * time.Second)})
	}
	if err := f.store.Save(context.Background(), c, msgs, nil); err != nil {
		t.Fatal(err)
	}
}

func TestKPIs(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	day1 := time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC)
	day2 := day1.Add(24 * time.Hour)
	// Day 1: answered and done; "don't know"; handed off; answered, but
	// the shopper came back the next morning about the same order.
	f.conv(t, "a", "", day1, "", answer{"How long do I have to return?", "answered", "none", 100})
	f.conv(t, "b", "", day1.Add(time.Hour), "", answer{"Do you rent skis?", "dont_know", "none", 50})
	f.conv(t, "c", "C1", day1.Add(2*time.Hour), "requested", answer{"I want a person", "handoff", "none", 30})
	f.conv(t, "d", "C2", day1.Add(3*time.Hour), "", answer{"Where is my order HL-1?", "action", "order_status", 300})
	// Day 2: C2 again on the same topic; a fallback rated up; CSAT.
	f.conv(t, "e", "C2", day2, "", answer{"Has my order shipped yet?", "action", "order_status", 200})
	f.conv(t, "g", "", day2.Add(time.Hour), "", answer{"Do you ship to Canada?", "fallback", "none", 400})
	if _, err := f.store.Rate(ctx, "shop", "g", 0, conversation.RatingUp, ""); err != nil {
		t.Fatal(err)
	}
	if err := f.store.SetCSAT(ctx, "shop", "a", 5); err != nil {
		t.Fatal(err)
	}
	if err := f.store.SetCSAT(ctx, "shop", "b", 2); err != nil {
		t.Fatal(err)
	}
	rep, err := f.in.KPIs(ctx, "shop", day1.Truncate(24*time.Hour), day2.Truncate(24*time.Hour).Add(24*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Days) != 2 || rep.Days[0].Day != "2026-11-30" || rep.Days[0].Conversations != 4 || rep.Days[1].Conversations != 2 {
		t.Fatalf("days %+v", rep.Days)
	}
	tot := rep.Total
	// Resolved: a (answered), e (action, no later return), g (rated up) = 3 of 6.
	if tot.Conversations != 6 || tot.AutomatedResolutionRate != 0.5 {
		t.Errorf("automated resolution %v of %d", tot.AutomatedResolutionRate, tot.Conversations)
	}
	if tot.HandoffsByReason["requested"] != 1 || tot.HandoffRate != 1.0/6 {
		t.Errorf("hand-offs %+v %v", tot.HandoffsByReason, tot.HandoffRate)
	}
	if tot.Answers != 6 || tot.DontKnowRate != 1.0/6 || tot.FallbackRate != 1.0/6 || tot.ThumbsUp != 1 || tot.ThumbsDown != 0 {
		t.Errorf("answers %+v", tot)
	}
	if tot.CSAT != 3.5 || tot.CSATResponses != 2 {
		t.Errorf("csat %v from %d", tot.CSAT, tot.CSATResponses)
	}
	if tot.FirstAnswerP50MS != 100 || tot.FirstAnswerP95MS != 400 {
		t.Errorf("first answer p50 %d p95 %d", tot.FirstAnswerP50MS, tot.FirstAnswerP95MS)
	}
	if d1 := rep.Days[0]; d1.AutomatedResolutionRate != 0.25 {
		t.Errorf("day 1: d came back the next day, so only a resolved: %v", d1.AutomatedResolutionRate)
	}
	for _, bad := range [][2]time.Time{{day2, day1}, {day1, day1.Add(MaxRange + time.Hour)}} {
		if _, err := f.in.KPIs(ctx, "shop", bad[0], bad[1]); err == nil {
			t.Errorf("range %v accepted", bad)
		}
	}
	if other, _ := f.in.KPIs(ctx, "other", day1, day2); other.Total.Conversations != 0 {
		t.Error("another tenant's KPIs include this one's conversations")
	}
}

func TestGaps(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	at := time.Now().Add(-time.Hour)
	for i, q := range []string{
		"Can I pay with PayPal?", "Do you accept PayPal payments?", "paypal accepted?",
		"Do you rent skis?", "我可以用支付宝付款吗？", "能用支付宝付款吗", "I want to talk to a person",
	} {
		outcome := "dont_know"
		if i == 2 {
			outcome = "fallback"
		}
		f.conv(t, "q"+string(rune('a'+i)), "", at.Add(time.Duration(i)*time.Minute), "", answer{q, outcome, "none", 10})
	}
	f.conv(t, "ok", "", at, "", answer{"How long do I have to return?", "answered", "none", 10})
	gaps, err := f.in.Gaps(ctx, "shop", at.Add(-time.Hour), 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(gaps) == 0 || gaps[0].Count != 3 || !strings.Contains(strings.ToLower(gaps[0].Question), "paypal") ||
		gaps[0].Outcomes["fallback"] != 1 || gaps[0].NearestDoc != "faq-payment" || len(gaps[0].Examples) != 3 {
		t.Fatalf("gaps %+v", gaps)
	}
	var zh, skis bool
	for _, g := range gaps {
		if strings.Contains(g.Question, "支付宝") && g.Count == 2 {
			zh = true
		}
		if strings.Contains(g.Question, "skis") {
			skis = true
		}
		if strings.Contains(g.Question, "person") {
			t.Errorf("a request for a person is not a content gap: %+v", g)
		}
	}
	if !zh || !skis {
		t.Fatalf("the Chinese pair or the ski question is missing: %+v", gaps)
	}
	if top, _ := f.in.Gaps(ctx, "shop", at.Add(-time.Hour), 1); len(top) != 1 {
		t.Fatalf("limit: %d", len(top))
	}
}

func TestCheckedEmbeddings(t *testing.T) {
	calls := 0
	meaningless := func(_ context.Context, texts []string) ([][]float32, error) {
		calls++
		out := make([][]float32, len(texts))
		for i := range out {
			out[i] = []float32{1, 0.5}
		}
		return out, nil
	}
	var told []error
	e := Checked(meaningless, func(err error) { told = append(told, err) })
	for range 3 {
		if _, err := e(context.Background(), []string{"a"}); err == nil {
			t.Fatal("a model whose vectors mean nothing passed")
		}
	}
	if calls != 1 || len(told) != 1 {
		t.Fatalf("checked %d times, told %d times; want once each", calls, len(told))
	}
}
