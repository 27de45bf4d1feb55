package index_test

import (
	"context"
	"encoding/csv"
	"fmt"
	"math/rand"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/blevesearch/bleve/v2"

	"github.com/shopdesk/shopdesk/index"
	"github.com/shopdesk/shopdesk/index/flat"
	"github.com/shopdesk/shopdesk/index/keyword"
	"github.com/shopdesk/shopdesk/index/vectortest"
	"github.com/shopdesk/shopdesk/inference"
	"github.com/shopdesk/shopdesk/inference/ollamatest"
	"github.com/shopdesk/shopdesk/sqlite"
)

// corpus builds n support-answer documents from the shared Bitext data
// (4,514 real customer-support replies), varied so that no two are alike,
// and returns them with the customer requests as queries.
func corpus(b *testing.B, n int) ([]index.Document, []string) {
	b.Helper()
	dir, err := ollamatest.SharedDir()
	if err != nil {
		b.Skip(err)
	}
	f, err := os.Open(filepath.Join(dir, "data", "bitext", "Bitext_Sample_Customer_Support_Training_Dataset.csv"))
	if err != nil {
		b.Skip(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		b.Fatal(err)
	}
	rows = rows[1:]
	r := rand.New(rand.NewSource(1))
	words := strings.Fields("jacket boots tent backpack socks fleece headlamp bottle sleeping bag rain shell gloves hat trail runner kids")
	docs := make([]index.Document, n)
	for i := range docs {
		row := rows[i%len(rows)]
		docs[i] = index.Document{
			ID:    "doc-" + strconv.Itoa(i),
			Title: row[2] + " " + words[r.Intn(len(words))],
			Text:  row[10] + " Order " + strconv.Itoa(100000+i) + ", item " + words[r.Intn(len(words))] + ".",
			Kind:  index.KindTranscript,
			Whole: true,
		}
	}
	var queries []string
	for i := 0; i < 200; i++ {
		queries = append(queries, rows[r.Intn(len(rows))][2])
	}
	return docs, queries
}

type fixture struct {
	dir string
	x   *index.Index
	kw  *keyword.Index
	vec *baselined
}

// baselined is the embedded store with the exact scan beside it as the
// baseline: once filled (fillExact), searches go to the exact scan while
// exact is set. It records the keys upserted, no vectors.
type baselined struct {
	*flat.Store
	mu    sync.Mutex
	keys  map[string][]string // per tenant
	scan  vectortest.Exact
	exact bool
}

func (s *baselined) Upsert(ctx context.Context, t string, pts []index.VectorPoint) error {
	s.mu.Lock()
	for _, p := range pts {
		s.keys[t] = append(s.keys[t], p.Key)
	}
	s.mu.Unlock()
	return s.Store.Upsert(ctx, t, pts)
}

func (s *baselined) Search(ctx context.Context, t string, q []float32, k int) ([]index.Ranked, error) {
	if s.exact {
		return s.scan.Search(q, k), nil
	}
	return s.Store.Search(ctx, t, q, k)
}

// fillExact loads tenant t's stored vectors into the exact scan.
func (s *baselined) fillExact(b *testing.B, t string) {
	keys := s.keys[t]
	for i := 0; i < len(keys); i += 10_000 {
		part := keys[i:min(i+10_000, len(keys))]
		vecs, err := s.Vectors(context.Background(), t, part)
		if err != nil {
			b.Fatal(err)
		}
		for _, k := range part {
			if v, ok := vecs[k]; ok {
				s.scan.Add(k, v)
			}
		}
	}
}

func newFixture(b *testing.B, embed index.EmbedFunc, space string) *fixture {
	b.Helper()
	dir := b.TempDir()
	db, err := sqlite.Open(filepath.Join(dir, "shopdesk.db"))
	if err != nil {
		b.Fatal(err)
	}
	kw, err := keyword.Open(filepath.Join(dir, "keyword"))
	if err != nil {
		b.Fatal(err)
	}
	f := &fixture{dir: dir, kw: kw}
	opts := index.Options{DB: db, Keyword: kw, RetrieverTimeout: time.Minute}
	if embed != nil {
		store, err := flat.Open(flat.Options{Dir: filepath.Join(dir, "vectors")})
		if err != nil {
			b.Fatal(err)
		}
		f.vec = &baselined{Store: store, keys: map[string][]string{}}
		f.vec.scan.Workers = 1 // as the store before it: one core, keyword search has the other
		opts.Vectors, opts.Embed, opts.Space = f.vec, embed, space
	}
	if f.x, err = index.Open(context.Background(), opts); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() {
		kw.Close()
		if f.vec != nil {
			f.vec.Close()
		}
		db.Close()
	})
	return f
}

