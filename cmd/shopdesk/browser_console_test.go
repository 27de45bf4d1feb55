package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp/kb"

	"github.com/shopdesk/shopdesk/browsertest"
)

const consolePassword = "console test password"

// addStaff makes a console account in a data directory, as `shopdesk
// users add` does, before serve takes the directory.
func addStaff(t *testing.T, data, name, role string) {
	t.Helper()
	var out bytes.Buffer
	env := map[string]string{"SHOPDESK_PASSWORD": consolePassword}
	if err := run(context.Background(), []string{"shopdesk", "users", "add", "--data", data, "--role", role, name},
		func(k string) string { return env[k] }, &out, &out); err != nil {
		t.Fatalf("users add %s: %v\n%s", name, err, out.String())
	}
}

// waitAcross waits for a JavaScript condition on a page that a click or
// a key is taking the tab away from: the wait starts again on the next
// page.
func waitAcross(t *testing.T, ctx context.Context, what, expr string, timeout time.Duration) {
	t.Helper()
	if timeout == 0 {
		timeout = browsertest.Wait
	}
	deadline := time.Now().Add(timeout)
	for {
		err := browsertest.Until(ctx, expr, time.Until(deadline))
		if err == nil {
			return
		}
		// A page going away mid-poll ends the poll with a DevTools error
		// (-32000); a condition that never holds ends it at the deadline.
		if time.Now().After(deadline) || !strings.Contains(err.Error(), "-32000") {
			t.Fatalf("waiting for %s (%s): %v", what, expr, err)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// consoleAgent is the person at the desk working in the console, in a
// browser context of their own (no storage shared with the shopper's).
type consoleAgent struct {
	ctx  context.Context
	base string
}

func newConsoleAgent(t *testing.T, b *browsertest.Browser, in *instance, name string) *consoleAgent {
	a := &consoleAgent{ctx: b.Tab(t), base: in.base}
	browsertest.Viewport(t, a.ctx, 1280, 900, false)
	consoleLogin(t, a.ctx, in.base, name)
	return a
}

// consoleLogin signs in by keyboard alone: the name field has the focus,
// Tab moves to the password, Enter submits.
func consoleLogin(t *testing.T, ctx context.Context, base, name string) {
	t.Helper()
	browsertest.Navigate(t, ctx, base+"/console/login")
	waitAcross(t, ctx, "the login form with the name focused", "document.activeElement && document.activeElement.id === 'name'", 0)
	browsertest.Type(t, ctx, name)
	browsertest.Keys(t, ctx, kb.Tab)
	if id := browsertest.Eval[string](t, ctx, "document.activeElement.id"); id != "password" {
		t.Fatalf("Tab from the name went to %q, not the password", id)
	}
	browsertest.Type(t, ctx, consolePassword)
	browsertest.Keys(t, ctx, kb.Enter)
	waitAcross(t, ctx, "the inbox after signing in", "location.pathname === '/console/inbox' && document.querySelector('h1')", 0)
}

// open finds the conversation in the inbox, where it appears by itself,
// and opens its transcript.
func (a *consoleAgent) open(t *testing.T, id string) {
	t.Helper()
	browsertest.Navigate(t, a.ctx, a.base+"/console/inbox?view=escalated")
	link := fmt.Sprintf("document.querySelector('a.conv[data-id=%q]')", id)
	waitAcross(t, a.ctx, "the conversation in the inbox", link, answerWait)
	browsertest.Click(t, a.ctx, link)
	waitAcross(t, a.ctx, "the transcript", fmt.Sprintf("location.pathname === '/console/conversations/%s' && document.getElementById('transcript')", id), 0)
}

// Reply takes the conversation over if need be and writes to the shopper.
func (a *consoleAgent) Reply(t *testing.T, id, text string) {
	t.Helper()
	a.open(t, id)
	if browsertest.Eval[bool](t, a.ctx, "!!document.getElementById('claim')") {
		browsertest.Click(t, a.ctx, "document.getElementById('claim')")
		waitAcross(t, a.ctx, "the reply box after taking over", "location.search.includes('done=claim') && document.getElementById('reply-text')", 0)
	}
	browsertest.Click(t, a.ctx, "document.getElementById('reply-text')")
	browsertest.Type(t, a.ctx, text)
	browsertest.Click(t, a.ctx, "document.querySelector('form.reply button')")
	waitAcross(t, a.ctx, "the reply in the transcript", fmt.Sprintf(
		"location.search.includes('done=reply') && [...document.querySelectorAll('#transcript .msg.agent')].some(m => m.textContent.includes(%q))", text), 0)
}

// HandBack gives the conversation back to the assistant.
func (a *consoleAgent) HandBack(t *testing.T, id string) {
	t.Helper()
	a.open(t, id)
	browsertest.Click(t, a.ctx, "document.getElementById('handback')")
	waitAcross(t, a.ctx, "the hand-back", "location.search.includes('done=handback') && document.getElementById('claim')", 0)
}

// consolePages visits every console page as an admin: each passes an
// accessibility audit and is photographed, in English and Chinese.
func consolePages(t *testing.T, b *browsertest.Browser, in *instance, id string) {
	ctx := b.Tab(t)
	browsertest.Viewport(t, ctx, 1280, 900, false)
	consoleLogin(t, ctx, in.base, "ada")

	// The first Tab stop is the skip link, and it works.
	browsertest.Keys(t, ctx, kb.Tab)
	if cls := browsertest.Eval[string](t, ctx, "document.activeElement.className"); cls != "skip" {
		t.Fatalf("the first Tab stop is %q, not the skip link", cls)
	}
	browsertest.Keys(t, ctx, kb.Enter)
	waitAcross(t, ctx, "the focus on the main content", "document.activeElement === document.getElementById('main')", 0)

	// A conversation that starts now shows up in the open inbox by itself
	// (the page is not reloaded: the mark set on it stays).
	browsertest.Eval[bool](t, ctx, "window.stayed = true")
	status, _, raw := in.post(t, "/api/chat", `{"message":"Do you ship to Canada?"}`)
	var started struct {
		ConversationID string `json:"conversation_id"`
	}
	if err := json.Unmarshal([]byte(raw), &started); status != 200 || err != nil || started.ConversationID == "" {
		t.Fatalf("a new conversation: %d %s", status, raw)
	}
	waitAcross(t, ctx, "the new conversation in the inbox without a reload", fmt.Sprintf(
		"window.stayed && document.querySelector('a.conv[data-id=%q]')", started.ConversationID), answerWait)

	// Its transcript follows it: the shopper's next message appears live.
	browsertest.Click(t, ctx, fmt.Sprintf("document.querySelector('a.conv[data-id=%q]')", started.ConversationID))
	waitAcross(t, ctx, "the new conversation's transcript", "document.getElementById('transcript') && document.readyState === 'complete'", 0)
	browsertest.Eval[bool](t, ctx, "window.stayed = true")
	body, _ := json.Marshal(map[string]string{"conversation_id": started.ConversationID, "message": "And to Mexico?"})
	if status, _, raw := in.post(t, "/api/chat", string(body)); status != 200 {
		t.Fatalf("the next message: %d %s", status, raw)
	}
	waitAcross(t, ctx, "the shopper's message in the open transcript", "window.stayed && [...document.querySelectorAll('#transcript .msg.user')].some(m => m.textContent.includes('And to Mexico?'))", answerWait)

	// Taking it over, replying and handing it back, by keyboard alone.
	tabTo := func(id string) {
		t.Helper()
		for range 40 {
			if browsertest.Eval[bool](t, ctx, fmt.Sprintf("document.activeElement && document.activeElement.id === %q", id)) {
				return
			}
			browsertest.Keys(t, ctx, kb.Tab)
		}
		t.Fatalf("Tab never reached #%s", id)
	}
	tabTo("claim")
	browsertest.Keys(t, ctx, kb.Enter)
	waitAcross(t, ctx, "the reply box, focused", "location.search.includes('done=claim') && document.activeElement && document.activeElement.id === 'reply-text'", 0)
	browsertest.Type(t, ctx, "Typed without a mouse.")
	browsertest.Keys(t, ctx, kb.Tab)
	browsertest.Keys(t, ctx, kb.Enter)
	waitAcross(t, ctx, "the keyboard reply", "location.search.includes('done=reply') && document.getElementById('transcript').textContent.includes('Typed without a mouse.')", 0)
	tabTo("handback")
	browsertest.Keys(t, ctx, kb.Enter)
	waitAcross(t, ctx, "the hand-back", "location.search.includes('done=handback') && document.getElementById('claim')", 0)

	for _, p := range []struct{ name, path, lang string }{
		{"inbox", "/console/inbox", "en"},
		{"transcript", "/console/conversations/" + id, "en"},
		{"knowledge", "/console/knowledge?q=returns", "en"},
		{"learning", "/console/learning", "en"},
		{"insights", "/console/insights", "en"},
		{"models", "/console/models", "en"},
		{"users", "/console/users", "en"},
		{"inbox-zh", "/console/inbox?lang=zh", "zh"},
		{"transcript-zh", "/console/conversations/" + id + "?lang=zh", "zh"},
		{"insights-zh", "/console/insights?lang=zh", "zh"},
	} {
		t.Run(p.name, func(t *testing.T) {
			browsertest.Navigate(t, ctx, in.base+p.path)
			waitAcross(t, ctx, "the page", "document.querySelector('main h1') && document.readyState === 'complete'", 0)
			if lang := browsertest.Eval[string](t, ctx, "document.documentElement.lang"); lang[:2] != p.lang {
				t.Fatalf("page language %q", lang)
			}
			// The console's own words are in the page's language (the
			// shop's data may be in either).
			chrome := browsertest.Eval[string](t, ctx, "document.querySelector('header nav').textContent + document.querySelector('main h1').textContent")
			if hasHan := browsertest.Eval[bool](t, ctx, `/[\u4e00-\u9fff]/.test(document.querySelector('header nav').textContent)`); hasHan != (p.lang == "zh") {
				t.Fatalf("the %s page's navigation and title: %q", p.lang, chrome)
			}
			auditPage(t, ctx, p.name)
			browsertest.Screenshot(t, ctx, "console-"+p.name)
		})
	}
	browsertest.Navigate(t, ctx, in.base+"/console/inbox?lang=en") // back to English for whoever comes next
}

// auditPage runs axe-core on the whole page.
func auditPage(t *testing.T, ctx context.Context, page string) {
	t.Helper()
	auditElement(t, ctx, page, "document")
}

// auditElement runs axe-core on an element: no serious or critical
// violation passes; others are logged.
func auditElement(t *testing.T, ctx context.Context, page, elementExpr string) {
	t.Helper()
	report := browsertest.Axe(t, ctx, elementExpr)
	t.Logf("axe (%s): %d rules passed, %d broken", page, report.Passes, len(report.Violations))
	if report.Passes < 10 {
		t.Errorf("axe (%s) checked almost nothing: %d rules passed", page, report.Passes)
	}
	for _, v := range report.Violations {
		msg := fmt.Sprintf("axe (%s): %s %s: %s (%d elements)", page, v.Impact, v.ID, v.Help, len(v.Nodes))
		for _, n := range v.Nodes {
			msg += fmt.Sprintf("\n  %s: %s", n.Target, n.Summary)
		}
		if v.Impact == "serious" || v.Impact == "critical" {
			t.Error(msg)
		} else {
			t.Log(msg)
		}
	}
}
