package flat

import (
	"context"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"testing"

	"github.com/shopdesk/shopdesk/index"
	"github.com/shopdesk/shopdesk/index/vectortest"
)

// TestRecallOnStructuredVectors compares the quantized search with the
// exact scan on clustered vectors, where quantization error shows (random
// vectors would hide it).
func TestRecallOnStructuredVectors(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		name            string
		n, dims, k      int
		rescore         int
		min             float64
		clusters, seeds int
	}{
		{"768 dims, k 10", 10000, 768, 10, 0, 0.99, 100, 1},
		{"64 dims, k 10", 20000, 64, 10, 0, 0.99, 50, 2},
		{"128 dims, k 40", 20000, 128, 40, 0, 0.99, 200, 3},
		// One candidate per result is no better than the int8 order: the
		// test can tell a store that does not rescore well enough.
		{"no room to rescore", 10000, 768, 10, 1, 0, 100, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, err := Open(Options{Dir: t.TempDir(), Rescore: tc.rescore})
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			mix := vectortest.NewMixture(int64(tc.seeds), tc.dims, tc.clusters)
			var exact vectortest.Exact
			var pts []index.VectorPoint
			for i := range tc.n {
				v := mix.Next()
				key := fmt.Sprintf("k%d", i)
				exact.Add(key, v)
				pts = append(pts, index.VectorPoint{Key: key, Vector: v})
			}
			if err := s.Upsert(ctx, "acme", pts); err != nil {
				t.Fatal(err)
			}
			var sum float64
			const queries = 100
			for range queries {
				q := mix.Next()
				got, err := s.Search(ctx, "acme", q, tc.k)
				if err != nil {
					t.Fatal(err)
				}
				want := exact.Search(q, tc.k)
				sum += vectortest.Recall(got, want)
				if got[0].Key == want[0].Key && math.Abs(got[0].Score-want[0].Score) > 1e-5 {
					t.Fatalf("score %g, exact %g", got[0].Score, want[0].Score)
				}
			}
			recall := sum / queries
			t.Logf("recall@%d %.4f", tc.k, recall)
			if tc.min > 0 && recall < tc.min {
				t.Errorf("recall@%d %.4f, want at least %.2f", tc.k, recall, tc.min)
			}
			if tc.min == 0 && recall >= 0.99 {
				t.Errorf("recall@%d %.4f without rescoring: the data hides quantization error", tc.k, recall)
			}
		})
	}
}

// TestMappedVectorsMatchTheLog checks that what searches read through the
// mapping is what was stored, as the log grows past mapping after mapping,
// after compaction moves every vector, and after a crash tears the tail.
func TestMappedVectorsMatchTheLog(t *testing.T) {
	defer func(g int64) { mapGrain = g }(mapGrain)
	mapGrain = 4096 // a new mapping every few records
	ctx := context.Background()
	dir := t.TempDir()
	s, err := Open(Options{Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	mix := vectortest.NewMixture(4, 96, 8)
	want := map[string][]float32{}
	var keys []string
	for round := range 30 {
		var pts []index.VectorPoint
		for i := range 20 {
			key := fmt.Sprintf("k%d", (round*20+i)%300) // later rounds replace
			v := mix.Next()
			pts = append(pts, index.VectorPoint{Key: key, Vector: v})
			want[key] = normalized(v)
		}
		if err := s.Upsert(ctx, "acme", pts); err != nil {
			t.Fatal(err)
		}
	}
	for k := range want {
		keys = append(keys, k)
	}
	check := func(s *Store, stage string) {
		t.Helper()
		got, err := s.Vectors(ctx, "acme", append(keys, "missing"))
		if err != nil || len(got) != len(want) {
			t.Fatalf("%s: %d vectors, %v", stage, len(got), err)
		}
		for k, v := range want {
			for i := range v {
				if got[k][i] != v[i] {
					t.Fatalf("%s: %s[%d] = %g, stored %g", stage, k, i, got[k][i], v[i])
				}
			}
			hits, _ := s.Search(ctx, "acme", v, 1)
			if hits[0].Key != k || math.Abs(hits[0].Score-1) > 1e-5 {
				t.Fatalf("%s: %s finds %+v", stage, k, hits[0])
			}
		}
		if other, _ := s.Vectors(ctx, "globex", keys); len(other) != 0 {
			t.Fatalf("%s: another tenant reads %d vectors", stage, len(other))
		}
	}
	check(s, "grown")
	s.mu.Lock()
	if err := s.compact(); err != nil {
		t.Fatal(err)
	}
	s.mu.Unlock()
	check(s, "compacted")
	s.Close()

	path := filepath.Join(dir, "vectors.log")
	whole, _ := os.ReadFile(path)
	torn := record{op: opPut, tenant: "acme", key: "k0", vec: make([]float32, 96)}.encode(nil)
	os.WriteFile(path, append(whole, torn[:len(torn)-7]...), 0o644)
	s2 := openStore(t, dir)
	check(s2, "after a torn write")
}
