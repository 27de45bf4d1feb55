package eval

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// Report is the outcome of Run.
type Report struct {
	// Model is the Ollama tag that generated.
	Model   string             `json:"model"`
	Overall Metrics            `json:"overall"`
	ByLang  map[string]Metrics `json:"by_lang"`
	Items   []Result           `json:"items"`
	Took    time.Duration      `json:"took_ns"`
}

// Metrics are the scores of a set of results. Recalls and accuracies are
// means over the items they apply to, between 0 and 1.
type Metrics struct {
	Items int `json:"items"`
	// SourceRecall: the share of expected sources cited, averaged over the
	// SourceItems items that expect sources.
	SourceRecall float64 `json:"source_recall"`
	SourceItems  int     `json:"source_items"`
	// FactRecall: the share of expected facts stated, averaged over the
	// FactItems items that expect facts.
	FactRecall float64 `json:"fact_recall"`
	FactItems  int     `json:"fact_items"`
	// RefusalAccuracy: the share of all items that declined (don't know
	// or hand-off) exactly when they should have.
	RefusalAccuracy float64 `json:"refusal_accuracy"`
	// RoutingAccuracy: the share of the RoutingItems items expecting an
	// intent or outcome that got it.
	RoutingAccuracy float64 `json:"routing_accuracy"`
	RoutingItems    int     `json:"routing_items"`
	// CitationValidity: the share of citations ([n]) that name an
	// existing source; 1 when there are none.
	CitationValidity float64 `json:"citation_validity"`
	Citations        int     `json:"citations"`
	// RemovalRate: the share of the Generated model-written answers from
	// which the grounding check removed a claim (Removals in all).
	RemovalRate float64 `json:"removal_rate"`
	Removals    int     `json:"removals"`
	Generated   int     `json:"generated"`
	// Errors counts items whose turns failed.
	Errors int `json:"errors"`
	// Latency of the evaluated turns that did not fail.
	LatencyP50  time.Duration `json:"latency_p50_ns"`
	LatencyP95  time.Duration `json:"latency_p95_ns"`
	LatencyMean time.Duration `json:"latency_mean_ns"`
	// Score is the one number the model gate compares (see Score).
	Score float64 `json:"score"`
}

// The weights of Score.
const (
	weightSources   = 0.25
	weightFacts     = 0.30
	weightRefusal   = 0.20
	weightRouting   = 0.10
	weightCitations = 0.05
	weightGrounding = 0.10
)

// Score is the weighted mean
//
//	(0.25·SourceRecall + 0.30·FactRecall + 0.20·RefusalAccuracy +
//	 0.10·RoutingAccuracy + 0.05·CitationValidity + 0.10·(1 − RemovalRate)) / Σweights
//
// over the terms that apply: source recall, fact recall and routing
// accuracy drop out (with their weights) when no item expects sources,
// facts or a route. It is between 0 and 1, higher is better. Latency is
// reported but not scored: it measures the hardware as much as the model.
func (m Metrics) score() float64 {
	sum := weightRefusal*m.RefusalAccuracy + weightCitations*m.CitationValidity + weightGrounding*(1-m.RemovalRate)
	weights := weightRefusal + weightCitations + weightGrounding
	if m.SourceItems > 0 {
		sum, weights = sum+weightSources*m.SourceRecall, weights+weightSources
	}
	if m.FactItems > 0 {
		sum, weights = sum+weightFacts*m.FactRecall, weights+weightFacts
	}
	if m.RoutingItems > 0 {
		sum, weights = sum+weightRouting*m.RoutingAccuracy, weights+weightRouting
	}
	return sum / weights
}

// summarize computes the overall and per-language metrics.
func (r *Report) summarize() {
	r.Overall = metricsOf(r.Items)
	byLang := map[string][]Result{}
	for _, it := range r.Items {
		byLang[it.Lang] = append(byLang[it.Lang], it)
	}
	r.ByLang = map[string]Metrics{}
	for l, items := range byLang {
		r.ByLang[l] = metricsOf(items)
	}
}

