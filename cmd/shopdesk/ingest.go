package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/schollz/progressbar/v3"

	"github.com/shopdesk/shopdesk/index"
	"github.com/shopdesk/shopdesk/index/formats"
	"github.com/shopdesk/shopdesk/tenant"
)

// folderKinds gives files under these folder names their kind, unless
// --kind says otherwise.
var folderKinds = map[string]string{
	"policies": index.KindPolicy, "policy": index.KindPolicy,
	"faq": index.KindFAQ, "faqs": index.KindFAQ,
	"catalog": index.KindProduct, "products": index.KindProduct,
	"transcripts": index.KindTranscript, "pages": index.KindPage,
}

// ingestOptions say how to read the files.
type ingestOptions struct {
	tenant  string
	kind    string
	format  string
	mapping formats.Mapping
}

// ingestSummary is what ingesting some paths did.
type ingestSummary struct {
	Files    int
	Result   index.IngestResult
	Problems []formats.Problem
	Took     time.Duration
}

func (s ingestSummary) print(w io.Writer) {
	r := s.Result
	fmt.Fprintf(w, "ingested %d documents from %d files in %s: %d added, %d replaced, %d unchanged; %d chunks written\n",
		r.Added+r.Replaced+r.Unchanged, s.Files, s.Took.Round(time.Millisecond), r.Added, r.Replaced, r.Unchanged, r.Chunks)
	if n := len(s.Problems) + len(r.Failed); n > 0 {
		fmt.Fprintf(w, "%d problem(s); everything else went in:\n", n)
		for _, p := range s.Problems {
			fmt.Fprintf(w, "  %s\n", p)
		}
		for _, f := range r.Failed {
			where := f.Source
			if where == "" {
				where = f.ID
			}
			fmt.Fprintf(w, "  %s: %s\n", where, f.Err)
		}
	}
}

// collectFiles lists the files to read for one path argument, with the
// names that identify them: a file is named by its base name, a folder's
// files by their path inside it, so IDs do not depend on where the data
// sits on disk.
func collectFiles(path string) (files, names []string, err error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, nil, err
	}
	if !st.IsDir() {
		return []string{path}, []string{filepath.Base(path)}, nil
	}
	err = filepath.WalkDir(path, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if strings.HasPrefix(d.Name(), ".") && p != path {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if d.IsDir() || formats.FormatOf(p) == "" {
			return nil
		}
		rel, _ := filepath.Rel(path, p)
		files, names = append(files, p), append(names, filepath.ToSlash(rel))
		return nil
	})
	return files, names, err
}

// kindFor returns the kind a file's folder implies, if any.
func kindFor(name string) string {
	dirs := strings.Split(filepath.ToSlash(filepath.Dir(name)), "/")
	for i := len(dirs) - 1; i >= 0; i-- {
		if k, ok := folderKinds[strings.ToLower(dirs[i])]; ok {
			return k
		}
	}
	return ""
}

// ingestPaths reads every file under paths and ingests the documents. A
// file that cannot be read is a problem like a bad record: the rest still
// go in.
func ingestPaths(ctx context.Context, kb *knowledgeBase, paths []string, opts ingestOptions, progress io.Writer) (ingestSummary, error) {
	start := time.Now()
	var sum ingestSummary
	var docs []index.Document
	for _, path := range paths {
		files, names, err := collectFiles(path)
		if err != nil {
			sum.Problems = append(sum.Problems, formats.Problem{Where: path, Err: err.Error()})
			continue
		}
		for i, f := range files {
			kind := opts.kind
			if kind == "" {
				kind = kindFor(names[i])
			}
			res, err := formats.ReadFile(f, formats.Options{Format: opts.format, Kind: kind, Mapping: opts.mapping, Name: names[i]})
			sum.Files++
			if err != nil {
				sum.Problems = append(sum.Problems, formats.Problem{Where: names[i], Err: strings.TrimPrefix(err.Error(), names[i]+": ")})
				continue
			}
			docs = append(docs, res.Docs...)
			sum.Problems = append(sum.Problems, res.Problems...)
		}
	}
	var report func(done, total int)
	if progress != nil && len(docs) > 0 {
		bar := progressbar.NewOptions(len(docs), progressbar.OptionSetWriter(progress), progressbar.OptionSetDescription("indexing"),
			progressbar.OptionShowCount(), progressbar.OptionThrottle(100*time.Millisecond), progressbar.OptionClearOnFinish(),
			progressbar.OptionSetVisibility(isTerminal(progress)))
		defer bar.Finish()
		report = func(done, _ int) { bar.Set(done) }
	}
	res, err := kb.Ingest(ctx, opts.tenant, docs, report)
	sum.Result, sum.Took = res, time.Since(start)
	return sum, err
}

