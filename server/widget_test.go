package server

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/shopdesk/shopdesk/assistant"
	"github.com/shopdesk/shopdesk/conversation"
	"github.com/shopdesk/shopdesk/widget"
)

// storingAssistant answers in two pieces with one source, and stores the
// turn the way the real pipeline does, session binding included.
type storingAssistant struct {
	store *conversation.Store
	mu    sync.Mutex
	reqs  []assistant.Request
}

func (a *storingAssistant) Answer(ctx context.Context, req assistant.Request, onText func(string) error) (assistant.Reply, error) {
	a.mu.Lock()
	a.reqs = append(a.reqs, req)
	a.mu.Unlock()
	id := req.ConversationID
	if id == "" {
		id = conversation.NewID()
	}
	conv, err := a.store.Load(ctx, req.Tenant, id)
	if errors.Is(err, conversation.ErrNotFound) {
		conv, err = &conversation.Conversation{ID: id, Tenant: req.Tenant, CustomerID: req.CustomerID, Session: req.Session}, nil
	}
	if err != nil {
		return assistant.Reply{}, err
	}
	if conv.Session != req.Session || conv.CustomerID != req.CustomerID {
		return assistant.Reply{}, assistant.ErrForbidden
	}
	for _, piece := range []string{"You can return items ", "within 30 days [1]."} {
		if err := onText(piece); err != nil {
			return assistant.Reply{}, err
		}
	}
	src := []conversation.Source{{ID: "faq-returns", Title: "Returns", URL: "https://shop.example/returns", Snippet: "30 days"}}
	if err := a.store.Save(ctx, conv, []conversation.Message{{Role: "user", Content: strings.TrimSpace(req.Message)},
		{Role: "assistant", Content: "You can return items within 30 days [1].", Sources: src}}, nil); err != nil {
		return assistant.Reply{}, err
	}
	return assistant.Reply{ConversationID: id, Answer: "You can return items within 30 days [1].", Sources: src, Language: "en",
		Outcome: "answered", QuickReplies: []string{"Refund", "Exchange"}}, nil
}

func (a *storingAssistant) last() assistant.Request {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.reqs[len(a.reqs)-1]
}

// Two tenants' widget settings for the tests.
const (
	pkA, originA = "pk_test_acme_0123456789", "https://shop.acme.example"
	pkB, originB = "pk_test_globex_012345678", "https://globex.example"
)

var widgetSecret = []byte("widget-test-secret-0123")

// widgetEnv is a server with the widget on, over a real conversation store
// and real sessions.
type widgetEnv struct {
	ts    *httptest.Server
	store *conversation.Store
	sess  *widget.Sessions
	bot   *storingAssistant
}

func newWidgetEnv(t testing.TB, mutate func(*Options)) *widgetEnv {
	t.Helper()
	db, store := conversationDB(t)
	ctx := context.Background()
	sessions, err := widget.OpenSessions(ctx, widget.SessionOptions{DB: db})
	if err != nil {
		t.Fatal(err)
	}
	env := &widgetEnv{store: store, sess: sessions, bot: &storingAssistant{store: store}}
	env.ts = newTestServer(t, &fakeModels{}, func(o *Options) {
		o.Assistant, o.Conversations, o.Desk = env.bot, store, store
		o.CustomerSecret = func(string) []byte { return widgetSecret }
		o.Widget = WidgetOptions{Sessions: sessions, Keys: []widget.Key{
			{Key: pkA, Tenant: "acme", Origins: []string{originA, "http://127.0.0.1:9"}},
			{Key: pkB, Tenant: "globex", Origins: []string{originB}},
		}}
		if mutate != nil {
			mutate(o)
		}
	})
	return env
}

// call sends a widget request from origin with key and, if set, session.
func (e *widgetEnv) call(t *testing.T, method, path, origin, key, session, body string, header ...string) (*http.Response, string) {
	t.Helper()
	h := []string{"Origin", origin, "X-Shopdesk-Key", key, "Content-Type", "application/json"}
	if session != "" {
		h = append(h, "Authorization", "Session "+session)
	}
	resp, b := do(t, e.ts, method, path, body, append(h, header...)...)
	return resp, string(b)
}

// session starts a session of key's tenant and returns its token.
func (e *widgetEnv) session(t *testing.T, origin, key string, header ...string) string {
	t.Helper()
	resp, body := e.call(t, "POST", "/widget/v1/session", origin, key, "", "", header...)
	var out struct{ Token string }
	if json.Unmarshal([]byte(body), &out); resp.StatusCode != 200 || out.Token == "" {
		t.Fatalf("session: %d %s", resp.StatusCode, body)
	}
	return out.Token
}

