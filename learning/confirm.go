package learning

import (
	"github.com/shopdesk/shopdesk/conversation"
)

// The rules of learn_confirm: which answered turns confirm a phrasing.
const (
	// ConfirmThumbsUp: only a shopper's thumbs up (the feedback route calls
	// Propose itself); ConfirmedTurns finds nothing.
	ConfirmThumbsUp = "thumbs_up"
	// ConfirmQuietEnd: a thumbs up, or a conversation that ended right
	// after the answer, without a follow-up, a "don't know" or a hand-off.
	ConfirmQuietEnd = "thumbs_up_or_quiet_end"
)

// Confirmed is a shopper question taken as answered by a document.
type Confirmed struct {
	// Question is the shopper's message, as written (Propose scrubs it).
	Question string
	// DocID is the document the answer came from: its first source.
	DocID string
	// Seq is the answer's place in the transcript.
	Seq int
}

// ConfirmedTurns returns the turns of an ended conversation that confirm a
// phrasing under rule. With ConfirmQuietEnd that is the last exchange, when
// the shopper asked, the assistant answered citing a source, and nothing
// followed: no further message, no hand-off; a "don't know" cites nothing
// and so never counts. Earlier exchanges had a follow-up, which may mean
// the answer did not satisfy, and are left out. The caller proposes each
// one with Propose(ctx, tenant, c.DocID, c.Question, SourceQuietEnd);
// Propose drops documents that are not FAQ entries or curated answers.
func ConfirmedTurns(conv *conversation.Conversation, rule string) []Confirmed {
	if rule != ConfirmQuietEnd || conv == nil || conv.Escalated {
		return nil
	}
	ms := conv.Messages
	n := len(ms)
	if n < 2 {
		return nil
	}
	q, a := ms[n-2], ms[n-1]
	if q.Role != conversation.RoleUser || a.Role != conversation.RoleAssistant || len(a.Sources) == 0 || a.Sources[0].ID == "" {
		return nil
	}
	return []Confirmed{{Question: q.Content, DocID: a.Sources[0].ID, Seq: a.Seq}}
}
