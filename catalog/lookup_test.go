package catalog

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"github.com/shopdesk/shopdesk/index"
	"github.com/shopdesk/shopdesk/index/keyword"
	"github.com/shopdesk/shopdesk/sqlite"
)

// hits is a fake Searcher returning fixed hits (or err), recording calls.
type hits struct {
	out   []SearchHit
	err   error
	calls int
}

func (h *hits) search(context.Context, string, int) ([]SearchHit, error) {
	h.calls++
	return h.out, h.err
}

func TestLookup(t *testing.T) {
	snap := demoSnapshot(t)
	ctx := context.Background()
	for _, c := range []struct {
		name      string
		msg       string
		hits      []SearchHit
		err       error
		want      string
		via       Via
		ambiguous bool
		searched  bool
	}{
		{name: "a sure match asks nothing", msg: "Is the Cove tent still available?", want: "HL-TNT-001", via: ViaName},
		{name: "the index settles an ambiguous kind", msg: "which headlamp would suit my uncle?", searched: true,
			hits: []SearchHit{{ID: "HL-HLM-001", Score: 3}, {ID: "HL-HLM-002", Score: 1}}, want: "HL-HLM-001", via: ViaSearch},
		{name: "by title when the document ID is not a SKU", msg: "which headlamp has a tilt bracket?", searched: true,
			hits: []SearchHit{{ID: "doc-9", Title: "Glow 200 Headlamp", Score: 5}, {ID: "HL-HLM-001", Score: 1}}, want: "HL-HLM-002", via: ViaSearch},
		{name: "scores too close: still ask", msg: "which headlamp has a tilt bracket?", searched: true,
			hits: []SearchHit{{ID: "HL-HLM-002", Score: 1.1}, {ID: "HL-HLM-001", Score: 1}}, want: "HL-HLM-001", via: ViaKind, ambiguous: true},
		{name: "hits among no candidate change nothing", msg: "which headlamp would suit my uncle?", searched: true,
			hits: []SearchHit{{ID: "HL-TNT-001", Score: 9}}, want: "HL-HLM-001", via: ViaKind, ambiguous: true},
		{name: "a bare kind is still asked about", msg: "Do you sell headlamps?", hits: []SearchHit{{ID: "HL-HLM-001", Score: 9}},
			want: "HL-HLM-001", via: ViaKind, ambiguous: true},
		{name: "no product stays none", msg: "How long is shipping?", hits: []SearchHit{{ID: "HL-TNT-001", Score: 9}}},
		{name: "a failed search leaves the catalog's answer", msg: "which headlamp would suit my uncle?", err: errors.New("index down"), searched: true,
			want: "HL-HLM-001", via: ViaKind, ambiguous: true},
	} {
		t.Run(c.name, func(t *testing.T) {
			h := &hits{out: c.hits, err: c.err}
			m, err := snap.Lookup(ctx, c.msg, "", h.search)
			if (err != nil) != (c.err != nil) {
				t.Fatalf("err %v, want %v", err, c.err)
			}
			if m.Found != (c.want != "") || c.want != "" && (m.Product.SKU != c.want || m.Via != c.via || m.Ambiguous != c.ambiguous) {
				t.Errorf("got %s via %s (ambiguous %v, found %v), want %q via %s (ambiguous %v)", m.Product.SKU, m.Via, m.Ambiguous, m.Found, c.want, c.via, c.ambiguous)
			}
			if (h.calls > 0) != c.searched {
				t.Errorf("searched %d times, want searched %v", h.calls, c.searched)
			}
		})
	}
	if m, err := snap.Lookup(ctx, "Do you sell headlamps?", "", nil); err != nil || !m.Ambiguous {
		t.Errorf("without a searcher Lookup is Match: %+v %v", m, err)
	}
}

// TestMentionsWithIndex measures Lookup on the labelled mentions with a
// real keyword index (Bleve) of the demo shop's product documents — name,
// Chinese name, descriptions in both languages, category and tags — as
// the second opinion.
func TestMentionsWithIndex(t *testing.T) {
	snap := demoSnapshot(t)
	search := demoProductIndex(t)
	ctx := context.Background()
	match := func(l labelled) Match {
		m, err := snap.Lookup(ctx, l.Text, l.Current, search)
		if err != nil {
			t.Fatal(err)
		}
		return m
	}
	checkMentions(t, snap, ", with the index", match)
}

// demoProductIndex ingests the demo catalog's products into a keyword
// index and returns a Searcher over them, as the server wires one.
func demoProductIndex(t *testing.T) Searcher {
	t.Helper()
	ps := demoProducts(t)
	dir := t.TempDir()
	db, err := sqlite.Open(filepath.Join(dir, "shopdesk.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	kw, err := keyword.Open(filepath.Join(dir, "keyword"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { kw.Close() })
	ctx := context.Background()
	x, err := index.Open(ctx, index.Options{DB: db, Keyword: kw})
	if err != nil {
		t.Fatal(err)
	}
	var docs []index.Document
	for _, p := range ps {
		text := strings.Join(append([]string{p.NameZh, p.Description, p.DescriptionZh, p.Category, p.Materials}, p.Tags...), "\n")
		docs = append(docs, index.Document{ID: p.SKU, Title: p.Name, Text: text, Kind: index.KindProduct})
	}
	if _, err := x.Ingest(ctx, "shop", docs, nil); err != nil {
		t.Fatal(err)
	}
	return func(ctx context.Context, query string, k int) ([]SearchHit, error) {
		res, err := x.Search(ctx, "shop", query, index.SearchOptions{Mode: index.ModeKeyword, K: k})
		if err != nil {
			return nil, err
		}
		var out []SearchHit
		for _, h := range res.Hits {
			if h.Kind == index.KindProduct {
				out = append(out, SearchHit{ID: h.DocID, Title: h.Title, Score: h.Scores[index.Keyword]})
			}
		}
		return out, nil
	}
}
