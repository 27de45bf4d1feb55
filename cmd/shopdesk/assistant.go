package main

import (
	"context"
	"fmt"
	"log/slog"

	"github.com/shopdesk/shopdesk/actions"
	"github.com/shopdesk/shopdesk/assistant"
	"github.com/shopdesk/shopdesk/catalog"
	"github.com/shopdesk/shopdesk/commerce"
	"github.com/shopdesk/shopdesk/conversation"
	"github.com/shopdesk/shopdesk/handoff"
	"github.com/shopdesk/shopdesk/identity"
	"github.com/shopdesk/shopdesk/inference"
	"github.com/shopdesk/shopdesk/models"
	"github.com/shopdesk/shopdesk/privacy"
	"github.com/shopdesk/shopdesk/recommend"
	"github.com/shopdesk/shopdesk/sentiment"
	"github.com/shopdesk/shopdesk/server"
)

// support is the answer pipeline and what it keeps.
type support struct {
	assistant     *assistant.Assistant
	conversations *conversation.Store
	actions       *actions.Actions // nil without commerce
	privacy       *privacy.Keeper
}

// openAssistant builds the answer pipeline over the knowledge base and
// starts delivering hand-off notices and pruning old records, until ctx
// ends.
func openAssistant(ctx context.Context, cfg *config, kb *knowledgeBase, infer *inference.Client, store *models.Store,
	shop commerce.Connector, metrics *server.Metrics, log *slog.Logger) (*support, error) {
	convs, err := conversation.Open(ctx, kb.DB)
	if err != nil {
		return nil, err
	}
	keep := privacy.Options{Conversations: convs, Retention: cfg.Retention, Logger: log}
	var acts *actions.Actions
	snapshots := documentCatalog(kb.Index, log)
	if shop != nil {
		verifier, err := identity.New(ctx, identity.Options{DB: kb.DB, Orders: shop.Order})
		if err != nil {
			return nil, err
		}
		var stats *catalog.Cache[*recommend.Shop]
		snapshots, stats = shopCaches(cfg, shop, log)
		acts = actions.New(actions.Options{Shop: shop, Verifier: verifier, Policy: actions.Policy{WindowDays: cfg.ReturnWindowDays, Holiday: cfg.ReturnHoliday},
			Catalog: snapshots.Get, Recommender: stats.Get})
		keep.Customer = shop.Customer
		keep.Pruners = append(keep.Pruners, privacy.Pruner{Name: "verify_failures", Prune: verifier.Prune})
		if r, ok := shop.(privacy.Returns); ok {
			keep.Returns = r
		}
	}
	keeper, err := privacy.New(keep)
	if err != nil {
		return nil, err
	}
	go keeper.Run(ctx)
	senders, err := handoffSenders(cfg, log)
	if err != nil {
		return nil, err
	}
	out := handoff.NewOutbox(handoff.OutboxOptions{Queue: convs, SenderFor: senders, Delivered: metrics.HandoffDelivered, Logger: log})
	go out.Run(ctx)
	opts := assistant.Options{
		Search:        kb,
		Chat:          infer,
		Store:         convs,
		Catalog:       snapshots.Get,
		Persona:       cfg.persona,
		Rules:         handoff.Rules{NegativeTurns: cfg.NegativeTurns, UnansweredTurns: cfg.UnansweredTurns},
		MinRelevance:  cfg.MinRelevance,
		Sources:       cfg.AnswerSources,
		Curated:       kb.Matcher,
		AnswerMode:    cfg.answerMode,
		Phrasings:     kb.Phrasings.Phrasings,
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
		return nil, err
	}
	return &support{assistant: a, conversations: convs, actions: acts, privacy: keeper}, nil
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
