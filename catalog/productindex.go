package catalog

import (
	"math"
	"slices"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/hbollon/go-edlib"

	"github.com/shopdesk/shopdesk/commerce"
)

// The fields a product's terms come from, and what a match in each is
// worth. Name words are the product's own; brand words shared by several
// products, and category and tag words, only help.
const (
	wName  = 1.0
	wExtra = 0.3 // the variant part of a name: "(2025 colors)"
	wTag   = 0.5
	wBrand = 0.3
	// wDesc is a description's word: what a product is like or is for
	// ("charges over USB-C", "三节7号电池"), enough to order the products
	// of a kind, never to name one.
	wDesc = 0.05
)

// maxDescTerms is how many terms of each description (English, and
// Chinese) are indexed: its first ones, where the product's features
// lead; a repeated term counts again.
const maxDescTerms = 48

// descPrefix keeps a description's terms apart from the name, tag and
// brand terms: they have their own document frequencies, so a name word
// a description repeats ("zip") still names its product.
const descPrefix = "\x01"

// productIndex finds products by the words of their names, brands,
// categories and tags, the character pairs of their Chinese names, and
// their kinds, and orders them by their descriptions' words. It is built
// once per Snapshot.
type productIndex struct {
	products []commerce.Product
	n        int
	terms    map[string]int32
	post     [][]posting // by term; none for description terms
	desc     []bool      // by term: a description's (descPrefix)
	idf      []float32   // by term
	// common marks terms that never make a mention alone (everyday
	// words, numbers count half).
	common []bool
	number []bool
	// byTerms lists each product's terms, sorted, for scoring the
	// frequent terms of a query on a few products only: a term's ID
	// shifted left by two, with its field's class (fieldClass) below.
	byTerms [][]int32
	// frequent is the document frequency above which a term finds no
	// candidates itself.
	frequent int
	// deletes maps each Latin name word, and each of its forms with one
	// letter deleted, to the words: a misspelt word is looked up the
	// same way (symmetric deletion) and checked with an edit distance.
	deletes map[string][]string
	// byConcept lists the products of each concept, parents included.
	byConcept [][]int32
	cidf      []float32
	kinds     [][]int // each product's concepts
	qualified []bool  // products of a qualifier concept (children's) by name or category
	suits     []bool  // products a tag says suit a qualifier's audience too ("kids" on a headlamp)
	// strong is the name-word weight that alone makes a mention: that of
	// a word in at most max(4, n/100) products.
	strong float32
	// colourOf and sizeOf are the variants' colour and size labels read
	// once (Colour, variantSize), for ranking by a constraint.
	colourOf map[string]string
	sizeOf   map[string]Size
	// brandsEn (as words) and brandsZh are the otherBrands this catalog
	// does not carry.
	brandsEn [][]string
	brandsZh []string
	// zhPrefix is each product's Chinese name's first two characters,
	// when they start no other's ("" otherwise).
	zhPrefix []string
	pool     sync.Pool // *scratch
}

type posting struct {
	p    int32
	w    float32 // field weight
	name bool    // in the product's English or Chinese name
}

// scratch is one Match's accumulators, pooled.
type scratch struct {
	score, name []float32
	kind        []bool
	touched     []int32
}

var (
	fullWidthParens = strings.NewReplacer("（", "(", "）", ")")
	tagSeparators   = strings.NewReplacer("-", " ", "_", " ")
)

// conceptWords are the English words of concepts' forms, which a
// misspelt word may also be corrected to ("sleping" → "sleeping").
var conceptWords = func() map[string]bool {
	m := map[string]bool{}
	for _, c := range concepts {
		for _, e := range c.en {
			for _, w := range latinWords(fold(e)) {
				m[w] = true
			}
		}
	}
	return m
}()

