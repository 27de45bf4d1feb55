package index_test

import (
	"context"
	"database/sql"
	"errors"
	"hash/fnv"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"
	"unicode"

	"github.com/shopdesk/shopdesk/index"
	"github.com/shopdesk/shopdesk/index/flat"
	"github.com/shopdesk/shopdesk/index/keyword"
	"github.com/shopdesk/shopdesk/lang"
	"github.com/shopdesk/shopdesk/sqlite"
)

// bagOfWords embeds text as hashed word (and Han character) counts, so
// texts sharing words have similar vectors. calls counts embedded texts.
type bagOfWords struct{ calls atomic.Int64 }

func (b *bagOfWords) embed(_ context.Context, texts []string) ([][]float32, error) {
	b.calls.Add(int64(len(texts)))
	out := make([][]float32, len(texts))
	for i, t := range texts {
		v := make([]float32, 64)
		for _, w := range strings.FieldsFunc(strings.ToLower(t), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }) {
			for _, part := range splitHan(w) {
				h := fnv.New32a()
				h.Write([]byte(part))
				v[h.Sum32()%64]++
			}
		}
		out[i] = v
	}
	return out, nil
}

func splitHan(w string) []string {
	var out []string
	var latin []rune
	for _, r := range w {
		if lang.IsHan(r) {
			out = append(out, string(r))
			continue
		}
		latin = append(latin, r)
	}
	if len(latin) > 0 {
		out = append(out, string(latin))
	}
	return out
}

type env struct {
	dir   string
	kw    *keyword.Index
	vec   *flat.Store
	emb   *bagOfWords
	index *index.Index
}

func newEnv(t *testing.T, dir, space string, wrap func(index.Options) index.Options) *env {
	t.Helper()
	db, err := sqlite.Open(filepath.Join(dir, "shopdesk.db"))
	if err != nil {
		t.Fatal(err)
	}
	kw, err := keyword.Open(filepath.Join(dir, "keyword"))
	if err != nil {
		t.Fatal(err)
	}
	vec, err := flat.Open(flat.Options{Dir: filepath.Join(dir, "vectors", space)})
	if err != nil {
		t.Fatal(err)
	}
	e := &env{dir: dir, kw: kw, vec: vec, emb: &bagOfWords{}}
	opts := index.Options{DB: db, Keyword: kw, Vectors: vec, Embed: e.emb.embed, Space: space}
	if wrap != nil {
		opts = wrap(opts)
	}
	x, err := index.Open(context.Background(), opts)
	if err != nil {
		t.Fatal(err)
	}
	e.index = x
	t.Cleanup(func() { kw.Close(); vec.Close(); db.Close() })
	return e
}

var shop = []index.Document{
	{ID: "faq-returns", Title: "How long do I have to return an item?", Text: "You can return unworn items within 30 days of delivery.", Kind: index.KindFAQ, URL: "https://shop.example/faq#returns"},
	{ID: "faq-shipping", Title: "How long does shipping take?", Text: "Orders ship within one business day and arrive in 3-5 days.", Kind: index.KindFAQ},
	{ID: "faq-zh-returns", Title: "签收后多久可以退货？", Text: "签收后30天内可以申请退货，商品需未穿着并保留吊牌。", Kind: index.KindFAQ, Lang: "zh"},
	{ID: "policy-warranty", Title: "Warranty", Kind: index.KindPolicy, Blocks: []index.Block{
		{Kind: index.Heading, Level: 2, Text: "Jackets"}, {Kind: index.Paragraph, Text: "Jackets carry a two-year warranty against defects."},
		{Kind: index.Heading, Level: 2, Text: "Tents"}, {Kind: index.Paragraph, Text: "Tents carry a three-year warranty."},
	}},
}

// ingest ingests docs for tenant t and fails the test on an error or a
// document refused.
func (e *env) ingest(t *testing.T, tn string, docs []index.Document) index.IngestResult {
	t.Helper()
	res, err := e.index.Ingest(context.Background(), tn, docs, nil)
	if err != nil || len(res.Failed) > 0 {
		t.Fatalf("ingest into %s: %v %+v", tn, err, res.Failed)
	}
	return res
}

func docIDs(hits []index.SearchHit) []string {
	var out []string
	for _, h := range hits {
		out = append(out, h.DocID)
	}
	return out
}

