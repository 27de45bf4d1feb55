package flat

import (
	"context"
	"encoding/binary"
	"fmt"
	"math"
	"math/rand"
	"os"
	"path/filepath"
	"sort"
	"sync"
	"testing"

	"github.com/shopdesk/shopdesk/index"
)

func openStore(t testing.TB, dir string) *Store {
	t.Helper()
	s, err := Open(Options{Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func randomPoints(r *rand.Rand, n, dims int, prefix string) []index.VectorPoint {
	out := make([]index.VectorPoint, n)
	for i := range out {
		v := make([]float32, dims)
		for j := range v {
			v[j] = float32(r.NormFloat64())
		}
		out[i] = index.VectorPoint{Key: fmt.Sprintf("%s%d", prefix, i), Vector: v}
	}
	return out
}

func cosine(a, b []float32) float64 {
	var dot, na, nb float64
	for i := range a {
		dot += float64(a[i]) * float64(b[i])
		na += float64(a[i]) * float64(a[i])
		nb += float64(b[i]) * float64(b[i])
	}
	return dot / math.Sqrt(na*nb)
}

func TestSearchIsExact(t *testing.T) {
	r := rand.New(rand.NewSource(1))
	s := openStore(t, t.TempDir())
	s.opts.Workers = 3 // several workers even on a small set
	pts := randomPoints(r, 10000, 32, "k")
	ctx := context.Background()
	if err := s.Upsert(ctx, "acme", pts); err != nil {
		t.Fatal(err)
	}
	for trial := range 20 {
		q := randomPoints(r, 1, 32, "q")[0].Vector
		type sc struct {
			key   string
			score float64
		}
		var want []sc
		for _, p := range pts {
			want = append(want, sc{p.Key, cosine(q, p.Vector)})
		}
		sort.Slice(want, func(i, j int) bool { return want[i].score > want[j].score })
		got, err := s.Search(ctx, "acme", q, 10)
		if err != nil {
			t.Fatal(err)
		}
		for i := range got {
			if got[i].Key != want[i].key || math.Abs(got[i].Score-want[i].score) > 1e-4 {
				t.Fatalf("trial %d rank %d: got %s %.5f, want %s %.5f", trial, i, got[i].Key, got[i].Score, want[i].key, want[i].score)
			}
		}
	}
	if got, _ := s.Search(ctx, "acme", pts[0].Vector, 20000); len(got) != 10000 {
		t.Fatalf("k beyond the count returned %d", len(got))
	}
}

func TestTenantsReplaceDelete(t *testing.T) {
	s := openStore(t, t.TempDir())
	ctx := context.Background()
	s.Upsert(ctx, "acme", []index.VectorPoint{{Key: "a", Vector: []float32{1, 0}}, {Key: "b", Vector: []float32{0, 1}}})
	s.Upsert(ctx, "globex", []index.VectorPoint{{Key: "g", Vector: []float32{1, 0}}})
	got, _ := s.Search(ctx, "globex", []float32{1, 0}, 5)
	if len(got) != 1 || got[0].Key != "g" {
		t.Fatalf("globex sees %+v", got)
	}
	// Replacing a key moves it, not duplicates it.
	s.Upsert(ctx, "acme", []index.VectorPoint{{Key: "a", Vector: []float32{0, -1}}})
	got, _ = s.Search(ctx, "acme", []float32{1, 0}, 5)
	if len(got) != 2 || s.Len("acme") != 2 {
		t.Fatalf("after replace: %+v", got)
	}
	if err := s.Delete(ctx, "acme", []string{"b", "missing"}); err != nil {
		t.Fatal(err)
	}
	got, _ = s.Search(ctx, "acme", []float32{0, -1}, 5)
	if len(got) != 1 || got[0].Key != "a" || math.Abs(got[0].Score-1) > 1e-6 {
		t.Fatalf("after delete: %+v", got)
	}
	if err := s.Upsert(ctx, "acme", []index.VectorPoint{{Key: "c", Vector: []float32{1, 2, 3}}}); err == nil {
		t.Fatal("a vector of another size was stored")
	}
	if _, err := s.Search(ctx, "acme", []float32{1, 2, 3}, 1); err == nil {
		t.Fatal("a query of another size was accepted")
	}
	if _, err := s.Search(ctx, "../x", []float32{1, 0}, 1); err == nil {
		t.Fatal("an invalid tenant was accepted")
	}
}

func TestPersistsAndSurvivesATornTail(t *testing.T) {
	dir := t.TempDir()
	ctx := context.Background()
	s, _ := Open(Options{Dir: dir})
	s.Upsert(ctx, "acme", []index.VectorPoint{{Key: "a", Vector: []float32{1, 0, 0}}, {Key: "b", Vector: []float32{0, 1, 0}}})
	s.Delete(ctx, "acme", []string{"a"})
	s.Upsert(ctx, "acme", []index.VectorPoint{{Key: "c", Vector: []float32{0, 0, 1}}})
	s.Close()

	// A crash mid-append leaves part of a record at the end.
	path := filepath.Join(dir, "vectors.log")
	whole, _ := os.ReadFile(path)
	torn := record{op: opPut, tenant: "acme", key: "d", vec: []float32{1, 1, 1}}.encode(nil)
	os.WriteFile(path, append(whole, torn[:len(torn)-5]...), 0o644)

	s2 := openStore(t, dir)
	if s2.Len("acme") != 2 || s2.Dims() != 3 {
		t.Fatalf("after reopen: %d points, %d dims", s2.Len("acme"), s2.Dims())
	}
	got, _ := s2.Search(ctx, "acme", []float32{0, 0, 1}, 1)
	if got[0].Key != "c" {
		t.Fatalf("got %+v", got)
	}
	if st, _ := os.Stat(path); st.Size() != int64(len(whole)) {
		t.Fatalf("torn tail not cut: %d bytes, want %d", st.Size(), len(whole))
	}
	// The log keeps working after the cut.
	if err := s2.Upsert(ctx, "acme", []index.VectorPoint{{Key: "d", Vector: []float32{1, 1, 1}}}); err != nil {
		t.Fatal(err)
	}
	s2.Close()
	if s3 := openStore(t, dir); s3.Len("acme") != 3 {
		t.Fatalf("after append past the cut: %d points", s3.Len("acme"))
	}

	os.WriteFile(filepath.Join(dir, "bad.log"), []byte("not a log"), 0o644)
	if _, err := openLog(filepath.Join(dir, "bad.log"), func(record) error { return nil }); err == nil {
		t.Fatal("a foreign file was read as a log")
	}
}

func TestCompaction(t *testing.T) {
	dir := t.TempDir()
	ctx := context.Background()
	s, _ := Open(Options{Dir: dir})
	r := rand.New(rand.NewSource(2))
	pts := randomPoints(r, 50, 256, "k")
	for range 100 { // rewrite the same points over and over
		s.Upsert(ctx, "acme", pts)
	}
	before, _ := os.Stat(filepath.Join(dir, "vectors.log"))
	s.Close()
	s2 := openStore(t, dir)
	after, _ := os.Stat(filepath.Join(dir, "vectors.log"))
	if after.Size() >= before.Size()/10 || s2.Len("acme") != 50 {
		t.Fatalf("log %d → %d bytes, %d points", before.Size(), after.Size(), s2.Len("acme"))
	}
}

func TestConcurrentReadsAndWrites(t *testing.T) {
	s := openStore(t, t.TempDir())
	ctx := context.Background()
	r := rand.New(rand.NewSource(3))
	base := randomPoints(r, 500, 16, "base")
	s.Upsert(ctx, "acme", base)
	var wg sync.WaitGroup
	for w := range 4 {
		wg.Go(func() {
			for i := range 50 {
				key := fmt.Sprintf("w%d-%d", w, i)
				s.Upsert(ctx, "acme", []index.VectorPoint{{Key: key, Vector: base[i].Vector}})
				if i%3 == 0 {
					s.Delete(ctx, "acme", []string{key})
				}
			}
		})
		wg.Go(func() {
			for range 50 {
				if got, err := s.Search(ctx, "acme", base[0].Vector, 5); err != nil || len(got) != 5 {
					t.Errorf("search: %v, %d", err, len(got))
				}
			}
		})
	}
	wg.Wait()
	if want := 500 + 4*(50-17); s.Len("acme") != want {
		t.Fatalf("%d points, want %d", s.Len("acme"), want)
	}
}

func FuzzLog(f *testing.F) {
	f.Add(record{op: opPut, tenant: "a", key: "k", vec: []float32{1, 2}}.encode(nil))
	f.Add(record{op: opDelete, tenant: "a", key: "k"}.encode(nil))
	f.Fuzz(func(t *testing.T, body []byte) {
		path := filepath.Join(t.TempDir(), "v.log")
		file := append([]byte(magic), body...)
		os.WriteFile(path, file, 0o644)
		n := 0
		l, err := openLog(path, func(r record) error {
			n++
			if r.op != opPut && r.op != opDelete {
				t.Fatalf("bad op %d", r.op)
			}
			// Searches read the vector where the record says it lies.
			if r.op == opPut {
				for i, x := range r.vec {
					at := r.at + 4*int64(i)
					if at+4 > int64(len(file)) || math.Float32bits(x) != binary.LittleEndian.Uint32(file[at:]) {
						t.Fatalf("vector %d of %s is not at %d", i, r.key, r.at)
					}
				}
			}
			return nil
		})
		if err != nil {
			return
		}
		defer l.close()
		if st, _ := os.Stat(path); st.Size() != l.size {
			t.Fatalf("log size %d, file %d", l.size, st.Size())
		}
	})
}

func TestClearIsDurable(t *testing.T) {
	dir := t.TempDir()
	s, err := Open(Options{Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if err := s.Upsert(ctx, "acme", []index.VectorPoint{{Key: "acme/a/1/0", DocID: "a", Vector: []float32{1, 0}}}); err != nil {
		t.Fatal(err)
	}
	if err := s.Clear(ctx); err != nil {
		t.Fatal(err)
	}
	s.Close()
	s, err = Open(Options{Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if n := s.Len("acme"); n != 0 {
		t.Errorf("%d points came back after Clear", n)
	}
}
