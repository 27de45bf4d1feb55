package curated

import (
	"context"
	"fmt"
	"sync"
)

// SourcePrefix starts the source ID of a curated answer: "curated:<id>".
// Learned phrasings of a curated answer are kept under that ID too.
const SourcePrefix = "curated:"

// Match is the curated answer that best matches a message.
type Match struct {
	Answer Answer
	// Phrasing is the question, alternate or learned phrasing that
	// matched best.
	Phrasing string
	// Score is Score of the message against Phrasing, 0 to 1.
	Score float64
}

// Matcher finds the curated answer a message asks for. It keeps each
// tenant's answers analysed in memory, reloading them after the store
// changes. It is safe for concurrent use.
type Matcher struct {
	store *Store
	// learned returns approved learned phrasings by source ID
	// (SourcePrefix+id); nil means none.
	learned func(ctx context.Context, tenant string, ids []string) (map[string][]string, error)

	mu    sync.Mutex
	cache map[string]*tenantSet
}

type tenantSet struct {
	version int64
	stale   bool
	entries []entry
}

type entry struct {
	answer   *Answer
	phrasing string
	terms    Terms
}

// NewMatcher matches against store's answers and, if learned is not nil,
// the approved phrasings it returns for them (learning.Phrasings'
// Phrasings).
func NewMatcher(store *Store, learned func(ctx context.Context, tenant string, ids []string) (map[string][]string, error)) *Matcher {
	return &Matcher{store: store, learned: learned, cache: map[string]*tenantSet{}}
}

// Invalidate makes the next match reload the tenant's answers, after
// their learned phrasings changed.
func (m *Matcher) Invalidate(tenant string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if s := m.cache[tenant]; s != nil {
		s.stale = true
	}
}

// Match returns the tenant's curated answer that best matches msg, and
// false when the tenant has none sharing a term with it.
func (m *Matcher) Match(ctx context.Context, tenant, msg string) (Match, bool, error) {
	set, err := m.set(ctx, tenant)
	if err != nil {
		return Match{}, false, err
	}
	terms := TermsOf(msg)
	var best Match
	var found bool
	for _, e := range set.entries {
		if s := Score(terms, e.terms); s > best.Score {
			best, found = Match{Answer: *e.answer, Phrasing: e.phrasing, Score: s}, true
		}
	}
	return best, found, nil
}

func (m *Matcher) set(ctx context.Context, tenant string) (*tenantSet, error) {
	v := m.store.versionOf(tenant)
	m.mu.Lock()
	s := m.cache[tenant]
	m.mu.Unlock()
	if s != nil && s.version == v && !s.stale {
		return s, nil
	}
	answers, err := m.store.List(ctx, tenant, "", 0)
	if err != nil {
		return nil, err
	}
	var learned map[string][]string
	if m.learned != nil && len(answers) > 0 {
		ids := make([]string, len(answers))
		for i, a := range answers {
			ids[i] = SourcePrefix + a.ID
		}
		if learned, err = m.learned(ctx, tenant, ids); err != nil {
			return nil, fmt.Errorf("curated answers' learned phrasings: %w", err)
		}
	}
	s = &tenantSet{version: v}
	for i := range answers {
		a := &answers[i]
		for _, p := range append(append([]string{a.Question}, a.Alternates...), learned[SourcePrefix+a.ID]...) {
			s.entries = append(s.entries, entry{answer: a, phrasing: p, terms: TermsOf(p)})
		}
	}
	m.mu.Lock()
	m.cache[tenant] = s
	m.mu.Unlock()
	return s, nil
}

// Thresholds on Match.Score, measured on a labelled set of paraphrases
// and near misses in English and Chinese (testdata/labelled.jsonl; README,
// "Curated answers"): at StrongMatch or above, the curated answer is the
// reply, word for word; from WeakMatch, it is the first source of a
// generated answer.
const (
	StrongMatch = 0.76
	WeakMatch   = 0.5
)
