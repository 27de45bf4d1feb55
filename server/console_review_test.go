package server

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

var noticeLine = regexp.MustCompile(`<p class="notice" role="status">([^<]*)</p>`)

// A link cannot put its own words in a page's status line: only the
// notices the console itself redirects with are shown.
func TestConsoleStatusLineKnownKeysOnly(t *testing.T) {
	f, _ := pagesFixture(t)
	ada := f.browser(t).login("acme", "ada")
	lie := "Your session expired, sign in again at evil.example"
	for _, tc := range []struct {
		path, want string
	}{
		{"/console/learning?done=" + url.QueryEscape(lie), ""},
		{"/console/learning?done=approve", "Done: Approve"},
		{"/console/conversations/c1?done=" + url.QueryEscape(lie), ""},
		{"/console/knowledge?deleted=" + url.QueryEscape(lie), "Deleted"},
		{"/console/knowledge?deleted=shipping.md", "Deleted: shipping.md"},
	} {
		t.Run(tc.path, func(t *testing.T) {
			status, body, _ := ada.do("GET", tc.path, nil)
			if status != http.StatusOK {
				t.Fatalf("%d %s", status, body)
			}
			notice := ""
			if m := noticeLine.FindStringSubmatch(body); m != nil {
				notice = m[1]
			}
			if strings.Contains(notice, "evil.example") || notice != tc.want {
				t.Fatalf("status line %q, want %q", notice, tc.want)
			}
		})
	}
}

// Over HTTPS, a form posted from the plain-HTTP origin of the same host
// is cross-site.
func TestConsoleOriginScheme(t *testing.T) {
	for _, tc := range []struct {
		origin string
		status int
	}{{"https://shop.example", http.StatusSeeOther}, {"http://shop.example", http.StatusForbidden}} {
		t.Run(tc.origin, func(t *testing.T) {
			f := newConsoleFixture(t, func(o *Options) { o.TrustedProxies = []string{"127.0.0.1"} })
			status, _, _ := f.browser(t).do("POST", "/console/login", url.Values{"tenant": {"acme"}, "name": {"ada"}, "password": {consolePassword}},
				"Origin", tc.origin, "X-Forwarded-Host", "shop.example", "X-Forwarded-Proto", "https")
			if status != tc.status {
				t.Fatalf("%d, want %d", status, tc.status)
			}
		})
	}
}

// A conversation someone holds is theirs to hand back or resolve: another
// person gets the conflict a reply gets, unless they take it over (force).
func TestConsoleReleaseByNonHolder(t *testing.T) {
	f := newConsoleFixture(t, nil)
	ctx := context.Background()
	mei, ada := f.browser(t).login("acme", "mei"), f.browser(t).login("acme", "ada")
	held := func() string {
		c, err := f.convs.Load(ctx, "acme", "c1")
		if err != nil {
			t.Fatal(err)
		}
		return c.HeldBy
	}
	if status, body := ada.post("/console/conversations/c1/claim", nil); status != http.StatusSeeOther {
		t.Fatalf("claim: %d %s", status, body)
	}
	// mei sees only "Take over from ada", not a resolve button.
	if _, body, _ := mei.do("GET", "/console/conversations/c1", nil); strings.Contains(body, "/c1/resolve") {
		t.Fatalf("a non-holder is offered to resolve: %s", body)
	}
	for _, action := range []string{"reply", "handback", "resolve"} {
		status, body := mei.post("/console/conversations/c1/"+action, url.Values{"text": {"hi"}})
		if status != http.StatusConflict || !strings.Contains(body, "held by another person") || held() != "ada" {
			t.Fatalf("%s by a non-holder: %d, held by %q: %s", action, status, held(), body)
		}
	}
	// The holder may hand it back; taking it over with force may resolve it.
	if status, body := ada.post("/console/conversations/c1/handback", nil); status != http.StatusSeeOther || held() != "" {
		t.Fatalf("hand back by the holder: %d %s", status, body)
	}
	if status, body := mei.post("/console/conversations/c1/claim", nil); status != http.StatusSeeOther || held() != "mei" {
		t.Fatalf("claim: %d %s", status, body)
	}
	if _, body, _ := ada.do("GET", "/console/conversations/c1", nil); !strings.Contains(body, `id="resolve-force"`) {
		t.Fatalf("an admin is not offered to resolve by taking over: %s", body)
	}
	if status, body := ada.post("/console/conversations/c1/resolve", url.Values{"force": {"1"}}); status != http.StatusSeeOther {
		t.Fatalf("forced resolve by an admin: %d %s", status, body)
	}
	if c, _ := f.convs.Load(ctx, "acme", "c1"); c.HeldBy != "" || c.ResolvedAt == nil {
		t.Fatalf("after the forced resolve: held by %q, resolved %v", c.HeldBy, c.ResolvedAt)
	}
}
