// Package ollamaproc runs a private Ollama server as a child process: on a
// free loopback port, with its own models directory, stopped with its
// children when shopdesk or a test is done with it.
package ollamaproc

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"time"
)

// Options configures a private Ollama.
type Options struct {
	// Bin is the ollama executable.
	Bin string
	// ModelsDir is where this Ollama keeps its models (OLLAMA_MODELS).
	ModelsDir string
	// Log receives Ollama's own output; nil discards it.
	Log io.Writer
	// Env adds OLLAMA_* settings (such as OLLAMA_NUM_PARALLEL=4).
	Env []string
	// StartTimeout bounds the wait for Ollama to answer; default 60s.
	StartTimeout time.Duration
}

// Process is a running private Ollama.
type Process struct {
	// URL is the base URL to reach it, http://127.0.0.1:PORT.
	URL string

	cmd      *exec.Cmd
	exited   chan struct{}
	stopOnce sync.Once
	tail     *tailWriter
}

// Start launches Ollama and waits until it answers. ctx bounds only the
// start; the process runs until Stop or Kill.
func Start(ctx context.Context, opts Options) (*Process, error) {
	if opts.Bin == "" {
		return nil, errors.New("ollamaproc: no ollama binary given")
	}
	if opts.StartTimeout <= 0 {
		opts.StartTimeout = 60 * time.Second
	}
	if err := os.MkdirAll(opts.ModelsDir, 0o755); err != nil {
		return nil, fmt.Errorf("ollamaproc: models directory: %w", err)
	}
	var lastErr error
	for range 3 { // a free port can be taken between probing and binding
		p, err := start(ctx, opts)
		if err == nil {
			return p, nil
		}
		lastErr = err
		if ctx.Err() != nil || !strings.Contains(err.Error(), "address already in use") {
			break
		}
	}
	return nil, lastErr
}

func start(ctx context.Context, opts Options) (*Process, error) {
	port, err := freePort()
	if err != nil {
		return nil, err
	}
	addr := fmt.Sprintf("127.0.0.1:%d", port)
	cmd := exec.Command(opts.Bin, "serve")
	cmd.Env = append(withoutOllamaAddr(os.Environ()), "OLLAMA_HOST="+addr, "OLLAMA_MODELS="+opts.ModelsDir)
	cmd.Env = append(cmd.Env, opts.Env...)
	tail := &tailWriter{max: 8 << 10}
	var out io.Writer = tail
	if opts.Log != nil {
		out = io.MultiWriter(opts.Log, tail)
	}
	cmd.Stdout, cmd.Stderr = out, out
	cmd.SysProcAttr = sysProcAttr()
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("ollamaproc: start %s: %w", opts.Bin, err)
	}
	p := &Process{URL: "http://" + addr, cmd: cmd, exited: make(chan struct{}), tail: tail}
	go func() {
		cmd.Wait()
		close(p.exited)
	}()

	ctx, cancel := context.WithTimeout(ctx, opts.StartTimeout)
	defer cancel()
	tick := time.NewTicker(100 * time.Millisecond)
	defer tick.Stop()
	for {
		// The port was free when chosen but another process may have taken
		// it since: only our Ollama's own line proves it answers there.
		if strings.Contains(p.tail.String(), "Listening on "+addr) && ping(ctx, p.URL) == nil {
			return p, nil
		}
		select {
		case <-p.exited:
			return nil, fmt.Errorf("ollamaproc: ollama exited during start: %s", p.tail.String())
		case <-ctx.Done():
			p.Kill()
			return nil, fmt.Errorf("ollamaproc: ollama did not answer on %s within %s: %s", addr, opts.StartTimeout, p.tail.String())
		case <-tick.C:
		}
	}
}

func ping(ctx context.Context, base string) error {
	ctx, cancel := context.WithTimeout(ctx, time.Second)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, base+"/api/version", nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("status %d", resp.StatusCode)
	}
	return nil
}

// Stop asks Ollama and the model runners it started to exit, and kills
// them if they have not within ten seconds.
func (p *Process) Stop() {
	p.stopOnce.Do(func() {
		signalGroup(p.cmd, syscall.SIGTERM)
		select {
		case <-p.exited:
		case <-time.After(10 * time.Second):
			signalGroup(p.cmd, syscall.SIGKILL)
			<-p.exited
		}
	})
}

// Kill ends Ollama and its runners at once, as a crash would.
func (p *Process) Kill() {
	signalGroup(p.cmd, syscall.SIGKILL)
	<-p.exited
}

func freePort() (int, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, fmt.Errorf("ollamaproc: find a free port: %w", err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port, nil
}

func withoutOllamaAddr(env []string) []string {
	out := env[:0:0]
	for _, kv := range env {
		if strings.HasPrefix(kv, "OLLAMA_HOST=") || strings.HasPrefix(kv, "OLLAMA_MODELS=") {
			continue
		}
		out = append(out, kv)
	}
	return out
}

// tailWriter keeps the last max bytes written, for error messages.
type tailWriter struct {
	mu  sync.Mutex
	buf []byte
	max int
}

func (w *tailWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.buf = append(w.buf, p...)
	if over := len(w.buf) - w.max; over > 0 {
		w.buf = append(w.buf[:0], w.buf[over:]...)
	}
	return len(p), nil
}

func (w *tailWriter) String() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return strings.TrimSpace(string(w.buf))
}
