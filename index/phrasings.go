package index

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/shopdesk/shopdesk/tenant"
)

// PhrasingSource supplies the approved shopper phrasings of documents,
// which the keyword index holds with each of the document's chunks in a
// field of their own. The source keeps them by document ID, so they
// survive a re-ingest; learning.Phrasings is one.
type PhrasingSource interface {
	// Phrasings returns the approved phrasings of the tenant's documents
	// among docIDs, by document ID.
	Phrasings(ctx context.Context, tenant string, docIDs []string) (map[string][]string, error)
	// Forget drops the phrasings of a document that was deleted.
	Forget(ctx context.Context, tenant, docID string) error
}

// phrasingsFor returns the approved phrasings of the batch's documents;
// without a source, none.
func (x *Index) phrasingsFor(ctx context.Context, t string, batch []*prepared) (map[string][]string, error) {
	if x.opts.Phrasings == nil {
		return nil, nil
	}
	ids := make([]string, len(batch))
	for i, p := range batch {
		ids[i] = p.doc.ID
	}
	ph, err := x.opts.Phrasings.Phrasings(ctx, t, ids)
	if err != nil {
		return nil, fmt.Errorf("index phrasings: %w", err)
	}
	return ph, nil
}

// Reindex writes a document's chunks to the keyword index again with its
// current phrasings, after they changed. Only the keyword index is
// touched: the phrasings are not embedded, so nothing is embedded again.
// It reports false if the tenant has no such document.
func (x *Index) Reindex(ctx context.Context, t, docID string) (bool, error) {
	if err := tenant.Validate(t); err != nil {
		return false, err
	}
	x.writeMu.Lock()
	defer x.writeMu.Unlock()
	chunks, tags, ok, err := x.reg.docChunks(ctx, t, docID)
	if err != nil || !ok {
		return false, err
	}
	var ph map[string][]string
	if x.opts.Phrasings != nil {
		if ph, err = x.opts.Phrasings.Phrasings(ctx, t, []string{docID}); err != nil {
			return false, fmt.Errorf("index phrasings: %w", err)
		}
	}
	add := make([]KeywordDoc, len(chunks))
	for i := range chunks {
		add[i] = keywordDoc(&chunks[i], tags, ph[docID])
	}
	if err := x.opts.Keyword.Apply(ctx, t, nil, add); err != nil {
		return false, err
	}
	return true, nil
}

// docChunks returns the current chunks of a document and its tags.
func (r *registry) docChunks(ctx context.Context, t, docID string) ([]Chunk, []string, bool, error) {
	rows, err := r.db.QueryContext(ctx, `SELECT c.gen, c.pos, c.heading, c.text, d.title, d.url, d.kind, d.lang, d.tags
		FROM chunks c JOIN documents d ON d.tenant = c.tenant AND d.doc_id = c.doc_id AND d.gen = c.gen
		WHERE c.tenant = ? AND c.doc_id = ? ORDER BY c.pos`, t, docID)
	if err != nil {
		return nil, nil, false, err
	}
	defer rows.Close()
	var out []Chunk
	var tags []string
	for rows.Next() {
		c := Chunk{Tenant: t, DocID: docID}
		var rawTags string
		if err := rows.Scan(&c.Gen, &c.Position, &c.Heading, &c.Text, &c.Title, &c.URL, &c.Kind, &c.Lang, &rawTags); err != nil {
			return nil, nil, false, err
		}
		tags = nil
		json.Unmarshal([]byte(rawTags), &tags)
		out = append(out, c)
	}
	return out, tags, len(out) > 0, rows.Err()
}
