package index

import (
	"sort"
)

// The retrievers whose rankings are fused.
const (
	Keyword = "keyword"
	Vector  = "vector"
)

// Ranked is one retriever's result: chunk keys, best first, with the
// retriever's own scores.
type Ranked struct {
	Key   string
	Score float64
}

// FuseOptions configure reciprocal rank fusion.
type FuseOptions struct {
	// K dampens the weight of top ranks: a hit at rank r scores
	// weight/(K+r). Default 60, the usual choice.
	K float64
	// Weights scale each retriever's contribution (default 1 each).
	Weights map[string]float64
	// MaxPerDoc keeps at most this many chunks of one document (default 2),
	// so one long document cannot crowd out the rest.
	MaxPerDoc int
	// TopK is the number of hits returned (default 10).
	TopK int
}

func (o FuseOptions) withDefaults() FuseOptions {
	if o.K <= 0 {
		o.K = 60
	}
	if o.MaxPerDoc <= 0 {
		o.MaxPerDoc = 2
	}
	if o.TopK <= 0 {
		o.TopK = 10
	}
	return o
}

func (o FuseOptions) weight(retriever string) float64 {
	if w, ok := o.Weights[retriever]; ok {
		return w
	}
	return 1
}

// Hit is a fused search result.
type Hit struct {
	Key string
	Ref ChunkRef
	// Score is the fused score.
	Score float64
	// Ranks gives the hit's 1-based rank in each retriever that found it.
	Ranks map[string]int
	// Scores gives each retriever's own score for the hit.
	Scores map[string]float64
}

// Fuse merges rankings by reciprocal rank fusion: each hit scores the sum
// over retrievers of weight/(K+rank). Ties keep keyword order before
// vector order, then key order, so results are stable. Keys that do not
// parse are dropped.
func Fuse(lists map[string][]Ranked, opts FuseOptions) []Hit {
	opts = opts.withDefaults()
	hits := map[string]*Hit{}
	var order []string
	names := make([]string, 0, len(lists))
	for name := range lists {
		names = append(names, name)
	}
	sort.Strings(names) // "keyword" before "vector"
	for _, name := range names {
		w := opts.weight(name)
		for i, r := range lists[name] {
			h, ok := hits[r.Key]
			if !ok {
				ref, err := ParseKey(r.Key)
				if err != nil {
					continue
				}
				h = &Hit{Key: r.Key, Ref: ref, Ranks: map[string]int{}, Scores: map[string]float64{}}
				hits[r.Key] = h
				order = append(order, r.Key)
			}
			if _, seen := h.Ranks[name]; seen {
				continue // a retriever listing a key twice counts once
			}
			h.Ranks[name] = i + 1
			h.Scores[name] = r.Score
			h.Score += w / (opts.K + float64(i+1))
		}
	}
	all := make([]*Hit, 0, len(order))
	for _, k := range order {
		all = append(all, hits[k])
	}
	sort.SliceStable(all, func(i, j int) bool { return all[i].Score > all[j].Score })

	out := make([]Hit, 0, min(opts.TopK, len(all)))
	perDoc := map[[2]string]int{}
	for _, h := range all {
		doc := [2]string{h.Ref.Tenant, h.Ref.DocID}
		if perDoc[doc] >= opts.MaxPerDoc {
			continue
		}
		perDoc[doc]++
		out = append(out, *h)
		if len(out) == opts.TopK {
			break
		}
	}
	return out
}
