package training

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/shopdesk/shopdesk/conversation"
	"github.com/shopdesk/shopdesk/mention"
	"github.com/shopdesk/shopdesk/prompts"
	"github.com/shopdesk/shopdesk/sentiment"
)

func TestRedact(t *testing.T) {
	for _, tc := range []struct {
		in, want string
		names    []string
		n        int
	}{
		{"My email is emily.carter@example.com and my order is HL-100101.", "My email is [email] and my order is [order number].", nil, 2},
		{"Call me on +1 775-555-0123, ZIP 89501", "Call me on [phone], ZIP [postcode]", nil, 2},
		{"Hi, this is Emily Carter. Emily here again; carterton is a town.", "Hi, this is [name]. [name] here again; carterton is a town.", []string{"Emily Carter"}, 2},
		{"我是陈思远，手机 139 1234 5601。思远谢谢", "我是[name]，手机 [phone]。[name]谢谢", []string{"陈思远"}, 3},
		{"How much is HL-JKT-001-BLU-M?", "How much is HL-JKT-001-BLU-M?", []string{"Al"}, 0},
	} {
		got, n := Redact(tc.in, tc.names)
		if got != tc.want || n != tc.n {
			t.Errorf("Redact(%q) = %q, %d; want %q, %d", tc.in, got, n, tc.want, tc.n)
		}
	}
}

// fakeRatings returns its ratings.
type fakeRatings struct {
	ratings []Rating
	err     error
}

func (f fakeRatings) Ratings(_ context.Context, _ string, _ time.Time) ([]Rating, error) {
	return f.ratings, f.err
}

// fakeConversations holds conversations by ID.
type fakeConversations map[string]*conversation.Conversation

func (f fakeConversations) Load(_ context.Context, _, id string) (*conversation.Conversation, error) {
	c, ok := f[id]
	if !ok {
		return nil, conversation.ErrNotFound
	}
	return c, nil
}

func day(d int) time.Time { return time.Date(2026, 11, d, 12, 0, 0, 0, time.UTC) }

func testSource() RatedConversations {
	neg := sentiment.Result{Label: sentiment.Negative}
	convs := fakeConversations{
		"c1": {ID: "c1", CustomerID: "C001", Messages: []conversation.Message{
			{Seq: 1, Role: "user", Content: "Hi, I'm Emily Carter. How long do I have to return an item? emily.carter@example.com"},
			{Seq: 2, Role: "assistant", Content: "You have 30 days from delivery, Emily [1]. Call +1 (775) 555-0142 with questions.",
				Sources: []conversation.Source{{ID: "faq-en-return-window", Title: "Return window", Snippet: "You can return…"}}},
			{Seq: 3, Role: "user", Content: "This is awful, the zipper broke", Sentiment: &neg},
			{Seq: 4, Role: "assistant", Content: "I'm sorry. Zippers are covered for 2 years [1].",
				Sources: []conversation.Source{{ID: "order:HL-100101", Title: "Order HL-100101", Snippet: "status: delivered, email emily.carter@example.com"}}},
			{Seq: 5, Role: "user", Content: "and the weather?"},
			{Seq: 6, Role: "assistant", Content: "I don't know.", Fallback: true},
		}},
		"c2": {ID: "c2", Messages: []conversation.Message{
			{Seq: 1, Role: "user", Content: "退货运费谁出？"},
			{Seq: 2, Role: "assistant", Content: "无理由退货的运费由您承担 [1]。"},
		}},
	}
	ratings := []Rating{
		{ConversationID: "c1", Seq: 2, Up: true, At: day(3)},
		{ConversationID: "c1", Seq: 4, Up: true, At: day(2)},
		{ConversationID: "c1", Seq: 4, Up: false, At: day(4)}, // changed their mind
		{ConversationID: "c1", Seq: 6, Up: true, At: day(4)},  // a fallback
		{ConversationID: "c2", Seq: 2, Up: true, At: day(1)},
		{ConversationID: "c2", Seq: 2, Up: true, At: day(1)}, // counted once
		{ConversationID: "gone", Seq: 2, Up: true, At: day(5)},
		{ConversationID: "c1", Seq: 1, Up: true, At: day(5)}, // not an assistant message
	}
	return RatedConversations{
		Ratings:       fakeRatings{ratings: ratings},
		Conversations: convs,
		Persona:       func(string) prompts.Persona { return prompts.Persona{Merchant: "Harbor Lane"} },
		Passage: func(_ context.Context, _, id string) (string, string, bool) {
			if id == "faq-en-return-window" {
				return "How long do I have to return an item?", "Within 30 days of delivery. Questions: +1 (775) 555-0142.", true
			}
			return "", "", false
		},
		Names: func(_ context.Context, _, id string) []string {
			if id == "C001" {
				return []string{"Emily Carter"}
			}
			return nil
		},
	}
}

