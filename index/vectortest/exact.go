package vectortest

import (
	"sync"

	"gonum.org/v1/gonum/blas/blas32"

	"github.com/shopdesk/shopdesk/index"
)

// Exact is the exact cosine scan the embedded store ran before it
// quantized: every vector held as float32 in memory, one dot product each
// with gonum's assembly kernel, split over workers. It is the baseline of
// the benchmarks and the oracle of the recall tests. Not safe for use
// during Add.
type Exact struct {
	Workers int
	dims    int
	keys    []string
	vecs    []float32
}

// Add stores a vector under key (normalized; keys are not deduplicated).
func (e *Exact) Add(key string, v []float32) {
	e.dims = len(v)
	e.keys = append(e.keys, key)
	e.vecs = append(e.vecs, unit(v)...)
}

// Len is the number of vectors.
func (e *Exact) Len() int { return len(e.keys) }

// Search returns the k vectors nearest to q by cosine, best first.
func (e *Exact) Search(q []float32, k int) []index.Ranked {
	qv := blas32.Vector{N: e.dims, Inc: 1, Data: unit(q)}
	n := len(e.keys)
	workers := min(max(1, e.Workers), max(1, n/2048))
	heaps := make([]best, workers)
	var wg sync.WaitGroup
	for w := range workers {
		lo, hi := w*n/workers, (w+1)*n/workers
		wg.Go(func() {
			h := best{k: k}
			for i := lo; i < hi; i++ {
				h.offer(i, blas32.Dot(qv, blas32.Vector{N: e.dims, Inc: 1, Data: e.vecs[i*e.dims : (i+1)*e.dims]}))
			}
			heaps[w] = h
		})
	}
	wg.Wait()
	all := best{k: k}
	for _, h := range heaps {
		for _, c := range h.items {
			all.offer(c.i, c.score)
		}
	}
	out := make([]index.Ranked, len(all.items))
	for i, c := range all.items {
		out[i] = index.Ranked{Key: e.keys[c.i], Score: float64(c.score)}
	}
	return out
}

// Recall is the share of want's keys that got holds (recall@len(want)).
func Recall(got, want []index.Ranked) float64 {
	if len(want) == 0 {
		return 1
	}
	in := map[string]bool{}
	for _, r := range got {
		in[r.Key] = true
	}
	n := 0
	for _, r := range want {
		if in[r.Key] {
			n++
		}
	}
	return float64(n) / float64(len(want))
}

type scored struct {
	i     int
	score float32
}

// best keeps the k highest scores, highest first, by insertion: k is
// small and most vectors fail the first comparison.
type best struct {
	k     int
	items []scored
}

func (h *best) offer(i int, score float32) {
	n := len(h.items)
	if n == h.k && (n == 0 || score <= h.items[n-1].score) {
		return
	}
	if n < h.k {
		h.items = append(h.items, scored{})
	}
	j := len(h.items) - 1
	for ; j > 0 && h.items[j-1].score < score; j-- {
		h.items[j] = h.items[j-1]
	}
	h.items[j] = scored{i, score}
}
