package main

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"

	"github.com/shopdesk/shopdesk/actions"
	"github.com/shopdesk/shopdesk/assistant"
	"github.com/shopdesk/shopdesk/catalog"
	"github.com/shopdesk/shopdesk/commerce"
	"github.com/shopdesk/shopdesk/conversation"
	"github.com/shopdesk/shopdesk/faqs"
	"github.com/shopdesk/shopdesk/handoff"
	"github.com/shopdesk/shopdesk/identity"
	"github.com/shopdesk/shopdesk/index"
	"github.com/shopdesk/shopdesk/inference"
	"github.com/shopdesk/shopdesk/insights"
	"github.com/shopdesk/shopdesk/intent"
	"github.com/shopdesk/shopdesk/models"
	"github.com/shopdesk/shopdesk/privacy"
	"github.com/shopdesk/shopdesk/recommend"
	"github.com/shopdesk/shopdesk/sentiment"
	"github.com/shopdesk/shopdesk/server"
	"github.com/shopdesk/shopdesk/staff"
	"github.com/shopdesk/shopdesk/widget"
)

// support is the answer pipeline and what it keeps.
type support struct {
	assistant     *assistant.Assistant
	conversations *conversation.Store
	actions       *actions.Actions // nil without commerce
	privacy       *privacy.Keeper
	faqs          *faqs.Candidates
	insights      *insights.Insights
	staff         *staff.Store
	intents       *actions.Intents
	// sessions are the chat widget's browser sessions.
	sessions *widget.Sessions
}

// openAssistant builds the answer pipeline over the knowledge base and
// starts delivering hand-off notices and pruning old records (in bg),
// until ctx ends.
func openAssistant(ctx context.Context, bg *background, cfg *config, kb *knowledgeBase, infer *inference.Client, store *models.Store,
	shop commerce.Connector, metrics *server.Metrics, log *slog.Logger) (*support, error) {
	intents, reader, err := openIntents(ctx, bg, cfg, infer, store, log)
	if err != nil {
		return nil, err
	}
	p, err := newPipeline(ctx, cfg, pipelineDeps{kb: kb, chat: bg.untilStopped(infer), infer: infer, store: store, shop: shop, db: kb.DB,
		intents: reader, observer: metrics, log: log})
	if err != nil {
		return nil, err
	}
	convs := p.conversations
	sessions, err := widget.OpenSessions(ctx, widget.SessionOptions{DB: kb.DB})
	if err != nil {
		return nil, err
	}
	keep := privacy.Options{Conversations: convs, Retention: cfg.Retention, Logger: log,
		Pruners: []privacy.Pruner{{Name: "widget_sessions", Prune: sessions.Prune}}}
	if shop != nil {
		keep.Customer = shop.Customer
		keep.Pruners = append(keep.Pruners, privacy.Pruner{Name: "verify_failures", Prune: p.verifier.Prune})
		if r, ok := shop.(privacy.Returns); ok {
			keep.Returns = r
		}
	}
	people, err := staff.Open(ctx, staff.Options{DB: kb.DB})
	if err != nil {
		return nil, err
	}
	keep.Pruners = append(keep.Pruners, privacy.Pruner{Name: "staff_sessions", Prune: people.Prune})
	keeper, err := privacy.New(keep)
	if err != nil {
		return nil, err
	}
	mined := faqs.Options{DB: kb.DB, Conversations: convs, Knowledge: kb.Index, Similar: sameQuestion, Logger: log}
	if shop != nil {
		mined.Customer = customerName(shop)
	}
	candidates, err := faqs.Open(ctx, mined)
	if err != nil {
		return nil, err
	}
	ins, err := openInsights(ctx, kb, convs, metrics, log)
	if err != nil {
		return nil, err
	}
	bg.Go(ctx, "retention", keeper.Run)
	senders, err := handoffSenders(cfg, log)
	if err != nil {
		return nil, err
	}
	out := handoff.NewOutbox(handoff.OutboxOptions{Queue: convs, SenderFor: senders, Delivered: metrics.HandoffDelivered, Logger: log})
	bg.Go(ctx, "hand-off outbox", out.Run)
	p.opts.HandoffQueued = out.Wake
	a, err := assistant.New(p.opts)
	if err != nil {
		return nil, err
	}
	return &support{assistant: a, conversations: convs, actions: p.actions, privacy: keeper, faqs: candidates, insights: ins,
		staff: people, intents: intents, sessions: sessions}, nil
}

// pipelineDeps are what the answer pipeline is built over.
type pipelineDeps struct {
	kb *knowledgeBase
	// chat generates the answers (serve's stops with its background work;
	// nil: infer).
	chat  assistant.Generator
	infer *inference.Client
	store *models.Store
	shop  commerce.Connector // nil without commerce
	// db keeps the conversations and failed verifications: the knowledge
	// base's for serving, a scratch one for evaluations.
	db *sql.DB
	// intents reads what messages ask for (nil: the shipped classifier).
	intents  *actions.Classifier
	observer assistant.Observer
	log      *slog.Logger
}

// pipeline is the answer pipeline's configuration and the stores it
// keeps; serve and the evaluations build it the same way.
type pipeline struct {
	opts          assistant.Options
	conversations *conversation.Store
	actions       *actions.Actions   // nil without commerce
	verifier      *identity.Verifier // nil without commerce
}

