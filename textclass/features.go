// Package textclass is a fast linear classifier for short messages in
// English and Chinese: hashed character n-grams (which need no Chinese word
// segmenter and tolerate typos) and word n-grams, a multinomial logistic
// regression trained by AdaGrad, temperature-calibrated probabilities, and
// a compact quantized file format.
//
// A Model is read-only once trained or decoded and safe for concurrent
// use; Extract allocates nothing when given a buffer of enough capacity.
package textclass

import (
	"math"
	"unicode"
)

// Features says how text becomes a sparse vector. Every Model carries the
// Features it was trained with.
type Features struct {
	// Bits sets the hash space: 1<<Bits buckets (8 to 22).
	Bits int
	// CharMin and CharMax bound the lengths of character n-grams, taken
	// across word boundaries; CharMax 0 switches them off.
	CharMin, CharMax int
	// WordMax is the longest word n-gram (Latin-script words); 0 switches
	// them off.
	WordMax int
}

// DefaultFeatures are character 1- to 4-grams in 2^18 buckets, the
// configuration chosen on the intent dev split (word n-grams on top of
// them measured no better there).
var DefaultFeatures = Features{Bits: 18, CharMin: 1, CharMax: 4}

// Feature is one non-zero entry of a sparse vector.
type Feature struct {
	Index uint32
	Value float32
}

// Vector is a sparse feature vector. An index may appear more than once;
// the entries add up.
type Vector []Feature

// Tags keep the hashes of different kinds of feature apart.
const (
	tagChar  = 0x9e3779b9
	tagWord  = 0x85ebca6b
	tagNamed = 0xc2b2ae35
)

// maxRunes bounds the text a vector is made from: a shopper's message
// longer than this is classified on its first maxRunes runes.
const maxRunes = 2000

// Extract appends the features of text to dst[:0] and returns it. Each
// n-gram counts 1/sqrt(n) where n is the number of n-grams, so that long
// and short messages score on one scale.
func (f Features) Extract(text string, dst Vector) Vector {
	dst = dst[:0]
	var stack [256]rune
	rs := Normalize(text, stack[:0])
	mask := uint32(1)<<f.Bits - 1
	if f.CharMax > 0 {
		for i := range rs {
			h := uint32(tagChar)
			for n := 1; n <= f.CharMax && i+n <= len(rs); n++ {
				h = mix(h, rs[i+n-1])
				if n >= f.CharMin && !(n == 1 && rs[i] == ' ') {
					dst = append(dst, Feature{Index: finish(h) & mask, Value: 1})
				}
			}
		}
	}
	if f.WordMax > 0 {
		var prev [4]uint32 // hashes of the last words, most recent first
		have := 0
		for i := 0; i < len(rs); {
			if !isWordRune(rs[i]) {
				if rs[i] != ' ' {
					have = 0 // punctuation and Chinese break word n-grams
				}
				i++
				continue
			}
			h := uint32(tagWord)
			j := i
			for j < len(rs) && isWordRune(rs[j]) {
				h = mix(h, rs[j])
				j++
			}
			i = j
			copy(prev[1:], prev[:3])
			prev[0] = h
			have = min(have+1, len(prev))
			g := uint32(tagWord)
			for n := 1; n <= f.WordMax && n <= have; n++ {
				g = mix(g, rune(prev[n-1]))
				dst = append(dst, Feature{Index: finish(g) & mask, Value: 1})
			}
		}
	}
	scaleVector(dst)
	return dst
}

// Named returns the bucket of a named feature, for features a caller
// computes itself (a lexicon's score, say) and appends to a Vector.
func (f Features) Named(name string) uint32 {
	h := uint32(tagNamed)
	for _, r := range name {
		h = mix(h, r)
	}
	return finish(h) & (uint32(1)<<f.Bits - 1)
}

func scaleVector(v Vector) {
	if len(v) == 0 {
		return
	}
	s := float32(1 / math.Sqrt(float64(len(v))))
	for i := range v {
		v[i].Value = s
	}
}

func isWordRune(r rune) bool {
	return r < 0x2e80 && (unicode.IsLetter(r) || unicode.IsDigit(r) || r == '\'')
}

// mix folds a rune into an FNV-1a style hash.
func mix(h uint32, r rune) uint32 {
	h ^= uint32(r)
	h *= 16777619
	return h
}

// finish is murmur3's finalizer, spreading the hash over the low bits.
func finish(h uint32) uint32 {
	h ^= h >> 16
	h *= 0x85ebca6b
	h ^= h >> 13
	h *= 0xc2b2ae35
	h ^= h >> 16
	return h
}
