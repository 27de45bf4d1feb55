package index

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/shopdesk/shopdesk/lang"
	"github.com/shopdesk/shopdesk/tenant"
)

// Options configure an Index. DB and Keyword are required; Vectors,
// Embed and Space together enable vector search.
type Options struct {
	DB      *sql.DB
	Keyword KeywordIndex
	Vectors VectorStore
	Embed   EmbedFunc
	// Space identifies the embedding model and vector size. Vectors from
	// another space are never mixed in: when it changes, the chunks must
	// be embedded again (Reembed) before vector search resumes.
	Space    string
	Chunking ChunkOptions
	Fuse     FuseOptions
	// RetrieverTimeout bounds each retriever within a search (default 2s).
	RetrieverTimeout time.Duration
	// Phrasings, if set, supplies approved shopper phrasings, indexed with
	// their documents' chunks; a deleted document's are forgotten.
	Phrasings PhrasingSource
	Logger    *slog.Logger
}

// Index is a tenant-scoped knowledge base over keyword and vector search.
// It is safe for concurrent use; writes are serialized.
type Index struct {
	opts Options
	reg  *registry
	log  *slog.Logger

	writeMu      sync.Mutex
	vectorsReady atomic.Bool
	// vectorsStale is set once the registry records that the vectors are
	// out of date (guarded by writeMu).
	vectorsStale bool
	// storeFresh is set once Reembed has emptied the store, whose vectors
	// are then all of this space (guarded by writeMu).
	storeFresh bool
}

// Open opens the registry, repairs what an interrupted write left
// behind, and decides whether vector search can be used right away.
func Open(ctx context.Context, opts Options) (*Index, error) {
	if opts.DB == nil || opts.Keyword == nil {
		return nil, errors.New("index: DB and Keyword are required")
	}
	if opts.RetrieverTimeout <= 0 {
		opts.RetrieverTimeout = 2 * time.Second
	}
	opts.Chunking = opts.Chunking.withDefaults()
	reg, err := openRegistry(ctx, opts.DB)
	if err != nil {
		return nil, err
	}
	x := &Index{opts: opts, reg: reg, log: opts.Logger}
	if x.log == nil {
		x.log = slog.New(slog.DiscardHandler)
	}
	if err := x.repair(ctx, ""); err != nil {
		return nil, fmt.Errorf("index repair: %w", err)
	}
	if x.vectorsConfigured() {
		space, err := reg.meta(ctx, "vector_space")
		if err != nil {
			return nil, err
		}
		_, chunks, err := reg.count(ctx, "")
		if err != nil {
			return nil, err
		}
		switch {
		case space == opts.Space:
			x.vectorsReady.Store(true)
		case chunks == 0:
			if err := reg.setMeta(ctx, "vector_space", opts.Space); err != nil {
				return nil, err
			}
			x.vectorsReady.Store(true)
		default:
			x.log.Warn("the embedding model changed: vector search is off until the knowledge base is embedded again",
				"was", space, "now", opts.Space, "chunks", chunks)
		}
	}
	return x, nil
}

func (x *Index) vectorsConfigured() bool {
	return x.opts.Vectors != nil && x.opts.Embed != nil && x.opts.Space != ""
}

// NeedsReembed reports whether the chunks must be embedded again with the
// current model before vector search can be used.
func (x *Index) NeedsReembed() bool {
	return x.vectorsConfigured() && !x.vectorsReady.Load()
}

// DocError is a document that could not be ingested.
type DocError struct {
	ID     string `json:"id,omitempty"`
	Source string `json:"source,omitempty"`
	Err    string `json:"error"`
}

// IngestResult counts what an ingest did.
type IngestResult struct {
	Added     int        `json:"added"`
	Replaced  int        `json:"replaced"`
	Unchanged int        `json:"unchanged"`
	Chunks    int        `json:"chunks"`
	Failed    []DocError `json:"failed,omitempty"`
}

// ingestBatch bounds the chunks written in one step.
const ingestBatch = 1024

