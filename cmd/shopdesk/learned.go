package main

import (
	"context"
	"errors"
	"log/slog"
	"strings"
	"time"

	"github.com/shopdesk/shopdesk/conversation"
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

// proposer turns confirmed answers into phrasing candidates: a thumbs up
// at once, and (learn_confirm thumbs_up_or_quiet_end) conversations that
// ended quietly after an answer, swept in the background.
type proposer struct {
	cfg       *config
	phrasings *learning.Phrasings
	convs     *conversation.Store
	log       *slog.Logger
}

// rated proposes the question of an answer rated up as a phrasing of the
// answer's first source.
func (p *proposer) rated(ctx context.Context, f conversation.Feedback) {
	if f.Rating != conversation.RatingUp || len(f.Sources) == 0 || strings.TrimSpace(f.Question) == "" {
		return
	}
	p.propose(ctx, f.Tenant, f.Sources[0].ID, f.Question, learning.SourceFeedback)
}

func (p *proposer) propose(ctx context.Context, tenant, docID, question, source string) {
	err := p.phrasings.Propose(ctx, tenant, docID, question, source)
	if err != nil && !errors.Is(err, learning.ErrNotFound) && !errors.Is(err, learning.ErrInvalid) {
		p.log.Warn("could not keep a confirmed question as a phrasing", "tenant", tenant, "doc", docID, "err", err)
	}
}

// quietAfter is how long a conversation must be silent to have ended.
const quietAfter = 30 * time.Minute

// sweep proposes the last exchanges of conversations that ended quietly
// since the last sweep, every few minutes until ctx ends. Proposing is
// idempotent, so a restart that sweeps some again does no harm.
func (p *proposer) sweep(ctx context.Context) {
	since := time.Now().Add(-24 * time.Hour)
	tick := time.NewTicker(5 * time.Minute)
	defer tick.Stop()
	for {
		until := time.Now().Add(-quietAfter)
		tenants, err := p.convs.Tenants(ctx, since)
		for _, t := range tenants {
			if p.cfg.learnConfirm(t) != learning.ConfirmQuietEnd {
				continue
			}
			items, err := p.convs.List(ctx, t, conversation.Filter{From: since, To: until, Limit: 500})
			if err != nil {
				p.log.Warn("could not read ended conversations", "tenant", t, "err", err)
				continue
			}
			for _, it := range items {
				conv, err := p.convs.Load(ctx, t, it.ID)
				if err != nil {
					continue
				}
				for _, c := range learning.ConfirmedTurns(conv, learning.ConfirmQuietEnd) {
					p.propose(ctx, t, c.DocID, c.Question, learning.SourceQuietEnd)
				}
			}
		}
		if err == nil {
			since = until
		}
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
	}
}
