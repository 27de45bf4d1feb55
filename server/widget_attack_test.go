package server

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/shopdesk/shopdesk/identity"
	"github.com/shopdesk/shopdesk/widget"
)

// errCode is the error code of a response body, "" if none.
func errCode(body string) string {
	var e errorBody
	if json.Unmarshal([]byte(body), &e) != nil || e.Error.Code == nil {
		return ""
	}
	return *e.Error.Code
}

// What a page, or someone pretending to be one, cannot do.
func TestWidgetAttacks(t *testing.T) {
	e := newWidgetEnv(t, nil)
	victim := e.session(t, originA, pkA)
	_, done := e.chat(t, victim, `{"message":"My order HL-1 has not arrived"}`)
	attacker := e.session(t, originA, pkA)

	t.Run("another session's conversation is unknown", func(t *testing.T) {
		for _, tc := range []struct{ method, path, body string }{
			{"GET", "/widget/v1/conversation?id=" + done.ConversationID, ""},
			{"GET", "/widget/v1/events?id=" + done.ConversationID, ""},
			{"POST", "/widget/v1/feedback", fmt.Sprintf(`{"conversation_id":%q,"rating":"down"}`, done.ConversationID)},
			{"POST", "/widget/v1/chat", fmt.Sprintf(`{"conversation_id":%q,"message":"show me"}`, done.ConversationID)},
		} {
			resp, body := e.call(t, tc.method, tc.path, originA, pkA, attacker, tc.body)
			unknown, ubody := e.call(t, tc.method, strings.ReplaceAll(tc.path, done.ConversationID, "conv_doesnotexist"), originA, pkA, attacker,
				strings.ReplaceAll(tc.body, done.ConversationID, "conv_doesnotexist"))
			if resp.StatusCode != 404 || unknown.StatusCode != 404 || errCode(body) != errCode(ubody) || strings.Contains(body, "HL-1") {
				t.Errorf("%s %s: %d %s (unknown: %d %s)", tc.method, tc.path, resp.StatusCode, body, unknown.StatusCode, ubody)
			}
		}
		// Knowing the ID without any session is not enough either.
		if resp, body := e.call(t, "GET", "/widget/v1/conversation?id="+done.ConversationID, originA, pkA, "", ""); resp.StatusCode != 401 {
			t.Errorf("without a session: %d %s", resp.StatusCode, body)
		}
	})

	t.Run("origins", func(t *testing.T) {
		for _, tc := range []struct {
			name, origin, key string
			status            int
			code              string
		}{
			{"forged origin", "https://evil.example", pkA, 403, "origin_not_allowed"},
			{"look-alike origin", "https://shop.acme.example.evil.example", pkA, 403, "origin_not_allowed"},
			{"another scheme", "http://shop.acme.example", pkA, 403, "origin_not_allowed"},
			{"tenant A's key on tenant B's origin", originB, pkA, 403, "origin_not_allowed"},
			{"no origin", "", pkA, 403, "origin_required"},
			{"opaque origin", "null", pkA, 403, "origin_not_allowed"},
			{"unknown key", originA, "pk_test_unknown_000000000", 401, "invalid_publishable_key"},
			{"an API key where the publishable key goes", originA, "sk-secret-0123456789", 401, "invalid_publishable_key"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				resp, body := e.call(t, "POST", "/widget/v1/session", tc.origin, tc.key, "", "")
				if resp.StatusCode != tc.status || errCode(body) != tc.code {
					t.Fatalf("%d %s", resp.StatusCode, body)
				}
				if acao := resp.Header.Get("Access-Control-Allow-Origin"); tc.status == 403 && tc.name != "tenant A's key on tenant B's origin" && acao != "" {
					t.Fatalf("a refused origin got Access-Control-Allow-Origin %q", acao)
				}
			})
		}
		// Preflights are answered for listed origins only.
		resp, _ := do(t, e.ts, "OPTIONS", "/widget/v1/chat", "", "Origin", originB, "Access-Control-Request-Method", "POST",
			"Access-Control-Request-Headers", "authorization,content-type,x-shopdesk-key")
		if resp.StatusCode != 204 || resp.Header.Get("Access-Control-Allow-Origin") != originB ||
			!strings.Contains(resp.Header.Get("Access-Control-Allow-Headers"), "X-Shopdesk-Key") || resp.Header.Get("Access-Control-Allow-Credentials") != "" {
			t.Errorf("preflight of a listed origin: %d %v", resp.StatusCode, resp.Header)
		}
		resp, _ = do(t, e.ts, "OPTIONS", "/widget/v1/chat", "", "Origin", "https://evil.example", "Access-Control-Request-Method", "POST")
		if resp.StatusCode != 403 || resp.Header.Get("Access-Control-Allow-Origin") != "" {
			t.Errorf("preflight of an unlisted origin: %d %v", resp.StatusCode, resp.Header)
		}
		// A same-origin GET carries no Origin; Sec-Fetch-Site names it.
		resp, body := do(t, e.ts, "GET", "/widget/v1/conversation", "", "Sec-Fetch-Site", "same-origin", "X-Shopdesk-Key", pkA, "Authorization", "Session "+victim)
		if resp.StatusCode != 403 || errCode(string(body)) != "origin_not_allowed" {
			t.Errorf("same-origin request from an unlisted origin: %d %s", resp.StatusCode, body)
		}
	})

	t.Run("sessions belong to their tenant", func(t *testing.T) {
		resp, body := e.call(t, "GET", "/widget/v1/conversation", originB, pkB, victim, "")
		if resp.StatusCode != 401 || errCode(body) != "invalid_session" {
			t.Fatalf("tenant A's session with tenant B's key: %d %s", resp.StatusCode, body)
		}
		for _, bad := range []string{"ws_forged", "Bearer " + victim, strings.Repeat("x", 5000)} {
			h := []string{"Origin", originA, "X-Shopdesk-Key", pkA, "Authorization", bad}
			if resp, body := do(t, e.ts, "GET", "/widget/v1/conversation", "", h...); resp.StatusCode != 401 {
				t.Errorf("Authorization %.20q: %d %s", bad, resp.StatusCode, body)
			}
		}
	})

	t.Run("customer tokens", func(t *testing.T) {
		now := time.Now()
		for _, tc := range []struct{ name, token, says string }{
			{"expired", identity.SignCustomer(widgetSecret, "acme", "C001", now.Add(-time.Minute)), "expired"},
			{"another tenant's", identity.SignCustomer(widgetSecret, "globex", "C001", now.Add(time.Hour)), "another tenant"},
			{"forged", identity.SignCustomer([]byte("guessed-secret-0000000"), "acme", "C001", now.Add(time.Hour)), "signature"},
		} {
			resp, body := e.call(t, "POST", "/widget/v1/session", originA, pkA, "", "", "X-Customer-Token", tc.token)
			if resp.StatusCode != 401 || errCode(body) != "invalid_customer_token" || !strings.Contains(body, tc.says) {
				t.Errorf("%s token: %d %s", tc.name, resp.StatusCode, body)
			}
		}
		good := identity.SignCustomer(widgetSecret, "acme", "C001", now.Add(time.Hour))
		mine := e.session(t, originA, pkA, "X-Customer-Token", good)
		if _, done := e.chat(t, mine, `{"message":"hi"}`, "X-Customer-Token", good); done.ConversationID == "" || e.bot.last().CustomerID != "C001" {
			t.Fatalf("a good token: customer %q", e.bot.last().CustomerID)
		}
		// The same token replayed from another browser's session.
		resp, body := e.call(t, "POST", "/widget/v1/chat", originA, pkA, attacker, `{"message":"hi"}`, "X-Customer-Token", good)
		if resp.StatusCode != 401 || !strings.Contains(body, "another browser session") {
			t.Errorf("replayed token: %d %s", resp.StatusCode, body)
		}
		// An unsigned claim is not read at all.
		e.chat(t, attacker, `{"message":"hi"}`, "X-Customer-ID", "C001")
		if c := e.bot.last().CustomerID; c != "" {
			t.Errorf("X-Customer-ID made the customer %q", c)
		}
	})

	t.Run("the page sets nothing but the message", func(t *testing.T) {
		for _, body := range []string{`{"message":"hi","model":"big-model"}`, `{"message":"hi","customer_id":"C001"}`,
			`{"message":"hi","tenant":"globex"}`, `{"message":"hi","stream":false}`, `{"message":"hi","history":[]}`} {
			resp, raw := e.call(t, "POST", "/widget/v1/chat", originA, pkA, attacker, body)
			if resp.StatusCode != 400 || errCode(raw) != "unknown_field" {
				t.Errorf("%s: %d %s", body, resp.StatusCode, raw)
			}
		}
		for _, body := range []string{`{"message":""}`, `{"message":5}`, `[1]`, `{"message":"hi"}{}`, `{"message":"hi"` + strings.Repeat(" ", 40<<10) + "}"} {
			if resp, raw := e.call(t, "POST", "/widget/v1/chat", originA, pkA, attacker, body); resp.StatusCode/100 != 4 {
				t.Errorf("%.40s: %d %s", body, resp.StatusCode, raw)
			}
		}
	})

	t.Run("publishable keys do not open the API", func(t *testing.T) {
		for _, path := range []string{"/api/search", "/api/chat", "/v1/models", "/api/conversations"} {
			for _, h := range [][]string{{"Authorization", "Bearer " + pkA}, {"X-Shopdesk-Key", pkA}} {
				method := "POST"
				if path == "/v1/models" || path == "/api/conversations" {
					method = "GET"
				}
				resp, body := do(t, e.ts, method, path, `{"query":"returns"}`, h...)
				if resp.StatusCode != 401 || errCode(string(body)) != "publishable_key_not_allowed" {
					t.Errorf("%s with %s: %d %s", path, h[0], resp.StatusCode, body)
				}
			}
		}
	})
}

