package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/shopdesk/shopdesk/backup"
	"github.com/shopdesk/shopdesk/inference/ollamatest"
	"github.com/shopdesk/shopdesk/server"
)

const adminKey = "admin-0123456789abcdef"

// shopdeskCmd runs one command with the environment env.
func shopdeskCmd(env map[string]string, args ...string) (string, error) {
	var out, errs bytes.Buffer
	err := run(context.Background(), append([]string{"shopdesk"}, args...), func(k string) string { return env[k] }, &out, &errs)
	return out.String() + errs.String(), err
}

// smallFAQ writes the demo's first three English FAQ entries to a file:
// few, since each is embedded by the tiny model, which takes a while.
func smallFAQ(t *testing.T) string {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join(demoKnowledge, "faq.en.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.SplitAfterN(string(raw), "\n", 4)
	path := filepath.Join(t.TempDir(), "faq.jsonl")
	if err := os.WriteFile(path, []byte(strings.Join(lines[:3], "")), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// careGuides is ingest batch b for tenant acme: documents that a word of
// their own finds.
func careGuides(b int) string {
	var docs []map[string]string
	for i := range 6 {
		n := b*6 + i
		docs = append(docs, map[string]string{"id": fmt.Sprint("care-", n), "title": fmt.Sprint("Care guide ", n),
			"text": fmt.Sprintf("Wash the jacket cold. Reference word zq%dx.", n), "kind": "policy"})
	}
	body, _ := json.Marshal(map[string]any{"documents": docs})
	return string(body)
}

// A backup taken through the running server while documents are being
// ingested, restored into a fresh data directory, serves every document
// it lists; the API refuses tenant keys and forged names.
func TestBackupWhileServingAndRestore(t *testing.T) {
	o := ollamatest.Shared(t)
	data := t.TempDir()
	// globexKey is tenant default's here, which holds the FAQ.
	keys := map[string]string{"SHOPDESK_API_KEYS": "acme:" + acmeKey + "," + globexKey, "SHOPDESK_ADMIN_KEYS": adminKey}
	in := startShopdesk(t, o.URL, keys, "--data", data, "--ingest", smallFAQ(t))
	addr := strings.TrimPrefix(in.base, "http://")
	admin, acme := []string{"Authorization", "Bearer " + adminKey}, []string{"Authorization", "Bearer " + acmeKey}

	for _, tc := range []struct {
		body   string
		header []string
		status int
	}{
		{`{"name":"x"}`, acme, 403},
		{`{"name":"x"}`, nil, 401},
		{`{"name":"../../escape"}`, admin, 400},
		{`{"name":"/tmp/escape"}`, admin, 400},
	} {
		if status, _, body := in.post(t, "/api/admin/backup", tc.body, tc.header...); status != tc.status {
			t.Errorf("%s with %v: %d %s, want %d", tc.body, tc.header, status, body, tc.status)
		}
	}
	if _, err := os.Stat(filepath.Join(filepath.Dir(data), "escape")); err == nil {
		t.Fatal("a forged name wrote outside the backups folder")
	}
	status, _, body := in.post(t, "/api/admin/backup", `{"name":"nightly"}`, admin...)
	if status != 201 || !strings.Contains(body, `"path":"backups/nightly"`) || !strings.Contains(body, `"default":3`) {
		t.Fatalf("admin backup: %d %s", status, body)
	}
	if _, err := backup.Verify(filepath.Join(data, "backups", "nightly")); err != nil {
		t.Fatal(err)
	}

	// Ingest three batches; back up through the server after the first.
	first := make(chan struct{})
	ingested := make(chan error, 1)
	go func() {
		for b := range 3 {
			if status, _, body := in.post(t, "/api/documents", careGuides(b), acme...); status != 200 || !strings.Contains(body, `"added":6`) {
				ingested <- fmt.Errorf("batch %d: %d %s", b, status, body)
				return
			}
			if b == 0 {
				close(first)
			}
		}
		ingested <- nil
	}()
	<-first
	dir := filepath.Join(t.TempDir(), "during-ingest")
	out, err := shopdeskCmd(map[string]string{"SHOPDESK_ADMIN_KEYS": adminKey}, "backup", "--data", data, "--addr", addr, dir)
	if err != nil || !strings.Contains(out, "asking it for the backup") {
		t.Fatalf("backup through the server: %v\n%s", err, out)
	}
	if err := <-ingested; err != nil {
		t.Fatal(err)
	}
	m, err := backup.Verify(dir)
	if err != nil {
		t.Fatal(err)
	}
	if n := m.Contents.Documents["acme"]; n%6 != 0 || n < 6 || m.Contents.Documents["default"] != 3 || m.Contents.VectorSpace == "" {
		t.Fatalf("the backup holds %+v: want whole ingests of acme, the 3 FAQ entries and the vectors", m.Contents)
	}
	if out, err := shopdeskCmd(nil, "backup", "--data", data, "--addr", addr, filepath.Join(t.TempDir(), "no-key")); err == nil || !strings.Contains(err.Error(), "admin_keys") {
		t.Errorf("backup without an admin key: %v\n%s", err, out)
	}
	if out, err := shopdeskCmd(nil, "restore", "--data", data, dir); err == nil || !strings.Contains(err.Error(), "stop the server first") {
		t.Errorf("restore under a running server: %v\n%s", err, out)
	}

	// Restore into a fresh data directory, then serve it.
	fresh := t.TempDir()
	if out, err := shopdeskCmd(nil, "restore", "--data", fresh, dir); err != nil || !strings.Contains(out, "restored") {
		t.Fatalf("restore: %v\n%s", err, out)
	}
	if out, err := shopdeskCmd(nil, "restore", "--data", fresh, dir); err == nil || !strings.Contains(err.Error(), "--force") {
		t.Errorf("restore over a restored directory: %v\n%s", err, out)
	}
	if out, err := shopdeskCmd(nil, "restore", "--force", "--data", fresh, dir); err != nil {
		t.Errorf("forced restore: %v\n%s", err, out)
	}
	restored := startShopdesk(t, o.URL, keys, "--data", fresh)
	if strings.Contains(restored.stderr.String(), "embedded again") || strings.Contains(restored.stderr.String(), "embedding the knowledge base with the new model") {
		t.Errorf("the restored vectors were not used:\n%s", restored.stderr.String())
	}
	for n := range m.Contents.Documents["acme"] {
		status, _, body := restored.post(t, "/api/search", fmt.Sprintf(`{"query":"zq%dx","mode":"keyword","k":3}`, n), acme...)
		if status != 200 || !strings.Contains(body, fmt.Sprintf(`"doc_id":"care-%d"`, n)) {
			t.Fatalf("care-%d is not found in the restored server: %d %s", n, status, body)
		}
	}
	req, _ := http.NewRequest(http.MethodGet, restored.base+fmt.Sprint("/api/documents/care-", m.Contents.Documents["acme"]), nil)
	if status, body := send(t, req, acmeKey); status != 404 {
		t.Errorf("a document ingested after the backup is in it: %d %s", status, body)
	}
	status, _, body = restored.post(t, "/api/search", `{"query":"How long do I have to return an item?"}`, "Authorization", "Bearer "+globexKey)
	if status != 200 || !strings.Contains(body, `"doc_id":"faq-en-return-window"`) {
		t.Errorf("the restored FAQ does not answer: %d %s", status, body)
	}
}

// With no server running, backup copies the stores itself; a damaged
// copy is refused by restore.
func TestBackupOfAStoppedServer(t *testing.T) {
	o := ollamatest.Shared(t)
	data := t.TempDir()
	in := startShopdesk(t, o.URL, nil, "--data", data, "--ingest", smallFAQ(t))
	if err := in.shutdown(); err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "offline")
	out, err := shopdeskCmd(nil, "backup", "--data", data, dir)
	if err != nil || strings.Contains(out, "asking") || !strings.Contains(out, "3 documents") {
		t.Fatalf("offline backup: %v\n%s", err, out)
	}
	m, err := backup.Verify(dir)
	if err != nil || m.Contents.VectorSpace == "" {
		t.Fatalf("offline backup %+v: %v", m, err)
	}
	if out, err := shopdeskCmd(nil, "backup", "--data", data, dir); err == nil {
		t.Errorf("a backup over a backup: %s", out)
	}
	if out, err := shopdeskCmd(nil, "backup", "--data", t.TempDir(), filepath.Join(t.TempDir(), "x")); err == nil || !strings.Contains(err.Error(), "nothing to back up") {
		t.Errorf("backup of an empty data directory: %v\n%s", err, out)
	}
	db := filepath.Join(dir, "shopdesk.db")
	raw, _ := os.ReadFile(db)
	raw[len(raw)/2] ^= 0xff
	os.WriteFile(db, raw, 0o644)
	fresh := t.TempDir()
	if out, err := shopdeskCmd(nil, "restore", "--data", fresh, dir); err == nil || !strings.Contains(err.Error(), "damaged") {
		t.Errorf("restore of a damaged backup: %v\n%s", err, out)
	}
	if entries, _ := os.ReadDir(fresh); len(entries) > 1 { // the lock file
		t.Errorf("a refused restore left %v", entries)
	}
}

func TestAdminKeysAndLocalAddr(t *testing.T) {
	tenants := []server.APIKey{{Tenant: "acme", Key: acmeKey}}
	if keys, err := parseAdminKeys(" "+adminKey+", ,"+globexKey, tenants); err != nil || len(keys) != 2 || keys[0] != adminKey {
		t.Errorf("parseAdminKeys = %v, %v", keys, err)
	}
	for _, bad := range []string{"short", acmeKey, adminKey + "," + acmeKey} {
		if _, err := parseAdminKeys(bad, tenants); err == nil {
			t.Errorf("admin keys %q accepted", bad)
		} else if strings.Contains(err.Error(), acmeKey) {
			t.Errorf("the error shows the key: %v", err)
		}
	}
	if _, _, err := loadConfig("serve", []string{"--admin-keys", "short"}, env(nil), io.Discard); err == nil || !strings.Contains(err.Error(), "SHOPDESK_ADMIN_KEYS") {
		t.Errorf("a short admin key in the config: %v", err)
	}
	for addr, want := range map[string]string{"0.0.0.0:8080": "127.0.0.1:8080", ":9000": "127.0.0.1:9000", "[::]:80": "127.0.0.1:80",
		"10.0.0.5:8080": "10.0.0.5:8080", "localhost:8080": "localhost:8080"} {
		if got := localAddr(addr); got != want {
			t.Errorf("localAddr(%q) = %q, want %q", addr, got, want)
		}
	}
}