func TestIngestAndSearch(t *testing.T) {
	e := newEnv(t, t.TempDir(), "bow64", nil)
	ctx := context.Background()
	res, err := e.index.Ingest(ctx, "acme", shop, nil)
	if err != nil || res.Added != 4 || res.Chunks != 5 || len(res.Failed) != 0 {
		t.Fatalf("ingest = %+v, %v", res, err)
	}
	for _, mode := range []string{index.ModeKeyword, index.ModeVector, index.ModeHybrid} {
		r, err := e.index.Search(ctx, "acme", "how many days to return an item", index.SearchOptions{Mode: mode, K: 3})
		if err != nil {
			t.Fatalf("%s: %v", mode, err)
		}
		if len(r.Hits) == 0 || r.Hits[0].DocID != "faq-returns" || len(r.Degraded) != 0 {
			t.Fatalf("%s: hits %v degraded %v", mode, docIDs(r.Hits), r.Degraded)
		}
		h := r.Hits[0]
		if h.Title == "" || h.Text == "" || h.URL != "https://shop.example/faq#returns" || h.Kind != index.KindFAQ || h.Lang != "en" {
			t.Fatalf("%s: hit lacks its context: %+v", mode, h)
		}
		if _, ok := h.Ranks[mode]; mode != index.ModeHybrid && !ok {
			t.Fatalf("%s: no rank for the retriever: %+v", mode, h.Ranks)
		}
	}
	r, _ := e.index.Search(ctx, "acme", "how many days to return an item", index.SearchOptions{K: 3})
	if len(r.Hits[0].Ranks) != 2 || r.Hits[0].Ranks[index.Keyword] != 1 || r.Hits[0].Ranks[index.Vector] != 1 {
		t.Fatalf("hybrid hit ranks = %+v", r.Hits[0].Ranks)
	}
	zh, _ := e.index.Search(ctx, "acme", "衣服穿过还能退货吗", index.SearchOptions{Mode: index.ModeKeyword})
	if len(zh.Hits) == 0 || zh.Hits[0].DocID != "faq-zh-returns" {
		t.Fatalf("Chinese query: %v", docIDs(zh.Hits))
	}
	tents, _ := e.index.Search(ctx, "acme", "tent warranty", index.SearchOptions{Mode: index.ModeKeyword, K: 1})
	if h := tents.Hits[0]; h.DocID != "policy-warranty" || h.Heading != "Tents" || h.Position != 1 {
		t.Fatalf("section hit = %+v", h)
	}
	if _, err := e.index.Search(ctx, "acme", "  ", index.SearchOptions{}); !errors.Is(err, index.ErrBadQuery) {
		t.Fatalf("empty query: %v", err)
	}
	if _, err := e.index.Search(ctx, "acme", "x", index.SearchOptions{Mode: "fuzzy"}); !errors.Is(err, index.ErrBadQuery) {
		t.Fatalf("bad mode: %v", err)
	}
}

func TestTenantsNeverMix(t *testing.T) {
	e := newEnv(t, t.TempDir(), "bow64", nil)
	ctx := context.Background()
	e.ingest(t, "acme", shop[:1])
	e.ingest(t, "globex", []index.Document{{ID: "g", Title: "Globex returns", Text: "Return within 14 days."}})
	for _, mode := range []string{index.ModeKeyword, index.ModeVector, index.ModeHybrid} {
		r, err := e.index.Search(ctx, "globex", "return items within days", index.SearchOptions{Mode: mode, K: 10})
		if err != nil || len(r.Hits) != 1 || r.Hits[0].DocID != "g" {
			t.Fatalf("%s: globex sees %v, %v", mode, docIDs(r.Hits), err)
		}
	}
	if _, ok, _ := e.index.Document(ctx, "globex", "faq-returns"); ok {
		t.Fatal("globex can read acme's document")
	}
	if ok, _ := e.index.Delete(ctx, "globex", "faq-returns"); ok {
		t.Fatal("globex deleted acme's document")
	}
}

