// Package eval measures the answer pipeline on a golden set: shopper
// conversations, each with what its last answer must do (cite these
// sources, state these facts, refuse, take this route). Run plays every
// conversation through an assistant and scores it; Compare decides
// whether one report is no worse than another, which is what the model
// gate (Gate) asks before a catalog edit may change the chat model.
//
// # Golden set format
//
// One JSON object a line (blank lines are skipped):
//
//		{"id": "en-return-window", "lang": "en",
//		 "customer_id": "C001",
//		 "messages": [{"role": "user", "content": "Where is my order HL-100101?"},
//		              {"role": "user", "content": "my email is emily.carter@example.com"}],
//		 "expect": {"sources": ["order:HL-100101"], "facts": ["delivered", ["UPS", "1Z8A47E20300412871"]],
//		            "refuse": false, "intent": "order_status", "outcome": "action"}}
//
//	  - id: unique in the file.
//	  - lang: "en" or "zh", for the per-language breakdown.
//	  - customer_id: optional, the shopper the integrator vouches for in
//	    every turn (as a signed-in customer).
//	  - messages: the conversation; the last one must be the shopper's and
//	    is the one evaluated. Earlier shopper messages are played as turns
//	    first, in a fresh conversation; assistant messages may be written
//	    down for the reader but are not sent (the pipeline's own replies
//	    take their place).
//	  - expect.sources: document ids the answer must cite (FAQ ids such as
//	    "faq-en-return-window", "product:HL-JKT-001", "order:HL-100101").
//	  - expect.facts: strings the answer must contain, case, width and
//	    spacing aside; a list in place of a string is satisfied by any one
//	    of its strings.
//	  - expect.refuse: true when the assistant must not answer: it says it
//	    does not know or hands the conversation over.
//	  - expect.intent: the commerce request the turn must be handled as
//	    (order_status, list_orders, start_return, product_lookup,
//	    recommend).
//	  - expect.outcome: the outcome the turn must have (answered,
//	    dont_know, handoff, action, fallback, curated).
package eval

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/shopdesk/shopdesk/assistant"
	"github.com/shopdesk/shopdesk/jsonl"
)

// MaxItems bounds a golden set.
const MaxItems = 10000

// Item is one golden conversation.
type Item struct {
	ID         string    `json:"id"`
	Lang       string    `json:"lang"`
	CustomerID string    `json:"customer_id,omitempty"`
	Messages   []Message `json:"messages"`
	Expect     Expect    `json:"expect"`
}

// Message is one message of a golden conversation.
type Message struct {
	Role    string `json:"role"`
	Content string `json:"content"`
}

// Expect is what the evaluated answer must do. Zero fields expect
// nothing, except Refuse: every item is scored on whether it refused.
type Expect struct {
	Sources []string `json:"sources,omitempty"`
	Facts   []Fact   `json:"facts,omitempty"`
	Refuse  bool     `json:"refuse"`
	Intent  string   `json:"intent,omitempty"`
	Outcome string   `json:"outcome,omitempty"`
}

// Fact is one fact an answer must state: any one of its spellings.
type Fact []string

// UnmarshalJSON reads a string or a list of strings.
func (f *Fact) UnmarshalJSON(data []byte) error {
	var one string
	if err := json.Unmarshal(data, &one); err == nil {
		*f = Fact{one}
		return nil
	}
	var any []string
	if err := json.Unmarshal(data, &any); err != nil {
		return errors.New("a fact is a string or a list of strings")
	}
	*f = any
	return nil
}

// MarshalJSON writes a fact of one spelling as a string.
func (f Fact) MarshalJSON() ([]byte, error) {
	if len(f) == 1 {
		return json.Marshal(f[0])
	}
	return json.Marshal([]string(f))
}

// outcomes are the outcomes expect.outcome may name.
var outcomes = []string{assistant.OutcomeAnswered, assistant.OutcomeDontKnow, assistant.OutcomeHandoff,
	assistant.OutcomeAction, assistant.OutcomeFallback, "curated"}

