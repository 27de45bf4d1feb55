package index

import (
	"math"
	"testing"
)

func key(doc string, pos int) string { return chunkKey("acme", doc, 1, pos) }

func TestFuse(t *testing.T) {
	lists := map[string][]Ranked{
		Keyword: {{key("a", 0), 12}, {key("b", 0), 9}, {key("c", 0), 3}},
		Vector:  {{key("b", 0), 0.9}, {key("d", 0), 0.8}, {key("a", 0), 0.7}},
	}
	hits := Fuse(lists, FuseOptions{})
	got := []string{}
	for _, h := range hits {
		got = append(got, h.Ref.DocID)
	}
	// b: 1/62+1/61, a: 1/61+1/63, c: 1/63, d: 1/62
	if want := "b a d c"; join(got) != want {
		t.Fatalf("order = %s, want %s", join(got), want)
	}
	b := hits[0]
	if b.Ranks[Keyword] != 2 || b.Ranks[Vector] != 1 || b.Scores[Vector] != 0.9 || math.Abs(b.Score-(1.0/62+1.0/61)) > 1e-12 {
		t.Fatalf("hit b = %+v", b)
	}
	if _, ok := hits[2].Ranks[Keyword]; ok || hits[2].Ranks[Vector] != 2 {
		t.Fatalf("hit d should have only a vector rank: %+v", hits[2])
	}
}

func TestFuseWeightsAndK(t *testing.T) {
	lists := map[string][]Ranked{
		Keyword: {{key("a", 0), 1}},
		Vector:  {{key("b", 0), 1}},
	}
	hits := Fuse(lists, FuseOptions{Weights: map[string]float64{Vector: 2}, K: 10})
	if hits[0].Ref.DocID != "b" || math.Abs(hits[0].Score-2.0/11) > 1e-12 {
		t.Fatalf("weighted: %+v", hits)
	}
}

func TestFuseCapsChunksPerDocument(t *testing.T) {
	lists := map[string][]Ranked{Keyword: {
		{key("long", 0), 5}, {key("long", 1), 4}, {key("long", 2), 3}, {key("other", 0), 2}, {"not a key", 1},
	}}
	hits := Fuse(lists, FuseOptions{MaxPerDoc: 2, TopK: 3})
	if len(hits) != 3 || hits[2].Ref.DocID != "other" {
		t.Fatalf("hits = %+v", hits)
	}
	if one := Fuse(lists, FuseOptions{TopK: 1}); len(one) != 1 {
		t.Fatalf("TopK 1: %d hits", len(one))
	}
}

func join(s []string) string {
	out := ""
	for i, x := range s {
		if i > 0 {
			out += " "
		}
		out += x
	}
	return out
}
