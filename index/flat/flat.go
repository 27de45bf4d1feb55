// Package flat is shopdesk's embedded vector store: cosine search over
// every vector of a tenant, in pure Go, persisted in the data directory.
//
// Vectors are normalized on insert. The log in the data directory is the
// one copy of their float32 values; memory holds an int8 code of each
// (see quant.go), kept contiguous per tenant. A search scans the codes
// with an AVX2 kernel, split over the CPUs, and rescores the best
// candidates exactly against the float32 vectors, read from the log
// through a read-only memory mapping. Every change is appended to the log
// with a checksum per record and synced before the call returns; on open
// the log is replayed, a torn record at its end (a crash mid-write) is cut
// off, and the log is compacted when most of it is dead. Because the
// mapped file is the log itself, what a search reads is always what the
// log holds.
package flat

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"sync"

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
	// Rescore is how many candidates per requested result the int8 scan
	// passes on to be scored exactly (default 4: on the tiny model's real
	// embeddings 2 gave recall@10 0.995 and 4 gave 1.0; see the README).
	Rescore int
}

// Store is safe for concurrent use: searches run in parallel with each
// other and wait for writes.
type Store struct {
	opts Options

	mu      sync.RWMutex
	dims    int
	tenants map[string]*partition
	log     *logFile
	mapped  *mapping
	live    int64 // bytes the live points would take in a fresh log
}

// Open loads the store in opts.Dir, creating it if needed.
func Open(opts Options) (*Store, error) {
	if opts.Workers <= 0 {
		opts.Workers = max(1, runtime.GOMAXPROCS(0)-1)
	}
	if opts.Rescore <= 0 {
		opts.Rescore = 4
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
	err = s.remap(false)
	if err == nil && s.log.size > 2*s.live+(1<<20) {
		err = s.compact()
	}
	if err != nil {
		s.Close()
		return nil, err
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
	return errors.Join(err, s.mapped.close())
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
		s.put(r)
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
	// The records are durable; map them before anything can point at them.
	if err := s.remap(false); err != nil {
		return err
	}
	s.dims = dims
	for _, r := range recs {
		s.put(r)
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

// Vectors returns the tenant's stored vectors (of unit length) for those
// of keys it holds. Unknown keys are left out.
func (s *Store) Vectors(ctx context.Context, t string, keys []string) (map[string][]float32, error) {
	if err := tenant.Validate(t); err != nil {
		return nil, err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	out := map[string][]float32{}
	p := s.tenants[t]
	if p == nil {
		return out, nil
	}
	for _, k := range keys {
		if i, ok := p.pos[k]; ok {
			v := make([]float32, s.dims)
			s.mapped.vector(p.offs[i], v)
			out[k] = v
		}
	}
	return out, nil
}

// put applies a put record whose vector the log holds at r.at.
func (s *Store) put(r record) {
	p := s.tenants[r.tenant]
	if p == nil {
		p = newPartition(s.dims)
		s.tenants[r.tenant] = p
	}
	if p.put(r.key, r.vec, r.at) {
		s.live += recordSize(r.tenant, r.key, s.dims)
	}
}

func (s *Store) del(t, key string) {
	p := s.tenants[t]
	if p == nil || !p.del(key) {
		return
	}
	s.live -= recordSize(t, key, s.dims)
	if len(p.keys) == 0 {
		delete(s.tenants, t)
	}
}

// remap maps the log anew if it has grown past the mapping, or if it is
// a new file (fresh).
func (s *Store) remap(fresh bool) error {
	if !fresh && s.mapped != nil && s.mapped.covers(s.log.size) {
		return nil
	}
	m, err := mapLog(s.log.f, s.log.size)
	if err != nil {
		return fmt.Errorf("vector store: mapping %s: %w", s.log.path, err)
	}
	old := s.mapped
	s.mapped = m
	return old.close()
}

// maybeCompact rewrites the log once most of it is dead records.
func (s *Store) maybeCompact() error {
	if s.log.size > 2*s.live+(64<<20) {
		return s.compact()
	}
	return nil
}

// compact writes the live points to a new log, swaps it in and maps it.
// The vectors are copied from the old mapping one at a time.
func (s *Store) compact() error {
	moved := map[*partition][]int64{}
	recs := func(yield func(*record) bool) {
		r := record{op: opPut, vec: make([]float32, s.dims)}
		for t, p := range s.tenants {
			offs := make([]int64, len(p.keys))
			moved[p] = offs
			for i, k := range p.keys {
				r.tenant, r.key = t, k
				s.mapped.vector(p.offs[i], r.vec)
				if !yield(&r) {
					return
				}
				offs[i] = r.at
			}
		}
	}
	lf, err := s.log.rewrite(iter.Seq[*record](recs))
	if err != nil {
		return fmt.Errorf("vector store compaction: %w", err)
	}
	s.log = lf
	for p, offs := range moved {
		p.offs = offs
	}
	if err := s.remap(true); err != nil {
		// The offsets are the new log's, which cannot be read: stop here.
		s.log.close()
		s.log = nil
		return err
	}
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
