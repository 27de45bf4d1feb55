package index

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/shopdesk/shopdesk/sqlite"
)

// A database from before the store became the cache opens: its embedding
// cache is dropped (the vectors are in the store) and the space given back,
// and chunks are found by their text's hash.
func TestMigrateDropsTheEmbeddingCache(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "shopdesk.db")
	db, err := sqlite.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := sqlite.Migrate(ctx, db, "index", migrations[:1]); err != nil {
		t.Fatal(err)
	}
	blob := make([]byte, 3072)
	for i := range 2000 {
		if _, err := db.Exec(`INSERT INTO embeddings (space, hash, vec) VALUES ('m', ?, ?)`, i, blob); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := db.Exec(`INSERT INTO chunks (tenant, doc_id, gen, pos, heading, text, hash) VALUES
		('acme', 'a/b', 3, 0, '', 'x', 'h1'), ('acme', 'c', 1, 2, '', 'x', 'h1'), ('globex', 'g', 1, 0, '', 'x', 'h1')`); err != nil {
		t.Fatal(err)
	}
	pages := func() (n int) {
		db.QueryRow(`PRAGMA page_count`).Scan(&n)
		return n
	}
	before := pages()

	reg, err := openRegistry(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	if ok, err := hasTable(ctx, db, "embeddings"); ok || err != nil {
		t.Fatalf("embeddings table still there (%v)", err)
	}
	if after := pages(); after > before/4 {
		t.Errorf("database kept %d of %d pages after dropping the cache", after, before)
	}
	same, err := reg.sameText(ctx, "acme", []string{"h1", "h2"})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{chunkKey("acme", "a/b", 3, 0), chunkKey("acme", "c", 1, 2)}
	if got := same["h1"]; len(got) != 2 || got[0] != want[0] || got[1] != want[1] || len(same) != 1 {
		t.Fatalf("same text: %v, want h1 → %v", same, want)
	}
	// Opening again migrates nothing and compacts nothing.
	if _, err := openRegistry(ctx, db); err != nil {
		t.Fatal(err)
	}
}
