package assistant

import (
	"context"
	"strings"
	"time"

	"github.com/shopdesk/shopdesk/conversation"
	"github.com/shopdesk/shopdesk/inference"
	"github.com/shopdesk/shopdesk/prompts"
)

// summaryTimeout bounds the writing of one summary.
const summaryTimeout = 2 * time.Minute

// summariseLater folds the oldest n unsummarised messages into the
// conversation's summary in the background, so that later turns keep
// what they said within the model's context. It asks the model; if the
// model cannot answer, an extract of the messages is kept instead.
func (a *Assistant) summariseLater(req Request, previous string, summarized int, msgs []conversation.Message, n int) {
	var fold []conversation.Message
	for _, m := range msgs {
		if m.Seq > summarized && len(fold) < n {
			fold = append(fold, m)
		}
	}
	if len(fold) == 0 {
		return
	}
	key := req.Tenant + "\x00" + req.ConversationID
	if _, busy := a.summarising.LoadOrStore(key, true); busy {
		return
	}
	through := fold[len(fold)-1].Seq
	a.bg.Go(func() {
		defer a.summarising.Delete(key)
		ctx, cancel := context.WithTimeout(context.Background(), summaryTimeout)
		defer cancel()
		summary := a.writeSummary(ctx, req, previous, fold)
		if err := a.opts.Store.SetSummary(ctx, req.Tenant, req.ConversationID, summary, through); err != nil {
			a.log.Warn("could not store a conversation summary", "tenant", req.Tenant, "conversation", req.ConversationID, "err", err)
		}
	})
}

func (a *Assistant) writeSummary(ctx context.Context, req Request, previous string, fold []conversation.Message) string {
	turns := make([]prompts.Turn, len(fold))
	for i, m := range fold {
		turns[i] = prompts.Turn{Role: m.Role, Content: m.Content}
	}
	opts := req.Model.RequestOptions()
	opts["num_predict"] = 256
	opts["temperature"] = 0.0
	var out strings.Builder
	err := a.opts.Chat.Chat(ctx, inference.ChatRequest{
		Model:     req.Model.Tag,
		Messages:  []inference.Message{{Role: "user", Content: prompts.ConversationSummary(previous, turns)}},
		Options:   opts,
		KeepAlive: req.Model.KeepAlive,
	}, func(ch inference.ChatChunk) error {
		out.WriteString(ch.Content)
		return nil
	})
	if text := strings.TrimSpace(out.String()); err == nil && text != "" {
		return text
	}
	a.log.Warn("the model could not summarise; keeping an extract", "tenant", req.Tenant, "conversation", req.ConversationID, "err", err)
	return extract(previous, fold)
}

// extract is the summary of last resort: the start of each message.
func extract(previous string, msgs []conversation.Message) string {
	var b strings.Builder
	if previous != "" {
		b.WriteString(previous)
		b.WriteString("\n")
	}
	for _, m := range msgs {
		b.WriteString(m.Role)
		b.WriteString(": ")
		b.WriteString(utf8Prefix(strings.Join(strings.Fields(m.Content), " "), 200))
		b.WriteString("\n")
	}
	// Keep the newest part when it grows long.
	s := b.String()
	if len(s) > 4000 {
		s = s[len(s)-4000:]
		for len(s) > 0 && s[0]&0xC0 == 0x80 {
			s = s[1:]
		}
	}
	return strings.TrimSpace(s)
}
