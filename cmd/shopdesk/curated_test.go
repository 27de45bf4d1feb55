package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/shopdesk/shopdesk/inference/ollamatest"
)

const (
	keyShop  = "default:sk-shop-0123456789abcdef"
	keyOther = "other:sk-other-0123456789abcdef"
)

func bearer(key string) []string {
	_, k, _ := strings.Cut(key, ":")
	return []string{"Authorization", "Bearer " + k}
}

// Curated answers, faq_first and taught phrasings through the real server
// while Ollama is down: a curated answer and a strong FAQ match are
// answered verbatim without a model, only for their own tenant; a phrasing
// taught through the API makes a question that found another document
// find its own, survives the document's re-ingest and goes with it.
func TestCuratedAnswersAndPhrasings(t *testing.T) {
	data := filepath.Join(t.TempDir(), "data")
	file := filepath.Join(t.TempDir(), "answers.csv")
	os.WriteFile(file, []byte("question,answer,alternates\nDo you offer gift wrapping?,Yes: gift wrap is $4 per item.,can you wrap my order as a gift\n"), 0o644)
	var out bytes.Buffer
	if err := run(context.Background(), []string{"shopdesk", "answers", "import", "--data", data, file}, func(string) string { return "" }, &out, &out); err != nil {
		t.Fatalf("answers import: %v\n%s", err, out.String())
	}
	if !strings.Contains(out.String(), "1 added") {
		t.Fatalf("import said %q", out.String())
	}
	bad := filepath.Join(t.TempDir(), "bad.jsonl")
	os.WriteFile(bad, []byte(`{"question":"q","answer":"a"}`+"\n"+`{"question":"no answer"}`+"\n"), 0o644)
	err := run(context.Background(), []string{"shopdesk", "answers", "import", "--data", data, bad}, func(string) string { return "" }, &out, &out)
	if err == nil || !strings.Contains(err.Error(), "bad.jsonl:2:") {
		t.Fatalf("a bad file: %v, want an error naming bad.jsonl:2", err)
	}

	o := ollamatest.Dedicated(t)
	in := startShopdesk(t, o.URL, map[string]string{"SHOPDESK_API_KEYS": keyShop + "," + keyOther},
		"--data", data, "--ingest", filepath.Join(demoKnowledge, "faq.en.jsonl"), "--vector-store", "none", "--answer-mode", "faq_first")
	o.Proc.Stop()
	chat := func(key, msg string) chatReply {
		t.Helper()
		status, _, raw := in.post(t, "/api/chat", `{"message":"`+msg+`"}`, bearer(key)...)
		var r chatReply
		if err := json.Unmarshal([]byte(raw), &r); status != 200 || err != nil {
			t.Fatalf("chat %q: %d %s", msg, status, raw)
		}
		return r
	}

	r := chat(keyShop, "do you offer gift wrapping?")
	if r.Outcome != "curated" || r.Answer != "Yes: gift wrap is $4 per item." || len(r.Sources) != 1 || !strings.HasPrefix(r.Sources[0].ID, "curated:") {
		t.Fatalf("curated reply with Ollama down: %+v", r)
	}
	if r := chat(keyOther, "do you offer gift wrapping?"); r.Outcome == "curated" {
		t.Fatalf("tenant default's curated answer answered tenant other: %+v", r)
	}
	r = chat(keyShop, "How long do I have to return an item?")
	if r.Outcome != "curated" || !hasSource(r, "faq-en-return-window") || !strings.HasPrefix(r.Answer, "You can return most items within 30 days") {
		t.Fatalf("faq_first with Ollama down: %+v", r)
	}
	if got := in.metric(t, `shopdesk_assistant_answers_total{outcome="curated"}`); got != "2" {
		t.Errorf("curated replies counted %q, want 2", got)
	}

	// A question that finds another document, taught to its own.
	const question = "my puffy got soaked, how do I get it fluffy again"
	top := func() string {
		t.Helper()
		_, _, raw := in.post(t, "/api/search", `{"query":"`+question+`","mode":"keyword","k":1}`, bearer(keyShop)...)
		var res struct {
			Hits []struct {
				DocID string `json:"doc_id"`
			}
		}
		json.Unmarshal([]byte(raw), &res)
		if len(res.Hits) == 0 {
			return ""
		}
		return res.Hits[0].DocID
	}
	if top() == "faq-en-care-down" {
		t.Fatal("the question already finds faq-en-care-down; pick another")
	}
	status, _, raw := in.post(t, "/api/learning/phrasings", `{"doc_id":"faq-en-care-down","question":"`+question+`"}`, bearer(keyShop)...)
	if status != 201 {
		t.Fatalf("attach: %d %s", status, raw)
	}
	if got := top(); got != "faq-en-care-down" {
		t.Fatalf("after teaching, the question finds %q", got)
	}
	doc := `{"id":"faq-en-care-down","title":"How should I clean a down jacket or down sleeping bag?","text":"Wash rarely, cold, with a down wash; tumble dry low with tennis balls.","kind":"faq"}`
	if status, _, raw := in.post(t, "/api/documents", doc, bearer(keyShop)...); status != 200 || !strings.Contains(raw, `"replaced":1`) {
		t.Fatalf("re-ingest: %d %s", status, raw)
	}
	if got := top(); got != "faq-en-care-down" {
		t.Fatalf("after re-ingest, the question finds %q", got)
	}
	if status, raw := in.getAuth(t, "/api/documents/faq-en-care-down/phrasings", keyShop); status != 200 || !strings.Contains(raw, "fluffy") {
		t.Fatalf("document phrasings: %d %s", status, raw)
	}
	req, _ := http.NewRequest(http.MethodDelete, in.base+"/api/documents/faq-en-care-down", nil)
	req.Header.Set(bearer(keyShop)[0], bearer(keyShop)[1])
	if resp, err := http.DefaultClient.Do(req); err != nil || resp.StatusCode != 204 {
		t.Fatalf("delete: %v %v", resp, err)
	}
	if status, _, _ := in.post(t, "/api/documents", doc, bearer(keyShop)...); status != 200 {
		t.Fatal("re-adding the document failed")
	}
	if status, raw := in.getAuth(t, "/api/documents/faq-en-care-down/phrasings", keyShop); status != 200 || strings.Contains(raw, "fluffy") {
		t.Fatalf("the phrasing outlived its deleted document: %d %s", status, raw)
	}
	if got := in.metric(t, `shopdesk_phrasings{status="approved"}`); got != "0" {
		t.Errorf("approved phrasings %q, want 0 after the delete", got)
	}
}

func (in *instance) getAuth(t *testing.T, path, key string) (int, string) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, in.base+path, nil)
	req.Header.Set(bearer(key)[0], bearer(key)[1])
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var b bytes.Buffer
	b.ReadFrom(resp.Body)
	return resp.StatusCode, b.String()
}
