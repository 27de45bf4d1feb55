package main

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/shopdesk/shopdesk/assistant"
	answers "github.com/shopdesk/shopdesk/assistant/eval"
	"github.com/shopdesk/shopdesk/commerce"
	"github.com/shopdesk/shopdesk/inference"
	"github.com/shopdesk/shopdesk/models"
	"github.com/shopdesk/shopdesk/server"
	"github.com/shopdesk/shopdesk/sqlite"
	"github.com/shopdesk/shopdesk/tenant"
)

// answerEval runs golden sets through an answer pipeline of its own: it
// reads the knowledge base and the shop that serve uses, but keeps its
// conversations, hand-off notices and verification failures in a scratch
// database, so an evaluation leaves nothing in the shop's records and
// sends no hand-off webhook. It runs one evaluation at a time.
type answerEval struct {
	assistant *assistant.Assistant
	recorder  *answers.Recorder
	infer     *inference.Client
	db        *sql.DB
	dir       string
}

// newAnswerEval builds the evaluation pipeline the way serve builds its
// own (newPipeline), over a scratch database.
func newAnswerEval(ctx context.Context, cfg *config, kb *knowledgeBase, infer *inference.Client, store *models.Store,
	shop commerce.Connector, log *slog.Logger) (*answerEval, error) {
	dir, err := os.MkdirTemp("", "shopdesk-eval-")
	if err != nil {
		return nil, fmt.Errorf("answer evaluation: %w", err)
	}
	db, err := sqlite.Open(filepath.Join(dir, "eval.db"))
	if err != nil {
		os.RemoveAll(dir)
		return nil, fmt.Errorf("answer evaluation: %w", err)
	}
	e := &answerEval{recorder: &answers.Recorder{}, infer: infer, db: db, dir: dir}
	p, err := newPipeline(ctx, cfg, pipelineDeps{kb: kb, infer: infer, store: store, shop: shop, db: db, observer: e.recorder, log: log})
	if err == nil {
		e.assistant, err = assistant.New(p.opts)
	}
	if err != nil {
		e.Close()
		return nil, err
	}
	return e, nil
}

// Close removes the scratch database.
func (e *answerEval) Close() error {
	if e.assistant != nil {
		e.assistant.Wait()
	}
	err := e.db.Close()
	os.RemoveAll(e.dir)
	return err
}

// run evaluates items with gen generating, in tenant t. A model Ollama
// does not have is an error here, not a run of FAQ fallbacks.
func (e *answerEval) run(ctx context.Context, t string, items []answers.Item, gen models.Entry, progress func(done, total int)) (answers.Report, error) {
	if err := e.infer.CheckModels(ctx, []string{gen.Tag}); err != nil {
		return answers.Report{}, fmt.Errorf("evaluate %s: %w", gen.Tag, err)
	}
	return answers.Run(ctx, answers.Config{Assistant: e.assistant, Recorder: e.recorder, Items: items, Tenant: t, Model: gen, Progress: progress})
}

// assistantGenerator is the chat entry the catalog's first assistant
// generates with: the one /api/chat and the "shopdesk" model use.
func assistantGenerator(cat *models.Catalog) models.Entry {
	for _, e := range cat.Entries() {
		if e.Kind == models.KindAssistant {
			return cat.Generator(e)
		}
	}
	return cat.Default(models.KindChat)
}

// loadGolden reads comma-separated golden set files into one set.
func loadGolden(paths string) ([]answers.Item, error) {
	var all []answers.Item
	seen := map[string]string{}
	for _, p := range strings.Split(paths, ",") {
		if p = strings.TrimSpace(p); p == "" {
			continue
		}
		items, err := answers.Load(p)
		if err != nil {
			return nil, err
		}
		for _, it := range items {
			if other, dup := seen[it.ID]; dup {
				return nil, fmt.Errorf("golden set: id %q is in both %s and %s", it.ID, other, p)
			}
			seen[it.ID] = p
		}
		all = append(all, items...)
	}
	if len(all) == 0 {
		return nil, errors.New("golden set: no file named")
	}
	return all, nil
}

