package inference

import (
	"context"
	"encoding/json"
	"time"

	"github.com/ollama/ollama/api"
)

// These are Ollama's own message types, used unchanged.
type (
	// Message is one chat message.
	Message = api.Message
	// ToolCall is a function call made by the model.
	ToolCall = api.ToolCall
	// Tool describes a function the model may call.
	Tool = api.Tool
	// ImageData is the raw bytes of an image sent to a vision model.
	ImageData = api.ImageData
	// ThinkValue asks reasoning models to think (true/false or a level).
	ThinkValue = api.ThinkValue
	// Logprob is the log probability of one generated token.
	Logprob = api.Logprob
)

// ChatRequest is one chat generation.
type ChatRequest struct {
	// Model is the Ollama tag.
	Model    string
	Messages []Message
	Tools    []Tool
	// Format constrains the output: the JSON string "json", or a JSON schema.
	Format json.RawMessage
	// Options are Ollama options (num_ctx, temperature, num_predict, stop...).
	Options   map[string]any
	KeepAlive *time.Duration
	Think     *ThinkValue
	// Logprobs asks for the log probability of each generated token, with
	// TopLogprobs alternatives.
	Logprobs    bool
	TopLogprobs int
	// Stream delivers the answer piece by piece; otherwise the callback is
	// called once with the whole answer.
	Stream bool
}

// ChatChunk is a piece of a chat answer; the last one has Done set and
// carries the reason and token counts.
type ChatChunk struct {
	Content    string
	Thinking   string
	ToolCalls  []ToolCall
	Logprobs   []Logprob
	Done       bool
	DoneReason string // "stop", "length", ...
	// PromptTokens and CompletionTokens are set on the last chunk.
	PromptTokens     int
	CompletionTokens int
}

// Chat runs req and calls fn with each chunk as it arrives. An error that
// fn returns stops the generation and is returned as is. Failures of
// Ollama are *Error values; once fn has been called, a failure is returned
// rather than retried, since part of the answer is already out.
func (c *Client) Chat(ctx context.Context, req ChatRequest, fn func(ChatChunk) error) error {
	areq := &api.ChatRequest{
		Model:       req.Model,
		Messages:    req.Messages,
		Tools:       req.Tools,
		Format:      req.Format,
		Options:     req.Options,
		Think:       req.Think,
		Logprobs:    req.Logprobs,
		TopLogprobs: req.TopLogprobs,
		Stream:      &req.Stream,
	}
	if req.KeepAlive != nil {
		areq.KeepAlive = &api.Duration{Duration: *req.KeepAlive}
	}
	return c.call(ctx, (*Host).genLimiter, req.Model, func(h *Host, started *bool) error {
		done := false
		err := chatStream(ctx, h.http, h.base, areq, func(r *streamLine) error {
			*started = true
			done = r.Done
			chunk := ChatChunk{
				Content:    r.Message.Content,
				Thinking:   r.Message.Thinking,
				ToolCalls:  r.Message.ToolCalls,
				Logprobs:   r.Logprobs,
				Done:       r.Done,
				DoneReason: r.DoneReason,
			}
			if r.Done {
				chunk.PromptTokens = r.PromptEvalCount
				chunk.CompletionTokens = r.EvalCount
			}
			if err := fn(chunk); err != nil {
				return callbackError{err}
			}
			return nil
		})
		if err == nil && !done {
			return errIncomplete
		}
		return err
	})
}

func (h *Host) genLimiter() *limiter { return h.gen }
func (h *Host) embLimiter() *limiter { return h.emb }
