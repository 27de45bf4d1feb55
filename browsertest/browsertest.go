// Package browsertest gives tests a real headless Chromium, driven over
// the DevTools protocol with chromedp, the way ollamatest gives them a
// real Ollama: pages with the widget (and the console) are loaded,
// clicked, typed into, audited with axe-core and photographed.
//
// Chromium comes from SHOPDESK_CHROMIUM or PATH (chromium, chromium-browser,
// google-chrome); axe-core from SHOPDESK_AXE or the npm cache folder that
// deploy/browser/install.sh fills (make test runs it). Without them,
// tests are skipped, or fail when SHOPDESK_REQUIRE_INTEGRATION=1 (CI sets
// it). Screenshots go to SHOPDESK_ARTIFACTS, or testdata/screenshots in
// the test's package (ignored by git).
package browsertest

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/chromedp/chromedp"
)

// Binary finds the Chromium executable.
func Binary() (string, error) {
	if bin := os.Getenv("SHOPDESK_CHROMIUM"); bin != "" {
		if _, err := os.Stat(bin); err != nil {
			return "", fmt.Errorf("SHOPDESK_CHROMIUM: %w", err)
		}
		return bin, nil
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if bin, err := exec.LookPath(name); err == nil {
			return bin, nil
		}
	}
	return "", errors.New("no Chromium: run deploy/browser/install.sh (make test does), or set SHOPDESK_CHROMIUM")
}

// Unavailable skips the test, or fails it when SHOPDESK_REQUIRE_INTEGRATION=1.
func Unavailable(t testing.TB, err error) {
	t.Helper()
	if os.Getenv("SHOPDESK_REQUIRE_INTEGRATION") == "1" {
		t.Fatalf("browser test needs Chromium and axe-core: %v", err)
	}
	t.Skipf("skipping browser test (set SHOPDESK_REQUIRE_INTEGRATION=1 to fail instead): %v", err)
}

// Browser is one Chromium process; each Tab is a tab of it.
type Browser struct {
	ctx     context.Context // the browser's chromedp context
	console *consoleLog
}

// Start launches a headless Chromium with a fresh profile for the test
// and ends it, and every process it started, when the test ends. Share
// one Browser across subtests: starting one takes seconds.
func Start(t testing.TB) *Browser {
	t.Helper()
	bin, err := Binary()
	if err != nil {
		Unavailable(t, err)
	}
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(bin),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Headless,
		chromedp.WindowSize(1280, 800),
		// Root needs no sandbox; without the background services Chromium
		// makes no connection this machine's closed network would refuse.
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("disable-features", "Translate,MediaRouter,OptimizationHints"),
		chromedp.Flag("no-pings", true),
		chromedp.Flag("force-color-profile", "srgb"),
		chromedp.Flag("hide-scrollbars", true),
	}
	allocCtx, stopAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, stop := chromedp.NewContext(allocCtx)
	t.Cleanup(func() { stop(); stopAlloc() })
	// The first call starts the browser; it must have no deadline, which
	// would end the browser with it.
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("start Chromium: %v", err)
	}
	return &Browser{ctx: ctx, console: &consoleLog{}}
}

// Tab opens a new tab in a browser context of its own, like another
// browser: no storage or cookies shared with other tabs. It closes when
// the test ends; its console messages are logged if the test fails.
func (b *Browser) Tab(t testing.TB) context.Context {
	t.Helper()
	ctx, cancel := chromedp.NewContext(b.ctx, chromedp.WithNewBrowserContext())
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("new tab: %v", err)
	}
	messages := chromedp.Console(ctx)
	go func() {
		for m, err := range messages {
			if err != nil {
				return
			}
			b.console.add(m.String())
		}
	}()
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("browser console:\n%s", b.console.String())
		}
		cancel()
	})
	return ctx
}

// consoleLog collects what pages wrote to the console.
type consoleLog struct {
	mu    sync.Mutex
	lines []string
}

func (c *consoleLog) add(s string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.lines = append(c.lines, s)
}

func (c *consoleLog) String() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return strings.Join(c.lines, "\n")
}

// ArtifactsDir is where screenshots go: SHOPDESK_ARTIFACTS, or
// testdata/screenshots in the test's package.
func ArtifactsDir(t testing.TB) string {
	t.Helper()
	dir := os.Getenv("SHOPDESK_ARTIFACTS")
	if dir == "" {
		dir = filepath.Join("testdata", "screenshots")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

// Screenshot writes the tab's viewport as NAME.png to the artifacts
// folder and returns its path.
func Screenshot(t testing.TB, ctx context.Context, name string) string {
	t.Helper()
	png, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	if err != nil {
		t.Fatalf("screenshot %s: %v", name, err)
	}
	path := filepath.Join(ArtifactsDir(t), name+".png")
	if err := os.WriteFile(path, png, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot: %s", path)
	return path
}
