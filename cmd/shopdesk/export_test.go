package main

import (
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/shopdesk/shopdesk/commerce/sqlstore"
	"github.com/shopdesk/shopdesk/conversation"
	"github.com/shopdesk/shopdesk/curated"
	"github.com/shopdesk/shopdesk/faqs"
	"github.com/shopdesk/shopdesk/index"
	"github.com/shopdesk/shopdesk/index/keyword"
	"github.com/shopdesk/shopdesk/prompts"
	"github.com/shopdesk/shopdesk/sqlite"
	"github.com/shopdesk/shopdesk/tenant"
	"github.com/shopdesk/shopdesk/training"
)

func TestExportTrainingCommand(t *testing.T) {
	data := t.TempDir()
	out := filepath.Join(t.TempDir(), "train.jsonl")
	var stdout, stderr bytes.Buffer
	err := run(context.Background(), []string{"shopdesk", "export", "training", "--data", data, "--since", "2026-01-31", "--out", out}, env(nil), &stdout, &stderr)
	if err != nil {
		t.Fatal(err)
	}
	if b, err := os.ReadFile(out); err != nil || len(b) != 0 {
		t.Fatalf("--out: %q, %v", b, err)
	}
	if !strings.Contains(stderr.String(), "0 example(s) written") {
		t.Errorf("summary: %s", stderr.String())
	}
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"export"}, "usage: shopdesk export training"},
		{[]string{"export", "faqs"}, "usage: shopdesk export training"},
		{[]string{"export", "training", "--since", "last week"}, `--since "last week": want a day such as 2026-01-31`},
		{[]string{"export", "training", "--format", "alpaca"}, `--format "alpaca": only chat-jsonl`},
		{[]string{"export", "training", "--min-rating", "down"}, `--min-rating "down": only up`},
		{[]string{"export", "training", "--tenant", "no/such"}, "tenant"},
		{[]string{"export", "training", "--out", filepath.Join(t.TempDir(), "missing", "x.jsonl")}, "--out"},
	} {
		_, err := runCmd(t, append(tc.args, "--data", data)...)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%v: got %v, want %q", tc.args, err, tc.want)
		}
	}
}

// The conversation source as the export wires it: the full passage from
// the knowledge base in the system prompt, the customer's name from the
// shop removed.
func TestTrainingSources(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	db, err := sqlite.Open(filepath.Join(dir, "shopdesk.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	kw, err := keyword.Open(filepath.Join(dir, "keyword"))
	if err != nil {
		t.Fatal(err)
	}
	defer kw.Close()
	x, err := index.Open(ctx, index.Options{DB: db, Keyword: kw})
	if err != nil {
		t.Fatal(err)
	}
	passage := "You can return most items within 30 days of the delivery date. Questions? Call +1 (775) 555-0142."
	if _, err := x.Ingest(ctx, tenant.Default, []index.Document{{ID: "faq-en-return-window", Title: "How long do I have to return an item?", Text: passage, Kind: "faq"}}, nil); err != nil {
		t.Fatal(err)
	}
	shop, err := sqlstore.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := importFiles(ctx, shop, tenant.Default, []importSpec{{"customers", filepath.Join(demoCommerce, "customers.csv")}}, "", nil, io.Discard); err != nil {
		t.Fatal(err)
	}
	convs, err := conversation.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	c := &conversation.Conversation{ID: "conv-1", Tenant: tenant.Default, CustomerID: "C001"}
	if err := convs.Save(ctx, c, []conversation.Message{
		{Role: "user", Content: "Hi, Emily Carter here (emily.carter@example.com). How long do I have to return an item?"},
		{Role: "assistant", Content: "Within 30 days of delivery, Emily [1].", Sources: []conversation.Source{{ID: "faq-en-return-window", Title: "How long…", Snippet: "You can return…"}}},
	}, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := convs.Rate(ctx, tenant.Default, "conv-1", 2, conversation.RatingUp, ""); err != nil {
		t.Fatal(err)
	}
	answers, err := curated.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := answers.Create(ctx, tenant.Default, curated.Answer{Question: "Do you gift wrap?", Answer: "Yes, for $4.", Lang: "en"}); err != nil {
		t.Fatal(err)
	}
	mined, err := faqs.Open(ctx, faqs.Options{DB: db, Conversations: convs, Knowledge: x, Similar: sameQuestion})
	if err != nil {
		t.Fatal(err)
	}
	cfg := &config{Persona: prompts.Persona{Merchant: "Harbor Lane"}}
	sources := trainingSources(cfg, x, convs, shop, answers, mined)
	var buf bytes.Buffer
	st, err := training.Write(ctx, &buf, tenant.Default, time.Time{}, sources)
	if err != nil {
		t.Fatal(err)
	}
	line := buf.String()
	for _, want := range []string{`"role":"system"`, "within 30 days of the delivery date", "+1 (775) 555-0142",
		`"content":"Hi, [name] here ([email]). How long do I have to return an item?"`, `"content":"Within 30 days of delivery, [name] [1]."`} {
		if !strings.Contains(line, want) {
			t.Errorf("export lacks %q:\n%s", want, line)
		}
	}
	if st.Examples != 2 || st.BySource[training.SourceCurated] != 1 || !strings.Contains(line, "Yes, for $4.") || !strings.Contains(line, "Harbor Lane") || strings.Contains(line, "Emily") || strings.Contains(line, "emily") {
		t.Errorf("stats %+v, personal data left:\n%s", st, line)
	}
}
