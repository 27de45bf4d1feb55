package server

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/shopdesk/shopdesk/inference"
	"github.com/shopdesk/shopdesk/models"
	"github.com/shopdesk/shopdesk/prompts"
)

// chatPlan is a validated chat completion, ready for Ollama.
type chatPlan struct {
	Request      inference.ChatRequest
	Stream       bool
	IncludeUsage bool
	// Forced lists the tools one of which must be called (tool_choice
	// "required" or a named function). The model's output is then
	// constrained to {"name", "arguments"} JSON and turned into a tool call
	// here, so forcing works whatever the model's own tool support.
	Forced []string
}

// convertChatRequest checks req against what shopdesk supports and builds
// the Ollama request for entry. Every failure is a 400 naming the parameter.
func convertChatRequest(req *chatCompletionRequest, entry models.Entry) (chatPlan, *apiError) {
	if err := refuseUnsupported(req); err != nil {
		return chatPlan{}, err
	}
	msgs, err := convertMessages(req.Messages)
	if err != nil {
		return chatPlan{}, err
	}
	plan := chatPlan{
		Stream: req.Stream,
		Request: inference.ChatRequest{
			Model:     entry.Tag,
			Messages:  msgs,
			Options:   entry.RequestOptions(),
			KeepAlive: entry.KeepAlive,
			Stream:    req.Stream,
		},
	}
	if req.StreamOptions != nil {
		if !req.Stream {
			return chatPlan{}, invalid("stream_options", "stream_options is only allowed when stream is true")
		}
		plan.IncludeUsage = req.StreamOptions.IncludeUsage
	}
	if err := applySampling(req, plan.Request.Options); err != nil {
		return chatPlan{}, err
	}
	if err := applyResponseFormat(req.ResponseFormat, &plan.Request); err != nil {
		return chatPlan{}, err
	}
	if err := applyTools(req, &plan); err != nil {
		return chatPlan{}, err
	}
	if err := applyLogprobs(req, &plan.Request); err != nil {
		return chatPlan{}, err
	}
	if req.ReasoningEffort != nil {
		switch effort := *req.ReasoningEffort; effort {
		case "none", "minimal":
			plan.Request.Think = &inference.ThinkValue{Value: false}
		case "low", "medium", "high":
			plan.Request.Think = &inference.ThinkValue{Value: effort}
		default:
			return chatPlan{}, invalid("reasoning_effort", "reasoning_effort %q is not one of none, minimal, low, medium, high", effort)
		}
	}
	return plan, nil
}

func isNull(raw json.RawMessage) bool {
	t := bytes.TrimSpace(raw)
	return len(t) == 0 || bytes.Equal(t, []byte("null"))
}

// refuseUnsupported names the first OpenAI option shopdesk cannot honour.
func refuseUnsupported(req *chatCompletionRequest) *apiError {
	switch {
	case req.N != nil && *req.N != 1:
		return unsupported("n", "n=%d is not supported: shopdesk generates one choice per request (n=1)", *req.N)
	case !isNull(req.LogitBias) && !bytes.Equal(bytes.Join(bytes.Fields(req.LogitBias), nil), []byte("{}")):
		return unsupported("logit_bias", "logit_bias is not supported by the local model server")
	case !isNull(req.Audio):
		return unsupported("audio", "audio output is not supported")
	case len(req.Modalities) > 0 && !slices.Equal(req.Modalities, []string{"text"}):
		return unsupported("modalities", "modalities other than text are not supported")
	case !isNull(req.Prediction):
		return unsupported("prediction", "predicted outputs are not supported")
	case !isNull(req.WebSearchOptions):
		return unsupported("web_search_options", "web_search_options is not supported: shopdesk answers from local models only")
	case !isNull(req.Functions):
		return unsupported("functions", "functions is deprecated and not supported; use tools")
	case !isNull(req.FunctionCall):
		return unsupported("function_call", "function_call is deprecated and not supported; use tool_choice")
	}
	return nil
}

