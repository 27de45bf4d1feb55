package catalog

import (
	"cmp"
	"slices"
	"unicode/utf8"
)

// qterm is a term of a query, with its factor.
type qterm struct {
	id   int32
	f    float32
	kind bool // part of a kind's words: no evidence of a name
}

// candidate is one product being ranked.
type candidate struct {
	p           int
	score, name float32
	kind        bool
}

// kindWordWeight is what the words of a kind's form ("rain" and "jacket"
// of "rain jacket", shared among them) add beside the kind itself: enough
// to put a product named so first, too little to make the others
// unlikely.
const kindWordWeight = 0.15

// broaderKind is what a children's product of the next broader kind
// scores, against one of the kind asked for, when children are asked.
const broaderKind = 0.75

// maxRanked is how many candidates are ranked in full.
const maxRanked = 16

// rank scores the products low (folded; words are its words) names,
// best first, at most maxRanked of them, and counts the words of low
// that no product has (unread).
func (x *productIndex) rank(low string, words []string, want Constraint, cur int) (ranked []candidate, unread int) {
	fixed := x.corrected(words)
	kinds, kindWord, kindSpans := kindsIn(fixed, low)
	var qs, descs []qterm
	addDesc := func(t string, f float32) {
		if id, ok := x.terms[descPrefix+t]; ok && !slices.ContainsFunc(descs, func(q qterm) bool { return q.id == id }) {
			descs = append(descs, qterm{id, f, false})
		}
	}
	addTerm := func(t string, f float32, kind bool) {
		id, ok := x.terms[t]
		if !ok {
			return
		}
		for k := range qs {
			if qs[k].id == id {
				qs[k].f = max(qs[k].f, f)
				qs[k].kind = qs[k].kind && kind
				return
			}
		}
		qs = append(qs, qterm{id, f, kind})
	}
	for i, w := range words {
		if stopWords[w] {
			continue
		}
		kind, share := false, float32(1)
		if kindWord != nil && kindWord[i] > 0 {
			kind, share = true, 1/float32(kindWord[i])
		}
		if !x.known(fixed[i]) && !kind && !commonWords[w] && !conceptWords[w] && len(w) >= 3 && !isDigits(w) && colourByWord[w] == 0 && !isColourWord(w) {
			unread++
		}
		if fixed[i] != w {
			for _, c := range x.corrections(w) {
				addTerm(c, 0.8*share, kind)
			}
		} else {
			addTerm(w, share, kind)
		}
		if !kind && !isDigits(w) {
			addDesc(w, 1)
		}
		if i+1 < len(words) {
			addTerm(w+words[i+1], 1, false) // "quick dry" → "quickdry"
		}
	}
	eachBigram(low, func(start, end int, b string) {
		kind, share := false, float32(1)
		for _, sp := range kindSpans {
			if sp[0] <= start && end <= sp[1] {
				kind, share = true, 1/float32(max(1, utf8.RuneCountInString(low[sp[0]:sp[1]])-1))
			}
		}
		addTerm(b, share, kind)
		if !kind {
			addDesc(b, 1)
		}
	})
	kidsAsked := false
	for _, c := range kinds {
		kidsAsked = kidsAsked || concepts[c].qualifier
	}
	kidsAsked = kidsAsked && !qualifierDeclined(fixed, low)

	sc := x.pool.Get().(*scratch)
	defer func() {
		for _, p := range sc.touched {
			sc.score[p], sc.name[p], sc.kind[p] = 0, 0, false
		}
		sc.touched = sc.touched[:0]
		x.pool.Put(sc)
	}()
	touch := func(p int32) {
		if sc.score[p] == 0 && !sc.kind[p] && sc.name[p] == 0 {
			sc.touched = append(sc.touched, p)
		}
	}
	var frequent []qterm
	var frequentKinds []int
	addPostings := func(q qterm) {
		w, nameW := x.weigh(q.id, q.f, q.kind)
		for _, p := range x.post[q.id] {
			touch(p.p)
			sc.score[p.p] += w * p.w
			if p.name {
				sc.name[p.p] += nameW
			}
		}
	}
	// addKind makes candidates of a kind's products (those keep
	// accepts, or all), each scoring score.
	addKind := func(ps []int32, score float32, keep func(p int32) bool) {
		for _, p := range ps {
			if keep == nil || keep(p) {
				touch(p)
				sc.score[p] += score
				sc.kind[p] = true
			}
		}
	}
	for _, q := range qs {
		if len(x.post[q.id]) > x.frequent {
			frequent = append(frequent, q)
			continue
		}
		addPostings(q)
	}
	for _, c := range kinds {
		switch {
		case concepts[c].qualifier:
		case len(x.byConcept[c]) > x.frequent:
			frequentKinds = append(frequentKinds, c)
		case len(x.byConcept[c]) == 0:
			// A kind the catalog has none of stands for its broader
			// kind, a little behind ("shell jacket" for the jackets).
			for _, parent := range concepts[c].parents {
				if pc := conceptIndex(parent); pc >= 0 && len(x.byConcept[pc]) <= x.frequent {
					addKind(x.byConcept[pc], broaderKind*x.cidf[pc], nil)
				}
			}
		default:
			addKind(x.byConcept[c], x.cidf[c], nil)
		}
	}
	if kidsAsked {
		// "hiking boots for kids": children's products of the next
		// broader kind ("boot") are candidates too, a little behind.
		for _, c := range kinds {
			if concepts[c].qualifier {
				continue
			}
			for _, parent := range concepts[c].parents {
				if pc := conceptIndex(parent); pc >= 0 {
					addKind(x.byConcept[pc], broaderKind*x.cidf[c], func(p int32) bool { return x.suits[p] && !sc.kind[p] })
				}
			}
		}
	}
	if len(sc.touched) == 0 {
		// Only frequent words: they must find the candidates themselves.
		for _, q := range frequent {
			addPostings(q)
		}
		for _, c := range frequentKinds {
			addKind(x.byConcept[c], x.cidf[c], nil)
		}
		frequent, frequentKinds = nil, nil
	}
	// The best maxRanked, kept in order as they come (ties to the
	// earlier product): thousands may be touched in a large catalog.
	cands := make([]candidate, 0, maxRanked)
	for _, p := range sc.touched {
		score := sc.score[p]
		if len(descs) > 0 {
			// Before the cut: in a kind of many products, the one
			// described must be among those ranked.
			score += x.descScore(int(p), descs)
		}
		if len(cands) == maxRanked && score <= cands[maxRanked-1].score {
			continue
		}
		k := len(cands)
		for k > 0 && (score > cands[k-1].score || score == cands[k-1].score && int(p) < cands[k-1].p) {
			k--
		}
		if len(cands) < maxRanked {
			cands = append(cands, candidate{})
		}
		copy(cands[k+1:], cands[k:len(cands)-1])
		cands[k] = candidate{p: int(p), score: score, name: sc.name[p], kind: sc.kind[p]}
	}
	byScore := func(a, b candidate) int { return cmp.Compare(b.score, a.score) }
	for k := range cands {
		c := &cands[k]
		for _, q := range frequent {
			w, nameW := x.weigh(q.id, q.f, q.kind)
			for class := int32(3); class > 0; class-- { // class 0 is a description's
				if _, ok := slices.BinarySearch(x.byTerms[c.p], q.id<<2|class); ok {
					c.score += w * classWeight[class]
					if class == 3 {
						c.name += nameW
					}
					break
				}
			}
		}
		for _, fk := range frequentKinds {
			if slices.Contains(x.kinds[c.p], fk) {
				c.score += x.cidf[fk]
				c.kind = true
			}
		}
		c.score *= x.factor(c.p, want, kidsAsked, cur)
	}
	slices.SortStableFunc(cands, byScore)
	return cands, unread
}

