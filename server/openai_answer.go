package server

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"slices"
	"strings"

	"github.com/shopdesk/shopdesk/inference"
)

// newID returns prefix followed by 24 random hex digits.
func newID(prefix string) string {
	b := make([]byte, 12)
	rand.Read(b)
	return prefix + hex.EncodeToString(b)
}

// answer accumulates the chunks of one generation.
type answer struct {
	content   strings.Builder
	thinking  strings.Builder
	toolCalls []wireToolCall
	logprobs  []inference.Logprob
	done      inference.ChatChunk
}

func (a *answer) add(ch inference.ChatChunk) {
	a.content.WriteString(ch.Content)
	a.thinking.WriteString(ch.Thinking)
	a.toolCalls = append(a.toolCalls, wireToolCalls(ch.ToolCalls, len(a.toolCalls))...)
	a.logprobs = append(a.logprobs, ch.Logprobs...)
	if ch.Done {
		a.done = ch
	}
}

func (a *answer) usage() usage {
	return usage{
		PromptTokens:     a.done.PromptTokens,
		CompletionTokens: a.done.CompletionTokens,
		TotalTokens:      a.done.PromptTokens + a.done.CompletionTokens,
	}
}

// resolveForced turns a constrained {"name", "arguments"} answer into a
// tool call. If the output is not such a call (cut short by max_tokens,
// say) the text stays as content and no call is invented.
func (a *answer) resolveForced(allowed []string) {
	var out struct {
		Name      string          `json:"name"`
		Arguments json.RawMessage `json:"arguments"`
	}
	text := strings.TrimSpace(a.content.String())
	if json.Unmarshal([]byte(text), &out) != nil || !slices.Contains(allowed, out.Name) || !isObject(out.Arguments) {
		return
	}
	a.toolCalls = append(a.toolCalls, wireToolCall{
		Index:    ptr(len(a.toolCalls)),
		ID:       newID("call_"),
		Type:     "function",
		Function: wireFunctionCall{Name: out.Name, Arguments: string(out.Arguments)},
	})
	a.content.Reset()
}

// finishReason maps Ollama's done reason to OpenAI's.
func (a *answer) finishReason() string {
	if len(a.toolCalls) > 0 {
		return "tool_calls"
	}
	if a.done.DoneReason == "length" {
		return "length"
	}
	return "stop"
}

func (a *answer) completion(id, model string, created int64) chatCompletion {
	// Whole responses carry no index on tool calls; only stream deltas do.
	calls := slices.Clone(a.toolCalls)
	for i := range calls {
		calls[i].Index = nil
	}
	msg := responseMessage{Role: "assistant", ToolCalls: calls, ReasoningContent: a.thinking.String()}
	if text := a.content.String(); text != "" || len(a.toolCalls) == 0 {
		msg.Content = &text
	}
	choice := chatChoice{Index: 0, Message: msg, FinishReason: a.finishReason()}
	if a.logprobs != nil {
		choice.Logprobs = wireLogprobs(a.logprobs)
	}
	return chatCompletion{
		ID:      id,
		Object:  "chat.completion",
		Created: created,
		Model:   model,
		Choices: []chatChoice{choice},
		Usage:   a.usage(),
	}
}

// wireToolCalls converts Ollama's tool calls, numbering them from first.
func wireToolCalls(calls []inference.ToolCall, first int) []wireToolCall {
	out := make([]wireToolCall, 0, len(calls))
	for i, c := range calls {
		id := c.ID
		if id == "" {
			id = newID("call_")
		}
		out = append(out, wireToolCall{
			Index:    ptr(first + i),
			ID:       id,
			Type:     "function",
			Function: wireFunctionCall{Name: c.Function.Name, Arguments: c.Function.Arguments.String()},
		})
	}
	return out
}

func ptr[T any](v T) *T { return &v }
