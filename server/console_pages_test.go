package server

import (
	"bytes"
	"context"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/shopdesk/shopdesk/doctor"
	"github.com/shopdesk/shopdesk/index"
	"github.com/shopdesk/shopdesk/insights"
)

// tenantDocs is a Documents and Searcher holding documents per tenant.
type tenantDocs struct {
	mu       sync.Mutex
	docs     map[string][]index.DocInfo
	ingested map[string][]index.Document
}

func (d *tenantDocs) Ingest(_ context.Context, t string, docs []index.Document, _ func(int, int)) (index.IngestResult, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.ingested[t] = append(d.ingested[t], docs...)
	return index.IngestResult{Added: len(docs)}, nil
}

func (d *tenantDocs) Delete(_ context.Context, t, id string) (bool, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	for i, doc := range d.docs[t] {
		if doc.ID == id {
			d.docs[t] = append(d.docs[t][:i], d.docs[t][i+1:]...)
			return true, nil
		}
	}
	return false, nil
}

func (d *tenantDocs) Document(context.Context, string, string) (index.DocInfo, bool, error) {
	return index.DocInfo{}, false, nil
}

func (d *tenantDocs) Documents(_ context.Context, t, kind, _ string, _ int) ([]index.DocInfo, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	var out []index.DocInfo
	for _, doc := range d.docs[t] {
		if kind == "" || doc.Kind == kind {
			out = append(out, doc)
		}
	}
	return out, nil
}

func (d *tenantDocs) Search(_ context.Context, t, q string, _ index.SearchOptions) (index.SearchResult, error) {
	return index.SearchResult{Mode: "hybrid", Hits: []index.SearchHit{{Chunk: index.Chunk{DocID: t + "-returns", Title: "Returns for " + t, Text: "30 days"},
		Score: 0.03, Ranks: map[string]int{"keyword": 1, "vector": 3}}}}, nil
}

// fakeInsights reports fixed KPIs.
type fakeInsights struct{ report insights.Report }

func (f fakeInsights) KPIs(_ context.Context, _ string, from, to time.Time) (insights.Report, error) {
	r := f.report
	r.From, r.To = from, to
	return r, nil
}

func (f fakeInsights) Gaps(context.Context, string, time.Time, int) ([]insights.Gap, error) {
	return []insights.Gap{{Question: "Do you sell gift cards?", Count: 3, Examples: []string{"gift card?", "gift cards"}}}, nil
}

type fakeDoctor struct{}

func (fakeDoctor) Examine(context.Context) doctor.Report {
	return doctor.Report{Findings: []doctor.Finding{{Level: doctor.Fail, What: "model chat needs Ollama model tag-chat", Fix: "shopdesk models pull"}},
		Hosts: []doctor.Host{{URL: "http://ollama-a:11434", Version: "0.17.4", Models: []string{"tag-embed:latest"}}}}
}

func pagesFixture(t *testing.T) (*consoleFixture, *tenantDocs) {
	docs := &tenantDocs{ingested: map[string][]index.Document{}, docs: map[string][]index.DocInfo{
		"acme": {{ID: "acme-returns", Title: "Acme returns", Kind: index.KindPolicy, Lang: "en", Chunks: 2}},
		"beta": {{ID: "beta-secret", Title: "Beta secret", Kind: index.KindPolicy, Lang: "en", Chunks: 1}},
	}}
	day := func(d string, n int, auto float64) insights.KPIs {
		return insights.KPIs{Day: d, Conversations: n, AutomatedResolutionRate: auto, HandoffsByReason: map[string]int{}}
	}
	rep := insights.Report{Total: insights.KPIs{Conversations: 7, AutomatedResolutionRate: 0.5, HandoffsByReason: map[string]int{"requested": 2, "negative": 1}, CSAT: 4.5, CSATResponses: 2},
		Days: []insights.KPIs{day("2026-11-30", 3, 0.33), day("2026-12-01", 0, 0), day("2026-12-02", 4, 0.75)}}
	f := newConsoleFixture(t, func(o *Options) {
		o.Documents, o.Search, o.Insights, o.Doctor = docs, docs, fakeInsights{rep}, fakeDoctor{}
	})
	return f, docs
}

