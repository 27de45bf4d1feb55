// Package eval measures retrieval: recall, MRR and nDCG of ranked
// document IDs against labelled queries, and latency percentiles.
package eval

import (
	"bufio"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"slices"
	"strings"
	"time"
)

// Query is one labelled question: the documents that answer it.
type Query struct {
	Query    string   `json:"query"`
	Relevant []string `json:"relevant"`
}

// LoadQueries reads a JSONL file of queries. Every line must have a query
// and at least one relevant document ID; errors name the line.
func LoadQueries(path string) ([]Query, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var out []Query
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 0, 64<<10), 4<<20)
	for line := 1; sc.Scan(); line++ {
		text := strings.TrimSpace(sc.Text())
		if text == "" {
			continue
		}
		var q Query
		dec := json.NewDecoder(strings.NewReader(text))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&q); err != nil {
			return nil, fmt.Errorf("%s:%d: %v", path, line, err)
		}
		if strings.TrimSpace(q.Query) == "" || len(q.Relevant) == 0 {
			return nil, fmt.Errorf("%s:%d: a query needs \"query\" and at least one \"relevant\" id", path, line)
		}
		out = append(out, q)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%s: no queries", path)
	}
	return out, nil
}

// Metrics summarize one retrieval mode over a query set.
type Metrics struct {
	N          int
	RecallAt1  float64
	RecallAt5  float64
	RecallAt10 float64
	MRRAt10    float64
	NDCGAt10   float64
	P50        time.Duration
	P95        time.Duration
}

// MarshalJSON uses the metric names the eval report documents.
func (m Metrics) MarshalJSON() ([]byte, error) {
	r := func(x float64) float64 { return math.Round(x*10000) / 10000 }
	ms := func(d time.Duration) float64 { return math.Round(float64(d)/float64(time.Microsecond)) / 1000 }
	return json.Marshal(map[string]any{
		"n": m.N, "recall@1": r(m.RecallAt1), "recall@5": r(m.RecallAt5), "recall@10": r(m.RecallAt10),
		"mrr@10": r(m.MRRAt10), "ndcg@10": r(m.NDCGAt10), "p50_ms": ms(m.P50), "p95_ms": ms(m.P95),
	})
}

// Score computes the metrics of ranked document IDs (best first, one list
// per query, duplicates ignored) against the queries' relevant IDs.
func Score(queries []Query, ranked [][]string, took []time.Duration) Metrics {
	m := Metrics{N: len(queries)}
	if len(queries) == 0 {
		return m
	}
	for i, q := range queries {
		docs := dedupe(ranked[i])
		rel := map[string]bool{}
		for _, id := range q.Relevant {
			rel[id] = true
		}
		m.RecallAt1 += recall(docs, rel, 1)
		m.RecallAt5 += recall(docs, rel, 5)
		m.RecallAt10 += recall(docs, rel, 10)
		for r, id := range docs[:min(10, len(docs))] {
			if rel[id] {
				m.MRRAt10 += 1 / float64(r+1)
				break
			}
		}
		var dcg, idcg float64
		for r, id := range docs[:min(10, len(docs))] {
			if rel[id] {
				dcg += 1 / math.Log2(float64(r+2))
			}
		}
		for r := range min(10, len(rel)) {
			idcg += 1 / math.Log2(float64(r+2))
		}
		m.NDCGAt10 += dcg / idcg
	}
	n := float64(len(queries))
	m.RecallAt1 /= n
	m.RecallAt5 /= n
	m.RecallAt10 /= n
	m.MRRAt10 /= n
	m.NDCGAt10 /= n
	m.P50, m.P95 = Percentile(took, 50), Percentile(took, 95)
	return m
}

func recall(docs []string, rel map[string]bool, k int) float64 {
	found := 0
	for _, id := range docs[:min(k, len(docs))] {
		if rel[id] {
			found++
		}
	}
	return float64(found) / float64(len(rel))
}

func dedupe(ids []string) []string {
	out := make([]string, 0, len(ids))
	for _, id := range ids {
		if !slices.Contains(out, id) {
			out = append(out, id)
		}
	}
	return out
}

// Percentile returns the p-th percentile (nearest rank) of ds.
func Percentile(ds []time.Duration, p float64) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	s := slices.Clone(ds)
	slices.Sort(s)
	i := int(math.Ceil(p/100*float64(len(s)))) - 1
	return s[max(0, min(i, len(s)-1))]
}