// sseEvent is one server-sent event.
type sseEvent struct{ ID, Name, Data string }

// scanEvents sends each named event read from r to fn.
func scanEvents(r io.Reader, fn func(sseEvent)) {
	sc := bufio.NewScanner(r)
	var ev sseEvent
	for sc.Scan() {
		k, v, _ := strings.Cut(sc.Text(), ": ")
		switch k {
		case "id":
			ev.ID = v
		case "event":
			ev.Name = v
		case "data":
			ev.Data += v
		case "":
			if ev.Name != "" {
				fn(ev)
			}
			ev = sseEvent{}
		}
	}
}

func readNamedEvents(body string) []sseEvent {
	var out []sseEvent
	scanEvents(strings.NewReader(body), func(ev sseEvent) { out = append(out, ev) })
	return out
}

// chat sends a message and returns the stream's events and the "done".
func (e *widgetEnv) chat(t *testing.T, session, body string, header ...string) ([]sseEvent, widgetReply) {
	t.Helper()
	resp, raw := e.call(t, "POST", "/widget/v1/chat", originA, pkA, session, body, header...)
	if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/event-stream") {
		t.Fatalf("chat %s: %d %s", body, resp.StatusCode, raw)
	}
	evs := readNamedEvents(raw)
	var done widgetReply
	for _, ev := range evs {
		if ev.Name == "done" {
			json.Unmarshal([]byte(ev.Data), &done)
		}
	}
	return evs, done
}

func TestWidgetConversation(t *testing.T) {
	e := newWidgetEnv(t, nil)
	tok := e.session(t, originA, pkA)

	evs, done := e.chat(t, tok, `{"message":"How long do I have to return an item?"}`)
	var names []string
	for _, ev := range evs {
		names = append(names, ev.Name)
	}
	if got := strings.Join(names, ","); got != "token,token,sources,done" {
		t.Fatalf("events %s", got)
	}
	if done.ConversationID == "" || done.Seq != 2 || done.UserSeq != 1 || len(done.QuickReplies) != 2 || done.Sources[0].URL == "" {
		t.Fatalf("done %+v", done)
	}
	if r := e.bot.last(); r.Session != widget.HashToken(tok) || r.Session == tok || r.Tenant != "acme" || r.CustomerID != "" {
		t.Fatalf("the assistant got session %q tenant %q customer %q", r.Session, r.Tenant, r.CustomerID)
	}

	// The same browser resumes its conversation.
	resp, body := e.call(t, "POST", "/widget/v1/session", originA, pkA, tok, "")
	if resp.StatusCode != 200 || !strings.Contains(body, `"conversation_id":"`+done.ConversationID+`"`) || !strings.Contains(body, tok) {
		t.Fatalf("resume: %d %s", resp.StatusCode, body)
	}
	_, done2 := e.chat(t, tok, fmt.Sprintf(`{"message":"And shoes?","conversation_id":%q}`, done.ConversationID))
	if done2.ConversationID != done.ConversationID || done2.Seq != 4 {
		t.Fatalf("second turn %+v", done2)
	}
	resp, body = e.call(t, "GET", "/widget/v1/conversation", originA, pkA, tok, "")
	var conv widgetConversationView
	json.Unmarshal([]byte(body), &conv)
	if resp.StatusCode != 200 || conv.ID != done.ConversationID || len(conv.Messages) != 4 || strings.Contains(body, "sentiment") {
		t.Fatalf("transcript: %d %s", resp.StatusCode, body)
	}

	// Thumbs and CSAT land on the session's conversation.
	if resp, body := e.call(t, "POST", "/widget/v1/feedback", originA, pkA, tok, `{"turn":2,"rating":"up"}`); resp.StatusCode != 200 {
		t.Fatalf("thumbs: %d %s", resp.StatusCode, body)
	}
	if resp, body := e.call(t, "POST", "/widget/v1/feedback", originA, pkA, tok, `{"turn":1,"rating":"up"}`); resp.StatusCode != 400 {
		t.Fatalf("rating a question: %d %s", resp.StatusCode, body)
	}
	if resp, body := e.call(t, "POST", "/widget/v1/feedback", originA, pkA, tok, `{"csat":5}`); resp.StatusCode != 200 {
		t.Fatalf("csat: %d %s", resp.StatusCode, body)
	}
	c, _ := e.store.Load(context.Background(), "acme", done.ConversationID)
	if c.CSAT != 5 || c.Messages[1].Rating != "up" {
		t.Fatalf("stored csat %d rating %q", c.CSAT, c.Messages[1].Rating)
	}

	// A person's reply reaches the widget live; a reconnect replays it.
	events := e.follow(t, tok, done.ConversationID, "4")
	if _, err := e.store.AddAgentMessage(context.Background(), "acme", done.ConversationID, "Mei", "Hi, this is Mei."); err != nil {
		t.Fatal(err)
	}
	if ev := next(t, events); ev.Name != "message" || ev.ID != "5" || !strings.Contains(ev.Data, `"role":"agent"`) || strings.Contains(ev.Data, `"author"`) || strings.Contains(ev.Data, "conversation_id") {
		t.Fatalf("live event %+v", ev)
	}
	replay := e.follow(t, tok, done.ConversationID, "4")
	if ev := next(t, replay); ev.ID != "5" || !strings.Contains(ev.Data, "Hi, this is Mei.") {
		t.Fatalf("replayed event %+v", ev)
	}

	// Leaving the conversation: the next session resume names none.
	resp, body = e.call(t, "POST", "/widget/v1/session", originA, pkA, tok, `{"new_conversation":true}`)
	if resp.StatusCode != 200 || strings.Contains(body, "conversation_id") {
		t.Fatalf("new conversation: %d %s", resp.StatusCode, body)
	}
}

