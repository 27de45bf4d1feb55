package index

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/shopdesk/shopdesk/sqlite"
)

// The registry is the SQLite half of the index: which documents exist,
// which generation of each is current, the chunk texts and the write
// journal. The keyword and vector indexes hold chunks of
// possibly several generations; a search sees only chunks of current
// generations, because hits are joined against this registry.
var migrations = []string{`
CREATE TABLE documents (
	tenant TEXT NOT NULL,
	doc_id TEXT NOT NULL,
	gen INTEGER NOT NULL,
	title TEXT NOT NULL,
	url TEXT NOT NULL,
	kind TEXT NOT NULL,
	lang TEXT NOT NULL,
	tags TEXT NOT NULL,
	source TEXT NOT NULL,
	text TEXT NOT NULL,
	hash TEXT NOT NULL,
	chunks INTEGER NOT NULL,
	updated_at INTEGER NOT NULL,
	PRIMARY KEY (tenant, doc_id)
) WITHOUT ROWID;
CREATE TABLE chunks (
	tenant TEXT NOT NULL,
	doc_id TEXT NOT NULL,
	gen INTEGER NOT NULL,
	pos INTEGER NOT NULL,
	heading TEXT NOT NULL,
	text TEXT NOT NULL,
	hash TEXT NOT NULL,
	PRIMARY KEY (tenant, doc_id, gen, pos)
) WITHOUT ROWID;
-- A generation whose chunks may be in the indexes without being current:
-- written but not yet made current, or replaced and not yet removed.
CREATE TABLE pending (
	tenant TEXT NOT NULL,
	doc_id TEXT NOT NULL,
	gen INTEGER NOT NULL,
	chunks INTEGER NOT NULL,
	PRIMARY KEY (tenant, doc_id, gen)
) WITHOUT ROWID;
CREATE TABLE embeddings (
	space TEXT NOT NULL,
	hash TEXT NOT NULL,
	vec BLOB NOT NULL,
	PRIMARY KEY (space, hash)
) WITHOUT ROWID;
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
`, `
-- The embedding cache is the vector store: a chunk's text is found by its
-- hash in another chunk of the tenant, whose stored vector is reused.
CREATE INDEX chunks_by_hash ON chunks (tenant, hash);
DROP TABLE embeddings;
`, `
-- Documents and chunks move to tables with row IDs: rows are appended in
-- the order written, so pages fill, where a table keyed by document ID
-- splits its pages half empty (about 45% of their space, measured).
CREATE TABLE documents_rows (
	tenant TEXT NOT NULL,
	doc_id TEXT NOT NULL,
	gen INTEGER NOT NULL,
	title TEXT NOT NULL,
	url TEXT NOT NULL,
	kind TEXT NOT NULL,
	lang TEXT NOT NULL,
	tags TEXT NOT NULL,
	source TEXT NOT NULL,
	text TEXT NOT NULL,
	hash TEXT NOT NULL,
	chunks INTEGER NOT NULL,
	updated_at INTEGER NOT NULL
);
INSERT INTO documents_rows SELECT tenant, doc_id, gen, title, url, kind, lang, tags, source, text, hash, chunks, updated_at FROM documents;
DROP TABLE documents;
ALTER TABLE documents_rows RENAME TO documents;
CREATE UNIQUE INDEX documents_key ON documents (tenant, doc_id);
CREATE INDEX documents_kind ON documents (tenant, kind, doc_id);
CREATE TABLE chunks_rows (
	tenant TEXT NOT NULL,
	doc_id TEXT NOT NULL,
	gen INTEGER NOT NULL,
	pos INTEGER NOT NULL,
	heading TEXT NOT NULL,
	text TEXT NOT NULL,
	hash TEXT NOT NULL
);
INSERT INTO chunks_rows SELECT tenant, doc_id, gen, pos, heading, text, hash FROM chunks;
DROP TABLE chunks;
ALTER TABLE chunks_rows RENAME TO chunks;
CREATE UNIQUE INDEX chunks_key ON chunks (tenant, doc_id, gen, pos);
CREATE INDEX chunks_by_hash ON chunks (tenant, hash);
`}

