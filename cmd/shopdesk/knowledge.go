package main

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/shopdesk/shopdesk/curated"
	"github.com/shopdesk/shopdesk/index"
	"github.com/shopdesk/shopdesk/index/flat"
	"github.com/shopdesk/shopdesk/index/formats/pdftext"
	"github.com/shopdesk/shopdesk/index/keyword"
	"github.com/shopdesk/shopdesk/index/qdrant"
	"github.com/shopdesk/shopdesk/inference"
	"github.com/shopdesk/shopdesk/learning"
	"github.com/shopdesk/shopdesk/models"
	"github.com/shopdesk/shopdesk/sqlite"
)

// knowledgeBase is the opened knowledge base and what it holds open.
type knowledgeBase struct {
	*index.Index
	// Space names the embedding model and size the vectors come from;
	// empty when vector search is off.
	Space string
	// Embed embeds texts with the embedding model; nil when vector search
	// is off.
	Embed index.EmbedFunc
	// DB is the SQLite database the knowledge base shares with the other
	// stores.
	DB *sql.DB
	// Curated and Matcher are the curated answers; Phrasings the learned
	// phrasings, indexed with their documents.
	Curated   *curated.Store
	Matcher   *curated.Matcher
	Phrasings *learning.Phrasings

	closers []func() error
	cleanup func() // removes vectors of other spaces once re-embedding is done
}

func (k *knowledgeBase) Close() error {
	var errs []error
	for i := len(k.closers) - 1; i >= 0; i-- {
		errs = append(errs, k.closers[i]())
	}
	return errors.Join(errs...)
}

// embedding is the knowledge base's embedding model, fixed when it is
// opened: a catalog edit changes it only at the next start, when the
// chunks are embedded again, so vectors of two models never meet.
type embedding struct {
	entry models.Entry
	dims  int
	space string
}

// probeEmbedding asks Ollama for the default embedding model's vector size
// and digest, which together name the vector space.
func probeEmbedding(ctx context.Context, infer *inference.Client, entry models.Entry) (embedding, error) {
	ctx, cancel := context.WithTimeout(ctx, 2*time.Minute) // a first call may load the model
	defer cancel()
	resp, err := infer.Embed(ctx, inference.EmbedRequest{Model: entry.Tag, Input: []string{"shopdesk"}, Options: entry.RequestOptions(), KeepAlive: entry.KeepAlive})
	if err != nil {
		return embedding{}, err
	}
	dims := len(resp.Embeddings[0])
	digest, err := infer.Digest(ctx, entry.Tag)
	if err != nil {
		return embedding{}, err
	}
	if len(digest) > 12 {
		digest = digest[len(digest)-12:]
	}
	space := fmt.Sprintf("%s-%dd-%s", spaceName(entry.Tag), dims, digest)
	return embedding{entry: entry, dims: dims, space: space}, nil
}

// spaceName keeps the letters and digits of a tag, for directory and
// collection names.
func spaceName(tag string) string {
	return strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-' {
			return r
		}
		if r >= 'A' && r <= 'Z' {
			return r + 'a' - 'A'
		}
		return '_'
	}, tag)
}

func (e embedding) embed(infer *inference.Client) index.EmbedFunc {
	return func(ctx context.Context, texts []string) ([][]float32, error) {
		resp, err := infer.Embed(ctx, inference.EmbedRequest{Model: e.entry.Tag, Input: texts, Options: e.entry.RequestOptions(), KeepAlive: e.entry.KeepAlive})
		return resp.Embeddings, err
	}
}

func indexOptions(cfg *config) (index.ChunkOptions, index.FuseOptions) {
	return index.ChunkOptions{MaxTokens: cfg.ChunkTokens, OverlapTokens: cfg.ChunkOverlap},
		index.FuseOptions{K: cfg.RRFK, MaxPerDoc: cfg.MaxPerDoc,
			Weights: map[string]float64{index.Keyword: cfg.KeywordWeight, index.Vector: cfg.VectorWeight}}
}

// openKnowledge opens the knowledge base in the data directory. Vector
// search needs the embedding model to answer now; if it does not, search
// runs on keywords alone and says so. Without infer, the embedded vector
// store is opened as stored, for commands that only copy the stores.
func openKnowledge(ctx context.Context, cfg *config, infer *inference.Client, cat *models.Catalog, log *slog.Logger) (*knowledgeBase, error) {
	kb := &knowledgeBase{cleanup: func() {}}
	pdftext.SetCacheDir(filepath.Join(cfg.DataDir, "cache", "pdfium"))
	fail := func(err error) (*knowledgeBase, error) {
		kb.Close()
		return nil, err
	}
	db, err := sqlite.Open(filepath.Join(cfg.DataDir, "shopdesk.db"))
	if err != nil {
		return fail(err)
	}
	kb.closers = append(kb.closers, db.Close)
	kb.DB = db
	kw, err := keyword.Open(filepath.Join(cfg.DataDir, "index", "keyword"))
	if err != nil {
		return fail(err)
	}
	kb.closers = append(kb.closers, kw.Close)
	if err := openLearned(ctx, cfg, kb, log); err != nil {
		return fail(err)
	}
	chunking, fuse := indexOptions(cfg)
	opts := index.Options{DB: db, Keyword: kw, Chunking: chunking, Fuse: fuse, RetrieverTimeout: cfg.RetrievalTimeout,
		Phrasings: kb.Phrasings, Logger: log}

	if infer == nil {
		// Opened without a model (a backup with no server running): the
		// embedded vectors as they are stored, and no embedding.
		if err := openStoredVectors(ctx, cfg, kb, &opts); err != nil {
			return fail(err)
		}
	} else if cfg.VectorStore != "none" {
		emb, err := probeEmbedding(ctx, infer, cat.Default(models.KindEmbedding))
		if err != nil {
			log.Warn("the embedding model does not answer: search uses keywords only until the next start", "model", cat.Default(models.KindEmbedding).Tag, "err", err)
		} else {
			store, closeStore, cleanup, err := openVectorStore(ctx, cfg, emb)
			if err != nil {
				return fail(err)
			}
			kb.closers = append(kb.closers, closeStore)
			kb.cleanup = cleanup
			opts.Vectors, opts.Embed, opts.Space = store, emb.embed(infer), emb.space
			kb.Space, kb.Embed = emb.space, opts.Embed
		}
	}
	x, err := index.Open(ctx, opts)
	if err != nil {
		return fail(err)
	}
	kb.Index = x
	return kb, nil
}

