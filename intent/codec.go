package intent

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"math"

	"github.com/shopdesk/shopdesk/textclass"
)

// classifierMagic opens an encoded Classifier: the magic, a threshold per
// label (float32, little-endian), then the textclass model.
const classifierMagic = "SDIC2"

// MarshalBinary encodes c.
func (c *Classifier) MarshalBinary() ([]byte, error) {
	m, err := c.model.MarshalBinary()
	if err != nil {
		return nil, err
	}
	var b bytes.Buffer
	b.WriteString(classifierMagic)
	for _, t := range c.thresholds {
		b.Write(binary.LittleEndian.AppendUint32(nil, math.Float32bits(t)))
	}
	b.Write(m)
	return b.Bytes(), nil
}

// Decode reads a Classifier written by MarshalBinary. A damaged file, or
// a model whose labels are not Labels, is an error; it never panics.
func Decode(data []byte) (*Classifier, error) {
	head := len(classifierMagic) + 4*len(Labels)
	if len(data) < head || string(data[:len(classifierMagic)]) != classifierMagic {
		return nil, fmt.Errorf("%w: not an intent classifier", textclass.ErrCorrupt)
	}
	t := make([]float32, len(Labels))
	for i := range t {
		t[i] = math.Float32frombits(binary.LittleEndian.Uint32(data[len(classifierMagic)+4*i:]))
		if !(t[i] >= 0 && t[i] <= 1.001) {
			return nil, fmt.Errorf("%w: threshold %v", textclass.ErrCorrupt, t[i])
		}
	}
	m, err := textclass.Decode(data[head:])
	if err != nil {
		return nil, err
	}
	if len(m.Labels) != len(Labels) {
		return nil, fmt.Errorf("%w: %d labels, want %d", textclass.ErrCorrupt, len(m.Labels), len(Labels))
	}
	for i, l := range m.Labels {
		if Label(l) != Labels[i] {
			return nil, fmt.Errorf("%w: label %d is %q, want %q", textclass.ErrCorrupt, i, l, Labels[i])
		}
	}
	return newClassifier(m, t), nil
}
