package catalog

import (
	"math"
	"slices"
	"strings"
	"sync"
	"unicode"
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
	wDesc = 0.1
)

// maxDescTerms is how many distinct terms of a description are indexed
// (its first ones, where the product's features lead), per language.
const maxDescTerms = 48

// productIndex finds products by the words of their names, brands,
// categories and tags, the character pairs of their Chinese names, and
// their kinds. It is built once per Snapshot.
type productIndex struct {
	products []commerce.Product
	n        int
	terms    map[string]int32
	post     [][]posting // by term
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
	qualified []bool  // products of a qualifier concept (children's)
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
		byConcept: make([][]int32, len(concepts)), kinds: make([][]int, len(products)), qualified: make([]bool, len(products)),
		byTerms: make([][]int32, len(products)), colourOf: map[string]string{}, sizeOf: map[string]Size{}}
	brands := map[string]int{}
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
					add(w, wDesc, false)
					n++
				}
			}
			for _, b := range hanBigrams(low) {
				if n < maxDescTerms {
					add(b, wDesc, false)
					n++
				}
			}
		}
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
			if k > 0 {
				// A tag names what the product is for as well as what
				// it is ("stove" on a fuel canister): its kind counts
				// when the name and category give none of another
				// family.
				base := withParents(x.kinds[i])
				found = slices.DeleteFunc(found, func(c int) bool {
					return !concepts[c].qualifier && len(base) > 0 && !related(base, withParents([]int{c}))
				})
			}
			x.kinds[i] = append(x.kinds[i], found...)
		}
		x.kinds[i] = withParents(x.kinds[i])
		for _, c := range x.kinds[i] {
			x.byConcept[c] = append(x.byConcept[c], int32(i))
			x.qualified[i] = x.qualified[i] || concepts[c].qualifier
		}
		for id, f := range fields {
			x.post[id] = append(x.post[id], f)
			x.byTerms[i] = append(x.byTerms[i], id<<2|fieldClass(f))
		}
		slices.Sort(x.byTerms[i])
		x.variants(p)
	}
	x.idf = make([]float32, len(x.post))
	x.common = make([]bool, len(x.post))
	x.number = make([]bool, len(x.post))
	for t, id := range x.terms {
		x.idf[id] = idf(x.n, len(x.post[id]))
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

// classWeight is the field weight of a fieldClass.
var classWeight = [4]float32{0, wBrand, wTag, wName}

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
			if c != w && !slices.Contains(out, c) && edlib.OSADamerauLevenshteinDistance(w, c) == 1 {
				out = append(out, c)
			}
		}
	}
	return out
}

// otherBrands keeps the otherBrands that no product's brand or name
// holds.
func (x *productIndex) otherBrands() {
	var own strings.Builder
	for _, p := range x.products {
		own.WriteString(fold(p.Brand + " " + p.Name + " " + p.NameZh))
		own.WriteByte('\n')
	}
	carried := own.String()
	for _, b := range otherBrands {
		f := fold(b)
		if strings.Contains(carried, f) {
			continue
		}
		if ws := latinWords(f); len(ws) > 0 {
			x.brandsEn = append(x.brandsEn, ws)
		} else {
			x.brandsZh = append(x.brandsZh, f)
		}
	}
}

// otherBrandsKind reports whether a message (folded, and its words)
// names a kind as another brand's: within three words (English) or
// characters (Chinese) of a brand the catalog does not carry ("my North
// Face down jacket", "北面的羽绒服"), anywhere in a message naming such a
// brand unless a determiner makes the kind one product, or with "other
// brands" and the like.
func (x *productIndex) otherBrandsKind(low string, words []string) bool {
	fixed := x.corrected(words) // for the kinds; brands are matched as written
	if otherBrandWords.MatchString(low) {
		return true
	}
	var near []int // word positions within three of an English brand
	for _, b := range x.brandsEn {
		for i := 0; i+len(b) <= len(words); i++ {
			if equalWords(words[i:i+len(b)], b) {
				for k := max(0, i-3); k < min(len(words), i+len(b)+3); k++ {
					near = append(near, k)
				}
			}
		}
	}
	var zhNear [][2]int // byte ranges within three characters of a Chinese brand
	for _, b := range x.brandsZh {
		eachIndex(low, b, func(i int) bool {
			zhNear = append(zhNear, [2]int{runesBack(low, i, 3), runesOn(low, i+len(b), 3)})
			return true
		})
	}
	if len(near) == 0 && len(zhNear) == 0 {
		return false
	}
	_, byWord, spans := kindsIn(fixed, low)
	for _, k := range near {
		if byWord != nil && byWord[k] > 0 {
			return true
		}
	}
	for _, sp := range spans {
		for _, r := range zhNear {
			if sp[0] < r[1] && sp[1] > r[0] {
				return true
			}
		}
	}
	// Elsewhere in the message, another brand makes a kind without a
	// determiner theirs ("how do I wash a down jacket? mine's a North
	// Face"); "the squishy flask" is still ours.
	return !specificKind(low, fixed)
}

// runesBack returns the byte offset n runes before i in s (or 0).
func runesBack(s string, i, n int) int {
	for ; n > 0 && i > 0; n-- {
		_, size := utf8.DecodeLastRuneInString(s[:i])
		i -= size
	}
	return i
}

// runesOn returns the byte offset n runes after i in s (or len(s)).
func runesOn(s string, i, n int) int {
	for ; n > 0 && i < len(s); n-- {
		_, size := utf8.DecodeRuneInString(s[i:])
		i += size
	}
	return i
}

// capitalised reports whether message writes a word of product p's
// name with a capital inside a sentence, as a name is written, or the
// first two characters of its Chinese name, where its own name stands
// ("微光那个怎么样" for 微光200头灯).
func (x *productIndex) capitalised(message string, p int) bool {
	if zh := []rune(fold(BaseName(x.products[p].NameZh))); len(zh) >= 2 && unicode.Is(unicode.Han, zh[0]) && unicode.Is(unicode.Han, zh[1]) &&
		strings.Contains(fold(message), string(zh[:2])) {
		return true
	}
	start := true // at the start of a sentence
	for i := 0; i < len(message); {
		r, size := utf8.DecodeRuneInString(message[i:])
		if !isWordRune(r) {
			if strings.ContainsRune(".!?。！？\n", r) {
				start = true
			}
			i += size
			continue
		}
		j := i
		for j < len(message) {
			r2, s2 := utf8.DecodeRuneInString(message[j:])
			if !isWordRune(r2) {
				break
			}
			j += s2
		}
		word := message[i:j]
		if !start && unicode.IsUpper(r) && len(word) > 1 && x.namesProduct(singular(fold(word)), p) {
			return true
		}
		start, i = false, j
	}
	return false
}

// namesProduct reports whether term is a word of product p's name.
func (x *productIndex) namesProduct(term string, p int) bool {
	id, ok := x.terms[term]
	if !ok {
		return false
	}
	for _, post := range x.post[id] {
		if int(post.p) == p && post.name {
			return true
		}
	}
	return false
}
