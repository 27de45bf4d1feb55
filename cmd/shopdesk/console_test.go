package main

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/shopdesk/shopdesk/inference/ollamatest"
)

// serve --demo-admin makes a first admin with a password shown once, who
// can sign in to the console; a restart makes no second one.
func TestDemoAdmin(t *testing.T) {
	o := ollamatest.Shared(t)
	data := t.TempDir()
	in := startShopdesk(t, o.URL, nil, "--data", data, "--demo-admin", "admin")
	m := regexp.MustCompile(`Demo admin, made now: name admin, password (demo-\S+) `).FindStringSubmatch(in.stdout.String())
	if m == nil || !strings.Contains(in.stdout.String(), in.base+"/console") {
		t.Fatalf("serve did not print the console and the demo admin:\n%s", in.stdout.String())
	}
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.PostForm(in.base+"/console/login", url.Values{"tenant": {"default"}, "name": {"admin"}, "password": {m[1]}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther || len(resp.Cookies()) == 0 {
		t.Fatalf("the demo admin's login: %d", resp.StatusCode)
	}
	if err := in.shutdown(); err != nil {
		t.Fatal(err)
	}
	again := startShopdesk(t, o.URL, nil, "--data", data, "--demo-admin", "admin")
	if strings.Contains(again.stdout.String(), "Demo admin") || strings.Contains(again.stdout.String(), "No account yet") {
		t.Fatalf("a restart with an account:\n%s", again.stdout.String())
	}
}
