package index

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/shopdesk/shopdesk/tenant"
)

// The search modes.
const (
	ModeHybrid  = "hybrid"
	ModeKeyword = "keyword"
	ModeVector  = "vector"
)

// ErrBadQuery reports a search request that cannot be run as asked.
var ErrBadQuery = errors.New("invalid search")

// SearchOptions shape one search.
type SearchOptions struct {
	// Mode is hybrid (default), keyword or vector.
	Mode string
	// K is the number of hits (default 5, at most 100).
	K int
	// MaxPerDoc caps the hits from one document (default: the index's).
	MaxPerDoc int
	// Vector is the query's embedding, if already computed; otherwise the
	// query text is embedded.
	Vector []float32
}

// SearchHit is a chunk found by a search.
type SearchHit struct {
	Chunk
	// Score is the fused score (reciprocal rank fusion).
	Score float64 `json:"score"`
	// Ranks is the hit's 1-based rank in each retriever that found it.
	Ranks map[string]int `json:"ranks"`
	// Scores is each retriever's own score (BM25, cosine similarity).
	Scores map[string]float64 `json:"scores"`
}

// SearchResult is the outcome of a search.
type SearchResult struct {
	Mode string      `json:"mode"`
	Hits []SearchHit `json:"hits"`
	// Degraded lists retrievers that failed or were unavailable, when the
	// others' results are returned without them.
	Degraded []string      `json:"degraded,omitempty"`
	Took     time.Duration `json:"-"`
}

// maxQueryBytes bounds the query text.
const maxQueryBytes = 4096

// Search finds a tenant's chunks for query. In hybrid mode the keyword
// and vector searches run in parallel and are fused; if one fails or runs
// past its time limit, the other's results are returned and Degraded says
// why. Only current generations of documents are returned.
func (x *Index) Search(ctx context.Context, t, query string, opts SearchOptions) (SearchResult, error) {
	start := time.Now()
	if err := tenant.Validate(t); err != nil {
		return SearchResult{}, err
	}
	if opts.Mode == "" {
		opts.Mode = ModeHybrid
	}
	if opts.K <= 0 {
		opts.K = 5
	}
	opts.K = min(opts.K, 100)
	query = strings.TrimSpace(query)
	if len(query) > maxQueryBytes {
		query = query[:maxQueryBytes]
		for !utf8.ValidString(query) {
			query = query[:len(query)-1]
		}
	}
	if query == "" && opts.Vector == nil {
		return SearchResult{}, fmt.Errorf("%w: the query is empty", ErrBadQuery)
	}
	useKeyword := opts.Mode == ModeHybrid || opts.Mode == ModeKeyword
	useVector := opts.Mode == ModeHybrid || opts.Mode == ModeVector
	if !useKeyword && !useVector {
		return SearchResult{}, fmt.Errorf("%w: mode %q is not one of hybrid, keyword, vector", ErrBadQuery, opts.Mode)
	}
	res := SearchResult{Mode: opts.Mode}
	if useVector && !x.vectorsConfigured() {
		if opts.Mode == ModeVector {
			return res, fmt.Errorf("%w: vector search is not configured", ErrBadQuery)
		}
		useVector = false
		res.Degraded = append(res.Degraded, "vector: not configured")
	}
	if useVector && !x.vectorsReady.Load() {
		if opts.Mode == ModeVector {
			return res, fmt.Errorf("%w: vector search is off until the knowledge base is embedded with the new model", ErrBadQuery)
		}
		useVector = false
		res.Degraded = append(res.Degraded, "vector: re-embedding for a new model")
	}

	fetch := max(4*opts.K, 20)
	lists := map[string][]Ranked{}
	var mu sync.Mutex
	var wg sync.WaitGroup
	failed := map[string]error{}
	run := func(name string, fn func(ctx context.Context) ([]Ranked, error)) {
		wg.Go(func() {
			rctx, cancel := context.WithTimeout(ctx, x.opts.RetrieverTimeout)
			defer cancel()
			ranked, err := fn(rctx)
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				failed[name] = err
				return
			}
			lists[name] = ranked
		})
	}
	if useKeyword {
		run(Keyword, func(ctx context.Context) ([]Ranked, error) {
			return x.opts.Keyword.Search(ctx, t, query, fetch)
		})
	}
	if useVector {
		run(Vector, func(ctx context.Context) ([]Ranked, error) {
			vec := opts.Vector
			if vec == nil {
				vecs, err := x.opts.Embed(ctx, []string{query})
				if err != nil {
					return nil, fmt.Errorf("embed the query: %w", err)
				}
				vec = vecs[0]
			}
			return x.opts.Vectors.Search(ctx, t, vec, fetch)
		})
	}
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return res, err
	}
	for name, err := range failed {
		x.log.Warn("retriever failed; answering without it", "tenant", t, "retriever", name, "err", err)
		reason := "failed"
		if errors.Is(err, context.DeadlineExceeded) {
			reason = "timed out"
		}
		res.Degraded = append(res.Degraded, name+": "+reason)
	}
	if len(lists) == 0 {
		var errs []error
		for name, err := range failed {
			errs = append(errs, fmt.Errorf("%s: %w", name, err))
		}
		return res, fmt.Errorf("search failed: %w", errors.Join(errs...))
	}

	fuse := x.opts.Fuse
	if opts.MaxPerDoc > 0 {
		fuse.MaxPerDoc = opts.MaxPerDoc
	}
	fuse.TopK = 3 * opts.K // room for chunks of superseded generations
	hits := Fuse(lists, fuse)
	refs := make([]ChunkRef, len(hits))
	for i, h := range hits {
		refs[i] = h.Ref
	}
	chunks, err := x.reg.resolve(ctx, t, refs)
	if err != nil {
		return res, fmt.Errorf("search: %w", err)
	}
	for _, h := range hits {
		c, ok := chunks[h.Key]
		if !ok || h.Ref.Tenant != t {
			continue
		}
		res.Hits = append(res.Hits, SearchHit{Chunk: c, Score: h.Score, Ranks: h.Ranks, Scores: h.Scores})
		if len(res.Hits) == opts.K {
			break
		}
	}
	res.Took = time.Since(start)
	return res, nil
}
