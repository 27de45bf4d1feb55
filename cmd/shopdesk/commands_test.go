package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/shopdesk/shopdesk/inference/ollamatest"
	"github.com/shopdesk/shopdesk/models"
)

var update = flag.Bool("update", false, "rewrite the README's settings table")

func env(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

func TestConfigPrecedence(t *testing.T) {
	path := filepath.Join(t.TempDir(), "shopdesk.yaml")
	os.WriteFile(path, []byte("addr: 127.0.0.1:7000\ndata: /from/file\nollama_queue: 5\nollama_host: [http://a:1, http://b:2]\nmodels:\n  - {id: c, tag: t, kind: chat}\n  - {id: e, tag: u, kind: embedding}\n"), 0o644)
	cfg, _, err := loadConfig("serve", []string{"--config", path, "--addr", "127.0.0.1:9000"},
		env(map[string]string{"SHOPDESK_ADDR": "127.0.0.1:8000", "SHOPDESK_DATA": "/from/env"}), io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ got, want, source, wantSource string }{
		{cfg.Addr, "127.0.0.1:9000", cfg.sources["addr"], "flag"},
		{cfg.DataDir, "/from/env", cfg.sources["data"], "env"},
		{strings.Join(cfg.OllamaHosts, " "), "http://a:1 http://b:2", cfg.sources["ollama_host"], "file"},
		{cfg.values["log_level"], "info", cfg.sources["log_level"], "default"},
	} {
		if tc.got != tc.want || tc.source != tc.wantSource {
			t.Errorf("got %q from %s, want %q from %s", tc.got, tc.source, tc.want, tc.wantSource)
		}
	}
	if cfg.Queue != 5 || cfg.Path != path {
		t.Errorf("queue %d path %q", cfg.Queue, cfg.Path)
	}
	// SHOPDESK_CONFIG names the file when the flag does not.
	cfg, _, err = loadConfig("serve", nil, env(map[string]string{"SHOPDESK_CONFIG": path}), io.Discard)
	if err != nil || cfg.Addr != "127.0.0.1:7000" {
		t.Fatalf("SHOPDESK_CONFIG: %v, addr %q", err, cfg.Addr)
	}
	cfg, _, err = loadConfig("serve", []string{"--pull"}, env(nil), io.Discard)
	if err != nil || !cfg.Pull {
		t.Fatalf("--pull alone: %v, %v", err, cfg.Pull)
	}
}

func TestConfigErrors(t *testing.T) {
	dir := t.TempDir()
	typo := filepath.Join(dir, "typo.yaml")
	os.WriteFile(typo, []byte("adr: 1.2.3.4:80\n"), 0o644)
	badTenant := filepath.Join(dir, "tenant.yaml")
	os.WriteFile(badTenant, []byte("tenants:\n  acme:\n    merchnt: Acme\n"), 0o644)
	badTenantName := filepath.Join(dir, "tenantname.yaml")
	os.WriteFile(badTenantName, []byte("tenants:\n  no/slash:\n    merchant: Acme\n"), 0o644)
	broken := filepath.Join(dir, "broken.yaml")
	os.WriteFile(broken, []byte("addr: [\n"), 0o644)
	for _, tc := range []struct {
		name string
		args []string
		env  map[string]string
		want string
	}{
		{"unknown key", []string{"--config", typo}, nil, `unknown setting "adr"`},
		{"bad yaml", []string{"--config", broken}, nil, "broken.yaml"},
		{"missing file", []string{"--config", filepath.Join(dir, "none.yaml")}, nil, "config file"},
		{"bad int", nil, map[string]string{"SHOPDESK_OLLAMA_QUEUE": "lots"}, `SHOPDESK_OLLAMA_QUEUE="lots" (from env)`},
		{"bad duration", []string{"--queue-timeout", "soon"}, nil, "SHOPDESK_QUEUE_TIMEOUT"},
		{"bad size", nil, map[string]string{"SHOPDESK_MAX_BODY": "huge"}, "SHOPDESK_MAX_BODY"},
		{"bad level", nil, map[string]string{"SHOPDESK_LOG_LEVEL": "loud"}, "SHOPDESK_LOG_LEVEL"},
		{"bad addr", []string{"--addr", "8080"}, nil, "SHOPDESK_ADDR"},
		{"demo admin with keys", []string{"--demo-admin", "admin"}, map[string]string{"SHOPDESK_API_KEYS": "acme:0123456789abcdef"}, "SHOPDESK_DEMO_ADMIN"},
		{"short key", nil, map[string]string{"SHOPDESK_API_KEYS": "acme:short"}, "shorter than 16"},
		{"bad flag", []string{"--no-such-flag"}, nil, "no-such-flag"},
		{"bad holiday", nil, map[string]string{"SHOPDESK_RETURN_HOLIDAY": "christmas"}, "SHOPDESK_RETURN_HOLIDAY"},
		{"bad relevance", nil, map[string]string{"SHOPDESK_MIN_RELEVANCE": "2"}, "SHOPDESK_MIN_RELEVANCE"},
		{"bad sentiment", []string{"--sentiment", "vibes"}, nil, "want learned, lexicon or model"},
		{"bad quantization", []string{"--qdrant-quantization", "int4"}, nil, "SHOPDESK_QDRANT_QUANTIZATION"},
		{"bad webhook", nil, map[string]string{"SHOPDESK_HANDOFF_WEBHOOK": "ftp://x"}, "SHOPDESK_HANDOFF_WEBHOOK"},
		{"bad gate tolerance", []string{"--model-gate-tolerance", "1.5"}, nil, "SHOPDESK_MODEL_GATE_TOLERANCE"},
		{"bad gate timeout", nil, map[string]string{"SHOPDESK_MODEL_GATE_TIMEOUT": "forever"}, "SHOPDESK_MODEL_GATE_TIMEOUT"},
		{"bad tenant persona", []string{"--config", badTenant}, nil, `unknown field "merchnt"`},
		{"bad tenant name", []string{"--config", badTenantName}, nil, `tenant "no/slash"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var stderr bytes.Buffer
			_, _, err := loadConfig("serve", tc.args, env(tc.env), &stderr)
			if err == nil || !strings.Contains(err.Error()+stderr.String(), tc.want) {
				t.Fatalf("err = %v, stderr %q; want mention of %q", err, stderr.String(), tc.want)
			}
		})
	}
	_, _, err := loadConfig("serve", nil, env(map[string]string{"SHOPDESK_API_KEYS": "acme:tooshort-secret"}), io.Discard)
	if err == nil || strings.Contains(err.Error(), "tooshort-secret") {
		t.Fatalf("a secret leaked into an error: %v", err)
	}
}

func TestTenantPersonas(t *testing.T) {
	path := filepath.Join(t.TempDir(), "shop.yaml")
	os.WriteFile(path, []byte("merchant: Harbor Lane\nassistant_name: Lane\ntenants:\n  acme:\n    merchant: Acme Outdoor\n    merchant_zh: 极客户外\n"), 0o644)
	cfg, _, err := loadConfig("serve", []string{"--config", path}, env(nil), io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if p := cfg.persona("acme"); p.Merchant != "Acme Outdoor" || p.MerchantZh != "极客户外" || p.Assistant != "Lane" {
		t.Errorf("acme persona %+v", p)
	}
	if p := cfg.persona("default"); p.Merchant != "Harbor Lane" {
		t.Errorf("default persona %+v", p)
	}
}

func TestParseHelpers(t *testing.T) {
	keys, err := parseAPIKeys(" acme: " + acmeKey + ",," + globexKey)
	if err != nil || len(keys) != 2 || keys[0].Tenant != "acme" || keys[0].Key != acmeKey || keys[1].Tenant != "default" || keys[1].Key != globexKey {
		t.Fatalf("keys = %+v, %v", keys, err)
	}
	if _, err := parseAPIKeys("Acme Shop:" + acmeKey); err == nil || strings.Contains(err.Error(), "Acme Shop") {
		t.Fatalf("an invalid tenant: %v (it must be refused without echoing what may be a key)", err)
	}
	for in, want := range map[string]int64{"4096": 4096, "4MiB": 4 << 20, "512 KiB": 512 << 10, "1GB": 1e9} {
		if got, err := parseBytes(in); err != nil || got != want {
			t.Errorf("parseBytes(%q) = %d, %v", in, got, err)
		}
	}
	for in, want := range map[string]string{
		"0.0.0.0:8080": "127.0.0.1:8080", ":9000": "127.0.0.1:9000", "127.0.0.1:1": "127.0.0.1:1",
		"[::1]:80": "[::1]:80", "localhost:3": "localhost:3", "10.1.2.3:80": "127.0.0.1:80",
	} {
		if got := loopbackOnly(in); got != want {
			t.Errorf("loopbackOnly(%q) = %q, want %q", in, got, want)
		}
	}
	if fallbackName("/x/stories260K.gguf") != "stories260k" || fallbackName("My Model.v2.gguf") != "my-model.v2" {
		t.Error("fallbackName")
	}
}

func TestReadmeSettingsTable(t *testing.T) {
	var table bytes.Buffer
	settingsMarkdown(&table)
	path := filepath.Join("..", "..", "README.md")
	readme, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	const begin, end = "<!-- settings:begin -->\n", "<!-- settings:end -->"
	before, rest, ok1 := strings.Cut(string(readme), begin)
	current, after, ok2 := strings.Cut(rest, end)
	if !ok1 || !ok2 {
		t.Fatalf("README.md lacks the %q ... %q markers", begin, end)
	}
	if current == table.String() {
		return
	}
	if *update {
		os.WriteFile(path, []byte(before+begin+table.String()+end+after), 0o644)
		return
	}
	t.Fatalf("README settings table is stale; run go test ./cmd/shopdesk -run TestReadmeSettingsTable -update")
}

func TestHelpAndVersion(t *testing.T) {
	var out bytes.Buffer
	if err := run(context.Background(), []string{"shopdesk", "help"}, env(nil), &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	for _, s := range settings {
		if !strings.Contains(out.String(), s.Env) || !strings.Contains(out.String(), "--"+s.flagName()) {
			t.Errorf("help does not list %s", s.Env)
		}
	}
	out.Reset()
	if err := run(context.Background(), []string{"shopdesk", "version"}, env(nil), &out, io.Discard); err != nil || !strings.HasPrefix(out.String(), "shopdesk ") {
		t.Fatalf("version: %q, %v", out.String(), err)
	}
	if err := run(context.Background(), []string{"shopdesk", "bake"}, env(nil), io.Discard, io.Discard); !errors.Is(err, errUsage) {
		t.Fatalf("unknown command: %v", err)
	}
	if err := run(context.Background(), []string{"shopdesk"}, env(nil), io.Discard, io.Discard); !errors.Is(err, errUsage) {
		t.Fatalf("no command: %v", err)
	}
	out.Reset()
	if err := run(context.Background(), []string{"shopdesk", "config"}, env(map[string]string{"SHOPDESK_API_KEYS": acmeKey}), &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(out.String(), acmeKey) || !strings.Contains(out.String(), "hidden") {
		t.Fatalf("config shows the key: %s", out.String())
	}
}

func TestDoctor(t *testing.T) {
	o := ollamatest.Shared(t)
	dir := t.TempDir()
	cfgPath := filepath.Join(dir, "shopdesk.yaml")
	writeCatalog(t, cfgPath, "stories260k")
	args := []string{"shopdesk", "doctor", "--config", cfgPath, "--ollama-host", o.URL, "--data", filepath.Join(dir, "data")}

	var out bytes.Buffer
	if err := run(context.Background(), args, env(nil), &out, io.Discard); err != nil {
		t.Fatalf("doctor: %v\n%s", err, out.String())
	}
	for _, want := range []string{"answers, version", "model shopdesk-tools (chat, Ollama stories-tools) is installed", "is writable", "all checks passed"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("doctor output lacks %q:\n%s", want, out.String())
		}
	}

	out.Reset()
	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	dead := "http://" + ln.Addr().String()
	ln.Close()
	blocked := filepath.Join(dir, "file-not-dir")
	os.WriteFile(blocked, nil, 0o644)
	err := run(context.Background(), []string{"shopdesk", "doctor", "--ollama-host", o.URL + "," + dead,
		"--chat-model", "missing-model", "--data", filepath.Join(blocked, "data")}, env(nil), &out, io.Discard)
	if err == nil {
		t.Fatalf("doctor passed with problems:\n%s", out.String())
	}
	for _, want := range []string{
		"FAIL  model shopdesk-chat (chat) needs Ollama model missing-model",
		"shopdesk models import missing-model /path/to/model.gguf",
		"FAIL  Ollama at " + dead + " does not answer",
		"FAIL  data directory",
		"fix: ",
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("doctor output lacks %q:\n%s", want, out.String())
		}
	}
}

func TestModelsCommands(t *testing.T) {
	o := ollamatest.Shared(t)
	dir := t.TempDir()
	cfgPath := filepath.Join(dir, "shopdesk.yaml")
	writeCatalog(t, cfgPath, "stories260k")
	base := []string{"--config", cfgPath, "--ollama-host", o.URL}
	ctx := context.Background()

	var out bytes.Buffer
	if err := run(ctx, append([]string{"shopdesk", "models"}, base...), env(nil), &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "shopdesk-chat") || !strings.Contains(out.String(), "stories-tools") || strings.Contains(out.String(), " no") {
		t.Fatalf("models list:\n%s", out.String())
	}

	gguf, err := ollamatest.ModelFile("stories260K.gguf")
	if err != nil {
		t.Fatal(err)
	}
	out.Reset()
	if err := run(ctx, append([]string{"shopdesk", "models", "import"}, append(base, "imported-by-test", gguf)...), env(nil), &out, io.Discard); err != nil {
		t.Fatalf("import: %v\n%s", err, out.String())
	}
	if err := run(ctx, append([]string{"shopdesk", "models", "pull"}, append(base, "imported-by-test")...), env(nil), &out, io.Discard); err != nil {
		t.Fatalf("pull of an installed model: %v\n%s", err, out.String())
	}

	notGGUF := filepath.Join(dir, "notes.gguf")
	os.WriteFile(notGGUF, []byte("hello"), 0o644)
	err = run(ctx, append([]string{"shopdesk", "models", "import"}, append(base, "broken", notGGUF)...), env(nil), io.Discard, io.Discard)
	if err == nil || !strings.Contains(err.Error(), "not a GGUF file") {
		t.Fatalf("import of a non-GGUF file: %v", err)
	}
	if err := run(ctx, append([]string{"shopdesk", "models", "import"}, base...), env(nil), io.Discard, io.Discard); err == nil {
		t.Fatal("import without arguments accepted")
	}
}

func TestReloadOnSignal(t *testing.T) {
	path := filepath.Join(t.TempDir(), "shopdesk.yaml")
	writeCatalog(t, path, "first")
	store, err := models.NewStore(models.StoreOptions{Path: path})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	sig := make(chan os.Signal)
	go reloadOn(ctx, sig, store)
	writeCatalog(t, path, "second")
	sig <- syscall.SIGHUP
	sig <- syscall.SIGHUP // the first has been handled once this one is taken
	if tag := store.Catalog().Default(models.KindChat).Tag; tag != "second" {
		t.Fatalf("after SIGHUP the chat tag is %q", tag)
	}
}

func TestExampleConfigIsValid(t *testing.T) {
	path := filepath.Join("..", "..", "deploy", "shopdesk.example.yaml")
	cfg, _, err := loadConfig("serve", []string{"--config", path}, env(nil), io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	cat, err := models.Load(cfg.Path, models.Overrides{})
	if err != nil {
		t.Fatal(err)
	}
	if cat.Default(models.KindChat).ID != "shopdesk-chat" || cat.Default(models.KindEmbedding).Tag != "bge-m3" {
		t.Fatalf("example catalog defaults: %+v", cat.Entries())
	}
}

func TestTenantSecretsAndWebhooks(t *testing.T) {
	dir := t.TempDir()
	write := func(yaml string) string {
		path := filepath.Join(dir, fmt.Sprintf("c%d.yaml", len(yaml)))
		os.WriteFile(path, []byte(yaml), 0o644)
		return path
	}
	keys := env(map[string]string{"SHOPDESK_API_KEYS": "acme:" + acmeKey + ",globex:" + globexKey})
	own := write("tenants:\n  acme:\n    handoff_webhook: https://acme.example/hook\n    handoff_secret: acme-hook-secret\n    customer_token_secret: acme-token-secret\n" +
		"  globex:\n    handoff_webhook: https://globex.example/hook\n    customer_token_secret: globex-token-secret\n")
	cfg, _, err := loadConfig("serve", []string{"--config", own}, keys, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if url, secret := cfg.handoffTarget("acme"); url != "https://acme.example/hook" || secret != "acme-hook-secret" {
		t.Errorf("acme: %s %s", url, secret)
	}
	if url, secret := cfg.handoffTarget("globex"); url != "https://globex.example/hook" || secret != "" {
		t.Errorf("globex: %s %q (another tenant's secret must not fill in)", url, secret)
	}
	if string(cfg.customerSecret("acme")) != "acme-token-secret" || cfg.customerSecret("initech") != nil {
		t.Error("customer token secrets per tenant")
	}
	// A webhook or secret for the whole server is refused once several
	// merchants would share it.
	for _, tc := range []struct{ name, flag, value string }{
		{"shared webhook", "--handoff-webhook", "https://ops.example/hook"},
		{"shared token secret", "--customer-token-secret", "shared-secret-0123"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			partial := write("tenants:\n  acme:\n    handoff_webhook: https://acme.example/hook\n    customer_token_secret: acme-token-secret\n")
			_, _, err := loadConfig("serve", []string{"--config", partial, tc.flag, tc.value}, keys, io.Discard)
			if err == nil || !strings.Contains(err.Error(), "globex") || strings.Contains(err.Error(), tc.value) {
				t.Fatalf("%v", err)
			}
		})
	}
	// One merchant: the top-level settings serve it.
	one, _, err := loadConfig("serve", []string{"--handoff-webhook", "https://ops.example/hook", "--customer-token-secret", "shared-secret-0123"},
		env(map[string]string{"SHOPDESK_API_KEYS": "acme:" + acmeKey}), io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if url, _ := one.handoffTarget("acme"); url != "https://ops.example/hook" || string(one.customerSecret("acme")) != "shared-secret-0123" {
		t.Errorf("single tenant: %s", url)
	}
	if _, _, err := loadConfig("serve", []string{"--config", write("tenants:\n  acme:\n    handoff_webhook: ftp://x\n")}, keys, io.Discard); err == nil {
		t.Error("a tenant's ftp webhook was accepted")
	}
	if _, _, err := loadConfig("serve", []string{"--trusted-proxies", "10.0.0.0/8,not-an-ip"}, env(nil), io.Discard); err == nil || !strings.Contains(err.Error(), "not-an-ip") {
		t.Errorf("a bad trusted proxy: %v", err)
	}
}