// stockIndex indexes docs' title and text in Bleve's default mapping: the
// baseline.
func stockIndex(b *testing.B, docs []index.Document) bleve.Index {
	b.Helper()
	stock, err := bleve.New(filepath.Join(b.TempDir(), "stock"), bleve.NewIndexMapping())
	if err != nil {
		b.Fatal(err)
	}
	batch := stock.NewBatch()
	for i, d := range docs {
		batch.Index(d.ID, map[string]string{"title": d.Title, "text": d.Text})
		if (i+1)%1024 == 0 {
			if err := stock.Batch(batch); err != nil {
				b.Fatal(err)
			}
			batch = stock.NewBatch()
		}
	}
	if err := stock.Batch(batch); err != nil {
		b.Fatal(err)
	}
	return stock
}

// BenchmarkKeywordIndexing measures ingest without embeddings (registry,
// chunking, Bleve) against stock Bleve indexing the same text. Run with
// -benchtime 1x.
func BenchmarkKeywordIndexing(b *testing.B) {
	docs, _ := corpus(b, short(10000, 500))
	f := newFixture(b, nil, "")
	start := time.Now()
	res, err := f.x.Ingest(context.Background(), "bench", docs, nil)
	if err != nil {
		b.Fatal(err)
	}
	took := time.Since(start)
	rate := float64(res.Chunks) / took.Seconds()

	start = time.Now()
	stock := stockIndex(b, docs)
	defer stock.Close()
	stockRate := float64(len(docs)) / time.Since(start).Seconds()
	fmt.Printf("\nKeyword indexing, %d chunks: %.0f chunks/s (target >= 1500); stock Bleve %.0f chunks/s; ratio %.2f\n",
		res.Chunks, rate, stockRate, rate/stockRate)
	b.ReportMetric(rate, "chunks/s")
	b.ReportMetric(rate/stockRate, "vs-stock-bleve")
}

// tinyModel embeds with the tiny real model (stories260K on the test
// Ollama), skipping the benchmark where there is none.
func tinyModel(b *testing.B) index.EmbedFunc {
	o := ollamatest.Shared(b)
	c, err := inference.New(inference.Options{Hosts: []string{o.URL}})
	if err != nil {
		b.Fatal(err)
	}
	return func(ctx context.Context, texts []string) ([][]float32, error) {
		r, err := c.Embed(ctx, inference.EmbedRequest{Model: ollamatest.ChatModel, Input: texts})
		return r.Embeddings, err
	}
}

// BenchmarkRecallTinyModel measures the embedded store's recall@10 against
// the exact scan on real embeddings: the tiny model's (64 dimensions) of
// shoppers' requests from the Bitext data, queried with other requests,
// for several numbers of candidates rescored per result (one: the int8
// order alone, showing the error the rescoring corrects). It takes minutes (the
// model embeds a few dozen texts a second here) and is skipped with -short.
func BenchmarkRecallTinyModel(b *testing.B) {
	if testing.Short() {
		b.Skip("embedding thousands of texts takes minutes; skipped with -short")
	}
	const n, queries, k = 3000, 100, 10
	embed := tinyModel(b)
	docs, _ := corpus(b, n+queries)
	texts := make([]string, len(docs))
	for i, d := range docs {
		texts[i] = d.Title // the customer's request, and a product word
	}
	ctx := context.Background()
	start := time.Now()
	var vecs [][]float32
	for i := 0; i < len(texts); i += 64 {
		v, err := embed(ctx, texts[i:min(i+64, len(texts))])
		if err != nil {
			b.Fatal(err)
		}
		vecs = append(vecs, v...)
	}
	took := time.Since(start)
	var exact vectortest.Exact
	var pts []index.VectorPoint
	for i, v := range vecs[:n] {
		key := "bench/doc-" + strconv.Itoa(i) + "/1/0"
		exact.Add(key, v)
		pts = append(pts, index.VectorPoint{Key: key, Vector: v})
	}
	recall := func(rescore int) float64 {
		s, err := flat.Open(flat.Options{Dir: b.TempDir(), Rescore: rescore})
		if err != nil {
			b.Fatal(err)
		}
		defer s.Close()
		if err := s.Upsert(ctx, "bench", pts); err != nil {
			b.Fatal(err)
		}
		var sum float64
		for _, q := range vecs[n:] {
			got, err := s.Search(ctx, "bench", q, k)
			if err != nil {
				b.Fatal(err)
			}
			sum += vectortest.Recall(got, exact.Search(q, k))
		}
		return sum / queries
	}
	fmt.Printf("\nRecall on the tiny model's embeddings (stories260K, %d dimensions): %d requests, %d queries, embedded in %s\n",
		len(vecs[0]), n, queries, took.Round(time.Second))
	for _, rescore := range []int{1, 2, 4, 10} {
		r := recall(rescore)
		fmt.Printf("  recall@%d against the exact scan, %2d candidates per result: %.4f\n", k, rescore, r)
		b.ReportMetric(r, fmt.Sprintf("recall@10-rescore-%d", rescore))
	}
	fmt.Printf("  (the store rescores 4 per result; target ≥ 0.99)\n")
}

