package assistant

import (
	"context"
	"strings"

	"github.com/shopdesk/shopdesk/conversation"
	"github.com/shopdesk/shopdesk/curated"
	"github.com/shopdesk/shopdesk/index"
)

// The answer modes (answer_mode, per tenant).
const (
	// AnswerGenerate: the model answers from the retrieved passages.
	AnswerGenerate = "generate"
	// AnswerFAQFirst: an FAQ entry whose question matches the message as
	// strongly as FAQFirstMatch is the reply, word for word, without the
	// model; otherwise as AnswerGenerate.
	AnswerFAQFirst = "faq_first"
)

// FAQFirstMatch is the curated.Score of a message against an FAQ entry's
// question from which faq_first answers with the entry: the curated
// answers' threshold, measured on near misses with the same score. The
// demo shop's evaluation sets have too few strong matches to set it
// (README, "faq_first"; TestFAQFirstThreshold).
const FAQFirstMatch = curated.StrongMatch

// CuratedMatcher finds a tenant's curated answer for a message;
// *curated.Matcher is one.
type CuratedMatcher interface {
	Match(ctx context.Context, tenant, msg string) (curated.Match, bool, error)
}

// curatedFirst answers with a curated answer that matches the message
// strongly, reporting true when it did; a weaker match is kept for the
// prompt's first source.
func (a *Assistant) curatedFirst(ctx context.Context, t *turn) (Reply, bool, error) {
	if a.opts.Curated == nil {
		return Reply{}, false, nil
	}
	m, ok, err := a.opts.Curated.Match(ctx, t.req.Tenant, t.user.Content)
	if err != nil {
		if ctx.Err() != nil {
			return Reply{}, false, ctx.Err()
		}
		a.log.Warn("curated answers unavailable; answering without them", "tenant", t.req.Tenant, "err", err)
		return Reply{}, false, nil
	}
	switch {
	case !ok || m.Score < curated.WeakMatch:
		return Reply{}, false, nil
	case m.Score < curated.StrongMatch:
		t.curated = &m
		return Reply{}, false, nil
	}
	src := conversation.Source{ID: curated.SourcePrefix + m.Answer.ID, Title: m.Answer.Question, Snippet: snippet(m.Answer.Answer)}
	r, err := a.verbatim(ctx, t, m.Answer.Answer, src)
	return r, true, err
}

// verbatim replies with the merchant's own text, citing it, without the
// model.
func (a *Assistant) verbatim(ctx context.Context, t *turn, text string, src conversation.Source) (Reply, error) {
	if err := t.emit(text); err != nil {
		return Reply{}, err
	}
	t.conv.Unanswered = 0
	t.reply.Answer = text
	t.reply.Sources = []conversation.Source{src}
	t.reply.Outcome = OutcomeCurated
	return a.finish(ctx, t, false)
}

// faqFirst returns the FAQ hit to answer with in faq_first mode: the one
// whose question, or one of its approved learned phrasings, matches the
// message best, if as strongly as FAQFirstMatch.
func (a *Assistant) faqFirst(ctx context.Context, t *turn, hits []index.SearchHit) (index.SearchHit, bool) {
	if a.opts.AnswerMode == nil || a.opts.AnswerMode(t.req.Tenant) != AnswerFAQFirst {
		return index.SearchHit{}, false
	}
	return a.matchingFAQ(ctx, t, hits)
}

// generalAnswer retrieves for the shopper's message and returns the FAQ
// hit that matches it as strongly as faq_first requires, in any answer
// mode. A failed search is no answer.
func (a *Assistant) generalAnswer(ctx context.Context, t *turn) (index.SearchHit, bool) {
	if a.opts.Search == nil {
		return index.SearchHit{}, false
	}
	hits, err := a.retrieve(ctx, t)
	if err != nil {
		return index.SearchHit{}, false
	}
	return a.matchingFAQ(ctx, t, hits)
}

// matchingFAQ returns the FAQ hit whose question, or one of its approved
// learned phrasings, matches the message best, if as strongly as
// FAQFirstMatch.
func (a *Assistant) matchingFAQ(ctx context.Context, t *turn, hits []index.SearchHit) (index.SearchHit, bool) {
	var learned map[string][]string
	if a.opts.Phrasings != nil {
		var ids []string
		for _, h := range hits {
			if h.Kind == index.KindFAQ {
				ids = append(ids, h.DocID)
			}
		}
		var err error
		if learned, err = a.opts.Phrasings(ctx, t.req.Tenant, ids); err != nil {
			a.log.Warn("learned phrasings unavailable; matching FAQ questions alone", "tenant", t.req.Tenant, "err", err)
		}
	}
	return BestFAQ(t.user.Content, hits, learned, FAQFirstMatch)
}

// BestFAQ returns the FAQ hit whose title (its question) or one of its
// learned phrasings matches msg best by curated.Score, if it scores at
// least min.
func BestFAQ(msg string, hits []index.SearchHit, learned map[string][]string, min float64) (index.SearchHit, bool) {
	terms := curated.TermsOf(msg)
	best, score := -1, min
	for i, h := range hits {
		if h.Kind != index.KindFAQ {
			continue
		}
		for _, q := range append([]string{h.Title}, learned[h.DocID]...) {
			if s := curated.Score(terms, curated.TermsOf(q)); s >= score {
				best, score = i, s
			}
		}
	}
	if best < 0 {
		return index.SearchHit{}, false
	}
	return hits[best], true
}

// withCurated puts a weakly matching curated answer first among the
// passages the model answers from.
func withCurated(t *turn, hits []index.SearchHit) []index.SearchHit {
	if t.curated == nil {
		return hits
	}
	c := index.SearchHit{Chunk: index.Chunk{DocID: curated.SourcePrefix + t.curated.Answer.ID, Title: t.curated.Answer.Question,
		Text: strings.TrimSpace(t.curated.Answer.Answer), Kind: "curated", Lang: t.curated.Answer.Lang}}
	return append([]index.SearchHit{c}, hits...)
}

// TermsScore is curated.ScoreText: how well msg matches an FAQ question.
func TermsScore(msg, question string) float64 { return curated.ScoreText(msg, question) }
