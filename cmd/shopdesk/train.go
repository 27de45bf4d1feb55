package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"

	"github.com/shopdesk/shopdesk/intent"
)

// cmdTrain is `shopdesk train intents`: retrain the intent classifier
// with the merchant's examples (<data>/intents.jsonl) and install it in
// <data>/models/intents.bin unless it scores worse on the test sets.
func cmdTrain(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "intents" {
		return errors.New("usage: shopdesk train intents [--data DIR] [--out FILE]")
	}
	own, rest := splitFlags(args[1:], []string{"out"}, nil)
	fs := flag.NewFlagSet("train", flag.ContinueOnError)
	fs.SetOutput(stderr)
	out := fs.String("out", "", "write the model here instead of <data>/"+intent.ModelFile)
	if err := fs.Parse(own); err != nil {
		return err
	}
	cfg, extra, err := loadConfig("train", rest, getenv, stderr)
	if err != nil {
		return err
	}
	if len(extra) > 0 {
		return fmt.Errorf("train intents: unexpected arguments %q", extra)
	}
	rep, err := intent.Retrain(ctx, intent.RetrainOptions{DataDir: cfg.DataDir, Out: *out})
	fmt.Fprintf(stdout, "merchant examples: %d\n", rep.Merchant)
	if rep.Test.Messages > 0 {
		fmt.Fprintf(stdout, "current model, test sets:\n%s\n\nretrained model, test sets:\n%s\n", rep.Before, rep.Test)
	}
	if err != nil {
		if errors.Is(err, intent.ErrWorse) {
			return fmt.Errorf("refused, nothing written: %w", err)
		}
		return err
	}
	fmt.Fprintf(stdout, "wrote %s (%d KB); it is loaded at the next start\n", rep.Written, rep.ModelBytes/1024)
	return nil
}
