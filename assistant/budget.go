package assistant

import (
	"github.com/shopdesk/shopdesk/conversation"
	"github.com/shopdesk/shopdesk/grounding"
	"github.com/shopdesk/shopdesk/inference"
	"github.com/shopdesk/shopdesk/lang"
	"github.com/shopdesk/shopdesk/models"
	"github.com/shopdesk/shopdesk/prompts"
	"github.com/shopdesk/shopdesk/sentiment"
)

// chatRequest builds the generation: the system prompt with sources and
// memory, as many recent turns as the context allows, and the message.
func (a *Assistant) chatRequest(t *turn, sources []grounding.Source) inference.ChatRequest {
	entry := t.req.Model
	opts := entry.RequestOptions()
	for k, v := range t.req.Options {
		opts[k] = v
	}
	psrc := make([]prompts.Source, len(sources))
	for i, s := range sources {
		psrc[i] = prompts.Source{N: i + 1, Title: s.Title, URL: t.reply.Sources[i].URL, Text: s.Text}
	}
	system := prompts.AnswerSystem(prompts.Answer{
		Persona:  t.persona,
		Language: t.conv.Language,
		Negative: t.user.Sentiment.Label == sentiment.Negative,
		Summary:  t.conv.Summary,
		Details:  detailLines(t.conv),
		Sources:  psrc,
	})
	window := contextWindow(entry, opts)
	reserve := answerReserve(opts)
	opts["num_predict"] = reserve // support answers are short
	budget := window - reserve - lang.Tokens(system) - lang.Tokens(t.user.Content) - 16
	history, left := recentTurns(t.conv, max(budget, 0))
	if left > 0 {
		a.summariseLater(t.req, t.conv.Summary, t.conv.Summarized, t.conv.Messages, left)
	}
	msgs := make([]inference.Message, 0, len(history)+2)
	msgs = append(msgs, inference.Message{Role: "system", Content: system})
	for _, m := range history {
		msgs = append(msgs, inference.Message{Role: m.Role, Content: m.Content})
	}
	msgs = append(msgs, inference.Message{Role: "user", Content: t.user.Content})
	return inference.ChatRequest{Model: entry.Tag, Messages: msgs, Options: opts, KeepAlive: entry.KeepAlive, Stream: true}
}

// contextWindow is the model's num_ctx, or Ollama's default of 4096.
func contextWindow(entry models.Entry, opts map[string]any) int {
	if n, ok := opts["num_ctx"].(int); ok && n > 0 {
		return n
	}
	if n := entry.NumCtx(); n > 0 {
		return n
	}
	return 4096
}

// answerReserve is the room kept for the answer: num_predict, or 512.
func answerReserve(opts map[string]any) int {
	if n, ok := opts["num_predict"].(int); ok && n > 0 {
		return n
	}
	return 512
}

// recentTurns returns the newest messages after the summarised ones that
// fit in budget tokens, oldest first, and how many unsummarised messages
// did not fit.
func recentTurns(c *conversation.Conversation, budget int) (turns []conversation.Message, left int) {
	var msgs []conversation.Message
	for _, m := range c.Messages {
		if m.Seq > c.Summarized {
			msgs = append(msgs, m)
		}
	}
	used, i := 0, len(msgs)
	for i > 0 {
		cost := lang.Tokens(msgs[i-1].Content) + 4
		if used+cost > budget {
			break
		}
		used += cost
		i--
	}
	// Start on a shopper turn, so the model never sees an answer without
	// its question.
	for i < len(msgs) && msgs[i].Role != conversation.RoleUser {
		i++
	}
	return msgs[i:], i
}
