package catalog

import (
	"context"
	"fmt"
	"slices"

	"github.com/shopdesk/shopdesk/commerce"
)

// SearchHit is a product document the knowledge index found.
type SearchHit struct {
	// ID is the document's ID (a product document's is its SKU when the
	// catalog was ingested from the shop's export) and Title its title
	// (the product's name); either finds the product.
	ID, Title string
	// Score is the retriever's own score (BM25); only its order among
	// one search's hits means anything.
	Score float64
}

// Searcher finds product documents for a query, best first, at most k.
// The server's is a keyword search of the tenant's knowledge index
// restricted to documents of kind product.
type Searcher func(ctx context.Context, query string, k int) ([]SearchHit, error)

// searchK is how many product documents Lookup asks for.
const searchK = 10

// decisive is how far ahead of the next candidate's the best candidate's
// document must score for the index to settle an ambiguity.
const decisive = 1.25

// Lookup is Match with the knowledge index as a second opinion where the
// catalog alone cannot decide: the message names a kind several products
// share and says more than the catalog reads ("the jacket with pit
// zips", "the bottle that keeps drinks cold"). The index's product
// documents (descriptions and synonyms in both languages) then choose
// among the catalog's candidates: the best-scoring one wins if its
// document scores clearly ahead of the next candidate's. The index never
// brings in a product the catalog did not offer, so a message about no
// product stays about none (asked to, it read "I was charged twice for
// my order" as the boot tagged pre-order), and a bare kind ("do you sell
// headlamps?") is still asked about.
//
// search may be nil, and then Lookup is Match. When the search fails,
// Lookup returns the catalog's Match with the error.
func (s *Snapshot) Lookup(ctx context.Context, message, current string, search Searcher) (Match, error) {
	m := s.Match(message, current)
	if search == nil || !m.Ambiguous || m.unread == 0 {
		return m, nil
	}
	cands := []int{s.indexOf(m.Product)}
	for _, p := range m.Alternatives {
		cands = append(cands, s.indexOf(p))
	}
	hits, err := search(ctx, message, searchK)
	if err != nil {
		return m, fmt.Errorf("search product documents: %w", err)
	}
	best, bestScore, next := -1, 0.0, 0.0
	for _, h := range hits {
		i, ok := s.Index(h.ID)
		if !ok {
			p, named := s.Named(h.Title)
			if !named {
				continue
			}
			i = s.indexOf(p)
		}
		switch {
		case !slices.Contains(cands, i):
		case best < 0:
			best, bestScore = i, h.Score
		case i != best && next == 0:
			next = h.Score
		}
	}
	if best < 0 || next > 0 && bestScore < decisive*next {
		return m, nil
	}
	m.Product, m.Via, m.Ambiguous, m.Alternatives = s.products[best], ViaSearch, false, nil
	m.Confidence = 0.6
	return m, nil
}

// indexOf is the position of p, a product of s, in Products.
func (s *Snapshot) indexOf(p commerce.Product) int {
	i, _ := s.Index(p.SKU)
	return i
}
