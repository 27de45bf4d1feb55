package conversation

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"
)

// turn stores one question and its answer.
func turn(t *testing.T, s *Store, tenant, id, q, a string) *Conversation {
	t.Helper()
	c, err := s.Load(context.Background(), tenant, id)
	if errors.Is(err, ErrNotFound) {
		c, err = &Conversation{ID: id, Tenant: tenant}, nil
	}
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Save(context.Background(), c, []Message{{Role: RoleUser, Content: q},
		{Role: RoleAssistant, Content: a, Outcome: "answered", Intent: "none", Model: "chat", LatencyMS: 12,
			Sources: []Source{{ID: "faq-1", Title: "Returns"}}}}, nil); err != nil {
		t.Fatal(err)
	}
	return c
}

func TestRate(t *testing.T) {
	s := openStore(t)
	ctx := context.Background()
	turn(t, s, "shop", "c", "How long do I have to return?", "30 days [1].")
	turn(t, s, "shop", "c", "And for shoes?", "Also 30 days [1].")
	f, err := s.Rate(ctx, "shop", "c", 0, RatingDown, "wrong")
	if err != nil {
		t.Fatal(err)
	}
	if f.Seq != 4 || f.Question != "And for shoes?" || f.Answer != "Also 30 days [1]." || f.Intent != "none" || f.Model != "chat" ||
		len(f.Sources) != 1 || f.Sources[0].ID != "faq-1" || f.Comment != "wrong" {
		t.Fatalf("the latest answer's feedback: %+v", f)
	}
	// A second rating of the same answer replaces the first.
	if _, err := s.Rate(ctx, "shop", "c", 4, RatingUp, ""); err != nil {
		t.Fatal(err)
	}
	all, err := s.FeedbackSince(ctx, "shop", time.Time{}, "", 10)
	if err != nil || len(all) != 1 || all[0].Rating != RatingUp {
		t.Fatalf("feedback after re-rating: %+v %v", all, err)
	}
	c, _ := s.Load(ctx, "shop", "c")
	if c.Messages[3].Rating != RatingUp || c.Messages[1].Rating != "" || c.Messages[3].LatencyMS != 12 || c.Messages[3].Outcome != "answered" {
		t.Fatalf("ratings on messages: %+v", c.Messages)
	}
	for _, tc := range []struct {
		name          string
		tenant, id    string
		seq           int
		rating, notes string
		want          error
	}{
		{"a question is not an answer", "shop", "c", 3, RatingUp, "", ErrNoSuchTurn},
		{"no such turn", "shop", "c", 99, RatingUp, "", ErrNoSuchTurn},
		{"unknown conversation", "shop", "nope", 0, RatingUp, "", ErrNotFound},
		{"another tenant's", "other", "c", 0, RatingUp, "", ErrNotFound},
		{"bad rating", "shop", "c", 0, "meh", "", nil},
		{"long comment", "shop", "c", 0, RatingUp, strings.Repeat("x", MaxCommentRunes+1), nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := s.Rate(ctx, tc.tenant, tc.id, tc.seq, tc.rating, tc.notes)
			if err == nil || (tc.want != nil && !errors.Is(err, tc.want)) {
				t.Fatalf("got %v, want %v", err, tc.want)
			}
		})
	}
	if err := s.SetCSAT(ctx, "shop", "c", 4); err != nil {
		t.Fatal(err)
	}
	if c, _ := s.Load(ctx, "shop", "c"); c.CSAT != 4 {
		t.Fatalf("csat %d", c.CSAT)
	}
	if err := s.SetCSAT(ctx, "shop", "c", 6); err == nil {
		t.Error("csat 6 accepted")
	}
	if err := s.SetCSAT(ctx, "shop", "nope", 3); !errors.Is(err, ErrNotFound) {
		t.Errorf("csat of an unknown conversation: %v", err)
	}
}

