package server

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"strings"
	"sync"
	"testing"
)

// fakeBackups records the names it is asked for.
type fakeBackups struct {
	mu    sync.Mutex
	names []string
	fail  error
}

func (f *fakeBackups) Backup(_ context.Context, name string) (any, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.fail != nil {
		return nil, f.fail
	}
	for _, n := range f.names {
		if n == name {
			return nil, fmt.Errorf("backup %s: %w", name, fs.ErrExist)
		}
	}
	f.names = append(f.names, name)
	return map[string]string{"name": name, "path": "backups/" + name}, nil
}

const adminKey = "admin-0123456789abcdef"

func TestAdminBackupNeedsAnAdminKey(t *testing.T) {
	backups := &fakeBackups{}
	ts := newTestServer(t, &fakeModels{}, func(o *Options) {
		o.APIKeys = []APIKey{{Key: "sk-acme-0123456789abcdef", Tenant: "acme"}}
		o.AdminKeys = []string{adminKey}
		o.Backups = backups
	})
	for _, tc := range []struct {
		name   string
		header []string
		status int
		code   string
	}{
		{"no key", nil, 401, "missing_api_key"},
		{"a tenant's key", []string{"Authorization", "Bearer sk-acme-0123456789abcdef"}, 403, "not_an_admin_key"},
		{"a wrong key", []string{"Authorization", "Bearer admin-0123456789abcdeX"}, 401, "invalid_api_key"},
		{"not bearer", []string{"Authorization", "Basic " + adminKey}, 401, "invalid_api_key"},
	} {
		resp, body := do(t, ts, "POST", "/api/admin/backup", `{"name":"x"}`, tc.header...)
		if resp.StatusCode != tc.status || errorOf(t, body).Code == nil || *errorOf(t, body).Code != tc.code {
			t.Errorf("%s: %d %s, want %d %s", tc.name, resp.StatusCode, body, tc.status, tc.code)
		}
	}
	if len(backups.names) != 0 {
		t.Fatalf("a backup was made without an admin key: %v", backups.names)
	}
	// The admin key cannot reach tenant routes' data either: it is no
	// tenant's key.
	if resp, body := do(t, ts, "GET", "/api/documents", "", "Authorization", "Bearer "+adminKey); resp.StatusCode != 401 {
		t.Errorf("the admin key on /api/documents: %d %s", resp.StatusCode, body)
	}

	resp, body := do(t, ts, "POST", "/api/admin/backup", `{"name":"nightly-1"}`, "Authorization", "Bearer "+adminKey)
	var out map[string]string
	json.Unmarshal(body, &out)
	if resp.StatusCode != 201 || out["path"] != "backups/nightly-1" {
		t.Fatalf("admin backup: %d %s", resp.StatusCode, body)
	}
	if resp, body := do(t, ts, "POST", "/api/admin/backup", `{"name":"nightly-1"}`, "Authorization", "Bearer "+adminKey); resp.StatusCode != 409 {
		t.Errorf("the same name again: %d %s", resp.StatusCode, body)
	}
	if resp, body := do(t, ts, "POST", "/api/admin/backup", "", "Authorization", "Bearer "+adminKey); resp.StatusCode != 201 || len(backups.names) != 2 {
		t.Errorf("without a body (a name from the time): %d %s, names %v", resp.StatusCode, body, backups.names)
	}
}

// A name is a directory under backups/, never a path the client picks.
func TestAdminBackupRefusesForgedNames(t *testing.T) {
	backups := &fakeBackups{}
	ts := newTestServer(t, &fakeModels{}, func(o *Options) { o.Backups = backups })
	for _, body := range []string{
		`{"name":"../../etc"}`, `{"name":"/tmp/x"}`, `{"name":"a/b"}`, `{"name":"..\\x"}`, `{"name":".hidden"}`,
		`{"name":"a..b"}`, `{"name":"with space"}`, `{"name":"` + strings.Repeat("x", 65) + `"}`, `{"name":"备份"}`,
		`{"name":5}`, `{"name":"x"`, `[]`,
	} {
		resp, out := do(t, ts, "POST", "/api/admin/backup", body)
		if resp.StatusCode != 400 {
			t.Errorf("%s: %d %s, want 400", body, resp.StatusCode, out)
		}
	}
	if len(backups.names) != 0 {
		t.Errorf("forged names reached the backups: %v", backups.names)
	}
	// With no keys at all (a loopback-only server), admin routes are open
	// like the rest.
	if resp, body := do(t, ts, "POST", "/api/admin/backup", `{"name":"ok"}`); resp.StatusCode != 201 {
		t.Errorf("no keys: %d %s", resp.StatusCode, body)
	}
	// A failure is a 500 that tells the client nothing of the disk.
	backups.fail = errors.New("open /srv/shopdesk/data/backups/x: no space left on device")
	resp, body := do(t, ts, "POST", "/api/admin/backup", `{"name":"full"}`)
	if resp.StatusCode != 500 || strings.Contains(string(body), "/srv") {
		t.Errorf("a failed backup: %d %s", resp.StatusCode, body)
	}
}

func TestAdminDisabledWithoutAdminKeys(t *testing.T) {
	ts := newTestServer(t, &fakeModels{}, func(o *Options) {
		o.APIKeys = []APIKey{{Key: "sk-acme-0123456789abcdef", Tenant: "acme"}}
		o.Backups = &fakeBackups{}
	})
	resp, body := do(t, ts, "POST", "/api/admin/backup", `{}`, "Authorization", "Bearer sk-acme-0123456789abcdef")
	if resp.StatusCode != 403 || *errorOf(t, body).Code != "admin_disabled" {
		t.Errorf("tenant key on a server without admin keys: %d %s", resp.StatusCode, body)
	}
	if _, err := New(Options{Models: staticCatalog{}, Chat: &fakeModels{}, Embed: &fakeModels{},
		APIKeys: []APIKey{{Key: adminKey, Tenant: "acme"}}, AdminKeys: []string{adminKey}}); err == nil {
		t.Error("an admin key that is also a tenant's key was accepted")
	}
}