func TestReingestReplacesAndSkipsUnchanged(t *testing.T) {
	e := newEnv(t, t.TempDir(), "bow64", nil)
	ctx := context.Background()
	e.ingest(t, "acme", shop)
	embedded := e.emb.calls.Load()

	res, err := e.index.Ingest(ctx, "acme", shop, nil)
	if err != nil || res.Unchanged != 4 || res.Added+res.Replaced != 0 || e.emb.calls.Load() != embedded {
		t.Fatalf("unchanged re-ingest = %+v, %v; %d more embeddings", res, err, e.emb.calls.Load()-embedded)
	}

	changed := shop[3] // one of its two sections changes
	changed.Blocks = append([]index.Block(nil), changed.Blocks...)
	changed.Blocks[3] = index.Block{Kind: index.Paragraph, Text: "Tents carry a lifetime warranty."}
	res, err = e.index.Ingest(ctx, "acme", []index.Document{changed}, nil)
	if err != nil || res.Replaced != 1 {
		t.Fatalf("replace = %+v, %v", res, err)
	}
	if more := e.emb.calls.Load() - embedded; more != 1 {
		t.Fatalf("%d chunks embedded again; only the changed one should be", more)
	}
	r, _ := e.index.Search(ctx, "acme", "tents warranty", index.SearchOptions{Mode: index.ModeKeyword, K: 5})
	if len(r.Hits) == 0 || !strings.Contains(r.Hits[0].Text, "lifetime") {
		t.Fatalf("after replace: %+v", r.Hits)
	}
	for _, h := range r.Hits {
		if strings.Contains(h.Text, "three-year") {
			t.Fatal("the old version is still found")
		}
	}
	if n, _ := e.kw.Count("acme"); n != 5 {
		t.Fatalf("keyword index holds %d chunks, want 5 (no stale ones)", n)
	}
	if n := e.vec.Len("acme"); n != 5 {
		t.Fatalf("vector store holds %d vectors, want 5", n)
	}
}

func TestDeleteRemovesEverywhere(t *testing.T) {
	e := newEnv(t, t.TempDir(), "bow64", nil)
	ctx := context.Background()
	e.ingest(t, "acme", shop)
	ok, err := e.index.Delete(ctx, "acme", "policy-warranty")
	if err != nil || !ok {
		t.Fatal(ok, err)
	}
	if n, _ := e.kw.Count("acme"); n != 3 {
		t.Fatalf("keyword index holds %d chunks", n)
	}
	if n := e.vec.Len("acme"); n != 3 {
		t.Fatalf("vector store holds %d vectors", n)
	}
	if _, ok, _ := e.index.Document(ctx, "acme", "policy-warranty"); ok {
		t.Fatal("deleted document still listed")
	}
	if ok, _ := e.index.Delete(ctx, "acme", "policy-warranty"); ok {
		t.Fatal("second delete reported success")
	}
	docs, _ := e.index.Documents(ctx, "acme", index.KindFAQ, "", 10)
	if len(docs) != 3 || docs[0].ID != "faq-returns" {
		t.Fatalf("documents = %+v", docs)
	}
}

func TestBadDocumentsDoNotStopTheBatch(t *testing.T) {
	e := newEnv(t, t.TempDir(), "bow64", nil)
	res, err := e.index.Ingest(context.Background(), "acme", []index.Document{
		shop[0],
		{ID: "", Title: "no id"},
		{ID: "empty", Blocks: []index.Block{{Text: "  "}}},
		{ID: "faq-returns", Title: "again", Text: "dup", Source: "b.jsonl:2"},
		shop[1],
	}, nil)
	if err != nil || res.Added != 2 || len(res.Failed) != 3 {
		t.Fatalf("%+v, %v", res, err)
	}
	if _, err := e.index.Ingest(context.Background(), "../acme", shop, nil); err == nil {
		t.Fatal("an invalid tenant was accepted")
	}
}

// failing wraps the keyword index and fails chosen calls.
type failing struct {
	index.KeywordIndex
	failAdd, failRemove, failSearch bool
}

func (f *failing) Apply(ctx context.Context, t string, remove []string, add []index.KeywordDoc) error {
	if (f.failAdd && len(add) > 0) || (f.failRemove && len(remove) > 0) {
		return errors.New("disk full")
	}
	return f.KeywordIndex.Apply(ctx, t, remove, add)
}

func (f *failing) Search(ctx context.Context, t, q string, k int) ([]index.Ranked, error) {
	if f.failSearch {
		return nil, errors.New("index corrupt")
	}
	return f.KeywordIndex.Search(ctx, t, q, k)
}

