package main

import (
	"encoding/json"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/shopdesk/shopdesk/inference/ollamatest"
)

// A person answers what the assistant could not; resolved, the answer
// becomes an FAQ candidate, and approved, the knowledge base has it. The
// shopper rates answers through both APIs.
func TestHumanRepliesBecomeFAQs(t *testing.T) {
	in := startShopdesk(t, ollamatest.Shared(t).URL, nil, "--ingest", demoKnowledge+"/faq.en.jsonl", "--vector-store", "none")
	q := in.chat(t, `{"message":"Can I pay with a gift card and a credit card together on one order?"}`)
	conv := q.ConversationID
	if r := in.chat(t, `{"conversation_id":"`+conv+`","message":"I want to talk to a person"}`); !r.Escalated {
		t.Fatalf("no hand-off: %+v", r)
	}
	status, _, body := in.post(t, "/api/conversations/"+conv+"/messages",
		`{"role":"agent","author":"Mei","text":"Yes: at checkout apply the gift card first, then pay the rest by credit card."}`)
	if status != 200 {
		t.Fatalf("agent reply: %d %s", status, body)
	}
	// While Mei holds it, the assistant says nothing.
	if r := in.chat(t, `{"conversation_id":"`+conv+`","message":"Great, thank you!"}`); r.Outcome != "held" || r.Answer != "" {
		t.Fatalf("the assistant answered a held conversation: %+v", r)
	}
	if status, _, body := in.post(t, "/api/conversations/"+conv+"/resolve", `{"author":"Mei"}`); status != 200 {
		t.Fatalf("resolve: %d %s", status, body)
	}
	var list struct {
		Candidates []struct {
			ID       int64
			Question string
			Answer   string
		}
	}
	eventually(t, 10*time.Second, "an FAQ candidate", func() bool {
		_, body := in.get(t, "/api/learning/faqs")
		json.Unmarshal([]byte(body), &list)
		return len(list.Candidates) == 1
	})
	c := list.Candidates[0]
	if !strings.Contains(c.Question, "gift card") || !strings.Contains(c.Answer, "apply the gift card first") {
		t.Fatalf("candidate %+v", c)
	}
	if status, _, body := in.post(t, "/api/learning/faqs/"+itoa(c.ID)+"/approve", `{"question":"Can I combine a gift card and a credit card?"}`); status != 200 {
		t.Fatalf("approve: %d %s", status, body)
	}
	_, _, found := in.post(t, "/api/search", `{"query":"combine gift card and credit card","mode":"keyword"}`)
	if !strings.Contains(found, `"faq-learned-`) {
		t.Fatalf("the approved FAQ is not searchable: %s", found)
	}

	// Feedback on an answer given through the OpenAI route, by the
	// conversation ID it returned.
	status, header, raw := in.post(t, "/v1/chat/completions", `{"model":"shopdesk","messages":[{"role":"user","content":"How long do I have to return an item?"}]}`)
	id := header.Get("X-Conversation-ID")
	if status != 200 || id == "" {
		t.Fatalf("%d %s", status, raw)
	}
	if status, _, body := in.post(t, "/api/conversations/"+id+"/feedback", `{"rating":"up"}`); status != 200 || !strings.Contains(body, `"question":"How long do I have to return an item?"`) {
		t.Fatalf("feedback: %d %s", status, body)
	}
	if status, _, _ := in.post(t, "/api/conversations/"+id+"/feedback", `{"csat":5}`); status != 200 {
		t.Fatal("csat")
	}
	if v := in.metric(t, `shopdesk_feedback_total{rating="up"}`); v != "1" {
		t.Errorf("feedback metric %q", v)
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
