package grounding

import (
	"slices"
	"testing"
)

func TestCitations(t *testing.T) {
	for _, tc := range []struct {
		text string
		want []int
	}{
		{"Yes [1].", []int{1}},
		{"Yes [1][3].", []int{1, 3}},
		{"Yes [1, 2].", []int{1, 2}},
		{"Yes [ 3 ].", []int{3}},
		{"[2] then [1] and [2, 1]", []int{2, 1}},
		{"好的【1】。", []int{1}},
		{"好的【1，2】【3、4】。", []int{1, 2, 3, 4}},
		{"好的［4］", []int{4}},
		{"[1;2]", []int{1, 2}},
		{"[[5]]", []int{5}},
		{"[1](https://shop.example)", []int{1}},
		{"\xff[2]\xfe", []int{2}},
		{"[007]", []int{7}},
		{"[0]", nil},
		{"[2024]", nil},
		{"[a] [1,] [,1] [1 2] [] [1】 【1] [-1]", nil},
		{"", nil},
	} {
		t.Run(tc.text, func(t *testing.T) {
			if got := Citations(tc.text); !slices.Equal(got, tc.want) {
				t.Errorf("Citations(%q) = %v, want %v", tc.text, got, tc.want)
			}
		})
	}
}

func TestDropCitations(t *testing.T) {
	for _, tc := range []struct {
		text string
		bad  []int
		want string
	}{
		{"Yes [7].", []int{7}, "Yes."},
		{"Yes [7]", []int{7}, "Yes"},
		{"See [7] here", []int{7}, "See here"},
		{"See [1, 7] here", []int{7}, "See [1] here"},
		{"See [7, 1] here", []int{7}, "See [1] here"},
		{"x [2；7；3] y", []int{7}, "x [2；3] y"},
		{"A[7][1] b", []int{7}, "A[1] b"},
		{"好的【7】。", []int{7}, "好的。"},
		{"[[7]1]", []int{7}, "[1]"},
		{"[[7]1]", []int{7, 1}, ""},
		{"[0] ok [1]", []int{0}, " ok [1]"},
		{"nothing [1]", []int{7}, "nothing [1]"},
	} {
		t.Run(tc.text, func(t *testing.T) {
			bad := make(map[int]bool)
			for _, n := range tc.bad {
				bad[n] = true
			}
			if got := dropCitations(tc.text, bad); got != tc.want {
				t.Errorf("dropCitations(%q, %v) = %q, want %q", tc.text, tc.bad, got, tc.want)
			}
		})
	}
}
