package textclass

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"math"
)

// The file format, little-endian:
//
//	"SDTC" version(1)
//	bits charMin charMax wordMax (1 byte each)
//	labels: count(1), then each as length(1) and bytes
//	temperature, then per class bias and scale (float32)
//	rows: count (uvarint), then each as the bucket's distance from the
//	previous one (uvarint) and one int8 per class (weight = q * scale)
//	CRC-32 (IEEE) of everything before it
//
// Buckets whose weights all quantize to zero are not stored.
const (
	magic   = "SDTC"
	version = 1
)

// MarshalBinary encodes m, quantizing its weights to 8 bits per class.
// Decoding the result gives the weights a classifier in production uses;
// evaluate that, not m.
func (m *Model) MarshalBinary() ([]byte, error) {
	k := len(m.Labels)
	if k < 2 || k > maxLabels || len(m.W) != (1<<m.Features.Bits)*k || len(m.B) != k {
		return nil, errors.New("textclass: malformed model")
	}
	var b bytes.Buffer
	b.WriteString(magic)
	b.WriteByte(version)
	f := m.Features
	b.Write([]byte{byte(f.Bits), byte(f.CharMin), byte(f.CharMax), byte(f.WordMax), byte(k)})
	for _, l := range m.Labels {
		if len(l) == 0 || len(l) > 255 {
			return nil, fmt.Errorf("textclass: label %q: want 1..255 bytes", l)
		}
		b.WriteByte(byte(len(l)))
		b.WriteString(l)
	}
	scales := make([]float32, k)
	for i, w := range m.W {
		scales[i%k] = max(scales[i%k], float32(math.Abs(float64(w))))
	}
	for c := range scales {
		scales[c] /= 127
	}
	putF32(&b, m.Temperature)
	for c := range k {
		putF32(&b, m.B[c])
		putF32(&b, scales[c])
	}
	var rows bytes.Buffer
	q := make([]byte, k)
	n, prev := 0, 0
	for bucket := 0; bucket < len(m.W)/k; bucket++ {
		nonzero := false
		for c := range k {
			v := int8(0)
			if scales[c] > 0 {
				v = int8(max(-127, min(127, math.Round(float64(m.W[bucket*k+c]/scales[c])))))
			}
			q[c] = byte(v)
			nonzero = nonzero || v != 0
		}
		if !nonzero {
			continue
		}
		rows.Write(binary.AppendUvarint(nil, uint64(bucket-prev)))
		rows.Write(q)
		prev = bucket
		n++
	}
	b.Write(binary.AppendUvarint(nil, uint64(n)))
	b.Write(rows.Bytes())
	return binary.LittleEndian.AppendUint32(b.Bytes(), crc32.ChecksumIEEE(b.Bytes())), nil
}

// ErrCorrupt is wrapped by every error of Decode about the data itself.
var ErrCorrupt = errors.New("textclass: corrupt model")

// Decode reads a model written by MarshalBinary. Any damage, truncation
// or unknown version is an error wrapping ErrCorrupt; it never panics.
func Decode(data []byte) (*Model, error) {
	if len(data) < len(magic)+1+4 {
		return nil, fmt.Errorf("%w: %d bytes", ErrCorrupt, len(data))
	}
	body, sum := data[:len(data)-4], binary.LittleEndian.Uint32(data[len(data)-4:])
	if string(body[:len(magic)]) != magic {
		return nil, fmt.Errorf("%w: not a model file", ErrCorrupt)
	}
	if body[len(magic)] != version {
		return nil, fmt.Errorf("%w: version %d, want %d", ErrCorrupt, body[len(magic)], version)
	}
	if crc32.ChecksumIEEE(body) != sum {
		return nil, fmt.Errorf("%w: checksum mismatch", ErrCorrupt)
	}
	r := reader{b: body[len(magic)+1:]}
	f := Features{Bits: int(r.byte()), CharMin: int(r.byte()), CharMax: int(r.byte()), WordMax: int(r.byte())}
	k := int(r.byte())
	if r.err != nil {
		return nil, r.err
	}
	labels := make([]string, 0, min(k, maxLabels))
	for range min(k, maxLabels+1) {
		labels = append(labels, string(r.bytes(int(r.byte()))))
	}
	if r.err != nil {
		return nil, r.err
	}
	m, err := NewModel(f, labels)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrCorrupt, err)
	}
	m.Temperature = r.f32()
	scales := make([]float32, k)
	for c := range k {
		m.B[c], scales[c] = r.f32(), r.f32()
	}
	n := r.uvarint()
	buckets := uint64(len(m.W) / k)
	if r.err == nil && n > buckets {
		return nil, fmt.Errorf("%w: %d rows for %d buckets", ErrCorrupt, n, buckets)
	}
	bucket := uint64(0)
	for i := uint64(0); i < n && r.err == nil; i++ {
		d := r.uvarint()
		if i > 0 && d == 0 || d >= buckets || bucket+d >= buckets {
			return nil, fmt.Errorf("%w: row %d out of range", ErrCorrupt, i)
		}
		bucket += d
		q := r.bytes(k)
		for c, v := range q {
			m.W[int(bucket)*k+c] = float32(int8(v)) * scales[c]
		}
	}
	if r.err != nil {
		return nil, r.err
	}
	if len(r.b) != 0 {
		return nil, fmt.Errorf("%w: %d trailing bytes", ErrCorrupt, len(r.b))
	}
	if !(m.Temperature > 0 && m.Temperature < 100) {
		return nil, fmt.Errorf("%w: temperature %v", ErrCorrupt, m.Temperature)
	}
	for c := range k {
		if isBad(m.B[c]) || isBad(scales[c]) {
			return nil, fmt.Errorf("%w: class %d bias or scale not finite", ErrCorrupt, c)
		}
	}
	return m, nil
}

func isBad(v float32) bool { return math.IsNaN(float64(v)) || math.IsInf(float64(v), 0) }

func putF32(b *bytes.Buffer, v float32) {
	b.Write(binary.LittleEndian.AppendUint32(nil, math.Float32bits(v)))
}

// reader reads from b, remembering the first error.
type reader struct {
	b   []byte
	err error
}

func (r *reader) fail() {
	if r.err == nil {
		r.err = fmt.Errorf("%w: truncated", ErrCorrupt)
	}
	r.b = nil
}

func (r *reader) bytes(n int) []byte {
	if r.err != nil || n > len(r.b) {
		r.fail()
		return make([]byte, n)
	}
	v := r.b[:n]
	r.b = r.b[n:]
	return v
}

func (r *reader) byte() byte { return r.bytes(1)[0] }

func (r *reader) f32() float32 { return math.Float32frombits(binary.LittleEndian.Uint32(r.bytes(4))) }

func (r *reader) uvarint() uint64 {
	if r.err != nil {
		return 0
	}
	v, n := binary.Uvarint(r.b)
	if n <= 0 {
		r.fail()
		return 0
	}
	r.b = r.b[n:]
	return v
}
