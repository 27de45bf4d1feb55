package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp/kb"

	"github.com/shopdesk/shopdesk/browsertest"
	"github.com/shopdesk/shopdesk/inference/ollamatest"
)

// answerWait is how long an answer may take on a busy machine.
const answerWait = 2 * time.Minute

const (
	browserKey    = "pk_test_harbor_lane_0001"
	browserSecret = "browser-test-secret-0123"
)

// In the shadow root of the widget on the page.
const widgetRoot = `document.querySelector('shopdesk-chat').shadowRoot`

func q(css string) string { return fmt.Sprintf("%s.querySelector(%q)", widgetRoot, css) }

// shopper drives the widget on one tab as a shopper would.
type shopper struct {
	t   *testing.T
	ctx context.Context
}

func (w shopper) eval(expr string) string {
	return browsertest.Eval[string](w.t, w.ctx, "String("+expr+")")
}

// wait waits for a JavaScript condition, showing the widget's state if
// it never holds.
func (w shopper) wait(what, expr string) {
	w.t.Helper()
	if err := browsertest.Until(w.ctx, expr, 0); err != nil {
		w.t.Fatalf("waiting for %s (%s): %v\nthe widget: %s", what, expr, err, w.eval(widgetRoot+".innerHTML"))
	}
}
func (w shopper) click(css string) { w.t.Helper(); browsertest.Click(w.t, w.ctx, q(css)) }

// clickText clicks the button among css whose text is text.
func (w shopper) clickText(css, text string) {
	w.t.Helper()
	browsertest.Click(w.t, w.ctx, fmt.Sprintf("[...%s.querySelectorAll(%q)].find(b => b.textContent === %q)", widgetRoot, css, text))
}

func (w shopper) open(url string) {
	w.t.Helper()
	browsertest.Navigate(w.t, w.ctx, url)
	w.wait("the widget's launcher", q(".launcher"))
	if browsertest.Eval[bool](w.t, w.ctx, q(".panel")+".hidden") { // a reload keeps it open
		w.click(".launcher")
	}
	w.wait("the panel", q(".panel")+" && !"+q(".panel")+".hidden")
}

// answers counts finished answers in the log.
func (w shopper) answers() int {
	return browsertest.Eval[int](w.t, w.ctx, widgetRoot+".querySelectorAll('.msg.assistant:not([aria-busy])').length")
}

// ask sends text from the message box and waits for the answer to finish;
// it returns how many different lengths the answer's text went through
// while it streamed in.
func (w shopper) ask(text string) int {
	w.t.Helper()
	before := w.answers()
	browsertest.Eval[bool](w.t, w.ctx, `(() => { window.lengths = new Set(); const log = `+q(".log")+`;
		new MutationObserver(() => { const b = [...log.querySelectorAll('.msg.assistant .text')].pop(); if (b && b.textContent) lengths.add(b.textContent.length); })
		.observe(log, {subtree: true, childList: true, characterData: true}); return true; })()`)
	w.click("textarea")
	browsertest.Type(w.t, w.ctx, text)
	browsertest.Keys(w.t, w.ctx, kb.Enter)
	browsertest.WaitFor(w.t, w.ctx, "the answer to "+text, fmt.Sprintf("%s.querySelectorAll('.msg.assistant:not([aria-busy])').length > %d && !%s", widgetRoot, before, q("[aria-busy]")), answerWait)
	return browsertest.Eval[int](w.t, w.ctx, "window.lengths.size")
}

// lastAnswer is the text of the latest answer and its sources' links.
func (w shopper) lastAnswer() (text string, links []string) {
	v := browsertest.Eval[struct {
		Text  string
		Links []string
	}](w.t, w.ctx, `(() => { const m = [...`+widgetRoot+`.querySelectorAll('.msg.assistant')].pop();
		return {Text: m.querySelector('.text').textContent, Links: [...m.querySelectorAll('.sources a')].map(a => a.href)}; })()`)
	return v.Text, v.Links
}

func (w shopper) conversationID() string {
	w.t.Helper()
	// The widget keeps its session in localStorage; the server knows its
	// conversation. Read it back the way a reload does.
	return browsertest.Eval[string](w.t, w.ctx, `fetch(document.querySelector('script[data-key]').src.replace('/widget.js', '/widget/v1/session'),
		{method: 'POST', headers: {'Content-Type': 'application/json', 'X-Shopdesk-Key': document.querySelector('script[data-key]').dataset.key,
		'X-Customer-Token': document.querySelector('script[data-key]').dataset.customerToken || '',
		Authorization: 'Session ' + localStorage.getItem('shopdesk:' + document.querySelector('script[data-key]').dataset.key)}, body: '{}'})
		.then(r => r.json()).then(s => s.conversation_id || '')`)
}

