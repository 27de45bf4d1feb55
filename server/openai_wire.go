package server

import (
	"github.com/shopdesk/shopdesk/conversation"
	"github.com/shopdesk/shopdesk/sentiment"

	"encoding/json"

	"github.com/shopdesk/shopdesk/inference"
)

// The OpenAI wire format, as far as shopdesk speaks it. Fields that take
// several JSON shapes are json.RawMessage and decoded by the converters.

type chatCompletionRequest struct {
	Model               string          `json:"model"`
	Messages            []chatMessage   `json:"messages"`
	Stream              bool            `json:"stream"`
	StreamOptions       *streamOptions  `json:"stream_options"`
	MaxTokens           *int            `json:"max_tokens"`
	MaxCompletionTokens *int            `json:"max_completion_tokens"`
	Temperature         *float64        `json:"temperature"`
	TopP                *float64        `json:"top_p"`
	Seed                *int64          `json:"seed"`
	Stop                json.RawMessage `json:"stop"`
	PresencePenalty     *float64        `json:"presence_penalty"`
	FrequencyPenalty    *float64        `json:"frequency_penalty"`
	ResponseFormat      *responseFormat `json:"response_format"`
	Tools               []chatTool      `json:"tools"`
	ToolChoice          json.RawMessage `json:"tool_choice"`
	Logprobs            *bool           `json:"logprobs"`
	TopLogprobs         *int            `json:"top_logprobs"`
	ReasoningEffort     *string         `json:"reasoning_effort"`
	User                string          `json:"user"`

	// Accepted and ignored: they do not change the answer.
	ParallelToolCalls *bool           `json:"parallel_tool_calls"`
	Metadata          json.RawMessage `json:"metadata"`
	Store             *bool           `json:"store"`
	ServiceTier       *string         `json:"service_tier"`

	// Refused with a 400 that names them.
	N                *int            `json:"n"`
	LogitBias        json.RawMessage `json:"logit_bias"`
	Audio            json.RawMessage `json:"audio"`
	Modalities       []string        `json:"modalities"`
	Prediction       json.RawMessage `json:"prediction"`
	WebSearchOptions json.RawMessage `json:"web_search_options"`
	Functions        json.RawMessage `json:"functions"`
	FunctionCall     json.RawMessage `json:"function_call"`
}

type streamOptions struct {
	IncludeUsage bool `json:"include_usage"`
}

type chatMessage struct {
	Role       string          `json:"role"`
	Content    json.RawMessage `json:"content"`
	Name       string          `json:"name"`
	ToolCalls  []wireToolCall  `json:"tool_calls"`
	ToolCallID string          `json:"tool_call_id"`
}

type contentPart struct {
	Type     string    `json:"type"`
	Text     *string   `json:"text"`
	ImageURL *imageURL `json:"image_url"`
}

type imageURL struct {
	URL string `json:"url"`
}

type responseFormat struct {
	Type       string      `json:"type"`
	JSONSchema *jsonSchema `json:"json_schema"`
}

type jsonSchema struct {
	Name   string          `json:"name"`
	Schema json.RawMessage `json:"schema"`
	Strict *bool           `json:"strict"`
}

type chatTool struct {
	Type     string        `json:"type"`
	Function *toolFunction `json:"function"`
}

type toolFunction struct {
	Name        string          `json:"name"`
	Description string          `json:"description"`
	Parameters  json.RawMessage `json:"parameters"`
	Strict      *bool           `json:"strict"`
}

type wireToolCall struct {
	Index    *int             `json:"index,omitempty"`
	ID       string           `json:"id"`
	Type     string           `json:"type"`
	Function wireFunctionCall `json:"function"`
}

type wireFunctionCall struct {
	Name      string `json:"name"`
	Arguments string `json:"arguments"`
}

type chatCompletion struct {
	ID      string       `json:"id"`
	Object  string       `json:"object"`
	Created int64        `json:"created"`
	Model   string       `json:"model"`
	Choices []chatChoice `json:"choices"`
	Usage   usage        `json:"usage"`
	assistantFields
}

// assistantFields are what assistant entries add to OpenAI's shapes: the
// sources the answer cites, numbered as [1], [2], the conversation, and
// how the message was read (intent and sentiment, with confidences).
type assistantFields struct {
	Sources          []conversation.Source `json:"sources,omitzero"`
	ConversationID   string                `json:"conversation_id,omitzero"`
	Escalated        *bool                 `json:"escalated,omitzero"`
	Fallback         *bool                 `json:"fallback,omitzero"`
	Intent           string                `json:"intent,omitzero"`
	IntentConfidence *float64              `json:"intent_confidence,omitzero"`
	Sentiment        *sentiment.Result     `json:"sentiment,omitzero"`
}

