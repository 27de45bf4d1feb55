package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"time"

	"github.com/shopdesk/shopdesk/conversation"
	"github.com/shopdesk/shopdesk/index"
	"github.com/shopdesk/shopdesk/index/keyword"
	"github.com/shopdesk/shopdesk/insights"
	"github.com/shopdesk/shopdesk/tenant"
)

// cmdGaps lists the questions the knowledge base does not settle, grouped,
// from a data directory no server is using (a server answers
// GET /api/insights/gaps).
func cmdGaps(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	own, rest := splitFlags(args, []string{"tenant", "since", "limit"}, []string{"json"})
	fs := flag.NewFlagSet("gaps", flag.ContinueOnError)
	fs.SetOutput(stderr)
	tn := fs.String("tenant", tenant.Default, "tenant whose conversations to read")
	sinceFlag := fs.String("since", "", "date (YYYY-MM-DD) to read from; default 30 days ago")
	limit := fs.Int("limit", 20, "most groups to list")
	asJSON := fs.Bool("json", false, "print the groups as JSON")
	if err := fs.Parse(own); err != nil {
		return err
	}
	cfg, pos, err := loadConfig("gaps", rest, getenv, stderr)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return errors.New("usage: shopdesk gaps [--tenant T] [--since YYYY-MM-DD] [--limit N] [--json]")
	}
	if err := tenant.Validate(*tn); err != nil {
		return err
	}
	since := time.Now().UTC().AddDate(0, 0, -30)
	if *sinceFlag != "" {
		if since, err = time.Parse(time.DateOnly, *sinceFlag); err != nil {
			return fmt.Errorf("--since %q: want a date such as 2026-11-01", *sinceFlag)
		}
	}
	if *limit < 1 || *limit > 500 {
		return errors.New("--limit: want 1 to 500")
	}
	db, closeDB, err := openDatabase(cfg.DataDir)
	if err != nil {
		return fmt.Errorf("%w\n(while serving, use GET /api/insights/gaps)", err)
	}
	defer closeDB()
	convs, err := conversation.Open(ctx, db)
	if err != nil {
		return err
	}
	kw, err := keyword.Open(filepath.Join(cfg.DataDir, "index", "keyword"))
	if err != nil {
		return err
	}
	defer kw.Close()
	x, err := index.Open(ctx, index.Options{DB: db, Keyword: kw})
	if err != nil {
		return err
	}
	in, err := insights.New(insights.Options{Conversations: convs, Similar: sameQuestion, Nearest: nearestDoc(x)})
	if err != nil {
		return err
	}
	gaps, err := in.Gaps(ctx, *tn, since, *limit)
	if err != nil {
		return err
	}
	if *asJSON {
		if gaps == nil {
			gaps = []insights.Gap{}
		}
		return json.NewEncoder(stdout).Encode(gaps)
	}
	if len(gaps) == 0 {
		fmt.Fprintf(stdout, "no unanswered questions since %s\n", since.Format(time.DateOnly))
		return nil
	}
	for i, g := range gaps {
		var outs []string
		for o, n := range g.Outcomes {
			outs = append(outs, fmt.Sprintf("%s %d", o, n))
		}
		fmt.Fprintf(stdout, "%d. %q — %d time(s), last %s (%s)\n", i+1, g.Question, g.Count, g.LastSeen.Format("2006-01-02 15:04"), strings.Join(outs, ", "))
		for _, ex := range g.Examples {
			fmt.Fprintf(stdout, "     · %s\n", ex)
		}
		if g.NearestDoc != "" {
			fmt.Fprintf(stdout, "     nearest document: %s (%s)\n", g.NearestDocTitle, g.NearestDoc)
		}
	}
	return nil
}