// Ingest adds or replaces documents of a tenant. A document whose content
// is unchanged is skipped; a replaced one becomes visible in searches all
// at once, its old chunks gone at the same moment. A document that fails
// validation is reported in Failed and the rest still go in. progress, if
// set, is called with the number of documents handled so far.
func (x *Index) Ingest(ctx context.Context, t string, docs []Document, progress func(done, total int)) (IngestResult, error) {
	var res IngestResult
	if err := tenant.Validate(t); err != nil {
		return res, err
	}
	x.writeMu.Lock()
	defer x.writeMu.Unlock()
	if err := x.repair(ctx, t); err != nil {
		return res, fmt.Errorf("index repair: %w", err)
	}
	seen := map[string]string{}
	var batch []*prepared
	batchChunks, done := 0, 0
	flush := func() error {
		if len(batch) == 0 {
			return nil
		}
		if err := x.write(ctx, t, batch); err != nil {
			return err
		}
		for _, p := range batch {
			res.Chunks += len(p.chunks)
		}
		batch, batchChunks = nil, 0
		if progress != nil {
			progress(done, len(docs))
		}
		return nil
	}
	for i := range docs {
		d := docs[i]
		done++
		if err := d.Validate(); err != nil {
			res.Failed = append(res.Failed, DocError{ID: d.ID, Source: d.Source, Err: err.Error()})
			continue
		}
		if first, dup := seen[d.ID]; dup {
			res.Failed = append(res.Failed, DocError{ID: d.ID, Source: d.Source, Err: fmt.Sprintf("id %q repeats the document from %s", d.ID, first)})
			continue
		}
		seen[d.ID] = d.Source
		normalize(&d)
		hash := x.docHash(&d)
		_, stored, exists, err := x.reg.current(ctx, t, d.ID)
		if err != nil {
			return res, err
		}
		if exists && stored == hash {
			res.Unchanged++
			continue
		}
		p := &prepared{doc: d, hash: hash, chunks: Split(&d, x.opts.Chunking)}
		if len(p.chunks) == 0 {
			res.Failed = append(res.Failed, DocError{ID: d.ID, Source: d.Source, Err: "the document has no text"})
			continue
		}
		for j := range p.chunks {
			p.hashes = append(p.hashes, p.chunks[j].ContentHash())
		}
		if exists {
			res.Replaced++
		} else {
			res.Added++
		}
		batch = append(batch, p)
		batchChunks += len(p.chunks)
		if batchChunks >= ingestBatch {
			if err := flush(); err != nil {
				return res, err
			}
		}
	}
	if err := flush(); err != nil {
		return res, err
	}
	if progress != nil {
		progress(len(docs), len(docs))
	}
	return res, nil
}

// normalize fills what a document left out: its kind (KindFor), its language
// (detected from its text), and its text from its blocks.
func normalize(d *Document) {
	if d.Kind == "" {
		d.Kind = KindFor(d)
	}
	if d.Text == "" && len(d.Blocks) > 0 {
		d.Text = joinBlocks(d.Blocks)
	}
	if d.Lang == "" {
		sample := d.Title + "\n" + d.Text
		if len(sample) > 4096 {
			sample = sample[:4096]
		}
		d.Lang = lang.Detect(sample)
	}
}

// docHash identifies a document's content and how it is chunked, so an
// unchanged document is recognized and skipped.
func (x *Index) docHash(d *Document) string {
	h := sha256.New()
	enc := json.NewEncoder(h)
	enc.Encode([]any{d.Title, d.Text, d.URL, d.Kind, d.Lang, d.Tags, d.Whole, d.Blocks, x.opts.Chunking})
	return hex.EncodeToString(h.Sum(nil))
}

// write puts a batch of prepared documents into every index, following
// the journal protocol: journal and store the new generation (invisible),
// write the indexes, make it current in one transaction, then remove the
// replaced generation. A crash at any point leaves either the old or the
// new version visible, never a mix, and Open removes the leftovers.
func (x *Index) write(ctx context.Context, t string, batch []*prepared) error {
	if err := x.vectorsFallBehind(ctx); err != nil {
		return err
	}
	var points []VectorPoint
	if x.vectorsConfigured() {
		var err error
		if points, err = x.embedPrepared(ctx, t, batch); err != nil {
			return err
		}
	}
	if err := x.reg.begin(ctx, t, batch); err != nil {
		return fmt.Errorf("index journal: %w", err)
	}
	ph, err := x.phrasingsFor(ctx, t, batch)
	if err != nil {
		return err
	}
	var add []KeywordDoc
	for _, p := range batch {
		for _, c := range p.chunks {
			add = append(add, keywordDoc(&c, p.doc.Tags, ph[p.doc.ID]))
		}
	}
	if err := x.opts.Keyword.Apply(ctx, t, nil, add); err != nil {
		return err
	}
	if len(points) > 0 {
		// Keys are known only now that begin has assigned generations.
		if err := x.opts.Vectors.Upsert(ctx, t, x.pointKeys(batch, points)); err != nil {
			return err
		}
	}
	old, err := x.reg.commit(ctx, t, batch)
	if err != nil {
		return fmt.Errorf("index commit: %w", err)
	}
	x.cleanup(ctx, t, old)
	return nil
}

func keywordDoc(c *Chunk, tags, phrasings []string) KeywordDoc {
	title := c.Title
	if c.Heading != "" {
		title += " › " + c.Heading
	}
	return KeywordDoc{Key: c.Key(), DocID: c.DocID, Title: title, Text: c.Text, Kind: c.Kind, Lang: c.Lang, Tags: tags, Phrasings: phrasings}
}