func newProductIndex(products []commerce.Product) *productIndex {
	x := &productIndex{products: products, n: len(products), terms: map[string]int32{}, deletes: map[string][]string{},
		byConcept: make([][]int32, len(concepts)), kinds: make([][]int, len(products)), qualified: make([]bool, len(products)), suits: make([]bool, len(products)),
		byTerms: make([][]int32, len(products)), colourOf: map[string]string{}, sizeOf: map[string]Size{}}
	brands := map[string]int{}
	descDF := map[int32]int{} // how many products' descriptions hold a description term
	for _, p := range products {
		brands[strings.ToLower(strings.TrimSpace(p.Brand))]++
	}
	for i, p := range products {
		fields := map[int32]posting{}
		add := func(t string, w float32, name bool) {
			id, ok := x.terms[t]
			if !ok {
				id = int32(len(x.post))
				x.terms[t] = id
				x.post = append(x.post, nil)
				x.desc = append(x.desc, strings.HasPrefix(t, descPrefix))
			}
			f, seen := fields[id]
			if !seen || w > f.w {
				f.w = w
			}
			f.name = f.name || name
			f.p = int32(i)
			fields[id] = f
		}
		brand := strings.ToLower(strings.TrimSpace(p.Brand))
		var brandWords []string
		if brand != "" {
			brandWords = latinWords(fold(brand))
			for _, w := range brandWords {
				add(w, wBrand, false)
			}
		}
		shared := brands[brand] > 1
		for _, name := range []string{p.Name, p.NameZh} {
			low := fold(name)
			base := fold(BaseName(fullWidthParens.Replace(name)))
			for _, w := range latinWords(base) {
				if stopWords[w] || shared && slices.Contains(brandWords, w) {
					continue
				}
				add(w, wName, true)
			}
			for _, b := range hanBigrams(base) {
				add(b, wName, true)
			}
			if extra := strings.TrimPrefix(low, base); extra != "" {
				for _, w := range latinWords(extra) {
					add(w, wExtra, false)
				}
				for _, b := range hanBigrams(extra) {
					add(b, wExtra, false)
				}
			}
			x.kinds[i] = append(x.kinds[i], conceptsIn(latinWords(low), low)...)
		}
		for _, d := range []string{p.Description, p.DescriptionZh} {
			n := 0
			low := fold(tagSeparators.Replace(d))
			for _, w := range latinWords(low) {
				if n < maxDescTerms && !stopWords[w] && !isDigits(w) {
					add(descPrefix+w, wDesc, false)
					n++
				}
			}
			for _, b := range hanBigrams(low) {
				if n < maxDescTerms {
					add(descPrefix+b, wDesc, false)
					n++
				}
			}
		}
		var base []int // the name's and category's kinds, qualifiers aside
		for k, t := range append([]string{p.Category}, p.Tags...) {
			low := fold(tagSeparators.Replace(t))
			for _, w := range latinWords(low) {
				if !stopWords[w] {
					add(w, wTag, false)
				}
			}
			for _, b := range hanBigrams(low) {
				add(b, wTag, false)
			}
			found := conceptsIn(latinWords(low), low)
			if k == 0 {
				x.qualified[i] = slices.ContainsFunc(append(slices.Clone(x.kinds[i]), found...), func(c int) bool { return concepts[c].qualifier })
				base = withParents(slices.DeleteFunc(append(slices.Clone(x.kinds[i]), found...), func(c int) bool { return concepts[c].qualifier }))
			} else {
				// A tag names what the product is for as well as what
				// it is ("stove" on a fuel canister): its kind counts
				// unless the name and category give one of another
				// family.
				found = slices.DeleteFunc(found, func(c int) bool {
					return !concepts[c].qualifier && len(base) > 0 && !related(base, withParents([]int{c}))
				})
			}
			x.kinds[i] = append(x.kinds[i], found...)
		}
		x.kinds[i] = withParents(x.kinds[i])
		for _, c := range x.kinds[i] {
			x.byConcept[c] = append(x.byConcept[c], int32(i))
			x.suits[i] = x.suits[i] || concepts[c].qualifier
		}
		for id, f := range fields {
			class := fieldClass(f)
			if x.desc[id] {
				// Scored only on candidates, through byTerms.
				descDF[id]++
				class = 0
			} else {
				x.post[id] = append(x.post[id], f)
			}
			x.byTerms[i] = append(x.byTerms[i], id<<2|class)
		}
		slices.Sort(x.byTerms[i])
		x.variants(p)
	}
	x.idf = make([]float32, len(x.post))
	x.common = make([]bool, len(x.post))
	x.number = make([]bool, len(x.post))
	for t, id := range x.terms {
		x.idf[id] = idf(x.n, len(x.post[id])+descDF[id])
		x.number[id] = isDigits(t)
		x.common[id] = commonWords[t] || utf8.RuneCountInString(t) < 2 && !x.number[id]
		if isFuzzable(t) && x.hasName(id) {
			for _, k := range deletions(t) {
				x.deletes[k] = append(x.deletes[k], t)
			}
		}
	}
	for w := range conceptWords {
		if isFuzzable(w) {
			for _, k := range deletions(w) {
				if !slices.Contains(x.deletes[k], w) {
					x.deletes[k] = append(x.deletes[k], w)
				}
			}
		}
	}
	x.cidf = make([]float32, len(concepts))
	for c, ps := range x.byConcept {
		x.cidf[c] = idf(x.n, len(ps))
	}
	x.otherBrands()
	x.zhPrefixes()
	x.frequent = max(256, x.n/32)
	x.strong = idf(x.n, max(4, x.n/100))
	x.pool.New = func() any {
		return &scratch{score: make([]float32, x.n), name: make([]float32, x.n), kind: make([]bool, x.n)}
	}
	return x
}

