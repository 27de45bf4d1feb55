package intent

import (
	"cmp"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/shopdesk/shopdesk/textclass"
)

// Options tune Train. The zero value is the configuration that ships.
type Options struct {
	// Features; zero means textclass.DefaultFeatures.
	Features textclass.Features
	// Train tunes the optimizer; zero means DefaultTrain.
	Train textclass.TrainOptions
	// Weights weigh training examples by Source; a missing source weighs
	// DefaultWeights'.
	Weights map[string]float32
	// NoneWeight scales the training weight of None examples; zero means
	// DefaultNoneWeight.
	NoneWeight float32
	// Tune names the splits of the project's set on which the
	// temperature and the thresholds are fitted; nil means TuneSplits.
	Tune []string
	// Headroom is added to each none-safe threshold; negative means none,
	// zero DefaultHeadroom.
	Headroom float64
	// MaxThreshold caps the thresholds, so that one None message the
	// model is sure is an action does not switch the action off; zero
	// means DefaultMaxThreshold.
	MaxThreshold float64
	// NoThreshold keeps every action however unsure (for comparisons).
	NoThreshold bool
	// Start, if set, is refitted instead of training from zero
	// (textclass.Refit): the merchant's examples are what is new, the
	// other training examples what Start learned from. Its Features are
	// used.
	Start *Classifier
}

// DefaultWeights weigh Bitext's examples, which are many, English only
// and repetitive, below the project's, the templates' and the merchant's.
var DefaultWeights = map[string]float32{SourceProject: 1, SourceMerchant: 1, SourceTemplate: 1, SourceBitext: 0.1}

// DefaultTrain are the optimizer settings that ship, chosen on dev2.
var DefaultTrain = textclass.TrainOptions{L2: 3e-6, Tolerance: 1e-8}

// DefaultNoneWeight weighs None examples against the actions', chosen on
// the three-way dev cross of the seventh round (627 right and 6 None
// messages taken as actions, against 624 and 5 at 2 and 622 and 5 at 3;
// the sixth round chose 2, the fifth 1.5): a heavier None moves the
// boundary towards it.
const DefaultNoneWeight = 1.5

// DefaultMaxThreshold caps the thresholds (1: no cap), chosen by fitting
// them on one dev set and measuring on the other.
const DefaultMaxThreshold = 0.5

// TuneSplits are where the shipped temperature and thresholds are fitted.
var TuneSplits = DevSplits

// DefaultHeadroom is added to the none-safe thresholds, chosen by fitting
// them on one dev set and measuring on the other.
const DefaultHeadroom = 0.0

// TrainReport says what Train learned from and how it measured.
type TrainReport struct {
	// Examples counts the examples used, by source and split.
	Examples map[string]map[string]int `json:"examples"`
	// Optimizer says how training ended.
	Optimizer textclass.TrainResult `json:"optimizer"`
	// Temperature is the calibration fitted on the Tune splits.
	Temperature float64 `json:"temperature"`
	// Thresholds are, for each action, the confidence below which it
	// becomes None: the lowest with no Tune None message taken as it,
	// plus the headroom.
	Thresholds map[Label]float64 `json:"thresholds"`
	// Dev, Dev2 and Dev3 measure the finished classifier (quantized,
	// calibrated, thresholded) on the project's dev splits; Test is
	// filled by Retrain only.
	Dev  Report `json:"dev"`
	Dev2 Report `json:"dev2"`
	Dev3 Report `json:"dev3"`
	Test Report `json:"test"`
	// ModelBytes is the size of the encoded classifier.
	ModelBytes int `json:"model_bytes"`
	// LeftOut counts the training examples, by source, left out because
	// a dev or test message of the project's set has the same text.
	LeftOut map[string]int `json:"left_out,omitempty"`
}

