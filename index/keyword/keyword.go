// Package keyword is shopdesk's full-text search: one Bleve index per
// tenant, with Chinese and English analysis and BM25 scoring.
//
// Each tenant's chunks live in an index of their own, so no query can
// reach another merchant's documents and word statistics (IDF) are each
// merchant's own.
package keyword

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search/query"

	"github.com/shopdesk/shopdesk/index"
	"github.com/shopdesk/shopdesk/tenant"
)

// Query weights, measured on English and Chinese FAQ retrieval (README):
// a match in the title counts twice (the body holds the title too),
// synonyms of the query's words 0.3, near spellings of its longer words
// 0.2. A match in the phrasings shoppers were seen to use for the
// document (learned or attached by staff) counts PhrasingWeight, 3: the
// best of 1, 2, 3, 4 and 6 on the dev halves of both paraphrase sets
// (README, "Learned phrasings").
const (
	synonymWeight = 0.3
	fuzzyWeight   = 0.2
)

// PhrasingWeight is the boost of the phrasings field; a variable so the
// measurement can try others (not to be set while searching).
var PhrasingWeight = 3.0

// maxQueryRunes bounds the work one query can cause.
const maxQueryRunes = 1000

// Index holds the tenants' Bleve indexes under one directory. It is safe
// for concurrent use.
type Index struct {
	dir string

	mu     sync.Mutex
	open   map[string]bleve.Index
	closed bool
}

// Open uses dir (created if missing) for the tenants' indexes, which are
// opened on first use.
func Open(dir string) (*Index, error) {
	register()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("keyword index: %w", err)
	}
	return &Index{dir: dir, open: map[string]bleve.Index{}}, nil
}

// Close closes every open tenant index.
func (x *Index) Close() error {
	x.mu.Lock()
	defer x.mu.Unlock()
	x.closed = true
	var errs []error
	for t, idx := range x.open {
		errs = append(errs, idx.Close())
		delete(x.open, t)
	}
	return errors.Join(errs...)
}

// tenantIndex returns the tenant's index, creating it when create is set;
// without create, a tenant with no index yields nil.
func (x *Index) tenantIndex(t string, create bool) (bleve.Index, error) {
	if err := tenant.Validate(t); err != nil {
		return nil, err
	}
	x.mu.Lock()
	defer x.mu.Unlock()
	if x.closed {
		return nil, errors.New("keyword index is closed")
	}
	if idx, ok := x.open[t]; ok {
		return idx, nil
	}
	path := filepath.Join(x.dir, t)
	idx, err := bleve.Open(path)
	switch {
	case err == nil:
		addPhrasingsField(idx)
	case errors.Is(err, bleve.ErrorIndexPathDoesNotExist) || errors.Is(err, bleve.ErrorIndexMetaMissing):
		if !create {
			return nil, nil
		}
		m, merr := newMapping()
		if merr != nil {
			return nil, merr
		}
		if idx, err = bleve.New(path, m); err != nil {
			return nil, fmt.Errorf("create keyword index for %s: %w", t, err)
		}
	default:
		return nil, fmt.Errorf("open keyword index for %s: %w", t, err)
	}
	x.open[t] = idx
	return idx, nil
}

// doc is what Bleve indexes for a chunk; its document ID is the chunk key.
type doc struct {
	DocID string   `json:"doc_id"`
	Title string   `json:"title"`
	Body  string   `json:"body"`
	Kind  string   `json:"kind"`
	Lang  string   `json:"lang"`
	Tags  []string `json:"tags"`
	// Phrasings are the questions shoppers were seen to ask for the
	// document, one per line.
	Phrasings string `json:"phrasings,omitempty"`
}

