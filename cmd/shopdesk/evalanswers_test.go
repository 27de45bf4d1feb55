package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	answers "github.com/shopdesk/shopdesk/assistant/eval"
	"github.com/shopdesk/shopdesk/inference/ollamatest"
)

// shortCatalog serves the assistant with chatTag, generating at most 48
// tokens an answer, so that evaluations with the tiny models stay short.
const shortCatalog = `models:
  - id: shopdesk-chat
    tag: %s
    kind: chat
    default: true
    options: {temperature: 0, num_ctx: 2048, num_predict: 48}
  - id: shopdesk-embed
    tag: stories260k
    kind: embedding
`

func writeShortCatalog(t *testing.T, path, chatTag string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(fmt.Sprintf(shortCatalog, chatTag)), 0o644); err != nil {
		t.Fatal(err)
	}
}

func writeFile(t *testing.T, path, text string) string {
	t.Helper()
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// evalSet has an item of each path: catalog facts and an order shown
// after proof (deterministic), a refusal, a hand-off, and an answer the
// model writes.
const evalSet = `{"id":"price","lang":"en","messages":[{"role":"user","content":"How much is the Storm Shell Waterproof Jacket?"}],"expect":{"sources":["product:HL-JKT-001"],"facts":["$189.00"],"intent":"product_lookup","outcome":"action"}}
{"id":"order","lang":"en","messages":[{"role":"user","content":"Where is my order HL-100101?"},{"role":"user","content":"my email is emily.carter@example.com"}],"expect":{"sources":["order:HL-100101"],"facts":["delivered"],"intent":"order_status"}}
{"id":"capital","lang":"en","messages":[{"role":"user","content":"What is the capital of France?"}],"expect":{"refuse":true}}
{"id":"human","lang":"zh","messages":[{"role":"user","content":"转人工"}],"expect":{"outcome":"handoff"}}
{"id":"window","lang":"en","messages":[{"role":"user","content":"How long do I have to return an item?"}],"expect":{"sources":["faq-en-return-window"],"facts":["30 days"]}}
`

func TestEvalAnswersCommand(t *testing.T) {
	o := ollamatest.Shared(t)
	dir := t.TempDir()
	catalog := filepath.Join(dir, "shopdesk.yaml")
	writeShortCatalog(t, catalog, ollamatest.ChatModel)
	golden := writeFile(t, filepath.Join(dir, "golden.jsonl"), evalSet)
	common := []string{"--data", filepath.Join(dir, "data"), "--config", catalog, "--ollama-host", o.URL, "--vector-store", "none",
		"--ingest", filepath.Join(demoKnowledge, "faq.en.jsonl"), "--commerce-import", demoImports, "--return-window-days", "100000", "--log-level", "warn"}

	out, err := runCmd(t, append([]string{"eval", "answers", "--set", golden, "--json"}, common...)...)
	if err != nil {
		t.Fatal(err)
	}
	var rep answers.Report
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	items := map[string]answers.Result{}
	for _, it := range rep.Items {
		items[it.ID] = it
	}
	if it := items["price"]; it.SourcesFound != 1 || it.FactsFound != 1 || !it.RouteOK || it.Generated {
		t.Errorf("catalog fact: %+v", it)
	}
	if it := items["order"]; it.SourcesFound != 1 || it.FactsFound != 1 || !it.RouteOK {
		t.Errorf("order after proof: %+v", it)
	}
	if it := items["capital"]; !it.Refused || !it.RefuseOK {
		t.Errorf("refusal: %+v", it)
	}
	if it := items["human"]; it.Outcome != "handoff" || !it.RouteOK || !it.RefuseOK {
		t.Errorf("hand-off: %+v", it)
	}
	// The tiny model writes a story: cited and generated, but without the fact.
	if it := items["window"]; !it.Generated || it.SourcesFound != 1 || it.FactsFound != 0 || it.Outcome != "answered" {
		t.Errorf("generated answer: %+v", it)
	}
	m := rep.Overall
	if m.Items != 5 || m.Errors != 0 || m.Generated != 1 || m.RefusalAccuracy != 1 || m.RoutingAccuracy != 1 || m.Score <= 0 || rep.Model != ollamatest.ChatModel {
		t.Errorf("overall: %+v", m)
	}
	if rep.ByLang["zh"].Items != 1 || rep.ByLang["en"].Items != 4 {
		t.Errorf("by language: %+v", rep.ByLang)
	}

	// The table, and the items that missed something.
	out, err = runCmd(t, append([]string{"eval", "answers", "--set", golden, "-v"}, common...)...)
	if err != nil || !strings.Contains(out, "score") || !strings.Contains(out, "window [answered] facts missing: 30 days") {
		t.Fatalf("table: %v\n%s", err, out)
	}

	bad := writeFile(t, filepath.Join(dir, "bad.jsonl"), evalSet+`{"id":"x","lang":"en","messages":[],"expect":{}}`+"\n")
	if _, err := runCmd(t, append([]string{"eval", "answers", "--set", bad}, common...)...); err == nil || !strings.Contains(err.Error(), "bad.jsonl:6: item x: no messages") {
		t.Errorf("bad golden set: %v", err)
	}
	if _, err := runCmd(t, append([]string{"eval", "answers", "--set", golden, "--model", "no-such-model"}, common...)...); err == nil || !strings.Contains(err.Error(), "no-such-model") {
		t.Errorf("missing model: %v", err)
	}
	if _, err := runCmd(t, append([]string{"eval", "answers"}, common...)...); err == nil || !strings.Contains(err.Error(), "usage") {
		t.Errorf("no set: %v", err)
	}
}

// A golden set that does not parse stops serve before it starts anything.
func TestModelGateBadSet(t *testing.T) {
	dir := t.TempDir()
	bad := writeFile(t, filepath.Join(dir, "gate.jsonl"), `{"id":"a","lang":"en","messages":[{"role":"user","content":"hi"}],"expect":{"refuse":"yes"}}`+"\n")
	_, err := runCmd(t, "serve", "--data", filepath.Join(dir, "data"), "--model-gate", bad, "--addr", "127.0.0.1:0")
	if err == nil || !strings.Contains(err.Error(), "model_gate: "+bad+":1:") {
		t.Fatalf("serve with a bad golden set: %v", err)
	}
}

// gateSet is what the model gate test measures: three questions the
// model answers, expected in English ("the", the commonest English word),
// beside a catalog fact and a refusal that any model gets right.
// stories260k writes English children's stories (28 of its 31 generated
// answers to the demo golden sets contain "the"); tiny-random writes
// gibberish over a 32,000-token vocabulary (none of its 31 do). Both get
// every deterministic item and every citation right, so the facts are
// where they differ, as they do on the demo sets.
const gateSet = `{"id":"window","lang":"en","messages":[{"role":"user","content":"How long do I have to return an item?"}],"expect":{"sources":["faq-en-return-window"],"facts":["the"]}}
{"id":"shipping","lang":"en","messages":[{"role":"user","content":"Do I have to pay for return shipping?"}],"expect":{"sources":["faq-en-return-shipping-cost"],"facts":["the"]}}
{"id":"restocking","lang":"en","messages":[{"role":"user","content":"Do you charge a restocking fee?"}],"expect":{"sources":["faq-en-restocking-fee"],"facts":["the"]}}
{"id":"price","lang":"en","messages":[{"role":"user","content":"How much is the Storm Shell Waterproof Jacket?"}],"expect":{"sources":["product:HL-JKT-001"],"facts":["$189.00"],"intent":"product_lookup"}}
{"id":"capital","lang":"en","messages":[{"role":"user","content":"What is the capital of France?"}],"expect":{"refuse":true}}
`

// gateCatalog is shortCatalog with a description that says which edit is
// in force.
const gateCatalog = `models:
  - id: shopdesk-chat
    tag: %s
    kind: chat
    default: true
    description: %s
    options: {temperature: 0, num_ctx: 2048, num_predict: 64}
  - id: shopdesk-embed
    tag: stories260k
    kind: embedding
`

// The model gate really runs the golden set: a swap to the gibberish
// model is measured worse and kept out, a swap to an equal model (the
// same weights under another tag) is let in.
func TestModelGate(t *testing.T) {
	dir := t.TempDir()
	catalog := filepath.Join(dir, "models.yaml")
	edit := func(tag, description string) {
		t.Helper()
		writeFile(t, catalog, fmt.Sprintf(gateCatalog, tag, description))
	}
	edit(ollamatest.ChatModel, "first")
	golden := writeFile(t, filepath.Join(dir, "gate.jsonl"), gateSet)
	in := startShopdesk(t, ollamatest.Shared(t).URL, nil, "--config", catalog, "--model-gate", golden, "--model-gate-tolerance", "0.02",
		"--ingest", filepath.Join(demoKnowledge, "faq.en.jsonl"), "--vector-store", "none", "--commerce-import", demoImports)
	inForce := func() string {
		t.Helper()
		_, body := in.get(t, "/v1/models/shopdesk-chat")
		var m struct{ Description string }
		json.Unmarshal([]byte(body), &m)
		return m.Description
	}

	edit(ollamatest.RandomModel, "second")
	rejected := `shopdesk_model_gate_rejections_total{model="tiny-random"}`
	verdict(t, in, rejected)
	if got := in.metric(t, rejected); got != "1" {
		t.Fatalf("%s = %s", rejected, got)
	}
	if d := inForce(); d != "first" {
		t.Fatalf("the rejected edit is in force (%s)", d)
	}
	log := in.stderr.String()
	if !strings.Contains(log, "rejected by the model gate") || !strings.Contains(log, "fact_recall") || !strings.Contains(log, "lost on") {
		t.Fatalf("the rejection does not say why:\n%s", log)
	}
	for _, line := range strings.Split(log, "\n") {
		if strings.Contains(line, "model gate") {
			t.Log(line)
		}
	}

	edit(ollamatest.ChatModel+":latest", "third")
	accepted := `shopdesk_model_gate_accepted_total{model="stories260k:latest"}`
	verdict(t, in, accepted)
	if got := in.metric(t, accepted); got != "1" || inForce() != "third" {
		t.Fatalf("%s = %s; in force: %s\n%s", accepted, got, inForce(), in.stderr.String())
	}
	if in.metric(t, `shopdesk_model_gate_rejections_total{model="stories260k:latest"}`) != "" {
		t.Fatal("the equal model was also rejected")
	}
}

// verdict waits for the gate to count a decision in series: an
// evaluation of two models with the tiny ones takes minutes on a busy
// machine, so it polls slowly.
func verdict(t *testing.T, in *instance, series string) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Minute)
	for in.metric(t, series) == "" {
		if time.Now().After(deadline) {
			t.Fatalf("no gate decision counted in %s\n%s", series, in.stderr.String())
		}
		time.Sleep(250 * time.Millisecond)
	}
}
