package textclass

import (
	"bytes"
	"errors"
	"testing"
)

func TestNormalize(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"Where's my ORDER #48213?", " where's my order #0? "},
		{"soooo   late!!!!", " soo late!! "},
		{"我的快递？？？", " 我的快递?? "},
		{"ＡＢＣ，１２３。", " abc,0. "},
		{"it’s", " it's "},
		{"", " "},
	} {
		if got := string(Normalize(tc.in, nil)); got != tc.want {
			t.Errorf("Normalize(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestExtract(t *testing.T) {
	f := Features{Bits: 16, CharMin: 1, CharMax: 3, WordMax: 2}
	a := f.Extract("where is my order", nil)
	b := f.Extract("WHERE is my order 123", nil)
	if len(a) == 0 || len(b) <= len(a) {
		t.Fatalf("%d and %d features", len(a), len(b))
	}
	shared := map[uint32]bool{}
	for _, x := range a {
		shared[x.Index] = true
	}
	n := 0
	for _, x := range b {
		if shared[x.Index] {
			n++
		}
		if x.Index >= 1<<16 {
			t.Fatalf("index %d out of range", x.Index)
		}
	}
	if n < len(a) {
		t.Errorf("case changed the features: %d of %d shared", n, len(a))
	}
	if v := f.Extract("", nil); len(v) != 0 {
		t.Errorf("empty text has %d features", len(v))
	}
}

// TestTrainSeparates trains on a toy problem in both languages and checks
// the round trip through the file format.
func TestTrainSeparates(t *testing.T) {
	f := Features{Bits: 12, CharMin: 1, CharMax: 3}
	m, err := NewModel(f, []string{"ship", "refund"})
	if err != nil {
		t.Fatal(err)
	}
	var s []Sample
	for _, x := range []struct {
		text string
		y    int
	}{{"where is my parcel", 0}, {"track my package", 0}, {"快递到哪了", 0}, {"my refund please", 1}, {"refund my money", 1}, {"退款到账了吗", 1}} {
		s = append(s, Sample{X: f.Extract(x.text, nil), Y: x.y})
	}
	if r := Train(m, s, TrainOptions{}); !r.Converged {
		t.Errorf("not converged: %+v", r)
	}
	data, err := m.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	m2, err := Decode(data)
	if err != nil {
		t.Fatal(err)
	}
	p := make([]float32, 2)
	for text, want := range map[string]int{"where's my parcel?": 0, "refund please": 1, "快递呢": 0, "退款呢": 1} {
		if got := m2.Probs(f.Extract(text, nil), p); got != want {
			t.Errorf("%q: class %d (%v), want %d", text, got, p, want)
		}
	}
	again, _ := m2.MarshalBinary()
	if !bytes.Equal(again, data) {
		t.Error("re-encoding a decoded model changed it")
	}
}

func TestNewModelLimits(t *testing.T) {
	for _, f := range []Features{{Bits: 4, CharMin: 1, CharMax: 3}, {Bits: 23, CharMin: 1, CharMax: 3}, {Bits: 16, CharMin: 3, CharMax: 2}} {
		if _, err := NewModel(f, []string{"a", "b"}); err == nil {
			t.Errorf("%+v accepted", f)
		}
	}
	if _, err := NewModel(Features{Bits: 22, CharMin: 1, CharMax: 3}, make([]string, 10)); err == nil {
		t.Error("4M buckets × 10 labels accepted")
	}
}

func FuzzDecode(f *testing.F) {
	m, _ := NewModel(Features{Bits: 8, CharMin: 1, CharMax: 2}, []string{"a", "b"})
	m.W[3], m.W[100] = 0.5, -1
	good, _ := m.MarshalBinary()
	f.Add(good)
	f.Add(good[:len(good)-5])
	f.Add([]byte("SDTC\x01"))
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := Decode(data)
		if err != nil {
			if !errors.Is(err, ErrCorrupt) {
				t.Errorf("error %v does not wrap ErrCorrupt", err)
			}
			return
		}
		m.Probs(m.Features.Extract("hello 你好", nil), make([]float32, len(m.Labels)))
	})
}