// BenchmarkIngestWithEmbeddings measures ingest with a real embedding
// model (stories260K on the test Ollama) against the time the same
// embedding calls take alone.
func BenchmarkIngestWithEmbeddings(b *testing.B) {
	docs, _ := corpus(b, short(300, 10))
	embed := tinyModel(b)
	ctx := context.Background()
	var chunks []string
	for i := range docs {
		for _, ch := range index.Split(&docs[i], index.ChunkOptions{}) {
			chunks = append(chunks, ch.Title+"\n"+ch.IndexedText())
		}
	}
	embed(ctx, chunks[:1]) // load the model
	start := time.Now()
	for i := 0; i < len(chunks); i += 64 {
		if _, err := embed(ctx, chunks[i:min(i+64, len(chunks))]); err != nil {
			b.Fatal(err)
		}
	}
	embedOnly := time.Since(start)

	f := newFixture(b, embed, "stories")
	start = time.Now()
	res, err := f.x.Ingest(ctx, "bench", docs, nil)
	if err != nil {
		b.Fatal(err)
	}
	total := time.Since(start)
	overhead := float64(total-embedOnly) / float64(embedOnly)
	fmt.Printf("\nIngest with embeddings, %d chunks: %.0f chunks/s; embedding calls alone %s, whole ingest %s: overhead %.1f%% (target <= 20%%)\n",
		res.Chunks, float64(res.Chunks)/total.Seconds(), embedOnly.Round(time.Millisecond), total.Round(time.Millisecond), 100*overhead)
	b.ReportMetric(float64(res.Chunks)/total.Seconds(), "chunks/s")
	b.ReportMetric(100*overhead, "overhead-%")
}

