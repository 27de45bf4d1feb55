package catalog

import (
	"slices"
	"strings"

	"github.com/shopdesk/shopdesk/commerce"
)

// Constraint is the colour and size a message asks of a product's
// variants. The zero Constraint asks for nothing.
type Constraint struct {
	// Color is a canonical English colour ("green"; see Colour), or "".
	Color string
	Size  Size
}

// IsZero reports whether c asks for nothing.
func (c Constraint) IsZero() bool { return c.Color == "" && c.Size.IsZero() }

// ReadConstraint reads the colour and the size text asks for, in either
// language ("in green, size M", "绿色42码", "one size up").
func ReadConstraint(text string) Constraint {
	low := fold(text)
	return readConstraint(text, low, latinWords(low))
}

// readConstraint is ReadConstraint of text, its folded form and words.
func readConstraint(text, low string, words []string) Constraint {
	return Constraint{Color: colourInWords(low, words), Size: readSize(text, low)}
}

// Matching returns p's variants that answer c, best first: the colour
// asked for before one of its family (olive for green), the size as
// written before one converted from another scale, then in stock before
// out of stock, then in catalog order. from, if it has a SKU, is the
// shopper's current variant (the one ordered, for an exchange): what c
// does not name keeps from's colour or size, c.Size.Step counts from its
// size ("大一码"), and from itself is left out. It returns nil when no
// variant answers c, or p has none.
func Matching(p commerce.Product, c Constraint, from commerce.Variant) []commerce.Variant {
	want := c.Size
	if want.Step != 0 {
		if from.SKU == "" {
			return nil
		}
		label, ok := SizeStep(p, from.Size, want.Step)
		if !ok {
			return nil
		}
		want = variantSize(label)
		if want.IsZero() {
			want = Size{Word: strings.ToLower(label)}
		}
	}
	colour := c.Color
	keepColour := from.SKU != "" && colour == ""
	keepSize := from.SKU != "" && want.IsZero()
	type fit struct {
		v     commerce.Variant
		score int
	}
	var fits []fit
	for _, v := range p.Variants {
		if from.SKU != "" && v.SKU == from.SKU {
			continue
		}
		cf := colourFit(v.Color, colour)
		if keepColour {
			cf = 0
			if v.Color == from.Color {
				cf = 2
			}
		}
		sf := sizeFitLabel(v.Size, want)
		if keepSize {
			sf = 0
			if v.Size == from.Size {
				sf = 3
			}
		}
		if cf == 0 || sf == 0 {
			continue
		}
		score := cf*8 + sf*2
		if v.Stock > 0 {
			score++
		}
		fits = append(fits, fit{v, score})
	}
	slices.SortStableFunc(fits, func(a, b fit) int { return b.score - a.score })
	if len(fits) == 0 {
		return nil
	}
	out := make([]commerce.Variant, len(fits))
	for i, f := range fits {
		out[i] = f.v
	}
	return out
}

// sizeFitLabel is sizeFit, with a label the size reader does not know
// compared as written ("750 ml").
func sizeFitLabel(label string, want Size) int {
	if want.Word != "" && !slices.Contains([]string{"regular", "long", "short"}, want.Word) {
		if strings.EqualFold(strings.TrimSpace(label), want.Word) {
			return 3
		}
		return 0
	}
	return sizeFit(label, want)
}

// Variant returns p's variant in a colour and a size as a shopper writes
// them, in either language ("绿色" or "green"; "42码", "EU 42", "M",
// "中码"), mapped onto p's own scheme: the best of Matching. An empty
// colour or size matches any. It reports false when no variant matches.
func Variant(p commerce.Product, color, size string) (commerce.Variant, bool) {
	c := Constraint{Color: Colour(color), Size: ReadSize(size)}
	if color != "" && c.Color == "" {
		c.Color = strings.ToLower(strings.TrimSpace(color)) // a colour the table does not know, compared as written
	}
	if size != "" && c.Size.IsZero() {
		c.Size = Size{Word: strings.ToLower(strings.TrimSpace(size))}
		if s := variantSize(size); !s.IsZero() {
			c.Size = s
		}
	}
	vs := Matching(p, c, commerce.Variant{})
	if len(vs) == 0 {
		return commerce.Variant{}, false
	}
	return vs[0], true
}

// SizeStep returns p's size step sizes above current (below, for a
// negative step), in p's own order of sizes: letter sizes XXS to XXXL,
// numbers on one scale and gender by value, others in catalog order. It
// reports false when current is not one of p's sizes or the step runs
// off the end.
func SizeStep(p commerce.Product, current string, step int) (string, bool) {
	cur := variantSize(current)
	var labels []string
	for _, v := range p.Variants {
		if v.Size == "" || slices.Contains(labels, v.Size) {
			continue
		}
		s := variantSize(v.Size)
		if cur.Number != 0 && (s.System != cur.System || s.Gender != cur.Gender) {
			continue // another scale: men's steps stay men's
		}
		labels = append(labels, v.Size)
	}
	slices.SortStableFunc(labels, func(a, b string) int {
		ra, rb := sizeRank(a), sizeRank(b)
		switch {
		case ra < rb:
			return -1
		case ra > rb:
			return 1
		}
		return 0
	})
	i := slices.IndexFunc(labels, func(l string) bool { return strings.EqualFold(l, strings.TrimSpace(current)) })
	if i < 0 || i+step < 0 || i+step >= len(labels) {
		return "", false
	}
	return labels[i+step], true
}

// sizeRank orders sizes of one scale; sizes it cannot place keep their
// catalog order (equal ranks sort stably).
func sizeRank(label string) float64 {
	s := variantSize(label)
	if len(s.Letters) > 0 {
		return float64(slices.Index([]string{"XXS", "XS", "S", "M", "L", "XL", "XXL", "XXXL"}, s.Letters[0]))
	}
	if s.Number != 0 {
		return s.Number
	}
	switch s.Word {
	case "short":
		return 0
	case "regular":
		return 1
	case "long":
		return 2
	}
	return 0
}
