package conversation

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/shopdesk/shopdesk/tenant"
)

// ErrHeld reports a conversation another person holds.
var ErrHeld = errors.New("conversation is held by another person")

// MaxAuthorRunes bounds the name of a person writing to shoppers.
const MaxAuthorRunes = 100

// MaxMessageRunes bounds a message a person writes.
const MaxMessageRunes = 8000

func checkAuthor(author string) error {
	if strings.TrimSpace(author) == "" || utf8.RuneCountInString(author) > MaxAuthorRunes || !utf8.ValidString(author) {
		return fmt.Errorf("author: 1 to %d characters", MaxAuthorRunes)
	}
	return nil
}

// Claim lets author take the tenant's conversation id over: the assistant
// stays silent until it is handed back or resolved. Claiming a
// conversation someone else holds fails with ErrHeld unless force is set.
func (s *Store) Claim(ctx context.Context, t, id, author string, force bool) error {
	if err := tenant.Validate(t); err != nil {
		return err
	}
	if err := checkAuthor(author); err != nil {
		return err
	}
	err := s.inTx(ctx, func(tx *sql.Tx) error { return claim(ctx, tx, t, id, author, force) })
	if err != nil {
		return err
	}
	s.hub.publish(Event{Type: EventClaimed, Tenant: t, ConversationID: id, By: author})
	return nil
}

func claim(ctx context.Context, tx *sql.Tx, t, id, author string, force bool) error {
	if err := checkHolder(ctx, tx, t, id, author, force); err != nil {
		return err
	}
	_, err := tx.ExecContext(ctx, `UPDATE conversations SET held_by = ?, resolved_at = NULL, updated_at = ? WHERE tenant = ? AND id = ?`,
		author, time.Now().UnixMilli(), t, id)
	return err
}

// checkHolder lets who act on the conversation: it fails with ErrHeld
// when another person holds it and force is not set, and with
// ErrNotFound when there is no such conversation.
func checkHolder(ctx context.Context, tx *sql.Tx, t, id, who string, force bool) error {
	var held string
	err := tx.QueryRowContext(ctx, `SELECT held_by FROM conversations WHERE tenant = ? AND id = ?`, t, id).Scan(&held)
	if errors.Is(err, sql.ErrNoRows) {
		return ErrNotFound
	}
	if err != nil {
		return fmt.Errorf("conversation %s: %w", id, err)
	}
	if held != "" && held != who && !force {
		return fmt.Errorf("%w (%s)", ErrHeld, held)
	}
	return nil
}

// AddAgentMessage appends a person's message to the shopper and, unless
// another person holds the conversation, claims it for them.
func (s *Store) AddAgentMessage(ctx context.Context, t, id, author, text string) (Message, error) {
	if err := tenant.Validate(t); err != nil {
		return Message{}, err
	}
	if err := checkAuthor(author); err != nil {
		return Message{}, err
	}
	text = strings.TrimSpace(text)
	if text == "" || !utf8.ValidString(text) || utf8.RuneCountInString(text) > MaxMessageRunes {
		return Message{}, fmt.Errorf("text: 1 to %d characters of valid UTF-8", MaxMessageRunes)
	}
	var saved []Message
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		if err := claim(ctx, tx, t, id, author, false); err != nil {
			return err
		}
		var err error
		saved, err = insertMessages(ctx, tx, t, id, []Message{{Role: RoleAgent, Content: text, Author: author}}, time.Now().UTC())
		return err
	})
	if err != nil {
		return Message{}, err
	}
	s.hub.publish(Event{Type: EventMessage, Tenant: t, ConversationID: id, Message: &saved[0], By: author})
	return saved[0], nil
}

// Handback returns the conversation to the assistant. When another
// person holds it, it fails with ErrHeld unless force is set (by taking
// it over), as Claim does; the holder, or anyone while nobody holds it,
// may hand it back.
func (s *Store) Handback(ctx context.Context, t, id, by string, force bool) error {
	if err := s.release(ctx, t, id, by, force, `held_by = ''`); err != nil {
		return err
	}
	s.hub.publish(Event{Type: EventHandedBack, Tenant: t, ConversationID: id, By: by})
	return nil
}

// Resolve marks the conversation resolved and returns it to the
// assistant; a new shopper message reopens it. Like Handback, it fails
// with ErrHeld when another person holds it, unless force is set.
func (s *Store) Resolve(ctx context.Context, t, id, by string, force bool) error {
	if err := s.release(ctx, t, id, by, force, fmt.Sprintf(`held_by = '', resolved_at = %d`, time.Now().UnixMilli())); err != nil {
		return err
	}
	s.hub.publish(Event{Type: EventResolved, Tenant: t, ConversationID: id, By: by})
	return nil
}

// release applies set to a conversation that by holds, nobody holds, or
// (with force) another person holds, in one transaction.
func (s *Store) release(ctx context.Context, t, id, by string, force bool, set string) error {
	if err := tenant.Validate(t); err != nil {
		return err
	}
	return s.inTx(ctx, func(tx *sql.Tx) error {
		if err := checkHolder(ctx, tx, t, id, by, force); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE conversations SET `+set+`, updated_at = ? WHERE tenant = ? AND id = ?`, time.Now().UnixMilli(), t, id); err != nil {
			return fmt.Errorf("conversation %s: %w", id, err)
		}
		return nil
	})
}

// Reopen clears a resolved mark, when the shopper writes again.
func (s *Store) Reopen(ctx context.Context, t, id string) error {
	return s.setHolder(ctx, t, id, `resolved_at = NULL`)
}

func (s *Store) setHolder(ctx context.Context, t, id, set string) error {
	if err := tenant.Validate(t); err != nil {
		return err
	}
	res, err := s.db.ExecContext(ctx, `UPDATE conversations SET `+set+`, updated_at = ? WHERE tenant = ? AND id = ?`, time.Now().UnixMilli(), t, id)
	if err != nil {
		return fmt.Errorf("conversation %s: %w", id, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return ErrNotFound
	}
	return nil
}