func TestInterruptedWritesAreInvisibleAndRepaired(t *testing.T) {
	dir := t.TempDir()
	ctx := context.Background()
	var f *failing
	wrap := func(o index.Options) index.Options {
		f = &failing{KeywordIndex: o.Keyword}
		o.Keyword = f
		return o
	}
	e := newEnv(t, dir, "bow64", wrap)
	e.ingest(t, "acme", shop[:1])
	v2 := shop[0]
	v2.Text = "Returns are accepted within 60 days."

	// The write fails after the vectors are stored but before the keyword
	// index has the new chunks: the old version stays, whole.
	f.failAdd = true
	if _, err := e.index.Ingest(ctx, "acme", []index.Document{v2}, nil); err == nil {
		t.Fatal("the failed write reported success")
	}
	f.failAdd = false
	for _, mode := range []string{index.ModeKeyword, index.ModeVector} {
		r, _ := e.index.Search(ctx, "acme", "return within days", index.SearchOptions{Mode: mode, K: 5})
		if len(r.Hits) != 1 || !strings.Contains(r.Hits[0].Text, "30 days") {
			t.Fatalf("%s after a failed write: %+v", mode, r.Hits)
		}
	}

	// The write succeeds but removing the old chunks fails, as if the
	// process died between the two: the new version is whole and the old
	// one invisible until the next start removes it.
	f.failRemove = true
	if _, err := e.index.Ingest(ctx, "acme", []index.Document{v2}, nil); err != nil {
		t.Fatal(err)
	}
	r, _ := e.index.Search(ctx, "acme", "return within days", index.SearchOptions{Mode: index.ModeKeyword, K: 5})
	if len(r.Hits) != 1 || !strings.Contains(r.Hits[0].Text, "60 days") {
		t.Fatalf("after the switch: %+v", r.Hits)
	}
	if n, _ := e.kw.Count("acme"); n < 2 {
		t.Fatalf("expected leftovers in the keyword index, found %d chunks", n)
	}
	f.failRemove = false

	// Opening again repairs: the leftovers of both interrupted writes go.
	reopened, err := index.Open(ctx, index.Options{DB: dbOf(t, dir), Keyword: e.kw, Vectors: e.vec, Embed: e.emb.embed, Space: "bow64"})
	if err != nil {
		t.Fatal(err)
	}
	if n, _ := e.kw.Count("acme"); n != 1 {
		t.Fatalf("after repair the keyword index holds %d chunks, want 1", n)
	}
	if n := e.vec.Len("acme"); n != 1 {
		t.Fatalf("after repair the vector store holds %d vectors, want 1", n)
	}
	r, _ = reopened.Search(ctx, "acme", "return within days", index.SearchOptions{K: 5})
	if len(r.Hits) != 1 || !strings.Contains(r.Hits[0].Text, "60 days") {
		t.Fatalf("after repair: %+v", r.Hits)
	}
}

