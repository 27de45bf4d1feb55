package widget

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/shopdesk/shopdesk/sqlite"
)

// The widget's size is a budget: every page of the shop pays for it.
func TestScriptSize(t *testing.T) {
	s := Script()
	t.Logf("widget.js: %d bytes, %d gzipped (budget %d)", len(s.Body), len(s.Gzip), MaxScriptGzip)
	if len(s.Gzip) > MaxScriptGzip {
		t.Fatalf("widget.js is %d bytes gzipped, over the %d-byte budget", len(s.Gzip), MaxScriptGzip)
	}
}

// The rules of the browser code, checked on the file that is served.
func TestScriptRules(t *testing.T) {
	// The code after the header comment, without the SVG namespace (a
	// name, not a request): no URL of its own means no third party.
	js := strings.ReplaceAll(strings.SplitN(string(Script().Body), "*/", 2)[1], "'http://www.w3.org/2000/svg'", "")
	for _, banned := range []string{"eval(", "new Function", "innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "setAttribute('style'", "style: '", "http://", "https://"} {
		if strings.Contains(js, banned) {
			t.Errorf("widget.js uses %q", banned)
		}
	}
	for _, need := range []string{"role: 'log'", "'aria-live': 'polite'", "attachShadow", "adoptedStyleSheets", "credentials: 'omit'"} {
		if !strings.Contains(js, need) {
			t.Errorf("widget.js lacks %q", need)
		}
	}
}

func TestDemoPage(t *testing.T) {
	for _, lang := range []string{"en", "zh"} {
		var b bytes.Buffer
		if err := WriteDemo(&b, Demo{Lang: lang, Key: "pk_demo_<b>0123456789", Origin: "http://127.0.0.1:8080"}); err != nil {
			t.Fatal(err)
		}
		page := b.String()
		if !strings.Contains(page, `<html lang="`+lang+`">`) || strings.Contains(page, "<b>") || strings.Contains(page, "<style") || strings.Contains(page, "onclick") {
			t.Errorf("%s demo page:\n%s", lang, page)
		}
		if !strings.Contains(page, "&lt;script src=&#34;http://127.0.0.1:8080/widget.js&#34;") {
			t.Errorf("%s demo page does not show the tag:\n%s", lang, page)
		}
	}
	if err := WriteDemo(&bytes.Buffer{}, Demo{Lang: "fr"}); err == nil {
		t.Error("an unknown language rendered")
	}
}

func TestValidateKey(t *testing.T) {
	for k, ok := range map[string]bool{
		"pk_live_0123456789abcdef": true, "pk_0123456789abcdef": true, "pk_short": false, "sk_0123456789abcdefgh": false,
		"pk_0123456789abcdef!": false, "PK_0123456789abcdefgh": false, "": false,
	} {
		if err := ValidateKey(k); (err == nil) != ok {
			t.Errorf("ValidateKey(%q) = %v", k, err)
		}
	}
}

func TestNormalizeOrigin(t *testing.T) {
	for in, want := range map[string]string{
		"https://Shop.Example":       "https://shop.example",
		"https://shop.example:443":   "https://shop.example",
		"http://shop.example:80":     "http://shop.example",
		"http://127.0.0.1:8080":      "http://127.0.0.1:8080",
		"https://shop.example/":      "https://shop.example",
		"http://[::1]:3000":          "http://[::1]:3000",
		"https://xn--fsq.example":    "https://xn--fsq.example",
		"https://shop.example/path":  "",
		"https://shop.example?x":     "",
		"https://*.shop.example":     "",
		"ftp://shop.example":         "",
		"shop.example":               "",
		"null":                       "",
		"https://user@shop.example":  "",
		"https://例子.example":         "",
		"https://shop.example:":      "",
		"https://shop.example#frag":  "",
		"javascript:alert(1)":        "",
		"https://shop.example:99999": "https://shop.example:99999",
	} {
		got, err := NormalizeOrigin(in)
		if got != want || (want == "") != (err != nil) {
			t.Errorf("NormalizeOrigin(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
}

func TestLimiter(t *testing.T) {
	now := time.Unix(0, 0)
	l := NewLimiter(Limit{N: 2, Per: time.Minute}, func() time.Time { return now })
	for i, want := range []bool{true, true, false} {
		if ok, wait := l.Allow("a"); ok != want || (!ok && wait < 29*time.Second) {
			t.Fatalf("request %d: %v, wait %v", i, ok, wait)
		}
	}
	if ok, _ := l.Allow("b"); !ok {
		t.Fatal("another key shares the bucket")
	}
	now = now.Add(30 * time.Second)
	if ok, _ := l.Allow("a"); !ok {
		t.Fatal("no token after half a minute")
	}
	for in, want := range map[string]string{"30/m": "30/m", " 5 / s ": "5/s", "100/h": "100/h"} {
		if l, err := ParseLimit(in); err != nil || l.String() != want {
			t.Errorf("ParseLimit(%q) = %v, %v", in, l, err)
		}
	}
	for _, bad := range []string{"", "30", "0/m", "-1/m", "x/m", "30/d"} {
		if _, err := ParseLimit(bad); err == nil {
			t.Errorf("ParseLimit(%q) accepted", bad)
		}
	}
}

func TestSessions(t *testing.T) {
	db, err := sqlite.Open(filepath.Join(t.TempDir(), "shopdesk.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	now := time.Unix(1_800_000_000, 0)
	ctx := context.Background()
	s, err := OpenSessions(ctx, SessionOptions{DB: db, Idle: time.Hour, Now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	tok, sess, err := s.Create(ctx, "acme")
	if err != nil || !strings.HasPrefix(tok, "ws_") || sess.Hash != HashToken(tok) {
		t.Fatalf("create: %q %+v %v", tok, sess, err)
	}
	var stored int
	db.QueryRow(`SELECT COUNT(*) FROM widget_sessions WHERE hash = ? OR hash = ?`, tok, strings.TrimPrefix(tok, "ws_")).Scan(&stored)
	if stored != 0 {
		t.Fatal("the token itself is stored")
	}
	if err := s.SetConversation(ctx, "acme", sess.Hash, "conv_1"); err != nil {
		t.Fatal(err)
	}
	if got, err := s.Lookup(ctx, "acme", tok); err != nil || got.ConversationID != "conv_1" {
		t.Fatalf("lookup: %+v %v", got, err)
	}
	for _, tc := range []struct{ tenant, token string }{{"globex", tok}, {"acme", tok + "x"}, {"acme", "ws_" + strings.Repeat("A", 43)}, {"acme", ""}} {
		if _, err := s.Lookup(ctx, tc.tenant, tc.token); err != ErrNoSession {
			t.Errorf("lookup %s %q: %v", tc.tenant, tc.token, err)
		}
	}
	// Use keeps a session alive; idleness ends it.
	now = now.Add(50 * time.Minute)
	if _, err := s.Lookup(ctx, "acme", tok); err != nil {
		t.Fatal(err)
	}
	now = now.Add(50 * time.Minute)
	if _, err := s.Lookup(ctx, "acme", tok); err != nil {
		t.Fatalf("a session used 50 minutes ago: %v", err)
	}
	// Customer tokens stick to the first session.
	other, otherSess, _ := s.Create(ctx, "acme")
	_ = other
	until := now.Add(2 * time.Hour)
	if err := s.BindCustomerToken(ctx, "acme", sess.Hash, "v1.tok", until); err != nil {
		t.Fatal(err)
	}
	if err := s.BindCustomerToken(ctx, "acme", sess.Hash, "v1.tok", until); err != nil {
		t.Fatalf("the same session again: %v", err)
	}
	if err := s.BindCustomerToken(ctx, "acme", otherSess.Hash, "v1.tok", until); err != ErrTokenReplayed {
		t.Fatalf("another session: %v", err)
	}
	now = now.Add(3 * time.Hour)
	if _, err := s.Lookup(ctx, "acme", tok); err != ErrNoSession {
		t.Fatalf("an idle session: %v", err)
	}
	if n, err := s.Prune(ctx); err != nil || n != 3 {
		t.Fatalf("prune: %d %v", n, err)
	}
}