// embedPrepared returns one point per chunk of the batch, in order, with
// vectors from the cache or the embedder (keys are set once generations
// are assigned).
func (x *Index) embedPrepared(ctx context.Context, t string, batch []*prepared) ([]VectorPoint, error) {
	var texts, hashes []string
	var docIDs []string
	for _, p := range batch {
		for i := range p.chunks {
			texts = append(texts, embedText(&p.chunks[i]))
			hashes = append(hashes, p.hashes[i])
			docIDs = append(docIDs, p.doc.ID)
		}
	}
	vecs, err := x.vectorsFor(ctx, t, texts, hashes)
	if err != nil {
		return nil, err
	}
	points := make([]VectorPoint, len(vecs))
	for i := range vecs {
		points[i] = VectorPoint{DocID: docIDs[i], Vector: vecs[i]}
	}
	return points, nil
}

// pointKeys sets each point's chunk key, in the batch's chunk order.
func (x *Index) pointKeys(batch []*prepared, points []VectorPoint) []VectorPoint {
	i := 0
	for _, p := range batch {
		for j := range p.chunks {
			points[i].Key = p.chunks[j].Key()
			i++
		}
	}
	return points
}

// embedText is what is embedded for a chunk: title, heading and text.
func embedText(c *Chunk) string {
	return c.Title + "\n" + c.IndexedText()
}

// vectorsFor returns vectors for texts of tenant t, reusing the stored
// vector of a chunk with the same content hash where the store gives
// vectors back, and embedding the rest (each distinct text once).
func (x *Index) vectorsFor(ctx context.Context, t string, texts, hashes []string) ([][]float32, error) {
	out := make([][]float32, len(texts))
	if err := x.reuseVectors(ctx, t, hashes, out); err != nil {
		return nil, err
	}
	var missing []string
	at := map[string][]int{} // hash → the texts that need its vector
	for i, h := range hashes {
		if out[i] != nil {
			continue
		}
		if len(at[h]) == 0 {
			missing = append(missing, texts[i])
		}
		at[h] = append(at[h], i)
	}
	if len(missing) == 0 {
		return out, nil
	}
	vecs, err := x.opts.Embed(ctx, missing)
	if err != nil {
		return nil, fmt.Errorf("embed: %w", err)
	}
	if len(vecs) != len(missing) {
		return nil, fmt.Errorf("embed: %d vectors for %d texts", len(vecs), len(missing))
	}
	j := 0
	for i, h := range hashes {
		if out[i] != nil || at[h][0] != i {
			continue
		}
		for _, k := range at[h] {
			out[k] = vecs[j]
		}
		j++
	}
	return out, nil
}

// reuseVectors fills out[i] with the stored vector of a chunk whose text
// has hashes[i], where there is one. The store is asked only while it is
// known to hold vectors of this space alone.
func (x *Index) reuseVectors(ctx context.Context, t string, hashes []string, out [][]float32) error {
	r, ok := x.opts.Vectors.(VectorReader)
	if !ok || !(x.vectorsReady.Load() || x.storeFresh) {
		return nil
	}
	same, err := x.reg.sameText(ctx, t, hashes)
	if err != nil || len(same) == 0 {
		return err
	}
	var keys []string
	for _, ks := range same {
		keys = append(keys, ks...)
	}
	have, err := r.Vectors(ctx, t, keys)
	if err != nil {
		return fmt.Errorf("reading stored vectors: %w", err)
	}
	for i, h := range hashes {
		for _, k := range same[h] {
			if v, ok := have[k]; ok {
				out[i] = v
				break
			}
		}
	}
	return nil
}

// cleanup removes replaced or deleted generations from the indexes and
// then from the journal. A failure leaves the journal entry, so the next
// ingest or restart retries it; the leftovers are invisible meanwhile.
func (x *Index) cleanup(ctx context.Context, t string, gens []stale) {
	if len(gens) == 0 {
		return
	}
	var keys []string
	for _, s := range gens {
		keys = append(keys, s.keys(t)...)
	}
	if err := x.opts.Keyword.Apply(ctx, t, keys, nil); err != nil {
		x.log.Warn("removing old chunks from the keyword index; will retry", "tenant", t, "err", err)
		return
	}
	if x.opts.Vectors != nil {
		if err := x.opts.Vectors.Delete(ctx, t, keys); err != nil {
			x.log.Warn("removing old chunks from the vector store; will retry", "tenant", t, "err", err)
			return
		}
	}
	if err := x.reg.forget(ctx, t, gens); err != nil {
		x.log.Warn("clearing the index journal; will retry", "tenant", t, "err", err)
	}
}

