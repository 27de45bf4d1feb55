package faqs

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"github.com/shopdesk/shopdesk/assistant"
	"github.com/shopdesk/shopdesk/conversation"
	"github.com/shopdesk/shopdesk/index"
	"github.com/shopdesk/shopdesk/index/keyword"
	"github.com/shopdesk/shopdesk/sqlite"
)

type fixture struct {
	convs *conversation.Store
	kb    *index.Index
	faqs  *Candidates
}

func similar(a, b string) float64 {
	return min(assistant.Relevance(a, []string{b}), assistant.Relevance(b, []string{a}))
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	ctx := context.Background()
	dir := t.TempDir()
	db, err := sqlite.Open(filepath.Join(dir, "shopdesk.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	kw, err := keyword.Open(filepath.Join(dir, "keyword"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { kw.Close() })
	f := &fixture{}
	if f.kb, err = index.Open(ctx, index.Options{DB: db, Keyword: kw}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.kb.Ingest(ctx, "shop", []index.Document{{ID: "faq-ship-ca", Title: "Do you ship to Canada?", Kind: index.KindFAQ, Whole: true,
		Text: "Yes, we ship to Canada in 5 to 8 business days."}}, nil); err != nil {
		t.Fatal(err)
	}
	if f.convs, err = conversation.Open(ctx, db); err != nil {
		t.Fatal(err)
	}
	f.faqs, err = Open(ctx, Options{DB: db, Conversations: f.convs, Knowledge: f.kb, Similar: similar,
		Customer: func(context.Context, string, string) string { return "Emily Carter" }})
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// helped stores a conversation in which a person answered the shopper.
func (f *fixture) helped(t *testing.T, tenant, id, question, answer string) {
	t.Helper()
	ctx := context.Background()
	c := &conversation.Conversation{ID: id, Tenant: tenant, CustomerID: "C001", Language: "en"}
	if err := f.convs.Save(ctx, c, []conversation.Message{{Role: "user", Content: question},
		{Role: "assistant", Content: "I don't know; a person will help."}, {Role: "user", Content: "ok"}}, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := f.convs.AddAgentMessage(ctx, tenant, id, "Mei", answer); err != nil {
		t.Fatal(err)
	}
	if err := f.convs.Resolve(ctx, tenant, id, "Mei", false); err != nil {
		t.Fatal(err)
	}
}

func TestCandidatesFromHumanReplies(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	f.helped(t, "shop", "c1", "Can I pick up my order in the Portland store? I'm Emily, emily.carter@example.com",
		"Hi Emily Carter! Yes: choose Store pickup at checkout; orders are ready within 2 hours. Your order HL-100101 qualifies.")
	cand, err := f.faqs.FromResolved(ctx, "shop", "c1")
	if err != nil || cand == nil {
		t.Fatalf("%+v %v", cand, err)
	}
	for _, leaked := range []string{"Emily", "emily.carter@example.com", "HL-100101"} {
		if strings.Contains(cand.Question+cand.Answer, leaked) {
			t.Errorf("%q leaked into the candidate: %+v", leaked, cand)
		}
	}
	if !strings.Contains(cand.Answer, "Store pickup") || cand.Status != Pending || cand.Author != "Mei" || cand.Conversations[0] != "c1" {
		t.Fatalf("candidate %+v", cand)
	}
	// The same question answered again merges; the same conversation twice
	// counts once.
	f.helped(t, "shop", "c2", "Can I pick up my order at the Portland store?", "Yes, choose Store pickup at checkout.")
	merged, err := f.faqs.FromResolved(ctx, "shop", "c2")
	if err != nil || merged.ID != cand.ID || merged.Count != 2 {
		t.Fatalf("merged %+v %v", merged, err)
	}
	if again, _ := f.faqs.FromResolved(ctx, "shop", "c2"); again.Count != 2 {
		t.Fatalf("the same conversation counted twice: %+v", again)
	}
	// A question the FAQ already answers is marked so.
	f.helped(t, "shop", "c3", "Do you ship to Canada?", "We do, 5 to 8 business days.")
	dup, _ := f.faqs.FromResolved(ctx, "shop", "c3")
	if dup.SimilarFAQ != "faq-ship-ca" {
		t.Fatalf("a near-duplicate of an FAQ: %+v", dup)
	}
	// No person wrote: no candidate.
	plain := &conversation.Conversation{ID: "c4", Tenant: "shop"}
	f.convs.Save(ctx, plain, []conversation.Message{{Role: "user", Content: "Where is my order?"}}, nil)
	if none, err := f.faqs.FromResolved(ctx, "shop", "c4"); none != nil || err != nil {
		t.Fatalf("a conversation no person wrote in: %+v %v", none, err)
	}
	// Approved with an edit, it becomes an FAQ the assistant retrieves.
	got, err := f.faqs.Approve(ctx, "shop", cand.ID, "Can I pick up my order in a store?", "")
	if err != nil || got.Status != Approved || got.DocID == "" {
		t.Fatalf("approve %+v %v", got, err)
	}
	doc, ok, err := f.kb.Document(ctx, "shop", got.DocID)
	if err != nil || !ok || doc.Kind != index.KindFAQ || doc.Title != "Can I pick up my order in a store?" || doc.Tags[0] != "from-conversation:c1" {
		t.Fatalf("ingested %+v %v %v", doc, ok, err)
	}
	res, _ := f.kb.Search(ctx, "shop", "store pickup", index.SearchOptions{Mode: index.ModeKeyword})
	if len(res.Hits) == 0 || res.Hits[0].DocID != got.DocID {
		t.Fatalf("the approved FAQ is not found: %+v", res.Hits)
	}
	if _, err := f.faqs.Approve(ctx, "shop", cand.ID, "", ""); !errors.Is(err, ErrDecided) {
		t.Errorf("approved twice: %v", err)
	}
	if _, err := f.faqs.Reject(ctx, "shop", dup.ID); err != nil {
		t.Fatal(err)
	}
	// Tenants are apart.
	if _, err := f.faqs.Get(ctx, "other", cand.ID); !errors.Is(err, ErrNotFound) {
		t.Errorf("another tenant read a candidate: %v", err)
	}
	if list, _ := f.faqs.List(ctx, "shop", Pending, 10); len(list) != 0 {
		t.Errorf("pending after decisions: %+v", list)
	}
	if _, err := f.faqs.List(ctx, "shop", "maybe", 10); err == nil {
		t.Error("an unknown status was accepted")
	}
	if _, err := f.faqs.Approve(ctx, "shop", 999, "", ""); !errors.Is(err, ErrNotFound) {
		t.Errorf("approve of a missing candidate: %v", err)
	}
}