func convertMessages(in []chatMessage) ([]inference.Message, *apiError) {
	if len(in) == 0 {
		return nil, invalid("messages", "messages must contain at least one message")
	}
	callNames := map[string]string{} // tool call ID → function name
	out := make([]inference.Message, 0, len(in))
	for i, m := range in {
		p := fmt.Sprintf("messages[%d]", i)
		role := strings.ToLower(m.Role)
		switch role {
		case "system", "user", "assistant", "tool":
		case "developer":
			role = "system"
		case "function":
			return nil, unsupported(p+".role", "the function role is deprecated; answer tool calls with tool messages")
		case "":
			return nil, invalid(p+".role", "each message needs a role")
		default:
			return nil, invalid(p+".role", "role %q is not one of system, developer, user, assistant, tool", m.Role)
		}
		text, images, present, err := convertContent(m.Content, p+".content", role)
		if err != nil {
			return nil, err
		}
		if !present && !(role == "assistant" && len(m.ToolCalls) > 0) {
			return nil, invalid(p+".content", "%s messages need content", role)
		}
		msg := inference.Message{Role: role, Content: text, Images: images}
		if len(m.ToolCalls) > 0 && role != "assistant" {
			return nil, invalid(p+".tool_calls", "only assistant messages carry tool_calls")
		}
		for j, tc := range m.ToolCalls {
			call, err := convertToolCall(tc, j, fmt.Sprintf("%s.tool_calls[%d]", p, j))
			if err != nil {
				return nil, err
			}
			callNames[tc.ID] = tc.Function.Name
			msg.ToolCalls = append(msg.ToolCalls, call)
		}
		if role == "tool" {
			if m.ToolCallID == "" {
				return nil, invalid(p+".tool_call_id", "tool messages need the tool_call_id they answer")
			}
			msg.ToolCallID = m.ToolCallID
			msg.ToolName = callNames[m.ToolCallID]
			if msg.ToolName == "" {
				msg.ToolName = m.Name
			}
		}
		out = append(out, msg)
	}
	return out, nil
}

func convertToolCall(tc wireToolCall, index int, p string) (inference.ToolCall, *apiError) {
	var call inference.ToolCall
	if tc.Type != "" && tc.Type != "function" {
		return call, invalid(p+".type", "tool call type %q is not function", tc.Type)
	}
	if tc.Function.Name == "" {
		return call, invalid(p+".function.name", "tool calls need a function name")
	}
	call.ID = tc.ID
	call.Function.Name = tc.Function.Name
	call.Function.Index = index
	args := strings.TrimSpace(tc.Function.Arguments)
	if args == "" {
		args = "{}"
	}
	if err := json.Unmarshal([]byte(args), &call.Function.Arguments); err != nil {
		return call, invalid(p+".function.arguments", "arguments must be a JSON object encoded as a string")
	}
	return call, nil
}

// convertContent reads a message's content: a string, an array of content
// parts, or null. present is false for null or absent content.
func convertContent(raw json.RawMessage, p, role string) (text string, images []inference.ImageData, present bool, _ *apiError) {
	if isNull(raw) {
		return "", nil, false, nil
	}
	switch bytes.TrimSpace(raw)[0] {
	case '"':
		var s string
		if err := json.Unmarshal(raw, &s); err != nil {
			return "", nil, false, invalid(p, "content is not a valid JSON string")
		}
		return s, nil, true, nil
	case '[':
	default:
		return "", nil, false, invalid(p, "content must be a string or an array of content parts")
	}
	var parts []contentPart
	if err := json.Unmarshal(raw, &parts); err != nil {
		return "", nil, false, invalid(p, "content parts must be objects with a type")
	}
	var texts []string
	for k, part := range parts {
		pp := fmt.Sprintf("%s[%d]", p, k)
		switch part.Type {
		case "text":
			if part.Text == nil {
				return "", nil, false, invalid(pp+".text", "text parts need text")
			}
			texts = append(texts, *part.Text)
		case "image_url":
			if role != "user" {
				return "", nil, false, invalid(pp, "only user messages may contain images")
			}
			if part.ImageURL == nil {
				return "", nil, false, invalid(pp+".image_url", "image_url parts need image_url.url")
			}
			img, err := decodeDataURL(part.ImageURL.URL, pp+".image_url.url")
			if err != nil {
				return "", nil, false, err
			}
			images = append(images, img)
		case "":
			return "", nil, false, invalid(pp+".type", "content parts need a type")
		default:
			return "", nil, false, unsupported(pp+".type", "content parts of type %q are not supported; send text or image_url", part.Type)
		}
	}
	return strings.Join(texts, "\n"), images, true, nil
}

var dataURL = regexp.MustCompile(`^data:(image/(png|jpeg|jpg|webp|gif))?;base64,`)

