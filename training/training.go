// Package training turns what the shop has approved into data for
// fine-tuning the chat model elsewhere (LoRA, say): curated answers,
// FAQ entries approved from human replies, and conversations a shopper
// confirmed with a thumbs-up. Each example is the system prompt the
// answer was (or would have been) generated under, the shopper's message
// and the answer, with personal data removed (Redact).
//
// The stores the examples come from are built by other packages; each
// offers them through Source. RatedConversations is the source over the
// conversation store and the ratings of its assistant turns.
package training

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/shopdesk/shopdesk/redact"
)

// The kinds of Example.Source.
const (
	SourceCurated      = "curated"
	SourceFAQCandidate = "faq_candidate"
	SourceConversation = "conversation"
)

// Example is one training conversation.
type Example struct {
	// System is the system prompt the answer goes with: prompts.AnswerSystem
	// with the sources the answer rests on.
	System    string
	User      string
	Assistant string
	// Source is the kind of store it came from (SourceCurated, ...).
	Source string
	// At is when it was approved or confirmed.
	At time.Time
	// Names are people's names known to appear in the example (the
	// shopper's, from the customer record), removed with the rest of the
	// personal data.
	Names []string
	// Public are texts the shop published (the knowledge-base passages
	// the answer cites): identifiers found in them, such as the support
	// phone number, are the shop's and are kept.
	Public []string
}

// Source yields examples approved or confirmed at or after since (zero:
// all), in any order. Implementations return only what a person approved:
// a curated answer in force, an FAQ candidate accepted in review, a turn
// rated up.
type Source interface {
	Examples(ctx context.Context, tenant string, since time.Time) ([]Example, error)
}

// Stats counts what Write wrote.
type Stats struct {
	Examples int
	// BySource counts examples by Example.Source.
	BySource map[string]int
	// Duplicates were skipped: the same message and answer again.
	Duplicates int
	// Redacted counts the personal data items replaced.
	Redacted int
}

// chatLine is one line of the chat-jsonl format: {"messages": [...]}, the
// shape OpenAI-style and most LoRA trainers read.
type chatLine struct {
	Messages []chatMessage `json:"messages"`
}

type chatMessage struct {
	Role    string `json:"role"`
	Content string `json:"content"`
}

// Write collects the examples of every source for tenant since since,
// removes personal data from each, drops repeats and empty ones, and
// writes them to w as chat-jsonl lines, oldest first. A source that
// fails fails the export: a partial data set would pass unnoticed.
func Write(ctx context.Context, w io.Writer, tenant string, since time.Time, sources []Source) (Stats, error) {
	st := Stats{BySource: map[string]int{}}
	var all []Example
	for _, s := range sources {
		ex, err := s.Examples(ctx, tenant, since)
		if err != nil {
			return st, fmt.Errorf("training data: %w", err)
		}
		all = append(all, ex...)
	}
	sortByTime(all)
	seen := map[string]bool{}
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	for _, ex := range all {
		r := redact.New(ex.Names, ex.Public)
		sys, user, answer := r.Text(ex.System), r.Text(ex.User), r.Text(ex.Assistant)
		if strings.TrimSpace(user) == "" || strings.TrimSpace(answer) == "" {
			continue
		}
		key := user + "\x00" + answer
		if seen[key] {
			st.Duplicates++
			continue
		}
		seen[key] = true
		line := chatLine{}
		if strings.TrimSpace(sys) != "" {
			line.Messages = append(line.Messages, chatMessage{"system", sys})
		}
		line.Messages = append(line.Messages, chatMessage{"user", user}, chatMessage{"assistant", answer})
		if err := enc.Encode(line); err != nil {
			return st, fmt.Errorf("training data: %w", err)
		}
		st.Examples++
		st.BySource[ex.Source]++
		st.Redacted += r.Count
	}
	return st, nil
}

// sortByTime orders examples oldest first, keeping the order of equals.
func sortByTime(ex []Example) {
	slices.SortStableFunc(ex, func(a, b Example) int { return a.At.Compare(b.At) })
}
