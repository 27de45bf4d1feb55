package main

import (
	"fmt"
	"net"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/shopdesk/shopdesk/browsertest"
	"github.com/shopdesk/shopdesk/inference/ollamatest"
)

// A page on an origin the key does not list gets nothing from shopdesk,
// and the widget says it is unavailable instead of failing silently.
func unlistedOrigin(t *testing.T, b *browsertest.Browser, site *shopSite, in *instance) {
	w := shopper{t, b.Tab(t)}
	w.open(site.url(site.unlistedOrigin(), "en", "", false))
	w.wait("the error state", q(".error")+" && !"+q(".error")+".hidden && "+q(".error [role=alert]")+".textContent.includes('not available')")
	if !strings.Contains(in.stderr.String(), "code=origin_not_allowed") {
		t.Fatal("the server did not refuse the unlisted origin")
	}
	if browsertest.Eval[string](t, w.ctx, "localStorage.getItem('shopdesk:"+browserKey+"') || ''") != "" {
		t.Fatal("the refused page got a session")
	}
}

// A theme that breaks everything it reaches does not reach the widget.
func hostileCSS(t *testing.T, b *browsertest.Browser, site *shopSite) {
	w := shopper{t, b.Tab(t)}
	browsertest.Viewport(t, w.ctx, 800, 700, false)
	w.open(site.url(site.origin(), "en", "", true))
	if browsertest.Eval[bool](t, w.ctx, "getComputedStyle(document.querySelector('h1')).display !== 'none'") {
		t.Fatal("the hostile stylesheet did not apply to the page")
	}
	style := browsertest.Eval[struct {
		Font, Color, Launcher string
		PanelW, PanelH        float64
	}](t, w.ctx, `(() => { const r = `+widgetRoot+`;
		const s = getComputedStyle(r.querySelector('textarea')), l = r.querySelector('.launcher').getBoundingClientRect(), p = r.querySelector('.panel').getBoundingClientRect();
		return {Font: s.fontSize, Color: s.color, Launcher: l.width + 'x' + l.height, PanelW: p.width, PanelH: p.height}; })()`)
	if style.Font != "15px" || strings.Contains(style.Color, ", 0)") || style.Launcher != "56x56" || style.PanelW != 380 || style.PanelH < 500 {
		t.Fatalf("the widget under hostile CSS: %+v", style)
	}
	w.ask("Where is my order HL-100101?")
	if text, _ := w.lastAnswer(); !strings.Contains(text, "email") {
		t.Fatalf("answer under hostile CSS: %q", text)
	}
	browsertest.Screenshot(t, w.ctx, "widget-hostile-css")
}

// The whole widget by keyboard: Tab to it, Enter opens, type, Enter
// sends, Tab to the thumbs, Escape closes and gives the focus back; then
// an accessibility audit.
func keyboardOnly(t *testing.T, b *browsertest.Browser, site *shopSite, in *instance) {
	w := shopper{t, b.Tab(t)}
	browsertest.Navigate(t, w.ctx, site.url(site.origin(), "en", "", false))
	w.wait("the widget", q(".launcher"))
	focused := func(css string) string {
		return fmt.Sprintf("document.activeElement === document.querySelector('shopdesk-chat') && %s.activeElement && %s.activeElement.matches(%q)", widgetRoot, widgetRoot, css)
	}
	tabTo := func(css string, shift bool) {
		t.Helper()
		var opts []chromedp.KeyOption
		if shift {
			opts = append(opts, chromedp.KeyModifiers(chromedp.ModifierShift))
		}
		for range 12 {
			browsertest.Keys(t, w.ctx, kb.Tab, opts...)
			if browsertest.Eval[bool](t, w.ctx, focused(css)) {
				return
			}
		}
		t.Fatalf("Tab never reached %s", css)
	}
	tabTo(".launcher", false)
	browsertest.Keys(t, w.ctx, kb.Enter)
	w.wait("the message box focused", focused("textarea")+" && !"+q(".panel")+".hidden")
	if got := w.eval(q(".launcher") + ".getAttribute('aria-expanded')"); got != "true" {
		t.Errorf("aria-expanded %s on the open launcher", got)
	}
	before := w.answers()
	browsertest.Type(t, w.ctx, "Where is my order HL-100101?")
	browsertest.Keys(t, w.ctx, kb.Enter)
	browsertest.WaitFor(t, w.ctx, "the answer", fmt.Sprintf("%s.querySelectorAll('.msg.assistant:not([aria-busy])').length > %d", widgetRoot, before), answerWait)
	if c := in.conversation(t, w.conversationID()); c.CustomerID != "" {
		t.Errorf("a guest page's unsigned data-customer-id made the customer %q", c.CustomerID)
	}
	tabTo(".rate button[data-rating=up]", true)
	browsertest.Keys(t, w.ctx, kb.Enter)
	w.wait("the thumb pressed", q(".rate button[data-rating=up]")+".getAttribute('aria-pressed') === 'true'")
	w.audit("after a keyboard conversation")
	browsertest.Keys(t, w.ctx, kb.Escape)
	w.wait("the panel closed and the focus back on the launcher", q(".panel")+".hidden && "+focused(".launcher"))
}

// On a phone the panel takes the whole screen.
func phone(t *testing.T, b *browsertest.Browser, site *shopSite) {
	w := shopper{t, b.Tab(t)}
	browsertest.Viewport(t, w.ctx, 375, 667, true)
	w.open(site.url(site.origin(), "zh", "", false))
	w.ask("我要转人工客服")
	if size := browsertest.Eval[string](t, w.ctx, `(() => { const r = `+q(".panel")+`.getBoundingClientRect(); return r.width + 'x' + r.height; })()`); size != "375x667" {
		t.Errorf("the panel on a 375x667 phone is %s", size)
	}
	browsertest.Screenshot(t, w.ctx, "widget-phone-zh")
}

// The demo page shopdesk serves: same origin, its own strict CSP, both
// languages; the widget's same-origin requests carry no Origin header.
func demoPage(t *testing.T, b *browsertest.Browser) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	in := startShopdesk(t, ollamatest.Shared(t).URL, nil, "--addr", addr, "--vector-store", "none",
		"--widget-keys", "pk_demo_harbor_lane_0001", "--widget-origins", "http://"+addr)
	if !strings.Contains(in.stdout.String(), in.base+"/demo") {
		t.Errorf("serve does not print the demo page:\n%s", in.stdout.String())
	}
	w := shopper{t, b.Tab(t)}
	w.open(in.base + "/demo?lang=zh")
	if got := browsertest.Eval[string](t, w.ctx, "document.querySelector('h1').textContent + ' / ' + "+q("h2")+".textContent"); got != "shopdesk 在线客服组件 / 在线客服" {
		t.Fatalf("the Chinese demo page: %q", got)
	}
	before := w.answers()
	w.click(".person")
	browsertest.WaitFor(t, w.ctx, "the hand-off", fmt.Sprintf("%s.querySelectorAll('.msg.assistant:not([aria-busy])').length > %d", widgetRoot, before), answerWait)
	w.open(in.base + "/demo?lang=en")
	w.wait("the transcript, read back same-origin", q(".log")+".textContent.includes('我要转人工客服')")
	browsertest.Screenshot(t, w.ctx, "demo-page")
}
