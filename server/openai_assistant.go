package server

import (
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/shopdesk/shopdesk/assistant"
	"github.com/shopdesk/shopdesk/conversation"
	"github.com/shopdesk/shopdesk/models"
)

// headerConversation names the conversation an assistant request
// continues; the response carries it back.
const headerConversation = "X-Conversation-ID"

// assistantCompletion serves /v1/chat/completions for an assistant
// entry: the last message is the shopper's, answered by the grounded
// pipeline. The conversation is the X-Conversation-ID header's, or the
// request's "user"; without either, a new one seeded with the messages
// sent. Client system messages are ignored: the merchant's configuration
// sets the assistant's rules.
func (s *Server) assistantCompletion(c *gin.Context, req *chatCompletionRequest, entry models.Entry) error {
	if err := s.assistantEnabled(); err != nil {
		return err
	}
	if err := refuseUnsupported(req); err != nil {
		return err
	}
	switch {
	case len(req.Tools) > 0 || !isNull(req.ToolChoice):
		return unsupported("tools", "the %s assistant chooses its own tools; send tools to a chat model instead", entry.ID)
	case req.ResponseFormat != nil && req.ResponseFormat.Type != "" && req.ResponseFormat.Type != "text":
		return unsupported("response_format", "the %s assistant answers in text; use a chat model for %s output", entry.ID, req.ResponseFormat.Type)
	case req.Logprobs != nil && *req.Logprobs:
		return unsupported("logprobs", "logprobs are not available from the %s assistant", entry.ID)
	}
	msgs, aerr := convertMessages(req.Messages)
	if aerr != nil {
		return aerr
	}
	last := msgs[len(msgs)-1]
	if last.Role != "user" || strings.TrimSpace(last.Content) == "" {
		return invalid("messages", "the last message must be the shopper's (role user) and have text")
	}
	var history []conversation.Message
	for _, m := range msgs[:len(msgs)-1] {
		if (m.Role == "user" || m.Role == "assistant") && strings.TrimSpace(m.Content) != "" {
			history = append(history, conversation.Message{Role: m.Role, Content: m.Content})
		}
	}
	convID := strings.TrimSpace(c.GetHeader(headerConversation))
	if convID == "" {
		convID = req.User
	}
	if convID != "" {
		if err := conversation.ValidateID(convID); err != nil {
			return invalid("user", "%v", err)
		}
	}
	opts := map[string]any{}
	if err := applySampling(req, opts); err != nil {
		return err
	}
	if req.StreamOptions != nil && !req.Stream {
		return invalid("stream_options", "stream_options is only allowed when stream is true")
	}
	cat := s.opts.Models.Catalog()
	gen := cat.Generator(entry)
	customer, err := s.customerOf(c, "")
	if err != nil {
		return err
	}
	areq := assistant.Request{Tenant: tenantOf(c), ConversationID: convID, Message: last.Content,
		CustomerID: customer, Source: sourceOf(c), Model: gen, History: history, Options: opts}
	ctx, cancel := s.requestContext(c)
	defer cancel()
	id, created := newID("chatcmpl-"), time.Now().Unix()
	if !req.Stream {
		reply, err := s.opts.Assistant.Answer(ctx, areq, nil)
		if err != nil {
			return modelError(err, gen)
		}
		c.Header(headerConversation, reply.ConversationID)
		u := usage{PromptTokens: reply.PromptTokens, CompletionTokens: reply.CompletionTokens,
			TotalTokens: reply.PromptTokens + reply.CompletionTokens}
		s.metrics.countTokens(u)
		text := reply.Answer
		c.JSON(http.StatusOK, chatCompletion{
			ID: id, Object: "chat.completion", Created: created, Model: entry.ID,
			Choices:         []chatChoice{{Index: 0, Message: responseMessage{Role: "assistant", Content: &text}, FinishReason: "stop"}},
			Usage:           u,
			assistantFields: assistantFieldsOf(reply),
		})
		return nil
	}

	includeUsage := req.StreamOptions != nil && req.StreamOptions.IncludeUsage
	sse := newSSE(c.Writer)
	sentRole := false
	start := time.Now()
	reply, err := s.opts.Assistant.Answer(ctx, areq, func(text string) error {
		if !sse.started {
			s.metrics.observeFirstToken(time.Since(start))
			if areq.ConversationID != "" {
				c.Header(headerConversation, areq.ConversationID)
			}
		}
		delta := chunkDelta{Content: text}
		if !sentRole {
			delta.Role, sentRole = "assistant", true
		}
		return sse.send(chunkOf(id, entry.ID, created, []chunkChoice{{Delta: delta}}, nil, includeUsage))
	})
	if err == nil {
		finish := "stop"
		delta := chunkDelta{}
		if !sentRole {
			delta.Role = "assistant"
		}
		err = sse.send(chunkOf(id, entry.ID, created, []chunkChoice{{Delta: delta, FinishReason: &finish}}, nil, includeUsage))
	}
	if err == nil {
		// The sources travel in a chunk of their own with no choices, as
		// usage does, so SDKs that only read choices are unaffected.
		ch := chunkOf(id, entry.ID, created, []chunkChoice{}, nil, false)
		ch.assistantFields = assistantFieldsOf(reply)
		err = sse.send(ch)
	}
	if err == nil && includeUsage {
		u := usage{PromptTokens: reply.PromptTokens, CompletionTokens: reply.CompletionTokens,
			TotalTokens: reply.PromptTokens + reply.CompletionTokens}
		err = sse.send(chunkOf(id, entry.ID, created, []chunkChoice{}, &u, true))
	}
	if err == nil {
		err = sse.done()
	}
	if err != nil {
		if !sse.started {
			return modelError(err, gen)
		}
		s.endStream(c, sse, modelError(err, gen))
	}
	return nil
}

func assistantFieldsOf(r assistant.Reply) assistantFields {
	sources := r.Sources
	if sources == nil {
		sources = []conversation.Source{}
	}
	return assistantFields{Sources: sources, ConversationID: r.ConversationID, Escalated: &r.Escalated, Fallback: &r.Fallback,
		Intent: r.Intent, IntentConfidence: &r.IntentConfidence, Sentiment: &r.Sentiment}
}
