package eval

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/shopdesk/shopdesk/models"
)

func catalogWith(t *testing.T, chatTag string) *models.Catalog {
	t.Helper()
	c, err := models.Parse([]byte("models:\n  - {id: chat, tag: "+chatTag+", kind: chat}\n  - {id: embed, tag: e, kind: embedding}\n"), "test", models.Overrides{})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

type verdict struct {
	model    string
	accepted bool
}

func testGate(t *testing.T, scores map[string]Metrics, fail map[string]error) (*Gate, *[]string, *[]verdict) {
	t.Helper()
	var evaluated []string
	var verdicts []verdict
	g, err := NewGate(GateOptions{
		Items: mustParse(t, testSet),
		Evaluate: func(ctx context.Context, _ []Item, gen models.Entry) (Report, error) {
			evaluated = append(evaluated, gen.Tag)
			if err := fail[gen.Tag]; err != nil {
				if errors.Is(err, context.DeadlineExceeded) {
					<-ctx.Done()
					return Report{}, ctx.Err()
				}
				return Report{}, err
			}
			return Report{Overall: scores[gen.Tag]}, nil
		},
		Generator: func(c *models.Catalog) models.Entry { return c.Default(models.KindChat) },
		Verdict:   func(model string, ok bool) { verdicts = append(verdicts, verdict{model, ok}) },
		Timeout:   time.Minute,
	})
	if err != nil {
		t.Fatal(err)
	}
	return g, &evaluated, &verdicts
}

func TestGate(t *testing.T) {
	good := Metrics{Score: 0.8, FactRecall: 0.6, FactItems: 3, RefusalAccuracy: 1, CitationValidity: 1}
	same := good
	same.Score, same.FactRecall = 0.79, 0.59
	worse := good
	worse.Score, worse.RefusalAccuracy = 0.7, 0.5
	g, evaluated, verdicts := testGate(t, map[string]Metrics{"a": good, "b": same, "c": worse}, nil)
	a, b, c := catalogWith(t, "a"), catalogWith(t, "b"), catalogWith(t, "c")

	if g.Gated(a, catalogWith(t, "a")) || !g.Gated(a, b) {
		t.Fatal("Gated does not follow the generator's tag")
	}
	if err := g.Check(context.Background(), a, b); err != nil {
		t.Fatalf("an equal model (within tolerance) was rejected: %v", err)
	}
	err := g.Check(context.Background(), b, c)
	if err == nil || !strings.Contains(err.Error(), "refusal_accuracy 0.500 < 1.000") || !strings.Contains(err.Error(), "0.700 against 0.790") {
		t.Fatalf("worse model: %v", err)
	}
	// a measured first, then b; b's score was kept when it passed.
	if strings.Join(*evaluated, ",") != "a,b,c" {
		t.Errorf("evaluated %v", *evaluated)
	}
	if len(*verdicts) != 2 || (*verdicts)[0] != (verdict{"b", true}) || (*verdicts)[1] != (verdict{"c", false}) {
		t.Errorf("verdicts %v", *verdicts)
	}
}

func TestGateFailures(t *testing.T) {
	m := Metrics{Score: 0.5, RefusalAccuracy: 1, CitationValidity: 1}
	scores := map[string]Metrics{"a": m, "b": m}
	g, _, verdicts := testGate(t, scores, map[string]error{"broken": errors.New("model not found"), "slow": context.DeadlineExceeded})
	a := catalogWith(t, "a")
	if err := g.Check(context.Background(), a, catalogWith(t, "broken")); err == nil || !strings.Contains(err.Error(), "could not evaluate broken, so a stays: model not found") {
		t.Fatalf("failed evaluation: %v", err)
	}
	g.opts.Timeout = 20 * time.Millisecond
	if err := g.Check(context.Background(), a, catalogWith(t, "slow")); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("evaluation past the timeout: %v", err)
	}
	if err := g.Check(context.Background(), catalogWith(t, "broken"), a); err == nil || !strings.Contains(err.Error(), "could not measure the current model broken") {
		t.Fatalf("current model failing: %v", err)
	}
	if len(*verdicts) != 3 || (*verdicts)[0].accepted || (*verdicts)[1].accepted || (*verdicts)[2].accepted {
		t.Errorf("verdicts %v", *verdicts)
	}
	// A cancelled check (a newer edit) is no verdict.
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	g.opts.Timeout = time.Minute
	g.opts.Evaluate = func(ctx context.Context, _ []Item, _ models.Entry) (Report, error) { return Report{}, ctx.Err() }
	if err := g.Check(ctx, catalogWith(t, "fresh"), catalogWith(t, "b")); !errors.Is(err, context.Canceled) || len(*verdicts) != 3 {
		t.Fatalf("cancelled: %v, verdicts %v", err, *verdicts)
	}
	if _, err := NewGate(GateOptions{}); err == nil {
		t.Fatal("a gate without a golden set")
	}
}