// The widget on a shop's page, in a real Chromium, against the real
// server and the real tiny models (whose text is nonsense: the tests
// assert the plumbing, not the prose).
func TestBrowserWidget(t *testing.T) {
	b := browsertest.Start(t)
	if _, err := browsertest.AxeScript(); err != nil {
		browsertest.Unavailable(t, err)
	}
	site := newShopSite(t, browserKey, []byte(browserSecret))
	// Short answers keep the tiny model quick on a busy machine.
	catalog := filepath.Join(t.TempDir(), "catalog.yaml")
	os.WriteFile(catalog, []byte(strings.Replace(fmt.Sprintf(testCatalog, "stories260k"), "num_ctx: 2048}", "num_ctx: 2048, num_predict: 48}", 1)), 0o644)
	// Two people of the shop's team sign in to the console.
	data := t.TempDir()
	addStaff(t, data, "mei", "agent")
	addStaff(t, data, "ada", "admin")
	in := startShopdesk(t, ollamatest.Shared(t).URL, nil, "--data", data, "--config", catalog, "--ingest", knowledgeWithLinks(t), "--vector-store", "none",
		"--commerce-import", demoImports, "--return-window-days", "100000", "--customer-token-secret", browserSecret,
		"--widget-keys", browserKey, "--widget-origins", site.origin(), "--widget-session-limit", "100/m", "--merchant", "Harbor Lane Outfitters")
	site.mu.Lock()
	site.shopdesk = in.base
	site.mu.Unlock()

	var id string
	t.Run("shopper and agent", func(t *testing.T) { id = shopperJourney(t, b, site, in, newConsoleAgent(t, b, in, "mei")) })
	t.Run("console pages", func(t *testing.T) {
		if id == "" {
			t.Skip("no conversation")
		}
		consolePages(t, b, in, id)
	})
	t.Run("unlisted origin", func(t *testing.T) { unlistedOrigin(t, b, site, in) })
	t.Run("hostile CSS", func(t *testing.T) { hostileCSS(t, b, site) })
	t.Run("keyboard only", func(t *testing.T) { keyboardOnly(t, b, site, in) })
	t.Run("phone", func(t *testing.T) { phone(t, b, site) })
	t.Run("demo page", func(t *testing.T) { demoPage(t, b) })
}

