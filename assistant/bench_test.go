package assistant

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"math/rand"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/shopdesk/shopdesk/conversation"
	"github.com/shopdesk/shopdesk/index"
	"github.com/shopdesk/shopdesk/index/flat"
	"github.com/shopdesk/shopdesk/index/keyword"
	"github.com/shopdesk/shopdesk/index/vectortest"
	"github.com/shopdesk/shopdesk/inference"
	"github.com/shopdesk/shopdesk/inference/ollamatest"
	"github.com/shopdesk/shopdesk/sqlite"
)

// errStop ends a generation as soon as it is handed to the model.
var errStop = errors.New("stop")

// firstToken is a Generator that only records when the request reached it.
type firstToken struct{ at time.Time }

func (f *firstToken) Chat(context.Context, inference.ChatRequest, func(inference.ChatChunk) error) error {
	f.at = time.Now()
	return errStop
}

// BenchmarkTimeToModel measures the assistant's own work before the model
// starts — retrieval (hybrid: Bleve and the embedded vector store, 768
// dimensions, the query embedding excluded), conversation memory and the
// prompt — at 10,000 chunks, against the hybrid search alone.
func BenchmarkTimeToModel(b *testing.B) {
	const dims = 768
	n, asked := 10_000, 200
	if testing.Short() { // make bench-smoke: does it still work?
		n, asked = 500, 10
	}
	dir, err := ollamatest.SharedDir()
	if err != nil {
		b.Skip(err)
	}
	f, err := os.Open(filepath.Join(dir, "data", "bitext", "Bitext_Sample_Customer_Support_Training_Dataset.csv"))
	if err != nil {
		b.Skip(err)
	}
	rows, err := csv.NewReader(f).ReadAll()
	f.Close()
	if err != nil {
		b.Fatal(err)
	}
	rows = rows[1:]
	docs := make([]index.Document, n)
	for i := range docs {
		row := rows[i%len(rows)]
		docs[i] = index.Document{ID: "doc-" + strconv.Itoa(i), Title: row[2], Text: row[10] + " Ticket " + strconv.Itoa(100000+i) + ".",
			Kind: index.KindFAQ, Whole: true}
	}
	embed := vectortest.RandomEmbed(dims)
	tmp := b.TempDir()
	db, err := sqlite.Open(filepath.Join(tmp, "shopdesk.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	kw, err := keyword.Open(filepath.Join(tmp, "keyword"))
	if err != nil {
		b.Fatal(err)
	}
	defer kw.Close()
	vec, err := flat.Open(flat.Options{Dir: filepath.Join(tmp, "vectors")})
	if err != nil {
		b.Fatal(err)
	}
	defer vec.Close()
	ctx := context.Background()
	x, err := index.Open(ctx, index.Options{DB: db, Keyword: kw, Vectors: vec, Embed: embed, Space: "bench-768", RetrieverTimeout: time.Minute})
	if err != nil {
		b.Fatal(err)
	}
	if _, err := x.Ingest(ctx, "shop", docs, nil); err != nil {
		b.Fatal(err)
	}
	convs, err := conversation.Open(ctx, db)
	if err != nil {
		b.Fatal(err)
	}
	gen := &firstToken{}
	a, err := New(Options{Search: x, Chat: gen, Store: convs, MinRelevance: 0.01})
	if err != nil {
		b.Fatal(err)
	}
	r := rand.New(rand.NewSource(1))
	queries := make([]string, asked)
	for i := range queries {
		queries[i] = rows[r.Intn(len(rows))][2]
	}
	// A conversation with history, so memory is part of the work.
	for i := range 6 {
		a.Answer(ctx, Request{Tenant: "shop", ConversationID: "bench", Message: queries[i], Model: chatEntry}, nil)
	}

	var base, total []time.Duration
	skipped := 0
	b.ResetTimer()
	for range b.N {
		for _, q := range queries {
			start := time.Now()
			if _, err := x.Search(ctx, "shop", q, index.SearchOptions{K: 5}); err != nil {
				b.Fatal(err)
			}
			base = append(base, time.Since(start))

			start = time.Now()
			_, err := a.Answer(ctx, Request{Tenant: "shop", ConversationID: "bench", Message: q, Model: chatEntry}, nil)
			if err == nil {
				skipped++ // answered without the model: a hand-off
				continue
			}
			if !errors.Is(err, errStop) {
				b.Fatalf("answer: %v", err)
			}
			total = append(total, gen.at.Sub(start))
		}
	}
	b.StopTimer()
	p50, p99 := pct(total)
	bp50, bp99 := pct(base)
	b.ReportMetric(float64(p50)/1e6, "p50-ms")
	b.ReportMetric(float64(p50)/float64(bp50), "x-search")
	fmt.Printf("request → first token sent to Ollama, %d chunks, hybrid, %d queries (%d handed off without the model): p50 %s  p99 %s   (target p50 ≤ 30 ms)\n",
		n, len(total), skipped, msf(p50), msf(p99))
	fmt.Printf("  baseline, the hybrid search alone: p50 %s  p99 %s; the assistant adds %s at p50 (memory, sentiment, prompt)\n",
		msf(bp50), msf(bp99), msf(p50-bp50))
}

func pct(ds []time.Duration) (p50, p99 time.Duration) {
	s := slices.Clone(ds)
	slices.Sort(s)
	return s[len(s)/2], s[min(len(s)-1, len(s)*99/100)]
}

func msf(d time.Duration) string {
	return strings.TrimRight(strings.TrimRight(fmt.Sprintf("%.2f", float64(d)/1e6), "0"), ".") + " ms"
}
