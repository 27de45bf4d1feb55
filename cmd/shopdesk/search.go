package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/shopdesk/shopdesk/index"
	"github.com/shopdesk/shopdesk/index/eval"
	"github.com/shopdesk/shopdesk/index/formats"
	"github.com/shopdesk/shopdesk/models"
	"github.com/shopdesk/shopdesk/tenant"
)

func cmdSearch(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	own, rest := splitFlags(args, []string{"tenant", "mode", "k"}, []string{"json"})
	fs := flag.NewFlagSet("search", flag.ContinueOnError)
	fs.SetOutput(stderr)
	tn := fs.String("tenant", tenant.Default, "tenant whose knowledge to search")
	mode := fs.String("mode", index.ModeHybrid, "hybrid, keyword or vector")
	k := fs.Int("k", 5, "number of results")
	asJSON := fs.Bool("json", false, "print the result as JSON")
	if err := fs.Parse(own); err != nil {
		return err
	}
	cfg, words, err := loadConfig("search", rest, getenv, stderr)
	if err != nil {
		return err
	}
	query := strings.TrimSpace(strings.Join(words, " "))
	if query == "" {
		return errors.New(`usage: shopdesk search [--tenant T] [--mode M] [--k N] [--json] "question"`)
	}
	log := newLogger(cfg, stderr)
	kb, _, release, err := openLocked(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer release()
	res, err := kb.Search(ctx, *tn, query, index.SearchOptions{Mode: *mode, K: *k})
	if err != nil {
		return err
	}
	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(res)
	}
	if len(res.Degraded) > 0 {
		fmt.Fprintf(stdout, "(partial results: %s)\n", strings.Join(res.Degraded, "; "))
	}
	if len(res.Hits) == 0 {
		fmt.Fprintln(stdout, "no results")
	}
	for i, h := range res.Hits {
		title := h.Title
		if h.Heading != "" {
			title += " › " + h.Heading
		}
		fmt.Fprintf(stdout, "%d. %s  [%s, score %.4f, ranks %s]\n", i+1, title, h.DocID, h.Score, ranks(h.Ranks))
		fmt.Fprintf(stdout, "   %s\n", snippet(h.Text, 160))
	}
	fmt.Fprintf(stdout, "(%s, %s)\n", res.Mode, res.Took.Round(time.Microsecond))
	return nil
}

func ranks(r map[string]int) string {
	var parts []string
	for _, name := range []string{index.Keyword, index.Vector} {
		if v, ok := r[name]; ok {
			parts = append(parts, fmt.Sprintf("%s %d", name, v))
		}
	}
	return strings.Join(parts, ", ")
}

func snippet(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > n {
		return string(r[:n]) + "…"
	}
	return s
}

func cmdEval(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) > 0 && args[0] == "answers" {
		return cmdEvalAnswers(ctx, args[1:], getenv, stdout, stderr)
	}
	own, rest := splitFlags(args, []string{"docs", "queries", "mode", "k"}, []string{"json"})
	fs := flag.NewFlagSet("eval", flag.ContinueOnError)
	fs.SetOutput(stderr)
	docsPath := fs.String("docs", "", "documents, JSONL: {\"id\",\"title\",\"text\",\"lang\"?} a line")
	queriesPath := fs.String("queries", "", "queries, JSONL: {\"query\",\"relevant\":[ids]} a line")
	mode := fs.String("mode", "all", "hybrid, keyword, vector or all")
	k := fs.Int("k", 10, "cutoff for the metrics")
	asJSON := fs.Bool("json", false, "print one JSON object")
	if err := fs.Parse(own); err != nil {
		return err
	}
	cfg, extra, err := loadConfig("eval", rest, getenv, stderr)
	if err != nil {
		return err
	}
	if *docsPath == "" || *queriesPath == "" || len(extra) > 0 {
		return errors.New("usage: shopdesk eval --docs DOCS.jsonl --queries QUERIES.jsonl [--mode hybrid|keyword|vector|all] [--k 10] [--json]")
	}
	modes, err := eval.ParseModes(*mode)
	if err != nil {
		return err
	}
	res, err := formats.ReadFile(*docsPath, formats.Options{Format: "jsonl"})
	if err != nil {
		return err
	}
	if len(res.Problems) > 0 {
		return fmt.Errorf("%d bad document line(s), the first: %s", len(res.Problems), res.Problems[0])
	}
	queries, err := eval.LoadQueries(*queriesPath)
	if err != nil {
		return err
	}
	dir, err := os.MkdirTemp("", "shopdesk-eval-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)

	log := newLogger(cfg, stderr)
	chunking, fuse := indexOptions(cfg)
	run := eval.Config{Docs: res.Docs, Queries: queries, Modes: modes, K: *k, Dir: dir, Chunking: chunking, Fuse: fuse}
	if !(len(modes) == 1 && modes[0] == index.ModeKeyword) {
		hosts, stopOllama, err := ollamaHosts(ctx, cfg, log)
		if err != nil {
			return err
		}
		defer stopOllama()
		infer, err := newInference(cfg, hosts, log)
		if err != nil {
			return err
		}
		cat, err := models.Load(cfg.Path, models.Overrides{ChatTag: cfg.ChatModel, EmbedTag: cfg.EmbedModel})
		if err != nil {
			return err
		}
		emb, err := probeEmbedding(ctx, infer, cat.Default(models.KindEmbedding))
		switch {
		case err == nil:
			run.Embed, run.Space = emb.embed(infer), emb.space
		case *mode == "all":
			fmt.Fprintf(stderr, "the embedding model does not answer (%v); evaluating keyword search only\n", err)
			run.Modes = []string{index.ModeKeyword}
		default:
			return fmt.Errorf("mode %s needs the embedding model, which does not answer: %w", *mode, err)
		}
	}
	rep, err := eval.Run(ctx, run)
	if err != nil {
		return err
	}
	if *asJSON {
		return json.NewEncoder(stdout).Encode(rep)
	}
	tw := tabwriter.NewWriter(stdout, 2, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "mode\trecall@1\trecall@5\trecall@10\tMRR@10\tnDCG@10\tp50\tp95\t\n")
	row := func(name string, m eval.Metrics) {
		fmt.Fprintf(tw, "%s\t%.3f\t%.3f\t%.3f\t%.3f\t%.3f\t%s\t%s\t\n", name, m.RecallAt1, m.RecallAt5, m.RecallAt10, m.MRRAt10, m.NDCGAt10,
			m.P50.Round(10*time.Microsecond), m.P95.Round(10*time.Microsecond))
	}
	for _, m := range run.Modes {
		row(m, rep.Modes[m])
	}
	row("baseline", rep.Baseline)
	tw.Flush()
	fmt.Fprintf(stdout, "%d queries, %d documents; baseline: stock Bleve, default mapping, one match query over title and text\n", rep.N, len(res.Docs))
	if b := rep.Baseline.RecallAt1; b > 0 {
		if kw, ok := rep.Modes[index.ModeKeyword]; ok {
			fmt.Fprintf(stdout, "keyword recall@1 vs baseline: %+.1f%% (goal: at least +10%%)\n", 100*(kw.RecallAt1/b-1))
		}
	}
	return nil
}
