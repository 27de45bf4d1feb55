package server

import (
	"context"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/shopdesk/shopdesk/inference"
	"github.com/shopdesk/shopdesk/models"
)

// chatCompletions serves POST /v1/chat/completions.
func (s *Server) chatCompletions(c *gin.Context) error {
	var req chatCompletionRequest
	if err := s.readJSON(c, &req); err != nil {
		return err
	}
	entry, err := s.lookup(c, req.Model, models.KindChat)
	if err != nil {
		return err
	}
	plan, aerr := convertChatRequest(&req, entry)
	if aerr != nil {
		return aerr
	}
	ctx, cancel := context.WithTimeout(c.Request.Context(), s.opts.RequestTimeout)
	defer cancel()
	id, created := newID("chatcmpl-"), time.Now().Unix()
	if plan.Stream {
		return s.streamChat(ctx, c, plan, entry.ID, id, created)
	}
	var a answer
	if err := s.opts.Chat.Chat(ctx, plan.Request, func(ch inference.ChatChunk) error {
		a.add(ch)
		return nil
	}); err != nil {
		return err
	}
	if plan.Forced != nil {
		a.resolveForced(plan.Forced)
	}
	s.metrics.countTokens(a.usage())
	c.JSON(http.StatusOK, a.completion(id, entry.ID, created))
	return nil
}

// lookup resolves a model ID from the request to a catalog entry of kind.
func (s *Server) lookup(c *gin.Context, id string, kind models.Kind) (models.Entry, error) {
	if id == "" {
		return models.Entry{}, invalid("model", "model is required; GET /v1/models lists the choices")
	}
	entry, ok := s.opts.Models.Catalog().Lookup(id)
	if !ok {
		return models.Entry{}, modelNotFound(id)
	}
	c.Set(keyModel, entry.ID)
	if entry.Kind != kind {
		endpoint := "/v1/chat/completions"
		if entry.Kind == models.KindEmbedding {
			endpoint = "/v1/embeddings"
		}
		return models.Entry{}, invalid("model", "%q is a %s model; use it with %s", id, entry.Kind, endpoint)
	}
	return entry, nil
}

// streamChat sends the answer as server-sent events. Until the first event
// is out, a failure is an ordinary error response; after it, the stream
// ends with one error event and no [DONE].
func (s *Server) streamChat(ctx context.Context, c *gin.Context, plan chatPlan, model, id string, created int64) error {
	sse := newSSE(c.Writer)
	var a answer
	sentRole := false
	emit := func(delta chunkDelta, logprobs []inference.Logprob, finish *string) error {
		if !sentRole {
			delta.Role, sentRole = "assistant", true
		}
		choice := chunkChoice{Delta: delta, FinishReason: finish}
		if logprobs != nil {
			choice.Logprobs = &choiceLogprobs{Content: logprobs}
		}
		return sse.send(chatCompletionChunk{ID: id, Object: "chat.completion.chunk", Created: created, Model: model,
			Choices: []chunkChoice{choice}})
	}
	start := time.Now()
	err := s.opts.Chat.Chat(ctx, plan.Request, func(ch inference.ChatChunk) error {
		if !sse.started {
			s.metrics.observeFirstToken(time.Since(start))
		}
		first := len(a.toolCalls)
		a.add(ch)
		if plan.Forced != nil {
			return nil // the call is known only once the whole output is in
		}
		delta := chunkDelta{Content: ch.Content, ReasoningContent: ch.Thinking, ToolCalls: a.toolCalls[first:]}
		if sentRole && delta.Content == "" && delta.ReasoningContent == "" && len(delta.ToolCalls) == 0 && ch.Logprobs == nil {
			return nil
		}
		return emit(delta, ch.Logprobs, nil)
	})
	if err == nil && plan.Forced != nil {
		a.resolveForced(plan.Forced)
		err = emit(chunkDelta{Content: a.content.String(), ToolCalls: a.toolCalls}, nil, nil)
	}
	if err == nil {
		finish := a.finishReason()
		err = emit(chunkDelta{}, nil, &finish)
	}
	if err == nil && plan.IncludeUsage {
		u := a.usage()
		err = sse.send(chatCompletionChunk{ID: id, Object: "chat.completion.chunk", Created: created, Model: model,
			Choices: []chunkChoice{}, Usage: &u})
	}
	if err == nil {
		err = sse.done()
	}
	if err != nil {
		if !sse.started {
			return err
		}
		s.endStream(c, sse, err)
		return nil
	}
	s.metrics.countTokens(a.usage())
	return nil
}

// endStream reports a failure inside a started stream as its last event.
func (s *Server) endStream(c *gin.Context, sse *sseWriter, err error) {
	ae := toAPIError(err, requestID(c))
	s.logError(c, ae)
	s.metrics.countStreamError(ae.Code)
	if ae.Status == statusClientClosed {
		return
	}
	sse.send(ae.body())
}
