package server

import (
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
