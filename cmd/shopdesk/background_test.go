package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/shopdesk/shopdesk/index"
	"github.com/shopdesk/shopdesk/inference"
	"github.com/shopdesk/shopdesk/models"
)

var quiet = slog.New(slog.DiscardHandler)

// Shutdown while background work writes to the stores: the work is
// cancelled and has stopped before the stores close, so it never writes
// to a closed database or index.
func TestShutdownStopsBackgroundWorkBeforeTheStoresClose(t *testing.T) {
	cfg, _, err := loadConfig("serve", []string{"--data", t.TempDir(), "--vector-store", "none"}, env(nil), io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	kb, err := openKnowledge(context.Background(), cfg, nil, &models.Catalog{}, quiet)
	if err != nil {
		t.Fatal(err)
	}
	bg := newBackground()
	var mu sync.Mutex
	var errs []error
	wrote := make(chan struct{}, 1)
	bg.Go(context.Background(), "ingest loop", func(ctx context.Context) {
		for i := 0; ctx.Err() == nil; i++ {
			doc := index.Document{ID: fmt.Sprint("doc-", i), Title: "Returns", Text: fmt.Sprint("Return item ", i, " within 30 days.")}
			if _, err := kb.Ingest(ctx, "default", []index.Document{doc}, nil); err != nil {
				mu.Lock()
				errs = append(errs, err)
				mu.Unlock()
			}
			select {
			case wrote <- struct{}{}:
			default:
			}
		}
	})
	<-wrote // the loop is writing
	if err := bg.Stop(quiet, time.Minute); err != nil {
		t.Fatal(err)
	}
	if err := kb.Close(); err != nil {
		t.Fatalf("closing the stores: %v", err)
	}
	mu.Lock()
	defer mu.Unlock()
	for _, err := range errs {
		if strings.Contains(err.Error(), "closed") {
			t.Errorf("background work wrote to a closed store: %v", err)
		}
	}
	// Nothing starts once stopped.
	ran := false
	bg.Go(context.Background(), "late", func(context.Context) { ran = true })
	if err := bg.Stop(quiet, time.Minute); err != nil || ran {
		t.Errorf("after Stop: ran %v, second Stop %v", ran, err)
	}
}

// Work that ignores cancellation does not hold shutdown past the grace
// period, and is named.
func TestBackgroundStopGivesUpAfterGrace(t *testing.T) {
	bg := newBackground()
	release := make(chan struct{})
	defer close(release)
	bg.Go(context.Background(), "stuck delivery", func(context.Context) { <-release })
	bg.Go(context.Background(), "polite", func(ctx context.Context) { <-ctx.Done() })
	err := bg.Stop(quiet, 10*time.Millisecond)
	if err == nil || !strings.Contains(err.Error(), "stuck delivery") || strings.Contains(err.Error(), "polite") {
		t.Fatalf("Stop = %v, want the stuck one named", err)
	}
}

type blockingChat struct{}

func (blockingChat) Chat(ctx context.Context, _ inference.ChatRequest, _ func(inference.ChatChunk) error) error {
	<-ctx.Done()
	return ctx.Err()
}

// A model call that outlives its request (a conversation summary) ends
// when the background stops.
func TestModelCallsEndAtStop(t *testing.T) {
	bg := newBackground()
	chat := bg.untilStopped(blockingChat{})
	done := make(chan error, 1)
	go func() { done <- chat.Chat(context.Background(), inference.ChatRequest{}, nil) }()
	bg.Stop(quiet, time.Minute)
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Fatalf("the call returned %v, want it cancelled", err)
	}
}