func TestWriteRatedConversations(t *testing.T) {
	var buf bytes.Buffer
	st, err := Write(context.Background(), &buf, "default", time.Time{}, []Source{testSource()})
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(buf.String()), "\n")
	if st.Examples != 2 || len(lines) != 2 || st.BySource[SourceConversation] != 2 {
		t.Fatalf("stats %+v, output:\n%s", st, buf.String())
	}
	var first, second chatLine
	json.Unmarshal([]byte(lines[0]), &first)
	json.Unmarshal([]byte(lines[1]), &second)
	// Oldest first: c2 (day 1), then c1's first answer (day 3).
	if second.Messages[1].Content != "Hi, I'm [name]. How long do I have to return an item? [email]" ||
		second.Messages[2].Content != "You have 30 days from delivery, [name] [1]. Call +1 (775) 555-0142 with questions." {
		t.Errorf("redacted example: %+v", second.Messages)
	}
	sys := second.Messages[0]
	if sys.Role != "system" || !strings.Contains(sys.Content, "Within 30 days of delivery") || !strings.Contains(sys.Content, "Harbor Lane") {
		t.Errorf("system prompt lacks the passage or persona:\n%s", sys.Content)
	}
	if want := prompts.AnswerSystem(prompts.Answer{Persona: prompts.Persona{Merchant: "Harbor Lane"}, Language: "zh",
		Sources: []prompts.Source{}}); first.Messages[0].Content != want || first.Messages[1].Content != "退货运费谁出？" {
		t.Errorf("zh example: %+v", first.Messages)
	}
	if st.Redacted != 3 {
		t.Errorf("redacted %d items, want 3 (a name twice, an email)", st.Redacted)
	}

	// since leaves out what was rated before it.
	buf.Reset()
	if st, _ := Write(context.Background(), &buf, "default", day(2), []Source{testSource()}); st.Examples != 1 {
		t.Errorf("since day 2: %+v", st)
	}
}

func TestWriteFailures(t *testing.T) {
	src := testSource()
	src.Ratings = fakeRatings{err: errors.New("db locked")}
	if _, err := Write(context.Background(), &bytes.Buffer{}, "default", time.Time{}, []Source{src}); err == nil || !strings.Contains(err.Error(), "db locked") {
		t.Fatalf("failing source: %v", err)
	}
	if _, err := (RatedConversations{}).Examples(context.Background(), "default", time.Time{}); err == nil {
		t.Fatal("a source without stores")
	}
	// Duplicates across sources are written once.
	dup := fixed{{User: "q", Assistant: "a", Source: SourceCurated}, {User: "q", Assistant: "a", Source: SourceFAQCandidate}, {User: " ", Assistant: "a"}}
	var buf bytes.Buffer
	st, err := Write(context.Background(), &buf, "default", time.Time{}, []Source{dup})
	if err != nil || st.Examples != 1 || st.Duplicates != 1 || strings.Contains(buf.String(), `"system"`) {
		t.Fatalf("duplicates: %+v %v\n%s", st, err, buf.String())
	}
}

// fixed is a Source of fixed examples.
type fixed []Example

func (f fixed) Examples(context.Context, string, time.Time) ([]Example, error) { return f, nil }

func FuzzRedact(f *testing.F) {
	f.Add("mail me at a@b.co or call 13800138000, order HL-100101", "Emily Carter")
	f.Add("我是陈思远，邮编 200031", "陈思远")
	f.Add("\xff\xfe [email] Emily", "E")
	f.Fuzz(func(t *testing.T, text, name string) {
		out, n := Redact(text, []string{name})
		if n < 0 || (n == 0 && out != text) {
			t.Fatalf("Redact(%q) = %q after %d replacements", text, out, n)
		}
		for _, e := range mention.Emails(out) {
			if strings.Contains(text, e) && !strings.Contains(name, e) {
				t.Fatalf("e-mail %q left in %q", e, out)
			}
		}
	})
}

func TestApprovedAnswers(t *testing.T) {
	src := ApprovedAnswers{Kind: SourceCurated, List: func(context.Context, string) ([]Approved, error) {
		return []Approved{
			{Question: "Do you gift wrap?", Alternates: []string{"gift wrapping?"}, Answer: "Yes, for $4. Call 1-800-555-0199.", At: day(5)},
			{Question: "Old one", Answer: "Old", At: day(1)},
		}, nil
	}}
	var b strings.Builder
	st, err := Write(context.Background(), &b, "shop", day(3), []Source{src})
	if err != nil || st.Examples != 2 || st.BySource[SourceCurated] != 2 {
		t.Fatalf("%+v %v", st, err)
	}
	if !strings.Contains(b.String(), "gift wrapping?") || !strings.Contains(b.String(), "1-800-555-0199") || strings.Contains(b.String(), "Old") {
		t.Fatalf("the approved answers, their alternates and the shop's own phone number:\n%s", b.String())
	}
}