func TestTakeOver(t *testing.T) {
	s := openStore(t)
	ctx := context.Background()
	turn(t, s, "shop", "c", "I want a person", "Someone will reply soon.")
	events, cancel := s.Subscribe("shop", "c")
	defer cancel()
	all, cancelAll := s.Subscribe("shop", "")
	defer cancelAll()
	other, cancelOther := s.Subscribe("other", "")
	defer cancelOther()

	m, err := s.AddAgentMessage(ctx, "shop", "c", "Mei", "Hi, I'm Mei. Let me look at your order.")
	if err != nil {
		t.Fatal(err)
	}
	if m.Seq != 3 || m.Role != RoleAgent || m.Author != "Mei" {
		t.Fatalf("agent message %+v", m)
	}
	c, _ := s.Load(ctx, "shop", "c")
	if c.HeldBy != "Mei" || c.Messages[2].Author != "Mei" {
		t.Fatalf("after the reply: held by %q, %+v", c.HeldBy, c.Messages)
	}
	// Another person cannot take it without force.
	if _, err := s.AddAgentMessage(ctx, "shop", "c", "Tom", "Hello"); !errors.Is(err, ErrHeld) {
		t.Fatalf("a second person replied: %v", err)
	}
	if err := s.Claim(ctx, "shop", "c", "Tom", true); err != nil {
		t.Fatal(err)
	}
	// The assistant's turn saved from a stale copy gets the next number.
	turn(t, s, "shop", "c", "thanks", "ok")
	if c, _ := s.Load(ctx, "shop", "c"); len(c.Messages) != 5 || c.Messages[4].Seq != 5 || c.HeldBy != "Tom" {
		t.Fatalf("after a stale save: %+v held by %q", c.Messages, c.HeldBy)
	}
	// Only the holder hands back or resolves, or another person by force.
	if err := s.Handback(ctx, "shop", "c", "Mei", false); !errors.Is(err, ErrHeld) {
		t.Fatalf("Mei handed back Tom's conversation: %v", err)
	}
	if err := s.Resolve(ctx, "shop", "c", "Mei", false); !errors.Is(err, ErrHeld) {
		t.Fatalf("Mei resolved Tom's conversation: %v", err)
	}
	if err := s.Handback(ctx, "shop", "c", "Tom", false); err != nil {
		t.Fatal(err)
	}
	if err := s.Resolve(ctx, "shop", "c", "Tom", false); err != nil {
		t.Fatal(err)
	}
	c, _ = s.Load(ctx, "shop", "c")
	if c.HeldBy != "" || c.ResolvedAt == nil {
		t.Fatalf("resolved: held by %q at %v", c.HeldBy, c.ResolvedAt)
	}
	if err := s.Reopen(ctx, "shop", "c"); err != nil {
		t.Fatal(err)
	}
	if c, _ := s.Load(ctx, "shop", "c"); c.ResolvedAt != nil {
		t.Fatal("reopen left it resolved")
	}
	want := []string{EventMessage, EventClaimed, EventMessage, EventMessage, EventHandedBack, EventResolved}
	for _, ch := range []<-chan Event{events, all} {
		var got []string
		for range want {
			select {
			case e := <-ch:
				got = append(got, e.Type)
			case <-time.After(2 * time.Second):
				t.Fatalf("events so far %v, want %v", got, want)
			}
		}
		if strings.Join(got, ",") != strings.Join(want, ",") {
			t.Errorf("events %v, want %v", got, want)
		}
	}
	select {
	case e := <-other:
		t.Fatalf("another tenant saw %+v", e)
	default:
	}
	for _, tc := range []struct {
		name string
		err  error
	}{
		{"unknown conversation", s.Claim(ctx, "shop", "nope", "Mei", false)},
		{"another tenant's", s.Handback(ctx, "other", "c", "Mei", false)},
		{"no author", s.Claim(ctx, "shop", "c", " ", false)},
		{"empty text", func() error { _, err := s.AddAgentMessage(ctx, "shop", "c", "Mei", "  "); return err }()},
	} {
		if tc.err == nil {
			t.Errorf("%s: accepted", tc.name)
		}
	}
}

func TestList(t *testing.T) {
	s := openStore(t)
	ctx := context.Background()
	// Updates a few milliseconds apart, so the order is theirs.
	tick := func() { time.Sleep(3 * time.Millisecond) }
	turn(t, s, "shop", "plain", "How long do I have to return?", "30 days.")
	tick()
	c := turn(t, s, "shop", "angry", "This is the worst tent ever", "I'm sorry.")
	c.Escalated, c.EscalationReason = true, "negative_sentiment"
	if err := s.Save(ctx, c, nil, &Handoff{ID: "h1", Tenant: "shop", ConversationID: "angry", Payload: []byte(`{}`)}); err != nil {
		t.Fatal(err)
	}
	tick()
	dk := &Conversation{ID: "dk", Tenant: "shop"}
	s.Save(ctx, dk, []Message{{Role: RoleUser, Content: "Do you rent skis?"}, {Role: RoleAssistant, Content: "I don't know.", Outcome: "dont_know"}}, nil)
	tick()
	turn(t, s, "shop", "rated", "Is the tent waterproof?", "Yes.")
	s.Rate(ctx, "shop", "rated", 0, RatingDown, "")
	turn(t, s, "other", "theirs", "Is the tent waterproof?", "Yes.")
	ids := func(f Filter) string {
		t.Helper()
		items, err := s.List(ctx, "shop", f)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, it := range items {
			out = append(out, it.ID)
		}
		return strings.Join(out, ",")
	}
	for _, tc := range []struct {
		f    Filter
		want string
	}{
		{Filter{}, "rated,dk,angry,plain"},
		{Filter{View: ViewWaiting}, "angry"},
		{Filter{View: ViewUnanswered}, "dk"},
		{Filter{View: ViewRatedDown}, "rated"},
		{Filter{Text: "WATERPROOF"}, "rated"},
		{Filter{Text: "angry"}, "angry"},
		{Filter{Limit: 2}, "rated,dk"},
	} {
		if got := ids(tc.f); got != tc.want {
			t.Errorf("%+v: %s, want %s", tc.f, got, tc.want)
		}
	}
	s.AddAgentMessage(ctx, "shop", "angry", "Mei", "Hi")
	if got := ids(Filter{View: ViewWaiting}); got != "" {
		t.Errorf("a held conversation still waits: %s", got)
	}
	if got := ids(Filter{View: ViewHeld}); got != "angry" {
		t.Errorf("held: %s", got)
	}
	if _, err := s.List(ctx, "shop", Filter{View: "spam"}); err == nil {
		t.Error("an unknown view was accepted")
	}
}