func metricsOf(items []Result) Metrics {
	m := Metrics{Items: len(items)}
	var refusedOK, routedOK, badCites, removedAnswers int
	var latencies []time.Duration
	var total time.Duration
	for _, it := range items {
		if it.Err != "" {
			m.Errors++
		} else {
			latencies = append(latencies, it.Latency)
			total += it.Latency
		}
		if it.SourcesExpected > 0 {
			m.SourceItems++
			m.SourceRecall += float64(it.SourcesFound) / float64(it.SourcesExpected)
		}
		if it.FactsExpected > 0 {
			m.FactItems++
			m.FactRecall += float64(it.FactsFound) / float64(it.FactsExpected)
		}
		if it.RefuseOK {
			refusedOK++
		}
		if it.Routed {
			m.RoutingItems++
			if it.RouteOK {
				routedOK++
			}
		}
		m.Citations += it.Citations
		badCites += it.BadCitations
		m.Removals += len(it.Removed)
		if it.Generated {
			m.Generated++
			if len(it.Removed) > 0 {
				removedAnswers++
			}
		}
	}
	m.SourceRecall = ratio(m.SourceRecall, m.SourceItems)
	m.FactRecall = ratio(m.FactRecall, m.FactItems)
	m.RefusalAccuracy = ratio(float64(refusedOK), m.Items)
	m.RoutingAccuracy = ratio(float64(routedOK), m.RoutingItems)
	m.CitationValidity = 1
	if m.Citations > 0 {
		m.CitationValidity = 1 - float64(badCites)/float64(m.Citations)
	}
	m.RemovalRate = ratio(float64(removedAnswers), m.Generated)
	if n := len(latencies); n > 0 {
		slices.Sort(latencies)
		m.LatencyP50 = latencies[(n-1)/2]
		m.LatencyP95 = latencies[(n*95+99)/100-1]
		m.LatencyMean = total / time.Duration(n)
	}
	m.Score = m.score()
	return m
}

func ratio(sum float64, n int) float64 {
	if n == 0 {
		return 0
	}
	return sum / float64(n)
}

// Loss is one metric on which a candidate did worse than the current
// model by more than the tolerance.
type Loss struct {
	Metric    string  `json:"metric"`
	Current   float64 `json:"current"`
	Candidate float64 `json:"candidate"`
}

// String reads "fact_recall 0.40 < 0.52".
func (l Loss) String() string {
	op := "<"
	if l.Metric == "removal_rate" {
		op = ">"
	}
	return fmt.Sprintf("%s %.3f %s %.3f", l.Metric, l.Candidate, op, l.Current)
}

// Compare lists the metrics on which candidate is worse than current by
// more than tolerance: the score, each recall and accuracy, citation
// validity (lower is worse) and the removal rate (higher is worse).
// Latency is not compared. No losses means candidate is no worse.
func Compare(current, candidate Metrics, tolerance float64) []Loss {
	var lost []Loss
	lower := func(name string, cur, cand float64, applies bool) {
		if applies && cand < cur-tolerance {
			lost = append(lost, Loss{name, cur, cand})
		}
	}
	lower("score", current.Score, candidate.Score, true)
	lower("source_recall", current.SourceRecall, candidate.SourceRecall, current.SourceItems > 0)
	lower("fact_recall", current.FactRecall, candidate.FactRecall, current.FactItems > 0)
	lower("refusal_accuracy", current.RefusalAccuracy, candidate.RefusalAccuracy, true)
	lower("routing_accuracy", current.RoutingAccuracy, candidate.RoutingAccuracy, current.RoutingItems > 0)
	lower("citation_validity", current.CitationValidity, candidate.CitationValidity, true)
	if candidate.RemovalRate > current.RemovalRate+tolerance {
		lost = append(lost, Loss{"removal_rate", current.RemovalRate, candidate.RemovalRate})
	}
	return lost
}

// Losses joins losses for a log line: "score 0.512 < 0.600, fact_recall ...".
func Losses(lost []Loss) string {
	parts := make([]string, len(lost))
	for i, l := range lost {
		parts[i] = l.String()
	}
	return strings.Join(parts, ", ")
}
