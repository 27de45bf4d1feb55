// Package embedding holds what shopdesk computes on embedding vectors
// outside the vector stores: the similarity that content gaps and the
// intent vote compare questions by.
package embedding

import "math"

// Cosine is the cosine similarity of a and b, in float64; 0 when their
// lengths differ or either is all zeros.
func Cosine(a, b []float32) float64 {
	if len(a) != len(b) || len(a) == 0 {
		return 0
	}
	var dot, na, nb float64
	for i := range a {
		dot += float64(a[i]) * float64(b[i])
		na += float64(a[i]) * float64(a[i])
		nb += float64(b[i]) * float64(b[i])
	}
	if na == 0 || nb == 0 {
		return 0
	}
	return dot / math.Sqrt(na*nb)
}
