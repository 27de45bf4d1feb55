package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	answers "github.com/shopdesk/shopdesk/assistant/eval"
	"github.com/shopdesk/shopdesk/doctor"
	"github.com/shopdesk/shopdesk/inference"
	"github.com/shopdesk/shopdesk/inference/ollamaproc"
	"github.com/shopdesk/shopdesk/models"
	"github.com/shopdesk/shopdesk/server"
)

func newLogger(cfg *config, w io.Writer) *slog.Logger {
	opts := &slog.HandlerOptions{Level: cfg.LogLevel}
	if cfg.LogFormat == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}

// ollamaHosts returns the Ollama hosts to use. With ollama_bin set and no
// Ollama named explicitly, it starts a private Ollama first; stop ends it.
func ollamaHosts(ctx context.Context, cfg *config, log *slog.Logger) (hosts []string, stop func(), err error) {
	if cfg.OllamaBin == "" || cfg.explicit("ollama_host") {
		return cfg.OllamaHosts, func() {}, nil
	}
	dir := filepath.Join(cfg.DataDir, "ollama")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, nil, fmt.Errorf("private ollama: %w", err)
	}
	logFile, err := os.OpenFile(filepath.Join(dir, "ollama.log"), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return nil, nil, fmt.Errorf("private ollama: %w", err)
	}
	p, err := ollamaproc.Start(ctx, ollamaproc.Options{Bin: cfg.OllamaBin, ModelsDir: filepath.Join(dir, "models"), Log: logFile})
	if err != nil {
		logFile.Close()
		return nil, nil, err
	}
	log.Info("started a private Ollama", "url", p.URL, "models", filepath.Join(dir, "models"), "log", logFile.Name())
	return []string{p.URL}, func() { p.Stop(); logFile.Close() }, nil
}

func newInference(cfg *config, hosts []string, log *slog.Logger) (*inference.Client, error) {
	return inference.New(inference.Options{
		Hosts:        hosts,
		Concurrency:  cfg.Concurrency,
		Queue:        cfg.Queue,
		QueueTimeout: cfg.QueueTimeout,
		Logger:       log,
	})
}