var (
	validID     = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$`)
	validIntent = regexp.MustCompile(`^[a-z][a-z_]{0,63}$`)
)

// Load reads the golden set at path.
func Load(path string) ([]Item, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("golden set: %w", err)
	}
	defer f.Close()
	return Parse(f, path)
}

// Parse reads a golden set from r; name is how errors refer to it
// ("golden.jsonl:12: ..."). It rejects unknown fields, duplicate ids and
// items that cannot be evaluated, naming the line.
func Parse(r io.Reader, name string) ([]Item, error) {
	var items []Item
	seen := map[string]bool{}
	err := jsonl.Read(r, func(it Item) error {
		if len(items) == MaxItems {
			return fmt.Errorf("more than %d items", MaxItems)
		}
		if err := it.validate(); err != nil {
			return err
		}
		if seen[it.ID] {
			return fmt.Errorf("id %q is used twice", it.ID)
		}
		seen[it.ID] = true
		items = append(items, it)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("%s:%s", name, strings.TrimPrefix(hintField(err).Error(), "line "))
	}
	if len(items) == 0 {
		return nil, fmt.Errorf("%s: no items", name)
	}
	return items, nil
}

// hintField explains the one misplaced field a golden set is likely to
// have: customer_id is an input, written beside messages.
func hintField(err error) error {
	if strings.Contains(err.Error(), `unknown field "customer_id"`) {
		return fmt.Errorf("%w (customer_id is an input: write it beside messages, not in expect)", err)
	}
	return err
}

func (it Item) validate() error {
	if !validID.MatchString(it.ID) {
		return fmt.Errorf("id %q: want letters, digits and . _ : - (up to 128)", it.ID)
	}
	where := func(format string, args ...any) error {
		return fmt.Errorf("item %s: %s", it.ID, fmt.Sprintf(format, args...))
	}
	if it.Lang != "en" && it.Lang != "zh" {
		return where("lang %q: want en or zh", it.Lang)
	}
	if it.CustomerID != "" && (len(it.CustomerID) > 128 || !utf8.ValidString(it.CustomerID)) {
		return where("customer_id is not a usable customer id")
	}
	if len(it.Messages) == 0 {
		return where("no messages")
	}
	for i, m := range it.Messages {
		switch {
		case m.Role != "user" && m.Role != "assistant":
			return where("messages[%d]: role %q: want user or assistant", i, m.Role)
		case strings.TrimSpace(m.Content) == "":
			return where("messages[%d]: content is empty", i)
		case len(m.Content) > assistant.MaxMessageBytes:
			return where("messages[%d]: content is %d bytes; the limit is %d", i, len(m.Content), assistant.MaxMessageBytes)
		case !utf8.ValidString(m.Content):
			return where("messages[%d]: content is not valid UTF-8", i)
		}
	}
	if it.Messages[len(it.Messages)-1].Role != "user" {
		return where("the last message must be the shopper's (role user): it is the one evaluated")
	}
	e := it.Expect
	for i, s := range e.Sources {
		if strings.TrimSpace(s) == "" {
			return where("expect.sources[%d] is empty", i)
		}
	}
	for i, f := range e.Facts {
		if len(f) == 0 {
			return where("expect.facts[%d] is an empty list", i)
		}
		for _, s := range f {
			if normalize(s) == "" {
				return where("expect.facts[%d] has an empty string", i)
			}
		}
	}
	if e.Refuse && (len(e.Sources) > 0 || len(e.Facts) > 0) {
		return where("expect.refuse is true, so there are no sources or facts to expect")
	}
	if e.Intent != "" && !validIntent.MatchString(e.Intent) {
		return where("expect.intent %q: want a name such as order_status", e.Intent)
	}
	if e.Outcome != "" && !slices.Contains(outcomes, e.Outcome) {
		return where("expect.outcome %q: want one of %s", e.Outcome, strings.Join(outcomes, ", "))
	}
	return nil
}

// normalize folds case, full-width forms and spacing, so that facts match
// however an answer spaces or widens them ("30 天" and "30天", "３０").
func normalize(s string) string {
	var b bytes.Buffer
	for _, r := range strings.ToLower(s) {
		switch {
		case r == ' ' || r == '\t' || r == '\n' || r == '\r' || r == '\u3000' || r == '\u00a0':
			continue
		case r >= '！' && r <= '～': // full-width ASCII
			r = r - '！' + '!'
			if r >= 'A' && r <= 'Z' {
				r += 'a' - 'A'
			}
		}
		b.WriteRune(r)
	}
	return b.String()
}
