package server

import (
	"fmt"
	"math"
)

// barChart is a bar chart drawn as inline SVG by the page template: the
// geometry is computed here, in the SVG's user units.
type barChart struct {
	ID            string
	Width, Height int
	Bars          []chartBar
	// Ticks are the value axis's labelled lines.
	Ticks []chartTick
	// Empty: nothing to draw.
	Empty bool
}

// chartBar is one bar with its label and the value it shows.
type chartBar struct {
	X, Y, W, H   float64
	Label, Value string
	// LabelX and ShowLabel place the category label under the bar.
	LabelX    float64
	ShowLabel bool
}

// chartTick is a horizontal line of the value axis.
type chartTick struct {
	Y     float64
	Label string
}

// The chart's frame, in user units.
const (
	chartW, chartH           = 640, 240
	chartLeft, chartBottom   = 48, 36
	chartTop, chartRightPad  = 12, 8
	chartMaxCategoryLabels   = 8
	chartMinBarGap, chartGap = 1, 0.2
	chartMaxBar              = 48
)

// bars lays out values (labelled by labels) against a value axis from 0
// to top (the largest value when top is 0; with integer, rounded up so
// the ticks fall on whole numbers), each shown with format.
func bars(id string, labels []string, values []float64, top float64, integer bool, format func(float64) string) barChart {
	ch := barChart{ID: id, Width: chartW, Height: chartH}
	for _, v := range values {
		top = math.Max(top, v)
	}
	if integer {
		top = math.Ceil(top/4) * 4 // ticks at whole numbers
	}
	if len(values) == 0 || top <= 0 {
		ch.Empty = true
		return ch
	}
	plotW, plotH := float64(chartW-chartLeft-chartRightPad), float64(chartH-chartTop-chartBottom)
	step := plotW / float64(len(values))
	w := math.Min(chartMaxBar, math.Max(chartMinBarGap, step*(1-chartGap)))
	every := max(1, (len(values)+chartMaxCategoryLabels-1)/chartMaxCategoryLabels)
	for i, v := range values {
		h := plotH * v / top
		x := float64(chartLeft) + step*float64(i) + (step-w)/2
		ch.Bars = append(ch.Bars, chartBar{X: round1(x), Y: round1(float64(chartTop) + plotH - h), W: round1(w), H: round1(h),
			Label: labels[i], Value: format(v), LabelX: round1(x + w/2), ShowLabel: i%every == 0})
	}
	for i := 0; i <= 4; i++ {
		v := top * float64(i) / 4
		ch.Ticks = append(ch.Ticks, chartTick{Y: round1(float64(chartTop) + plotH - plotH*float64(i)/4), Label: format(v)})
	}
	return ch
}

func round1(f float64) float64 { return math.Round(f*10) / 10 }

func formatCount(v float64) string { return fmt.Sprintf("%.0f", v) }

func formatShare(v float64) string { return fmt.Sprintf("%.0f%%", v*100) }

func formatScore(v float64) string { return fmt.Sprintf("%.1f", v) }