// repair removes every generation the journal holds that is not current,
// for one tenant or (t empty) all.
func (x *Index) repair(ctx context.Context, t string) error {
	pending, err := x.reg.pending(ctx)
	if err != nil {
		return err
	}
	for tn, gens := range pending {
		if t == "" || tn == t {
			x.cleanup(ctx, tn, gens)
		}
	}
	return nil
}

// vectorsFallBehind records, before a change the vector store will not
// see (none is configured), that the stored vectors no longer match the
// documents, so that the next Open with vectors embeds everything again.
func (x *Index) vectorsFallBehind(ctx context.Context) error {
	if x.vectorsConfigured() || x.vectorsStale {
		return nil
	}
	if err := x.reg.setMeta(ctx, "vector_space", ""); err != nil {
		return fmt.Errorf("index: %w", err)
	}
	x.vectorsStale = true
	return nil
}

// Delete removes a document from every index. It reports false if the
// tenant has no such document.
func (x *Index) Delete(ctx context.Context, t, docID string) (bool, error) {
	if err := tenant.Validate(t); err != nil {
		return false, err
	}
	x.writeMu.Lock()
	defer x.writeMu.Unlock()
	if err := x.vectorsFallBehind(ctx); err != nil {
		return false, err
	}
	s, ok, err := x.reg.remove(ctx, t, docID)
	if err != nil || !ok {
		return false, err
	}
	x.cleanup(ctx, t, []stale{s})
	if x.opts.Phrasings != nil {
		if err := x.opts.Phrasings.Forget(ctx, t, docID); err != nil {
			x.log.Warn("could not forget a deleted document's phrasings", "tenant", t, "doc", docID, "err", err)
		}
	}
	return true, nil
}

// Document returns one document with its text.
func (x *Index) Document(ctx context.Context, t, docID string) (DocInfo, bool, error) {
	if err := tenant.Validate(t); err != nil {
		return DocInfo{}, false, err
	}
	return x.reg.document(ctx, t, docID)
}

// Documents lists a tenant's documents by ID, after the given ID (for
// paging), optionally of one kind; at most limit.
func (x *Index) Documents(ctx context.Context, t, kind, after string, limit int) ([]DocInfo, error) {
	if err := tenant.Validate(t); err != nil {
		return nil, err
	}
	return x.reg.documents(ctx, t, kind, after, limit)
}

// Count returns a tenant's number of documents and chunks.
func (x *Index) Count(ctx context.Context, t string) (docs, chunks int, err error) {
	return x.reg.count(ctx, t)
}

// Reembed embeds every current chunk with the current model and stores
// the vectors, then turns vector search on. Ingests wait between its
// batches, not for all of it.
func (x *Index) Reembed(ctx context.Context, progress func(done int)) error {
	if !x.vectorsConfigured() {
		return errors.New("index: no vector store or embedder configured")
	}
	// Whatever the store holds for this model may predate changes made
	// without it: start from nothing.
	x.writeMu.Lock()
	err := x.opts.Vectors.Clear(ctx)
	x.storeFresh = err == nil
	x.writeMu.Unlock()
	if err != nil {
		return err
	}
	done := 0
	err = x.reg.currentChunks(ctx, ingestBatch, func(t string, cs []Chunk, hashes []string) error {
		x.writeMu.Lock()
		defer x.writeMu.Unlock()
		refs := make([]ChunkRef, len(cs))
		for i, c := range cs {
			refs[i] = ChunkRef{Tenant: t, DocID: c.DocID, Gen: c.Gen, Position: c.Position}
		}
		live, err := x.reg.resolve(ctx, t, refs) // skip chunks replaced since the scan began
		if err != nil {
			return err
		}
		var texts, hs []string
		var keep []Chunk
		for i := range cs {
			if _, ok := live[cs[i].Key()]; ok {
				texts, hs, keep = append(texts, embedText(&cs[i])), append(hs, hashes[i]), append(keep, cs[i])
			}
		}
		vecs, err := x.vectorsFor(ctx, t, texts, hs)
		if err != nil {
			return err
		}
		points := make([]VectorPoint, len(keep))
		for i := range keep {
			points[i] = VectorPoint{Key: keep[i].Key(), DocID: keep[i].DocID, Vector: vecs[i]}
		}
		if err := x.opts.Vectors.Upsert(ctx, t, points); err != nil {
			return err
		}
		done += len(cs)
		if progress != nil {
			progress(done)
		}
		return nil
	})
	if err != nil {
		return err
	}
	if err := x.reg.setMeta(ctx, "vector_space", x.opts.Space); err != nil {
		return err
	}
	x.vectorsReady.Store(true)
	x.log.Info("vector search is on", "space", x.opts.Space, "chunks", done)
	return nil
}
