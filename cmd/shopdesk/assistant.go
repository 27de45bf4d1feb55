package main

import (
	"context"
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
// starts delivering hand-off notices, until ctx ends.
func openAssistant(ctx context.Context, cfg *config, kb *knowledgeBase, infer *inference.Client, store *models.Store,
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
	var queued func()
	if cfg.HandoffWebhook != "" {
		n, err := handoff.NewNotifier(handoff.NotifierOptions{URL: cfg.HandoffWebhook, Secret: cfg.HandoffSecret, Logger: log})
		if err != nil {
			return nil, nil, nil, err
		}
		out := assistant.NewOutbox(convs, n)
		out.Log, out.Delivered = log, metrics.HandoffDelivered
		queued = out.Wake
		go out.Run(ctx)
	} else {
		log.Info("no hand-off webhook configured: escalated conversations are marked in the database only; set SHOPDESK_HANDOFF_WEBHOOK to be notified")
	}
	opts := assistant.Options{
		Search:        kb,
		Chat:          infer,
		Store:         convs,
		Products:      productNames(kb.Index),
		Persona:       cfg.persona,
		Rules:         handoff.Rules{NegativeTurns: cfg.NegativeTurns, UnansweredTurns: cfg.UnansweredTurns},
		MinRelevance:  cfg.MinRelevance,
		Sources:       cfg.AnswerSources,
		HandoffQueued: queued,
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