// decodeDataURL accepts images inline only: shopdesk never fetches URLs.
func decodeDataURL(u, p string) (inference.ImageData, *apiError) {
	if strings.HasPrefix(u, "http://") || strings.HasPrefix(u, "https://") {
		return nil, unsupported(p, "image_url must be an inline data: URL; image URLs are not fetched (shopdesk makes no outside requests)")
	}
	loc := dataURL.FindStringIndex(u)
	if loc == nil {
		return nil, invalid(p, "image_url must be a data:image/(png|jpeg|webp|gif);base64,... URL")
	}
	img, err := base64.StdEncoding.DecodeString(u[loc[1]:])
	if err != nil || len(img) == 0 {
		return nil, invalid(p, "image_url data is not valid base64")
	}
	return img, nil
}

func inRange(v *float64, lo, hi float64) bool { return v == nil || (*v >= lo && *v <= hi) }

// applySampling copies sampling parameters over the catalog's options.
func applySampling(req *chatCompletionRequest, opts map[string]any) *apiError {
	switch {
	case !inRange(req.Temperature, 0, 2):
		return invalid("temperature", "temperature must be between 0 and 2")
	case !inRange(req.TopP, 0, 1):
		return invalid("top_p", "top_p must be between 0 and 1")
	case !inRange(req.PresencePenalty, -2, 2):
		return invalid("presence_penalty", "presence_penalty must be between -2 and 2")
	case !inRange(req.FrequencyPenalty, -2, 2):
		return invalid("frequency_penalty", "frequency_penalty must be between -2 and 2")
	}
	set := func(key string, v *float64) {
		if v != nil {
			opts[key] = *v
		}
	}
	set("temperature", req.Temperature)
	set("top_p", req.TopP)
	set("presence_penalty", req.PresencePenalty)
	set("frequency_penalty", req.FrequencyPenalty)
	if req.Seed != nil {
		opts["seed"] = *req.Seed
	}
	maxTokens, param := req.MaxTokens, "max_tokens"
	if req.MaxCompletionTokens != nil {
		maxTokens, param = req.MaxCompletionTokens, "max_completion_tokens"
	}
	if maxTokens != nil {
		if *maxTokens < 1 {
			return invalid(param, "%s must be at least 1", param)
		}
		opts["num_predict"] = *maxTokens
	}
	if !isNull(req.Stop) {
		stop, err := decodeStop(req.Stop)
		if err != nil {
			return err
		}
		opts["stop"] = stop
	}
	return nil
}

func decodeStop(raw json.RawMessage) ([]string, *apiError) {
	stop, ok := stringOrList(raw)
	switch {
	case !ok:
		return nil, invalid("stop", "stop must be a string or an array of strings")
	case len(stop) > 16:
		return nil, invalid("stop", "at most 16 stop sequences are allowed")
	case slices.Contains(stop, ""):
		return nil, invalid("stop", "stop sequences must not be empty")
	}
	return stop, nil
}

// stringOrList decodes a JSON string (as a one-element list) or an array
// of strings; ok is false for any other JSON.
func stringOrList(raw json.RawMessage) (list []string, ok bool) {
	var one string
	if json.Unmarshal(raw, &one) == nil {
		return []string{one}, true
	}
	if json.Unmarshal(raw, &list) == nil && list != nil {
		return list, true
	}
	return nil, false
}

func applyResponseFormat(rf *responseFormat, out *inference.ChatRequest) *apiError {
	if rf == nil {
		return nil
	}
	switch rf.Type {
	case "", "text":
	case "json_object":
		out.Format = json.RawMessage(`"json"`)
	case "json_schema":
		if rf.JSONSchema == nil || !isObject(rf.JSONSchema.Schema) {
			return invalid("response_format", "response_format.json_schema needs a schema that is a JSON object")
		}
		if err := checkJSONSchema(rf.JSONSchema.Schema); err != nil {
			return err
		}
		out.Format = rf.JSONSchema.Schema
	default:
		return invalid("response_format.type", "response_format type %q is not one of text, json_object, json_schema", rf.Type)
	}
	return nil
}

func isObject(raw json.RawMessage) bool {
	t := bytes.TrimSpace(raw)
	return len(t) > 0 && t[0] == '{' && json.Valid(t)
}

var toolName = regexp.MustCompile(`^[a-zA-Z0-9_-]{1,64}$`)

