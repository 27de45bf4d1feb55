// Package vectortest is the contract every vector store meets, as tests
// that run against any index.VectorStore.
package vectortest

import (
	"context"
	"fmt"
	"math"
	"math/rand"
	"sort"
	"testing"

	"github.com/shopdesk/shopdesk/index"
)

// Open returns a fresh, empty store of the given vector size for one test.
type Open func(t *testing.T, dims int) index.VectorStore

func unit(v []float32) []float32 {
	var s float64
	for _, x := range v {
		s += float64(x) * float64(x)
	}
	out := make([]float32, len(v))
	for i, x := range v {
		out[i] = float32(float64(x) / math.Sqrt(s))
	}
	return out
}

func cos(a, b []float32) float64 {
	a, b = unit(a), unit(b)
	var d float64
	for i := range a {
		d += float64(a[i]) * float64(b[i])
	}
	return d
}

// Run runs the contract.
func Run(t *testing.T, open Open) {
	ctx := context.Background()

	t.Run("ExactOrderAndScores", func(t *testing.T) {
		s := open(t, 8)
		r := rand.New(rand.NewSource(7))
		var pts []index.VectorPoint
		for i := range 200 {
			v := make([]float32, 8)
			for j := range v {
				v[j] = float32(r.NormFloat64())
			}
			pts = append(pts, index.VectorPoint{Key: fmt.Sprintf("acme/doc%d/1/%d", i%40, i/40), DocID: fmt.Sprintf("doc%d", i%40), Vector: v})
		}
		if err := s.Upsert(ctx, "acme", pts); err != nil {
			t.Fatal(err)
		}
		q := pts[17].Vector
		got, err := s.Search(ctx, "acme", q, 5)
		if err != nil {
			t.Fatal(err)
		}
		want := append([]index.VectorPoint(nil), pts...)
		sort.SliceStable(want, func(i, j int) bool { return cos(q, want[i].Vector) > cos(q, want[j].Vector) })
		if len(got) != 5 {
			t.Fatalf("%d hits, want 5", len(got))
		}
		for i := range got {
			if got[i].Key != want[i].Key || math.Abs(got[i].Score-cos(q, want[i].Vector)) > 1e-4 {
				t.Errorf("rank %d: got %s %.5f, want %s %.5f", i, got[i].Key, got[i].Score, want[i].Key, cos(q, want[i].Vector))
			}
		}
	})

	t.Run("TenantsNeverMix", func(t *testing.T) {
		s := open(t, 3)
		// globex's point is nearer to the query than any of acme's.
		s.Upsert(ctx, "acme", []index.VectorPoint{{Key: "acme/a/1/0", DocID: "a", Vector: []float32{0, 1, 0}}})
		s.Upsert(ctx, "globex", []index.VectorPoint{{Key: "globex/g/1/0", DocID: "g", Vector: []float32{1, 0, 0}}})
		got, err := s.Search(ctx, "acme", []float32{1, 0, 0}, 10)
		if err != nil || len(got) != 1 || got[0].Key != "acme/a/1/0" {
			t.Fatalf("acme sees %+v, %v", got, err)
		}
		if got, err := s.Search(ctx, "initech", []float32{1, 0, 0}, 10); err != nil || len(got) != 0 {
			t.Fatalf("a tenant without points sees %+v, %v", got, err)
		}
		// Deleting acme's key under globex's name touches nothing.
		s.Delete(ctx, "globex", []string{"acme/a/1/0"})
		if got, _ := s.Search(ctx, "acme", []float32{1, 0, 0}, 10); len(got) != 1 {
			t.Fatal("one tenant deleted another's point")
		}
	})

	t.Run("UpsertReplacesDeleteRemoves", func(t *testing.T) {
		s := open(t, 2)
		s.Upsert(ctx, "acme", []index.VectorPoint{{Key: "acme/a/1/0", DocID: "a", Vector: []float32{1, 0}}, {Key: "acme/b/1/0", DocID: "b", Vector: []float32{0, 1}}})
		s.Upsert(ctx, "acme", []index.VectorPoint{{Key: "acme/a/1/0", DocID: "a", Vector: []float32{0, 1}}})
		got, _ := s.Search(ctx, "acme", []float32{0, 1}, 10)
		if len(got) != 2 || math.Abs(got[0].Score-1) > 1e-5 || math.Abs(got[1].Score-1) > 1e-5 {
			t.Fatalf("after replacing a: %+v", got)
		}
		if err := s.Delete(ctx, "acme", []string{"acme/b/1/0", "acme/missing/1/0"}); err != nil {
			t.Fatal(err)
		}
		got, _ = s.Search(ctx, "acme", []float32{0, 1}, 10)
		if len(got) != 1 || got[0].Key != "acme/a/1/0" {
			t.Fatalf("after delete: %+v", got)
		}
	})

	t.Run("WrongSizesRefused", func(t *testing.T) {
		s := open(t, 3)
		s.Upsert(ctx, "acme", []index.VectorPoint{{Key: "acme/a/1/0", DocID: "a", Vector: []float32{1, 0, 0}}})
		if err := s.Upsert(ctx, "acme", []index.VectorPoint{{Key: "acme/b/1/0", DocID: "b", Vector: []float32{1, 0}}}); err == nil {
			t.Error("a vector of another size was stored")
		}
		if _, err := s.Search(ctx, "acme", []float32{1, 0}, 1); err == nil {
			t.Error("a query of another size was accepted")
		}
		if err := s.Upsert(ctx, "../etc", []index.VectorPoint{{Key: "x", DocID: "x", Vector: []float32{1, 0, 0}}}); err == nil {
			t.Error("an invalid tenant was accepted")
		}
	})

	t.Run("VectorsReadBack", func(t *testing.T) {
		s := open(t, 3)
		r, ok := s.(index.VectorReader)
		if !ok {
			t.Skip("the store does not give back vectors")
		}
		s.Upsert(ctx, "acme", []index.VectorPoint{{Key: "acme/a/1/0", DocID: "a", Vector: []float32{3, 0, 4}}})
		s.Upsert(ctx, "globex", []index.VectorPoint{{Key: "globex/g/1/0", DocID: "g", Vector: []float32{1, 0, 0}}})
		got, err := r.Vectors(ctx, "acme", []string{"acme/a/1/0", "acme/missing/1/0", "globex/g/1/0"})
		if err != nil || len(got) != 1 {
			t.Fatalf("acme reads %v, %v", got, err)
		}
		if v := got["acme/a/1/0"]; len(v) != 3 || math.Abs(float64(v[0])-0.6) > 1e-6 || math.Abs(float64(v[2])-0.8) > 1e-6 {
			t.Errorf("acme/a/1/0 reads back as %v, want [0.6 0 0.8]", v)
		}
		if got, _ := r.Vectors(ctx, "globex", []string{"acme/a/1/0"}); len(got) != 0 {
			t.Errorf("globex reads acme's vector: %v", got)
		}
	})

	t.Run("ClearRemovesEverything", func(t *testing.T) {
		s := open(t, 2)
		for _, tn := range []string{"acme", "globex"} {
			if err := s.Upsert(ctx, tn, []index.VectorPoint{{Key: tn + "/a/1/0", DocID: "a", Vector: []float32{1, 0}}}); err != nil {
				t.Fatal(err)
			}
		}
		if err := s.Clear(ctx); err != nil {
			t.Fatal(err)
		}
		for _, tn := range []string{"acme", "globex"} {
			if got, err := s.Search(ctx, tn, []float32{1, 0}, 5); err != nil || len(got) != 0 {
				t.Errorf("%s after Clear: %+v, %v", tn, got, err)
			}
		}
		if err := s.Upsert(ctx, "acme", []index.VectorPoint{{Key: "acme/b/1/0", DocID: "b", Vector: []float32{0, 1}}}); err != nil {
			t.Fatalf("upsert after Clear: %v", err)
		}
		if got, _ := s.Search(ctx, "acme", []float32{0, 1}, 5); len(got) != 1 || got[0].Key != "acme/b/1/0" {
			t.Errorf("after Clear and upsert: %+v", got)
		}
	})
}