func TestConsoleKnowledge(t *testing.T) {
	f, docs := pagesFixture(t)
	admin, agent := f.browser(t).login("acme", "ada"), f.browser(t).login("acme", "mei")
	_, body, _ := agent.do("GET", "/console/knowledge?q=returns", nil)
	for _, want := range []string{"Acme returns", "Returns for acme", "keyword: #1", "vector: #3", "Only admins can upload"} {
		if !strings.Contains(body, want) {
			t.Errorf("the knowledge page lacks %q", want)
		}
	}
	if strings.Contains(body, "Beta") || strings.Contains(body, `id="upload"`) {
		t.Error("the agent sees beta's documents or the upload form")
	}
	// Another tenant's document is not there to delete.
	if status, _ := admin.post("/console/knowledge/delete", url.Values{"id": {"beta-secret"}}); status != http.StatusNotFound || len(docs.docs["beta"]) != 1 {
		t.Fatalf("acme deleted beta's document: %d", status)
	}
	if status, _ := admin.post("/console/knowledge/delete", url.Values{"id": {"acme-returns"}}); status != http.StatusSeeOther || len(docs.docs["acme"]) != 0 {
		t.Fatalf("delete: %d", status)
	}
	// Uploads carry the CSRF token in a header.
	upload := func(token string) (int, string) {
		var buf bytes.Buffer
		w := multipart.NewWriter(&buf)
		part, _ := w.CreateFormFile("file", "faq.md")
		part.Write([]byte("# Gift cards\n\nYes, we sell gift cards.\n"))
		w.Close()
		req, _ := http.NewRequest("POST", f.ts.URL+"/console/knowledge/upload", &buf)
		req.Header.Set("Content-Type", w.FormDataContentType())
		req.Header.Set(headerCSRF, token)
		resp, err := admin.client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var out bytes.Buffer
		out.ReadFrom(resp.Body)
		return resp.StatusCode, out.String()
	}
	if status, _ := upload("wrong"); status != http.StatusForbidden || len(docs.ingested["acme"]) != 0 {
		t.Fatalf("an upload with a wrong token: %d", status)
	}
	if status, body := upload(admin.csrf); status != http.StatusOK || !strings.Contains(body, "Uploaded: 1 added") || len(docs.ingested["acme"]) != 1 {
		t.Fatalf("upload: %d %s", status, body)
	}
}

func TestConsoleInsightsDrawsCharts(t *testing.T) {
	f, _ := pagesFixture(t)
	b := f.browser(t).login("acme", "mei")
	status, body, _ := b.do("GET", "/console/insights?from=2026-11-30&to=2026-12-03", nil)
	if status != 200 {
		t.Fatalf("%d %s", status, body)
	}
	if n := strings.Count(body, "<svg"); n != 5 {
		t.Errorf("%d charts, want 5", n)
	}
	for _, want := range []string{`role="img"`, "<rect", "11-30: 3", "12-02: 75%", "the shopper asked for a person", "<table", "2026-12-02", "4.50 (2)"} {
		if !strings.Contains(body, want) {
			t.Errorf("the insights page lacks %q", want)
		}
	}
	if status, body, _ := b.do("GET", "/console/insights?from=2026-12-03&to=2026-11-30", nil); status != http.StatusBadRequest {
		t.Errorf("a backwards range: %d %s", status, body)
	}
}

func TestConsoleLearningAndModels(t *testing.T) {
	f, _ := pagesFixture(t)
	b := f.browser(t).login("acme", "ada")
	_, body, _ := b.do("GET", "/console/learning", nil)
	for _, want := range []string{"Content gaps", "Do you sell gift cards?", "gift cards"} {
		if !strings.Contains(body, want) {
			t.Errorf("the learning page lacks %q", want)
		}
	}
	for _, path := range []string{"/console/learning/faq/approve", "/console/learning/phrasing/reject", "/console/learning/curated/save", "/console/learning/nope/approve"} {
		if status, body := b.post(path, url.Values{"id": {"12"}}); status < 400 || status == 500 {
			t.Errorf("POST %s without the store: %d %s", path, status, body)
		}
	}
	_, body, _ = b.do("GET", "/console/models", nil)
	for _, want := range []string{"tag-chat", "org/embed", "http://ollama-a:11434", "tag-embed:latest", "shopdesk models pull", "level-fail"} {
		if !strings.Contains(body, want) {
			t.Errorf("the models page lacks %q", want)
		}
	}
}

// The transcript's event stream brings a message written elsewhere (the
// shopper's, or another person's) as it is stored.
func TestConsoleTranscriptEventsAreLive(t *testing.T) {
	f := newConsoleFixture(t, nil)
	b := f.browser(t).login("acme", "mei")
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, "GET", f.ts.URL+"/console/conversations/c1/events", nil)
	resp, err := b.client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/event-stream") {
		t.Fatalf("events: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	buf := make([]byte, 4096)
	n, _ := resp.Body.Read(buf) // ": connected"
	if !strings.Contains(string(buf[:n]), "connected") {
		t.Fatalf("first bytes %q", buf[:n])
	}
	if _, err := f.convs.AddAgentMessage(context.Background(), "acme", "c1", "ada", "On its way today."); err != nil {
		t.Fatal(err)
	}
	var got strings.Builder
	for !strings.Contains(got.String(), "On its way today.") {
		n, err := resp.Body.Read(buf)
		if err != nil {
			t.Fatalf("the stream ended before the message: %v; got %q", err, got.String())
		}
		got.Write(buf[:n])
	}
	if !strings.Contains(got.String(), "event: message") || !strings.Contains(got.String(), `"author":"ada"`) {
		t.Fatalf("events: %q", got.String())
	}
}
