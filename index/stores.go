package index

import "context"

// KeywordDoc is what the keyword index holds for one chunk.
type KeywordDoc struct {
	Key   string
	DocID string
	// Title is the document title and the chunk's section headings, which
	// weigh more than the body in ranking.
	Title string
	Text  string
	Kind  string
	Lang  string
	Tags  []string
	// Phrasings are approved shopper phrasings of the document, indexed
	// in a field of their own weight.
	Phrasings []string
}

// KeywordIndex is full-text search over chunks, kept apart per tenant.
// keyword.Index is one.
type KeywordIndex interface {
	// Apply removes and adds chunks of one tenant in one atomic step: after
	// a crash either all of it is in the index or none of it is.
	Apply(ctx context.Context, tenant string, remove []string, add []KeywordDoc) error
	// Search returns the best k chunk keys for query, best first.
	Search(ctx context.Context, tenant, query string, k int) ([]Ranked, error)
}

// VectorPoint is one chunk's embedding.
type VectorPoint struct {
	Key    string
	DocID  string
	Vector []float32
}

// VectorStore is nearest-neighbour search over chunk embeddings by cosine
// similarity, kept apart per tenant. flat.Store and qdrant.Store are two.
type VectorStore interface {
	// Upsert adds or replaces points; it returns once they are durable.
	Upsert(ctx context.Context, tenant string, points []VectorPoint) error
	// Delete removes points by chunk key; unknown keys are ignored.
	Delete(ctx context.Context, tenant string, keys []string) error
	// Search returns the k keys nearest to vector, best first, with their
	// cosine similarity.
	Search(ctx context.Context, tenant string, vector []float32, k int) ([]Ranked, error)
	// Clear removes every point of every tenant.
	Clear(ctx context.Context) error
}

// VectorReader is a VectorStore that gives back the vectors it holds.
// flat.Store and qdrant.Store are two. With one, the embedding cache is the
// store itself: a chunk whose text another chunk of the tenant already has
// reuses that chunk's stored vector, and no second copy is kept.
type VectorReader interface {
	// Vectors returns the tenant's vectors, scaled to unit length, for
	// those of keys it holds; unknown keys are left out.
	Vectors(ctx context.Context, tenant string, keys []string) (map[string][]float32, error)
}

// EmbedFunc turns texts into vectors, one per text, in order.
type EmbedFunc func(ctx context.Context, texts []string) ([][]float32, error)
