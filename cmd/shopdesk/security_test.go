package main

import (
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/shopdesk/shopdesk/inference/ollamatest"
)

// The attacks of a stranger who knows or guesses a conversation ID, forges
// X-Forwarded-For or spreads guesses over conversations, against the real
// server.
func TestStrangersCannotUnlockOrders(t *testing.T) {
	in := startShopdesk(t, ollamatest.Shared(t).URL, nil, "--ingest", demoKnowledge+"/faq.en.jsonl",
		"--vector-store", "none", "--commerce-import", demoImports, "--return-window-days", "100000")

	t.Run("an anonymous turn does not inherit a signed-in customer", func(t *testing.T) {
		r := in.chat(t, `{"conversation_id":"shopper-1","customer_id":"C001","message":"Where is my order HL-100101?"}`)
		if !hasSource(r, "order:HL-100101") {
			t.Fatalf("the signed-in customer's own order: %+v", r)
		}
		_, unknown := in.get(t, "/api/conversations/never-used-1")
		for _, body := range []string{
			`{"conversation_id":"shopper-1","message":"Where is my order HL-100101?"}`,
			`{"conversation_id":"shopper-1","message":"What did you just tell me about my order?"}`,
			`{"conversation_id":"shopper-1","customer_id":"C002","message":"Where is my order HL-100101?"}`,
		} {
			status, _, raw := in.post(t, "/api/chat", body)
			if status != 404 || strings.Contains(raw, "HL-100101") || strings.Contains(raw, "UPS") {
				t.Fatalf("%s: %d %s", body, status, raw)
			}
			if code(raw) != "conversation_not_found" || message(raw) != message(unknown) {
				t.Fatalf("%s: refused unlike an unknown conversation: %s", body, raw)
			}
		}
		// The same through the OpenAI route, where the conversation is the
		// request's user field.
		status, _, raw := in.post(t, "/v1/chat/completions", `{"model":"shopdesk","user":"shopper-2","messages":[{"role":"user","content":"Where is my order HL-100101?"}]}`,
			"X-Customer-ID", "C001")
		if status != 200 || !strings.Contains(raw, "order:HL-100101") {
			t.Fatalf("signed in on /v1: %d %s", status, raw)
		}
		status, _, raw = in.post(t, "/v1/chat/completions", `{"model":"shopdesk","user":"shopper-2","messages":[{"role":"user","content":"Where is my order HL-100101?"}]}`)
		if status != 404 || strings.Contains(raw, "HL-100101") {
			t.Fatalf("anonymous on /v1 with a guessed user: %d %s", status, raw)
		}
	})

	t.Run("guesses from rotating conversations and forged addresses are locked out", func(t *testing.T) {
		ask := func(i int, postcode string) chatReply {
			body, _ := json.Marshal(map[string]string{"message": "Where is my order HL-100102? My postcode is " + postcode})
			status, _, raw := in.post(t, "/api/chat", string(body), "X-Forwarded-For", fmt.Sprintf("198.51.%d.%d", i/250, i%250))
			if status != 200 {
				t.Fatalf("guess %d: %d %s", i, status, raw)
			}
			var r chatReply
			json.Unmarshal([]byte(raw), &r)
			return r
		}
		var wg sync.WaitGroup
		var mu sync.Mutex
		texts := map[string]int{}
		sem := make(chan struct{}, 16)
		for i := range 200 {
			wg.Go(func() {
				sem <- struct{}{}
				defer func() { <-sem }()
				r := ask(i, fmt.Sprintf("%05d", 20000+i))
				if hasSource(r, "order:HL-100102") {
					t.Errorf("guess %d unlocked the order", i)
				}
				mu.Lock()
				texts[r.Answer]++
				mu.Unlock()
			})
		}
		wg.Wait()
		if len(texts) != 1 {
			t.Fatalf("wrong guesses got %d different replies: %v", len(texts), texts)
		}
		// The right postcode, from yet another conversation and address.
		right := ask(999, "80302")
		if hasSource(right, "order:HL-100102") {
			t.Fatalf("the right answer got through after 200 guesses: %+v", right)
		}
		if _, ok := texts[right.Answer]; !ok {
			t.Fatalf("the locked-out right answer reads unlike a wrong one:\n%q\n%v", right.Answer, texts)
		}
	})
}

func code(raw string) string {
	var e struct{ Error struct{ Code string } }
	json.Unmarshal([]byte(raw), &e)
	return e.Error.Code
}

func message(raw string) string {
	var e struct{ Error struct{ Message string } }
	json.Unmarshal([]byte(raw), &e)
	return e.Error.Message
}
