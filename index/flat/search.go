package flat

import (
	"container/heap"
	"context"
	"errors"
	"fmt"
	"sync"

	"gonum.org/v1/gonum/blas/blas32"

	"github.com/shopdesk/shopdesk/index"
	"github.com/shopdesk/shopdesk/tenant"
)

// Search returns the k points of tenant t most similar to q by cosine,
// best first, with their exact cosine similarity. The int8 scan picks
// k·Rescore candidates and those are scored exactly, so a
// true neighbour is missed only when quantization moves it out of the
// candidates; a tenant with no more points than that is searched exactly.
func (s *Store) Search(ctx context.Context, t string, q []float32, k int) ([]index.Ranked, error) {
	if err := tenant.Validate(t); err != nil {
		return nil, err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	if s.log == nil {
		return nil, errors.New("vector store is closed")
	}
	p := s.tenants[t]
	if p == nil || k <= 0 {
		return nil, nil
	}
	if len(q) != s.dims {
		return nil, fmt.Errorf("vector store: the query has %d dimensions, the store %d", len(q), s.dims)
	}
	qn := normalized(q)
	var cands []int
	if n := len(p.keys); n <= k*s.opts.Rescore {
		cands = make([]int, n)
		for i := range cands {
			cands[i] = i
		}
	} else {
		var err error
		if cands, err = s.scan(ctx, p, qn, k*s.opts.Rescore); err != nil {
			return nil, err
		}
	}
	best := topK{k: k}
	v := make([]float32, s.dims)
	qv := blas32.Vector{N: s.dims, Inc: 1, Data: qn}
	for _, i := range cands {
		s.mapped.vector(p.offs[i], v)
		best.offer(i, blas32.Dot(qv, blas32.Vector{N: s.dims, Inc: 1, Data: v}))
	}
	out := make([]index.Ranked, len(best.items))
	for i := len(out) - 1; i >= 0; i-- {
		c := heap.Pop(&best).(candidate)
		out[i] = index.Ranked{Key: p.keys[c.i], Score: float64(c.score)}
	}
	return out, nil
}

// scan returns the indexes of the n points whose codes score highest
// against qn, split over the workers.
func (s *Store) scan(ctx context.Context, p *partition, qn []float32, n int) ([]int, error) {
	qi := make([]int16, s.dims)
	quantizeQuery(qn, qi)
	total := len(p.keys)
	workers := min(s.opts.Workers, max(1, total/4096))
	heaps := make([]topK, workers)
	var wg sync.WaitGroup
	for w := range workers {
		lo, hi := w*total/workers, (w+1)*total/workers
		wg.Go(func() {
			h := topK{k: n}
			out := make([]int32, blockRows)
			p.span(lo, hi, func(first int, codes []int8) {
				if ctx.Err() != nil {
					return
				}
				rows := out[:len(codes)/s.dims]
				dots(qi, codes, rows)
				scales := p.scales[first : first+len(rows)]
				for j, d := range rows {
					score := float32(d) * scales[j]
					if len(h.items) < h.k || score > h.items[0].score {
						h.offer(first+j, score)
					}
				}
			})
			heaps[w] = h
		})
	}
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	var out []int
	for _, h := range heaps {
		for _, c := range h.items {
			out = append(out, c.i)
		}
	}
	return out, nil
}

type candidate struct {
	i     int
	score float32
}

// topK keeps the k best candidates in a min-heap.
type topK struct {
	k     int
	items []candidate
}

func (h *topK) offer(i int, score float32) {
	if len(h.items) < h.k {
		heap.Push(h, candidate{i, score})
		return
	}
	if score > h.items[0].score || (score == h.items[0].score && i < h.items[0].i) {
		h.items[0] = candidate{i, score}
		heap.Fix(h, 0)
	}
}

func (h topK) Len() int { return len(h.items) }
func (h topK) Less(a, b int) bool {
	if h.items[a].score != h.items[b].score {
		return h.items[a].score < h.items[b].score
	}
	return h.items[a].i > h.items[b].i
}
func (h topK) Swap(a, b int) { h.items[a], h.items[b] = h.items[b], h.items[a] }
func (h *topK) Push(x any)   { h.items = append(h.items, x.(candidate)) }
func (h *topK) Pop() any {
	last := h.items[len(h.items)-1]
	h.items = h.items[:len(h.items)-1]
	return last
}