type registry struct{ db *sql.DB }

func openRegistry(ctx context.Context, db *sql.DB) (*registry, error) {
	hadCache, err := hasTable(ctx, db, "embeddings")
	if err != nil {
		return nil, err
	}
	if err := sqlite.Migrate(ctx, db, "index", migrations); err != nil {
		return nil, err
	}
	if hadCache {
		// The dropped embedding cache held a copy of every vector: give
		// the space back to the disk once.
		if _, err := db.ExecContext(ctx, `VACUUM`); err != nil {
			return nil, fmt.Errorf("index: compacting the database after dropping the embedding cache: %w", err)
		}
	}
	return &registry{db: db}, nil
}

func hasTable(ctx context.Context, db *sql.DB, name string) (bool, error) {
	var n int
	err := db.QueryRowContext(ctx, `SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = ?`, name).Scan(&n)
	return n > 0, err
}

// DocInfo describes a stored document.
type DocInfo struct {
	ID        string    `json:"id"`
	Title     string    `json:"title"`
	URL       string    `json:"url,omitempty"`
	Kind      string    `json:"kind"`
	Lang      string    `json:"lang"`
	Tags      []string  `json:"tags,omitempty"`
	Source    string    `json:"source,omitempty"`
	Chunks    int       `json:"chunks"`
	UpdatedAt time.Time `json:"updated_at"`
	// Text is set by Get only.
	Text string `json:"text,omitempty"`

	gen  int64
	hash string
}

func (r *registry) meta(ctx context.Context, key string) (string, error) {
	var v string
	err := r.db.QueryRowContext(ctx, `SELECT value FROM meta WHERE key = ?`, key).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	return v, err
}

func (r *registry) setMeta(ctx context.Context, key, value string) error {
	_, err := r.db.ExecContext(ctx, `INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value`, key, value)
	return err
}

// current returns the document's current generation and hash, if stored.
func (r *registry) current(ctx context.Context, tenant, docID string) (gen int64, hash string, ok bool, err error) {
	err = r.db.QueryRowContext(ctx, `SELECT gen, hash FROM documents WHERE tenant = ? AND doc_id = ?`, tenant, docID).Scan(&gen, &hash)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, "", false, nil
	}
	return gen, hash, err == nil, err
}

// prepared is a document ready to be written: its chunks and their
// content hashes.
type prepared struct {
	doc    Document
	hash   string
	gen    int64 // assigned by begin
	chunks []Chunk
	hashes []string
}

