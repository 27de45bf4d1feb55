package conversation

import (
	"sync"
	"time"
)

// The kinds of Event.
const (
	// EventMessage: a message joined the transcript (shopper, assistant or
	// person).
	EventMessage = "message"
	// EventEscalated: the conversation now waits for a person.
	EventEscalated = "escalated"
	// EventClaimed: a person took the conversation over (Event.By).
	EventClaimed = "claimed"
	// EventHandedBack: the person gave it back to the assistant.
	EventHandedBack = "handed_back"
	// EventResolved: a person marked it resolved.
	EventResolved = "resolved"
	// EventRated: the shopper rated an answer or the conversation.
	EventRated = "rated"
)

// Event is a change to a conversation, as it happens. Events are
// notifications: what they announce is already stored, so a subscriber
// that misses some (it fell behind, or reconnected) reads the
// conversation again.
type Event struct {
	Type           string    `json:"type"`
	Tenant         string    `json:"-"`
	ConversationID string    `json:"conversation_id"`
	Message        *Message  `json:"message,omitempty"`
	By             string    `json:"by,omitempty"`
	At             time.Time `json:"at"`
}

// eventBuffer is how many events a subscriber may fall behind by before
// newer ones are dropped for it.
const eventBuffer = 64

// Hub delivers events to the subscribers of a conversation, or of a whole
// tenant. It is safe for concurrent use; publishing never blocks.
type Hub struct {
	mu   sync.Mutex
	subs map[subKey]map[chan Event]struct{}
}

type subKey struct{ tenant, id string }

func newHub() *Hub { return &Hub{subs: map[subKey]map[chan Event]struct{}{}} }

// Subscribe returns the events of the tenant's conversation id, or of
// every conversation of the tenant when id is empty, until cancel is
// called.
func (h *Hub) Subscribe(tenant, id string) (events <-chan Event, cancel func()) {
	ch := make(chan Event, eventBuffer)
	k := subKey{tenant, id}
	h.mu.Lock()
	if h.subs[k] == nil {
		h.subs[k] = map[chan Event]struct{}{}
	}
	h.subs[k][ch] = struct{}{}
	h.mu.Unlock()
	var once sync.Once
	return ch, func() {
		once.Do(func() {
			h.mu.Lock()
			delete(h.subs[k], ch)
			if len(h.subs[k]) == 0 {
				delete(h.subs, k)
			}
			h.mu.Unlock()
		})
	}
}

func (h *Hub) publish(e Event) {
	if e.At.IsZero() {
		e.At = time.Now().UTC()
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	for _, k := range []subKey{{e.Tenant, e.ConversationID}, {e.Tenant, ""}} {
		for ch := range h.subs[k] {
			select {
			case ch <- e:
			default: // a slow subscriber re-reads the conversation
			}
		}
	}
}

// Subscribe returns the events of the tenant's conversation id (every
// conversation of the tenant for an empty id) until cancel is called.
func (s *Store) Subscribe(tenant, id string) (events <-chan Event, cancel func()) {
	return s.hub.Subscribe(tenant, id)
}
