package handoff

import (
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"

	"github.com/shopdesk/shopdesk/jsonl"
	"github.com/shopdesk/shopdesk/sentiment"
)

// Example is one line of a labelled set (JSONL), as in
// sentiment/testdata/labelled.jsonl.
type Example struct {
	Text      string          `json:"text"`
	Lang      string          `json:"lang"`      // "en" or "zh"
	Sentiment sentiment.Label `json:"sentiment"` // what a person would label
	Handoff   bool            `json:"handoff"`   // the message alone warrants a human
	Reason    string          `json:"reason"`    // ReasonRequested, ReasonHighRisk or ""
}

// Accuracy is a share of correct answers.
type Accuracy struct {
	Correct int     `json:"correct"`
	Total   int     `json:"total"`
	Value   float64 `json:"value"`
}

// ClassScore is precision and recall for one sentiment label.
type ClassScore struct {
	Support   int     `json:"support"`   // examples with this label
	Predicted int     `json:"predicted"` // examples classified with it
	Precision float64 `json:"precision"`
	Recall    float64 `json:"recall"`
	F1        float64 `json:"f1"`
}

// Detection is precision and recall of hand-off detection (Detect), plus
// how often the detected reason is the labelled one.
type Detection struct {
	TruePositives  int     `json:"true_positives"`
	FalsePositives int     `json:"false_positives"`
	FalseNegatives int     `json:"false_negatives"`
	Precision      float64 `json:"precision"`
	Recall         float64 `json:"recall"`
	// ReasonAgreement is the share of true positives whose reason matches.
	ReasonAgreement float64 `json:"reason_agreement"`
}

// Miss is an example the classifier or the detector got wrong.
type Miss struct {
	Example
	Got         sentiment.Result `json:"got"`
	GotDecision Decision         `json:"got_decision"`
}

// Report is the evaluation of a labelled set.
type Report struct {
	Messages   int                                         `json:"messages"`
	Accuracy   Accuracy                                    `json:"accuracy"`
	ByLanguage map[string]Accuracy                         `json:"by_language"`
	ByClass    map[sentiment.Label]ClassScore              `json:"by_class"`
	Confusion  map[sentiment.Label]map[sentiment.Label]int `json:"confusion"` // labelled → classified → count
	Handoff    Detection                                   `json:"handoff"`
	Misses     []Miss                                      `json:"misses,omitempty"`
}

// Evaluate reads a labelled JSONL set from r and measures the lexicon
// classifier (sentiment.Classify) and Detect on it. Blank lines are
// skipped; a malformed line, an unknown label or an empty set is an
// error naming the line.
func Evaluate(r io.Reader) (Report, error) {
	return EvaluateFunc(r, sentiment.Classify)
}

