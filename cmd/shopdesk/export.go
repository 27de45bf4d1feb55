package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/shopdesk/shopdesk/commerce"
	"github.com/shopdesk/shopdesk/commerce/sqlstore"
	"github.com/shopdesk/shopdesk/conversation"
	"github.com/shopdesk/shopdesk/curated"
	"github.com/shopdesk/shopdesk/faqs"
	"github.com/shopdesk/shopdesk/index"
	"github.com/shopdesk/shopdesk/index/keyword"
	"github.com/shopdesk/shopdesk/tenant"
	"github.com/shopdesk/shopdesk/training"
)

func cmdExport(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	usage := errors.New("usage: shopdesk export training [--tenant T] [--since DATE] [--min-rating up] [--format chat-jsonl] [--out FILE]")
	if len(args) == 0 || args[0] != "training" {
		return usage
	}
	own, rest := splitFlags(args[1:], []string{"tenant", "since", "min-rating", "format", "out"}, nil)
	fs := flag.NewFlagSet("export training", flag.ContinueOnError)
	fs.SetOutput(stderr)
	tn := fs.String("tenant", tenant.Default, "tenant whose examples are exported")
	sinceFlag := fs.String("since", "", "only examples approved or rated on or after this day (2026-01-31) or moment (RFC 3339)")
	minRating := fs.String("min-rating", "up", "conversations rated at least this: up (a thumbs-up) is the only rating that confirms one")
	format := fs.String("format", "chat-jsonl", "output format: chat-jsonl ({\"messages\":[system, user, assistant]} a line)")
	out := fs.String("out", "", "file to write (replaced whole once the export succeeds); default standard output")
	if err := fs.Parse(own); err != nil {
		return err
	}
	cfg, extra, err := loadConfig("export training", rest, getenv, stderr)
	if err != nil {
		return err
	}
	if len(extra) > 0 {
		return fmt.Errorf("%w\nunexpected arguments %q", usage, extra)
	}
	if err := tenant.Validate(*tn); err != nil {
		return err
	}
	since, err := parseSince(*sinceFlag)
	if err != nil {
		return err
	}
	if *minRating != "up" {
		return fmt.Errorf("--min-rating %q: only up is supported (a thumbs-up is what confirms a conversation)", *minRating)
	}
	if *format != "chat-jsonl" {
		return fmt.Errorf("--format %q: only chat-jsonl is supported", *format)
	}
	db, closeDB, err := openDatabase(cfg.DataDir)
	if err != nil {
		return err
	}
	defer closeDB()
	kw, err := keyword.Open(filepath.Join(cfg.DataDir, "index", "keyword"))
	if err != nil {
		return err
	}
	defer kw.Close()
	x, err := index.Open(ctx, index.Options{DB: db, Keyword: kw})
	if err != nil {
		return err
	}
	convs, err := conversation.Open(ctx, db)
	if err != nil {
		return err
	}
	var shop commerce.Connector
	if cfg.Commerce == "embedded" {
		if shop, err = sqlstore.Open(ctx, db); err != nil {
			return err
		}
	}
	answers, err := curated.Open(ctx, db)
	if err != nil {
		return err
	}
	mined, err := faqs.Open(ctx, faqs.Options{DB: db, Conversations: convs, Knowledge: x, Similar: sameQuestion})
	if err != nil {
		return err
	}
	sources := trainingSources(cfg, x, convs, shop, answers, mined)

	w, done, err := exportTarget(*out, stdout)
	if err != nil {
		return err
	}
	st, err := training.Write(ctx, w, *tn, since, sources)
	if err := done(err == nil); err != nil {
		return err
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(stderr, "%d example(s) written (%d curated, %d approved FAQ candidates, %d confirmed conversations); %d repeat(s) skipped; %d personal data item(s) replaced\n",
		st.Examples, st.BySource[training.SourceCurated], st.BySource[training.SourceFAQCandidate], st.BySource[training.SourceConversation], st.Duplicates, st.Redacted)
	return nil
}

// trainingSources are the stores training examples come from, each as a
// training.Source: the curated answers in force, the FAQ candidates
// approved from people's replies, and the conversations rated up.
func trainingSources(cfg *config, x *index.Index, convs *conversation.Store, shop commerce.Connector,
	answers *curated.Store, mined *faqs.Candidates) []training.Source {
	rated := training.RatedConversations{Ratings: feedbackRatings{convs}, Conversations: convs, Persona: cfg.persona,
		Passage: func(ctx context.Context, t, id string) (string, string, bool) {
			d, ok, err := x.Document(ctx, t, id)
			return d.Title, d.Text, ok && err == nil
		},
		Names: func(ctx context.Context, t, id string) []string {
			if shop == nil {
				return nil
			}
			if name := customerName(shop)(ctx, t, id); name != "" {
				return []string{name}
			}
			return nil
		}}
	curatedAnswers := training.ApprovedAnswers{Kind: training.SourceCurated, Persona: cfg.persona,
		List: func(ctx context.Context, t string) ([]training.Approved, error) {
			list, err := answers.List(ctx, t, "", 0)
			out := make([]training.Approved, len(list))
			for i, a := range list {
				out[i] = training.Approved{Question: a.Question, Alternates: a.Alternates, Answer: a.Answer, Lang: a.Lang, At: a.UpdatedAt}
			}
			return out, err
		}}
	faqAnswers := training.ApprovedAnswers{Kind: training.SourceFAQCandidate, Persona: cfg.persona,
		List: func(ctx context.Context, t string) ([]training.Approved, error) {
			list, err := mined.List(ctx, t, faqs.Approved, 100000)
			out := make([]training.Approved, 0, len(list))
			for _, c := range list {
				at := c.CreatedAt
				if c.DecidedAt != nil {
					at = *c.DecidedAt
				}
				out = append(out, training.Approved{Question: c.Question, Answer: c.Answer, Lang: c.Lang, At: at})
			}
			return out, err
		}}
	return []training.Source{curatedAnswers, faqAnswers, rated}
}

// feedbackRatings are the conversation store's ratings as training reads
// them.
type feedbackRatings struct{ convs *conversation.Store }

func (f feedbackRatings) Ratings(ctx context.Context, tenant string, since time.Time) ([]training.Rating, error) {
	fb, err := f.convs.FeedbackSince(ctx, tenant, since, "", 1_000_000)
	out := make([]training.Rating, len(fb))
	for i, r := range fb {
		out[i] = training.Rating{ConversationID: r.ConversationID, Seq: r.Seq, Up: r.Rating == conversation.RatingUp, At: r.At}
	}
	return out, err
}

// parseSince reads --since: a day (midnight UTC) or an RFC 3339 moment.
func parseSince(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, nil
	}
	if t, err := time.Parse(time.DateOnly, s); err == nil {
		return t, nil
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	return time.Time{}, fmt.Errorf("--since %q: want a day such as 2026-01-31 or a moment such as 2026-01-31T15:04:05Z", s)
}

// exportTarget returns where the export goes: path, written to a
// temporary file that done(true) renames into place and done(false)
// removes, or stdout.
func exportTarget(path string, stdout io.Writer) (w io.Writer, done func(ok bool) error, err error) {
	if path == "" {
		return stdout, func(bool) error { return nil }, nil
	}
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return nil, nil, fmt.Errorf("--out: %w", err)
	}
	return f, func(ok bool) error {
		if err := f.Close(); err != nil || !ok {
			os.Remove(f.Name())
			if err != nil {
				return fmt.Errorf("--out: %w", err)
			}
			return nil
		}
		if err := os.Rename(f.Name(), path); err != nil {
			os.Remove(f.Name())
			return fmt.Errorf("--out: %w", err)
		}
		return nil
	}, nil
}