// follow opens the events stream after seq and returns its events.
func (e *widgetEnv) follow(t *testing.T, tok, id, after string) <-chan sseEvent {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	req, _ := http.NewRequestWithContext(ctx, "GET", e.ts.URL+"/widget/v1/events?id="+id, nil)
	for k, v := range map[string]string{"Origin": originA, "X-Shopdesk-Key": pkA, "Authorization": "Session " + tok, "Last-Event-ID": after} {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != 200 {
		t.Fatalf("events: %d", resp.StatusCode)
	}
	out := make(chan sseEvent, 16)
	go func() {
		defer resp.Body.Close()
		scanEvents(resp.Body, func(ev sseEvent) { out <- ev })
	}()
	return out
}

func next(t *testing.T, events <-chan sseEvent) sseEvent {
	t.Helper()
	select {
	case ev := <-events:
		return ev
	case <-time.After(5 * time.Second):
		t.Fatal("no event")
		return sseEvent{}
	}
}

func TestWidgetAssets(t *testing.T) {
	e := newWidgetEnv(t, nil)
	resp, body := do(t, e.ts, "GET", "/widget.js", "")
	h := resp.Header
	if resp.StatusCode != 200 || !strings.HasPrefix(h.Get("Content-Type"), "text/javascript") || h.Get("ETag") == "" ||
		h.Get("Cross-Origin-Resource-Policy") != "cross-origin" || !strings.Contains(h.Get("Cache-Control"), "max-age") || len(body) < 1000 {
		t.Fatalf("widget.js: %d %v", resp.StatusCode, h)
	}
	if resp, _ := do(t, e.ts, "GET", "/widget.js", "", "If-None-Match", h.Get("ETag")); resp.StatusCode != 304 {
		t.Errorf("revalidation: %d", resp.StatusCode)
	}
	req, _ := http.NewRequest("GET", e.ts.URL+"/widget.js", nil)
	req.Header.Set("Accept-Encoding", "gzip")
	gz, err := http.DefaultTransport.RoundTrip(req)
	if err != nil || gz.Header.Get("Content-Encoding") != "gzip" {
		t.Errorf("gzip: %v %v", err, gz.Header)
	}
	gz.Body.Close()

	// tenant default has no key here: the demo explains how to add one.
	resp, page := do(t, e.ts, "GET", "/demo?lang=zh", "")
	csp := resp.Header.Get("Content-Security-Policy")
	if resp.StatusCode != 200 || !strings.Contains(csp, "script-src 'self'") || strings.Contains(csp, "unsafe") ||
		!strings.Contains(string(page), `<html lang="zh">`) || !strings.Contains(string(page), "--widget-keys") {
		t.Fatalf("demo: %d %s\n%s", resp.StatusCode, csp, page)
	}
	e = newWidgetEnv(t, func(o *Options) {
		o.Widget.Keys = append(o.Widget.Keys, widget.Key{Key: "pk_default_0123456789abc", Tenant: "default", Origins: []string{"http://127.0.0.1"}})
	})
	_, page = do(t, e.ts, "GET", "/demo", "")
	if !strings.Contains(string(page), `<script src="/widget.js" data-key="pk_default_0123456789abc" async></script>`) {
		t.Fatalf("demo embeds no widget:\n%s", page)
	}
}