// shopperJourney: questions in English and Chinese, a guided return,
// a rating, a person, a network drop, a reload and the end. It returns
// the conversation's ID.
func shopperJourney(t *testing.T, b *browsertest.Browser, site *shopSite, in *instance, desk agent) string {
	w := shopper{t, b.Tab(t)}
	browsertest.Viewport(t, w.ctx, 800, 700, false)
	w.open(site.url(site.origin(), "en", "C001", false))
	if got := w.eval(q(".launcher") + ".getAttribute('aria-label')"); got != "Chat with us" {
		t.Fatalf("English launcher label %q", got)
	}
	if n := w.ask("How long do I have to return an item?"); n < 2 {
		t.Errorf("the answer arrived in %d piece(s), not streamed", n)
	}
	text, links := w.lastAnswer()
	if text == "" || len(links) == 0 || !strings.HasPrefix(links[0], "https://harborlane.example/help/") {
		t.Fatalf("English answer %q with source links %v", text, links)
	}
	browsertest.Screenshot(t, w.ctx, "widget-en")

	w.open(site.url(site.origin(), "zh", "C001", false))
	if got := w.eval(q("h2") + ".textContent"); got != "在线客服" {
		t.Fatalf("Chinese title %q", got)
	}
	if n := w.ask("退货运费谁出？"); n < 2 {
		t.Errorf("the Chinese answer arrived in %d piece(s), not streamed", n)
	}
	if text, links := w.lastAnswer(); text == "" || len(links) == 0 {
		t.Fatalf("Chinese answer %q with source links %v", text, links)
	}
	browsertest.Screenshot(t, w.ctx, "widget-zh")
	id := w.conversationID()
	if c := in.conversation(t, id); c.CustomerID != "C001" || len(c.Messages) != 4 {
		t.Fatalf("the conversation's customer is %q (the signed token's, not data-customer-id's) with %d messages", c.CustomerID, len(c.Messages))
	}
	w.audit("with answers and sources")
	w.open(site.url(site.origin(), "en", "C001", false)) // the rest in English

	// A guided return, tapping the quick replies offered at each step.
	w.ask("I want to return something from order HL-100101")
	for _, tap := range []string{"1. ", "It doesn't fit", "Yes", "Refund"} {
		if tap == "Refund" {
			browsertest.Screenshot(t, w.ctx, "widget-return")
		}
		w.tapQuick(tap)
	}
	if text, _ := w.lastAnswer(); !strings.Contains(text, "To confirm") {
		t.Fatalf("before confirming: %q", text)
	}
	w.tapQuick("Yes")
	if text, _ := w.lastAnswer(); !strings.Contains(text, "RMA-") {
		t.Fatalf("the return was not filed: %q", text)
	}

	// Thumbs up on the first answer.
	w.click(".msg.assistant .rate button[data-rating=up]")
	w.wait("the rating to be pressed and thanked", q(".msg.assistant .rate button[data-rating=up]")+".getAttribute('aria-pressed') === 'true' && "+q(".status")+".textContent.includes('Thanks')")
	if c := in.conversation(t, id); c.Messages[1].Rating != "up" {
		t.Fatalf("the first answer's stored rating is %q", c.Messages[1].Rating)
	}

	// A person: the hand-off, then their replies, live.
	before := w.answers()
	w.click(".person")
	w.wait("the hand-off answer", fmt.Sprintf("%s.querySelectorAll('.msg.assistant:not([aria-busy])').length > %d && %s.textContent.includes('person from our team')", widgetRoot, before, q(".status")))
	if c := in.conversation(t, id); !c.Escalated {
		t.Fatal("talk to a person did not escalate the conversation")
	}
	desk.Reply(t, id, "Hi, this is Mei from the team. I can help with that.")
	w.wait("the person's reply, live", w.agentSays("this is Mei"))
	browsertest.Screenshot(t, w.ctx, "widget-person")

	// The network drops; what the person writes meanwhile arrives after.
	browsertest.Offline(t, w.ctx, true)
	w.wait("the offline notice", q(".status")+".textContent.includes('offline')")
	desk.Reply(t, id, "Your refund is on its way.")
	time.Sleep(time.Second)
	if browsertest.Eval[bool](t, w.ctx, w.agentSays("refund is on its way")) {
		t.Fatal("a message arrived while the tab was offline")
	}
	browsertest.Offline(t, w.ctx, false)
	w.wait("the reply sent while offline", w.agentSays("refund is on its way"))

	// A reload continues the same conversation.
	w.open(site.url(site.origin(), "en", "C001", false))
	w.wait("the transcript after a reload", w.agentSays("refund is on its way")+" && "+widgetRoot+".querySelectorAll('.msg.user').length >= 8")
	if got := w.conversationID(); got != id {
		t.Fatalf("after a reload the conversation is %q, want %q", got, id)
	}

	// The end: back to the assistant, then CSAT.
	desk.HandBack(t, id)
	w.wait("the assistant back", q(".log")+".textContent.includes('The assistant is back')")
	w.click(".end")
	w.clickText(".csat button", "5")
	w.wait("thanks for the CSAT", q(".csat")+".textContent.includes('Thank you')")
	if c := in.conversation(t, id); c.CSAT != 5 {
		t.Fatalf("stored CSAT %d", c.CSAT)
	}
	w.clickText(".csat button", "New conversation")
	w.wait("a fresh conversation", "!"+q(".msg")+" && "+q("textarea")+" === "+widgetRoot+".activeElement")
	return id
}

// tapQuick taps the quick reply starting with label and waits for the
// answer.
func (w shopper) tapQuick(label string) {
	w.t.Helper()
	before := w.answers()
	browsertest.Click(w.t, w.ctx, fmt.Sprintf("[...%s.querySelectorAll('.quick button')].find(b => b.textContent.startsWith(%q))", widgetRoot, label))
	browsertest.WaitFor(w.t, w.ctx, "the answer to "+label, fmt.Sprintf("%s.querySelectorAll('.msg.assistant:not([aria-busy])').length > %d", widgetRoot, before), answerWait)
}

// agentSays is a JavaScript test: a person's message containing text is
// in the log.
func (w shopper) agentSays(text string) string {
	return fmt.Sprintf("[...%s.querySelectorAll('.msg.agent')].some(m => m.textContent.includes(%q))", widgetRoot, text)
}

// audit runs axe-core on the widget: no serious or critical violation
// passes; others are logged.
func (w shopper) audit(when string) {
	w.t.Helper()
	auditElement(w.t, w.ctx, when, "document.querySelector('shopdesk-chat')")
}