// BenchmarkQueryLatency measures keyword, vector and hybrid search at 10k
// and 100k chunks with 768-dimensional vectors drawn from a clustered
// mixture (vectortest.Mixture), the query embedding excluded; vector and
// hybrid again with the exact float32 scan the store used before (the
// baseline, same vectors, same run), recall@10 of the store against it,
// and stock Bleve on the same text; then memory and disk per 100k chunks.
func BenchmarkQueryLatency(b *testing.B) {
	const dims = 768
	sizes := []int{10000, 100000}
	if testing.Short() {
		sizes = []int{3000} // make bench-smoke: only that it still runs
	}
	for _, n := range sizes {
		docs, queries := corpus(b, n)
		heap0, rss0 := vectortest.Memory()
		mix := vectortest.NewMixture(1, dims, 1000)
		f := newFixture(b, mix.Embed, "mixture768")
		ctx := context.Background()
		if _, err := f.x.Ingest(ctx, "bench", docs, nil); err != nil {
			b.Fatal(err)
		}
		heap1, rss1 := vectortest.Memory()
		qvecs, _ := mix.Embed(ctx, queries)
		f.vec.fillExact(b, "bench")
		stock := stockIndex(b, docs)
		// Queries are measured on settled indexes, as a shop's are long
		// after its ingest: Bleve merges both indexes' fresh segments in
		// the background, which would otherwise be measured too.
		settle, stop := context.WithTimeout(ctx, 5*time.Minute)
		if err := f.kw.Settle(settle, "bench"); err != nil {
			b.Fatal(err)
		}
		if err := keyword.Settle(settle, stock); err != nil {
			b.Fatal(err)
		}
		stop()

		fmt.Printf("\nQuery latency at %d chunks (%d queries, %d-dimensional clustered-mixture vectors, query embedding excluded)\n", n, len(queries), dims)
		fmt.Printf("  %-22s %10s %10s\n", "mode", "p50", "p99")
		p50s := map[string]time.Duration{}
		run := func(label, mode string) {
			p50, p99 := vectortest.Latencies(len(queries), func(i int) {
				r, err := f.x.Search(ctx, "bench", queries[i], index.SearchOptions{Mode: mode, K: 10, Vector: qvecs[i]})
				if err != nil || len(r.Hits) == 0 {
					b.Fatalf("%s: %v, %d hits", label, err, len(r.Hits))
				}
			})
			p50s[label] = p50
			fmt.Printf("  %-22s %10s %10s\n", label, vectortest.Ms(p50), vectortest.Ms(p99))
			b.ReportMetric(float64(p50)/float64(time.Millisecond), fmt.Sprintf("%s-p50-ms@%dk", strings.ReplaceAll(label, " ", "-"), n/1000))
		}
		for _, mode := range []string{index.ModeKeyword, index.ModeVector, index.ModeHybrid} {
			run(mode, mode)
		}
		f.vec.exact = true
		run("vector, exact scan", index.ModeVector)
		run("hybrid, exact scan", index.ModeHybrid)
		f.vec.exact = false
		p50, p99 := vectortest.Latencies(len(queries), func(i int) {
			stock.Search(bleve.NewSearchRequestOptions(bleve.NewMatchQuery(queries[i]), 10, 0, false))
		})
		fmt.Printf("  %-22s %10s %10s  (stock Bleve, one match query)\n", "keyword baseline", vectortest.Ms(p50), vectortest.Ms(p99))
		stock.Close()

		var recall float64
		for _, q := range qvecs {
			got, err := f.vec.Store.Search(ctx, "bench", q, 10)
			if err != nil {
				b.Fatal(err)
			}
			recall += vectortest.Recall(got, f.vec.scan.Search(q, 10)) / float64(len(qvecs))
		}
		fmt.Printf("  vector recall@10 against the exact scan %.4f (target ≥ 0.99)\n", recall)
		b.ReportMetric(recall, fmt.Sprintf("recall@10@%dk", n/1000))
		if n == 100000 {
			fmt.Printf("  vector p50 %s\n", vectortest.Against(p50s[index.ModeVector], "≤ 8 ms", p50s["vector, exact scan"]))
			fmt.Printf("  hybrid p50 %s\n", vectortest.Against(p50s[index.ModeHybrid], "≤ 12 ms", p50s["hybrid, exact scan"]))
			vecDisk, dbDisk := vectortest.DirBytes(filepath.Join(f.dir, "vectors")), int64(0)
			for _, name := range []string{"shopdesk.db", "shopdesk.db-wal"} {
				if st, err := os.Stat(filepath.Join(f.dir, name)); err == nil {
					dbDisk += st.Size()
				}
			}
			fmt.Printf("Per 100k chunks: memory after load heap +%s, RSS +%s (target ≤ 150 MiB; int8 codes %s)\n",
				vectortest.MiB(heap1-heap0), vectortest.MiB(int64(rss1)-int64(rss0)), vectortest.MiB(n*dims))
			fmt.Printf("  disk %s (target ≤ 550 MiB): vector log %s, SQLite %s, Bleve %s\n",
				vectortest.MiB(vectortest.DirBytes(f.dir)), vectortest.MiB(vecDisk), vectortest.MiB(dbDisk),
				vectortest.MiB(vectortest.DirBytes(filepath.Join(f.dir, "keyword"))))
			b.ReportMetric(float64(heap1-heap0)/(1<<20), "heap-MiB@100k")
			b.ReportMetric(float64(vectortest.DirBytes(f.dir))/(1<<20), "disk-MiB@100k")
		}
	}
}

// short returns n, or small under -short (make bench-smoke), which only
// checks that a benchmark still runs.
func short(n, small int) int {
	if testing.Short() {
		return small
	}
	return n
}
