package main

import (
	"bufio"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/shopdesk/shopdesk/inference/ollamatest"
)

// benchCatalog sets no Ollama options, so requests through shopdesk load
// the model exactly as direct requests do (a different num_ctx would make
// Ollama reload it between the two).
const benchCatalog = `models:
  - {id: shopdesk-chat, tag: stories260k, kind: chat}
  - {id: shopdesk-embed, tag: stories260k, kind: embedding}
`

type timing struct{ total, firstToken time.Duration }

// streamOnce posts a streamed chat request and times the first data event
// and the end of the stream.
func streamOnce(client *http.Client, url, model string) (timing, error) {
	body := fmt.Sprintf(`{"model":%q,"stream":true,"max_tokens":32,"temperature":0,"top_p":1,"seed":7,"messages":[{"role":"user","content":"Once upon a time"}]}`, model)
	start := time.Now()
	resp, err := client.Post(url, "application/json", strings.NewReader(body))
	if err != nil {
		return timing{}, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != 200 {
		return timing{}, fmt.Errorf("%s: status %d", url, resp.StatusCode)
	}
	var t timing
	sc := bufio.NewScanner(resp.Body)
	done := false
	for sc.Scan() {
		line := sc.Text()
		if !strings.HasPrefix(line, "data: ") {
			continue
		}
		if t.firstToken == 0 {
			t.firstToken = time.Since(start)
		}
		if line == "data: [DONE]" {
			done = true
		}
	}
	t.total = time.Since(start)
	if !done {
		return t, fmt.Errorf("%s: stream ended without [DONE]", url)
	}
	return t, nil
}

// round sends n concurrent requests and returns their timings.
func round(client *http.Client, url, model string, n int) ([]timing, error) {
	out := make([]timing, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() { out[i], errs[i] = streamOnce(client, url, model) })
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}

func median(ds []time.Duration) time.Duration {
	s := slices.Clone(ds)
	slices.Sort(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

// BenchmarkGatewayOverhead compares shopdesk with Ollama's own
// OpenAI-compatible endpoint on the same Ollama, alternating request by
// request so that machine noise hits both alike. Run with -benchtime 1x.
func BenchmarkGatewayOverhead(b *testing.B) {
	o := ollamatest.Dedicated(b, "OLLAMA_NUM_PARALLEL=8")
	cfg := filepath.Join(b.TempDir(), "bench.yaml")
	if err := os.WriteFile(cfg, []byte(benchCatalog), 0o644); err != nil {
		b.Fatal(err)
	}
	base := startBinary(b, "--config", cfg, "--ollama-host", o.URL, "--ollama-concurrency", "8", "--ollama-queue", "64", "--log-level", "warn")

	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 32}}
	direct, gateway := o.URL+"/v1/chat/completions", base+"/v1/chat/completions"
	for range 3 { // load the model, warm connections
		if _, err := round(client, direct, ollamatest.ChatModel, 2); err != nil {
			b.Fatal(err)
		}
		if _, err := round(client, gateway, "shopdesk-chat", 2); err != nil {
			b.Fatal(err)
		}
	}

	fmt.Printf("\nGateway overhead: stories260K, 32 streamed tokens, alternating direct/shopdesk\n")
	fmt.Printf("%-12s %-9s %-13s %-13s %-16s %-13s %-13s %-13s %-12s %s\n", "concurrency", "requests", "total direct", "total gateway",
		"total ratio", "paired ratio", "first direct", "first gateway", "first ratio", "first token added")
	sizes := []struct{ conc, rounds int }{{1, 400}, {8, 80}}
	if testing.Short() { // make bench-smoke: does it still work?
		sizes = []struct{ conc, rounds int }{{1, 4}, {8, 2}}
	}
	for _, c := range sizes {
		var dTotal, gTotal, dFirst, gFirst []time.Duration
		var paired []float64 // gateway over direct, round by round
		for r := range c.rounds {
			roundStart := len(dTotal)
			// Alternate which goes first, so neither always follows the other.
			order := []string{direct, gateway}
			if r%2 == 1 {
				order = []string{gateway, direct}
			}
			for _, url := range order {
				model := ollamatest.ChatModel
				if url == gateway {
					model = "shopdesk-chat"
				}
				ts, err := round(client, url, model, c.conc)
				if err != nil {
					b.Fatal(err)
				}
				for _, tm := range ts {
					if url == gateway {
						gTotal, gFirst = append(gTotal, tm.total), append(gFirst, tm.firstToken)
					} else {
						dTotal, dFirst = append(dTotal, tm.total), append(dFirst, tm.firstToken)
					}
				}
			}
			paired = append(paired, float64(median(gTotal[roundStart:]))/float64(median(dTotal[roundStart:])))
		}
		slices.Sort(paired)
		ratio := float64(median(gTotal)) / float64(median(dTotal))
		firstRatio := float64(median(gFirst)) / float64(median(dFirst))
		added := float64(median(gFirst)-median(dFirst)) / float64(time.Millisecond)
		ms := func(d time.Duration) string { return fmt.Sprintf("%.2f ms", float64(d)/float64(time.Millisecond)) }
		fmt.Printf("%-12d %-9d %-13s %-13s %-16s %-13.3f %-13s %-13s %-12.3f %s\n", c.conc, len(gTotal),
			ms(median(dTotal)), ms(median(gTotal)), fmt.Sprintf("%.3f (<= 1.05)", ratio), paired[len(paired)/2],
			ms(median(dFirst)), ms(median(gFirst)), firstRatio, fmt.Sprintf("%+.2f ms (<= 5 ms)", added))
		span := func(tot, first []time.Duration) string {
			d := make([]time.Duration, len(tot))
			for i := range tot {
				d[i] = tot[i] - first[i]
			}
			return ms(median(d))
		}
		fmt.Printf("%12s streaming after the first token: direct %s, gateway %s\n", "", span(dTotal, dFirst), span(gTotal, gFirst))
		b.ReportMetric(ratio, fmt.Sprintf("total-ratio@c%d", c.conc))
		b.ReportMetric(paired[len(paired)/2], fmt.Sprintf("paired-total-ratio@c%d", c.conc))
		b.ReportMetric(firstRatio, fmt.Sprintf("first-token-ratio@c%d", c.conc))
		b.ReportMetric(added, fmt.Sprintf("first-token-added-ms@c%d", c.conc))
	}
}

// startBinary builds shopdesk and runs it as its own process, as in a
// deployment, so the benchmark's client does not share its Go runtime.
func startBinary(b *testing.B, args ...string) string {
	b.Helper()
	dir := b.TempDir()
	bin := filepath.Join(dir, "shopdesk")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		b.Fatalf("build: %v\n%s", err, out)
	}
	stdout := &syncBuffer{}
	cmd := exec.Command(bin, append([]string{"serve", "--addr", "127.0.0.1:0", "--data", filepath.Join(dir, "data")}, args...)...)
	cmd.Env = []string{"HOME=" + dir, "PATH=" + os.Getenv("PATH")}
	cmd.Stdout, cmd.Stderr = stdout, os.Stderr
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { cmd.Process.Signal(os.Interrupt); cmd.Wait() })
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		if _, rest, ok := strings.Cut(stdout.String(), "shopdesk is listening on "); ok {
			return strings.Fields(rest)[0]
		}
		time.Sleep(10 * time.Millisecond)
	}
	b.Fatal("shopdesk did not start")
	return ""
}