func applyTools(req *chatCompletionRequest, plan *chatPlan) *apiError {
	var names []string
	tools := make([]inference.Tool, 0, len(req.Tools))
	for i, t := range req.Tools {
		p := fmt.Sprintf("tools[%d]", i)
		if t.Type != "function" {
			return unsupported(p+".type", "tool type %q is not supported; use function tools", t.Type)
		}
		if t.Function == nil || !toolName.MatchString(t.Function.Name) {
			return invalid(p+".function.name", "function names are 1-64 letters, digits, '_' or '-'")
		}
		if slices.Contains(names, t.Function.Name) {
			return invalid(p+".function.name", "two tools are named %q", t.Function.Name)
		}
		names = append(names, t.Function.Name)
		if isNull(t.Function.Parameters) {
			t.Function.Parameters = json.RawMessage(`{"type":"object","properties":{}}`)
		}
		var tool inference.Tool
		tool.Type = "function"
		tool.Function.Name = t.Function.Name
		tool.Function.Description = t.Function.Description
		if !isObject(t.Function.Parameters) || json.Unmarshal(t.Function.Parameters, &tool.Function.Parameters) != nil {
			return invalid(p+".function.parameters", "parameters must be a JSON schema object")
		}
		tools = append(tools, tool)
	}

	choice, forced, err := decodeToolChoice(req.ToolChoice, names)
	if err != nil {
		return err
	}
	switch choice {
	case "none":
		return nil
	case "auto":
		plan.Request.Tools = tools
		return nil
	}
	// A call is required: constrain the output to a call of one of the
	// forced tools and explain the format in the system prompt.
	if plan.Request.Format != nil {
		return invalid("response_format", "response_format cannot be combined with a tool_choice that requires a call")
	}
	var specs []prompts.Tool
	var variants []json.RawMessage
	for _, t := range req.Tools {
		if !slices.Contains(forced, t.Function.Name) {
			continue
		}
		specs = append(specs, prompts.Tool{Name: t.Function.Name, Description: t.Function.Description, Parameters: string(t.Function.Parameters)})
		name, _ := json.Marshal(t.Function.Name)
		variants = append(variants, json.RawMessage(fmt.Sprintf(
			`{"type":"object","properties":{"name":{"type":"string","enum":[%s]},"arguments":%s},"required":["name","arguments"]}`,
			name, t.Function.Parameters)))
	}
	if len(variants) == 1 {
		plan.Request.Format = variants[0]
	} else {
		all, _ := json.Marshal(map[string]any{"anyOf": variants})
		plan.Request.Format = all
	}
	plan.Forced = forced
	plan.Request.Stream = false
	plan.Request.Messages = withSystemPrompt(plan.Request.Messages, func(system string) string {
		return prompts.ForcedToolCall(system, specs)
	})
	return nil
}

// decodeToolChoice returns "none", "auto" or "required", and for
// "required" the names of the tools one of which must be called.
func decodeToolChoice(raw json.RawMessage, names []string) (string, []string, *apiError) {
	if isNull(raw) {
		if len(names) == 0 {
			return "none", nil, nil
		}
		return "auto", nil, nil
	}
	if len(names) == 0 {
		return "", nil, invalid("tool_choice", "tool_choice is only allowed when tools are given")
	}
	var mode string
	if json.Unmarshal(raw, &mode) == nil {
		switch mode {
		case "none", "auto":
			return mode, nil, nil
		case "required":
			return "required", names, nil
		}
		return "", nil, invalid("tool_choice", "tool_choice %q is not one of none, auto, required", mode)
	}
	var named struct {
		Type     string `json:"type"`
		Function struct {
			Name string `json:"name"`
		} `json:"function"`
	}
	if json.Unmarshal(raw, &named) != nil || named.Type != "function" {
		return "", nil, invalid("tool_choice", `tool_choice must be "none", "auto", "required" or {"type":"function","function":{"name":...}}`)
	}
	if !slices.Contains(names, named.Function.Name) {
		return "", nil, invalid("tool_choice.function.name", "tool_choice names %q, which is not among the tools", named.Function.Name)
	}
	return "required", []string{named.Function.Name}, nil
}

// withSystemPrompt replaces the leading system message with
// build(its content), or inserts one.
func withSystemPrompt(msgs []inference.Message, build func(system string) string) []inference.Message {
	out := slices.Clone(msgs)
	if len(out) > 0 && out[0].Role == "system" {
		out[0].Content = build(out[0].Content)
		return out
	}
	return append([]inference.Message{{Role: "system", Content: build("")}}, out...)
}

func applyLogprobs(req *chatCompletionRequest, out *inference.ChatRequest) *apiError {
	want := req.Logprobs != nil && *req.Logprobs
	if req.TopLogprobs != nil {
		if !want {
			return invalid("top_logprobs", "top_logprobs requires logprobs: true")
		}
		if *req.TopLogprobs < 0 || *req.TopLogprobs > 20 {
			return invalid("top_logprobs", "top_logprobs must be between 0 and 20")
		}
		out.TopLogprobs = *req.TopLogprobs
	}
	out.Logprobs = want
	return nil
}
