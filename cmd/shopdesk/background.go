package main

import (
	"context"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/shopdesk/shopdesk/assistant"
	"github.com/shopdesk/shopdesk/inference"
)

// backgroundGrace is how long shutdown waits for background work to
// stop once cancelled, before it closes the stores anyway.
const backgroundGrace = 15 * time.Second

// background tracks the server's own goroutines (catalog watching, the
// hand-off outbox, re-embedding, conversation summaries), so that
// shutdown cancels them and waits for them, up to a deadline, before the
// stores they write to are closed. It is safe for concurrent use.
type background struct {
	mu      sync.Mutex
	cancels []context.CancelFunc
	running map[string]int
	wg      sync.WaitGroup
	stop    chan struct{} // closed by Stop
	stopped bool
}

func newBackground() *background {
	return &background{running: map[string]int{}, stop: make(chan struct{})}
}

// Go runs fn in a goroutine, under a context that ends with ctx or when
// Stop is called. After Stop, fn is not run.
func (b *background) Go(ctx context.Context, name string, fn func(ctx context.Context)) {
	ctx, cancel := context.WithCancel(ctx)
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.stopped {
		cancel()
		return
	}
	b.cancels = append(b.cancels, cancel)
	b.running[name]++
	b.wg.Add(1)
	go func() {
		defer b.wg.Done()
		defer func() {
			b.mu.Lock()
			b.running[name]--
			b.mu.Unlock()
		}()
		fn(ctx)
	}()
}

// Stop cancels every goroutine and waits until they have returned, or
// until grace has passed; the error then names those still running.
// Later calls return nil at once.
func (b *background) Stop(log *slog.Logger, grace time.Duration) error {
	b.mu.Lock()
	if b.stopped {
		b.mu.Unlock()
		return nil
	}
	b.stopped = true
	close(b.stop)
	for _, cancel := range b.cancels {
		cancel()
	}
	b.mu.Unlock()

	done := make(chan struct{})
	go func() { b.wg.Wait(); close(done) }()
	timer := time.NewTimer(grace)
	defer timer.Stop()
	select {
	case <-done:
		return nil
	case <-timer.C:
	}
	b.mu.Lock()
	var names []string
	for name, n := range b.running {
		if n > 0 {
			names = append(names, name)
		}
	}
	b.mu.Unlock()
	slices.Sort(names)
	err := fmt.Errorf("background work still running after %s: %s", grace, strings.Join(names, ", "))
	log.Warn("closing the stores while background work still runs", "err", err)
	return err
}

// untilStopped returns g with its calls also ending when b stops: the
// summaries the assistant writes after a turn outlive their request, and
// must not go on into closed stores.
func (b *background) untilStopped(g assistant.Generator) assistant.Generator {
	return stoppingChat{g, b.stop}
}

type stoppingChat struct {
	assistant.Generator
	stop <-chan struct{}
}

func (s stoppingChat) Chat(ctx context.Context, req inference.ChatRequest, fn func(inference.ChatChunk) error) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	go func() {
		select {
		case <-s.stop:
			cancel()
		case <-ctx.Done():
		}
	}()
	return s.Generator.Chat(ctx, req, fn)
}