// fieldClass encodes a posting's field weight in two bits, for byTerms.
func fieldClass(f posting) int32 {
	switch {
	case f.name:
		return 3
	case f.w >= wTag:
		return 2
	}
	return 1
}

// classWeight is the field weight of a fieldClass, and of a description
// term (class 0).
var classWeight = [4]float32{wDesc, wBrand, wTag, wName}

// variants reads p's variant labels into colourOf and sizeOf.
func (x *productIndex) variants(p commerce.Product) {
	for _, v := range p.Variants {
		if _, ok := x.colourOf[v.Color]; !ok {
			x.colourOf[v.Color] = Colour(v.Color)
		}
		if _, ok := x.sizeOf[v.Size]; !ok {
			x.sizeOf[v.Size] = variantSize(v.Size)
		}
	}
}

func (x *productIndex) hasName(id int32) bool {
	for _, p := range x.post[id] {
		if p.name {
			return true
		}
	}
	return false
}

func idf(n, df int) float32 {
	if df == 0 {
		return 0
	}
	return float32(math.Log(1 + float64(n)/float64(df)))
}

// withParents adds the parents of the concepts in ids, each concept once.
func withParents(ids []int) []int {
	var out []int
	var add func(i int)
	add = func(i int) {
		if slices.Contains(out, i) {
			return
		}
		out = append(out, i)
		for _, p := range concepts[i].parents {
			if j := conceptIndex(p); j >= 0 {
				add(j)
			}
		}
	}
	for _, i := range ids {
		add(i)
	}
	return out
}

// related reports whether two sets of concepts, parents included,
// share one.
func related(a, b []int) bool {
	for _, c := range a {
		if !concepts[c].qualifier && slices.Contains(b, c) {
			return true
		}
	}
	return false
}

func conceptIndex(id string) int {
	return slices.IndexFunc(concepts, func(c concept) bool { return c.id == id })
}

// isFuzzable reports whether a misspelling of w is worth correcting:
// four or more letters, no digits, not an everyday or stop word.
func isFuzzable(w string) bool {
	if len(w) < 4 || commonWords[w] || stopWords[w] {
		return false
	}
	for i := 0; i < len(w); i++ {
		if w[i] < 'a' || w[i] > 'z' {
			return false
		}
	}
	return true
}

// deletions returns w and each form of it with one letter deleted.
func deletions(w string) []string {
	out := make([]string, 0, len(w)+1)
	out = append(out, w)
	for i := 0; i < len(w); i++ {
		out = append(out, w[:i]+w[i+1:])
	}
	return out
}

// corrections returns the indexed words w may be a misspelling of: at
// an edit distance of one (a transposition counts one), found through
// the deletion index.
func (x *productIndex) corrections(w string) []string {
	if !isFuzzable(w) {
		return nil
	}
	var out []string
	for _, k := range deletions(w) {
		for _, c := range x.deletes[k] {
			// A word of four letters is corrected into a kind only
			// ("tnet"), not into a name ("ride" is not "Ridge").
			if c != w && !slices.Contains(out, c) && (len(w) >= 5 || conceptWords[c]) && edlib.OSADamerauLevenshteinDistance(w, c) == 1 {
				out = append(out, c)
			}
		}
	}
	return out
}
