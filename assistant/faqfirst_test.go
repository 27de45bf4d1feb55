package assistant

import (
	"bufio"
	"context"
	"encoding/json"
	"hash/fnv"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/shopdesk/shopdesk/index"
	"github.com/shopdesk/shopdesk/index/keyword"
	"github.com/shopdesk/shopdesk/sqlite"
)

func readJSONL[T any](t *testing.T, path string) []T {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []T
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var v T
		if err := json.Unmarshal(sc.Bytes(), &v); err != nil {
			t.Fatal(err)
		}
		out = append(out, v)
	}
	return out
}

// TestFAQFirstThreshold measures FAQFirstMatch on the demo shop's
// evaluation sets (deploy/demo/eval): answerable queries (right when the
// FAQ answered is one of the relevant ones) and unanswerable ones (every
// verbatim answer is wrong), through keyword retrieval as make run has
// it. The lowest threshold from which precision on the dev half (by a
// hash of the query) stays at least 0.95 rests on three replies and fails
// on the test half: these paraphrases rarely share most of an FAQ
// question's words. So FAQFirstMatch is curated.StrongMatch, measured
// with the same score on near misses, and this test checks that it sends
// no wrong verbatim answer here. go test -run FAQFirstThreshold -v prints
// the table.
func TestFAQFirstThreshold(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	db, err := sqlite.Open(filepath.Join(dir, "db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	kw, err := keyword.Open(filepath.Join(dir, "kw"))
	if err != nil {
		t.Fatal(err)
	}
	defer kw.Close()
	x, err := index.Open(ctx, index.Options{DB: db, Keyword: kw})
	if err != nil {
		t.Fatal(err)
	}
	const eval = "../deploy/demo/eval/"
	docs := readJSONL[index.Document](t, eval+"docs.jsonl")
	for i := range docs {
		docs[i].Kind = index.KindFAQ
	}
	if _, err := x.Ingest(ctx, "demo", docs, nil); err != nil {
		t.Fatal(err)
	}
	type query struct {
		Query    string   `json:"query"`
		Relevant []string `json:"relevant"`
	}
	type result struct {
		score                float64
		positive, right, dev bool
		lang                 string
	}
	var rs []result
	for _, set := range []struct{ file, lang string }{{"queries.en.jsonl", "en"}, {"queries.zh.jsonl", "zh"}, {"unanswerable.en.jsonl", "en"}, {"unanswerable.zh.jsonl", "zh"}} {
		for _, q := range readJSONL[query](t, eval+set.file) {
			res, err := x.Search(ctx, "demo", q.Query, index.SearchOptions{Mode: index.ModeKeyword, K: 5})
			if err != nil {
				t.Fatal(err)
			}
			passages := make([]string, len(res.Hits))
			for i, h := range res.Hits {
				passages[i] = h.Title + "\n" + h.Heading + "\n" + h.Text
			}
			r := result{lang: set.lang, positive: len(q.Relevant) > 0}
			h := fnv.New32a()
			h.Write([]byte(q.Query))
			r.dev = h.Sum32()%2 == 0
			if Relevance(q.Query, passages) >= DefaultMinRelevance {
				if hit, ok := BestFAQ(q.Query, res.Hits, nil, 0.01); ok {
					r.score = TermsScore(q.Query, hit.Title)
					r.right = slices.Contains(q.Relevant, hit.DocID)
				}
			}
			rs = append(rs, r)
		}
	}
	// pr returns the precision of the verbatim replies at th, their
	// number, and the right ones among the answerable queries.
	pr := func(th float64, keep func(result) bool) (p float64, n, right, answerable int) {
		for _, r := range rs {
			if !keep(r) {
				continue
			}
			if r.positive {
				answerable++
			}
			if r.score > 0 && r.score >= th {
				n++
				if r.right {
					right++
				}
			}
		}
		if n > 0 {
			p = float64(right) / float64(n)
		}
		return p, n, right, answerable
	}
	chosen := 1.01
	for th := 1.0; th >= 0.2999; th -= 0.01 {
		th = float64(int(th*100+0.5)) / 100
		if p, n, _, _ := pr(th, func(r result) bool { return r.dev }); n > 0 && p < 0.95 {
			break
		}
		chosen = th
	}
	t.Logf("lowest threshold with dev precision >= 0.95: %.2f (FAQFirstMatch is %.2f)", chosen, FAQFirstMatch)
	if FAQFirstMatch < chosen {
		t.Errorf("FAQFirstMatch %.2f is below the measured %.2f", FAQFirstMatch, chosen)
	}
	if p, n, _, _ := pr(FAQFirstMatch, func(result) bool { return true }); n > 0 && p < 0.95 {
		t.Errorf("at FAQFirstMatch, %d verbatim replies with precision %.2f", n, p)
	}
	t.Log("| split | language | threshold | verbatim replies | precision | recall (right / answerable) |")
	t.Log("| --- | --- | --- | --- | --- | --- |")
	for _, dev := range []bool{true, false} {
		for _, lg := range []string{"en", "zh", "both"} {
			for _, th := range []float64{FAQFirstMatch, chosen} {
				keep := func(r result) bool { return r.dev == dev && (lg == "both" || r.lang == lg) }
				p, n, right, answerable := pr(th, keep)
				split := map[bool]string{true: "dev", false: "test"}[dev]
				t.Logf("| %s | %s | %.2f | %d | %.2f | %.2f (%d / %d) |", split, lg, th, n, p, float64(right)/float64(answerable), right, answerable)
			}
		}
	}
}
