package server

import (
	"context"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

var phrasingsDesc = prometheus.NewDesc("shopdesk_phrasings", "Learned phrasings of documents by status (candidate, approved, rejected), all tenants.", []string{"status"}, nil)

// phrasingCollector reads the phrasing counts at each scrape.
type phrasingCollector struct {
	counts func(ctx context.Context) (map[string]int, error)
}

func (p phrasingCollector) Describe(ch chan<- *prometheus.Desc) { ch <- phrasingsDesc }

func (p phrasingCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	counts, err := p.counts(ctx)
	if err != nil {
		return // a scrape without the series rather than a failed one
	}
	for status, n := range counts {
		ch <- prometheus.MustNewConstMetric(phrasingsDesc, prometheus.GaugeValue, float64(n), status)
	}
}

// CountPhrasings exports the phrasings by status (learning.Phrasings'
// Counts), read at each scrape. Curated replies are counted with the other
// outcomes, as shopdesk_assistant_answers_total{outcome="curated"}.
func (m *Metrics) CountPhrasings(counts func(ctx context.Context) (map[string]int, error)) {
	m.registry.MustRegister(phrasingCollector{counts})
}
