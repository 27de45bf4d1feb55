package main

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"sync"

	"github.com/shopdesk/shopdesk/backup"
	"github.com/shopdesk/shopdesk/index"
	"github.com/shopdesk/shopdesk/server"
)

// parseAdminKeys reads the admin_keys list. An admin key must differ
// from every tenant's key, so that no tenant can act as admin.
func parseAdminKeys(raw string, tenantKeys []server.APIKey) ([]string, error) {
	var keys []string
	for _, k := range strings.Split(raw, ",") {
		if k = strings.TrimSpace(k); k == "" {
			continue
		}
		if len(k) < 16 {
			return nil, fmt.Errorf("admin key %d is shorter than 16 characters", len(keys)+1)
		}
		for _, tk := range tenantKeys {
			if tk.Key == k {
				return nil, fmt.Errorf("admin key %d is also tenant %s's API key; give admins a key of their own", len(keys)+1, tk.Tenant)
			}
		}
		keys = append(keys, k)
	}
	return keys, nil
}

// The data directory's layout, as far as backups are concerned: what the
// stores own (a backup holds only these, and a restore replaces only
// these), and what may sit beside them.
var (
	storeEntries = []string{"shopdesk.db", "shopdesk.db-wal", "shopdesk.db-shm", "shopdesk.db-journal", "index"}
	keepEntries  = []string{"shopdesk.lock", "ollama", "cache", backupsDir}
)

// backupsDir is the data directory's folder for backups made through
// the API.
const backupsDir = "backups"

// backupStores writes a backup of the open knowledge base (and the whole
// database with it) into dir.
func backupStores(ctx context.Context, kb *knowledgeBase, dir string) (*backup.Manifest, error) {
	return backup.Create(ctx, dir, version(), func(ctx context.Context, tmp string) (backup.Contents, error) {
		to := index.BackupPaths{DB: filepath.Join(tmp, "shopdesk.db"), Keyword: filepath.Join(tmp, "index", "keyword")}
		if kb.Space != "" {
			to.Vectors = filepath.Join(tmp, "index", "vectors", kb.Space)
		}
		info, err := kb.Backup(ctx, to)
		return backup.Contents{Documents: info.Documents, Chunks: info.Chunks, VectorSpace: info.Space}, err
	})
}

// dataBackups makes backups of the serving data directory into its
// backups folder, one at a time, for POST /api/admin/backup.
type dataBackups struct {
	mu      sync.Mutex
	dataDir string
	kb      *knowledgeBase
}

// backupReply is the answer to POST /api/admin/backup.
type backupReply struct {
	Name string `json:"name"`
	// Path is the backup's directory, relative to the data directory.
	Path     string           `json:"path"`
	Manifest *backup.Manifest `json:"manifest"`
}

func (d *dataBackups) Backup(ctx context.Context, name string) (any, error) {
	if err := backup.ValidName(name); err != nil {
		return nil, err
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	m, err := backupStores(ctx, d.kb, filepath.Join(d.dataDir, backupsDir, name))
	if err != nil {
		return nil, err
	}
	return backupReply{Name: name, Path: backupsDir + "/" + name, Manifest: m}, nil
}