// newPipeline configures the answer pipeline as cfg says; it starts
// nothing.
func newPipeline(ctx context.Context, cfg *config, d pipelineDeps) (*pipeline, error) {
	convs, err := conversation.Open(ctx, d.db)
	if err != nil {
		return nil, err
	}
	if d.intents == nil {
		c, _, err := intent.Load(cfg.DataDir)
		if err != nil {
			return nil, fmt.Errorf("intent classifier: %w", err)
		}
		d.intents = actions.NewClassifier(c, d.log)
	}
	if d.chat == nil {
		d.chat = d.infer
	}
	p := &pipeline{conversations: convs}
	snapshots := documentCatalog(d.kb.Index, d.log)
	if d.shop != nil {
		if p.verifier, err = identity.New(ctx, identity.Options{DB: d.db, Orders: d.shop.Order}); err != nil {
			return nil, err
		}
		var stats *catalog.Cache[*recommend.Shop]
		snapshots, stats = shopCaches(cfg, d.shop, d.log)
		p.actions = actions.New(actions.Options{Shop: d.shop, Verifier: p.verifier, Policy: actions.Policy{WindowDays: cfg.ReturnWindowDays, Holiday: cfg.ReturnHoliday},
			Catalog: snapshots.Get, Recommender: stats.Get, Intents: d.intents, ProductSearch: productSearch(d.kb.Index)})
	}
	p.opts = assistant.Options{
		Search:       d.kb,
		Chat:         d.chat,
		Store:        convs,
		Catalog:      snapshots.Get,
		Persona:      cfg.persona,
		Rules:        handoff.Rules{NegativeTurns: cfg.NegativeTurns, UnansweredTurns: cfg.UnansweredTurns},
		MinRelevance: cfg.MinRelevance,
		Sources:      cfg.AnswerSources,
		Curated:      d.kb.Matcher,
		AnswerMode:   cfg.answerMode,
		Phrasings:    d.kb.Phrasings.Phrasings,
		Observer:     d.observer,
		Logger:       d.log,
		Intent:       d.intents.Read,
	}
	switch cfg.Sentiment {
	case "lexicon":
		p.opts.Sentiment = func(_ context.Context, text string) sentiment.Result { return sentiment.Classify(text) }
	case "model":
		infer, store := d.infer, d.store
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
		p.opts.Sentiment = m.Classify
	}
	if p.actions != nil {
		p.opts.Actions = p.actions
	}
	return p, nil
}

// sameQuestion scores how much two questions ask the same thing: the
// share of each one's terms the other has, the lower of the two.
func sameQuestion(a, b string) float64 {
	return min(assistant.Relevance(a, []string{b}), assistant.Relevance(b, []string{a}))
}

// customerName looks a customer's name up, "" when unknown.
func customerName(shop commerce.Connector) func(ctx context.Context, tenant, id string) string {
	return func(ctx context.Context, tenant, id string) string {
		c, err := shop.Customer(ctx, tenant, id)
		if err != nil {
			return ""
		}
		return c.Name
	}
}

// resolved makes an FAQ candidate of a conversation a person resolved.
func (s *support) resolved(log *slog.Logger) server.Resolved {
	return func(ctx context.Context, tenant, id, by string) {
		if _, err := s.faqs.FromResolved(ctx, tenant, id); err != nil {
			log.Warn("could not make an FAQ candidate of a resolved conversation", "tenant", tenant, "conversation", id, "err", err)
		}
	}
}

// openIntents loads the intent classifier (the retrained one in the data
// directory, else the shipped one) and starts, until ctx ends, what
// manages it: retrains asked for through the API and, with intent_vote
// auto, the embedding vote's measurement in the background.
func openIntents(ctx context.Context, bg *background, cfg *config, infer *inference.Client, store *models.Store, log *slog.Logger) (*actions.Intents, *actions.Classifier, error) {
	c, from, err := intent.Load(cfg.DataDir)
	if err != nil {
		return nil, nil, fmt.Errorf("intent classifier: %w", err)
	}
	log.Info("intent classifier loaded", "from", from)
	reader := actions.NewClassifier(c, log)
	opts := actions.IntentsOptions{DataDir: cfg.DataDir, Classifier: reader, From: from, Logger: log}
	if cfg.IntentVote == "auto" {
		opts.Embed = func(ctx context.Context, texts []string) ([][]float32, error) {
			e := store.Catalog().Default(models.KindEmbedding)
			r, err := infer.Embed(ctx, inference.EmbedRequest{Model: e.Tag, Input: texts, KeepAlive: e.KeepAlive})
			return r.Embeddings, err
		}
	}
	intents := actions.NewIntents(opts)
	bg.Go(ctx, "intent classifier", intents.Run)
	return intents, reader, nil
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

// openInsights measures the conversations, and exports the last day's
// KPIs on /metrics. Content gaps group by meaning too when the embedding
// model tells paraphrases apart (checked when gaps are first asked for,
// so a slow model never holds the start up).
func openInsights(ctx context.Context, kb *knowledgeBase, convs *conversation.Store, metrics *server.Metrics, log *slog.Logger) (*insights.Insights, error) {
	opts := insights.Options{Conversations: convs, Similar: sameQuestion, Nearest: nearestDoc(kb.Index)}
	if kb.Embed != nil {
		opts.Embed = insights.Checked(kb.Embed, func(err error) {
			log.Info("content gaps group questions by wording only", "reason", err)
		})
	}
	ins, err := insights.New(opts)
	if err != nil {
		return nil, err
	}
	if err := metrics.Register(insights.NewCollector(ins, convs.Tenants)); err != nil {
		return nil, err
	}
	return ins, nil
}

// nearestDoc returns the document that best answers a question.
func nearestDoc(x *index.Index) func(ctx context.Context, tenant, question string) (string, string) {
	return func(ctx context.Context, tenant, question string) (string, string) {
		res, err := x.Search(ctx, tenant, question, index.SearchOptions{Mode: index.ModeKeyword, K: 1})
		if err != nil || len(res.Hits) == 0 {
			return "", ""
		}
		return res.Hits[0].DocID, res.Hits[0].Title
	}
}
