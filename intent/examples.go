package intent

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"hash/fnv"
	"io"
	"os"
	"path/filepath"
	"strings"
	"unicode/utf8"

	"github.com/shopdesk/shopdesk/jsonl"
	"github.com/shopdesk/shopdesk/lang"
)

// Example is one labelled message, one line of a JSONL file:
// {"text": "...", "intent": "order_status", "lang": "en", "split": "train"}.
type Example struct {
	Text   string `json:"text"`
	Intent Label  `json:"intent"`
	// Lang is "en" or "zh"; empty means detected from Text.
	Lang string `json:"lang,omitempty"`
	// Split is "train", "dev" or "test". The project's set fixes it by
	// SplitOf; merchant examples are always training data.
	Split string `json:"split,omitempty"`
	// Source is where the example came from: SourceProject, SourceBitext
	// or SourceMerchant. It is not read from or written to files.
	Source string `json:"-"`
}

// The sources of examples, as in Example.Source.
const (
	SourceProject  = "project"
	SourceBitext   = "bitext"
	SourceMerchant = "merchant"
)

// The splits.
const (
	SplitTrain = "train"
	SplitDev   = "dev"
	SplitTest  = "test"
	// SplitDev2 is data/dev2.jsonl, a second dev set written in the
	// second round before any of its training; never given in a file.
	SplitDev2 = "dev2"
	// SplitDev3 is data/dev3.jsonl, a third dev set written in the
	// third round without reading any other data file; never given in a
	// file.
	SplitDev3 = "dev3"
	// SplitTest2 is data/test2.jsonl, a second test set written after
	// the third round's model was frozen; never given in a file, never
	// trained or tuned on.
	SplitTest2 = "test2"
	// SplitTest3 is data/test3.jsonl, a third test set written in the
	// fifth round, before its training, by a writer who read no data
	// file of the project; never given in a file, never trained or tuned
	// on.
	SplitTest3 = "test3"
	// SplitTest4 is data/test4.jsonl, a fourth test set written in the
	// sixth round, before its training, by a writer who read no data
	// file of the project; never given in a file, never trained or tuned
	// on.
	SplitTest4 = "test4"
	// SplitTest5 is data/test5.jsonl, a fifth test set written in the
	// seventh round the same way.
	SplitTest5 = "test5"
	// SplitTest6 is data/test6.jsonl, a sixth test set written in the
	// eighth round the same way.
	SplitTest6 = "test6"
)

// TestSplits are the project's test sets; a retrain is gated on them
// together.
var TestSplits = []string{SplitTest, SplitTest2, SplitTest3, SplitTest4, SplitTest5, SplitTest6}

// DevSplits are the project's dev sets.
var DevSplits = []string{SplitDev, SplitDev2, SplitDev3}

// MaxExampleBytes bounds an example's text.
const MaxExampleBytes = 2000

// SplitOf is the split the project's set assigns text: the 32-bit FNV-1a
// hash of its bytes modulo 100, below 70 train, below 85 dev, else test.
// It was applied once, before any model was trained.
func SplitOf(text string) string {
	h := fnv.New32a()
	h.Write([]byte(text))
	switch v := h.Sum32() % 100; {
	case v < 70:
		return SplitTrain
	case v < 85:
		return SplitDev
	}
	return SplitTest
}

// The project's set: examples.jsonl was written before any training and
// split by SplitOf; train_more.jsonl was written after the first dev
// measurements, train_extra.jsonl in the second round, train_r3.jsonl in
// the third, from the labels and the dev splits only, train_r5.jsonl in
// the fifth, train_r6.jsonl in the sixth and train_r7.jsonl in the
// seventh by writers who read no data file, from the labelling guide
// (docs/labelling-guide.md): all are training data only, so that dev and
// test stay as they were frozen. dev2.jsonl is SplitDev2, dev3.jsonl
// SplitDev3, test2.jsonl SplitTest2, test3.jsonl SplitTest3, test4.jsonl
// SplitTest4, test5.jsonl SplitTest5 and test6.jsonl SplitTest6.
var (
	//go:embed data/examples.jsonl
	projectSet []byte
	//go:embed data/train_more.jsonl
	projectMore []byte
	//go:embed data/train_extra.jsonl
	projectExtra []byte
	//go:embed data/train_r3.jsonl
	projectR3 []byte
	//go:embed data/train_r5.jsonl
	projectR5 []byte
	//go:embed data/train_r6.jsonl
	projectR6 []byte
	//go:embed data/train_r7.jsonl
	projectR7 []byte
	//go:embed data/dev2.jsonl
	projectDev2 []byte
	//go:embed data/dev3.jsonl
	projectDev3 []byte
	//go:embed data/test2.jsonl
	projectTest2 []byte
	//go:embed data/test3.jsonl
	projectTest3 []byte
	//go:embed data/test4.jsonl
	projectTest4 []byte
	//go:embed data/test5.jsonl
	projectTest5 []byte
	//go:embed data/test6.jsonl
	projectTest6 []byte
)