// begin journals the documents' new generations and stores their chunk
// texts, invisible until commit. It assigns each chunk its generation.
func (r *registry) begin(ctx context.Context, tenant string, docs []*prepared) error {
	tx, err := r.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	var next int64
	if err := tx.QueryRowContext(ctx, `SELECT COALESCE(CAST(value AS INTEGER), 1) FROM meta WHERE key = 'next_gen'`).Scan(&next); err != nil && !errors.Is(err, sql.ErrNoRows) {
		return err
	}
	next = max(next, 1)
	ins, err := tx.PrepareContext(ctx, `INSERT INTO chunks (tenant, doc_id, gen, pos, heading, text, hash) VALUES (?, ?, ?, ?, ?, ?, ?)`)
	if err != nil {
		return err
	}
	defer ins.Close()
	for _, p := range docs {
		gen := next
		next++
		p.gen = gen
		for i := range p.chunks {
			c := &p.chunks[i]
			c.Tenant, c.Gen = tenant, gen
			if _, err := ins.ExecContext(ctx, tenant, c.DocID, gen, c.Position, c.Heading, c.Text, p.hashes[i]); err != nil {
				return err
			}
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO pending (tenant, doc_id, gen, chunks) VALUES (?, ?, ?, ?)`, tenant, p.doc.ID, gen, len(p.chunks)); err != nil {
			return err
		}
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO meta (key, value) VALUES ('next_gen', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value`, strconv.FormatInt(next, 10)); err != nil {
		return err
	}
	return tx.Commit()
}

// stale is a generation to remove from the indexes.
type stale struct {
	docID  string
	gen    int64
	chunks int
}

func (s stale) keys(tenant string) []string {
	out := make([]string, s.chunks)
	for i := range out {
		out[i] = chunkKey(tenant, s.docID, s.gen, i)
	}
	return out
}

// commit makes the documents' new generations current in one transaction
// and journals the generations they replace.
func (r *registry) commit(ctx context.Context, tenant string, docs []*prepared) ([]stale, error) {
	tx, err := r.db.BeginTx(ctx, nil)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	now := time.Now().Unix()
	var old []stale
	for _, p := range docs {
		gen := p.gen
		var prev stale
		err := tx.QueryRowContext(ctx, `SELECT gen, chunks FROM documents WHERE tenant = ? AND doc_id = ?`, tenant, p.doc.ID).Scan(&prev.gen, &prev.chunks)
		switch {
		case errors.Is(err, sql.ErrNoRows):
		case err != nil:
			return nil, err
		default:
			prev.docID = p.doc.ID
			old = append(old, prev)
			if _, err := tx.ExecContext(ctx, `INSERT OR REPLACE INTO pending (tenant, doc_id, gen, chunks) VALUES (?, ?, ?, ?)`, tenant, p.doc.ID, prev.gen, prev.chunks); err != nil {
				return nil, err
			}
		}
		tags, _ := json.Marshal(p.doc.Tags)
		d := p.doc
		if _, err := tx.ExecContext(ctx, `INSERT INTO documents (tenant, doc_id, gen, title, url, kind, lang, tags, source, text, hash, chunks, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (tenant, doc_id) DO UPDATE SET gen = excluded.gen, title = excluded.title, url = excluded.url,
				kind = excluded.kind, lang = excluded.lang, tags = excluded.tags, source = excluded.source, text = excluded.text,
				hash = excluded.hash, chunks = excluded.chunks, updated_at = excluded.updated_at`,
			tenant, d.ID, gen, d.Title, d.URL, d.Kind, d.Lang, string(tags), d.Source, storedText(p), p.hash, len(p.chunks), now); err != nil {
			return nil, err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM pending WHERE tenant = ? AND doc_id = ? AND gen = ?`, tenant, d.ID, gen); err != nil {
			return nil, err
		}
	}
	return old, tx.Commit()
}

// remove deletes a document from the registry and journals its chunks for
// removal from the indexes. ok is false if there was no such document.
func (r *registry) remove(ctx context.Context, tenant, docID string) (stale, bool, error) {
	tx, err := r.db.BeginTx(ctx, nil)
	if err != nil {
		return stale{}, false, err
	}
	defer tx.Rollback()
	s := stale{docID: docID}
	err = tx.QueryRowContext(ctx, `SELECT gen, chunks FROM documents WHERE tenant = ? AND doc_id = ?`, tenant, docID).Scan(&s.gen, &s.chunks)
	if errors.Is(err, sql.ErrNoRows) {
		return stale{}, false, nil
	}
	if err != nil {
		return stale{}, false, err
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM documents WHERE tenant = ? AND doc_id = ?`, tenant, docID); err != nil {
		return stale{}, false, err
	}
	if _, err := tx.ExecContext(ctx, `INSERT OR REPLACE INTO pending (tenant, doc_id, gen, chunks) VALUES (?, ?, ?, ?)`, tenant, docID, s.gen, s.chunks); err != nil {
		return stale{}, false, err
	}
	return s, true, tx.Commit()
}

// forget drops a removed generation's chunk texts and journal entry, once
// the indexes no longer hold it.
func (r *registry) forget(ctx context.Context, tenant string, gens []stale) error {
	tx, err := r.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	for _, s := range gens {
		if _, err := tx.ExecContext(ctx, `DELETE FROM chunks WHERE tenant = ? AND doc_id = ? AND gen = ?`, tenant, s.docID, s.gen); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM pending WHERE tenant = ? AND doc_id = ? AND gen = ?`, tenant, s.docID, s.gen); err != nil {
			return err
		}
	}
	return tx.Commit()
}

// pending lists, per tenant, the journalled generations that are not
// current: writes interrupted before commit, and replaced or deleted
// generations not yet removed.
func (r *registry) pending(ctx context.Context) (map[string][]stale, error) {
	rows, err := r.db.QueryContext(ctx, `SELECT p.tenant, p.doc_id, p.gen, p.chunks FROM pending p
		LEFT JOIN documents d ON d.tenant = p.tenant AND d.doc_id = p.doc_id AND d.gen = p.gen
		WHERE d.gen IS NULL`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string][]stale{}
	for rows.Next() {
		var t string
		var s stale
		if err := rows.Scan(&t, &s.docID, &s.gen, &s.chunks); err != nil {
			return nil, err
		}
		out[t] = append(out[t], s)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	// A journal entry for a generation that is current is left from a
	// crash between steps that cannot both be in one transaction; it needs
	// nothing removed.
	_, err = r.db.ExecContext(ctx, `DELETE FROM pending WHERE EXISTS (SELECT 1 FROM documents d
		WHERE d.tenant = pending.tenant AND d.doc_id = pending.doc_id AND d.gen = pending.gen)`)
	return out, err
}

// resolve returns the current chunks among refs (others are dropped),
// keyed by chunk key.
func (r *registry) resolve(ctx context.Context, tenant string, refs []ChunkRef) (map[string]Chunk, error) {
	out := make(map[string]Chunk, len(refs))
	if len(refs) == 0 {
		return out, nil
	}
	var b strings.Builder
	args := []any{tenant}
	b.WriteString(`SELECT c.doc_id, c.gen, c.pos, c.heading, c.text, d.title, d.url, d.kind, d.lang
		FROM chunks c JOIN documents d ON d.tenant = c.tenant AND d.doc_id = c.doc_id AND d.gen = c.gen
		WHERE c.tenant = ? AND (c.doc_id, c.gen, c.pos) IN (VALUES `)
	for i, ref := range refs {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString("(?, ?, ?)")
		args = append(args, ref.DocID, ref.Gen, ref.Position)
	}
	b.WriteByte(')')
	rows, err := r.db.QueryContext(ctx, b.String(), args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		c := Chunk{Tenant: tenant}
		if err := rows.Scan(&c.DocID, &c.Gen, &c.Position, &c.Heading, &c.Text, &c.Title, &c.URL, &c.Kind, &c.Lang); err != nil {
			return nil, err
		}
		out[c.Key()] = c
	}
	return out, rows.Err()
}

// document returns a stored document with its text.
func (r *registry) document(ctx context.Context, tenant, docID string) (DocInfo, bool, error) {
	d, ok, err := r.scanDoc(r.db.QueryRowContext(ctx, `SELECT doc_id, title, url, kind, lang, tags, source, chunks, updated_at, gen, hash, text
		FROM documents WHERE tenant = ? AND doc_id = ?`, tenant, docID), true)
	if err == nil && ok && d.Text == "" && d.Chunks == 1 {
		// Its one chunk holds its text (storedText).
		err = r.db.QueryRowContext(ctx, `SELECT text FROM chunks WHERE tenant = ? AND doc_id = ? AND gen = ? AND pos = 0`, tenant, docID, d.gen).Scan(&d.Text)
	}
	return d, ok, err
}

// storedText is the text kept with a document: none when its one chunk is
// the whole text (FAQ entries, products, transcripts), which document()
// then reads from the chunk, so the text is on disk once.
func storedText(p *prepared) string {
	if len(p.chunks) == 1 && p.chunks[0].Text == p.doc.Text {
		return ""
	}
	return p.doc.Text
}

type scanner interface{ Scan(...any) error }

func (r *registry) scanDoc(row scanner, withText bool) (DocInfo, bool, error) {
	var d DocInfo
	var tags string
	var updated int64
	dest := []any{&d.ID, &d.Title, &d.URL, &d.Kind, &d.Lang, &tags, &d.Source, &d.Chunks, &updated, &d.gen, &d.hash}
	if withText {
		dest = append(dest, &d.Text)
	}
	if err := row.Scan(dest...); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return DocInfo{}, false, nil
		}
		return DocInfo{}, false, err
	}
	json.Unmarshal([]byte(tags), &d.Tags)
	d.UpdatedAt = time.Unix(updated, 0).UTC()
	return d, true, nil
}

// documents lists a tenant's documents in ID order, after the given ID,
// optionally of one kind.
func (r *registry) documents(ctx context.Context, tenant, kind, after string, limit int) ([]DocInfo, error) {
	rows, err := r.db.QueryContext(ctx, `SELECT doc_id, title, url, kind, lang, tags, source, chunks, updated_at, gen, hash
		FROM documents WHERE tenant = ? AND doc_id > ? AND (? = '' OR kind = ?) ORDER BY doc_id LIMIT ?`, tenant, after, kind, kind, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []DocInfo
	for rows.Next() {
		d, _, err := r.scanDoc(rows, false)
		if err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	return out, rows.Err()
}

// currentChunks streams every current chunk of every tenant, for
// re-embedding, in batches.
func (r *registry) currentChunks(ctx context.Context, batch int, fn func(tenant string, cs []Chunk, hashes []string) error) error {
	rows, err := r.db.QueryContext(ctx, `SELECT c.tenant, c.doc_id, c.gen, c.pos, c.heading, c.text, c.hash, d.title
		FROM chunks c JOIN documents d ON d.tenant = c.tenant AND d.doc_id = c.doc_id AND d.gen = c.gen
		ORDER BY c.tenant, c.doc_id, c.pos`)
	if err != nil {
		return err
	}
	defer rows.Close()
	var cur string
	var cs []Chunk
	var hs []string
	flush := func() error {
		if len(cs) == 0 {
			return nil
		}
		err := fn(cur, cs, hs)
		cs, hs = nil, nil
		return err
	}
	for rows.Next() {
		var c Chunk
		var h string
		if err := rows.Scan(&c.Tenant, &c.DocID, &c.Gen, &c.Position, &c.Heading, &c.Text, &h, &c.Title); err != nil {
			return err
		}
		if c.Tenant != cur || len(cs) == batch {
			if err := flush(); err != nil {
				return err
			}
			cur = c.Tenant
		}
		cs, hs = append(cs, c), append(hs, h)
	}
	if err := rows.Err(); err != nil {
		return err
	}
	return flush()
}

// sameText returns, for each content hash, keys of the tenant's chunks
// with that text, newest generation first, at most three: chunks whose
// stored vectors may be reused.
func (r *registry) sameText(ctx context.Context, tenant string, hashes []string) (map[string][]string, error) {
	out := map[string][]string{}
	for start := 0; start < len(hashes); start += 500 {
		part := hashes[start:min(start+500, len(hashes))]
		args := []any{tenant}
		q := `SELECT hash, doc_id, gen, pos FROM chunks WHERE tenant = ? AND hash IN (` +
			strings.TrimSuffix(strings.Repeat("?,", len(part)), ",") + `) ORDER BY gen DESC`
		for _, h := range part {
			args = append(args, h)
		}
		rows, err := r.db.QueryContext(ctx, q, args...)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var h, doc string
			var gen int64
			var pos int
			if err := rows.Scan(&h, &doc, &gen, &pos); err != nil {
				rows.Close()
				return nil, err
			}
			if len(out[h]) < 3 {
				out[h] = append(out[h], chunkKey(tenant, doc, gen, pos))
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// count returns the number of current documents and chunks of a tenant
// (all tenants when tenant is empty).
func (r *registry) count(ctx context.Context, tenant string) (docs, chunks int, err error) {
	err = r.db.QueryRowContext(ctx, `SELECT COUNT(*), COALESCE(SUM(chunks), 0) FROM documents WHERE ? = '' OR tenant = ?`, tenant, tenant).Scan(&docs, &chunks)
	if err != nil {
		return 0, 0, fmt.Errorf("count documents: %w", err)
	}
	return docs, chunks, nil
}