// openStoredVectors opens the embedded vector store that holds the
// knowledge base's current vectors, if there is one, with an embedder
// that refuses: nothing is embedded without a model.
func openStoredVectors(ctx context.Context, cfg *config, kb *knowledgeBase, opts *index.Options) error {
	if cfg.VectorStore != "embedded" {
		return nil
	}
	space, err := index.StoredSpace(ctx, kb.DB)
	if err != nil {
		return err
	}
	dir := filepath.Join(cfg.DataDir, "index", "vectors", space)
	if st, err := os.Stat(dir); space == "" || err != nil || !st.IsDir() {
		return nil
	}
	store, err := flat.Open(flat.Options{Dir: dir})
	if err != nil {
		return err
	}
	kb.closers = append(kb.closers, store.Close)
	kb.Space = space
	opts.Vectors, opts.Space = store, space
	opts.Embed = func(context.Context, []string) ([][]float32, error) {
		return nil, errors.New("no embedding model: the knowledge base was opened to be copied")
	}
	return nil
}

// openVectorStore opens the store for one embedding space. cleanup drops
// the vectors of other spaces (older models) from the data directory.
func openVectorStore(ctx context.Context, cfg *config, emb embedding) (index.VectorStore, func() error, func(), error) {
	switch cfg.VectorStore {
	case "qdrant":
		s, err := qdrant.Open(ctx, qdrant.Options{URL: cfg.QdrantURL, APIKey: cfg.QdrantAPIKey,
			Collection: "shopdesk_" + emb.space, Dims: emb.dims, Quantization: cfg.QdrantQuant})
		if err != nil {
			return nil, nil, nil, err
		}
		return s, s.Close, func() {}, nil
	default:
		root := filepath.Join(cfg.DataDir, "index", "vectors")
		s, err := flat.Open(flat.Options{Dir: filepath.Join(root, emb.space), Dims: emb.dims})
		if err != nil {
			return nil, nil, nil, err
		}
		cleanup := func() {
			entries, _ := os.ReadDir(root)
			for _, e := range entries {
				if e.IsDir() && e.Name() != emb.space {
					os.RemoveAll(filepath.Join(root, e.Name()))
				}
			}
		}
		return s, s.Close, cleanup, nil
	}
}

// reembedInBackground embeds the knowledge base again after a model
// change, logging progress, and then drops the old vectors.
func reembedInBackground(ctx context.Context, bg *background, kb *knowledgeBase, log *slog.Logger) {
	if !kb.NeedsReembed() {
		return
	}
	bg.Go(ctx, "re-embedding", func(ctx context.Context) {
		start := time.Now()
		log.Info("embedding the knowledge base with the new model; search uses keywords until done", "space", kb.Space)
		if err := kb.Reembed(ctx, nil); err != nil {
			if ctx.Err() != nil {
				log.Info("re-embedding stopped by shutdown; it starts again at the next start")
				return
			}
			log.Error("re-embedding the knowledge base failed; it is retried at the next start", "err", err)
			return
		}
		kb.cleanup()
		log.Info("knowledge base embedded with the new model", "space", kb.Space, "took", time.Since(start).Round(time.Millisecond))
	})
}

// openLocked locks the data directory and opens its knowledge base (with
// a private Ollama if ollama_bin says so) for a command that runs beside
// no server (ingest, search, eval answers), with the Ollama client it
// embeds with; release undoes it all.
func openLocked(ctx context.Context, cfg *config, log *slog.Logger) (kb *knowledgeBase, infer *inference.Client, release func(), err error) {
	unlock, err := lockData(cfg.DataDir)
	if err != nil {
		return nil, nil, nil, err
	}
	defer func() {
		if err != nil {
			unlock()
		}
	}()
	hosts, stopOllama, err := ollamaHosts(ctx, cfg, log)
	if err != nil {
		return nil, nil, nil, err
	}
	defer func() {
		if err != nil {
			stopOllama()
		}
	}()
	infer, err = newInference(cfg, hosts, log)
	if err != nil {
		return nil, nil, nil, err
	}
	cat, err := models.Load(cfg.Path, models.Overrides{ChatTag: cfg.ChatModel, EmbedTag: cfg.EmbedModel})
	if err != nil {
		return nil, nil, nil, err
	}
	if kb, err = openKnowledge(ctx, cfg, infer, cat, log); err != nil {
		return nil, nil, nil, err
	}
	return kb, infer, func() { kb.Close(); stopOllama(); unlock() }, nil
}
