package server

import (
	"bufio"
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/shopdesk/shopdesk/conversation"
)

func deskServer(t *testing.T) (*conversation.Store, func(method, path, body string) (int, string), string) {
	t.Helper()
	_, store := conversationDB(t)
	var rated []conversation.Feedback
	ts := newTestServer(t, &fakeModels{}, func(o *Options) {
		o.Assistant, o.Conversations, o.Desk = &recordingAssistant{}, store, store
		o.Rated = func(_ context.Context, f conversation.Feedback) { rated = append(rated, f) }
	})
	c := &conversation.Conversation{ID: "c1", Tenant: "default"}
	if err := store.Save(context.Background(), c, []conversation.Message{{Role: "user", Content: "Where is my parcel?"},
		{Role: "assistant", Content: "I don't know.", Outcome: "dont_know"}}, nil); err != nil {
		t.Fatal(err)
	}
	return store, func(method, path, body string) (int, string) {
		resp, b := do(t, ts, method, path, body)
		return resp.StatusCode, string(b)
	}, ts.URL
}

func TestFeedbackAPI(t *testing.T) {
	_, call, _ := deskServer(t)
	for _, tc := range []struct {
		name, body string
		status     int
		param      string
	}{
		{"thumbs down", `{"rating":"down","comment":"not helpful"}`, 200, ""},
		{"csat", `{"csat":2}`, 200, ""},
		{"bad rating", `{"rating":"meh"}`, 400, "rating"},
		{"csat out of range", `{"csat":9}`, 400, "csat"},
		{"both", `{"rating":"up","csat":3}`, 400, "csat"},
		{"a question is not an answer", `{"rating":"up","turn":1}`, 400, "turn"},
		{"negative turn", `{"rating":"up","turn":-2}`, 400, "turn"},
		{"not JSON", `{"rating":`, 400, ""},
		{"unknown field type", `{"rating":5}`, 400, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			status, body := call("POST", "/api/conversations/c1/feedback", tc.body)
			if status != tc.status {
				t.Fatalf("%d %s", status, body)
			}
			if tc.param != "" {
				var e errorBody
				json.Unmarshal([]byte(body), &e)
				if e.Error.Param == nil || *e.Error.Param != tc.param {
					t.Fatalf("param %v: %s", e.Error.Param, body)
				}
			}
		})
	}
	for _, path := range []string{"/api/conversations/nope/feedback", "/api/conversations/..%2F..%2Fetc/feedback"} {
		if status, body := call("POST", path, `{"rating":"up"}`); status != 404 {
			t.Errorf("%s: %d %s", path, status, body)
		}
	}
}

func TestTakeOverAPI(t *testing.T) {
	store, call, base := deskServer(t)
	// Follow the conversation as a desk would.
	req, _ := http.NewRequest("GET", base+"/api/conversations/c1/events", nil)
	req.Header.Set("Last-Event-ID", "1") // it has seen the first message
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/event-stream") {
		t.Fatalf("content type %q", ct)
	}
	events := make(chan string, 16)
	go func() {
		sc := bufio.NewScanner(resp.Body)
		for sc.Scan() {
			if name, ok := strings.CutPrefix(sc.Text(), "event: "); ok {
				events <- name
			}
		}
	}()
	next := func(want string) {
		t.Helper()
		select {
		case got := <-events:
			if got != want {
				t.Fatalf("event %q, want %q", got, want)
			}
		case <-time.After(5 * time.Second):
			t.Fatalf("no %q event", want)
		}
	}
	next("message") // the assistant's answer it had not seen

	if status, body := call("POST", "/api/conversations/c1/messages", `{"role":"agent","text":"Hi, this is Mei.","author":"Mei"}`); status != 200 {
		t.Fatalf("%d %s", status, body)
	}
	next("message")
	if c, _ := store.Load(context.Background(), "default", "c1"); c.HeldBy != "Mei" {
		t.Fatalf("held by %q", c.HeldBy)
	}
	if status, body := call("POST", "/api/conversations/c1/messages", `{"text":"Me too","author":"Tom"}`); status != 409 {
		t.Fatalf("a second person: %d %s", status, body)
	}
	if status, _ := call("POST", "/api/conversations/c1/claim", `{"author":"Tom","force":true}`); status != 200 {
		t.Fatal("forced claim")
	}
	next("claimed")
	for _, route := range []string{"handback", "resolve"} {
		if status, body := call("POST", "/api/conversations/c1/"+route, `{"author":"Mei"}`); status != 409 {
			t.Fatalf("%s by a person who does not hold it: %d %s", route, status, body)
		}
	}
	if status, _ := call("POST", "/api/conversations/c1/handback", `{"author":"Tom"}`); status != 200 {
		t.Fatal("handback")
	}
	next("handed_back")
	if status, _ := call("POST", "/api/conversations/c1/resolve", `{"author":"Tom"}`); status != 200 {
		t.Fatal("resolve")
	}
	next("resolved")
	for _, tc := range []struct{ body, param string }{
		{`{"role":"assistant","text":"x","author":"Mei"}`, "role"},
		{`{"text":"x"}`, "author"},
		{`{"author":"Mei"}`, "text"},
		{`{"text":"` + strings.Repeat("x", conversation.MaxMessageRunes+1) + `","author":"Mei"}`, "text"},
	} {
		status, body := call("POST", "/api/conversations/c1/messages", tc.body)
		var e errorBody
		json.Unmarshal([]byte(body), &e)
		if status != 400 || e.Error.Param == nil || *e.Error.Param != tc.param {
			t.Errorf("%s: %d %s", tc.body[:min(40, len(tc.body))], status, body)
		}
	}
	if status, _ := call("POST", "/api/conversations/nope/messages", `{"text":"x","author":"Mei"}`); status != 404 {
		t.Error("a reply to an unknown conversation")
	}
	if status, _ := call("GET", "/api/conversations/nope/events", ""); status != 404 {
		t.Error("events of an unknown conversation")
	}
}

func TestListConversationsAPI(t *testing.T) {
	_, call, _ := deskServer(t)
	status, body := call("GET", "/api/conversations?view=unanswered", "")
	if status != 200 || !strings.Contains(body, `"id":"c1"`) {
		t.Fatalf("%d %s", status, body)
	}
	if status, body := call("GET", "/api/conversations?view=waiting", ""); status != 200 || strings.Contains(body, "c1") {
		t.Fatalf("waiting: %d %s", status, body)
	}
	for _, bad := range []string{"?view=spam", "?limit=0", "?from=yesterday", "?q=" + strings.Repeat("x", 201)} {
		if status, _ := call("GET", "/api/conversations"+bad, ""); status != 400 {
			t.Errorf("%s: %d", bad, status)
		}
	}
}
