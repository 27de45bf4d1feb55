package sentiment

import (
	_ "embed"
	"encoding/binary"
	"fmt"
	"math"
	"sync"

	"github.com/shopdesk/shopdesk/textclass"
)

// The hand-off requests Learned reports in Result.Handoff; they are
// handoff's reasons of the same names.
const (
	HandoffRequested = "requested" // the shopper asks for a person
	HandoffHighRisk  = "high_risk" // legal threat, safety incident, payment dispute
)

// moodLabels and handoffLabels are the class orders of the two models.
var (
	moodLabels    = []Label{Negative, Neutral, Positive}
	handoffLabels = []string{"none", HandoffRequested, HandoffHighRisk}
)

// Learned classifies mood with two linear models over character n-grams
// and the lexicon's verdict (Classify's score and label are features): one
// for negative / neutral / positive, one for whether the message asks for
// a person or is high-risk. Classify takes a few microseconds, does no
// I/O and is safe for concurrent use.
type Learned struct {
	mood, handoff *textclass.Model
	// handoffAt is the probability of a hand-off class from which Result
	// reports it, chosen on dev so that no dev message is flagged wrongly.
	handoffAt float32
	bufs      sync.Pool // *learnedBuffers
}

type learnedBuffers struct {
	vec         textclass.Vector
	mood, hands []float32
}

func newLearned(mood, handoff *textclass.Model, at float32) *Learned {
	l := &Learned{mood: mood, handoff: handoff, handoffAt: at}
	l.bufs.New = func() any {
		return &learnedBuffers{vec: make(textclass.Vector, 0, 512), mood: make([]float32, 3), hands: make([]float32, 3)}
	}
	return l
}

// lexiconFeatures appends the lexicon's verdict on text to v.
func lexiconFeatures(f textclass.Features, text string, v textclass.Vector) textclass.Vector {
	lex := Classify(text)
	v = append(v, textclass.Feature{Index: f.Named("lex:score"), Value: float32(lex.Score)})
	return append(v, textclass.Feature{Index: f.Named("lex:" + string(lex.Label)), Value: 1})
}

func (l *Learned) vector(text string, b *learnedBuffers) textclass.Vector {
	b.vec = l.mood.Features.Extract(text, b.vec)
	return lexiconFeatures(l.mood.Features, text, b.vec)
}

// Classify returns the mood of text. Label is the mood model's most
// probable class and Confidence its probability; Score is in [-1, 1],
// P(positive) − P(negative) pushed out of the neutral band when the label
// is not neutral, so that LabelFor(Score) == Label. Handoff is
// HandoffRequested or HandoffHighRisk when the hand-off model is sure
// enough (HandoffConfidence is its probability), else empty.
func (l *Learned) Classify(text string) Result {
	b := l.bufs.Get().(*learnedBuffers)
	defer l.bufs.Put(b)
	v := l.vector(text, b)
	best := l.mood.Probs(v, b.mood)
	h := l.handoff.Probs(v, b.hands)
	r := Result{Label: moodLabels[best], Confidence: float64(b.mood[best])}
	score := float64(b.mood[2] - b.mood[0])
	switch r.Label {
	case Negative:
		score = min(score, -NeutralBand)
	case Positive:
		score = max(score, NeutralBand)
	default:
		score = max(-NeutralBand+1e-3, min(NeutralBand-1e-3, score))
	}
	r.Score = score
	if h != 0 && 1-b.hands[0] >= l.handoffAt {
		r.Handoff, r.HandoffConfidence = handoffLabels[h], float64(b.hands[h])
	}
	return r
}

// learnedMagic opens an encoded Learned: the magic, the hand-off
// threshold (float32), then the mood and hand-off models, each as a
// uint32 length and a textclass model.
const learnedMagic = "SDMD1"

// MarshalBinary encodes l.
func (l *Learned) MarshalBinary() ([]byte, error) {
	b := append([]byte(learnedMagic), binary.LittleEndian.AppendUint32(nil, math.Float32bits(l.handoffAt))...)
	for _, m := range []*textclass.Model{l.mood, l.handoff} {
		data, err := m.MarshalBinary()
		if err != nil {
			return nil, err
		}
		b = binary.LittleEndian.AppendUint32(b, uint32(len(data)))
		b = append(b, data...)
	}
	return b, nil
}

// DecodeLearned reads a Learned written by MarshalBinary. Damage is an
// error wrapping textclass.ErrCorrupt; it never panics.
func DecodeLearned(data []byte) (*Learned, error) {
	n := len(learnedMagic)
	if len(data) < n+4 || string(data[:n]) != learnedMagic {
		return nil, fmt.Errorf("%w: not a mood model", textclass.ErrCorrupt)
	}
	at := math.Float32frombits(binary.LittleEndian.Uint32(data[n:]))
	if !(at >= 0 && at <= 1.001) {
		return nil, fmt.Errorf("%w: hand-off threshold %v", textclass.ErrCorrupt, at)
	}
	rest := data[n+4:]
	var ms []*textclass.Model
	for _, want := range [][]string{labelNames(moodLabels), handoffLabels} {
		if len(rest) < 4 || uint64(binary.LittleEndian.Uint32(rest)) > uint64(len(rest)-4) {
			return nil, fmt.Errorf("%w: truncated", textclass.ErrCorrupt)
		}
		size := binary.LittleEndian.Uint32(rest)
		m, err := textclass.Decode(rest[4 : 4+size])
		if err != nil {
			return nil, err
		}
		if fmt.Sprint(m.Labels) != fmt.Sprint(want) {
			return nil, fmt.Errorf("%w: labels %q, want %q", textclass.ErrCorrupt, m.Labels, want)
		}
		ms = append(ms, m)
		rest = rest[4+size:]
	}
	if len(rest) != 0 || ms[0].Features != ms[1].Features {
		return nil, fmt.Errorf("%w: trailing bytes or mismatched features", textclass.ErrCorrupt)
	}
	return newLearned(ms[0], ms[1], at), nil
}

func labelNames(ls []Label) []string {
	out := make([]string, len(ls))
	for i, l := range ls {
		out[i] = string(l)
	}
	return out
}

// The shipped mood model, trained by internal/gen from the labelled
// development set, data/mood.jsonl and Bitext; `go generate ./sentiment`
// reproduces it.
//
//go:generate go run ./internal/gen -out mood.bin
//go:embed mood.bin
var defaultLearned []byte

var learnedOnce = sync.OnceValues(func() (*Learned, error) { return DecodeLearned(defaultLearned) })

// Default returns the shipped learned model. It panics if the embedded
// model is damaged, which a test rules out.
func Default() *Learned {
	l, err := learnedOnce()
	if err != nil {
		panic("sentiment: embedded mood model: " + err.Error())
	}
	return l
}
