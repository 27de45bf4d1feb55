package eval

import (
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func near(a, b float64) bool { return math.Abs(a-b) < 1e-9 }

func TestScore(t *testing.T) {
	queries := []Query{
		{Query: "q1", Relevant: []string{"a"}},      // found first
		{Query: "q2", Relevant: []string{"b", "c"}}, // one at rank 2 (after a duplicate), one at 7
		{Query: "q3", Relevant: []string{"z"}},      // not found
	}
	ranked := [][]string{
		{"a", "x"},
		{"x", "x", "b", "d", "e", "f", "g", "h", "c"},
		{"x"},
	}
	m := Score(queries, ranked, []time.Duration{time.Millisecond, 2 * time.Millisecond, 10 * time.Millisecond})
	if !near(m.RecallAt1, 1.0/3) || !near(m.RecallAt5, (1+0.5)/3) || !near(m.RecallAt10, (1+1)/3.0) {
		t.Errorf("recall = %v %v %v", m.RecallAt1, m.RecallAt5, m.RecallAt10)
	}
	if !near(m.MRRAt10, (1+0.5)/3) {
		t.Errorf("MRR = %v", m.MRRAt10)
	}
	// q2 deduped: x b d e f g h c → b at 2, c at 8.
	q2 := (1/math.Log2(3) + 1/math.Log2(9)) / (1 + 1/math.Log2(3))
	if !near(m.NDCGAt10, (1+q2)/3) {
		t.Errorf("nDCG = %v, want %v", m.NDCGAt10, (1+q2)/3)
	}
	if m.P50 != 2*time.Millisecond || m.P95 != 10*time.Millisecond {
		t.Errorf("latency p50 %v p95 %v", m.P50, m.P95)
	}
	b, _ := json.Marshal(m)
	for _, k := range []string{`"recall@1":0.3333`, `"mrr@10":0.5`, `"p95_ms":10`, `"n":3`} {
		if !strings.Contains(string(b), k) {
			t.Errorf("JSON %s lacks %s", b, k)
		}
	}
}

func TestLoadQueries(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "q.jsonl")
	os.WriteFile(good, []byte(`{"query":"refund time","relevant":["faq-1"]}`+"\n\n"+`{"query":"退货","relevant":["faq-2","faq-3"]}`+"\n"), 0o644)
	qs, err := LoadQueries(good)
	if err != nil || len(qs) != 2 || qs[1].Relevant[1] != "faq-3" {
		t.Fatalf("%+v %v", qs, err)
	}
	for _, bad := range []string{`{"query":"x"}`, `{"query":"","relevant":["a"]}`, `{"query":"x","relevant":["a"],"extra":1}`, `not json`} {
		path := filepath.Join(dir, "bad.jsonl")
		os.WriteFile(path, []byte(`{"query":"ok","relevant":["a"]}`+"\n"+bad+"\n"), 0o644)
		if _, err := LoadQueries(path); err == nil || !strings.Contains(err.Error(), "bad.jsonl:2") {
			t.Errorf("%s: err = %v, want it to name line 2", bad, err)
		}
	}
}