func TestWidgetRateLimits(t *testing.T) {
	e := newWidgetEnv(t, func(o *Options) {
		o.Widget.IPLimit = widget.Limit{N: 6, Per: time.Hour}
		o.Widget.SessionLimit = widget.Limit{N: 2, Per: time.Hour}
	})
	tok := e.session(t, originA, pkA) // 1 of the address's 6
	statuses := ""
	for range 3 {
		resp, _ := e.call(t, "GET", "/widget/v1/conversation", originA, pkA, tok, "")
		statuses += fmt.Sprint(resp.StatusCode, " ")
		if resp.StatusCode == 429 && resp.Header.Get("Retry-After") == "" {
			t.Error("429 without Retry-After")
		}
	}
	if statuses != "404 404 429 " {
		t.Fatalf("one session's requests: %s", statuses)
	}
	statuses = ""
	for range 3 {
		resp, _ := e.call(t, "POST", "/widget/v1/session", originA, pkA, "", "")
		statuses += fmt.Sprint(resp.StatusCode, " ")
	}
	if statuses != "200 200 429 " {
		t.Fatalf("one address's new sessions: %s", statuses)
	}
}

// Whatever a stranger sends the widget's endpoints gets an answer that
// names the problem, never a 500.
func FuzzWidgetRequest(f *testing.F) {
	e := newWidgetEnv(f, func(o *Options) {
		o.Widget.IPLimit = widget.Limit{N: 1 << 30, Per: time.Second}
		o.Widget.SessionLimit = o.Widget.IPLimit
	})
	tok, _, err := e.sess.Create(context.Background(), "acme")
	if err != nil {
		f.Fatal(err)
	}
	for _, s := range []string{`{"message":"hi"}`, `{"message":"hi","conversation_id":"conv_x"}`, `{"csat":3}`, `{"turn":-1,"rating":"up"}`,
		`{"new_conversation":true}`, `{"message":"\u0000\ud800"}`, `{`, `null`, `{"message":{"a":1}}`, ""} {
		f.Add(s, "Session ws_x", "v1.e30.x", "/widget/v1/chat")
		f.Add(s, "Session "+tok, "", "/widget/v1/feedback")
		f.Add(s, "Session "+tok, identity.SignCustomer(widgetSecret, "acme", "C9", time.Now().Add(time.Hour)), "/widget/v1/session")
	}
	paths := []string{"/widget/v1/chat", "/widget/v1/session", "/widget/v1/feedback"}
	f.Fuzz(func(t *testing.T, body, auth, customer, path string) {
		if !strings.HasPrefix(path, "/widget/v1/") {
			path = paths[len(path)%len(paths)]
		}
		req, err := http.NewRequest("POST", e.ts.URL+path, strings.NewReader(body))
		if err != nil {
			return
		}
		for k, v := range map[string]string{"Origin": originA, "X-Shopdesk-Key": pkA, "Authorization": auth, "X-Customer-Token": customer} {
			if !validHeader(v) {
				return
			}
			req.Header.Set(k, v)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			return
		}
		resp.Body.Close()
		if resp.StatusCode >= 500 {
			t.Fatalf("%s %q (auth %q, token %q): %d", path, body, auth, customer, resp.StatusCode)
		}
	})
}

func validHeader(v string) bool {
	for _, r := range v {
		if r < ' ' || r == 0x7f || r > 0x7e {
			return false
		}
	}
	return true
}

// An IPv6 client counts against the per-address limit by its /64, so
// taking a new address from one's own block does not reset it; another
// /64 has a limit of its own.
func TestWidgetAddressLimitCountsIPv6By64(t *testing.T) {
	e := newWidgetEnv(t, func(o *Options) {
		o.TrustedProxies = []string{"127.0.0.1"}
		o.Widget.IPLimit = widget.Limit{N: 2, Per: time.Hour}
	})
	statuses := ""
	for _, addr := range []string{"2001:db8:5:1::1", "2001:db8:5:1::2", "2001:db8:5:1:ffff::3", "2001:db8:5:2::1"} {
		resp, _ := e.call(t, "POST", "/widget/v1/session", originA, pkA, "", "", "X-Forwarded-For", addr)
		statuses += fmt.Sprint(resp.StatusCode, " ")
	}
	if statuses != "200 200 429 200 " {
		t.Fatalf("new sessions from one /64, then another: %s", statuses)
	}
}