func dbOf(t *testing.T, dir string) *sql.DB {
	t.Helper()
	db, err := sqlite.Open(filepath.Join(dir, "shopdesk.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// slowEmbed embeds after a delay longer than the retriever timeout.
func slowEmbed(ctx context.Context, texts []string) ([][]float32, error) {
	select {
	case <-time.After(5 * time.Second):
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	return nil, nil
}

func TestDegradedRetrievers(t *testing.T) {
	var f *failing
	var slow atomic.Bool
	e := newEnv(t, t.TempDir(), "bow64", func(o index.Options) index.Options {
		f = &failing{KeywordIndex: o.Keyword}
		o.Keyword = f
		inner := o.Embed
		o.Embed = func(ctx context.Context, texts []string) ([][]float32, error) {
			if slow.Load() {
				return slowEmbed(ctx, texts)
			}
			return inner(ctx, texts)
		}
		o.RetrieverTimeout = 200 * time.Millisecond
		return o
	})
	ctx := context.Background()
	e.ingest(t, "acme", shop)

	f.failSearch = true
	r, err := e.index.Search(ctx, "acme", "return an item", index.SearchOptions{})
	if err != nil || len(r.Hits) == 0 || strings.Join(r.Degraded, ",") != "keyword: failed" {
		t.Fatalf("keyword down: %+v, %v", r, err)
	}
	f.failSearch = false

	slow.Store(true)
	r, err = e.index.Search(ctx, "acme", "return an item", index.SearchOptions{})
	if err != nil || len(r.Hits) == 0 || strings.Join(r.Degraded, ",") != "vector: timed out" || r.Hits[0].DocID != "faq-returns" {
		t.Fatalf("embedder too slow: %+v, %v", r, err)
	}
	f.failSearch = true
	if _, err := e.index.Search(ctx, "acme", "return an item", index.SearchOptions{}); err == nil {
		t.Fatal("both retrievers failed, yet the search succeeded")
	}
}

func TestNewEmbeddingModelNeedsReembed(t *testing.T) {
	dir := t.TempDir()
	ctx := context.Background()
	e := newEnv(t, dir, "bow64", nil)
	e.ingest(t, "acme", shop)
	e.kw.Close()
	e.vec.Close()

	// Same data, another model: its vectors go in a space of their own.
	e2 := newEnv(t, dir, "other-model", nil)
	if !e2.index.NeedsReembed() {
		t.Fatal("a model change went unnoticed")
	}
	r, err := e2.index.Search(ctx, "acme", "return an item", index.SearchOptions{})
	if err != nil || len(r.Hits) == 0 || !strings.Contains(strings.Join(r.Degraded, ","), "re-embedding") {
		t.Fatalf("before re-embedding: %+v, %v", r, err)
	}
	if _, err := e2.index.Search(ctx, "acme", "return an item", index.SearchOptions{Mode: index.ModeVector}); err == nil {
		t.Fatal("vector mode ran on vectors of another model")
	}
	if err := e2.index.Reembed(ctx, nil); err != nil {
		t.Fatal(err)
	}
	r, err = e2.index.Search(ctx, "acme", "return an item", index.SearchOptions{Mode: index.ModeVector})
	if err != nil || len(r.Hits) == 0 || e2.vec.Len("acme") != 5 {
		t.Fatalf("after re-embedding: %+v, %v, %d vectors", r, err, e2.vec.Len("acme"))
	}
}

// Changes made while no vector store is configured (embedding model down,
// vector_store none) are caught up when vectors come back, even for the
// same model: deleted documents leave no vectors behind, new ones get some.
func TestChangesWithoutVectorsAreCaughtUp(t *testing.T) {
	dir := shopOnDisk(t)
	ctx := context.Background()

	off := newEnv(t, dir, "bow64", func(o index.Options) index.Options {
		o.Vectors, o.Embed, o.Space = nil, nil, ""
		return o
	})
	if ok, err := off.index.Delete(ctx, "acme", "faq-shipping"); !ok || err != nil {
		t.Fatalf("delete: %v %v", ok, err)
	}
	added := index.Document{ID: "faq-gift", Title: "Do you gift wrap?", Text: "Gift wrapping costs $5.", Kind: index.KindFAQ}
	if _, err := off.index.Ingest(ctx, "acme", []index.Document{added}, nil); err != nil {
		t.Fatal(err)
	}
	off.kw.Close()
	off.vec.Close()

	back := newEnv(t, dir, "bow64", nil)
	if !back.index.NeedsReembed() {
		t.Fatal("vectors that missed changes were taken as current")
	}
	if err := back.index.Reembed(ctx, nil); err != nil {
		t.Fatal(err)
	}
	if n := back.vec.Len("acme"); n != 5 { // 4 documents, the warranty policy in 2 chunks
		t.Errorf("%d vectors after catching up, want 5", n)
	}
	r, err := back.index.Search(ctx, "acme", "gift wrap", index.SearchOptions{Mode: index.ModeVector, K: 1})
	if err != nil || len(r.Hits) == 0 || r.Hits[0].DocID != "faq-gift" {
		t.Errorf("vector search after catching up: %v, %v", docIDs(r.Hits), err)
	}
}

// The embedding cache is the vector store: a chunk whose text the tenant
// already has takes the stored vector, across restarts, and the database
// keeps no vectors of its own. Another tenant's vectors are never reused.
func TestStoredVectorsAreTheEmbeddingCache(t *testing.T) {
	dir := shopOnDisk(t)
	ctx := context.Background()

	again := newEnv(t, dir, "bow64", nil)
	copyOf := shop[0]
	copyOf.ID = "faq-returns-copy"
	for _, tc := range []struct {
		tenant string
		embeds int64
	}{
		{"acme", 0},   // same text, new document: the stored vector serves
		{"globex", 1}, // same text, another tenant: embedded afresh
	} {
		before := again.emb.calls.Load()
		if _, err := again.index.Ingest(ctx, tc.tenant, []index.Document{copyOf}, nil); err != nil {
			t.Fatal(err)
		}
		if got := again.emb.calls.Load() - before; got != tc.embeds {
			t.Errorf("%s: %d texts embedded, want %d", tc.tenant, got, tc.embeds)
		}
		r, err := again.index.Search(ctx, tc.tenant, "return an item within 30 days", index.SearchOptions{Mode: index.ModeVector, K: 5})
		if err != nil || !slices.Contains(docIDs(r.Hits), "faq-returns-copy") {
			t.Errorf("%s: vector search finds %v, %v", tc.tenant, docIDs(r.Hits), err)
		}
	}
	db, err := sqlite.Open(filepath.Join(dir, "shopdesk.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var blobs int
	if err := db.QueryRow(`SELECT COUNT(*) FROM sqlite_master WHERE name = 'embeddings'`).Scan(&blobs); err != nil || blobs != 0 {
		t.Fatalf("the database still has an embeddings table (%d, %v)", blobs, err)
	}
}

// shopOnDisk returns a data directory holding acme's shop, embedded with
// bow64, closed.
func shopOnDisk(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	e := newEnv(t, dir, "bow64", nil)
	if _, err := e.index.Ingest(context.Background(), "acme", shop, nil); err != nil {
		t.Fatal(err)
	}
	e.kw.Close()
	e.vec.Close()
	return dir
}