// corrected returns words with each one no product has and no concept
// uses replaced by the indexed word it is likeliest a misspelling of
// (words itself when none is).
func (x *productIndex) corrected(words []string) []string {
	fixed, cloned := words, false
	for i, w := range words {
		if stopWords[w] {
			continue
		}
		if x.known(w) || conceptWords[w] {
			continue
		}
		if cs := x.corrections(w); len(cs) > 0 {
			if !cloned {
				fixed, cloned = slices.Clone(words), true
			}
			fixed[i] = cs[0]
		}
	}
	return fixed
}

// known reports whether a product's name, tags, brand or description
// holds the word.
func (x *productIndex) known(w string) bool {
	if _, ok := x.terms[w]; ok {
		return true
	}
	_, ok := x.terms[descPrefix+w]
	return ok
}

// descScore is what the descriptions of product p add for the query's
// description terms.
func (x *productIndex) descScore(p int, descs []qterm) float32 {
	var s float32
	for _, q := range descs {
		if _, ok := slices.BinarySearch(x.byTerms[p], q.id<<2); ok {
			s += x.idf[q.id] * q.f * wDesc
		}
	}
	return s
}

// weigh returns what a query term matched in a product's field adds to
// its score (before the field's weight) and to its name evidence:
// nothing to the evidence for everyday words and a kind's words, half
// for numbers. f is the term's factor (a correction's 0.8, a kind word's
// share).
func (x *productIndex) weigh(id int32, f float32, kind bool) (w, nameW float32) {
	w = x.idf[id] * f
	if kind {
		w *= kindWordWeight
	}
	switch {
	case x.common[id] || kind:
		return w, 0
	case x.number[id]:
		return w, w / 2
	}
	return w, w
}

// factor ranks a product up or down for what the message says beside
// its name: children's products down unless children are mentioned,
// and the others down when they are,
// products with the colour or size asked for up, the conversation's
// product up.
func (x *productIndex) factor(p int, want Constraint, kidsAsked bool, cur int) float32 {
	f := float32(1)
	switch {
	case x.qualified[p] && !kidsAsked:
		// A children's product by name or category; one a tag says
		// suits children too ("kids" on a headlamp) is not ranked down.
		f *= 0.8
	case x.suits[p] && kidsAsked:
		f *= 1.2
	case kidsAsked:
		f *= 0.8
	}
	if p == cur {
		f *= 1.15
	}
	if want.IsZero() {
		return f
	}
	best := 0
	for _, v := range x.products[p].Variants {
		cf := fitColour(x.colourOf[v.Color], v.Color, want.Color)
		sf := fitSize(x.sizeOf[v.Size], want.Size)
		if cf > 0 && sf > 0 {
			best = max(best, cf+sf)
		}
	}
	if best > 0 {
		f *= 1 + 0.03*float32(best)
	}
	return f
}
