// Package flat is shopdesk's embedded vector store: exact cosine search
// over every vector of a tenant, in pure Go, persisted in the data
// directory.
//
// Vectors are normalized on insert and kept contiguous per tenant, so a
// search is one pass of dot products (with gonum's assembly kernel) split
// over the CPUs. Every change is appended to a log with a checksum per
// record and synced before the call returns; on open the log is replayed,
// a torn record at its end (a crash mid-write) is cut off, and the log is
// compacted when most of it is dead.
package flat

import (
	"container/heap"
	"context"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"sync"

	"gonum.org/v1/gonum/blas/blas32"

	"github.com/shopdesk/shopdesk/index"
	"github.com/shopdesk/shopdesk/tenant"
)

// Options configure a Store.
type Options struct {
	// Dir holds the store's files.
	Dir string
	// Dims is the vector size; 0 takes it from the first vector stored.
	// Vectors of another size are refused.
	Dims int
	// Workers scan in parallel (default: one fewer than the CPUs, at least
	// one: hybrid search runs a keyword search alongside).
	Workers int
}

// Store is safe for concurrent use: searches run in parallel with each
// other and wait for writes.
type Store struct {
	opts Options

	mu      sync.RWMutex
	dims    int
	tenants map[string]*partition
	log     *logFile
	live    int64 // bytes the live points would take in a fresh log
}

// partition is one tenant's vectors.
type partition struct {
	keys []string
	vecs []float32 // len(keys)*dims, each vector of unit length
	pos  map[string]int
}

// Open loads the store in opts.Dir, creating it if needed.
func Open(opts Options) (*Store, error) {
	if opts.Workers <= 0 {
		opts.Workers = max(1, runtime.GOMAXPROCS(0)-1)
	}
	if err := os.MkdirAll(opts.Dir, 0o755); err != nil {
		return nil, fmt.Errorf("vector store: %w", err)
	}
	s := &Store{opts: opts, dims: opts.Dims, tenants: map[string]*partition{}}
	lf, err := openLog(filepath.Join(opts.Dir, "vectors.log"), func(r record) error { return s.replay(r) })
	if err != nil {
		return nil, fmt.Errorf("vector store %s: %w", opts.Dir, err)
	}
	s.log = lf
	if s.log.size > 2*s.live+(1<<20) {
		if err := s.compact(); err != nil {
			lf.close()
			return nil, err
		}
	}
	return s, nil
}

// Close syncs and closes the log.
func (s *Store) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.log == nil {
		return nil
	}
	err := s.log.close()
	s.log = nil
	return err
}

// Dims returns the vector size, or 0 before the first vector.
func (s *Store) Dims() int {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.dims
}

// Len returns the number of vectors the tenant has.
func (s *Store) Len(t string) int {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if p := s.tenants[t]; p != nil {
		return len(p.keys)
	}
	return 0
}

func (s *Store) replay(r record) error {
	switch r.op {
	case opPut:
		if s.dims == 0 {
			s.dims = len(r.vec)
		}
		if len(r.vec) != s.dims {
			return fmt.Errorf("log holds a %d-dimensional vector in a %d-dimensional store", len(r.vec), s.dims)
		}
		s.put(r.tenant, r.key, r.vec)
	case opDelete:
		s.del(r.tenant, r.key)
	}
	return nil
}

// Upsert stores the points, replacing any with the same key, and returns
// once they are on disk.
func (s *Store) Upsert(ctx context.Context, t string, points []index.VectorPoint) error {
	if err := tenant.Validate(t); err != nil {
		return err
	}
	if len(points) == 0 {
		return nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.log == nil {
		return errors.New("vector store is closed")
	}
	dims := s.dims
	if dims == 0 {
		dims = len(points[0].Vector)
	}
	recs := make([]record, 0, len(points))
	for _, p := range points {
		if len(p.Vector) != dims || dims == 0 {
			return fmt.Errorf("vector store: %s has %d dimensions, the store %d", p.Key, len(p.Vector), dims)
		}
		recs = append(recs, record{op: opPut, tenant: t, key: p.Key, vec: normalized(p.Vector)})
	}
	if err := s.log.append(recs); err != nil {
		return err
	}
	s.dims = dims
	for _, r := range recs {
		s.put(r.tenant, r.key, r.vec)
	}
	return s.maybeCompact()
}

// Delete removes the points with the given keys and returns once that is
// on disk. Unknown keys are ignored.
func (s *Store) Delete(ctx context.Context, t string, keys []string) error {
	if err := tenant.Validate(t); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.log == nil {
		return errors.New("vector store is closed")
	}
	p := s.tenants[t]
	var recs []record
	for _, k := range keys {
		if p != nil {
			if _, ok := p.pos[k]; ok {
				recs = append(recs, record{op: opDelete, tenant: t, key: k})
			}
		}
	}
	if len(recs) == 0 {
		return nil
	}
	if err := s.log.append(recs); err != nil {
		return err
	}
	for _, r := range recs {
		s.del(r.tenant, r.key)
	}
	return s.maybeCompact()
}

// Clear removes every point and returns once that is on disk.
func (s *Store) Clear(ctx context.Context) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.log == nil {
		return errors.New("vector store is closed")
	}
	s.tenants, s.live = map[string]*partition{}, 0
	return s.compact()
}

