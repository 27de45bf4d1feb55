package curated

import (
	"context"
	"errors"
	"strings"
	"testing"
)

func TestStoreAndTenants(t *testing.T) {
	ctx := context.Background()
	s := openTestStore(t)
	m := NewMatcher(s, nil)
	a, err := s.Create(ctx, "a", Answer{Question: "Do you offer gift wrapping?", Answer: "Yes, $4 per item.", Alternates: []string{"gift wrap", " gift wrap ", ""}})
	if err != nil {
		t.Fatal(err)
	}
	if a.Lang != "en" || len(a.Alternates) != 1 || !strings.HasPrefix(a.ID, "ca-") {
		t.Errorf("created %+v", a)
	}
	if _, err := s.Create(ctx, "a", Answer{Question: "do you offer GIFT wrapping", Answer: "x"}); !errors.Is(err, ErrConflict) {
		t.Errorf("same question: %v, want ErrConflict", err)
	}
	got, ok, err := m.Match(ctx, "a", "do you offer gift wrapping")
	if err != nil || !ok || got.Answer.ID != a.ID || got.Score < StrongMatch {
		t.Fatalf("match = %+v %v %v", got, ok, err)
	}
	if _, ok, _ := m.Match(ctx, "b", "do you offer gift wrapping"); ok {
		t.Fatal("tenant a's answer matched for tenant b")
	}
	if _, ok, _ := s.Get(ctx, "b", a.ID); ok {
		t.Fatal("tenant b reads tenant a's answer")
	}
	if _, err := s.Update(ctx, "b", a.ID, Answer{Question: "q", Answer: "x"}); !errors.Is(err, ErrNotFound) {
		t.Errorf("update across tenants: %v", err)
	}
	if ok, _ := s.Delete(ctx, "b", a.ID); ok {
		t.Error("tenant b deleted tenant a's answer")
	}
	// The matcher sees changes at once.
	if _, err := s.Update(ctx, "a", a.ID, Answer{Question: "Is there a student discount?", Answer: "10% off."}); err != nil {
		t.Fatal(err)
	}
	if got, _, _ := m.Match(ctx, "a", "is there a student discount"); got.Answer.Answer != "10% off." {
		t.Errorf("after update: %+v", got)
	}
	if ok, _ := s.Delete(ctx, "a", a.ID); !ok {
		t.Fatal("delete failed")
	}
	if _, ok, _ := m.Match(ctx, "a", "is there a student discount"); ok {
		t.Error("a deleted answer still matches")
	}
}

func TestValidate(t *testing.T) {
	for _, tc := range []struct {
		a     Answer
		field string
	}{
		{Answer{Answer: "x"}, "question"},
		{Answer{Question: "?!", Answer: "x"}, "question"},
		{Answer{Question: "q"}, "answer"},
		{Answer{Question: "q", Answer: "x", Lang: "fr"}, "lang"},
		{Answer{ID: "a b", Question: "q", Answer: "x"}, "id"},
		{Answer{Question: "q", Answer: strings.Repeat("x", MaxAnswerBytes+1)}, "answer"},
		{Answer{Question: "q\xff", Answer: "x"}, "text"},
	} {
		err := tc.a.Validate()
		if !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), tc.field+":") {
			t.Errorf("%+v: %v, want an error naming %s", tc.a, err, tc.field)
		}
	}
}

func TestParseAndReimport(t *testing.T) {
	ctx := context.Background()
	s := openTestStore(t)
	csv := "question,answer,alternates,tags\nDo you rent tents?,Yes by the weekend.,tent rental|rent a tent,store\n可以租帐篷吗,可以,,\n"
	as, err := Parse("a.csv", strings.NewReader(csv))
	if err != nil || len(as) != 2 || len(as[0].Alternates) != 2 || as[1].Lang != "zh" {
		t.Fatalf("csv = %+v, %v", as, err)
	}
	if res, err := s.Import(ctx, "a", as); err != nil || res.Added != 2 {
		t.Fatal(res, err)
	}
	as[0].Answer = "Yes, Fridays to Mondays."
	if res, err := s.Import(ctx, "a", as); err != nil || res.Updated != 2 || res.Added != 0 {
		t.Fatal(res, err)
	}
	if list, _ := s.List(ctx, "a", "", 0); len(list) != 2 || list[0].Answer != "Yes, Fridays to Mondays." && list[1].Answer != "Yes, Fridays to Mondays." {
		t.Errorf("after re-import: %+v", list)
	}
	for _, tc := range []struct{ name, text, want string }{
		{"a.jsonl", `{"question":"q","answer":"a"}` + "\n" + `{"question":"q2"}`, "a.jsonl:2: "},
		{"a.jsonl", `{"question":"q","answer":"a","extra":1}`, "a.jsonl:1: "},
		{"a.jsonl", `{"question":"q","answer":"a","tags":5}`, "a.jsonl:1: "},
		{"a.csv", "question,answer\nq,a\n,a\n", "a.csv:3: "},
		{"a.csv", "question,reply\n", "a.csv:1: unknown column"},
		{"a.csv", "question,answer\n", "no curated answers"},
		{"a.txt", "", "unknown file type"},
	} {
		_, err := Parse(tc.name, strings.NewReader(tc.text))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("Parse(%s, %q) = %v, want %q", tc.name, tc.text, err, tc.want)
		}
	}
}

func FuzzParse(f *testing.F) {
	f.Add("a.jsonl", `{"question":"q","answer":"a","alternates":"x|y","tags":["t"]}`)
	f.Add("a.csv", "question,answer,alternates\nq,a,b|c\n")
	f.Add("a.csv", "\ufeffQuestion,Answer\n\"q\n2\",a\n")
	f.Fuzz(func(t *testing.T, name, text string) {
		as, err := Parse(name, strings.NewReader(text))
		if err != nil {
			if !strings.Contains(err.Error(), name) && !strings.Contains(err.Error(), "no curated") {
				t.Errorf("error does not name the file: %v", err)
			}
			return
		}
		for _, a := range as {
			if a.Question == "" || a.Answer == "" {
				t.Errorf("accepted %+v", a)
			}
		}
	})
}

// Learned phrasings of a curated answer match like its alternates, once
// the matcher is told they changed.
func TestLearnedPhrasingsMatch(t *testing.T) {
	ctx := context.Background()
	s := openTestStore(t)
	a, err := s.Create(ctx, "a", Answer{Question: "Do you offer gift wrapping?", Answer: "Yes."})
	if err != nil {
		t.Fatal(err)
	}
	learned := map[string][]string{}
	m := NewMatcher(s, func(_ context.Context, tenant string, ids []string) (map[string][]string, error) {
		if tenant != "a" {
			return nil, nil
		}
		return learned, nil
	})
	const q = "could you make it a present for my niece"
	if got, _, _ := m.Match(ctx, "a", q); got.Score >= StrongMatch {
		t.Fatalf("matches before learning: %+v", got)
	}
	learned[SourcePrefix+a.ID] = []string{"could you make it a present for my niece"}
	m.Invalidate("a")
	if got, _, _ := m.Match(ctx, "a", q); got.Answer.ID != a.ID || got.Score < StrongMatch {
		t.Fatalf("after learning: %+v", got)
	}
}
