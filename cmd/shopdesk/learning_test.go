package main

import (
	"encoding/json"
	"io"
	"net/http"
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

func TestInsightsAPI(t *testing.T) {
	in := startShopdesk(t, ollamatest.Shared(t).URL, nil, "--ingest", demoKnowledge+"/faq.en.jsonl", "--vector-store", "none")
	for _, q := range []string{"Do you rent skis for the weekend?", "Can I rent skis?", "How long do I have to return an item?"} {
		in.chat(t, `{"message":"`+q+`"}`)
	}
	status, body := in.get(t, "/api/insights/kpis")
	var rep struct {
		Total struct {
			Conversations int
			Answers       int
		}
		Days []struct{ Day string }
	}
	json.Unmarshal([]byte(body), &rep)
	if status != 200 || rep.Total.Conversations != 3 || rep.Total.Answers != 3 || len(rep.Days) != 30 {
		t.Fatalf("kpis: %d %s", status, body)
	}
	req, _ := http.NewRequest("GET", in.base+"/api/insights/kpis?from=2026-01-01&to=2026-01-03", nil)
	req.Header.Set("Accept", "text/csv")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	csvBody, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	lines := strings.Split(strings.TrimSpace(string(csvBody)), "\n")
	if !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/csv") || len(lines) != 3 || !strings.HasPrefix(lines[0], "day,conversations,") || !strings.HasPrefix(lines[1], "2026-01-01,0,") {
		t.Fatalf("csv: %s %q", resp.Header.Get("Content-Type"), csvBody)
	}
	for _, bad := range []string{"?from=yesterday", "?from=2026-02-01&to=2026-01-01", "?from=2020-01-01&to=2026-01-01"} {
		if status, body := in.get(t, "/api/insights/kpis"+bad); status != 400 {
			t.Errorf("%s: %d %s", bad, status, body)
		}
	}
	status, body = in.get(t, "/api/insights/gaps")
	if status != 200 || !strings.Contains(body, "skis") || !strings.Contains(body, `"count":2`) {
		t.Fatalf("gaps: %d %s", status, body)
	}
	if v := in.metric(t, `shopdesk_kpi_conversations_24h{tenant="default"}`); v != "3" {
		t.Errorf("KPI gauge %q", v)
	}
}

// A thumbs up on an FAQ answer makes the shopper's question a candidate
// phrasing of that FAQ, with personal data removed.
func TestThumbsUpTeachesAPhrasing(t *testing.T) {
	in := startShopdesk(t, ollamatest.Shared(t).URL, nil, "--ingest", demoKnowledge+"/faq.en.jsonl", "--vector-store", "none",
		"--answer-mode", "faq_first")
	r := in.chat(t, `{"message":"How long do I have to return an item? My email is ann@example.com"}`)
	if len(r.Sources) == 0 {
		t.Fatalf("no source to learn for: %+v", r)
	}
	if status, _, body := in.post(t, "/api/conversations/"+r.ConversationID+"/feedback", `{"rating":"up"}`); status != 200 {
		t.Fatalf("%d %s", status, body)
	}
	status, body := in.get(t, "/api/learning/candidates")
	if status != 200 || !strings.Contains(body, r.Sources[0].ID) || !strings.Contains(body, "How long do I have to return an item?") || strings.Contains(body, "ann@example.com") {
		t.Fatalf("candidates after a thumbs up on %s: %d %s", r.Sources[0].ID, status, body)
	}
}