func cmdServe(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	cfg, rest, err := loadConfig("serve", args, getenv, stderr)
	if err != nil {
		return err
	}
	if len(rest) > 0 {
		return fmt.Errorf("serve takes no arguments, got %q", rest)
	}
	log := newLogger(cfg, stderr)
	log.Info("starting shopdesk", append([]any{"version", version()}, cfg.logAttrs()...)...)
	// Everything started here ends when serve returns, however it returns.
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	if cfg.FallbackGGUF != "" && !cfg.Pull {
		log.Warn("fallback_gguf has no effect without pull: nothing is pulled, so nothing falls back")
	}
	var gateItems []answers.Item
	if cfg.ModelGate != "" {
		if gateItems, err = loadGolden(cfg.ModelGate); err != nil {
			return fmt.Errorf("model_gate: %w", err)
		}
	}
	release, err := lockData(cfg.DataDir)
	if err != nil {
		return err
	}
	defer release()

	hosts, stopOllama, err := ollamaHosts(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer stopOllama()
	infer, err := newInference(cfg, hosts, log)
	if err != nil {
		return err
	}

	overrides := models.Overrides{ChatTag: cfg.ChatModel, EmbedTag: cfg.EmbedModel}
	if cfg.Pull {
		if overrides, err = provision(ctx, cfg, infer, overrides, stdout, log); err != nil {
			return err
		}
		if cfg.FallbackGGUF != "" && overrides.EmbedTag == fallbackName(cfg.FallbackGGUF) {
			// The demo model's vectors mean nothing: ranking by them would
			// only push good keyword matches down, and measuring the intent
			// vote with them would only cost time.
			c := *cfg
			c.IntentVote = "off"
			if cfg.VectorStore != "none" {
				c.VectorStore = "none"
				log.Warn("vector search is off: the fallback model is not an embedding model; search uses keywords until one is installed")
				fmt.Fprintf(stdout, "Vector search is off while %s stands in for the embedding model: search uses keywords only.\n\n", overrides.EmbedTag)
			}
			cfg = &c
		}
	}
	store, err := models.NewStore(models.StoreOptions{Path: cfg.Path, Overrides: overrides, Logger: log})
	if err != nil {
		return err
	}
	// Every goroutine serve starts is tracked, so that shutdown can cancel
	// it and wait for it before the stores close.
	bg := newBackground()
	defer bg.Stop(log, backgroundGrace) // if serve fails before the stores open
	hup := make(chan os.Signal, 1)
	signal.Notify(hup, syscall.SIGHUP) // reloads once the gate, if any, is in place
	defer signal.Stop(hup)

	kb, err := openKnowledge(ctx, cfg, infer, store.Catalog(), log)
	if err != nil {
		return err
	}
	defer func() {
		// Background work stops (or its grace runs out) before the stores
		// it writes to close.
		bg.Stop(log, backgroundGrace)
		if err := kb.Close(); err != nil {
			log.Warn("closing the stores", "err", err)
		}
	}()
	if err := ingestAtStart(ctx, cfg, kb, stdout, log); err != nil {
		return err
	}
	reembedInBackground(ctx, bg, kb, log)

	shop, err := openShop(ctx, cfg, kb, stdout, log)
	if err != nil {
		return err
	}
	metrics := server.NewMetrics(infer.Stats)
	metrics.CountPhrasings(kb.Phrasings.Counts)
	sup, err := openAssistant(ctx, bg, cfg, kb, infer, store, shop, metrics, log)
	if err != nil {
		return err
	}
	var recommender server.Recommender
	if sup.actions != nil {
		recommender = sup.actions
	}
	// Once no request is left to start one, the summaries in flight are
	// background work too (this runs before the stores' deferred close).
	defer bg.Go(context.Background(), "conversation summaries", func(context.Context) { sup.assistant.Wait() })

	learner := &proposer{cfg: cfg, phrasings: kb.Phrasings, convs: sup.conversations, log: log}
	bg.Go(ctx, "phrasing sweep", learner.sweep)
	stopGate, err := gateModels(ctx, cfg, gateItems, kb, infer, store, shop, metrics, log)
	if err != nil {
		return err
	}
	defer stopGate() // before the knowledge base closes: a gate check reads it
	// The catalog is watched once the gate is on it.
	bg.Go(ctx, "model catalog watch", func(ctx context.Context) {
		if err := store.Watch(ctx); err != nil {
			log.Warn("model catalog changes will apply only on SIGHUP", "err", err)
		}
	})
	bg.Go(ctx, "catalog reload on SIGHUP", func(ctx context.Context) { reloadOn(ctx, hup, store) })
	store.Reload() // edits made while starting

	srv, err := server.New(server.Options{
		Models:         store,
		Chat:           infer,
		Embed:          infer,
		Ready:          readiness(store, infer),
		Documents:      kb,
		Search:         kb,
		Assistant:      sup.assistant,
		Conversations:  sup.conversations,
		Curated:        curatedAnswers{kb.Curated, kb.Phrasings},
		Phrasings:      kb.Phrasings,
		Recommender:    recommender,
		Eraser:         sup.privacy,
		Desk:           sup.conversations,
		Resolved:       sup.resolved(log),
		Rated:          learner.rated,
		FAQs:           sup.faqs,
		Insights:       sup.insights,
		Intents:        sup.intents,
		CustomerSecret: cfg.customerSecret,
		Widget:         cfg.widgetOptions(sup.sessions),
		APIKeys:        cfg.APIKeys,
		TrustedProxies: cfg.TrustedProxies,
		AdminKeys:      cfg.AdminKeys,
		Backups:        &dataBackups{dataDir: cfg.DataDir, kb: kb},
		Staff:          sup.staff,
		Doctor:         doctor.New(doctor.Options{Hosts: infer.Hosts(), Catalog: store.Catalog, DataDir: cfg.DataDir}),
		MaxBodyBytes:   cfg.MaxBody,
		MaxUploadBytes: cfg.MaxUpload,
		RequestTimeout: cfg.RequestTimeout,
		Metrics:        metrics,
		Logger:         log,
	})
	if err != nil {
		return err
	}

	accounts, err := consoleAccounts(ctx, sup.staff, cfg.values["demo_admin"])
	if err != nil {
		return err
	}
	addr := cfg.Addr
	if len(cfg.APIKeys) == 0 {
		addr = loopbackOnly(addr)
		log.Warn("no API keys configured: serving loopback only; set SHOPDESK_API_KEYS to accept other hosts", "addr", addr)
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("listen: %w", err)
	}
	// Requests run under a context that shutdown cancels once the grace
	// period is over, so streams still open then stop their generations.
	requests, stopRequests := context.WithCancel(context.WithoutCancel(ctx))
	defer stopRequests()
	httpSrv := &http.Server{
		Handler:           srv.Handler(),
		ReadHeaderTimeout: 10 * time.Second,
		IdleTimeout:       2 * time.Minute,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
		BaseContext:       func(net.Listener) context.Context { return requests },
	}
	served := make(chan error, 1)
	go func() { served <- httpSrv.Serve(ln) }()
	printReady(stdout, "http://"+ln.Addr().String(), store.Catalog(), cfg, accounts)

	select {
	case err := <-served:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	log.Info("shutting down; waiting up to 30s for requests in flight")
	grace, stopGrace := context.WithTimeout(context.Background(), 30*time.Second)
	defer stopGrace()
	err = httpSrv.Shutdown(grace)
	if errors.Is(err, context.DeadlineExceeded) {
		log.Warn("closing requests still open after the grace period")
		stopRequests()
		return httpSrv.Close()
	}
	return err
}

// reloadOn reloads the catalog each time sig delivers, until ctx ends.
func reloadOn(ctx context.Context, sig <-chan os.Signal, store *models.Store) {
	for {
		select {
		case <-ctx.Done():
			return
		case <-sig:
			store.Reload() // a bad edit is logged and the old catalog stays
		}
	}
}

// readiness is ready when Ollama answers and both default models exist.
func readiness(store *models.Store, infer *inference.Client) func(context.Context) error {
	return func(ctx context.Context) error {
		cat := store.Catalog()
		return infer.CheckModels(ctx, []string{cat.Default(models.KindChat).Tag, cat.Default(models.KindEmbedding).Tag})
	}
}

// loopbackOnly rewrites addr to listen on loopback only, keeping its port.
func loopbackOnly(addr string) string {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return addr
	}
	if host == "localhost" {
		return addr
	}
	if ip := net.ParseIP(host); ip != nil && ip.IsLoopback() {
		return addr
	}
	return net.JoinHostPort("127.0.0.1", port)
}

// printReady tells a person at the terminal how to try the server.
func printReady(w io.Writer, base string, cat *models.Catalog, cfg *config, accounts string) {
	chat := cat.Default(models.KindChat)
	embed := cat.Default(models.KindEmbedding)
	auth := ""
	if len(cfg.APIKeys) > 0 {
		auth = " -H 'Authorization: Bearer $SHOPDESK_KEY'"
	}
	fmt.Fprintf(w, `
shopdesk is listening on %[1]s
  chat model:      %[2]s (Ollama %[3]s)
  embedding model: %[4]s (Ollama %[5]s)

Try it:
  curl -s %[1]s/api/chat%[6]s -d '{"message":"How long do I have to return an item?"}'
  curl -s %[1]s/api/chat%[6]s -d '{"message":"退货运费谁出？"}'
  curl -s %[1]s/v1/chat/completions%[6]s -H 'Content-Type: application/json' \
    -d '{"model":"shopdesk","user":"shopper-1","messages":[{"role":"user","content":"Do you ship to Canada?"}]}'
  curl -s %[1]s/v1/chat/completions%[6]s -H 'Content-Type: application/json' \
    -d '{"model":"%[2]s","messages":[{"role":"user","content":"Hello!"}]}'
  curl -s %[1]s/api/search%[6]s -H 'Content-Type: application/json' -d '{"query":"how long do I have to return an item?"}'
  curl -s %[1]s/v1/models%[6]s
  curl -s %[1]s/readyz

Point any OpenAI client at %[1]s/v1. The chat widget's demo page: %[1]s/demo%[7]s
The staff console: %[1]s/console (tenant default)
%[8]sStop with Ctrl-C.
`, base, chat.ID, chat.Tag, embed.ID, embed.Tag, auth, demoNote(cfg), accounts)
}
