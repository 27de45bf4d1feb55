package insights

import (
	"context"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// Collector exports each tenant's KPIs of the last 24 hours as Prometheus
// gauges, computed when scraped and kept a minute.
type Collector struct {
	in      *Insights
	tenants func(ctx context.Context, since time.Time) ([]string, error)

	mu   sync.Mutex
	at   time.Time
	last map[string]KPIs
}

// NewCollector returns a collector over in for the tenants active since
// the time given.
func NewCollector(in *Insights, tenants func(ctx context.Context, since time.Time) ([]string, error)) *Collector {
	return &Collector{in: in, tenants: tenants}
}

var gauges = []struct {
	desc  *prometheus.Desc
	value func(KPIs) float64
}{
	{prometheus.NewDesc("shopdesk_kpi_conversations_24h", "Conversations started in the last 24 hours.", []string{"tenant"}, nil),
		func(k KPIs) float64 { return float64(k.Conversations) }},
	{prometheus.NewDesc("shopdesk_kpi_automated_resolution_rate_24h", "Share of the last 24 hours' conversations resolved without a person.", []string{"tenant"}, nil),
		func(k KPIs) float64 { return k.AutomatedResolutionRate }},
	{prometheus.NewDesc("shopdesk_kpi_handoff_rate_24h", "Share of the last 24 hours' conversations handed to a person.", []string{"tenant"}, nil),
		func(k KPIs) float64 { return k.HandoffRate }},
	{prometheus.NewDesc("shopdesk_kpi_dont_know_rate_24h", "Share of the last 24 hours' answers that were \"don't know\".", []string{"tenant"}, nil),
		func(k KPIs) float64 { return k.DontKnowRate }},
	{prometheus.NewDesc("shopdesk_kpi_fallback_rate_24h", "Share of the last 24 hours' answers sent from the FAQ while no model answered.", []string{"tenant"}, nil),
		func(k KPIs) float64 { return k.FallbackRate }},
	{prometheus.NewDesc("shopdesk_kpi_csat_24h", "Mean CSAT (1-5) given in the last 24 hours' conversations.", []string{"tenant"}, nil),
		func(k KPIs) float64 { return k.CSAT }},
	{prometheus.NewDesc("shopdesk_kpi_first_answer_p50_seconds_24h", "Median time to the first answer's first text, last 24 hours.", []string{"tenant"}, nil),
		func(k KPIs) float64 { return float64(k.FirstAnswerP50MS) / 1000 }},
	{prometheus.NewDesc("shopdesk_kpi_first_answer_p95_seconds_24h", "95th percentile of the time to the first answer's first text, last 24 hours.", []string{"tenant"}, nil),
		func(k KPIs) float64 { return float64(k.FirstAnswerP95MS) / 1000 }},
}

// Describe implements prometheus.Collector.
func (c *Collector) Describe(ch chan<- *prometheus.Desc) {
	for _, g := range gauges {
		ch <- g.desc
	}
}

// Collect implements prometheus.Collector.
func (c *Collector) Collect(ch chan<- prometheus.Metric) {
	for t, k := range c.current() {
		for _, g := range gauges {
			ch <- prometheus.MustNewConstMetric(g.desc, prometheus.GaugeValue, g.value(k), t)
		}
	}
}

func (c *Collector) current() map[string]KPIs {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.last != nil && time.Since(c.at) < time.Minute {
		return c.last
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	now := time.Now().UTC()
	out := map[string]KPIs{}
	tenants, err := c.tenants(ctx, now.Add(-2*RepeatWindow))
	if err != nil {
		return c.last
	}
	for _, t := range tenants {
		rep, err := c.in.KPIs(ctx, t, now.Add(-24*time.Hour), now)
		if err == nil {
			out[t] = rep.Total
		}
	}
	c.last, c.at = out, now
	return out
}
