package main

import (
	"context"
	"log/slog"
	"strings"

	"github.com/shopdesk/shopdesk/curated"
	"github.com/shopdesk/shopdesk/index"
	"github.com/shopdesk/shopdesk/learning"
)

// openLearned opens the curated answers and the learned phrasings beside
// the knowledge base, before its index (whose keyword chunks carry the
// approved phrasings): a learned phrasing of a document is indexed with
// it, one of a curated answer joins that answer's alternates.
func openLearned(ctx context.Context, cfg *config, kb *knowledgeBase, log *slog.Logger) error {
	store, err := curated.Open(ctx, kb.DB)
	if err != nil {
		return err
	}
	kb.Curated = store
	ph, err := learning.Open(ctx, learning.Options{
		DB:        kb.DB,
		Mode:      cfg.learnPhrasings,
		Learnable: kb.learnable,
		Changed: func(ctx context.Context, tenant, docID string) error {
			if strings.HasPrefix(docID, curated.SourcePrefix) {
				kb.Matcher.Invalidate(tenant)
				return nil
			}
			_, err := kb.Reindex(ctx, tenant, docID)
			return err
		},
		Logger: log,
	})
	if err != nil {
		return err
	}
	kb.Phrasings = ph
	kb.Matcher = curated.NewMatcher(store, ph.Phrasings)
	return nil
}

// learnable accepts phrasings learned for FAQ entries and curated answers,
// and staff's for any document or curated answer that exists.
func (kb *knowledgeBase) learnable(ctx context.Context, tenant, docID, source string) (bool, error) {
	if id, ok := strings.CutPrefix(docID, curated.SourcePrefix); ok {
		_, found, err := kb.Curated.Get(ctx, tenant, id)
		return found, err
	}
	d, found, err := kb.Document(ctx, tenant, docID)
	if err != nil || !found {
		return false, err
	}
	return source == learning.SourceStaff || d.Kind == index.KindFAQ, nil
}

// curatedAnswers is the curated store as the API sees it: deleting an
// answer forgets its learned phrasings too.
type curatedAnswers struct {
	*curated.Store
	phrasings *learning.Phrasings
}

// Delete removes the answer and its learned phrasings.
func (c curatedAnswers) Delete(ctx context.Context, tenant, id string) (bool, error) {
	ok, err := c.Store.Delete(ctx, tenant, id)
	if err != nil || !ok {
		return ok, err
	}
	return true, c.phrasings.Forget(ctx, tenant, curated.SourcePrefix+id)
}
