package intent

import (
	"errors"
	"fmt"

	"github.com/shopdesk/shopdesk/textclass"
)

// Options tune Train. The zero value is the configuration that ships.
type Options struct {
	// Features; zero means textclass.DefaultFeatures.
	Features textclass.Features
	// Train tunes the optimizer; its zero value is textclass's defaults
	// with seed 1.
	Train textclass.TrainOptions
	// Weights weigh training examples by Source; a missing source weighs
	// DefaultWeights'.
	Weights map[string]float32
	// NoThreshold keeps every action however unsure (for comparisons).
	NoThreshold bool
	// Start, if set, is fine-tuned instead of training from zero: its
	// weights are the starting point and its Features are used.
	Start *Classifier
}

// DefaultWeights weigh Bitext's examples, which are many, English only
// and repetitive, below the project's, the templates' and the merchant's.
var DefaultWeights = map[string]float32{SourceProject: 1, SourceMerchant: 1, SourceTemplate: 1, SourceBitext: 0.1}

// DefaultTrain are the optimizer settings that ship, chosen on dev.
var DefaultTrain = textclass.TrainOptions{Epochs: 10, LearningRate: 0.4, L2: 1e-4, MinCount: 1, Seed: 1}

// TrainReport says what Train learned from and how it measured.
type TrainReport struct {
	// Examples counts the examples used, by source and split.
	Examples map[string]map[string]int `json:"examples"`
	// Temperature is the calibration fitted on dev.
	Temperature float64 `json:"temperature"`
	// Thresholds are, for each action, the confidence below which it
	// becomes None: the lowest with no dev None message taken as it.
	Thresholds map[Label]float64 `json:"thresholds"`
	// Dev and Test measure the finished classifier (quantized, calibrated,
	// thresholded) on the project's dev and test splits.
	Dev  Report `json:"dev"`
	Test Report `json:"test"`
	// ModelBytes is the size of the encoded classifier.
	ModelBytes int `json:"model_bytes"`
}

// Train fits a classifier to the examples of split train, calibrates its
// confidence and chooses its threshold on split dev, and measures it on
// dev and test. Only the project's examples are measured; examples of
// other sources are training data whatever their split. Training is
// deterministic.
func Train(examples []Example, opts Options) (*Classifier, TrainReport, error) {
	f := opts.Features
	if f == (textclass.Features{}) {
		f = textclass.DefaultFeatures
	}
	if opts.Start != nil {
		f = opts.Start.model.Features
	}
	to := opts.Train
	if to == (textclass.TrainOptions{}) {
		to = DefaultTrain
	}
	rep := TrainReport{Examples: map[string]map[string]int{}}
	var train []textclass.Sample
	var dev, test []Example
	for _, ex := range examples {
		split := ex.Split
		if ex.Source != SourceProject {
			split = SplitTrain
		}
		if rep.Examples[ex.Source] == nil {
			rep.Examples[ex.Source] = map[string]int{}
		}
		rep.Examples[ex.Source][split]++
		switch split {
		case SplitTrain:
			w, ok := opts.Weights[ex.Source]
			if !ok {
				w = DefaultWeights[ex.Source]
			}
			if w > 0 {
				train = append(train, textclass.Sample{X: f.Extract(ex.Text, nil), Y: index(ex.Intent), Weight: w})
			}
		case SplitDev:
			dev = append(dev, ex)
		case SplitTest:
			test = append(test, ex)
		}
	}
	if len(train) == 0 {
		return nil, rep, errors.New("intent: no training examples")
	}
	names := make([]string, len(Labels))
	for i, l := range Labels {
		names[i] = string(l)
	}
	m, err := textclass.NewModel(f, names)
	if err != nil {
		return nil, rep, err
	}
	if opts.Start != nil {
		copy(m.W, opts.Start.model.W)
		copy(m.B, opts.Start.model.B)
	}
	textclass.Train(m, train, to)
	// Measure what ships: the quantized weights.
	data, err := m.MarshalBinary()
	if err != nil {
		return nil, rep, err
	}
	if m, err = textclass.Decode(data); err != nil {
		return nil, rep, fmt.Errorf("intent: decoding the trained model: %w", err)
	}
	devSamples := make([]textclass.Sample, len(dev))
	for i, ex := range dev {
		devSamples[i] = textclass.Sample{X: f.Extract(ex.Text, nil), Y: index(ex.Intent)}
	}
	rep.Temperature = float64(textclass.Calibrate(m, devSamples))
	c := newClassifier(m, nil)
	if !opts.NoThreshold {
		c.thresholds = noneSafeThresholds(c, dev)
	}
	rep.Thresholds = map[Label]float64{}
	for i, t := range c.thresholds[1:] {
		rep.Thresholds[Labels[i+1]] = float64(t)
	}
	rep.Dev = Evaluate(c.Classify, dev)
	rep.Test = Evaluate(c.Classify, test)
	enc, err := c.MarshalBinary()
	if err != nil {
		return nil, rep, err
	}
	rep.ModelBytes = len(enc)
	return c, rep, nil
}

// noneSafeThresholds returns, for each action, the lowest confidence
// threshold at which no None example of dev is classified as it: just
// above the most confident such mistake, or 0 when there is none.
func noneSafeThresholds(c *Classifier, dev []Example) []float32 {
	t := make([]float32, len(Labels))
	for _, ex := range dev {
		if ex.Intent != None {
			continue
		}
		p := c.Probabilities(ex.Text)
		best := 0
		for i := range p {
			if p[i] > p[best] {
				best = i
			}
		}
		if best != 0 {
			t[best] = max(t[best], float32(p[best])+1e-4)
		}
	}
	return t
}

func index(l Label) int {
	for i, x := range Labels {
		if x == l {
			return i
		}
	}
	return -1
}
