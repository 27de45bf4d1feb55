package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/shopdesk/shopdesk/curated"
	"github.com/shopdesk/shopdesk/tenant"
)

// cmdAnswers serves `shopdesk answers import [--tenant T] FILE...`: it
// loads curated answers from JSON Lines or CSV files into a data
// directory no server is using (a running server takes POST /api/answers).
// Importing a file again updates the answers with the same questions.
func cmdAnswers(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	const usage = "usage: shopdesk answers import [--tenant T] FILE.jsonl|FILE.csv..."
	if len(args) == 0 || args[0] != "import" {
		return errors.New(usage)
	}
	own, rest := splitFlags(args[1:], []string{"tenant"}, nil)
	fs := flag.NewFlagSet("answers import", flag.ContinueOnError)
	fs.SetOutput(stderr)
	tn := fs.String("tenant", tenant.Default, "tenant the answers belong to")
	if err := fs.Parse(own); err != nil {
		return err
	}
	cfg, files, err := loadConfig("answers", rest, getenv, stderr)
	if err != nil {
		return err
	}
	if len(files) == 0 {
		return errors.New(usage)
	}
	if err := tenant.Validate(*tn); err != nil {
		return err
	}
	// Every file is read and checked before anything is stored.
	var all []curated.Answer
	for _, name := range files {
		f, err := os.Open(name)
		if err != nil {
			return err
		}
		as, err := curated.Parse(name, f)
		f.Close()
		if err != nil {
			return err
		}
		all = append(all, as...)
	}
	db, closeDB, err := openDatabase(cfg.DataDir)
	if err != nil {
		return fmt.Errorf("%w\n(while serving, use POST /api/answers)", err)
	}
	defer closeDB()
	store, err := curated.Open(ctx, db)
	if err != nil {
		return err
	}
	res, err := store.Import(ctx, *tn, all)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "imported %d curated answers from %d file(s) into tenant %s: %d added, %d updated\n",
		res.Added+res.Updated, len(files), *tn, res.Added, res.Updated)
	return nil
}
