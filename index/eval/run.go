package eval

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"time"

	"github.com/blevesearch/bleve/v2"

	"github.com/shopdesk/shopdesk/index"
	"github.com/shopdesk/shopdesk/index/flat"
	"github.com/shopdesk/shopdesk/index/keyword"
	"github.com/shopdesk/shopdesk/sqlite"
)

// Config describes one evaluation.
type Config struct {
	Docs    []index.Document
	Queries []Query
	// Modes to run: hybrid, keyword, vector.
	Modes []string
	// K is the cutoff (documents per query, default 10).
	K int
	// Dir is an empty directory for the indexes.
	Dir string
	// Embed and Space enable the vector and hybrid modes.
	Embed index.EmbedFunc
	Space string
	// Chunking and Fuse configure the index as in production.
	Chunking index.ChunkOptions
	Fuse     index.FuseOptions
}

// Report is the outcome: metrics per mode and for the baseline, stock
// Bleve (default mapping, one match query over title and text).
type Report struct {
	N        int                `json:"n"`
	Modes    map[string]Metrics `json:"modes"`
	Baseline Metrics            `json:"baseline"`
}

// Run builds the indexes in cfg.Dir, runs every query in every mode and
// in the baseline, and scores them. Latencies include embedding the query.
func Run(ctx context.Context, cfg Config) (Report, error) {
	if cfg.K <= 0 {
		cfg.K = 10
	}
	rep := Report{N: len(cfg.Queries), Modes: map[string]Metrics{}}
	const t = "eval"
	db, err := sqlite.Open(filepath.Join(cfg.Dir, "eval.db"))
	if err != nil {
		return rep, err
	}
	defer db.Close()
	kw, err := keyword.Open(filepath.Join(cfg.Dir, "keyword"))
	if err != nil {
		return rep, err
	}
	defer kw.Close()
	opts := index.Options{DB: db, Keyword: kw, Chunking: cfg.Chunking, Fuse: cfg.Fuse, RetrieverTimeout: time.Minute}
	for _, m := range cfg.Modes {
		if m != index.ModeKeyword && cfg.Embed == nil {
			return rep, fmt.Errorf("mode %s needs an embedding model", m)
		}
	}
	if cfg.Embed != nil {
		vec, err := flat.Open(flat.Options{Dir: filepath.Join(cfg.Dir, "vectors")})
		if err != nil {
			return rep, err
		}
		defer vec.Close()
		opts.Vectors, opts.Embed, opts.Space = vec, cfg.Embed, cfg.Space
	}
	x, err := index.Open(ctx, opts)
	if err != nil {
		return rep, err
	}
	res, err := x.Ingest(ctx, t, cfg.Docs, nil)
	if err != nil {
		return rep, err
	}
	if len(res.Failed) > 0 {
		return rep, fmt.Errorf("%d documents could not be indexed, the first: %s: %s", len(res.Failed), res.Failed[0].ID, res.Failed[0].Err)
	}
	if err := checkLabels(cfg.Docs, cfg.Queries); err != nil {
		return rep, err
	}

	for _, mode := range cfg.Modes {
		ranked := make([][]string, len(cfg.Queries))
		took := make([]time.Duration, len(cfg.Queries))
		for i, q := range cfg.Queries {
			start := time.Now()
			r, err := x.Search(ctx, t, q.Query, index.SearchOptions{Mode: mode, K: cfg.K, MaxPerDoc: 1})
			took[i] = time.Since(start)
			if err != nil {
				return rep, fmt.Errorf("%s query %d: %w", mode, i+1, err)
			}
			for _, h := range r.Hits {
				ranked[i] = append(ranked[i], h.DocID)
			}
		}
		rep.Modes[mode] = Score(cfg.Queries, ranked, took)
	}
	rep.Baseline, err = baseline(ctx, filepath.Join(cfg.Dir, "baseline"), cfg)
	return rep, err
}

// checkLabels makes sure every relevant ID names a document: a typo in the
// labels would silently lower every score.
func checkLabels(docs []index.Document, queries []Query) error {
	ids := map[string]bool{}
	for _, d := range docs {
		ids[d.ID] = true
	}
	for i, q := range queries {
		for _, id := range q.Relevant {
			if !ids[id] {
				return fmt.Errorf("query %d (%q) names relevant document %q, which the documents do not have", i+1, q.Query, id)
			}
		}
	}
	return nil
}

// baseline indexes the documents in stock Bleve (default mapping) and runs
// one match query over title and text (Bleve's _all field).
func baseline(ctx context.Context, dir string, cfg Config) (Metrics, error) {
	idx, err := bleve.New(dir, bleve.NewIndexMapping())
	if err != nil {
		return Metrics{}, err
	}
	defer idx.Close()
	b := idx.NewBatch()
	for _, d := range cfg.Docs {
		if err := b.Index(d.ID, map[string]string{"title": d.Title, "text": d.Text}); err != nil {
			return Metrics{}, err
		}
	}
	if err := idx.Batch(b); err != nil {
		return Metrics{}, err
	}
	ranked := make([][]string, len(cfg.Queries))
	took := make([]time.Duration, len(cfg.Queries))
	for i, q := range cfg.Queries {
		start := time.Now()
		res, err := idx.SearchInContext(ctx, bleve.NewSearchRequestOptions(bleve.NewMatchQuery(q.Query), cfg.K, 0, false))
		took[i] = time.Since(start)
		if err != nil {
			return Metrics{}, err
		}
		for _, h := range res.Hits {
			ranked[i] = append(ranked[i], h.ID)
		}
	}
	return Score(cfg.Queries, ranked, took), nil
}

// ParseModes expands "all" and checks the names.
func ParseModes(s string) ([]string, error) {
	all := []string{index.ModeKeyword, index.ModeVector, index.ModeHybrid}
	if s == "" || s == "all" {
		return all, nil
	}
	if !slices.Contains(all, s) {
		return nil, errors.New("mode must be hybrid, keyword, vector or all")
	}
	return []string{s}, nil
}
