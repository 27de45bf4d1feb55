package main

import (
	"context"
	"log/slog"
	"time"

	"github.com/shopdesk/shopdesk/actions"
	"github.com/shopdesk/shopdesk/catalog"
	"github.com/shopdesk/shopdesk/commerce"
	"github.com/shopdesk/shopdesk/index"
	"github.com/shopdesk/shopdesk/recommend"
)

// shopCaches keeps each tenant's catalog snapshot and recommendation
// statistics in memory, so that a turn never loads the catalog or the
// shop's orders: the embedded store's are reloaded after an import that
// changes them, the merchant API's every catalog_ttl, in the background.
func shopCaches(cfg *config, shop commerce.Connector, log *slog.Logger) (*catalog.Cache[*catalog.Snapshot], *catalog.Cache[*recommend.Shop]) {
	refresh := catalog.Refresh{TTL: cfg.CatalogTTL}
	if v, ok := shop.(interface{ Version(tenant string) uint64 }); ok {
		refresh = catalog.Refresh{Version: v.Version}
	}
	snaps := catalog.NewCache(catalog.CacheOptions[*catalog.Snapshot]{
		Load: catalog.Load(shop.Products), Refresh: refresh, OnError: loadFailed(log, "the catalog")})
	stats := catalog.NewCache(catalog.CacheOptions[*recommend.Shop]{
		Load: actions.RecommenderLoader(shop, snaps.Get), Refresh: refresh, OnError: loadFailed(log, "the order statistics")})
	return snaps, stats
}

// documentCatalog keeps, without a commerce connector, a catalog of the
// product documents in the knowledge base (their titles are the names),
// re-read every 30 seconds: the grounding check and the assistant's
// memory know products by it.
func documentCatalog(x *index.Index, log *slog.Logger) *catalog.Cache[*catalog.Snapshot] {
	load := func(ctx context.Context, t string) (*catalog.Snapshot, error) {
		var ps []commerce.Product
		for after := ""; ; {
			docs, err := x.Documents(ctx, t, index.KindProduct, after, 500)
			if err != nil {
				return nil, err
			}
			for _, d := range docs {
				ps = append(ps, commerce.Product{SKU: d.ID, Name: d.Title})
			}
			if len(docs) < 500 {
				return catalog.New(ps), nil
			}
			after = docs[len(docs)-1].ID
		}
	}
	return catalog.NewCache(catalog.CacheOptions[*catalog.Snapshot]{Load: load, Refresh: catalog.Refresh{TTL: 30 * time.Second},
		OnError: loadFailed(log, "the product documents")})
}

// productSearch searches a tenant's product documents with the keyword
// index, for actions.Options.ProductSearch: the knowledge base's second
// opinion on which product an ambiguous kind means. Keyword only: it
// runs inside a turn, and the words the catalog did not read are what
// it is asked about.
func productSearch(x *index.Index) func(ctx context.Context, tenant, query string, k int) ([]catalog.SearchHit, error) {
	return func(ctx context.Context, tenant, query string, k int) ([]catalog.SearchHit, error) {
		res, err := x.Search(ctx, tenant, query, index.SearchOptions{Mode: index.ModeKeyword, K: min(3*k, 100)})
		if err != nil {
			return nil, err
		}
		var out []catalog.SearchHit
		for _, h := range res.Hits {
			if h.Kind == index.KindProduct && len(out) < k {
				out = append(out, catalog.SearchHit{ID: h.DocID, Title: h.Title, Score: h.Scores[index.Keyword]})
			}
		}
		return out, nil
	}
}

// loadFailed logs a failed load of what.
func loadFailed(log *slog.Logger, what string) func(string, error) {
	return func(t string, err error) {
		log.Warn("could not load "+what+"; the last one loaded, if any, serves", "tenant", t, "err", err)
	}
}