type chatChoice struct {
	Index        int             `json:"index"`
	Message      responseMessage `json:"message"`
	Logprobs     *choiceLogprobs `json:"logprobs"`
	FinishReason string          `json:"finish_reason"`
}

type responseMessage struct {
	Role             string         `json:"role"`
	Content          *string        `json:"content"`
	ReasoningContent string         `json:"reasoning_content,omitempty"`
	ToolCalls        []wireToolCall `json:"tool_calls,omitempty"`
	Refusal          *string        `json:"refusal"`
}

// choiceLogprobs is OpenAI's logprobs object: every field present, as
// clients that declare them required expect.
type choiceLogprobs struct {
	Content []tokenLogprob `json:"content"`
	Refusal *struct{}      `json:"refusal"`
}

type tokenLogprob struct {
	Token       string       `json:"token"`
	Logprob     float64      `json:"logprob"`
	Bytes       []int        `json:"bytes"`
	TopLogprobs []topLogprob `json:"top_logprobs"`
}

type topLogprob struct {
	Token   string  `json:"token"`
	Logprob float64 `json:"logprob"`
	Bytes   []int   `json:"bytes"`
}

func wireLogprobs(in []inference.Logprob) *choiceLogprobs {
	out := &choiceLogprobs{Content: make([]tokenLogprob, 0, len(in))}
	for _, lp := range in {
		t := tokenLogprob{Token: lp.Token, Logprob: lp.Logprob, Bytes: tokenBytes(lp.Token, lp.Bytes), TopLogprobs: []topLogprob{}}
		for _, alt := range lp.TopLogprobs {
			t.TopLogprobs = append(t.TopLogprobs, topLogprob{Token: alt.Token, Logprob: alt.Logprob, Bytes: tokenBytes(alt.Token, alt.Bytes)})
		}
		out.Content = append(out.Content, t)
	}
	return out
}

// tokenBytes returns the token's UTF-8 bytes as OpenAI lists them.
func tokenBytes(token string, given []int) []int {
	if given != nil {
		return given
	}
	out := make([]int, len(token))
	for i := 0; i < len(token); i++ {
		out[i] = int(token[i])
	}
	return out
}

type usage struct {
	PromptTokens     int `json:"prompt_tokens"`
	CompletionTokens int `json:"completion_tokens"`
	TotalTokens      int `json:"total_tokens"`
}

type chatCompletionChunk struct {
	ID      string        `json:"id"`
	Object  string        `json:"object"`
	Created int64         `json:"created"`
	Model   string        `json:"model"`
	Choices []chunkChoice `json:"choices"`
	// Usage, when the client asked for it (stream_options.include_usage),
	// is null on every chunk but the last; otherwise it is absent.
	Usage any `json:"usage,omitempty"`
	assistantFields
}

// nullableUsage encodes as null until the final usage is known.
type nullableUsage struct{ u *usage }

func (n nullableUsage) MarshalJSON() ([]byte, error) {
	if n.u == nil {
		return []byte("null"), nil
	}
	return json.Marshal(n.u)
}

type chunkChoice struct {
	Index        int             `json:"index"`
	Delta        chunkDelta      `json:"delta"`
	Logprobs     *choiceLogprobs `json:"logprobs"`
	FinishReason *string         `json:"finish_reason"`
}

type chunkDelta struct {
	Role             string         `json:"role,omitempty"`
	Content          string         `json:"content,omitempty"`
	ReasoningContent string         `json:"reasoning_content,omitempty"`
	ToolCalls        []wireToolCall `json:"tool_calls,omitempty"`
}

type embeddingRequest struct {
	Model          string          `json:"model"`
	Input          json.RawMessage `json:"input"`
	EncodingFormat string          `json:"encoding_format"`
	Dimensions     *int            `json:"dimensions"`
	User           string          `json:"user"`
}

type embeddingList struct {
	Object string          `json:"object"`
	Data   []embeddingData `json:"data"`
	Model  string          `json:"model"`
	Usage  embeddingUsage  `json:"usage"`
}

type embeddingData struct {
	Object    string `json:"object"`
	Index     int    `json:"index"`
	Embedding any    `json:"embedding"` // []float32, or a base64 string
}

type embeddingUsage struct {
	PromptTokens int `json:"prompt_tokens"`
	TotalTokens  int `json:"total_tokens"`
}

type modelObject struct {
	ID      string `json:"id"`
	Object  string `json:"object"`
	Created int64  `json:"created"`
	OwnedBy string `json:"owned_by"`
	// Kind and Description are shopdesk's additions: "chat" or "embedding".
	Kind        string `json:"kind"`
	Description string `json:"description,omitempty"`
}

type modelList struct {
	Object string        `json:"object"`
	Data   []modelObject `json:"data"`
}