// ProjectExamples returns the project's bilingual labelled set, with its
// fixed splits.
func ProjectExamples() []Example {
	var all []Example
	for _, f := range []struct {
		data  []byte
		split string
	}{{projectSet, ""}, {projectMore, ""}, {projectExtra, ""}, {projectR3, ""}, {projectR5, ""}, {projectR6, ""}, {projectR7, ""}, {projectDev2, SplitDev2}, {projectDev3, SplitDev3}, {projectTest2, SplitTest2}, {projectTest3, SplitTest3}, {projectTest4, SplitTest4}, {projectTest5, SplitTest5}, {projectTest6, SplitTest6}} {
		ex, err := ParseExamples(bytes.NewReader(f.data))
		if err != nil {
			panic("intent: embedded examples: " + err.Error()) // a test guards this
		}
		for i := range ex {
			ex[i].Source = SourceProject
			if f.split != "" {
				ex[i].Split = f.split
			}
		}
		all = append(all, ex...)
	}
	return all
}

// ParseExamples reads JSONL examples. Blank lines are skipped. An unknown
// field or intent, empty or oversize text, a bad language or split is an
// error naming the line. A missing language is detected from the text.
func ParseExamples(r io.Reader) ([]Example, error) {
	var out []Example
	err := jsonl.Read(r, func(ex Example) error {
		ex, err := ex.validate()
		out = append(out, ex)
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// validate checks ex and fills its language.
func (ex Example) validate() (Example, error) {
	ex.Text = strings.TrimSpace(ex.Text)
	switch {
	case ex.Text == "":
		return ex, errors.New("empty text")
	case len(ex.Text) > MaxExampleBytes:
		return ex, fmt.Errorf("text of %d bytes, more than %d", len(ex.Text), MaxExampleBytes)
	case !utf8.ValidString(ex.Text):
		return ex, errors.New("text is not valid UTF-8")
	case !Valid(ex.Intent):
		return ex, fmt.Errorf("unknown intent %q (want one of %s)", ex.Intent, labelList())
	}
	switch ex.Lang {
	case "":
		ex.Lang = lang.Detect(ex.Text)
	case lang.English, lang.Chinese:
	default:
		return ex, fmt.Errorf("unknown lang %q (want en or zh)", ex.Lang)
	}
	switch ex.Split {
	case "", SplitTrain, SplitDev, SplitTest:
	default:
		return ex, fmt.Errorf("unknown split %q (want train, dev or test)", ex.Split)
	}
	return ex, nil
}

func labelList() string {
	s := make([]string, len(Labels))
	for i, l := range Labels {
		s[i] = string(l)
	}
	return strings.Join(s, ", ")
}

// MerchantFile is the merchant's examples file in the data directory.
const MerchantFile = "intents.jsonl"

// MaxMerchantExamples bounds the merchant's file.
const MaxMerchantExamples = 20000

// ReadMerchantExamples reads <dataDir>/intents.jsonl; a missing file is no
// examples. Every example is training data, whatever its split says.
func ReadMerchantExamples(dataDir string) ([]Example, error) {
	f, err := os.Open(filepath.Join(dataDir, MerchantFile))
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	defer f.Close()
	ex, err := ParseExamples(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", f.Name(), err)
	}
	for i := range ex {
		ex[i].Split, ex[i].Source = SplitTrain, SourceMerchant
	}
	return ex, nil
}

// AddExamples validates examples and appends them to
// <dataDir>/intents.jsonl, creating it. Nothing is written unless every
// example is valid; the error names the first bad one by its index. The
// caller serializes calls for one data directory.
func AddExamples(dataDir string, examples []Example) error {
	if len(examples) == 0 {
		return errors.New("no examples")
	}
	have, err := ReadMerchantExamples(dataDir)
	if err != nil {
		return err
	}
	if len(have)+len(examples) > MaxMerchantExamples {
		return fmt.Errorf("%d examples would be more than %d", len(have)+len(examples), MaxMerchantExamples)
	}
	var buf bytes.Buffer
	for i, ex := range examples {
		ex, err := ex.validate()
		if err != nil {
			return fmt.Errorf("example %d: %w", i, err)
		}
		ex.Split = ""
		line, _ := json.Marshal(ex)
		buf.Write(line)
		buf.WriteByte('\n')
	}
	if err := os.MkdirAll(dataDir, 0o755); err != nil {
		return err
	}
	path := filepath.Join(dataDir, MerchantFile)
	if old, err := os.ReadFile(path); err == nil && len(old) > 0 && old[len(old)-1] != '\n' {
		buf = *bytes.NewBuffer(append([]byte{'\n'}, buf.Bytes()...))
	}
	f, err := os.OpenFile(path, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
	if err != nil {
		return err
	}
	if _, err := f.Write(buf.Bytes()); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