// Apply removes and adds chunks in one Bleve batch, which is atomic and
// durable when Apply returns.
func (x *Index) Apply(ctx context.Context, t string, remove []string, add []index.KeywordDoc) error {
	if len(remove) == 0 && len(add) == 0 {
		return nil
	}
	idx, err := x.tenantIndex(t, len(add) > 0)
	if err != nil || idx == nil {
		return err
	}
	b := idx.NewBatch()
	for _, k := range remove {
		b.Delete(k)
	}
	for _, d := range add {
		if err := b.Index(d.Key, doc{DocID: d.DocID, Title: d.Title, Body: d.Title + "\n" + d.Text, Kind: d.Kind, Lang: d.Lang, Tags: d.Tags,
			Phrasings: strings.Join(d.Phrasings, "\n")}); err != nil {
			return fmt.Errorf("keyword index %s: %w", d.Key, err)
		}
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := idx.Batch(b); err != nil {
		return fmt.Errorf("keyword index batch for %s: %w", t, err)
	}
	return nil
}

// Search ranks the tenant's chunks for q by BM25, any word matching: in
// the body, again in the title, and, weighted less, synonyms of the query's
// words and near spellings of its longer words (in large indexes, only of
// those the index does not know).
func (x *Index) Search(ctx context.Context, t, q string, k int) ([]index.Ranked, error) {
	idx, err := x.tenantIndex(t, false)
	if err != nil || idx == nil {
		return nil, err
	}
	if utf8.RuneCountInString(q) > maxQueryRunes {
		q = string([]rune(q)[:maxQueryRunes])
	}
	req := bleve.NewSearchRequestOptions(buildQuery(idx, q), k, 0, false)
	res, err := idx.SearchInContext(ctx, req)
	if err != nil {
		return nil, fmt.Errorf("keyword search for %s: %w", t, err)
	}
	out := make([]index.Ranked, 0, len(res.Hits))
	for _, h := range res.Hits {
		out = append(out, index.Ranked{Key: h.ID, Score: h.Score})
	}
	return out, nil
}

func match(text, field string, boost float64) *query.MatchQuery {
	m := bleve.NewMatchQuery(text)
	m.SetField(field)
	m.Analyzer = analyzerName
	m.SetBoost(boost)
	return m
}

// newQuery matches q in the body and again in the title, and at lower
// weights synonyms of its words and near spellings of the fuzzy words.
func newQuery(q, fuzzy string) query.Query {
	d := bleve.NewDisjunctionQuery(match(q, "body", 1), match(q, "title", 1))
	if PhrasingWeight > 0 {
		d.AddQuery(match(q, "phrasings", PhrasingWeight))
	}
	if syn := expand(q); syn != "" {
		d.AddQuery(match(syn, "body", synonymWeight))
	}
	if fuzzy != "" {
		f := match(fuzzy, "body", fuzzyWeight)
		f.SetFuzziness(1)
		d.AddQuery(f)
	}
	return d
}

// Indexes of largeIndex chunks or more trade a little of the query for
// speed. Near spellings are sought only for words the index does not
// know (typos), not for every longer word (which also catches misspelt
// real words and inflections: "returns" for "return"). And the query's
// common words are kept out of the choice of candidates (after Lucene's
// CommonTermsQuery): a word in more than commonFraction of the chunks
// barely tells them apart but costs a walk through most of the index.
// Only chunks holding at least one of the query's rarer words are scored,
// by the full query, so their ranking is the one they would get anyway.
var (
	largeIndex     uint64 = 10000
	commonFraction        = 0.05
)

// buildQuery returns the query for q against idx.
func buildQuery(idx bleve.Index, q string) query.Query {
	n, err := idx.DocCount()
	if err != nil || n < largeIndex {
		return newQuery(q, fuzzyWords(q))
	}
	typos := unknownWords(idx, fuzzyWords(q))
	full := newQuery(q, typos)
	a := idx.Mapping().AnalyzerNamed(analyzerName)
	if a == nil {
		return full
	}
	limit := uint64(commonFraction * float64(n))
	var rare []query.Query
	common := false
	seen := map[string]bool{}
	for _, tok := range a.Analyze([]byte(q + "\n" + expand(q))) {
		term := string(tok.Term)
		if seen[term] {
			continue
		}
		seen[term] = true
		if docFreq(idx, "body", term) > limit {
			common = true
			continue
		}
		// The body holds the title, so the body's postings cover both;
		// phrasings are apart.
		for _, field := range []string{"body", "phrasings"} {
			tq := bleve.NewTermQuery(term)
			tq.SetField(field)
			rare = append(rare, tq)
		}
	}
	if typos != "" {
		f := match(typos, "body", 1)
		f.SetFuzziness(1)
		rare = append(rare, f)
	}
	if !common || len(rare) == 0 {
		// Nothing to leave out, or nothing rare to choose by.
		return full
	}
	candidates := bleve.NewDisjunctionQuery(rare...)
	candidates.SetBoost(0) // chooses; the full query alone scores
	b := bleve.NewBooleanQuery()
	b.AddMust(candidates)
	b.AddShould(full)
	return b
}

// docFreq returns how many chunks hold term in field.
func docFreq(idx bleve.Index, field, term string) uint64 {
	dict, err := idx.FieldDictRange(field, []byte(term), []byte(term))
	if err != nil {
		return 0
	}
	defer dict.Close()
	entry, err := dict.Next()
	if err != nil || entry == nil {
		return 0
	}
	return entry.Count
}

// unknownWords keeps the words the index's body field has never seen:
// likely typos, worth a fuzzy match. Known words are not, which spares a
// costly expansion for most queries.
func unknownWords(idx bleve.Index, words string) string {
	var out []string
	for _, w := range strings.Fields(strings.ToLower(words)) {
		dict, err := idx.FieldDictRange("body", []byte(w), []byte(w))
		if err != nil {
			continue
		}
		entry, err := dict.Next()
		dict.Close()
		if err == nil && entry == nil {
			out = append(out, w)
		}
	}
	return strings.Join(out, " ")
}

// Count returns the number of chunks in the tenant's index.
func (x *Index) Count(t string) (uint64, error) {
	idx, err := x.tenantIndex(t, false)
	if err != nil || idx == nil {
		return 0, err
	}
	return idx.DocCount()
}
