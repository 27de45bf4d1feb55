package server

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/shopdesk/shopdesk/actions"
	"github.com/shopdesk/shopdesk/intent"
)

const defaultKey, acmeKey = "sk-default-0123456789abcdef", "sk-acme-0123456789abcdef"

func intentsServer(t *testing.T, run bool) (string, func(method, path, body, key string) (int, []byte)) {
	t.Helper()
	dir := t.TempDir()
	in := actions.NewIntents(actions.IntentsOptions{DataDir: dir, Classifier: actions.NewClassifier(nil, nil)})
	if run {
		ctx, cancel := context.WithCancel(context.Background())
		t.Cleanup(cancel)
		go in.Run(ctx)
	}
	ts := newTestServer(t, &fakeModels{}, func(o *Options) {
		o.Intents = in
		o.APIKeys = []APIKey{{Key: defaultKey, Tenant: "default"}, {Key: acmeKey, Tenant: "acme"}}
	})
	return dir, func(method, path, body, key string) (int, []byte) {
		resp, b := do(t, ts, method, path, body, "Authorization", "Bearer "+key)
		return resp.StatusCode, b
	}
}

func TestIntentExamplesAPI(t *testing.T) {
	dir, call := intentsServer(t, false)
	for _, tc := range []struct {
		name, body, param, says string
	}{
		{"none", `{"examples":[]}`, "examples", "none given"},
		{"unknown intent", `{"examples":[{"text":"where is it","intent":"order_status"},{"text":"x y","intent":"track"}]}`, "examples[1]", `unknown intent "track"`},
		{"empty text", `{"examples":[{"text":"  ","intent":"invoice"}]}`, "examples[0]", "empty text"},
		{"bad language", `{"examples":[{"text":"发票","intent":"invoice","lang":"fr"}]}`, "examples[0]", `unknown lang "fr"`},
		{"split", `{"examples":[{"text":"发票","intent":"invoice","split":"test"}]}`, "examples[0]", "split is not taken"},
		{"too long", `{"examples":[{"text":"` + strings.Repeat("a", intent.MaxExampleBytes+1) + `","intent":"invoice"}]}`, "examples[0]", "more than 2000"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			status, body := call("POST", "/api/intents/examples", tc.body, defaultKey)
			var e errorBody
			json.Unmarshal(body, &e)
			if status != 400 || e.Error.Param == nil || *e.Error.Param != tc.param || !strings.Contains(e.Error.Message, tc.says) {
				t.Errorf("%d %s; want 400 naming %s and saying %q", status, body, tc.param, tc.says)
			}
		})
	}
	if _, err := os.Stat(filepath.Join(dir, intent.MerchantFile)); !os.IsNotExist(err) {
		t.Fatalf("invalid examples wrote the file: %v", err)
	}
	good := `{"examples":[{"text":"Is the trekking pole sold in pairs?","intent":"product_lookup"},{"text":"登山杖是一对卖的吗","intent":"product_lookup","lang":"zh"}]}`
	if status, body := call("POST", "/api/intents/examples", good, acmeKey); status != 403 || !strings.Contains(string(body), "intents_server_wide") {
		t.Errorf("another tenant: %d %s", status, body)
	}
	if status, body := call("POST", "/api/intents/examples", good, defaultKey); status != 200 || string(body) != `{"added":2}` {
		t.Fatalf("good examples: %d %s", status, body)
	}
	if ex, err := intent.ReadMerchantExamples(dir); err != nil || len(ex) != 2 || ex[1].Lang != "zh" {
		t.Errorf("file holds %+v, %v", ex, err)
	}
	// Without Run nothing picks the retrain up: a second one is refused.
	if status, _ := call("POST", "/api/intents/retrain", "", defaultKey); status != 202 {
		t.Fatalf("retrain: %d", status)
	}
	if status, body := call("POST", "/api/intents/retrain", "", defaultKey); status != 409 {
		t.Errorf("second retrain: %d %s", status, body)
	}
}

// Poisoned examples are refused by the retrain gate, reported through
// the API, and the model in force stays.
func TestPoisonedRetrainIsRefused(t *testing.T) {
	skipTraining(t)
	dir, call := intentsServer(t, true)
	var poison []map[string]string
	for _, ex := range intent.ProjectExamples() {
		if ex.Intent == intent.OrderStatus && ex.Split == intent.SplitTrain {
			for range 3 {
				poison = append(poison, map[string]string{"text": ex.Text, "intent": "cancel_order"})
			}
		}
	}
	body, _ := json.Marshal(map[string]any{"examples": poison[:min(len(poison), actions.MaxExamplesPerCall)]})
	if status, b := call("POST", "/api/intents/examples", string(body), defaultKey); status != 200 {
		t.Fatalf("poison: %d %s", status, b)
	}
	if status, b := call("POST", "/api/intents/retrain", "", defaultKey); status != 202 || !strings.Contains(string(b), `"state":"running"`) {
		t.Fatalf("retrain: %d %s", status, b)
	}
	var st actions.RetrainStatus
	for deadline := time.Now().Add(2 * time.Minute); ; time.Sleep(50 * time.Millisecond) {
		_, b := call("GET", "/api/intents/retrain", "", defaultKey)
		json.Unmarshal(b, &st)
		if st.State != actions.RetrainRunning || time.Now().After(deadline) {
			break
		}
	}
	if st.State != actions.RetrainRefused || !strings.Contains(st.Reason, "scores worse on the test sets") || st.Merchant == 0 ||
		st.Before["en"].Total == 0 || st.After["zh"].Total == 0 {
		t.Fatalf("status %+v", st)
	}
	if _, err := os.Stat(filepath.Join(dir, intent.ModelFile)); !os.IsNotExist(err) {
		t.Errorf("a refused model was written: %v", err)
	}
	_, b := call("GET", "/api/intents", "", defaultKey)
	if !strings.Contains(string(b), `"model":"default"`) || !strings.Contains(string(b), `"vote":"off"`) {
		t.Errorf("status after refusal: %s", b)
	}
}
