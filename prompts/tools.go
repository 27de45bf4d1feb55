package prompts

// Tool describes a function the model is asked to call.
type Tool struct {
	Name        string
	Description string
	// Parameters is the function's JSON schema, as JSON text.
	Parameters string
}

// ForcedToolCall is the system prompt used when a client requires a tool
// call (tool_choice "required" or a named function). system is the
// client's own system prompt, kept in front; the model's output is also
// constrained to the {"name", "arguments"} JSON shape this asks for.
func ForcedToolCall(system string, tools []Tool) string {
	return render("forced_tool_call.tmpl", struct {
		System string
		Tools  []Tool
	}{system, tools})
}
