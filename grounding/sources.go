package grounding

import (
	"slices"
	"strings"
)

// sourceIndex answers support questions about one Check call's sources.
// Each view of the sources is built on first use, so an answer without
// prices never scans the sources for amounts.
type sourceIndex struct {
	sources []Source

	texts   []string           // Title + "\n" + Text
	amounts map[int64][]string // cents → currencies stated ("" unknown)
	lower   []string           // texts, ASCII letters lowered
	folded  []string           // texts through fold
	done    [4]bool            // texts, amounts, lower, folded built
	memo    map[string]bool    // hasID and hasName answers, by "i"+id or "n"+name
}

// remember caches support answers; an answer repeats a claim more often
// than it makes a new one.
func (x *sourceIndex) remember(key string, f func() bool) bool {
	if v, ok := x.memo[key]; ok {
		return v
	}
	if x.memo == nil {
		x.memo = make(map[string]bool)
	}
	v := f()
	x.memo[key] = v
	return v
}

func (x *sourceIndex) all() []string {
	if !x.done[0] {
		x.done[0] = true
		x.texts = make([]string, len(x.sources))
		for i, s := range x.sources {
			x.texts[i] = s.Title + "\n" + s.Text
		}
	}
	return x.texts
}

// hasAmount reports whether some source states a, in a compatible
// currency.
func (x *sourceIndex) hasAmount(a amount) bool {
	if !x.done[1] {
		x.done[1] = true
		x.amounts = make(map[int64][]string)
		for _, t := range x.all() {
			sourceAmounts(t, func(b amount) {
				if !slices.Contains(x.amounts[b.cents], b.cur) {
					x.amounts[b.cents] = append(x.amounts[b.cents], b.cur)
				}
			})
		}
	}
	for _, cur := range x.amounts[a.cents] {
		if compatible(a.cur, cur) {
			return true
		}
	}
	return false
}

// hasID reports whether some source holds id, already lowered and without
// '#', as a whole token.
func (x *sourceIndex) hasID(id string) bool {
	return x.remember("i"+id, func() bool { return x.findID(id) })
}

func (x *sourceIndex) findID(id string) bool {
	if id == "" {
		return false
	}
	if !x.done[2] {
		x.done[2] = true
		x.lower = make([]string, len(x.all()))
		for i, t := range x.all() {
			x.lower[i] = asciiLower(t)
		}
	}
	for _, t := range x.lower {
		if containsToken(t, id) {
			return true
		}
	}
	return false
}

// hasName reports whether some source contains the folded product name or
// its base (the name without its variant; "" when it has none).
func (x *sourceIndex) hasName(name, base string) bool {
	return x.remember("n"+name, func() bool { return x.findName(name, base) })
}

func (x *sourceIndex) findName(name, base string) bool {
	if !x.done[3] {
		x.done[3] = true
		x.folded = make([]string, len(x.all()))
		for i, t := range x.all() {
			x.folded[i], _ = fold(t, false)
		}
	}
	for _, t := range x.folded {
		if strings.Contains(t, name) || base != "" && strings.Contains(t, base) {
			return true
		}
	}
	return false
}
