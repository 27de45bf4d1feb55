package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestWidgetSettings(t *testing.T) {
	dir := t.TempDir()
	write := func(yaml string) string {
		path := filepath.Join(dir, fmt.Sprintf("w%d.yaml", len(yaml)))
		os.WriteFile(path, []byte(yaml), 0o644)
		return path
	}
	keys := env(map[string]string{"SHOPDESK_API_KEYS": "acme:" + acmeKey + ",globex:" + globexKey})
	good := write(`tenants:
  acme:
    widget:
      keys: [pk_acme_live_0123456789]
      origins: ["https://Shop.Acme.example:443", "https://acme.example"]
  globex:
    widget: {keys: [pk_globex_0123456789ab, pk_globex_staging_01234], origins: [http://localhost:3000]}
`)
	cfg, _, err := loadConfig("serve", []string{"--config", good}, keys, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if len(cfg.WidgetKeys) != 3 || cfg.WidgetKeys[0].Tenant != "acme" || cfg.WidgetKeys[0].Origins[0] != "https://shop.acme.example" ||
		cfg.WidgetKeys[2].Tenant != "globex" || cfg.widgetOptions(nil).SessionLimit.String() != "30/m" {
		t.Fatalf("widget keys %+v", cfg.WidgetKeys)
	}

	for _, tc := range []struct {
		name, yaml string
		args       []string
		says       string
	}{
		{"unknown field", "tenants:\n  acme:\n    widget: {keys: [pk_acme_live_0123456789], origins: [https://a.example], model: big}\n", nil, `unknown field "model"`},
		{"short key", "tenants:\n  acme:\n    widget: {keys: [pk_short], origins: [https://a.example]}\n", nil, "16 to 100"},
		{"secret key", "tenants:\n  acme:\n    widget: {keys: [sk_acme_live_0123456789], origins: [https://a.example]}\n", nil, `starts with "pk_"`},
		{"an origin with a path", "tenants:\n  acme:\n    widget: {keys: [pk_acme_live_0123456789], origins: [https://a.example/shop]}\n", nil, "no user, path"},
		{"a wildcard", "tenants:\n  acme:\n    widget: {keys: [pk_acme_live_0123456789], origins: [\"https://*.a.example\"]}\n", nil, "wildcards"},
		{"no origins", "tenants:\n  acme:\n    widget: {keys: [pk_acme_live_0123456789]}\n", nil, "without origins"},
		{"shared by two tenants", "tenants:\n  acme:\n    widget: {keys: [pk_shared_0123456789ab], origins: [https://a.example]}\n  globex:\n    widget: {keys: [pk_shared_0123456789ab], origins: [https://g.example]}\n", nil, "tenant acme's"},
		{"top level with two tenants", "tenants: {}\n", []string{"--widget-keys", "pk_shared_0123456789ab", "--widget-origins", "https://a.example"}, "per tenant"},
		{"a bad limit", "tenants: {}\n", []string{"--widget-ip-limit", "lots"}, "SHOPDESK_WIDGET_IP_LIMIT"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, _, err := loadConfig("serve", append([]string{"--config", write(tc.yaml)}, tc.args...), keys, io.Discard)
			if err == nil || !strings.Contains(err.Error(), tc.says) {
				t.Fatalf("%v, want it to say %q", err, tc.says)
			}
		})
	}

	// One tenant: the top-level settings are its widget's.
	one, _, err := loadConfig("serve", []string{"--widget-keys", "pk_demo_0123456789abcd", "--widget-origins", "http://127.0.0.1:8080,http://localhost:8080",
		"--widget-session-limit", "5/s"}, env(nil), io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if len(one.WidgetKeys) != 1 || one.WidgetKeys[0].Tenant != "default" || len(one.WidgetKeys[0].Origins) != 2 || one.WidgetSessionLimit.String() != "5/s" || demoNote(one) != "" {
		t.Fatalf("single tenant: %+v", one.WidgetKeys)
	}
	// A publishable key that is also an API key is refused.
	if _, _, err := loadConfig("serve", []string{"--api-keys", "pk_demo_0123456789abcd", "--widget-keys", "pk_demo_0123456789abcd", "--widget-origins", "https://a.example"},
		env(nil), io.Discard); err == nil || !strings.Contains(err.Error(), "API key") {
		t.Fatalf("a publishable key that is an API key: %v", err)
	}
}
