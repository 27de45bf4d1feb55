package index_test

import (
	"context"
	"slices"
	"testing"

	"github.com/shopdesk/shopdesk/index"
)

// memPhrasings is an index.PhrasingSource in memory.
type memPhrasings struct{ by map[string][]string } // tenant/doc → phrasings

func (m *memPhrasings) Phrasings(_ context.Context, t string, ids []string) (map[string][]string, error) {
	out := map[string][]string{}
	for _, id := range ids {
		if p := m.by[t+"/"+id]; p != nil {
			out[id] = p
		}
	}
	return out, nil
}

func (m *memPhrasings) Forget(_ context.Context, t, id string) error {
	delete(m.by, t+"/"+id)
	return nil
}

// A phrasing makes a question that missed find its document, in keyword
// search, without embedding anything again; it survives a re-ingest of a
// changed document, stays with its tenant, and goes with the document.
func TestPhrasingsFindTheirDocument(t *testing.T) {
	ph := &memPhrasings{by: map[string][]string{}}
	e := newEnv(t, t.TempDir(), "bow64", func(o index.Options) index.Options { o.Phrasings = ph; return o })
	ctx := context.Background()
	for _, tn := range []string{"acme", "other"} {
		if _, err := e.index.Ingest(ctx, tn, shop, nil); err != nil {
			t.Fatal(err)
		}
	}
	const q = "my parka feels snug"
	top := func(tn string) string {
		t.Helper()
		res, err := e.index.Search(ctx, tn, q, index.SearchOptions{Mode: index.ModeKeyword, K: 1})
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Hits) == 0 {
			return ""
		}
		return res.Hits[0].DocID
	}
	if got := top("acme"); got == "faq-returns" {
		t.Fatalf("the question finds faq-returns before any phrasing; pick another")
	}
	ph.by["acme/faq-returns"] = []string{"parka feels snug, send back?"}
	embedded := e.emb.calls.Load()
	if ok, err := e.index.Reindex(ctx, "acme", "faq-returns"); err != nil || !ok {
		t.Fatal(ok, err)
	}
	if e.emb.calls.Load() != embedded {
		t.Error("Reindex embedded text")
	}
	if got := top("acme"); got != "faq-returns" {
		t.Fatalf("after the phrasing, top = %q", got)
	}
	if got := top("other"); got == "faq-returns" {
		t.Fatal("acme's phrasing answers tenant other")
	}
	changed := slices.Clone(shop[:1])
	changed[0].Text += " Sale items too."
	if res, err := e.index.Ingest(ctx, "acme", changed, nil); err != nil || res.Replaced != 1 {
		t.Fatal(res, err)
	}
	if got := top("acme"); got != "faq-returns" {
		t.Fatalf("after re-ingest, top = %q", got)
	}
	if ok, _ := e.index.Reindex(ctx, "acme", "nope"); ok {
		t.Error("Reindex of an unknown document reported success")
	}
	if _, err := e.index.Delete(ctx, "acme", "faq-returns"); err != nil {
		t.Fatal(err)
	}
	if ph.by["acme/faq-returns"] != nil {
		t.Error("phrasings outlive their document")
	}
}
