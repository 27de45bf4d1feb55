// Command gen trains the shipped intent classifier (go generate ./intent)
// from the project's set, its templates and Bitext under the shared
// directory ($SHOPDESK_SHARED, default ../shared beside the repository),
// and prints its report. Training is deterministic.
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"github.com/shopdesk/shopdesk/intent"
)

func main() {
	out := flag.String("out", "model.bin", "where to write the model")
	shared := flag.String("shared", os.Getenv("SHOPDESK_SHARED"), "the shared directory (default ../shared beside the repository)")
	flag.Parse()
	if *shared == "" {
		*shared = filepath.Join("..", "..", "shared") // go generate runs in intent/
	}
	examples, note := intent.TrainingSet(*shared, nil)
	if note != "" {
		fmt.Fprintln(os.Stderr, "gen: refusing to ship a model", note)
		os.Exit(1)
	}
	c, rep, err := intent.Train(examples, intent.Options{})
	if err == nil {
		var data []byte
		if data, err = c.MarshalBinary(); err == nil {
			err = os.WriteFile(*out, data, 0o644)
		}
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
	fmt.Printf("wrote %s (%d KB), examples %v, left out as evaluation messages %v, temperature %.2f\nthresholds %v\ndev: %s\n", *out, rep.ModelBytes/1024, rep.Examples, rep.LeftOut, rep.Temperature, rep.Thresholds, rep.Dev)
}
