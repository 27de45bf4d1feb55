package index_test

import (
	"context"
	"encoding/csv"
	"fmt"
	"github.com/shopdesk/shopdesk/index/vectortest"
	"math/rand"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/blevesearch/bleve/v2"

	"github.com/shopdesk/shopdesk/index"
	"github.com/shopdesk/shopdesk/index/flat"
	"github.com/shopdesk/shopdesk/index/keyword"
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

// randomEmbed stands in for an embedding model in the latency benchmark.
func randomEmbed(dims int) index.EmbedFunc { return vectortest.RandomEmbed(dims) }

type fixture struct {
	dir string
	x   *index.Index
	kw  *keyword.Index
	vec *flat.Store
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
		if f.vec, err = flat.Open(flat.Options{Dir: filepath.Join(dir, "vectors")}); err != nil {
			b.Fatal(err)
		}
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

func dirSize(dir string) int64 {
	var n int64
	filepath.Walk(dir, func(_ string, info os.FileInfo, err error) error {
		if err == nil && !info.IsDir() {
			n += info.Size()
		}
		return nil
	})
	return n
}

func heap() uint64 {
	runtime.GC()
	debug.FreeOSMemory()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}

// short returns n, or small under -short (make bench-smoke), which only
// checks that a benchmark still runs.
func short(n, small int) int {
	if testing.Short() {
		return small
	}
	return n
}

func percentiles(ds []time.Duration) (p50, p99 time.Duration) {
	s := slices.Clone(ds)
	slices.Sort(s)
	return s[len(s)/2], s[min(len(s)-1, len(s)*99/100)]
}

func ms(d time.Duration) string { return fmt.Sprintf("%.2f ms", float64(d)/float64(time.Millisecond)) }

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

// BenchmarkIngestWithEmbeddings measures ingest with a real embedding
// model (stories260K on the test Ollama) against the time the same
// embedding calls take alone.
func BenchmarkIngestWithEmbeddings(b *testing.B) {
	docs, _ := corpus(b, short(300, 10))
	o := ollamatest.Shared(b)
	c, err := inference.New(inference.Options{Hosts: []string{o.URL}})
	if err != nil {
		b.Fatal(err)
	}
	embed := func(ctx context.Context, texts []string) ([][]float32, error) {
		r, err := c.Embed(ctx, inference.EmbedRequest{Model: ollamatest.ChatModel, Input: texts})
		return r.Embeddings, err
	}
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
// and 100k chunks with 768-dimensional vectors, the query embedding
// excluded, against stock Bleve on the same text; then memory and disk.
func BenchmarkQueryLatency(b *testing.B) {
	const dims = 768
	sizes := []int{10000, 100000}
	if testing.Short() {
		sizes = []int{3000}
	}
	for _, n := range sizes {
		docs, queries := corpus(b, n)
		before := heap()
		f := newFixture(b, randomEmbed(dims), "random768")
		ctx := context.Background()
		if _, err := f.x.Ingest(ctx, "bench", docs, nil); err != nil {
			b.Fatal(err)
		}
		after := heap()
		qvecs, _ := randomEmbed(dims)(ctx, queries)

		stock := stockIndex(b, docs)

		fmt.Printf("\nQuery latency at %d chunks (%d queries, %d-dimensional vectors, query embedding excluded)\n", n, len(queries), dims)
		fmt.Printf("  %-10s %10s %10s\n", "mode", "p50", "p99")
		for _, mode := range []string{index.ModeKeyword, index.ModeVector, index.ModeHybrid} {
			var took []time.Duration
			for i, q := range queries {
				start := time.Now()
				r, err := f.x.Search(ctx, "bench", q, index.SearchOptions{Mode: mode, K: 10, Vector: qvecs[i]})
				took = append(took, time.Since(start))
				if err != nil || len(r.Hits) == 0 {
					b.Fatalf("%s: %v, %d hits", mode, err, len(r.Hits))
				}
			}
			p50, p99 := percentiles(took)
			target := ""
			if mode == index.ModeHybrid && n == 100000 {
				target = "  (target p50 <= 20 ms)"
			}
			fmt.Printf("  %-10s %10s %10s%s\n", mode, ms(p50), ms(p99), target)
			b.ReportMetric(float64(p50)/float64(time.Millisecond), fmt.Sprintf("%s-p50-ms@%dk", mode, n/1000))
		}
		var took []time.Duration
		for _, q := range queries {
			start := time.Now()
			stock.Search(bleve.NewSearchRequestOptions(bleve.NewMatchQuery(q), 10, 0, false))
			took = append(took, time.Since(start))
		}
		p50, p99 := percentiles(took)
		fmt.Printf("  %-10s %10s %10s  (stock Bleve, one match query)\n", "baseline", ms(p50), ms(p99))
		stock.Close()
		if n == 100000 {
			fmt.Printf("Per 100k chunks: memory %.0f MiB (of which vectors %.0f MiB), disk %.0f MiB\n",
				float64(after-before)/(1<<20), float64(n*dims*4)/(1<<20), float64(dirSize(f.dir))/(1<<20))
		}
	}
}
