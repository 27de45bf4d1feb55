package browsertest

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// Wait is how long WaitFor waits by default.
const Wait = 30 * time.Second

// Eval evaluates a JavaScript expression in the tab (awaiting a promise)
// and returns its value, failing the test on an error.
func Eval[T any](t testing.TB, ctx context.Context, expr string) T {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](expr, func(p *runtime.EvaluateParams) { p.AwaitPromise = ptr(true) }))
	if err != nil {
		t.Fatalf("evaluate %s: %v", expr, err)
	}
	return v
}

func ptr[T any](v T) *T { return &v }

// WaitFor polls a JavaScript expression until it is truthy, for at most
// timeout (Wait when 0), failing the test with what it waited for.
func WaitFor(t testing.TB, ctx context.Context, what, expr string, timeout time.Duration) {
	t.Helper()
	if err := Until(ctx, expr, timeout); err != nil {
		t.Fatalf("waiting for %s (%s): %v", what, expr, err)
	}
}

// Until polls a JavaScript expression until it is truthy, for at most
// timeout (Wait when 0).
func Until(ctx context.Context, expr string, timeout time.Duration) error {
	if timeout == 0 {
		timeout = Wait
	}
	_, err := chromedp.Run(ctx, chromedp.Poll[chromedp.Void](expr, chromedp.WithPollingInterval(50*time.Millisecond), chromedp.WithPollingTimeout(timeout)))
	return err
}

// Click clicks, with the mouse, the middle of the element a JavaScript
// expression returns (which may reach into shadow roots), as a person
// would: whatever covers it gets the click instead.
func Click(t testing.TB, ctx context.Context, elementExpr string) {
	t.Helper()
	r := Eval[struct{ X, Y, W, H float64 }](t, ctx, fmt.Sprintf(`(() => { const el = %s; if (!el) throw new Error("no element to click");
		el.scrollIntoView({block: "nearest"}); const r = el.getBoundingClientRect(); return {X: r.x, Y: r.y, W: r.width, H: r.height}; })()`, elementExpr))
	if r.W == 0 || r.H == 0 {
		t.Fatalf("%s is not visible: %+v", elementExpr, r)
	}
	if err := chromedp.Do(ctx, chromedp.MouseClickXY(r.X+r.W/2, r.Y+r.H/2)); err != nil {
		t.Fatalf("click %s: %v", elementExpr, err)
	}
}

// Keys presses keys on whatever has the focus (kb.Tab, kb.Enter and
// kb.Escape name the special ones; chromedp.KeyModifiers adds Shift).
func Keys(t testing.TB, ctx context.Context, keys string, opts ...chromedp.KeyOption) {
	t.Helper()
	if err := chromedp.Do(ctx, chromedp.KeyEvent(keys, opts...)); err != nil {
		t.Fatalf("keys %q: %v", keys, err)
	}
}

// Type enters text into whatever has the focus, as a keyboard or an input
// method commits it (any script, Chinese included).
func Type(t testing.TB, ctx context.Context, text string) {
	t.Helper()
	err := chromedp.Do(ctx, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(ctx, tg, input.InsertText, input.InsertTextParams{Text: text})
		return err
	}))
	if err != nil {
		t.Fatalf("type %q: %v", text, err)
	}
}

// Navigate loads url in the tab and waits for the page to load.
func Navigate(t testing.TB, ctx context.Context, url string) {
	t.Helper()
	if err := chromedp.Do(ctx, chromedp.Navigate(url)); err != nil {
		t.Fatalf("navigate to %s: %v", url, err)
	}
}

// Viewport sets the tab's viewport size (and mobile emulation).
func Viewport(t testing.TB, ctx context.Context, width, height int64, mobile bool) {
	t.Helper()
	var opts []chromedp.EmulateViewportOption
	if mobile {
		opts = append(opts, chromedp.EmulateMobile, chromedp.EmulateTouch, chromedp.EmulatePortrait)
	}
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(width, height, opts...)); err != nil {
		t.Fatalf("viewport: %v", err)
	}
}

// Offline cuts the tab off the network (navigator.onLine false, the
// offline event, every request failing) or restores it.
func Offline(t testing.TB, ctx context.Context, offline bool) {
	t.Helper()
	err := chromedp.Do(ctx, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		if _, err := cdp.Call(ctx, tg, network.Enable, network.EnableParams{}); err != nil {
			return err
		}
		var rules []*network.Conditions
		if offline {
			rules = []*network.Conditions{{Offline: true, DownloadThroughput: -1, UploadThroughput: -1}}
		}
		if _, err := cdp.Call(ctx, tg, network.EmulateNetworkConditionsByRule, network.EmulateNetworkConditionsByRuleParams{MatchedNetworkConditions: rules}); err != nil {
			return err
		}
		_, err := cdp.Call(ctx, tg, network.OverrideNetworkState, network.OverrideNetworkStateParams{Offline: offline, DownloadThroughput: -1, UploadThroughput: -1})
		return err
	}))
	if err != nil {
		t.Fatalf("offline %v: %v", offline, err)
	}
}

// AxeScript finds axe-core's axe.min.js: SHOPDESK_AXE, or the cache folder
// deploy/browser/install.sh installs it into.
func AxeScript() (string, error) {
	if p := os.Getenv("SHOPDESK_AXE"); p != "" {
		return p, nil
	}
	dir := os.Getenv("SHOPDESK_BROWSER_CACHE")
	if dir == "" {
		cache, err := os.UserCacheDir()
		if err != nil {
			return "", err
		}
		dir = filepath.Join(cache, "shopdesk", "browser")
	}
	p := filepath.Join(dir, "node_modules", "axe-core", "axe.min.js")
	if _, err := os.Stat(p); err != nil {
		return "", fmt.Errorf("no axe-core (run deploy/browser/install.sh, or set SHOPDESK_AXE): %w", err)
	}
	return p, nil
}

// Violation is one rule axe-core found broken.
type Violation struct {
	ID     string `json:"id"`
	Impact string `json:"impact"`
	Help   string `json:"help"`
	Nodes  []struct {
		Target  json.RawMessage `json:"target"`
		Summary string          `json:"failureSummary"`
	} `json:"nodes"`
}

// AxeReport is what an audit found: the rules broken, and how many rules
// the audited elements passed (none means nothing was audited).
type AxeReport struct {
	Violations []Violation
	Passes     int
}

// Axe injects axe-core into the tab and audits the element a JavaScript
// expression returns (its open shadow roots included).
func Axe(t testing.TB, ctx context.Context, elementExpr string) AxeReport {
	t.Helper()
	path, err := AxeScript()
	if err != nil {
		Unavailable(t, err)
	}
	src, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[chromedp.Void](string(src))); err != nil {
		t.Fatalf("inject axe-core: %v", err)
	}
	return Eval[AxeReport](t, ctx, fmt.Sprintf(`axe.run(%s).then(r => ({Violations: r.violations, Passes: r.passes.length}))`, elementExpr))
}
