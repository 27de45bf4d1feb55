// Package bitext reads the Bitext customer-support set (27 intents, 4.5k
// English requests; CDLA-Sharing-1.0) from the shared directory, for
// training. The data is read where it lies and never copied into the
// repository.
package bitext

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// File is the set's path under the shared directory.
const File = "data/bitext/Bitext_Sample_Customer_Support_Training_Dataset.csv"

// Row is one request: its text (the "instruction", with real-looking
// order numbers rather than placeholders), its Bitext intent and its tags
// (B basic, C colloquial, Q question, W offensive, Z typos, …).
type Row struct {
	Text, Intent, Tags string
}

// Read reads the set at <sharedDir>/File.
func Read(sharedDir string) ([]Row, error) {
	f, err := os.Open(filepath.Join(sharedDir, File))
	if err != nil {
		return nil, err
	}
	defer f.Close()
	r := csv.NewReader(f)
	head, err := r.Read()
	if err != nil {
		return nil, fmt.Errorf("bitext: %w", err)
	}
	col := map[string]int{}
	for i, h := range head {
		col[h] = i
	}
	for _, need := range []string{"instruction", "intent", "tags"} {
		if _, ok := col[need]; !ok {
			return nil, fmt.Errorf("bitext: no %q column", need)
		}
	}
	var rows []Row
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("bitext: %w", err)
		}
		rows = append(rows, Row{Text: rec[col["instruction"]], Intent: rec[col["intent"]], Tags: rec[col["tags"]]})
	}
	return rows, nil
}
