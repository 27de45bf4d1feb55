package intent

import (
	"cmp"
	"fmt"
	"maps"
	"slices"
	"strings"
)

// Accuracy is a share of correct answers.
type Accuracy struct {
	Correct int     `json:"correct"`
	Total   int     `json:"total"`
	Value   float64 `json:"value"`
}

func (a *Accuracy) add(ok bool) {
	a.Total++
	if ok {
		a.Correct++
	}
	a.Value = float64(a.Correct) / float64(a.Total)
}

// Report measures a classifier on a set of examples.
type Report struct {
	Messages   int                 `json:"messages"`
	Accuracy   Accuracy            `json:"accuracy"`
	ByLanguage map[string]Accuracy `json:"by_language"`
	// ByIntent is each intent's recall, by language.
	ByIntent map[Label]map[string]Accuracy `json:"by_intent"`
	// Confusion counts labelled → classified.
	Confusion map[Label]map[Label]int `json:"confusion"`
	// NoneAsAction counts, by language, None messages classified as an
	// action: the error that matters most.
	NoneAsAction map[string]int `json:"none_as_action"`
	Misses       []Miss         `json:"misses,omitempty"`
}

// Miss is an example classified wrongly.
type Miss struct {
	Example
	Got        Label   `json:"got"`
	Confidence float64 `json:"confidence"`
}

// Evaluate classifies every example with classify and measures the
// result.
func Evaluate(classify func(string) (Label, float64), examples []Example) Report {
	r := Report{
		ByLanguage:   map[string]Accuracy{},
		ByIntent:     map[Label]map[string]Accuracy{},
		Confusion:    map[Label]map[Label]int{},
		NoneAsAction: map[string]int{},
	}
	for _, ex := range examples {
		got, conf := classify(ex.Text)
		ok := got == ex.Intent
		r.Messages++
		r.Accuracy.add(ok)
		a := r.ByLanguage[ex.Lang]
		a.add(ok)
		r.ByLanguage[ex.Lang] = a
		if r.ByIntent[ex.Intent] == nil {
			r.ByIntent[ex.Intent] = map[string]Accuracy{}
		}
		a = r.ByIntent[ex.Intent][ex.Lang]
		a.add(ok)
		r.ByIntent[ex.Intent][ex.Lang] = a
		if r.Confusion[ex.Intent] == nil {
			r.Confusion[ex.Intent] = map[Label]int{}
		}
		r.Confusion[ex.Intent][got]++
		if ex.Intent == None && got != None {
			r.NoneAsAction[ex.Lang]++
		}
		if !ok {
			r.Misses = append(r.Misses, Miss{Example: ex, Got: got, Confidence: conf})
		}
	}
	return r
}

// Pair is a count of examples of one intent classified as another.
type Pair struct {
	Want  Label `json:"want"`
	Got   Label `json:"got"`
	Count int   `json:"count"`
}

// MostConfused returns up to n pairs of different intents, most
// confused first.
func (r Report) MostConfused(n int) []Pair {
	var ps []Pair
	for want, row := range r.Confusion {
		for got, c := range row {
			if want != got {
				ps = append(ps, Pair{want, got, c})
			}
		}
	}
	slices.SortFunc(ps, func(a, b Pair) int {
		return cmp.Or(b.Count-a.Count, cmp.Compare(a.Want, b.Want), cmp.Compare(a.Got, b.Got))
	})
	return ps[:min(n, len(ps))]
}

// String formats the figures: accuracy overall and per language, recall
// per intent and language, None taken as an action, and the most
// confused pairs.
func (r Report) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "accuracy %.3f (%d/%d)", r.Accuracy.Value, r.Accuracy.Correct, r.Accuracy.Total)
	langs := slices.Sorted(maps.Keys(r.ByLanguage))
	for _, l := range langs {
		a := r.ByLanguage[l]
		fmt.Fprintf(&b, "; %s %.3f (%d/%d)", l, a.Value, a.Correct, a.Total)
	}
	b.WriteString("\n")
	for _, in := range Labels {
		fmt.Fprintf(&b, "  %-15s", in)
		for _, l := range langs {
			a := r.ByIntent[in][l]
			fmt.Fprintf(&b, " %s %5.3f (%2d/%2d)", l, a.Value, a.Correct, a.Total)
		}
		b.WriteString("\n")
	}
	fmt.Fprintf(&b, "none taken as an action:")
	for _, l := range langs {
		fmt.Fprintf(&b, " %s %d", l, r.NoneAsAction[l])
	}
	b.WriteString("\nmost confused:")
	for _, p := range r.MostConfused(5) {
		fmt.Fprintf(&b, " %s→%s %d;", p.Want, p.Got, p.Count)
	}
	return strings.TrimSuffix(b.String(), ";")
}
