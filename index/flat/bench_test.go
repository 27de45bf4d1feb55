package flat

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"testing"

	"github.com/shopdesk/shopdesk/index"
	"github.com/shopdesk/shopdesk/index/vectortest"
)

// BenchmarkSearch measures the store alone at 100,000 and 1,000,000
// vectors of 768 dimensions drawn from a clustered mixture, against the
// exact float32 scan (the store before quantization) over the same
// vectors in the same run: latency, recall@10, memory and disk. The
// million-vector case takes minutes to set up and is skipped with -short.
// Run with -benchtime 1x; FLAT_BENCH_K and FLAT_BENCH_WORKERS change k and
// the scan workers.
func BenchmarkSearch(b *testing.B) {
	const dims, queries = 768, 200
	k := 10
	if v, err := strconv.Atoi(os.Getenv("FLAT_BENCH_K")); err == nil {
		k = v
	}
	for _, tc := range []struct {
		n              int
		target, memMax string
	}{
		{100_000, "≤ 8 ms", "≤ 150 MiB"},
		{1_000_000, "≤ 60 ms", "≤ 1.5 GiB"},
	} {
		b.Run(fmt.Sprintf("%dk", tc.n/1000), func(b *testing.B) {
			if tc.n > 100_000 && testing.Short() {
				b.Skip("a million vectors take minutes to set up; skipped with -short")
			}
			ctx := context.Background()
			dir := b.TempDir()
			heap0, rss0 := vectortest.Memory()
			opts := Options{Dir: dir}
			if w, err := strconv.Atoi(os.Getenv("FLAT_BENCH_WORKERS")); err == nil {
				opts.Workers = w // the default leaves a core to keyword search
			}
			s, err := Open(opts)
			if err != nil {
				b.Fatal(err)
			}
			defer s.Close()
			mix := vectortest.NewMixture(1, dims, 1000)
			keys := make([]string, 0, tc.n)
			for len(keys) < tc.n {
				pts := make([]index.VectorPoint, min(10_000, tc.n-len(keys)))
				for i := range pts {
					pts[i] = index.VectorPoint{Key: fmt.Sprintf("acme/doc-%d/1/0", len(keys)), Vector: mix.Next()}
					keys = append(keys, pts[i].Key)
				}
				if err := s.Upsert(ctx, "acme", pts); err != nil {
					b.Fatal(err)
				}
			}
			heap1, rss1 := vectortest.Memory()
			disk := vectortest.DirBytes(dir)
			qs := make([][]float32, queries)
			for i := range qs {
				qs[i] = mix.Next()
			}

			// The baseline holds the same vectors, read back from the store.
			exact := vectortest.Exact{Workers: s.opts.Workers}
			for i := 0; i < len(keys); i += 10_000 {
				part := keys[i:min(i+10_000, len(keys))]
				vecs, err := s.Vectors(ctx, "acme", part)
				if err != nil {
					b.Fatal(err)
				}
				for _, key := range part {
					exact.Add(key, vecs[key])
				}
			}
			want := make([][]index.Ranked, queries)
			base50, base99 := vectortest.Latencies(queries, func(i int) { want[i] = exact.Search(qs[i], k) })
			var recall float64
			b.ResetTimer()
			p50, p99 := vectortest.Latencies(queries, func(i int) {
				got, err := s.Search(ctx, "acme", qs[i], k)
				if err != nil {
					b.Fatal(err)
				}
				recall += vectortest.Recall(got, want[i]) / queries
			})
			b.StopTimer()
			fmt.Printf("\nEmbedded store, %d vectors of %d dimensions (clustered mixture), %d queries, k=%d, %d scan worker(s)\n",
				tc.n, dims, queries, k, s.opts.Workers)
			fmt.Printf("  vector p50 %s, p99 %s (exact scan p99 %s)\n", vectortest.Against(p50, tc.target, base50), vectortest.Ms(p99), vectortest.Ms(base99))
			fmt.Printf("  recall@%d against the exact scan %.4f (target ≥ 0.99)\n", k, recall)
			fmt.Printf("  memory after load: heap +%s, RSS +%s (target %s); disk %s\n",
				vectortest.MiB(heap1-heap0), vectortest.MiB(int64(rss1)-int64(rss0)), tc.memMax, vectortest.MiB(disk))
			b.ReportMetric(float64(p50.Microseconds())/1000, "p50-ms")
			b.ReportMetric(float64(base50.Microseconds())/1000, "exact-p50-ms")
			b.ReportMetric(recall, "recall@10")
			b.ReportMetric(float64(heap1-heap0)/(1<<20), "heap-MiB")
		})
	}
}
