package index_test

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"sync/atomic"
	"testing"

	"github.com/shopdesk/shopdesk/index"
)

// batch returns the documents of ingest batch b: each holds a word of
// its own, so a search finds exactly it.
func batch(b int) []index.Document {
	docs := make([]index.Document, 10)
	for i := range docs {
		n := b*10 + i
		docs[i] = index.Document{ID: fmt.Sprint("doc-", n), Title: fmt.Sprint("Care guide ", n),
			Text: fmt.Sprintf("Wash the jacket cold. Reference word zq%dx for item %d.", n, n), Kind: index.KindPolicy}
	}
	return docs
}

// A backup taken while documents are being ingested restores to a
// consistent store: it holds whole ingests only, every document in it is
// searchable, and it answers searches as the source did at that moment.
func TestBackupDuringIngest(t *testing.T) {
	ctx := context.Background()
	const batches = 8 // 80 documents: a search for 100 returns every match
	src := newEnv(t, t.TempDir(), "bow", nil)
	src.ingest(t, "globex", []index.Document{{ID: "g", Title: "Globex returns", Text: "Return within 14 days."}})

	var done atomic.Int64
	started := make(chan struct{})
	ingested := make(chan error, 1)
	go func() {
		for b := range batches {
			if _, err := src.index.Ingest(ctx, "acme", batch(b), nil); err != nil {
				ingested <- err
				return
			}
			if done.Add(1) == 2 {
				close(started)
			}
		}
		ingested <- nil
	}()
	<-started
	copyDir := t.TempDir()
	info, err := src.index.Backup(ctx, index.BackupPaths{DB: filepath.Join(copyDir, "shopdesk.db"),
		Keyword: filepath.Join(copyDir, "keyword"), Vectors: filepath.Join(copyDir, "vectors", "bow")})
	if err != nil {
		t.Fatal(err)
	}
	if err := <-ingested; err != nil {
		t.Fatal(err)
	}

	restored := newEnv(t, copyDir, "bow", nil)
	if restored.index.NeedsReembed() || info.Space != "bow" {
		t.Errorf("vectors not restored: space %q, needs re-embedding %v", info.Space, restored.index.NeedsReembed())
	}
	docs, _, err := restored.index.Count(ctx, "acme")
	if err != nil {
		t.Fatal(err)
	}
	k := docs / 10
	if docs%10 != 0 || k < 2 || docs != info.Documents["acme"] || info.Documents["globex"] != 1 {
		t.Fatalf("the copy holds %d acme documents (info %+v): want whole batches, at least 2", docs, info)
	}
	t.Logf("the backup holds %d of %d batches", k, batches)

	// Every document in it is searchable, by keyword and by vector;
	// none from a later batch is there.
	for n := range k * 10 {
		word := fmt.Sprintf("zq%dx", n)
		for _, mode := range []string{index.ModeKeyword, index.ModeVector} {
			res, err := restored.index.Search(ctx, "acme", word, index.SearchOptions{Mode: mode, K: 10})
			if err != nil || !slices.Contains(docIDs(res.Hits), fmt.Sprint("doc-", n)) {
				t.Fatalf("%s search for %s in the copy: %v %v", mode, word, docIDs(res.Hits), err)
			}
		}
	}
	if _, ok, _ := restored.index.Document(ctx, "acme", fmt.Sprint("doc-", k*10)); ok && k < batches {
		t.Errorf("the copy holds a document of batch %d", k+1)
	}

	// The source as it was then, rebuilt the same way, answers as the
	// copy does: the same documents with the same scores (every match is
	// asked for, so that ties cannot reorder what is cut off).
	ref := newEnv(t, t.TempDir(), "bow", nil)
	ref.ingest(t, "globex", []index.Document{{ID: "g", Title: "Globex returns", Text: "Return within 14 days."}})
	for b := range k {
		ref.ingest(t, "acme", batch(b))
	}
	for _, q := range []string{"wash the jacket", "zq1x zq12x zq25x", "care guide 7", "item 20 cold"} {
		for _, mode := range []string{index.ModeKeyword, index.ModeVector, index.ModeHybrid} {
			want, err1 := ref.index.Search(ctx, "acme", q, index.SearchOptions{Mode: mode, K: 100})
			got, err2 := restored.index.Search(ctx, "acme", q, index.SearchOptions{Mode: mode, K: 100})
			if err1 != nil || err2 != nil || len(got.Hits) == 0 || !slices.Equal(scored(got.Hits, mode), scored(want.Hits, mode)) {
				t.Errorf("%s %q: the copy answers %v, the source answered %v (%v %v)", mode, q, scored(got.Hits, mode), scored(want.Hits, mode), err2, err1)
			}
		}
	}
	if res, err := restored.index.Search(ctx, "globex", "return", index.SearchOptions{Mode: index.ModeKeyword}); err != nil || len(res.Hits) != 1 {
		t.Errorf("globex in the copy: %v %v", docIDs(res.Hits), err)
	}
}

// Without a vector store to copy (vectors in Qdrant, or none), the copy
// says its vectors are out of date, so a server opening it with a vector
// store embeds the chunks again: the vector store is the only copy of the
// vectors, so that asks the model.
func TestBackupWithoutVectors(t *testing.T) {
	ctx := context.Background()
	src := newEnv(t, t.TempDir(), "bow", nil)
	src.ingest(t, "acme", shop)
	copyDir := t.TempDir()
	info, err := src.index.Backup(ctx, index.BackupPaths{DB: filepath.Join(copyDir, "shopdesk.db"), Keyword: filepath.Join(copyDir, "keyword")})
	if err != nil || info.Space != "" {
		t.Fatalf("backup: %+v %v", info, err)
	}
	restored := newEnv(t, copyDir, "bow", nil)
	if !restored.index.NeedsReembed() {
		t.Fatal("the copy's vectors were taken as current")
	}
	if err := restored.index.Reembed(ctx, nil); err != nil {
		t.Fatal(err)
	}
	if restored.emb.calls.Load() == 0 {
		t.Error("re-embedding the copy never asked the model for its vectors")
	}
	res, err := restored.index.Search(ctx, "acme", "how long to return", index.SearchOptions{Mode: index.ModeVector})
	if err != nil || len(res.Hits) == 0 {
		t.Errorf("vector search in the re-embedded copy: %v %v", docIDs(res.Hits), err)
	}
	if _, err := src.index.Backup(ctx, index.BackupPaths{DB: filepath.Join(copyDir, "shopdesk.db"), Keyword: filepath.Join(copyDir, "k2")}); err == nil {
		t.Error("a backup over an existing database copy succeeded")
	}
}

// scored lists the hits' documents, each with its retriever's score in
// keyword and vector mode (fused scores depend on how ties are ranked),
// in document order.
func scored(hits []index.SearchHit, mode string) []string {
	var out []string
	for _, h := range hits {
		if mode == index.ModeHybrid {
			out = append(out, h.DocID)
			continue
		}
		out = append(out, fmt.Sprintf("%s:%.5f", h.DocID, h.Scores[mode]))
	}
	slices.Sort(out)
	return out
}
