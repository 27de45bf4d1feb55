package training

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/shopdesk/shopdesk/conversation"
	"github.com/shopdesk/shopdesk/lang"
	"github.com/shopdesk/shopdesk/prompts"
	"github.com/shopdesk/shopdesk/sentiment"
)

// Rating is a verdict on one assistant message of a conversation.
type Rating struct {
	ConversationID string
	// Seq is the rated assistant message's sequence number.
	Seq int
	// Up is a thumbs-up; anything else is not confirmation.
	Up bool
	At time.Time
}

// Ratings lists the ratings of a tenant's assistant messages given at or
// after since (zero: all), in any order. The feedback store implements
// it; a message rated more than once counts by its latest rating.
type Ratings interface {
	Ratings(ctx context.Context, tenant string, since time.Time) ([]Rating, error)
}

// Conversations loads a conversation; *conversation.Store is one.
// conversation.ErrNotFound (pruned or erased since) skips the rating.
type Conversations interface {
	Load(ctx context.Context, tenant, id string) (*conversation.Conversation, error)
}

// RatedConversations is the Source of conversations confirmed by a
// thumbs-up: each up-rated assistant message, with the shopper message
// before it, is one example. Ratings and Conversations are required.
type RatedConversations struct {
	Ratings       Ratings
	Conversations Conversations
	// Persona is the tenant's persona, for the system prompt; nil means
	// the default persona.
	Persona func(tenant string) prompts.Persona
	// Passage returns the full text of a cited knowledge-base document;
	// without it (or when it is not found, as for order and product facts)
	// the source's stored snippet stands in.
	Passage func(ctx context.Context, tenant, id string) (title, text string, ok bool)
	// Names returns the names of the conversation's customer, to remove;
	// nil, or a conversation without a customer, removes none.
	Names func(ctx context.Context, tenant, customerID string) []string
}

// Examples returns the tenant's up-rated assistant messages since since.
// The system prompt is rebuilt with prompts.AnswerSystem from what the
// message stored: its cited sources, the language and mood of the
// shopper's message; the conversation summary and remembered details it
// was answered with are not stored per message and are left out.
// Messages stored as fallbacks (verbatim FAQ or "don't know") are
// skipped: the model did not write them.
func (r RatedConversations) Examples(ctx context.Context, tenant string, since time.Time) ([]Example, error) {
	if r.Ratings == nil || r.Conversations == nil {
		return nil, errors.New("rated conversations: Ratings and Conversations are required")
	}
	ratings, err := r.Ratings.Ratings(ctx, tenant, since)
	if err != nil {
		return nil, fmt.Errorf("ratings: %w", err)
	}
	latest := map[[2]any]Rating{}
	for _, rt := range ratings {
		k := [2]any{rt.ConversationID, rt.Seq}
		if prev, ok := latest[k]; !ok || !rt.At.Before(prev.At) {
			latest[k] = rt
		}
	}
	convs := map[string]*conversation.Conversation{}
	var out []Example
	for _, rt := range ratings {
		k := [2]any{rt.ConversationID, rt.Seq}
		if latest[k] != rt || !rt.Up || rt.At.Before(since) {
			continue
		}
		delete(latest, k) // once per message
		c, ok := convs[rt.ConversationID]
		if !ok {
			c, err = r.Conversations.Load(ctx, tenant, rt.ConversationID)
			if errors.Is(err, conversation.ErrNotFound) {
				continue
			}
			if err != nil {
				return nil, fmt.Errorf("conversation %s: %w", rt.ConversationID, err)
			}
			convs[rt.ConversationID] = c
		}
		if ex, ok := r.example(ctx, tenant, c, rt); ok {
			out = append(out, ex)
		}
	}
	return out, nil
}

// example builds the example of the rated message, if it is an answer
// the model wrote to a shopper message.
func (r RatedConversations) example(ctx context.Context, tenant string, c *conversation.Conversation, rt Rating) (Example, bool) {
	at := -1
	for i, m := range c.Messages {
		if m.Seq == rt.Seq {
			at = i
		}
	}
	if at < 1 || c.Messages[at].Role != conversation.RoleAssistant || c.Messages[at].Fallback {
		return Example{}, false
	}
	user := -1
	for i := at - 1; i >= 0 && user < 0; i-- {
		if c.Messages[i].Role == conversation.RoleUser {
			user = i
		}
	}
	if user < 0 {
		return Example{}, false
	}
	bot, asked := c.Messages[at], c.Messages[user]
	ex := Example{User: asked.Content, Assistant: bot.Content, Source: SourceConversation, At: rt.At}
	a := prompts.Answer{Language: lang.Detect(asked.Content)}
	if r.Persona != nil {
		a.Persona = r.Persona(tenant)
	}
	a.Negative = asked.Sentiment != nil && asked.Sentiment.Label == sentiment.Negative
	for i, s := range bot.Sources {
		src := prompts.Source{N: i + 1, Title: s.Title, URL: s.URL, Text: s.Snippet}
		if r.Passage != nil {
			if title, text, ok := r.Passage(ctx, tenant, s.ID); ok {
				src.Title, src.Text = title, text
				ex.Public = append(ex.Public, text)
			}
		}
		a.Sources = append(a.Sources, src)
	}
	ex.System = prompts.AnswerSystem(a)
	if r.Names != nil && c.CustomerID != "" {
		ex.Names = r.Names(ctx, tenant, c.CustomerID)
	}
	return ex, true
}
