package intent

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestParseExamplesErrors(t *testing.T) {
	for _, tc := range []struct{ name, in, want string }{
		{"not json", "hello", "line 1"},
		{"unknown intent", `{"text":"hi","intent":"buy"}`, `unknown intent "buy"`},
		{"empty text", `{"text":"  ","intent":"none"}`, "empty text"},
		{"oversize", `{"text":"` + strings.Repeat("a", MaxExampleBytes+1) + `","intent":"none"}`, "more than"},
		{"bad lang", `{"text":"hi","intent":"none","lang":"fr"}`, `unknown lang "fr"`},
		{"bad split", `{"text":"hi","intent":"none","split":"val"}`, `unknown split "val"`},
		{"unknown field", `{"text":"hi","intent":"none","label":"x"}`, "unknown field"},
		{"two values", `{"text":"hi","intent":"none"} {}`, "more than one"},
		{"names the line", "\n{\"text\":\"hi\",\"intent\":\"none\"}\n{\"text\":\"\",\"intent\":\"none\"}", "line 3"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseExamples(strings.NewReader(tc.in))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("err = %v, want %q", err, tc.want)
			}
		})
	}
	ex, err := ParseExamples(strings.NewReader(`{"text":"我的快递呢","intent":"order_status"}`))
	if err != nil || len(ex) != 1 || ex[0].Lang != "zh" {
		t.Errorf("language not detected: %+v %v", ex, err)
	}
}

func TestAddExamples(t *testing.T) {
	dir := t.TempDir()
	if err := AddExamples(dir, []Example{{Text: "ok", Intent: None}, {Text: "x", Intent: "nope"}}); err == nil || !strings.Contains(err.Error(), "example 1") {
		t.Errorf("err = %v, want example 1 named", err)
	}
	if _, err := os.Stat(filepath.Join(dir, MerchantFile)); err == nil {
		t.Error("a rejected batch wrote the file")
	}
	if err := AddExamples(dir, nil); err == nil {
		t.Error("no examples accepted")
	}
	// A file the merchant edited by hand, without a final newline.
	os.WriteFile(filepath.Join(dir, MerchantFile), []byte(`{"text":"hi there","intent":"none"}`), 0o644)
	if err := AddExamples(dir, []Example{{Text: "where's my stuff", Intent: OrderStatus, Split: SplitTest}}); err != nil {
		t.Fatal(err)
	}
	got, err := ReadMerchantExamples(dir)
	if err != nil || len(got) != 2 {
		t.Fatalf("read back %+v, %v", got, err)
	}
	if got[1].Split != SplitTrain || got[1].Source != SourceMerchant || got[1].Lang != "en" {
		t.Errorf("merchant example %+v: want train, merchant, en", got[1])
	}
	os.WriteFile(filepath.Join(dir, MerchantFile), []byte("{\"text\":\"a\",\"intent\":\"none\"}\n{bad\n"), 0o644)
	if _, err := ReadMerchantExamples(dir); err == nil || !strings.Contains(err.Error(), "intents.jsonl: line 2") {
		t.Errorf("err = %v, want the file and line named", err)
	}
}

func FuzzParseExamples(f *testing.F) {
	f.Add(`{"text":"where is my order","intent":"order_status","lang":"en","split":"train"}`)
	f.Add(`{"text":"我要退货","intent":"start_return"}` + "\n\n" + `{"text":1}`)
	f.Add(`{"text":"\u0000","intent":"none","split":"dev"}`)
	f.Fuzz(func(t *testing.T, s string) {
		ex, err := ParseExamples(strings.NewReader(s))
		if err != nil {
			return
		}
		for _, e := range ex {
			if _, err := e.validate(); err != nil || e.Text == "" || !Valid(e.Intent) {
				t.Errorf("accepted an invalid example %+v", e)
			}
		}
	})
}

func FuzzDecode(f *testing.F) {
	good, _ := Default().MarshalBinary()
	f.Add(good[:200])
	f.Add(good)
	f.Add([]byte("SDIC2"))
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := Decode(data)
		if err == nil {
			c.Classify("where is my order")
		}
	})
}

func TestDecodeCorrupt(t *testing.T) {
	good, err := Default().MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		data []byte
	}{
		{"empty", nil},
		{"truncated", good[:len(good)/2]},
		{"flipped byte", func() []byte { b := append([]byte(nil), good...); b[len(b)/2] ^= 0x40; return b }()},
		{"wrong magic", append([]byte("XXXX"), good[4:]...)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := Decode(tc.data); err == nil {
				t.Error("no error")
			}
		})
	}
}
