// Command gen trains the shipped mood model (go generate ./sentiment)
// from the files sentiment.LearnSets reads (the package's labelled sets
// and Bitext under the shared directory, $SHOPDESK_SHARED, default
// ../shared beside the repository), calibrated on the three dev sets. It never reads the held-out
// sets (testdata/heldout*.jsonl). Training is deterministic.
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"github.com/shopdesk/shopdesk/sentiment"
)

func main() {
	out := flag.String("out", "mood.bin", "where to write the model")
	shared := flag.String("shared", os.Getenv("SHOPDESK_SHARED"), "the shared directory (default ../shared beside the repository)")
	flag.Parse()
	if *shared == "" {
		*shared = filepath.Join("..", "..", "shared") // go generate runs in sentiment/
	}
	if err := run(*out, *shared); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}

func run(out, shared string) error {
	sets, err := sentiment.LearnSets(".", shared)
	if err != nil {
		return err
	}
	l, rep, err := sentiment.Learn(sets.Train, sets.Tune(), sentiment.LearnOptions{})
	if err != nil {
		return err
	}
	data, err := l.MarshalBinary()
	if err != nil {
		return err
	}
	fmt.Printf("wrote %s (%d KB): %+v\n", out, len(data)/1024, rep)
	return os.WriteFile(out, data, 0o644)
}
