package server

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/shopdesk/shopdesk/conversation"
	"github.com/shopdesk/shopdesk/sqlite"
	"github.com/shopdesk/shopdesk/staff"
)

const consolePassword = "correct horse battery"

// consoleFixture is a server with a console, two tenants (acme, beta),
// an admin and an agent at acme, an admin at beta, and a conversation
// in each tenant.
type consoleFixture struct {
	ts    *httptest.Server
	convs *conversation.Store
	staff *staff.Store
}

func newConsoleFixture(t *testing.T, mutate func(*Options)) *consoleFixture {
	t.Helper()
	db, convs := conversationDB(t)
	ctx := context.Background()
	people, err := staff.Open(ctx, staff.Options{DB: db})
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range []struct{ tenant, name, role string }{{"acme", "ada", staff.RoleAdmin}, {"acme", "mei", staff.RoleAgent}, {"beta", "bob", staff.RoleAdmin}} {
		if _, err := people.Add(ctx, u.tenant, u.name, consolePassword, u.role); err != nil {
			t.Fatal(err)
		}
	}
	for _, cv := range []struct{ tenant, id, text string }{
		{"acme", "c1", "Where is my parcel? <script>alert(1)</script>"},
		{"beta", "b1", "Beta's secret question"},
	} {
		c := &conversation.Conversation{ID: cv.id, Tenant: cv.tenant, CustomerID: "C-" + cv.id}
		if err := convs.Save(ctx, c, []conversation.Message{{Role: "user", Content: cv.text},
			{Role: "assistant", Content: "I don't know.", Outcome: "dont_know", Intent: "order_status",
				Sources: []conversation.Source{{ID: "shipping#0", Title: "Shipping", Snippet: "We ship in two days."}}}}, nil); err != nil {
			t.Fatal(err)
		}
	}
	ts := newTestServer(t, &fakeModels{}, func(o *Options) {
		o.Assistant, o.Conversations, o.Desk, o.Staff = &recordingAssistant{}, convs, convs, people
		o.APIKeys = []APIKey{{Key: "sk-acme", Tenant: "acme"}}
		if mutate != nil {
			mutate(o)
		}
	})
	return &consoleFixture{ts: ts, convs: convs, staff: people}
}

