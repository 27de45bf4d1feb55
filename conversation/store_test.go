package conversation

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/shopdesk/shopdesk/sentiment"
	"github.com/shopdesk/shopdesk/sqlite"
)

func openStore(t *testing.T) *Store {
	t.Helper()
	db, err := sqlite.Open(filepath.Join(t.TempDir(), "shopdesk.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	s, err := Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func load(t *testing.T, s *Store, tn, id string) *Conversation {
	t.Helper()
	c, err := s.Load(context.Background(), tn, id)
	if err != nil {
		t.Fatalf("Load(%s, %s): %v", tn, id, err)
	}
	return c
}

func TestSaveLoadRoundTrip(t *testing.T) {
	ctx := context.Background()
	s := openStore(t)
	c := &Conversation{ID: "conv-1", Tenant: "acme", CustomerID: "C001", Language: "zh",
		Details:        Details{OrderNumber: "HL-100101", Email: "emily.carter@example.com", Product: "HL-TNT-001"},
		NegativeStreak: 1, Unanswered: 2, State: json.RawMessage(`{"flow":{"step":"reason"}}`)}
	mood := &sentiment.Result{Label: sentiment.Negative, Score: -0.5}
	msgs := []Message{
		{Role: RoleUser, Content: "我的帐篷坏了", Sentiment: mood},
		{Role: RoleAssistant, Content: "很抱歉 [1]", Sources: []Source{{ID: "faq-1", Title: "质保", URL: "https://x.example/faq", Snippet: "两年"}}, Fallback: true},
	}
	if err := s.Save(ctx, c, msgs, nil); err != nil {
		t.Fatal(err)
	}
	if len(c.Messages) != 2 || c.Messages[0].Seq != 1 || c.Messages[1].Seq != 2 || c.CreatedAt.IsZero() {
		t.Fatalf("after Save: %+v", c)
	}

	got := load(t, s, "acme", "conv-1")
	if got.CustomerID != "C001" || got.Language != "zh" || got.Details != c.Details || got.NegativeStreak != 1 || got.Unanswered != 2 ||
		string(got.State) != string(c.State) || !got.CreatedAt.Equal(c.CreatedAt.Truncate(1e6)) {
		t.Errorf("loaded %+v, saved %+v", got, c)
	}
	if len(got.Messages) != 2 {
		t.Fatalf("loaded %d messages", len(got.Messages))
	}
	if m := got.Messages[0]; m.Seq != 1 || m.Role != RoleUser || m.Content != "我的帐篷坏了" || m.Sentiment == nil || *m.Sentiment != *mood || m.Fallback {
		t.Errorf("first message %+v", m)
	}
	if m := got.Messages[1]; m.Seq != 2 || !reflect.DeepEqual(m.Sources, msgs[1].Sources) || !m.Fallback || m.Sentiment != nil {
		t.Errorf("second message %+v", m)
	}

	// The next turn appends after the last message and keeps the creation
	// time; an escalation is stored with its time.
	got.Escalated, got.EscalationReason, got.EscalatedAt = true, "requested", &got.UpdatedAt
	got.State = nil
	if err := s.Save(ctx, got, []Message{{Role: RoleUser, Content: "转人工"}}, nil); err != nil {
		t.Fatal(err)
	}
	again := load(t, s, "acme", "conv-1")
	if len(again.Messages) != 3 || again.Messages[2].Seq != 3 || !again.CreatedAt.Equal(got.CreatedAt) ||
		!again.Escalated || again.EscalationReason != "requested" || again.EscalatedAt == nil || again.State != nil {
		t.Errorf("after a second turn: %+v", again)
	}
}

func TestSaveRefusesBadInput(t *testing.T) {
	ctx := context.Background()
	s := openStore(t)
	for _, c := range []*Conversation{
		{ID: "ok", Tenant: "../acme"},
		{ID: "", Tenant: "acme"},
		{ID: "a b", Tenant: "acme"},
		{ID: "ok", Tenant: "acme", State: json.RawMessage(`{"flow":`)},
	} {
		if err := s.Save(ctx, c, []Message{{Role: RoleUser, Content: "hi"}}, nil); err == nil {
			t.Errorf("Save(%q, %q, state %q) accepted", c.Tenant, c.ID, c.State)
		}
	}
	if _, err := s.Load(ctx, "acme", "ok"); !errors.Is(err, ErrNotFound) {
		t.Errorf("a refused conversation was stored: %v", err)
	}
	if _, err := s.Load(ctx, "../acme", "ok"); err == nil || errors.Is(err, ErrNotFound) {
		t.Errorf("Load with an invalid tenant: %v", err)
	}
}

// The same conversation ID in two tenants names two conversations.
func TestTenantsKeepTheirOwnConversations(t *testing.T) {
	ctx := context.Background()
	s := openStore(t)
	for _, tn := range []string{"acme", "globex"} {
		c := &Conversation{ID: "shared-id", Tenant: tn, CustomerID: tn + "-customer"}
		if err := s.Save(ctx, c, []Message{{Role: RoleUser, Content: "hello from " + tn}}, nil); err != nil {
			t.Fatal(err)
		}
	}
	for _, tn := range []string{"acme", "globex"} {
		c := load(t, s, tn, "shared-id")
		if c.CustomerID != tn+"-customer" || len(c.Messages) != 1 || c.Messages[0].Content != "hello from "+tn || c.Messages[0].Seq != 1 {
			t.Errorf("tenant %s loaded %+v", tn, c)
		}
	}
	if _, err := s.Load(ctx, "initech", "shared-id"); !errors.Is(err, ErrNotFound) {
		t.Errorf("a third tenant loaded the conversation: %v", err)
	}
	// A summary written for one tenant stays with it.
	if err := s.SetSummary(ctx, "acme", "shared-id", "acme's summary", 1); err != nil {
		t.Fatal(err)
	}
	if c := load(t, s, "globex", "shared-id"); c.Summary != "" || c.Summarized != 0 {
		t.Errorf("globex got acme's summary: %q through %d", c.Summary, c.Summarized)
	}
}

func TestLoadReturnsTheLatestMaxMessages(t *testing.T) {
	ctx := context.Background()
	s := openStore(t)
	c := &Conversation{ID: "long", Tenant: "acme"}
	msgs := make([]Message, MaxMessages+5)
	for i := range msgs {
		msgs[i] = Message{Role: RoleUser, Content: fmt.Sprint("message ", i+1)}
	}
	if err := s.Save(ctx, c, msgs, nil); err != nil {
		t.Fatal(err)
	}
	got := load(t, s, "acme", "long")
	if len(got.Messages) != MaxMessages {
		t.Fatalf("loaded %d messages, want %d", len(got.Messages), MaxMessages)
	}
	first, last := got.Messages[0], got.Messages[len(got.Messages)-1]
	if first.Seq != 6 || first.Content != "message 6" || last.Seq != MaxMessages+5 || got.NextSeq() != MaxMessages+6 {
		t.Errorf("kept %d..%d (%q), next %d", first.Seq, last.Seq, first.Content, got.NextSeq())
	}
}

func TestSetSummaryNeverGoesBack(t *testing.T) {
	ctx := context.Background()
	s := openStore(t)
	if err := s.Save(ctx, &Conversation{ID: "c", Tenant: "acme"}, []Message{{Role: RoleUser, Content: "hi"}}, nil); err != nil {
		t.Fatal(err)
	}
	for _, step := range []struct {
		summary     string
		through     int
		wantSummary string
		wantThrough int
	}{
		{"up to 4", 4, "up to 4", 4},
		{"up to 2, written late", 2, "up to 4", 4},
		{"up to 4 again", 4, "up to 4", 4},
		{"up to 6", 6, "up to 6", 6},
	} {
		if err := s.SetSummary(ctx, "acme", "c", step.summary, step.through); err != nil {
			t.Fatal(err)
		}
		if c := load(t, s, "acme", "c"); c.Summary != step.wantSummary || c.Summarized != step.wantThrough {
			t.Errorf("after %q: %q through %d, want %q through %d", step.summary, c.Summary, c.Summarized, step.wantSummary, step.wantThrough)
		}
	}
	// A turn saved later keeps the summary.
	c := load(t, s, "acme", "c")
	if err := s.Save(ctx, c, []Message{{Role: RoleUser, Content: "more"}}, nil); err != nil {
		t.Fatal(err)
	}
	if c := load(t, s, "acme", "c"); c.Summary != "up to 6" || c.Summarized != 6 {
		t.Errorf("Save replaced the summary: %q through %d", c.Summary, c.Summarized)
	}
}

func TestValidateID(t *testing.T) {
	for _, tc := range []struct {
		id string
		ok bool
	}{
		{"conv_0123abcd", true},
		{"a", true},
		{"user@example.com:2026-08-01", true},
		{"A.b_c-d", true},
		{strings.Repeat("x", 128), true},
		{strings.Repeat("x", 129), false},
		{"", false},
		{"-leading-dash", false},
		{".hidden", false},
		{"has space", false},
		{"slash/inside", false},
		{"../etc/passwd", false},
		{"对话", false},
		{"line\nbreak", false},
	} {
		if err := ValidateID(tc.id); (err == nil) != tc.ok {
			t.Errorf("ValidateID(%q) = %v, want ok %v", tc.id, err, tc.ok)
		}
	}
	if id := NewID(); ValidateID(id) != nil || !strings.HasPrefix(id, "conv_") || id == NewID() {
		t.Errorf("NewID() = %q", id)
	}
}

func TestOpenMigrates(t *testing.T) {
	ctx := context.Background()
	db, err := sqlite.Open(filepath.Join(t.TempDir(), "shopdesk.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	// A database from before conversation state was stored.
	if err := sqlite.Migrate(ctx, db, "conversation", migrations[:1]); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(`INSERT INTO conversations (tenant, id, created_at, updated_at) VALUES ('acme', 'old', 1, 2)`); err != nil {
		t.Fatal(err)
	}
	s, err := Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Open(ctx, db); err != nil {
		t.Fatalf("opening an up-to-date database: %v", err)
	}
	var version int
	if err := db.QueryRow(`SELECT version FROM schema_migrations WHERE component = 'conversation'`).Scan(&version); err != nil || version != len(migrations) {
		t.Fatalf("schema version %d (%v), want %d", version, err, len(migrations))
	}
	c := load(t, s, "acme", "old")
	if c.State != nil || len(c.Messages) != 0 || c.Details != (Details{}) {
		t.Errorf("migrated conversation %+v", c)
	}
}