func (s *Store) put(t, key string, vec []float32) {
	p := s.tenants[t]
	if p == nil {
		p = &partition{pos: map[string]int{}}
		s.tenants[t] = p
	}
	if i, ok := p.pos[key]; ok {
		copy(p.vecs[i*s.dims:(i+1)*s.dims], vec)
		return
	}
	p.pos[key] = len(p.keys)
	p.keys = append(p.keys, key)
	p.vecs = append(p.vecs, vec...)
	s.live += recordSize(t, key, s.dims)
}

// del removes key by moving the last vector into its place.
func (s *Store) del(t, key string) {
	p := s.tenants[t]
	if p == nil {
		return
	}
	i, ok := p.pos[key]
	if !ok {
		return
	}
	last := len(p.keys) - 1
	if i != last {
		p.keys[i] = p.keys[last]
		copy(p.vecs[i*s.dims:(i+1)*s.dims], p.vecs[last*s.dims:(last+1)*s.dims])
		p.pos[p.keys[i]] = i
	}
	p.keys = p.keys[:last]
	p.vecs = p.vecs[:last*s.dims]
	delete(p.pos, key)
	s.live -= recordSize(t, key, s.dims)
	if len(p.keys) == 0 {
		delete(s.tenants, t)
	}
}

// maybeCompact rewrites the log once most of it is dead records.
func (s *Store) maybeCompact() error {
	if s.log.size > 2*s.live+(64<<20) {
		return s.compact()
	}
	return nil
}

// compact writes the live points to a new log and swaps it in.
func (s *Store) compact() error {
	var recs []record
	for t, p := range s.tenants {
		for i, k := range p.keys {
			recs = append(recs, record{op: opPut, tenant: t, key: k, vec: p.vecs[i*s.dims : (i+1)*s.dims]})
		}
	}
	lf, err := s.log.rewrite(recs)
	if err != nil {
		return fmt.Errorf("vector store compaction: %w", err)
	}
	s.log = lf
	return nil
}

func normalized(v []float32) []float32 {
	var sum float64
	for _, x := range v {
		sum += float64(x) * float64(x)
	}
	out := make([]float32, len(v))
	if sum == 0 {
		return out
	}
	inv := float32(1 / math.Sqrt(sum))
	for i, x := range v {
		out[i] = x * inv
	}
	return out
}

// Search returns the k points of tenant t most similar to q by cosine,
// computed exactly over all of the tenant's points.
func (s *Store) Search(ctx context.Context, t string, q []float32, k int) ([]index.Ranked, error) {
	if err := tenant.Validate(t); err != nil {
		return nil, err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	p := s.tenants[t]
	if p == nil || k <= 0 {
		return nil, nil
	}
	if len(q) != s.dims {
		return nil, fmt.Errorf("vector store: the query has %d dimensions, the store %d", len(q), s.dims)
	}
	qn := normalized(q)
	n := len(p.keys)
	workers := min(s.opts.Workers, max(1, n/2048))
	heaps := make([]topK, workers)
	var wg sync.WaitGroup
	for w := range workers {
		lo, hi := w*n/workers, (w+1)*n/workers
		wg.Go(func() {
			h := topK{k: k}
			qv := blas32.Vector{N: s.dims, Inc: 1, Data: qn}
			for i := lo; i < hi; i++ {
				if i%4096 == 0 && ctx.Err() != nil {
					return
				}
				score := blas32.Dot(qv, blas32.Vector{N: s.dims, Inc: 1, Data: p.vecs[i*s.dims : (i+1)*s.dims]})
				h.offer(i, score)
			}
			heaps[w] = h
		})
	}
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	all := topK{k: k}
	for _, h := range heaps {
		for _, c := range h.items {
			all.offer(c.i, c.score)
		}
	}
	out := make([]index.Ranked, len(all.items))
	for i := len(out) - 1; i >= 0; i-- {
		c := heap.Pop(&all).(candidate)
		out[i] = index.Ranked{Key: p.keys[c.i], Score: float64(c.score)}
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
