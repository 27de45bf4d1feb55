package learning

import (
	"context"
	"errors"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/shopdesk/shopdesk/conversation"
	"github.com/shopdesk/shopdesk/sqlite"
)

func TestScrub(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"where is my order #40218?", "where is my order ?"},
		{"email me at jane.doe@example.com about returns", "email me at about returns"},
		{"call 138 0013 8000 about the refund", "call about the refund"},
		{"My name is Jane Doe and I want to return boots", "and I want to return boots"},
		{"I live at 12 Harbor Lane, do you deliver there?", "do you deliver there?"},
		{"ship to 5 Elm St please, how long does it take", "how long does it take"},
		{"我叫王芳，退货要多久", "退货要多久"},
		{"寄到中山路88号要几天", "要几天"}, {"地址是上海市浦东新区，运费多少", "运费多少"},
		{"is SKU HL-JKT-001 waterproof", "is SKU HL-JKT-001 waterproof"},
		{"can I return opened socks", "can I return opened socks"},
	} {
		if got := Scrub(tc.in); got != tc.want {
			t.Errorf("Scrub(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func open(t *testing.T, mode string, changed *[]string) *Phrasings {
	t.Helper()
	db, err := sqlite.Open(filepath.Join(t.TempDir(), "l.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	p, err := Open(context.Background(), Options{DB: db, Mode: func(string) string { return mode },
		Learnable: func(_ context.Context, _, doc, _ string) (bool, error) { return doc != "nope", nil },
		Changed: func(_ context.Context, tn, doc string) error {
			*changed = append(*changed, tn+"/"+doc)
			return nil
		}})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestReviewFlow(t *testing.T) {
	ctx := context.Background()
	var changed []string
	p := open(t, ModeReview, &changed)
	if err := p.Propose(ctx, "a", "faq-1", "How long do I have to send boots back?", SourceFeedback); err != nil {
		t.Fatal(err)
	}
	// The same words again only count.
	if err := p.Propose(ctx, "a", "faq-1", "how long do i have to send boots back", SourceQuietEnd); err != nil {
		t.Fatal(err)
	}
	if err := p.Propose(ctx, "a", "nope", "anything", SourceFeedback); !errors.Is(err, ErrNotFound) {
		t.Errorf("unknown doc: %v, want ErrNotFound", err)
	}
	if err := p.Propose(ctx, "a", "faq-1", "jane@example.com", SourceFeedback); !errors.Is(err, ErrInvalid) {
		t.Errorf("only personal data: %v, want ErrInvalid", err)
	}
	cands, err := p.List(ctx, "a", StatusCandidate, 0, 10)
	if err != nil || len(cands) != 1 || cands[0].Seen != 2 {
		t.Fatalf("candidates = %+v, %v; want one seen twice", cands, err)
	}
	if got, _ := p.Phrasings(ctx, "a", []string{"faq-1"}); len(got) != 0 {
		t.Errorf("a candidate is indexed: %v", got)
	}
	if len(changed) != 0 {
		t.Errorf("reindexed before approval: %v", changed)
	}
	// Tenant b sees none of it and cannot approve it.
	if other, _ := p.List(ctx, "b", "", 0, 10); len(other) != 0 {
		t.Errorf("tenant b sees %v", other)
	}
	if _, err := p.Approve(ctx, "b", cands[0].ID, ""); !errors.Is(err, ErrNotFound) {
		t.Errorf("approve across tenants: %v", err)
	}
	ph, err := p.Approve(ctx, "a", cands[0].ID, "how long to send boots back")
	if err != nil || ph.Status != StatusApproved || ph.Question != "how long to send boots back" {
		t.Fatalf("approve = %+v, %v", ph, err)
	}
	got, _ := p.Phrasings(ctx, "a", []string{"faq-1", "faq-2"})
	if !slices.Equal(got["faq-1"], []string{"how long to send boots back"}) || len(got) != 1 {
		t.Errorf("approved phrasings = %v", got)
	}
	if !slices.Equal(changed, []string{"a/faq-1"}) {
		t.Errorf("changed = %v", changed)
	}
	if _, err := p.Reject(ctx, "a", ph.ID); err != nil {
		t.Fatal(err)
	}
	if got, _ := p.Phrasings(ctx, "a", []string{"faq-1"}); len(got) != 0 {
		t.Errorf("rejected still indexed: %v", got)
	}
	// A rejected phrasing stays rejected when proposed again.
	p.Propose(ctx, "a", "faq-1", "how long to send boots back", SourceFeedback)
	if all, _ := p.ForDocument(ctx, "a", "faq-1"); len(all) != 1 || all[0].Status != StatusRejected {
		t.Errorf("after re-proposal: %+v", all)
	}
	if _, err := p.List(ctx, "a", "maybe", 0, 10); !errors.Is(err, ErrInvalid) {
		t.Errorf("bad status: %v", err)
	}
}

func TestAutoModeAndForget(t *testing.T) {
	ctx := context.Background()
	var changed []string
	p := open(t, ModeAuto, &changed)
	if err := p.Propose(ctx, "a", "faq-1", "My name is Jane Doe, can I swap boots for a bigger size?", SourceFeedback); err != nil {
		t.Fatal(err)
	}
	got, _ := p.Phrasings(ctx, "a", []string{"faq-1"})
	if len(got["faq-1"]) != 1 || strings.Contains(got["faq-1"][0], "Jane") {
		t.Fatalf("auto-approved = %v", got)
	}
	if _, err := p.Attach(ctx, "b", "faq-1", "exchange sizes"); err != nil {
		t.Fatal(err)
	}
	if err := p.Forget(ctx, "a", "faq-1"); err != nil {
		t.Fatal(err)
	}
	if got, _ := p.Phrasings(ctx, "a", []string{"faq-1"}); len(got) != 0 {
		t.Errorf("forgotten still there: %v", got)
	}
	if got, _ := p.Phrasings(ctx, "b", []string{"faq-1"}); len(got["faq-1"]) != 1 {
		t.Errorf("forgetting a's document removed b's: %v", got)
	}
	counts, _ := p.Counts(ctx)
	if counts[StatusApproved] != 1 {
		t.Errorf("counts = %v", counts)
	}
}

func TestConfirmedTurns(t *testing.T) {
	ask := conversation.Message{Role: conversation.RoleUser, Content: "how long to return?"}
	answer := conversation.Message{Seq: 2, Role: conversation.RoleAssistant, Content: "30 days", Sources: []conversation.Source{{ID: "faq-1"}}}
	dontKnow := conversation.Message{Role: conversation.RoleAssistant, Content: "I don't know", Sources: []conversation.Source{}}
	for _, tc := range []struct {
		name string
		conv conversation.Conversation
		rule string
		want int
	}{
		{"quiet end", conversation.Conversation{Messages: []conversation.Message{ask, answer}}, ConfirmQuietEnd, 1},
		{"thumbs up only", conversation.Conversation{Messages: []conversation.Message{ask, answer}}, ConfirmThumbsUp, 0},
		{"follow-up", conversation.Conversation{Messages: []conversation.Message{ask, answer, ask}}, ConfirmQuietEnd, 0},
		{"don't know", conversation.Conversation{Messages: []conversation.Message{ask, dontKnow}}, ConfirmQuietEnd, 0},
		{"hand-off", conversation.Conversation{Escalated: true, Messages: []conversation.Message{ask, answer}}, ConfirmQuietEnd, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := ConfirmedTurns(&tc.conv, tc.rule)
			if len(got) != tc.want {
				t.Fatalf("got %+v, want %d", got, tc.want)
			}
			if tc.want == 1 && (got[0].DocID != "faq-1" || got[0].Question != ask.Content) {
				t.Errorf("got %+v", got[0])
			}
		})
	}
}
