package insights

import (
	"context"
	"sort"
	"time"

	"github.com/shopdesk/shopdesk/conversation"
	"github.com/shopdesk/shopdesk/embedding"
	"github.com/shopdesk/shopdesk/handoff"
	"github.com/shopdesk/shopdesk/redact"
)

// Gap is a question shoppers keep asking that the knowledge base does not
// settle: similar wordings grouped, in either language.
type Gap struct {
	// Question is the group's most typical wording.
	Question string    `json:"question"`
	Count    int       `json:"count"`
	LastSeen time.Time `json:"last_seen"`
	// Outcomes counts how the questions ended: dont_know, fallback,
	// handoff, rated_down.
	Outcomes map[string]int `json:"outcomes"`
	// Examples are up to five wordings, personal data removed.
	Examples      []string `json:"examples"`
	Conversations []string `json:"conversations"`
	// NearestDoc is the document that comes closest, for the merchant to
	// extend (empty when none is near).
	NearestDoc      string `json:"nearest_doc,omitempty"`
	NearestDocTitle string `json:"nearest_doc_title,omitempty"`
}

// GapSimilarity is how alike two questions must be to fall in one gap.
const GapSimilarity = 0.5

// maxGapQuestions bounds the questions one report reads.
const maxGapQuestions = 5000

// Gaps groups the tenant's unsettled questions since the time given,
// largest and most recent first, at most limit groups.
func (in *Insights) Gaps(ctx context.Context, tenant string, since time.Time, limit int) ([]Gap, error) {
	qs, err := in.opts.Conversations.UnansweredSince(ctx, tenant, since, maxGapQuestions)
	if err != nil {
		return nil, err
	}
	type group struct {
		Gap
		vec     []float32
		members []string
		seen    map[string]bool
	}
	var kept []int
	for i, q := range qs { // newest first
		if handoff.Detect(q.Question).Reason != handoff.ReasonRequested {
			kept = append(kept, i) // "let me talk to a person" asks for no content
		}
	}
	vecs := in.embed(ctx, qs, kept)
	var groups []*group
	for n, i := range kept {
		q := qs[i]
		var best *group
		bestScore := 0.0
		for _, g := range groups {
			s := in.opts.Similar(q.Question, g.Question)
			if vecs != nil && embedding.Cosine(vecs[n], g.vec) >= SameMeaning {
				s = max(s, GapSimilarity)
			}
			if s >= GapSimilarity && s > bestScore {
				best, bestScore = g, s
			}
		}
		if best == nil {
			best = &group{Gap: Gap{Question: q.Question, LastSeen: q.At, Outcomes: map[string]int{}}, seen: map[string]bool{}}
			if vecs != nil {
				best.vec = vecs[n]
			}
			groups = append(groups, best)
		}
		best.Count++
		best.Outcomes[q.Outcome]++
		best.members = append(best.members, q.Question)
		if !best.seen[q.ConversationID] {
			best.seen[q.ConversationID] = true
			best.Conversations = append(best.Conversations, q.ConversationID)
		}
	}
	sort.SliceStable(groups, func(i, j int) bool {
		if groups[i].Count != groups[j].Count {
			return groups[i].Count > groups[j].Count
		}
		return groups[i].LastSeen.After(groups[j].LastSeen)
	})
	if len(groups) > limit {
		groups = groups[:limit]
	}
	out := make([]Gap, len(groups))
	for i, g := range groups {
		g.Question = redact.Text(in.typical(g.members))
		for _, m := range g.members {
			ex := redact.Text(m)
			if len(g.Examples) < 5 && !contains(g.Examples, ex) {
				g.Examples = append(g.Examples, ex)
			}
		}
		if in.opts.Nearest != nil {
			g.NearestDoc, g.NearestDocTitle = in.opts.Nearest(ctx, tenant, g.Question)
		}
		out[i] = g.Gap
	}
	return out, nil
}

// SameMeaning is the cosine similarity of two questions' embeddings at
// which they fall in one gap whatever their wording.
const SameMeaning = 0.85

// embed returns the vectors of the kept questions, or nil without a real
// embedding model or when embedding fails (wording alone then groups).
func (in *Insights) embed(ctx context.Context, qs []conversation.Unanswered, kept []int) [][]float32 {
	if in.opts.Embed == nil || len(kept) == 0 {
		return nil
	}
	texts := make([]string, len(kept))
	for n, i := range kept {
		texts[n] = qs[i].Question
	}
	vecs, err := in.opts.Embed(ctx, texts)
	if err != nil || len(vecs) != len(texts) {
		return nil
	}
	return vecs
}

// typical is the member most like the others.
func (in *Insights) typical(members []string) string {
	best, bestScore := members[0], -1.0
	for i, m := range members {
		if i == 20 {
			break // enough to choose from
		}
		score := 0.0
		for _, o := range members {
			score += in.opts.Similar(m, o)
		}
		if score > bestScore {
			best, bestScore = m, score
		}
	}
	return best
}

func contains(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}
