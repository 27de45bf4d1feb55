package conversation

import (
	"context"
	"encoding/json"
	"errors"
	"testing"
	"time"
)

// escalate saves a turn of conversation id that hands it to a person,
// with notice hid.
func escalate(t *testing.T, s *Store, tn, id, hid string, at time.Time) {
	t.Helper()
	c := &Conversation{ID: id, Tenant: tn, Escalated: true, EscalationReason: "requested", EscalatedAt: &at}
	h := &Handoff{ID: hid, Tenant: tn, ConversationID: id, Payload: json.RawMessage(`{"conversation_id":"` + id + `"}`), CreatedAt: at}
	if err := s.Save(context.Background(), c, []Message{{Role: RoleUser, Content: "a person, please"}}, h); err != nil {
		t.Fatal(err)
	}
}

func pendingIDs(t *testing.T, s *Store, limit int) []string {
	t.Helper()
	hs, err := s.PendingHandoffs(context.Background(), limit)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, h := range hs {
		ids = append(ids, h.ID)
	}
	return ids
}

func TestHandoffOutbox(t *testing.T) {
	ctx := context.Background()
	s := openStore(t)
	base := time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC)
	escalate(t, s, "acme", "c2", "h2", base.Add(time.Minute))
	escalate(t, s, "globex", "c1", "h1", base)
	escalate(t, s, "acme", "c3", "h3", base.Add(2*time.Minute))

	hs, err := s.PendingHandoffs(ctx, 10)
	if err != nil || len(hs) != 3 {
		t.Fatalf("pending = %+v, %v", hs, err)
	}
	if h := hs[0]; h.ID != "h1" || h.Tenant != "globex" || h.ConversationID != "c1" || h.Attempts != 0 ||
		string(h.Payload) != `{"conversation_id":"c1"}` || !h.CreatedAt.Equal(base) {
		t.Errorf("oldest pending notice %+v", h)
	}
	if ids := pendingIDs(t, s, 2); len(ids) != 2 || ids[0] != "h1" || ids[1] != "h2" {
		t.Errorf("pending, oldest first, at most 2: %v", ids)
	}

	// A failed delivery stays pending, with the attempt counted.
	if err := s.HandoffFailed(ctx, "h1", errors.New("webhook answered 502")); err != nil {
		t.Fatal(err)
	}
	if err := s.HandoffFailed(ctx, "h1", errors.New("webhook answered 502")); err != nil {
		t.Fatal(err)
	}
	hs, _ = s.PendingHandoffs(ctx, 1)
	if len(hs) != 1 || hs[0].ID != "h1" || hs[0].Attempts != 2 {
		t.Errorf("after two failures: %+v", hs)
	}
	var lastErr string
	s.db.QueryRow(`SELECT last_error FROM handoffs WHERE id = 'h1'`).Scan(&lastErr)
	if lastErr != "webhook answered 502" {
		t.Errorf("last error %q", lastErr)
	}

	// Delivered notices leave the queue; the others stay in order.
	if err := s.HandoffDelivered(ctx, "h1"); err != nil {
		t.Fatal(err)
	}
	if err := s.HandoffDelivered(ctx, "h3"); err != nil {
		t.Fatal(err)
	}
	if ids := pendingIDs(t, s, 10); len(ids) != 1 || ids[0] != "h2" {
		t.Errorf("pending after deliveries: %v", ids)
	}
	s.db.QueryRow(`SELECT last_error FROM handoffs WHERE id = 'h1'`).Scan(&lastErr)
	if lastErr != "" {
		t.Errorf("a delivered notice keeps its last error %q", lastErr)
	}
}

// A conversation is never marked escalated without its notice: when the
// notice cannot be queued, the whole turn is refused.
func TestEscalationAndNoticeAreOneWrite(t *testing.T) {
	ctx := context.Background()
	s := openStore(t)
	at := time.Now()
	escalate(t, s, "acme", "first", "dup", at)

	c := &Conversation{ID: "second", Tenant: "acme", Escalated: true, EscalationReason: "requested", EscalatedAt: &at}
	h := &Handoff{ID: "dup", Tenant: "acme", ConversationID: "second", Payload: json.RawMessage(`{}`)}
	if err := s.Save(ctx, c, []Message{{Role: RoleUser, Content: "a person"}}, h); err == nil {
		t.Fatal("a notice with a repeated ID was queued")
	}
	if _, err := s.Load(ctx, "acme", "second"); !errors.Is(err, ErrNotFound) {
		t.Errorf("the conversation was saved without its notice: %v", err)
	}
	if ids := pendingIDs(t, s, 10); len(ids) != 1 || ids[0] != "dup" {
		t.Errorf("pending %v", ids)
	}
}
