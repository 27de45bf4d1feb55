package server

import (
	"context"
	"encoding/json"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/shopdesk/shopdesk/assistant"
	"github.com/shopdesk/shopdesk/conversation"
	"github.com/shopdesk/shopdesk/identity"
)

// recordingAssistant answers every message and remembers the requests.
type recordingAssistant struct {
	mu   sync.Mutex
	reqs []assistant.Request
}

func (r *recordingAssistant) Answer(_ context.Context, req assistant.Request, onText func(string) error) (assistant.Reply, error) {
	r.mu.Lock()
	r.reqs = append(r.reqs, req)
	r.mu.Unlock()
	return assistant.Reply{ConversationID: "conv_x", Answer: "ok", Sources: []conversation.Source{}}, nil
}

func (r *recordingAssistant) last() assistant.Request {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.reqs[len(r.reqs)-1]
}

type noConversations struct{}

func (noConversations) Load(context.Context, string, string) (*conversation.Conversation, error) {
	return nil, conversation.ErrNotFound
}

func assistantServer(t *testing.T, rec *recordingAssistant, mutate func(*Options)) func(body string, header ...string) (int, string) {
	ts := newTestServer(t, &fakeModels{}, func(o *Options) {
		o.Assistant, o.Conversations = rec, noConversations{}
		if mutate != nil {
			mutate(o)
		}
	})
	return func(body string, header ...string) (int, string) {
		resp, b := do(t, ts, "POST", "/api/chat", body, header...)
		return resp.StatusCode, string(b)
	}
}

// Without trusted proxies a client cannot choose the address its failed
// verifications are counted under.
func TestForwardedForIsIgnoredUnlessTrusted(t *testing.T) {
	rec := &recordingAssistant{}
	chat := assistantServer(t, rec, nil)
	for _, forged := range []string{"203.0.113.7", "198.51.100.1, 203.0.113.9"} {
		if status, body := chat(`{"message":"hi"}`, "X-Forwarded-For", forged, "X-Real-IP", "192.0.2.1"); status != 200 {
			t.Fatalf("%d %s", status, body)
		}
		if src := rec.last().Source; src != "default/127.0.0.1" {
			t.Errorf("X-Forwarded-For %q made the source %q", forged, src)
		}
	}
	// Behind a trusted proxy, the forwarded address is the client.
	rec = &recordingAssistant{}
	chat = assistantServer(t, rec, func(o *Options) { o.TrustedProxies = []string{"127.0.0.0/8"} })
	chat(`{"message":"hi"}`, "X-Forwarded-For", "203.0.113.7")
	if src := rec.last().Source; src != "default/203.0.113.7" {
		t.Errorf("behind a trusted proxy the source is %q", src)
	}
	// An IPv6 client counts by its /64: moving within it is one source.
	for _, addr := range []string{"2001:db8:7:1::1", "2001:db8:7:1:aaaa:bbbb:cccc:dddd"} {
		chat(`{"message":"hi"}`, "X-Forwarded-For", addr)
		if src := rec.last().Source; src != "default/2001:db8:7:1::/64" {
			t.Errorf("IPv6 client %s made the source %q", addr, src)
		}
	}
	if _, err := New(Options{Models: staticCatalog{}, Chat: &fakeModels{}, Embed: &fakeModels{}, TrustedProxies: []string{"not-an-ip"}}); err == nil {
		t.Error("a bad trusted proxy was accepted")
	}
}

func TestCustomerTokenErrors(t *testing.T) {
	secret := []byte("0123456789abcdef")
	rec := &recordingAssistant{}
	chat := assistantServer(t, rec, func(o *Options) {
		o.CustomerSecret = func(tenant string) []byte {
			if tenant == "default" {
				return secret
			}
			return nil
		}
	})
	now := time.Now()
	good := identity.SignCustomer(secret, "default", "C001", now.Add(time.Hour))
	if status, body := chat(`{"message":"hi"}`, "X-Customer-Token", good); status != 200 || rec.last().CustomerID != "C001" {
		t.Fatalf("a good token: %d %s (customer %q)", status, body, rec.last().CustomerID)
	}
	for _, tc := range []struct{ name, token, says string }{
		{"expired", identity.SignCustomer(secret, "default", "C001", now.Add(-time.Minute)), "expired"},
		{"other tenant", identity.SignCustomer(secret, "acme", "C001", now.Add(time.Hour)), "another tenant"},
		{"tampered", strings.Replace(good, good[5:9], "AAAA", 1), "signature"},
		{"other secret", identity.SignCustomer([]byte("another-secret-000"), "default", "C001", now.Add(time.Hour)), "signature"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := len(rec.reqs)
			status, body := chat(`{"message":"hi"}`, "X-Customer-Token", tc.token)
			var e errorBody
			json.Unmarshal([]byte(body), &e)
			if status != 401 || e.Error.Code == nil || *e.Error.Code != "invalid_customer_token" || !strings.Contains(e.Error.Message, tc.says) {
				t.Fatalf("%d %s", status, body)
			}
			if len(rec.reqs) != before {
				t.Fatal("the refused request reached the assistant")
			}
		})
	}
	// A token and a different customer_id in the body disagree.
	if status, _ := chat(`{"message":"hi","customer_id":"C002"}`, "X-Customer-Token", good); status != 400 {
		t.Errorf("a token for C001 with customer_id C002: %d", status)
	}
}
