package main

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/shopdesk/shopdesk/actions"
	"github.com/shopdesk/shopdesk/assistant"
	"github.com/shopdesk/shopdesk/commerce"
	"github.com/shopdesk/shopdesk/conversation"
	"github.com/shopdesk/shopdesk/handoff"
	"github.com/shopdesk/shopdesk/identity"
	"github.com/shopdesk/shopdesk/index"
	"github.com/shopdesk/shopdesk/inference"
	"github.com/shopdesk/shopdesk/models"
	"github.com/shopdesk/shopdesk/sentiment"
	"github.com/shopdesk/shopdesk/server"
)

// openAssistant builds the answer pipeline over the knowledge base and
// starts delivering hand-off notices (in bg), until ctx ends.
func openAssistant(ctx context.Context, bg *background, cfg *config, kb *knowledgeBase, infer *inference.Client, store *models.Store,
	shop commerce.Connector, metrics *server.Metrics, log *slog.Logger) (*assistant.Assistant, *conversation.Store, *actions.Actions, error) {
	convs, err := conversation.Open(ctx, kb.DB)
	if err != nil {
		return nil, nil, nil, err
	}
	var acts *actions.Actions
	if shop != nil {
		verifier, err := identity.New(ctx, identity.Options{DB: kb.DB, Orders: shop.Order})
		if err != nil {
			return nil, nil, nil, err
		}
		acts = actions.New(actions.Options{Shop: shop, Verifier: verifier, Policy: actions.Policy{WindowDays: cfg.ReturnWindowDays, Holiday: cfg.ReturnHoliday}})
	}
	senders, err := handoffSenders(cfg, log)
	if err != nil {
		return nil, nil, nil, err
	}
	out := handoff.NewOutbox(handoff.OutboxOptions{Queue: convs, SenderFor: senders, Delivered: metrics.HandoffDelivered, Logger: log})
	bg.Go(ctx, "hand-off outbox", out.Run)
	opts := assistant.Options{
		Search:        kb,
		Chat:          bg.untilStopped(infer),
		Store:         convs,
		Products:      productNames(kb.Index),
		Persona:       cfg.persona,
		Rules:         handoff.Rules{NegativeTurns: cfg.NegativeTurns, UnansweredTurns: cfg.UnansweredTurns},
		MinRelevance:  cfg.MinRelevance,
		Sources:       cfg.AnswerSources,
		HandoffQueued: out.Wake,
		Observer:      metrics,
		Logger:        log,
	}
	if cfg.Sentiment == "model" {
		m := sentiment.NewModel(func(ctx context.Context, prompt string) (string, error) {
			chat := store.Catalog().Default(models.KindChat)
			opts := chat.RequestOptions()
			opts["num_predict"], opts["temperature"] = 8, 0.0
			var out string
			err := infer.Chat(ctx, inference.ChatRequest{Model: chat.Tag, Options: opts, KeepAlive: chat.KeepAlive,
				Messages: []inference.Message{{Role: "user", Content: prompt}}}, func(ch inference.ChatChunk) error {
				out += ch.Content
				return nil
			})
			return out, err
		})
		opts.Sentiment = m.Classify
	}
	if acts != nil {
		opts.Actions = acts
	}
	a, err := assistant.New(opts)
	if err != nil {
		return nil, nil, nil, err
	}
	return a, convs, acts, nil
}

// productNames lists a tenant's catalog product titles, cached briefly:
// the grounding check and the assistant's memory read them every turn.
func productNames(x *index.Index) func(ctx context.Context, tenant string) ([]string, error) {
	type entry struct {
		names []string
		at    time.Time
	}
	var mu sync.Mutex
	cache := map[string]entry{}
	return func(ctx context.Context, t string) ([]string, error) {
		mu.Lock()
		e, ok := cache[t]
		mu.Unlock()
		if ok && time.Since(e.at) < 30*time.Second {
			return e.names, nil
		}
		var names []string
		after := ""
		for {
			docs, err := x.Documents(ctx, t, index.KindProduct, after, 500)
			if err != nil {
				return e.names, err
			}
			for _, d := range docs {
				names = append(names, d.Title)
			}
			if len(docs) < 500 {
				break
			}
			after = docs[len(docs)-1].ID
		}
		mu.Lock()
		cache[t] = entry{names, time.Now()}
		mu.Unlock()
		return names, nil
	}
}

// handoffSenders returns each tenant's hand-off notifier: its own webhook
// and secret, so one merchant's transcripts never reach another's URL.
func handoffSenders(cfg *config, log *slog.Logger) (func(tenant string) (handoff.Sender, bool), error) {
	senders := map[string]handoff.Sender{}
	for _, t := range cfg.tenantNames() {
		url, secret := cfg.handoffTarget(t)
		if url == "" {
			log.Info("no hand-off webhook for this tenant: escalated conversations are marked in the database only", "tenant", t)
			continue
		}
		n, err := handoff.NewNotifier(handoff.NotifierOptions{URL: url, Secret: secret, Logger: log})
		if err != nil {
			return nil, fmt.Errorf("tenant %s: %w", t, err)
		}
		senders[t] = n
	}
	return func(t string) (handoff.Sender, bool) {
		s, ok := senders[t]
		return s, ok
	}, nil
}
