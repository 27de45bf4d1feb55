package assistant

import (
	"context"
	"encoding/json"
	"errors"
	"slices"
	"strings"

	"github.com/shopdesk/shopdesk/actions"
	"github.com/shopdesk/shopdesk/conversation"
	"github.com/shopdesk/shopdesk/grounding"
	"github.com/shopdesk/shopdesk/index"
	"github.com/shopdesk/shopdesk/inference"
	"github.com/shopdesk/shopdesk/lang"
)

// answer retrieves, generates and checks.
func (a *Assistant) answer(ctx context.Context, t *turn) (Reply, error) {
	hits, err := a.retrieve(ctx, t)
	if err != nil {
		return Reply{}, err
	}
	if h, ok := a.faqFirst(ctx, t, hits); ok {
		return a.verbatim(ctx, t, strings.TrimSpace(h.Text), sourceOf(h))
	}
	hits = withCurated(t, hits)
	if len(hits) == 0 {
		return a.dontKnow(ctx, t, "")
	}
	sources, grounded := sourcesOf(hits)
	t.reply.Sources = sources
	req := a.chatRequest(t, grounded)
	ck := &checker{sources: grounded, opts: checkOptions(t), emit: t.emit}
	var call *inference.ToolCall
	generate := func(req inference.ChatRequest) error {
		return a.opts.Chat.Chat(ctx, req, func(ch inference.ChatChunk) error {
			if ch.Done {
				t.reply.PromptTokens, t.reply.CompletionTokens = ch.PromptTokens, ch.CompletionTokens
			}
			if len(ch.ToolCalls) > 0 && call == nil && ck.sent.Len() == 0 {
				call = &ch.ToolCalls[0]
			}
			if call != nil {
				return nil // the tool's result is the answer
			}
			return ck.write(ch.Content)
		})
	}
	req.Tools = a.tools(req.Model)
	err = generate(req)
	if err != nil && req.Tools != nil && errors.Is(err, inference.ErrBadRequest) && ck.sent.Len() == 0 {
		// The model does not take tools: remember, and ask again without.
		a.noTools.Store(req.Model, true)
		req.Tools = nil
		err = generate(req)
	}
	if err == nil && call != nil {
		res, handled, err := a.opts.Actions.Call(ctx, actions.Request{Tenant: t.req.Tenant, Source: t.req.Source,
			Language: t.conv.Language, Message: t.user.Content, Conv: t.conv}, call.Function.Name, call.Function.Arguments.ToMap())
		if err != nil {
			return Reply{}, err
		}
		if handled {
			return a.act(ctx, t, res)
		}
	}
	if err == nil {
		err = ck.close()
	}
	if err != nil {
		if ck.sent.Len() == 0 && ctx.Err() == nil && modelUnavailable(err) {
			a.log.Warn("no model available; answering from the FAQ", "tenant", t.req.Tenant, "err", err)
			return a.fallback(ctx, t, hits)
		}
		// Keep the shopper's message even though the answer failed.
		if serr := a.opts.Store.Save(context.WithoutCancel(ctx), t.conv, []conversation.Message{t.user}, nil); serr != nil {
			a.log.Error("could not store a message", "tenant", t.req.Tenant, "conversation", t.conv.ID, "err", serr)
		}
		return Reply{}, err
	}
	for _, c := range ck.failures {
		a.opts.Observer.CheckFailed(c.Kind)
	}
	if len(ck.failures) > 0 {
		a.log.Warn("grounding check removed unsupported claims", "tenant", t.req.Tenant, "conversation", t.conv.ID,
			"claims", len(ck.failures), "kinds", claimKinds(ck.failures))
		a.log.Debug("unsupported claims", "conversation", t.conv.ID, "claims", ck.failures)
	}
	if !ck.substantive() {
		prefix := ""
		if ck.sent.Len() > 0 {
			prefix = ck.sent.String() + "\n\n"
		}
		return a.dontKnow(ctx, t, prefix)
	}
	t.conv.Unanswered = 0
	t.reply.Answer = ck.sent.String()
	t.reply.Outcome = OutcomeAnswered
	return a.finish(ctx, t, false)
}

// retrieve searches for the message; a short follow-up ("and for
// shoes?") is searched together with the shopper's previous message when
// it finds little on its own. It returns nothing when the passages found
// are too weakly related to answer from.
func (a *Assistant) retrieve(ctx context.Context, t *turn) ([]index.SearchHit, error) {
	query := t.user.Content
	hits, rel, err := a.search(ctx, t, query)
	if err != nil {
		return nil, err
	}
	if rel < a.opts.MinRelevance {
		if prev := previousQuestion(t.conv); prev != "" && lang.Tokens(query) <= 12 {
			h2, r2, err := a.search(ctx, t, prev+"\n"+query)
			if err != nil {
				return nil, err
			}
			if r2 > rel {
				hits, rel = h2, r2
			}
		}
	}
	if rel < a.opts.MinRelevance {
		a.log.Debug("retrieval too weak to answer", "tenant", t.req.Tenant, "conversation", t.conv.ID, "relevance", rel)
		return nil, nil
	}
	return hits, nil
}

func (a *Assistant) search(ctx context.Context, t *turn, query string) ([]index.SearchHit, float64, error) {
	res, err := a.opts.Search.Search(ctx, t.req.Tenant, query, index.SearchOptions{Mode: a.opts.Mode, K: a.opts.Sources})
	t.reply.Degraded = res.Degraded
	if err != nil {
		if ctx.Err() != nil {
			return nil, 0, ctx.Err()
		}
		// Without any retriever there is nothing to ground an answer in;
		// the shopper hears "don't know" rather than an error.
		a.log.Error("search failed", "tenant", t.req.Tenant, "err", err)
		return nil, 0, nil
	}
	passages := make([]string, len(res.Hits))
	for i, h := range res.Hits {
		passages[i] = h.Title + "\n" + h.Heading + "\n" + h.Text
	}
	return res.Hits, Relevance(query, passages), nil
}

func previousQuestion(c *conversation.Conversation) string {
	for i := len(c.Messages) - 1; i >= 0; i-- {
		if c.Messages[i].Role == conversation.RoleUser {
			return c.Messages[i].Content
		}
	}
	return ""
}

// tools returns the actions offered to the model, unless there are none
// or the model refused tools before.
func (a *Assistant) tools(tag string) []inference.Tool {
	if _, refused := a.noTools.Load(tag); refused {
		return nil
	}
	return a.toolDefs
}

// toolDefs converts the actions' tool specs for Ollama.
func toolDefs() []inference.Tool {
	out := make([]inference.Tool, 0, len(actions.Tools))
	for _, spec := range actions.Tools {
		var tool inference.Tool
		tool.Type = "function"
		tool.Function.Name, tool.Function.Description = spec.Name, spec.Description
		if err := json.Unmarshal([]byte(spec.Parameters), &tool.Function.Parameters); err != nil {
			panic("assistant: tool " + spec.Name + ": " + err.Error()) // fixed at build time, pinned by tests
		}
		out = append(out, tool)
	}
	return out
}

// modelUnavailable reports failures that mean no model can answer now.
func modelUnavailable(err error) bool {
	return errors.Is(err, inference.ErrUnavailable) || errors.Is(err, inference.ErrOverloaded) ||
		errors.Is(err, inference.ErrModelNotFound) || errors.Is(err, context.DeadlineExceeded)
}

func claimKinds(cs []grounding.Claim) string {
	var kinds []string
	for _, c := range cs {
		if !slices.Contains(kinds, c.Kind) {
			kinds = append(kinds, c.Kind)
		}
	}
	return strings.Join(kinds, ",")
}