// Train fits a classifier to the examples of split train, calibrates its
// confidence and chooses its thresholds on the Tune splits, and measures
// it on the dev splits; of the test splits it reads only the texts, to
// leave out any training example (of any source: a template's expansion,
// Bitext, a merchant's) with the text of a dev or test message, case and
// outer spaces aside, so that no evaluation message is learned word for
// word. Examples of other sources than the project are training data
// whatever their split.
// Training is a convex optimization run to convergence: deterministic,
// and independent of the order of the examples.
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
	tune := opts.Tune
	if tune == nil {
		tune = TuneSplits
	}
	rep := TrainReport{Examples: map[string]map[string]int{}}
	var train, extra []textclass.Sample
	bySplit := map[string][]Example{}
	held := heldOutTexts(examples)
	for _, ex := range examples {
		split := ex.Split
		if ex.Source != SourceProject {
			split = SplitTrain
		}
		if split == SplitTrain && held[textKey(ex.Text)] {
			if rep.LeftOut == nil {
				rep.LeftOut = map[string]int{}
			}
			rep.LeftOut[ex.Source]++
			continue
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
			if ex.Intent == None {
				w *= cmp.Or(opts.NoneWeight, DefaultNoneWeight)
			}
			if w <= 0 {
				break
			}
			s := textclass.Sample{X: f.Extract(ex.Text, nil), Y: index(ex.Intent), Weight: w}
			if opts.Start != nil && ex.Source == SourceMerchant {
				extra = append(extra, s)
			} else {
				train = append(train, s)
			}
		case SplitDev, SplitDev2, SplitDev3:
			bySplit[split] = append(bySplit[split], ex)
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
		rep.Optimizer = textclass.Refit(m, train, extra, to)
	} else {
		rep.Optimizer = textclass.Train(m, train, to)
	}
	// Measure what ships: the quantized weights.
	data, err := m.MarshalBinary()
	if err != nil {
		return nil, rep, err
	}
	if m, err = textclass.Decode(data); err != nil {
		return nil, rep, fmt.Errorf("intent: decoding the trained model: %w", err)
	}
	var tuning []Example
	for _, s := range tune {
		if !slices.Contains(DevSplits, s) {
			return nil, rep, fmt.Errorf("intent: cannot tune on split %q", s)
		}
		tuning = append(tuning, bySplit[s]...)
	}
	tuneSamples := make([]textclass.Sample, len(tuning))
	for i, ex := range tuning {
		tuneSamples[i] = textclass.Sample{X: f.Extract(ex.Text, nil), Y: index(ex.Intent)}
	}
	rep.Temperature = float64(textclass.Calibrate(m, tuneSamples))
	c := newClassifier(m, nil)
	if !opts.NoThreshold {
		head := opts.Headroom
		if head == 0 {
			head = DefaultHeadroom
		}
		c.thresholds = noneSafeThresholds(c, tuning, max(0, head))
		top := float32(cmp.Or(opts.MaxThreshold, DefaultMaxThreshold))
		for i := range c.thresholds {
			c.thresholds[i] = min(c.thresholds[i], top)
		}
	}
	rep.Thresholds = map[Label]float64{}
	for i, t := range c.thresholds[1:] {
		rep.Thresholds[Labels[i+1]] = float64(t)
	}
	rep.Dev = Evaluate(c.Classify, bySplit[SplitDev])
	rep.Dev2 = Evaluate(c.Classify, bySplit[SplitDev2])
	rep.Dev3 = Evaluate(c.Classify, bySplit[SplitDev3])
	enc, err := c.MarshalBinary()
	if err != nil {
		return nil, rep, err
	}
	rep.ModelBytes = len(enc)
	return c, rep, nil
}

// noneSafeThresholds returns, for each action, the lowest confidence
// threshold at which no None example of tuning is classified as it:
// just above the most confident such mistake, plus headroom, rounded up
// to a multiple of thresholdStep, or 0 when there is none.
func noneSafeThresholds(c *Classifier, tuning []Example, headroom float64) []float32 {
	t := make([]float32, len(Labels))
	for _, ex := range tuning {
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
			// Up to the next step of thresholdStep, so that a retrain
			// that moves the dev messages a little keeps the thresholds.
			v := math.Ceil((p[best]+1e-4+headroom)/thresholdStep) * thresholdStep
			t[best] = max(t[best], float32(min(1, v)))
		}
	}
	return t
}

// thresholdStep is the grid the thresholds are rounded up to.
const thresholdStep = 0.01

func index(l Label) int {
	return slices.Index(Labels, l)
}

// heldOutTexts are the keys (textKey) of the project's dev and test
// messages among examples.
func heldOutTexts(examples []Example) map[string]bool {
	held := map[string]bool{}
	for _, ex := range examples {
		if ex.Source == SourceProject && ex.Split != SplitTrain {
			held[textKey(ex.Text)] = true
		}
	}
	return held
}

// textKey is the text as compared with held-out messages: case and outer
// spaces aside.
func textKey(text string) string { return strings.ToLower(strings.TrimSpace(text)) }