func cmdEvalAnswers(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	own, rest := splitFlags(args, []string{"set", "model", "tenant"}, []string{"json", "v"})
	fs := flag.NewFlagSet("eval answers", flag.ContinueOnError)
	fs.SetOutput(stderr)
	set := fs.String("set", "", "golden set, JSONL (comma-separated files are one set)")
	model := fs.String("model", "", "catalog ID or Ollama tag to generate with; default: the assistant's chat model")
	tn := fs.String("tenant", tenant.Default, "tenant whose knowledge and shop answer")
	asJSON := fs.Bool("json", false, "print the report as one JSON object, every item included")
	verbose := fs.Bool("v", false, "list every item that missed something")
	if err := fs.Parse(own); err != nil {
		return err
	}
	cfg, extra, err := loadConfig("eval answers", rest, getenv, stderr)
	if err != nil {
		return err
	}
	if *set == "" || len(extra) > 0 {
		return errors.New("usage: shopdesk eval answers --set GOLDEN.jsonl [--model ID|TAG] [--tenant T] [--json] [-v]")
	}
	if err := tenant.Validate(*tn); err != nil {
		return err
	}
	items, err := loadGolden(*set)
	if err != nil {
		return err
	}
	log := newLogger(cfg, stderr)
	kb, infer, release, err := openLocked(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer release()
	store, err := models.NewStore(models.StoreOptions{Path: cfg.Path, Overrides: models.Overrides{ChatTag: cfg.ChatModel, EmbedTag: cfg.EmbedModel}})
	if err != nil {
		return err
	}
	gen := assistantGenerator(store.Catalog())
	if *model != "" {
		if e, ok := store.Catalog().Lookup(*model); ok {
			gen = store.Catalog().Generator(e)
		} else {
			gen.ID, gen.Tag = *model, *model
		}
	}
	progress := io.Discard
	if !*asJSON {
		progress = stdout
	}
	if err := ingestAtStart(ctx, cfg, kb, progress, log); err != nil {
		return err
	}
	shop, err := openShop(ctx, cfg, kb, progress, log)
	if err != nil {
		return err
	}
	ev, err := newAnswerEval(ctx, cfg, kb, infer, store, shop, log)
	if err != nil {
		return err
	}
	defer ev.Close()
	rep, err := ev.run(ctx, *tn, items, gen, nil)
	if err != nil {
		return err
	}
	if *asJSON {
		return json.NewEncoder(stdout).Encode(rep)
	}
	printAnswerReport(stdout, rep, *verbose)
	return nil
}

// printAnswerReport prints the metrics overall and by language, and with
// verbose the items that missed something.
func printAnswerReport(w io.Writer, rep answers.Report, verbose bool) {
	tw := tabwriter.NewWriter(w, 2, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "set\titems\tsources\tfacts\trefusal\trouting\tcitations\tremoved\terrors\tp50\tp95\tscore\t\n")
	row := func(name string, m answers.Metrics) {
		fmt.Fprintf(tw, "%s\t%d\t%.3f\t%.3f\t%.3f\t%.3f\t%.3f\t%d/%d\t%d\t%s\t%s\t%.3f\t\n", name, m.Items, m.SourceRecall, m.FactRecall,
			m.RefusalAccuracy, m.RoutingAccuracy, m.CitationValidity, m.Removals, m.Generated, m.Errors,
			m.LatencyP50.Round(time.Millisecond), m.LatencyP95.Round(time.Millisecond), m.Score)
	}
	for _, l := range []string{"en", "zh"} {
		if m, ok := rep.ByLang[l]; ok {
			row(l, m)
		}
	}
	row("all", rep.Overall)
	tw.Flush()
	fmt.Fprintf(w, "model %s, %d items in %s; removed: claims removed by the grounding check / answers the model generated\n",
		rep.Model, rep.Overall.Items, rep.Took.Round(time.Millisecond))
	if !verbose {
		return
	}
	for _, it := range rep.Items {
		var miss []string
		if it.Err != "" {
			miss = append(miss, "error: "+it.Err)
		}
		if it.SourcesFound < it.SourcesExpected {
			miss = append(miss, fmt.Sprintf("sources %d/%d (cited %s)", it.SourcesFound, it.SourcesExpected, strings.Join(it.Sources, " ")))
		}
		if len(it.Missing) > 0 {
			miss = append(miss, "facts missing: "+strings.Join(it.Missing, "; "))
		}
		if !it.RefuseOK {
			miss = append(miss, fmt.Sprintf("refused=%v", it.Refused))
		}
		if it.Routed && !it.RouteOK {
			miss = append(miss, fmt.Sprintf("route %s/%s", it.Outcome, it.Intent))
		}
		if len(it.Removed) > 0 {
			miss = append(miss, "removed: "+strings.Join(it.Removed, ","))
		}
		if len(miss) > 0 {
			fmt.Fprintf(w, "  %s [%s] %s\n", it.ID, it.Outcome, strings.Join(miss, "; "))
		}
	}
}

// gateModels puts the model gate on the catalog when model_gate names a
// golden set: a catalog edit that changes the assistant's chat model is
// evaluated on it, in tenant default, by a pipeline of its own, and
// applies only if the new model scores no worse. stop cancels a check in
// progress and closes the evaluation pipeline; call it before the
// knowledge base closes.
func gateModels(ctx context.Context, cfg *config, items []answers.Item, kb *knowledgeBase, infer *inference.Client, store *models.Store,
	shop commerce.Connector, metrics *server.Metrics, log *slog.Logger) (stop func(), err error) {
	if len(items) == 0 {
		return store.Close, nil
	}
	ev, err := newAnswerEval(ctx, cfg, kb, infer, store, shop, log)
	if err != nil {
		return nil, err
	}
	gate, err := answers.NewGate(answers.GateOptions{
		Items: items,
		Evaluate: func(ctx context.Context, items []answers.Item, gen models.Entry) (answers.Report, error) {
			return ev.run(ctx, tenant.Default, items, gen, nil)
		},
		Generator: assistantGenerator,
		Tolerance: cfg.ModelGateTolerance,
		Timeout:   cfg.ModelGateTimeout,
		Verdict:   metrics.ModelGate,
		Logger:    log,
	})
	if err != nil {
		ev.Close()
		return nil, err
	}
	store.SetGate(gate)
	log.Info("model gate on: a change of the assistant's chat model must score no worse on the golden set",
		"golden_set", cfg.ModelGate, "items", len(items), "tolerance", cfg.ModelGateTolerance, "timeout", cfg.ModelGateTimeout)
	return func() { store.Close(); ev.Close() }, nil
}
