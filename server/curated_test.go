package server

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"path/filepath"
	"strings"
	"testing"

	"github.com/shopdesk/shopdesk/curated"
	"github.com/shopdesk/shopdesk/index"
	"github.com/shopdesk/shopdesk/learning"
	"github.com/shopdesk/shopdesk/sqlite"
)

// oneDoc is a Documents holding document "faq-1" for every tenant.
type oneDoc struct{}

func (oneDoc) Ingest(context.Context, string, []index.Document, func(int, int)) (index.IngestResult, error) {
	return index.IngestResult{}, nil
}
func (oneDoc) Search(context.Context, string, string, index.SearchOptions) (index.SearchResult, error) {
	return index.SearchResult{}, nil
}
func (oneDoc) Delete(context.Context, string, string) (bool, error) { return false, nil }
func (oneDoc) Documents(context.Context, string, string, string, int) ([]index.DocInfo, error) {
	return nil, nil
}

func (oneDoc) Document(_ context.Context, _, id string) (index.DocInfo, bool, error) {
	return index.DocInfo{ID: id}, id == "faq-1", nil
}

const (
	keyA = "sk-acme-0123456789abcdef"
	keyB = "sk-globex-0123456789abcdef"
)

func curatedServer(t *testing.T) string {
	db, err := sqlite.Open(filepath.Join(t.TempDir(), "db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	store, err := curated.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	ph, err := learning.Open(context.Background(), learning.Options{DB: db, Learnable: func(_ context.Context, _, id, _ string) (bool, error) { return id == "faq-1", nil }})
	if err != nil {
		t.Fatal(err)
	}
	ts := newTestServer(t, &fakeModels{}, func(o *Options) {
		o.Curated, o.Phrasings, o.Documents, o.Search = store, ph, oneDoc{}, oneDoc{}
		o.APIKeys = []APIKey{{Key: keyA, Tenant: "acme"}, {Key: keyB, Tenant: "globex"}}
	})
	return ts.URL
}

func call(t *testing.T, base, key, method, path, body string) (int, map[string]any) {
	t.Helper()
	req, _ := http.NewRequest(method, base+path, strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+key)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out map[string]any
	json.NewDecoder(resp.Body).Decode(&out)
	return resp.StatusCode, out
}

func TestAnswersAPI(t *testing.T) {
	base := curatedServer(t)
	status, a := call(t, base, keyA, "POST", "/api/answers", `{"question":"Do you offer gift wrapping?","answer":"Yes, $4.","alternates":["gift wrap"],"tags":["orders"]}`)
	if status != 201 || a["id"] == "" || a["lang"] != "en" {
		t.Fatalf("create: %d %v", status, a)
	}
	id := a["id"].(string)
	if status, got := call(t, base, keyA, "GET", "/api/answers/"+id, ""); status != 200 || got["answer"] != "Yes, $4." {
		t.Errorf("get: %d %v", status, got)
	}
	if status, _ := call(t, base, keyB, "GET", "/api/answers/"+id, ""); status != 404 {
		t.Errorf("another tenant reads the answer: %d", status)
	}
	if status, got := call(t, base, keyB, "GET", "/api/answers", ""); status != 200 || len(got["answers"].([]any)) != 0 {
		t.Errorf("another tenant lists: %d %v", status, got)
	}
	if status, got := call(t, base, keyA, "PUT", "/api/answers/"+id, `{"question":"Do you offer gift wrapping?","answer":"Yes, $5."}`); status != 200 || got["answer"] != "Yes, $5." {
		t.Errorf("update: %d %v", status, got)
	}
	if status, _ := call(t, base, keyA, "POST", "/api/answers", `{"question":"do you offer gift wrapping","answer":"dup"}`); status != 409 {
		t.Errorf("same question: %d, want 409", status)
	}
	for _, tc := range []struct{ body, param string }{
		{`{"answer":"x"}`, "question"},
		{`{"question":"q"}`, "answer"},
		{`{"question":"q","answer":"x","lang":"fr"}`, "lang"},
		{`{"question":"q","answer":"x","alternates":"one"}`, "alternates"},
		{`not json`, ""},
	} {
		status, body := call(t, base, keyA, "POST", "/api/answers", tc.body)
		e, _ := body["error"].(map[string]any)
		if status != 400 || tc.param != "" && e["param"] != tc.param {
			t.Errorf("%s: %d %v, want 400 naming %s", tc.body, status, body, tc.param)
		}
	}
	if status, _ := call(t, base, keyB, "DELETE", "/api/answers/"+id, ""); status != 404 {
		t.Errorf("another tenant deletes: %d", status)
	}
	if status, _ := call(t, base, keyA, "DELETE", "/api/answers/"+id, ""); status != 204 {
		t.Errorf("delete: %d", status)
	}
}

func TestLearningAPI(t *testing.T) {
	base := curatedServer(t)
	status, ph := call(t, base, keyA, "POST", "/api/learning/phrasings", `{"doc_id":"faq-1","question":"My name is Jane Doe, how long to return boots?"}`)
	if status != 201 || ph["status"] != "approved" || strings.Contains(fmt.Sprint(ph["question"]), "Jane") {
		t.Fatalf("attach: %d %v", status, ph)
	}
	for _, tc := range []struct{ body, param string }{
		{`{"question":"x"}`, "doc_id"},
		{`{"doc_id":"faq-1"}`, "question"},
		{`{"doc_id":"faq-1","question":"jane@example.com"}`, "question"},
	} {
		status, body := call(t, base, keyA, "POST", "/api/learning/phrasings", tc.body)
		e, _ := body["error"].(map[string]any)
		if status != 400 || e["param"] != tc.param {
			t.Errorf("%s: %d %v, want 400 naming %s", tc.body, status, body, tc.param)
		}
	}
	if status, _ := call(t, base, keyA, "POST", "/api/learning/phrasings", `{"doc_id":"nope","question":"x"}`); status != 404 {
		t.Errorf("unknown doc: %d", status)
	}
	if status, got := call(t, base, keyA, "GET", "/api/documents/faq-1/phrasings", ""); status != 200 || len(got["phrasings"].([]any)) != 1 {
		t.Errorf("document phrasings: %d %v", status, got)
	}
	if status, got := call(t, base, keyB, "GET", "/api/documents/faq-1/phrasings", ""); status != 200 || len(got["phrasings"].([]any)) != 0 {
		t.Errorf("another tenant sees phrasings: %d %v", status, got)
	}
	if status, got := call(t, base, keyA, "GET", "/api/learning/candidates?status=approved", ""); status != 200 || len(got["candidates"].([]any)) != 1 {
		t.Errorf("list approved: %d %v", status, got)
	}
	pid := fmt.Sprint(ph["id"])
	if status, _ := call(t, base, keyB, "POST", "/api/learning/candidates/"+pid+"/reject", ""); status != 404 {
		t.Errorf("another tenant rejects: %d", status)
	}
	if status, got := call(t, base, keyA, "POST", "/api/learning/candidates/"+pid+"/approve", `{"question":"how long to return boots"}`); status != 200 || got["question"] != "how long to return boots" {
		t.Errorf("approve with edit: %d %v", status, got)
	}
	if status, got := call(t, base, keyA, "POST", "/api/learning/candidates/"+pid+"/reject", ""); status != 200 || got["status"] != "rejected" {
		t.Errorf("reject: %d %v", status, got)
	}
	for _, path := range []string{"/api/learning/candidates/x/approve", "/api/learning/candidates/1/maybe"} {
		if status, _ := call(t, base, keyA, "POST", path, ""); status != 400 && status != 404 {
			t.Errorf("%s: %d", path, status)
		}
	}
	if status, _ := call(t, base, keyA, "GET", "/api/learning/candidates?status=odd", ""); status != 400 {
		t.Errorf("bad status: %d", status)
	}
}