// parseMapping reads --map: comma-separated field=name pairs, with
// several text fields joined by '+' (text=description+details).
func parseMapping(s string) (formats.Mapping, error) {
	var m formats.Mapping
	kvs, err := pairs(s, "--map: %q is not field=name")
	if err != nil {
		return m, err
	}
	for _, kv := range kvs {
		k, v := kv[0], kv[1]
		switch k {
		case "records":
			m.Records = v
		case "id":
			m.ID = v
		case "title":
			m.Title = v
		case "text":
			m.Text = strings.Split(v, "+")
		case "url":
			m.URL = v
		case "lang":
			m.Lang = v
		case "kind":
			m.Kind = v
		case "tags":
			m.Tags = v
		case "group_by":
			m.GroupBy = v
		default:
			return m, fmt.Errorf("--map: unknown field %q (use records, id, title, text, url, lang, kind, tags, group_by)", k)
		}
	}
	return m, nil
}

// pairs splits a comma-separated list of key=value items, trimming both
// sides and skipping empty items. An item without '=' or without a value
// is an error, formatted by badf with the item as its one %q.
func pairs(raw, badf string) ([][2]string, error) {
	var out [][2]string
	for _, item := range strings.Split(raw, ",") {
		if item = strings.TrimSpace(item); item == "" {
			continue
		}
		k, v, ok := strings.Cut(item, "=")
		k, v = strings.TrimSpace(k), strings.TrimSpace(v)
		if !ok || v == "" {
			return nil, fmt.Errorf(badf, item)
		}
		out = append(out, [2]string{k, v})
	}
	return out, nil
}

// splitFlags separates the flags a subcommand defines itself (own, of
// which switches take no value) from the settings flags, so both may
// appear in any order.
func splitFlags(args []string, own, switches []string) (mine, rest []string) {
	for i := 0; i < len(args); i++ {
		a := args[i]
		name := strings.TrimLeft(a, "-")
		name, _, hasValue := strings.Cut(name, "=")
		if strings.HasPrefix(a, "-") && (slices.Contains(own, name) || slices.Contains(switches, name)) {
			mine = append(mine, a)
			if !hasValue && !slices.Contains(switches, name) && i+1 < len(args) {
				mine = append(mine, args[i+1])
				i++
			}
			continue
		}
		rest = append(rest, a)
	}
	return mine, rest
}

func cmdIngest(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	own, rest := splitFlags(args, []string{"tenant", "kind", "format", "map"}, nil)
	fs := flag.NewFlagSet("ingest", flag.ContinueOnError)
	fs.SetOutput(stderr)
	tn := fs.String("tenant", tenant.Default, "tenant the documents belong to")
	kind := fs.String("kind", "", "kind of every document (faq, policy, product, transcript, page); default: from the folder or record")
	format := fs.String("format", "", "read every file as this format (jsonl, json, csv, tsv, md, html, txt, pdf); default: by extension")
	mapFlag := fs.String("map", "", "JSON/CSV field mapping: id=sku,title=name,text=description+details,url=link,tags=tags,records=products,group_by=Handle")
	if err := fs.Parse(own); err != nil {
		return err
	}
	cfg, paths, err := loadConfig("ingest", rest, getenv, stderr)
	if err != nil {
		return err
	}
	if len(paths) == 0 {
		return errors.New("usage: shopdesk ingest [--tenant T] [--kind K] [--format F] [--map ...] PATH...")
	}
	if err := tenant.Validate(*tn); err != nil {
		return err
	}
	mapping, err := parseMapping(*mapFlag)
	if err != nil {
		return err
	}
	log := newLogger(cfg, stderr)
	kb, _, release, err := openLocked(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer release()
	if kb.NeedsReembed() {
		fmt.Fprintln(stdout, "the embedding model changed: embedding the knowledge base again first")
		if err := kb.Reembed(ctx, nil); err != nil {
			return err
		}
		kb.cleanup()
	}
	sum, err := ingestPaths(ctx, kb, paths, ingestOptions{tenant: *tn, kind: *kind, format: *format, mapping: mapping}, stderr)
	sum.print(stdout)
	if err != nil {
		return err
	}
	if n := len(sum.Problems) + len(sum.Result.Failed); n > 0 {
		return fmt.Errorf("%d problem(s) while ingesting", n)
	}
	return nil
}

// ingestAtStart ingests the ingest setting's paths into tenant default,
// as serve and the answer evaluation do before they start.
func ingestAtStart(ctx context.Context, cfg *config, kb *knowledgeBase, stdout io.Writer, log *slog.Logger) error {
	if len(cfg.Ingest) == 0 {
		return nil
	}
	fmt.Fprintf(stdout, "indexing %s (documents already indexed and unchanged are skipped)\n", strings.Join(cfg.Ingest, ", "))
	sum, err := ingestPaths(ctx, kb, cfg.Ingest, ingestOptions{tenant: tenant.Default}, stdout)
	if err != nil {
		return fmt.Errorf("ingest at start: %w", err)
	}
	r := sum.Result
	log.Info("knowledge ingested at start", "paths", strings.Join(cfg.Ingest, ","), "files", sum.Files,
		"added", r.Added, "replaced", r.Replaced, "unchanged", r.Unchanged, "chunks", r.Chunks, "took", sum.Took.Round(time.Millisecond))
	for _, p := range sum.Problems {
		log.Warn("could not ingest", "where", p.Where, "err", p.Err)
	}
	for _, f := range r.Failed {
		log.Warn("could not ingest", "where", f.Source, "id", f.ID, "err", f.Err)
	}
	return nil
}
