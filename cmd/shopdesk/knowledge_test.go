package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"mime/multipart"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/shopdesk/shopdesk/inference/ollamatest"
)

var demoKnowledge = filepath.Join("..", "..", "deploy", "demo", "knowledge")

func runCmd(t *testing.T, args ...string) (string, error) {
	t.Helper()
	var out, errs bytes.Buffer
	err := run(context.Background(), append([]string{"shopdesk"}, args...), env(nil), &out, &errs)
	if err != nil {
		t.Logf("stderr: %s", errs.String())
	}
	return out.String(), err
}

func TestIngestAndSearchCommands(t *testing.T) {
	o := ollamatest.Shared(t)
	data := t.TempDir()
	common := []string{"--data", data, "--ollama-host", o.URL, "--embed-model", ollamatest.ChatModel, "--log-level", "warn"}

	out, err := runCmd(t, append([]string{"ingest"}, append(common, demoKnowledge)...)...)
	if err != nil {
		t.Fatalf("ingest: %v\n%s", err, out)
	}
	if !strings.Contains(out, "added") || strings.Contains(out, "problem") {
		t.Fatalf("ingest output:\n%s", out)
	}
	again, err := runCmd(t, append([]string{"ingest"}, append(common, demoKnowledge)...)...)
	if err != nil || !strings.Contains(again, " 0 added, 0 replaced") {
		t.Fatalf("second ingest should change nothing: %v\n%s", err, again)
	}

	out, err = runCmd(t, append([]string{"search", "--mode", "keyword", "--json"}, append(common, "how long do I have to return an item")...)...)
	if err != nil {
		t.Fatal(err)
	}
	var res struct {
		Hits []struct {
			DocID string `json:"doc_id"`
			Kind  string
		}
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil || len(res.Hits) == 0 {
		t.Fatalf("search output: %v\n%s", err, out)
	}
	if res.Hits[0].DocID != "faq-en-return-window" || res.Hits[0].Kind != "faq" {
		t.Fatalf("top hit %+v", res.Hits[0])
	}
	out, err = runCmd(t, append([]string{"search"}, append(common, "保修多久")...)...)
	if err != nil || !strings.Contains(out, "1. ") || !strings.Contains(out, "(hybrid,") {
		t.Fatalf("hybrid search: %v\n%s", err, out)
	}

	// Policies are typed by their folder.
	out, _ = runCmd(t, append([]string{"search", "--mode", "keyword", "--json", "--k", "1"}, append(common, "holiday extension January 31")...)...)
	if !strings.Contains(out, `"kind": "policy"`) {
		t.Fatalf("policy kind from the folder name:\n%s", out)
	}
}

func TestIngestReportsBadFilesAndKeepsTheRest(t *testing.T) {
	o := ollamatest.Shared(t)
	data, docs := t.TempDir(), t.TempDir()
	os.WriteFile(filepath.Join(docs, "faq.jsonl"), []byte(`{"id":"a","title":"Gift wrap?","text":"Yes, for $5."}
{"id":"b","title":
{"id":"c","title":"Pets?","text":"Dogs welcome."}
`), 0o644)
	os.WriteFile(filepath.Join(docs, "broken.json"), []byte(`{"oops": `), 0o644)
	os.WriteFile(filepath.Join(docs, "notes.docx"), []byte("ignored: unknown type"), 0o644)
	out, err := runCmd(t, "ingest", "--data", data, "--ollama-host", o.URL, "--embed-model", ollamatest.ChatModel, "--log-level", "warn", docs)
	if err == nil {
		t.Fatal("problems were not reported as a failure")
	}
	for _, want := range []string{"2 added", "faq.jsonl:2: invalid JSON", "broken.json: invalid JSON"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if _, err := runCmd(t, "ingest", "--data", data, "--ollama-host", o.URL, filepath.Join(docs, "missing.md")); err == nil {
		t.Error("a missing path was accepted")
	}
}

func TestDataDirectoryIsLocked(t *testing.T) {
	data := t.TempDir()
	release, err := lockData(data)
	if err != nil {
		t.Fatal(err)
	}
	defer release()
	_, err = runCmd(t, "search", "--data", data, "anything")
	if err == nil || !strings.Contains(err.Error(), "in use by another shopdesk") {
		t.Fatalf("err = %v", err)
	}
}

func TestEvalCommand(t *testing.T) {
	eval := filepath.Join("..", "..", "deploy", "demo", "eval")
	out, err := runCmd(t, "eval", "--docs", filepath.Join(eval, "docs.jsonl"), "--queries", filepath.Join(eval, "queries.en.jsonl"), "--mode", "keyword", "--json")
	if err != nil {
		t.Fatal(err)
	}
	var rep struct {
		N        int
		Modes    map[string]map[string]float64
		Baseline map[string]float64
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	kw := rep.Modes["keyword"]
	if rep.N != 50 || kw == nil || rep.Baseline["recall@1"] == 0 || kw["mrr@10"] == 0 || kw["p95_ms"] <= 0 {
		t.Fatalf("report = %+v", rep)
	}
	if _, err := runCmd(t, "eval", "--docs", filepath.Join(eval, "docs.jsonl")); err == nil {
		t.Fatal("eval without queries was accepted")
	}
	bad := filepath.Join(t.TempDir(), "q.jsonl")
	os.WriteFile(bad, []byte(`{"query":"x","relevant":["no-such-doc"]}`), 0o644)
	if _, err := runCmd(t, "eval", "--docs", filepath.Join(eval, "docs.jsonl"), "--queries", bad, "--mode", "keyword"); err == nil || !strings.Contains(err.Error(), "no-such-doc") {
		t.Fatalf("a label naming no document: %v", err)
	}
}

func TestServeIngestsAtStart(t *testing.T) {
	in := startShopdesk(t, ollamatest.Shared(t).URL, nil, "--ingest", filepath.Join(demoKnowledge, "faq.zh.jsonl"))
	status, _, body := in.post(t, "/api/search", `{"query":"运费谁出","k":3}`)
	if status != 200 || !strings.Contains(body, "faq-zh-") {
		t.Fatalf("search after startup ingest: %d %s", status, body)
	}
	if !strings.Contains(in.stderr.String(), "knowledge ingested at start") {
		t.Fatal("startup ingest not logged")
	}
}

// upload posts files as a multipart form.
func upload(t *testing.T, base, key string, files map[string]string, fields map[string]string) (int, string) {
	t.Helper()
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	for name, content := range files {
		fw, _ := w.CreateFormFile("file", name)
		io.WriteString(fw, content)
	}
	for k, v := range fields {
		w.WriteField(k, v)
	}
	w.Close()
	req, _ := http.NewRequest(http.MethodPost, base+"/api/documents", &buf)
	req.Header.Set("Content-Type", w.FormDataContentType())
	return send(t, req, key)
}

// send makes the request with key and returns the status and body.
func send(t *testing.T, req *http.Request, key string) (int, string) {
	t.Helper()
	req.Header.Set("Authorization", "Bearer "+key)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func TestDocumentsAPI(t *testing.T) {
	in := startShopdesk(t, ollamatest.Shared(t).URL, map[string]string{"SHOPDESK_API_KEYS": "acme:" + acmeKey + ",globex:" + globexKey}, "--max-upload", "256KiB")
	auth := func(key string) []string { return []string{"Authorization", "Bearer " + key} }

	status, _, body := in.post(t, "/api/documents", `{"documents":[
		{"id":"gift-wrap","title":"Do you gift wrap?","text":"Yes, gift wrapping costs $5 per item.","kind":"faq"},
		{"id":"pets","title":"Can I bring my dog to the store?","text":"Dogs on a leash are welcome.","kind":"faq"}]}`, auth(acmeKey)...)
	if status != 200 || !strings.Contains(body, `"added":2`) {
		t.Fatalf("JSON ingest: %d %s", status, body)
	}

	pdf, err := os.ReadFile(filepath.Join("..", "..", "index", "formats", "testdata", "pdf", "english.pdf"))
	if err != nil {
		t.Fatal(err)
	}
	status, body = upload(t, in.base, acmeKey, map[string]string{
		"faq.csv":    "question,answer\nDo you price match?,We match our own prices for 14 days.\n",
		"manual.pdf": string(pdf),
		"bad.jsonl":  "{not json\n",
	}, map[string]string{"kind": "faq"})
	if status != 200 || !strings.Contains(body, `"added":2`) || !strings.Contains(body, "bad.jsonl:1") {
		t.Fatalf("upload: %d %s", status, body)
	}

	status, _, body = in.post(t, "/api/search", `{"query":"gift wrapping price","mode":"keyword"}`, auth(acmeKey)...)
	if status != 200 || !strings.Contains(body, `"doc_id":"gift-wrap"`) || !strings.Contains(body, `"ranks":{"keyword":1}`) {
		t.Fatalf("acme search: %d %s", status, body)
	}
	status, _, body = in.post(t, "/api/search", `{"query":"gift wrapping price","mode":"keyword"}`, auth(globexKey)...)
	if status != 200 || strings.Contains(body, "gift-wrap") {
		t.Fatalf("globex sees acme's documents: %d %s", status, body)
	}
	status, _, body = in.post(t, "/api/search", `{"query":"Store Policy Manual warranty electronics"}`, auth(acmeKey)...)
	if status != 200 || !strings.Contains(body, `"doc_id":"manual.pdf"`) {
		t.Fatalf("the uploaded PDF is not found: %d %s", status, body)
	}

	get := func(path, key string) (int, string) {
		req, _ := http.NewRequest(http.MethodGet, in.base+path, nil)
		return send(t, req, key)
	}
	if status, body := get("/api/documents?limit=2", acmeKey); status != 200 || !strings.Contains(body, `"next"`) || strings.Count(body, `"id":`) != 2 {
		t.Fatalf("list: %d %s", status, body)
	}
	if status, body := get("/api/documents/faq.csv%23do-you-price-match", acmeKey); status != 200 || !strings.Contains(body, "14 days") {
		t.Fatalf("get: %d %s", status, body)
	}
	if status, _ := get("/api/documents/pets", globexKey); status != 404 {
		t.Fatalf("globex reads acme's document: %d", status)
	}
	del := func(id, key string) int {
		req, _ := http.NewRequest(http.MethodDelete, in.base+"/api/documents/"+id, nil)
		status, _ := send(t, req, key)
		return status
	}
	if s := del("pets", globexKey); s != 404 {
		t.Fatalf("globex deleted acme's document: %d", s)
	}
	if s := del("pets", acmeKey); s != 204 {
		t.Fatalf("delete: %d", s)
	}
	if status, _ := get("/api/documents/pets", acmeKey); status != 404 {
		t.Fatal("deleted document still there")
	}

	for _, tc := range []struct{ body, code string }{
		{`{"query":""}`, "invalid_value"},
		{`{"query":"x","mode":"psychic"}`, "invalid_value"},
		{`{"query":"x","k":1000}`, "invalid_value"},
		{`{"query":`, "invalid_json"},
	} {
		status, _, body := in.post(t, "/api/search", tc.body, auth(acmeKey)...)
		if status != 400 || !strings.Contains(body, tc.code) {
			t.Errorf("%s: %d %s", tc.body, status, body)
		}
	}
	if status, _, _ := in.post(t, "/api/search", `{"query":"x"}`); status != 401 {
		t.Errorf("search without a key: %d", status)
	}
	status, body = upload(t, in.base, acmeKey, map[string]string{"big.txt": strings.Repeat("x", 300<<10)}, nil)
	if status != 413 {
		t.Errorf("oversized upload: %d %s", status, body)
	}
	status, _, body = in.post(t, "/api/documents", `{"documents":[{"id":"","title":"no id"}]}`, auth(acmeKey)...)
	if status != 200 || !strings.Contains(body, "no id") {
		t.Errorf("a document without id: %d %s", status, body)
	}
}
