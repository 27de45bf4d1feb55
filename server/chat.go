package server

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
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
	if e, ok := s.opts.Models.Catalog().Lookup(req.Model); ok && e.Kind == models.KindAssistant {
		c.Set(keyModel, e.ID)
		return s.assistantCompletion(c, &req, e)
	}
	entry, err := s.lookup(c, req.Model, models.KindChat)
	if err != nil {
		return err
	}
	plan, aerr := convertChatRequest(&req, entry)
	if aerr != nil {
		return aerr
	}
	ctx, cancel := s.requestContext(c)
	defer cancel()
	id, created := newID("chatcmpl-"), time.Now().Unix()
	if plan.Stream {
		return modelError(s.streamChat(ctx, c, plan, entry, id, created), entry)
	}
	var a answer
	if err := s.opts.Chat.Chat(ctx, plan.Request, func(ch inference.ChatChunk) error {
		a.add(ch)
		return nil
	}); err != nil {
		return modelError(err, entry)
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
func (s *Server) streamChat(ctx context.Context, c *gin.Context, plan chatPlan, entry models.Entry, id string, created int64) error {
	sse := newSSE(c.Writer)
	model := entry.ID
	var a answer
	sentRole := false
	emit := func(delta chunkDelta, logprobs []inference.Logprob, finish *string) error {
		if !sentRole {
			delta.Role, sentRole = "assistant", true
		}
		choice := chunkChoice{Delta: delta, FinishReason: finish}
		if logprobs != nil {
			choice.Logprobs = wireLogprobs(logprobs)
		}
		return sse.send(chunkOf(id, model, created, []chunkChoice{choice}, nil, plan.IncludeUsage))
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
		err = sse.send(chunkOf(id, model, created, []chunkChoice{}, &u, true))
	}
	if err == nil {
		err = sse.done()
	}
	if err != nil {
		if !sse.started {
			return err
		}
		s.endStream(c, sse, modelError(err, entry))
		return nil
	}
	s.metrics.countTokens(a.usage())
	return nil
}

// endStream reports a failure inside a started stream as its last event.
func (s *Server) endStream(c *gin.Context, sse *sseWriter, err error) {
	s.endStreamAs(c, sse, err, "")
}

// endStreamAs is endStream with the error sent as a named event (an
// unnamed data event when name is empty).
func (s *Server) endStreamAs(c *gin.Context, sse *sseWriter, err error, name string) {
	ae := s.apiErrorFor(c, err)
	s.logError(c, ae)
	if ae.Status == statusClientClosed {
		return
	}
	s.metrics.countStreamError(ae.Code)
	if name == "" {
		sse.send(ae.body())
		return
	}
	sse.event(name, ae.body())
}

// modelError names the catalog entry, not the Ollama tag behind it, in
// what Ollama said about a request: clients never see tags.
func modelError(err error, entry models.Entry) error {
	var ie *inference.Error
	if !errors.As(err, &ie) || ie.Kind != inference.ErrBadRequest {
		return err
	}
	// The model server's own words never reach the client: known refusals
	// are told in ours, naming the catalog entry rather than the tag.
	msg := fmt.Sprintf("The model %q rejected the request; check its parameters.", entry.ID)
	for _, known := range []struct{ upstream, ours string }{
		{"does not support thinking", "The model %q does not support reasoning_effort."},
		{"does not support tools", "The model %q does not support tools."},
		{"does not support insert", "The model %q does not support suffix completion."},
		{"does not support vision", "The model %q does not accept images."},
		{"does not support embeddings", "The model %q does not produce embeddings."},
	} {
		if strings.Contains(ie.Message, known.upstream) {
			msg = fmt.Sprintf(known.ours, entry.ID)
			break
		}
	}
	return &apiError{Status: http.StatusBadRequest, Type: "invalid_request_error", Code: "rejected_by_model", Message: msg, Err: err}
}

// requestContext bounds a model call by the configured request timeout.
func (s *Server) requestContext(c *gin.Context) (context.Context, context.CancelFunc) {
	return context.WithTimeout(c.Request.Context(), s.opts.RequestTimeout)
}

func chunkOf(id, model string, created int64, choices []chunkChoice, u *usage, withUsage bool) chatCompletionChunk {
	ch := chatCompletionChunk{ID: id, Object: "chat.completion.chunk", Created: created, Model: model, Choices: choices}
	if withUsage {
		ch.Usage = nullableUsage{u}
	}
	return ch
}