// EvaluateFunc is Evaluate with another classifier, such as a Model's
// Classify bound to a context or sentiment.Default().Classify; hand-offs
// are DetectWith the classifier's result.
func EvaluateFunc(r io.Reader, classify func(text string) sentiment.Result) (Report, error) {
	examples, err := ReadExamples(r)
	if err != nil {
		return Report{}, err
	}
	rep := Report{
		Messages:   len(examples),
		ByLanguage: map[string]Accuracy{},
		ByClass:    map[sentiment.Label]ClassScore{},
		Confusion:  map[sentiment.Label]map[sentiment.Label]int{},
	}
	reasonsAgree := 0
	for _, ex := range examples {
		got := classify(ex.Text)
		d := DetectWith(ex.Text, got)
		ok := got.Label == ex.Sentiment
		rep.Accuracy.add(ok)
		lang := rep.ByLanguage[ex.Lang]
		lang.add(ok)
		rep.ByLanguage[ex.Lang] = lang

		want := rep.ByClass[ex.Sentiment]
		want.Support++
		rep.ByClass[ex.Sentiment] = want
		pred := rep.ByClass[got.Label]
		pred.Predicted++
		rep.ByClass[got.Label] = pred
		if rep.Confusion[ex.Sentiment] == nil {
			rep.Confusion[ex.Sentiment] = map[sentiment.Label]int{}
		}
		rep.Confusion[ex.Sentiment][got.Label]++

		switch {
		case d.Escalate && ex.Handoff:
			rep.Handoff.TruePositives++
			if d.Reason == ex.Reason {
				reasonsAgree++
			}
		case d.Escalate:
			rep.Handoff.FalsePositives++
		case ex.Handoff:
			rep.Handoff.FalseNegatives++
		}
		if !ok || d.Escalate != ex.Handoff || d.Escalate && d.Reason != ex.Reason {
			rep.Misses = append(rep.Misses, Miss{Example: ex, Got: got, GotDecision: d})
		}
	}
	for label, c := range rep.ByClass {
		correct := rep.Confusion[label][label]
		c.Precision, c.Recall = ratio(correct, c.Predicted), ratio(correct, c.Support)
		if c.Precision+c.Recall > 0 {
			c.F1 = 2 * c.Precision * c.Recall / (c.Precision + c.Recall)
		}
		rep.ByClass[label] = c
	}
	h := &rep.Handoff
	h.Precision = ratio(h.TruePositives, h.TruePositives+h.FalsePositives)
	h.Recall = ratio(h.TruePositives, h.TruePositives+h.FalseNegatives)
	h.ReasonAgreement = ratio(reasonsAgree, h.TruePositives)
	return rep, nil
}

// ReadExamples reads a labelled JSONL set.
func ReadExamples(r io.Reader) ([]Example, error) {
	var out []Example
	err := jsonl.Read(r, func(ex Example) error {
		switch {
		case strings.TrimSpace(ex.Text) == "":
			return fmt.Errorf("empty text")
		case !slices.Contains([]sentiment.Label{sentiment.Negative, sentiment.Neutral, sentiment.Positive}, ex.Sentiment):
			return fmt.Errorf("unknown sentiment %q", ex.Sentiment)
		case ex.Handoff != (ex.Reason != ""):
			return fmt.Errorf("handoff %v with reason %q", ex.Handoff, ex.Reason)
		case ex.Reason != "" && ex.Reason != ReasonRequested && ex.Reason != ReasonHighRisk:
			return fmt.Errorf("a single message can only be %q or %q, not %q", ReasonRequested, ReasonHighRisk, ex.Reason)
		}
		out = append(out, ex)
		return nil
	})
	if err != nil {
		return nil, err
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("no examples")
	}
	return out, nil
}

func (a *Accuracy) add(ok bool) {
	a.Total++
	if ok {
		a.Correct++
	}
	a.Value = ratio(a.Correct, a.Total)
}

func ratio(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}

// String formats the report's figures on a few lines, without the misses.
func (r Report) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "sentiment accuracy %.3f (%d/%d)", r.Accuracy.Value, r.Accuracy.Correct, r.Accuracy.Total)
	for _, lang := range slices.Sorted(maps.Keys(r.ByLanguage)) {
		a := r.ByLanguage[lang]
		fmt.Fprintf(&b, "; %s %.3f (%d/%d)", lang, a.Value, a.Correct, a.Total)
	}
	b.WriteString("\n")
	for _, l := range []sentiment.Label{sentiment.Negative, sentiment.Neutral, sentiment.Positive} {
		c := r.ByClass[l]
		fmt.Fprintf(&b, "  %-8s precision %.3f recall %.3f f1 %.3f (support %d)\n", l, c.Precision, c.Recall, c.F1, c.Support)
	}
	h := r.Handoff
	fmt.Fprintf(&b, "hand-off precision %.3f recall %.3f (tp %d fp %d fn %d), reason agreement %.3f",
		h.Precision, h.Recall, h.TruePositives, h.FalsePositives, h.FalseNegatives, h.ReasonAgreement)
	return b.String()
}