// conversationDB opens a database in the test's folder and the
// conversation store on it.
func conversationDB(t testing.TB) (*sql.DB, *conversation.Store) {
	t.Helper()
	db, err := sqlite.Open(filepath.Join(t.TempDir(), "shopdesk.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	store, err := conversation.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	return db, store
}

// browser is a client with its own cookies that does not follow
// redirects.
type browser struct {
	t      *testing.T
	f      *consoleFixture
	client *http.Client
	csrf   string
}

func (f *consoleFixture) browser(t *testing.T) *browser {
	jar, _ := cookiejar.New(nil)
	return &browser{t: t, f: f, client: &http.Client{Jar: jar,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

var csrfInput = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

// do sends a request as a same-origin browser would and returns the
// status, the body and the response.
func (b *browser) do(method, path string, form url.Values, header ...string) (int, string, *http.Response) {
	b.t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, _ := http.NewRequest(method, b.f.ts.URL+path, body)
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := b.client.Do(req)
	if err != nil {
		b.t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	if m := csrfInput.FindStringSubmatch(string(raw)); m != nil {
		b.csrf = m[1]
	}
	return resp.StatusCode, string(raw), resp
}

// login signs in and reads the session's CSRF token off the inbox.
func (b *browser) login(tenant, name string) *browser {
	b.t.Helper()
	status, body, resp := b.do("POST", "/console/login", url.Values{"tenant": {tenant}, "name": {name}, "password": {consolePassword}})
	if status != http.StatusSeeOther || resp.Header.Get("Location") != "/console/inbox" {
		b.t.Fatalf("login %s/%s: %d %s", tenant, name, status, body)
	}
	if status, body, _ := b.do("GET", "/console/inbox", nil); status != 200 || b.csrf == "" {
		b.t.Fatalf("inbox after login: %d %s", status, body)
	}
	return b
}

// post sends a form with the session's CSRF token.
func (b *browser) post(path string, form url.Values) (int, string) {
	b.t.Helper()
	if form == nil {
		form = url.Values{}
	}
	form.Set("csrf", b.csrf)
	status, body, _ := b.do("POST", path, form)
	return status, body
}

func TestConsoleNeedsASession(t *testing.T) {
	f := newConsoleFixture(t, nil)
	b := f.browser(t)
	for _, path := range []string{"/console/inbox", "/console/conversations/c1", "/console/knowledge", "/console/models", "/console/insights", "/console/learning", "/console/users"} {
		for _, header := range [][]string{nil, {"Authorization", "Bearer sk-acme"}} {
			status, body, resp := b.do("GET", path, nil, header...)
			if status != http.StatusSeeOther || !strings.HasPrefix(resp.Header.Get("Location"), "/console/login?next=") || strings.Contains(body, "parcel") {
				t.Errorf("GET %s %v without a session: %d %s %s", path, header, status, resp.Header.Get("Location"), body)
			}
		}
	}
	for _, path := range []string{"/console", "/console/"} {
		if status, _, resp := b.do("GET", path, nil); status != http.StatusSeeOther || resp.Header.Get("Location") != "/console/inbox" {
			t.Errorf("GET %s: %d %s, want the inbox (and from there the sign-in)", path, status, resp.Header.Get("Location"))
		}
	}
	if status, body, _ := b.do("GET", "/console/conversations/c1/events", nil); status != http.StatusUnauthorized || strings.Contains(body, "parcel") {
		t.Errorf("events without a session: %d %s", status, body)
	}
	if status, body, _ := b.do("POST", "/console/conversations/c1/claim", url.Values{"csrf": {"x"}}); status != http.StatusUnauthorized {
		t.Errorf("claim without a session: %d %s", status, body)
	}
	if c, _ := f.convs.Load(context.Background(), "acme", "c1"); c.HeldBy != "" {
		t.Fatalf("claimed without a session by %q", c.HeldBy)
	}
	// A console session is not an API key.
	b.login("acme", "ada")
	if status, body, _ := b.do("GET", "/api/conversations", nil); status != http.StatusUnauthorized {
		t.Errorf("the API with a console cookie: %d %s", status, body)
	}
}

func TestConsoleLoginFailuresLookAlike(t *testing.T) {
	f := newConsoleFixture(t, nil)
	b := f.browser(t)
	_, wrong, _ := b.do("POST", "/console/login", url.Values{"tenant": {"acme"}, "name": {"ada"}, "password": {"wrong password!!"}})
	status, unknown, resp := b.do("POST", "/console/login", url.Values{"tenant": {"acme"}, "name": {"nobody"}, "password": {"wrong password!!"}})
	strip := regexp.MustCompile(`value="[^"]*"`)
	if status != http.StatusUnauthorized || strip.ReplaceAllString(wrong, "") != strip.ReplaceAllString(unknown, "") || !strings.Contains(wrong, "Wrong name or password") {
		t.Fatalf("unknown user (%d) and wrong password differ or do not say so:\n%s\n%s", status, wrong, unknown)
	}
	if len(resp.Cookies()) != 0 && resp.Cookies()[0].Name == consoleCookie {
		t.Fatal("a failed login set the session cookie")
	}
	// The account locks after five failures: even the right password fails.
	for range 4 {
		b.do("POST", "/console/login", url.Values{"tenant": {"acme"}, "name": {"ada"}, "password": {"wrong password!!"}})
	}
	if status, _, _ := b.do("POST", "/console/login", url.Values{"tenant": {"acme"}, "name": {"ada"}, "password": {consolePassword}}); status != http.StatusUnauthorized {
		t.Fatalf("a locked account signed in: %d", status)
	}
}

func TestConsoleCookie(t *testing.T) {
	for _, tc := range []struct {
		name    string
		trusted []string
		proto   string
		secure  bool
	}{
		{"plain http", nil, "", false},
		{"https says a trusted proxy", []string{"127.0.0.1"}, "https", true},
		{"https says anyone", nil, "https", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newConsoleFixture(t, func(o *Options) { o.TrustedProxies = tc.trusted })
			b := f.browser(t)
			_, _, resp := b.do("POST", "/console/login", url.Values{"tenant": {"acme"}, "name": {"ada"}, "password": {consolePassword}}, "X-Forwarded-Proto", tc.proto)
			var ck *http.Cookie
			for _, c := range resp.Cookies() {
				if c.Name == consoleCookie {
					ck = c
				}
			}
			if ck == nil || !ck.HttpOnly || ck.SameSite != http.SameSiteStrictMode || ck.Path != "/console" || ck.Secure != tc.secure || len(ck.Value) < 40 {
				t.Fatalf("session cookie %+v", ck)
			}
		})
	}
}

func TestConsoleCSRF(t *testing.T) {
	f := newConsoleFixture(t, nil)
	b := f.browser(t).login("acme", "mei")
	for _, tc := range []struct {
		name   string
		form   url.Values
		header []string
		status int
	}{
		{"no token", url.Values{}, nil, http.StatusForbidden},
		{"wrong token", url.Values{"csrf": {"not-the-token"}}, nil, http.StatusForbidden},
		{"another site", url.Values{"csrf": {b.csrf}}, []string{"Origin", "https://evil.example"}, http.StatusForbidden},
		{"another site says the browser", url.Values{"csrf": {b.csrf}}, []string{"Sec-Fetch-Site", "cross-site"}, http.StatusForbidden},
		{"the header", url.Values{}, []string{"X-CSRF-Token", b.csrf}, http.StatusSeeOther},
		{"the form field", url.Values{"csrf": {b.csrf}}, []string{"Origin", f.ts.URL, "Sec-Fetch-Site", "same-origin"}, http.StatusSeeOther},
	} {
		t.Run(tc.name, func(t *testing.T) {
			status, body, _ := b.do("POST", "/console/conversations/c1/claim", tc.form, tc.header...)
			if status != tc.status {
				t.Fatalf("%d %s", status, body)
			}
			held := ""
			if c, _ := f.convs.Load(context.Background(), "acme", "c1"); c != nil {
				held = c.HeldBy
			}
			if tc.status == http.StatusForbidden {
				if held != "" || !strings.Contains(body, "role=\"alert\"") {
					t.Fatalf("refused request: held by %q; %s", held, body)
				}
				if tc.name == "no token" && !strings.Contains(body, "CSRF check failed") {
					t.Fatalf("the refusal does not say why: %s", body)
				}
			} else {
				if held != "mei" {
					t.Fatalf("held by %q", held)
				}
				f.convs.Handback(context.Background(), "acme", "c1", "mei", false)
			}
		})
	}
	// A login form posted from another site is refused too.
	if status, _, _ := f.browser(t).do("POST", "/console/login", url.Values{"tenant": {"acme"}, "name": {"ada"}, "password": {consolePassword}}, "Origin", "https://evil.example"); status != http.StatusForbidden {
		t.Fatalf("cross-site login: %d", status)
	}
}

func TestConsoleTenantIsolation(t *testing.T) {
	f := newConsoleFixture(t, nil)
	b := f.browser(t).login("acme", "ada")
	if _, body, _ := b.do("GET", "/console/inbox", nil); !strings.Contains(body, "c1") || strings.Contains(body, "b1") || strings.Contains(body, "Beta") {
		t.Fatalf("acme's inbox: %s", body)
	}
	if status, body, _ := b.do("GET", "/console/conversations/b1", nil); status != http.StatusNotFound || strings.Contains(body, "secret") {
		t.Fatalf("beta's conversation opened by acme: %d %s", status, body)
	}
	if status, body, _ := b.do("GET", "/console/conversations/b1/events", nil); status != http.StatusNotFound {
		t.Fatalf("beta's events to acme: %d %s", status, body)
	}
	for _, action := range []string{"claim", "reply", "handback", "resolve"} {
		if status, body := b.post("/console/conversations/b1/"+action, url.Values{"text": {"hi"}}); status != http.StatusNotFound {
			t.Errorf("%s beta's conversation as acme: %d %s", action, status, body)
		}
	}
	if c, _ := f.convs.Load(context.Background(), "beta", "b1"); c.HeldBy != "" || len(c.Messages) != 2 || c.ResolvedAt != nil {
		t.Fatalf("acme changed beta's conversation: %+v", c)
	}
	// The tenant comes from the session, not from anything the browser sends.
	if _, body, _ := b.do("GET", "/console/inbox?tenant=beta", nil, "X-Tenant", "beta", "Authorization", "Bearer sk-beta"); strings.Contains(body, "b1") {
		t.Fatal("the browser picked the tenant")
	}
}

func TestConsoleRoles(t *testing.T) {
	f := newConsoleFixture(t, nil)
	agent, admin := f.browser(t).login("acme", "mei"), f.browser(t).login("acme", "ada")
	for _, path := range []string{"/console/models", "/console/learning", "/console/users"} {
		if status, body, _ := agent.do("GET", path, nil); status != http.StatusForbidden || !strings.Contains(body, "Only admins") {
			t.Errorf("agent GET %s: %d %s", path, status, body)
		}
		if status, body, _ := admin.do("GET", path, nil); status == http.StatusForbidden {
			t.Errorf("admin GET %s: %d %s", path, status, body)
		}
	}
	for _, path := range []string{"/console/knowledge/upload", "/console/knowledge/delete", "/console/learning/faq/approve"} {
		if status, body := agent.post(path, url.Values{"id": {"doc"}}); status != http.StatusForbidden {
			t.Errorf("agent POST %s: %d %s", path, status, body)
		}
	}
	if _, body, _ := admin.do("GET", "/console/users", nil); !strings.Contains(body, "<td>mei</td>") || strings.Contains(body, "bob") {
		t.Errorf("acme's users page: %s", body)
	}
	// Agents see no links to the admin sections.
	if _, body, _ := agent.do("GET", "/console/inbox", nil); strings.Contains(body, `href="/console/models"`) {
		t.Error("the agent's navigation links to Models")
	}
	if _, body, _ := admin.do("GET", "/console/inbox", nil); !strings.Contains(body, `href="/console/models"`) {
		t.Error("the admin's navigation lacks Models")
	}
}

func TestConsoleLogoutEndsTheSession(t *testing.T) {
	f := newConsoleFixture(t, nil)
	b := f.browser(t).login("acme", "mei")
	old := b.client.Jar.Cookies(mustURL(t, f.ts.URL+"/console/inbox"))
	status, _ := b.post("/console/logout", nil)
	if status != http.StatusSeeOther {
		t.Fatalf("logout: %d", status)
	}
	// The old cookie, sent again, opens nothing.
	replay := f.browser(t)
	replay.client.Jar.SetCookies(mustURL(t, f.ts.URL+"/console/"), old)
	if status, body, _ := replay.do("GET", "/console/inbox", nil); status != http.StatusSeeOther || strings.Contains(body, "parcel") {
		t.Fatalf("the old cookie after logout: %d %s", status, body)
	}
	// Logging out needs the CSRF token as well, so a page cannot sign you out.
	b2 := f.browser(t).login("acme", "mei")
	if status, _, _ := b2.do("POST", "/console/logout", url.Values{}); status != http.StatusForbidden {
		t.Fatalf("logout without a token: %d", status)
	}
}

func mustURL(t *testing.T, s string) *url.URL {
	u, err := url.Parse(s)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

func TestConsoleSecurityHeadersAndEscaping(t *testing.T) {
	f := newConsoleFixture(t, nil)
	b := f.browser(t).login("acme", "ada")
	for _, path := range []string{"/console/login", "/console/inbox", "/console/conversations/c1", "/console/nope"} {
		_, body, resp := b.do("GET", path, nil)
		h := resp.Header
		csp := h.Get("Content-Security-Policy")
		if !strings.Contains(csp, "default-src 'self'") || !strings.Contains(csp, "script-src 'self'") || strings.Contains(csp, "unsafe") ||
			!strings.Contains(csp, "frame-ancestors 'none'") || h.Get("X-Frame-Options") != "DENY" || h.Get("Referrer-Policy") == "" ||
			h.Get("X-Content-Type-Options") != "nosniff" {
			t.Errorf("%s headers: %v", path, h)
		}
		if strings.Contains(body, "<script>") || regexp.MustCompile(`<script[^>]*>[^<]`).MatchString(body) || strings.Contains(body, " onclick=") {
			t.Errorf("%s has an inline script or handler", path)
		}
	}
	_, body, _ := b.do("GET", "/console/conversations/c1", nil)
	if !strings.Contains(body, "&lt;script&gt;alert(1)&lt;/script&gt;") {
		t.Fatalf("the shopper's text is not escaped: %s", body)
	}
	for _, want := range []string{"C-c1", "order_status", "dont_know", "Shipping", "shipping#0"} {
		if !strings.Contains(body, want) {
			t.Errorf("the transcript lacks %q", want)
		}
	}
}

func TestConsoleBadInputIsNever500(t *testing.T) {
	f := newConsoleFixture(t, func(o *Options) { o.MaxBodyBytes = 1 << 10 })
	b := f.browser(t).login("acme", "ada")
	for _, path := range []string{"/console/conversations/..%2F..%2Fetc", "/console/conversations/" + strings.Repeat("x", 5000),
		"/console/inbox?view=nope", "/console/inbox?from=yesterday", "/console/inbox?limit=-1", "/console/inbox?q=" + strings.Repeat("q", 300),
		"/console/static/nope.js", "/console/conversations/c1?lang=xx"} {
		if status, body, _ := b.do("GET", path, nil); status >= 500 {
			t.Errorf("GET %s: %d %s", path, status, body)
		}
	}
	for _, tc := range []struct {
		path string
		form url.Values
	}{
		{"/console/conversations/c1/explode", nil},
		{"/console/conversations/nope/claim", nil},
		{"/console/conversations/c1/reply", url.Values{"text": {""}}},
		{"/console/conversations/c1/reply", url.Values{"text": {strings.Repeat("x", 2000)}}},
		{"/console/login", url.Values{"name": {strings.Repeat("n", 5000)}, "password": {"p"}, "tenant": {"../../"}}},
	} {
		if status, body := b.post(tc.path, tc.form); status >= 500 || status < 400 {
			t.Errorf("POST %s: %d %s", tc.path, status, body)
		}
	}
}

func TestConsoleTakeOver(t *testing.T) {
	f := newConsoleFixture(t, nil)
	b := f.browser(t).login("acme", "mei")
	ctx := context.Background()
	if status, body := b.post("/console/conversations/c1/claim", nil); status != http.StatusSeeOther {
		t.Fatalf("claim: %d %s", status, body)
	}
	_, body, _ := b.do("GET", "/console/conversations/c1", nil)
	if !strings.Contains(body, `id="reply-text"`) || !strings.Contains(body, "assistant stays silent") {
		t.Fatalf("the holder gets no reply box: %s", body)
	}
	if status, body := b.post("/console/conversations/c1/reply", url.Values{"text": {"Hello, Mei here."}}); status != http.StatusSeeOther {
		t.Fatalf("reply: %d %s", status, body)
	}
	c, _ := f.convs.Load(ctx, "acme", "c1")
	if last := c.Messages[len(c.Messages)-1]; last.Role != conversation.RoleAgent || last.Author != "mei" || last.Content != "Hello, Mei here." || c.HeldBy != "mei" {
		t.Fatalf("after the reply: %+v held by %q", last, c.HeldBy)
	}
	// Another person sees who holds it and may take it over.
	other := f.browser(t).login("acme", "ada")
	if _, body, _ := other.do("GET", "/console/conversations/c1", nil); !strings.Contains(body, "Another person holds") || strings.Contains(body, `id="reply-text"`) {
		t.Fatalf("ada's view of mei's conversation: %s", body)
	}
	if status, body := b.post("/console/conversations/c1/handback", nil); status != http.StatusSeeOther {
		t.Fatalf("hand back: %d %s", status, body)
	}
	if c, _ := f.convs.Load(ctx, "acme", "c1"); c.HeldBy != "" {
		t.Fatalf("still held by %q", c.HeldBy)
	}
	if status, body := b.post("/console/conversations/c1/resolve", nil); status != http.StatusSeeOther {
		t.Fatalf("resolve: %d %s", status, body)
	}
	if c, _ := f.convs.Load(ctx, "acme", "c1"); c.ResolvedAt == nil {
		t.Fatal("not resolved")
	}
	if _, body, _ := b.do("GET", "/console/inbox?view=resolved", nil); !strings.Contains(body, "/console/conversations/c1") {
		t.Fatalf("the resolved view lacks c1: %s", body)
	}
}

func TestConsoleLanguage(t *testing.T) {
	f := newConsoleFixture(t, nil)
	for _, tc := range []struct{ query, accept, want string }{
		{"", "", "Sign in"},
		{"", "zh-CN,zh;q=0.9,en;q=0.8", "登录"},
		{"", "en-GB,zh;q=0.5", "Sign in"},
		{"?lang=zh", "en", "登录"},
		{"?lang=xx", "fr", "Sign in"},
	} {
		b := f.browser(t)
		if _, body, _ := b.do("GET", "/console/login"+tc.query, nil, "Accept-Language", tc.accept); !strings.Contains(body, "<h1>"+tc.want) {
			t.Errorf("%q with %q: want %q", tc.query, tc.accept, tc.want)
		}
	}
	// The toggle is remembered.
	b := f.browser(t)
	b.do("GET", "/console/login?lang=zh", nil)
	if _, body, _ := b.do("GET", "/console/login", nil, "Accept-Language", "en"); !strings.Contains(body, `<html lang="zh-CN">`) {
		t.Error("the language toggle was not remembered")
	}
}

func TestSafeNext(t *testing.T) {
	for next, want := range map[string]string{
		"/console/conversations/c1": "/console/conversations/c1",
		"":                          "/console/inbox",
		"https://evil.example/":     "/console/inbox",
		"//evil.example/console/":   "/console/inbox",
		"/console/../api/documents": "/console/inbox",
		"/console/login?next=x":     "/console/inbox",
		"/console/\\evil":           "/console/inbox",
	} {
		if got := safeNext(next); got != want {
			t.Errorf("safeNext(%q) = %q, want %q", next, got, want)
		}
	}
}

// Behind a trusted proxy that rewrites Host, the browser's Origin is the
// proxy's X-Forwarded-Host; from anyone else that header counts for nothing.
func TestConsoleOriginBehindAProxy(t *testing.T) {
	for _, tc := range []struct {
		trusted []string
		status  int
	}{{[]string{"127.0.0.1"}, http.StatusSeeOther}, {nil, http.StatusForbidden}} {
		f := newConsoleFixture(t, func(o *Options) { o.TrustedProxies = tc.trusted })
		status, _, _ := f.browser(t).do("POST", "/console/login", url.Values{"tenant": {"acme"}, "name": {"ada"}, "password": {consolePassword}},
			"Origin", "https://shop.example", "X-Forwarded-Host", "shop.example")
		if status != tc.status {
			t.Errorf("trusted %v: %d, want %d", tc.trusted, status, tc.status)
		}
	}
}

func TestConsoleInboxFilters(t *testing.T) {
	f := newConsoleFixture(t, nil)
	b := f.browser(t).login("acme", "mei")
	today := time.Now().UTC().Format(time.DateOnly)
	for _, tc := range []struct {
		query string
		found bool
	}{
		{"?q=parcel", true},
		{"?q=nothing+like+it", false},
		{"?view=unanswered", true},
		{"?view=waiting", false},
		{"?from=" + today + "&to=" + today, true}, // to takes in the whole day
		{"?to=2020-01-01", false},
	} {
		_, body, _ := b.do("GET", "/console/inbox"+tc.query, nil)
		if got := strings.Contains(body, `data-id="c1"`); got != tc.found {
			t.Errorf("%s: c1 listed %v, want %v", tc.query, got, tc.found)
		}
		if !tc.found && !strings.Contains(body, "No conversations match") {
			t.Errorf("%s: no empty-list message", tc.query)
		}
	}
}

// The sign-in limit counts an IPv6 client by its /64: rotating addresses
// within one does not reset it, another /64 is another source.
func TestConsoleLoginLimitIPv6(t *testing.T) {
	f := newConsoleFixture(t, func(o *Options) { o.TrustedProxies = []string{"127.0.0.1"} })
	b := f.browser(t)
	login := func(password, from string) int {
		status, _, _ := b.do("POST", "/console/login", url.Values{"tenant": {"acme"}, "name": {"mei"}, "password": {password}}, "X-Forwarded-For", from)
		return status
	}
	for i := range 5 {
		if status := login("wrong password", fmt.Sprintf("2001:db8:1:2::%x", i+1)); status == http.StatusSeeOther {
			t.Fatal("a wrong password signed in")
		}
	}
	if status := login(consolePassword, "2001:db8:1:2:ffff::9"); status == http.StatusSeeOther {
		t.Fatal("signed in from the same /64 past the limit")
	}
	if status := login(consolePassword, "2001:db8:1:3::1"); status != http.StatusSeeOther {
		t.Fatalf("from another /64: %d", status)
	}
}
