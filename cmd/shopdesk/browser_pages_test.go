package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"html/template"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/shopdesk/shopdesk/identity"
)

// shopSite is the merchant's site in the browser tests: pages on another
// origin than shopdesk's, with their own strict CSP, embedding the widget
// with one tag. It mints a customer token per page view, as a real shop
// would for a signed-in shopper.
type shopSite struct {
	srv *httptest.Server
	mu  sync.Mutex
	// shopdesk is the widget server's origin, known once it runs.
	shopdesk string
	key      string
	secret   []byte
}

var shopPage = template.Must(template.New("shop").Parse(`<!doctype html>
<html lang="{{.Lang}}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Harbor Lane Outfitters</title>
{{if .Hostile}}<link rel="stylesheet" href="/hostile.css">{{end}}
</head>
<body>
<header><a href="/">Harbor Lane Outfitters</a> <a href="/shop">{{if eq .Lang "zh"}}商店{{else}}Shop{{end}}</a></header>
<main><h1>{{if eq .Lang "zh"}}风暴硬壳防水冲锋衣{{else}}Storm Shell Waterproof Jacket{{end}}</h1>
<p>{{if eq .Lang "zh"}}三层防水面料，全压胶。{{else}}Three-layer waterproof shell with taped seams.{{end}}</p></main>
<script src="{{.Shopdesk}}/widget.js" data-key="{{.Key}}"{{if .Token}} data-customer-token="{{.Token}}"{{end}} data-customer-id="C002" async></script>
</body>
</html>
`))

// hostileSheet is what a careless (or hostile) theme does to everything it
// can reach. It spares html and body themselves: with those hidden
// nothing on the page can show, the widget included.
const hostileSheet = `body *, body *::before, body *::after { display: none !important; font-size: 2px !important; color: transparent !important;
  background: red !important; visibility: hidden !important; opacity: 0 !important; pointer-events: none !important;
  position: static !important; transform: scale(0.1) !important; font-family: "Comic Sans MS", fantasy !important;
  --b: transparent !important; --ob: transparent !important; }
html, body { font-size: 2px !important; color: transparent !important; line-height: 0 !important; }
button, textarea, section, div, aside, p { all: unset !important; display: none !important; }`

func newShopSite(t *testing.T, key string, secret []byte) *shopSite {
	s := &shopSite{key: key, secret: secret}
	s.srv = httptest.NewServer(s)
	t.Cleanup(s.srv.Close)
	return s
}

// origin is the site's origin; the same server under "localhost" is
// another origin, one the widget key does not list.
func (s *shopSite) origin() string { return s.srv.URL }

func (s *shopSite) unlistedOrigin() string {
	return strings.Replace(s.srv.URL, "127.0.0.1", "localhost", 1)
}

// url is a page: lang en or zh, customer "" for a guest, hostile CSS.
func (s *shopSite) url(base, lang, customer string, hostile bool) string {
	return fmt.Sprintf("%s/shop?lang=%s&customer=%s&hostile=%v", base, lang, customer, hostile)
}

func (s *shopSite) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	shopdesk := s.shopdesk
	s.mu.Unlock()
	w.Header().Set("Content-Security-Policy", "default-src 'self'; script-src 'self' "+shopdesk+"; connect-src "+shopdesk+
		"; style-src 'self'; img-src 'self'; base-uri 'none'; form-action 'none'")
	if r.URL.Path == "/hostile.css" {
		w.Header().Set("Content-Type", "text/css")
		w.Write([]byte(hostileSheet))
		return
	}
	q := r.URL.Query()
	data := map[string]any{"Lang": q.Get("lang"), "Hostile": q.Get("hostile") == "true", "Shopdesk": shopdesk, "Key": s.key}
	if c := q.Get("customer"); c != "" {
		data["Token"] = identity.SignCustomer(s.secret, "default", c, time.Now().Add(time.Hour))
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	shopPage.Execute(w, data)
}

// knowledgeWithLinks writes the demo shop's FAQ, both languages, with a
// page address on each entry, so that answers' sources are links.
func knowledgeWithLinks(t *testing.T) string {
	dir := t.TempDir()
	for _, name := range []string{"faq.en.jsonl", "faq.zh.jsonl"} {
		in, err := os.Open(filepath.Join(demoKnowledge, name))
		if err != nil {
			t.Fatal(err)
		}
		var out strings.Builder
		sc := bufio.NewScanner(in)
		sc.Buffer(make([]byte, 1<<20), 1<<20)
		for sc.Scan() {
			var rec map[string]any
			if err := json.Unmarshal(sc.Bytes(), &rec); err != nil {
				t.Fatal(err)
			}
			rec["url"] = "https://harborlane.example/help/" + fmt.Sprint(rec["id"])
			b, _ := json.Marshal(rec)
			out.Write(append(b, '\n'))
		}
		in.Close()
		if err := os.WriteFile(filepath.Join(dir, name), []byte(out.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// agent is the person at the merchant's desk; consoleAgent signs in to
// the console and types.
type agent interface {
	// Reply sends the shopper a message as a person.
	Reply(t *testing.T, conversationID, text string)
	// HandBack gives the conversation back to the assistant.
	HandBack(t *testing.T, conversationID string)
}

// storedConversation reads a conversation through the desk API.
type storedConversation struct {
	CustomerID string `json:"customer_id"`
	Escalated  bool   `json:"escalated"`
	HeldBy     string `json:"held_by"`
	CSAT       int    `json:"csat"`
	Messages   []struct {
		Seq     int    `json:"seq"`
		Role    string `json:"role"`
		Content string `json:"content"`
		Rating  string `json:"rating"`
		Outcome string `json:"outcome"`
	} `json:"messages"`
}

func (in *instance) conversation(t *testing.T, id string) storedConversation {
	t.Helper()
	status, raw := in.get(t, "/api/conversations/"+id)
	var c storedConversation
	if err := json.Unmarshal([]byte(raw), &c); status != 200 || err != nil {
		t.Fatalf("GET conversation %s: %d %s", id, status, raw)
	}
	return c
}
