package browsertest

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/chromedp/chromedp/kb"
)

// The harness itself, on a page with a form in a shadow root.
func TestHarness(t *testing.T) {
	b := Start(t)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/page.js" {
			w.Header().Set("Content-Type", "text/javascript")
			w.Write([]byte(`const host = document.createElement('div'); document.body.append(host);
const root = host.attachShadow({mode: 'open'});
root.innerHTML = '<label>Name <input id="n"></label><button id="b" type="button">Greet</button><p id="out" role="status"></p>';
root.getElementById('b').addEventListener('click', () => { root.getElementById('out').textContent = 'Hello ' + root.getElementById('n').value; });`))
			return
		}
		w.Header().Set("Content-Security-Policy", "default-src 'self'")
		w.Write([]byte(`<!doctype html><html lang="en"><head><title>harness</title></head><body><main><h1>Harness</h1></main><script src="/page.js"></script></body></html>`))
	}))
	defer srv.Close()
	ctx := b.Tab(t)
	Navigate(t, ctx, srv.URL)
	root := "document.querySelector('div').shadowRoot"
	WaitFor(t, ctx, "the shadow root", root, 0)
	Click(t, ctx, root+".getElementById('n')")
	Type(t, ctx, "世界")
	Keys(t, ctx, kb.Tab)
	Keys(t, ctx, kb.Enter)
	WaitFor(t, ctx, "the greeting", root+".getElementById('out').textContent === 'Hello 世界'", 0)
	if got := Eval[int](t, ctx, "1 + 2"); got != 3 {
		t.Fatalf("Eval: %d", got)
	}
	if _, err := AxeScript(); err == nil {
		if r := Axe(t, ctx, "document"); r.Passes == 0 {
			t.Fatalf("axe checked nothing: %+v", r)
		}
	}
	if png := Screenshot(t, ctx, "harness"); png == "" {
		t.Fatal("no screenshot")
	}
}
