package handoff

import (
	"context"
	"encoding/json"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/shopdesk/shopdesk/conversation"
)

// memQueue is an in-memory Queue.
type memQueue struct {
	mu        sync.Mutex
	pending   []conversation.Handoff
	delivered map[string]bool
	failed    map[string]int
}

func (q *memQueue) PendingHandoffs(_ context.Context, limit int) ([]conversation.Handoff, error) {
	q.mu.Lock()
	defer q.mu.Unlock()
	var out []conversation.Handoff
	for _, h := range q.pending {
		if !q.delivered[h.ID] && len(out) < limit {
			out = append(out, h)
		}
	}
	return out, nil
}

func (q *memQueue) HandoffDelivered(_ context.Context, id string) error {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.delivered[id] = true
	return nil
}

func (q *memQueue) HandoffFailed(_ context.Context, id string, _ error) error {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.failed[id]++
	return nil
}

type senderFunc func(context.Context, Event) error

func (f senderFunc) Send(ctx context.Context, e Event) error { return f(ctx, e) }

func notice(id, tenant string) conversation.Handoff {
	payload, _ := json.Marshal(Event{ID: id, Tenant: tenant, ConversationID: "c-" + id, Transcript: []Turn{{Role: "user", Content: "secret of " + tenant}}})
	return conversation.Handoff{ID: id, Tenant: tenant, ConversationID: "c-" + id, Payload: payload}
}

// Each merchant's notices go to its own webhook only; a merchant without
// one gets none, and a failing webhook is retried.
func TestOutboxSendsEachTenantToItsOwnWebhook(t *testing.T) {
	q := &memQueue{delivered: map[string]bool{}, failed: map[string]int{},
		pending: []conversation.Handoff{notice("a1", "acme"), notice("g1", "globex"), notice("n1", "nohook"), notice("a2", "acme"), {ID: "bad", Tenant: "acme", Payload: []byte("{")}}}
	var mu sync.Mutex
	got := map[string][]string{}
	hook := func(name string, fail *int) Sender {
		return senderFunc(func(_ context.Context, e Event) error {
			mu.Lock()
			defer mu.Unlock()
			if fail != nil && *fail > 0 {
				*fail--
				return errors.New("webhook down")
			}
			got[name] = append(got[name], e.Tenant+"/"+e.ID)
			return nil
		})
	}
	globexFailures := 1
	senders := map[string]Sender{"acme": hook("acme-url", nil), "globex": hook("globex-url", &globexFailures)}
	out := NewOutbox(OutboxOptions{Queue: q, Retry: 10 * time.Millisecond,
		SenderFor: func(t string) (Sender, bool) { s, ok := senders[t]; return s, ok }})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { out.Run(ctx); close(done) }()
	deadline := time.Now().Add(5 * time.Second)
	for {
		if p, _ := q.PendingHandoffs(ctx, 10); len(p) == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("notices still pending")
		}
		time.Sleep(5 * time.Millisecond)
	}
	cancel()
	<-done
	mu.Lock()
	defer mu.Unlock()
	if a := got["acme-url"]; len(a) != 2 || a[0] != "acme/a1" || a[1] != "acme/a2" {
		t.Errorf("acme's webhook got %v", a)
	}
	if g := got["globex-url"]; len(g) != 1 || g[0] != "globex/g1" {
		t.Errorf("globex's webhook got %v", g)
	}
	if q.failed["g1"] != 1 {
		t.Errorf("globex's failed delivery was recorded %d times", q.failed["g1"])
	}
	if !q.delivered["n1"] || !q.delivered["bad"] {
		t.Error("a notice without a webhook, or an unreadable one, stayed queued")
	}
}
