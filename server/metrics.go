package server

import (
	"net/http"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/shopdesk/shopdesk/inference"
)

// Metrics are the Prometheus series the server exports on /metrics. A nil
// *Metrics records nothing.
type Metrics struct {
	registry     *prometheus.Registry
	requests     *prometheus.CounterVec
	duration     *prometheus.HistogramVec
	firstToken   prometheus.Histogram
	tokens       *prometheus.CounterVec
	streamErrors *prometheus.CounterVec
	answers      *prometheus.CounterVec
	checkFailed  *prometheus.CounterVec
	handoffs     *prometheus.CounterVec
	deliveries   *prometheus.CounterVec
	feedback     *prometheus.CounterVec
	csat         prometheus.Histogram
	gateAccepted *prometheus.CounterVec
	gateRejected *prometheus.CounterVec
}

// NewMetrics creates the series; hosts, if set, is read at each scrape for
// per-Ollama-host load and health.
func NewMetrics(hosts func() []inference.HostStats) *Metrics {
	m := &Metrics{
		registry: prometheus.NewRegistry(),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "shopdesk_http_requests_total", Help: "HTTP requests by route and status.",
		}, []string{"route", "status"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "shopdesk_http_request_duration_seconds", Help: "HTTP request duration by route.",
			Buckets: []float64{.005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30, 60, 120},
		}, []string{"route"}),
		firstToken: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name: "shopdesk_stream_first_token_seconds", Help: "Time from request to the first streamed token.",
			Buckets: []float64{.01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30},
		}),
		tokens: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "shopdesk_tokens_total", Help: "Tokens processed by Ollama, by kind (prompt, completion).",
		}, []string{"kind"}),
		streamErrors: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "shopdesk_stream_errors_total", Help: "Streams ended by an error after they started, by error code.",
		}, []string{"code"}),
		answers: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "shopdesk_assistant_answers_total",
			Help: "Assistant replies by outcome: answered, dont_know, handoff, fallback (no model available), action, curated (the merchant's words, verbatim).",
		}, []string{"outcome"}),
		checkFailed: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "shopdesk_grounding_check_failures_total",
			Help: "Claims removed from answers because no source supports them, by kind (price, order, product, citation).",
		}, []string{"kind"}),
		handoffs: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "shopdesk_handoffs_total", Help: "Conversations handed to a person, by reason.",
		}, []string{"reason"}),
		deliveries: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "shopdesk_handoff_deliveries_total", Help: "Hand-off webhook delivery attempts, by result (ok, failed).",
		}, []string{"result"}),
		feedback: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "shopdesk_feedback_total", Help: "Shoppers' ratings of answers, by rating (up, down).",
		}, []string{"rating"}),
		csat: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name: "shopdesk_csat", Help: "Shoppers' satisfaction with whole conversations, 1 to 5.",
			Buckets: []float64{1, 2, 3, 4, 5},
		}),
		gateAccepted: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "shopdesk_model_gate_accepted_total", Help: "Chat model changes the model gate let in, by new Ollama tag.",
		}, []string{"model"}),
		gateRejected: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "shopdesk_model_gate_rejections_total",
			Help: "Chat model changes the model gate kept out (scored worse, or could not be evaluated), by new Ollama tag.",
		}, []string{"model"}),
	}
	m.registry.MustRegister(m.requests, m.duration, m.firstToken, m.tokens, m.streamErrors,
		m.answers, m.checkFailed, m.handoffs, m.deliveries, m.feedback, m.csat, m.gateAccepted, m.gateRejected,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	if hosts != nil {
		m.registry.MustRegister(hostCollector{hosts})
	}
	return m
}

func (m *Metrics) handler() http.Handler {
	return promhttp.HandlerFor(m.registry, promhttp.HandlerOpts{})
}

func (m *Metrics) observeRequest(route string, status int, took time.Duration) {
	if m == nil {
		return
	}
	m.requests.WithLabelValues(route, strconv.Itoa(status)).Inc()
	m.duration.WithLabelValues(route).Observe(took.Seconds())
}

func (m *Metrics) observeFirstToken(d time.Duration) {
	if m != nil {
		m.firstToken.Observe(d.Seconds())
	}
}

func (m *Metrics) countTokens(u usage) {
	if m != nil {
		m.tokens.WithLabelValues("prompt").Add(float64(u.PromptTokens))
		m.tokens.WithLabelValues("completion").Add(float64(u.CompletionTokens))
	}
}

func (m *Metrics) countStreamError(code string) {
	if m != nil {
		m.streamErrors.WithLabelValues(code).Inc()
	}
}

var (
	hostInFlight = prometheus.NewDesc("shopdesk_ollama_in_flight", "Calls running on an Ollama host.", []string{"host"}, nil)
	hostQueued   = prometheus.NewDesc("shopdesk_ollama_queued", "Calls waiting for an Ollama host.", []string{"host"}, nil)
	hostUp       = prometheus.NewDesc("shopdesk_ollama_up", "1 if the Ollama host is in rotation, 0 while it is skipped after a failure.", []string{"host"}, nil)
)

// hostCollector reads the inference pool's state at scrape time.
type hostCollector struct{ stats func() []inference.HostStats }

func (h hostCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- hostInFlight
	ch <- hostQueued
	ch <- hostUp
}

func (h hostCollector) Collect(ch chan<- prometheus.Metric) {
	for _, st := range h.stats() {
		up := 0.0
		if st.Healthy {
			up = 1
		}
		ch <- prometheus.MustNewConstMetric(hostInFlight, prometheus.GaugeValue, float64(st.InFlight), st.URL)
		ch <- prometheus.MustNewConstMetric(hostQueued, prometheus.GaugeValue, float64(st.Queued), st.URL)
		ch <- prometheus.MustNewConstMetric(hostUp, prometheus.GaugeValue, up, st.URL)
	}
}

// Answered counts an assistant reply by outcome.
func (m *Metrics) Answered(outcome string) {
	if m != nil {
		m.answers.WithLabelValues(outcome).Inc()
	}
}

// CheckFailed counts a claim the grounding check removed.
func (m *Metrics) CheckFailed(kind string) {
	if m != nil {
		m.checkFailed.WithLabelValues(kind).Inc()
	}
}

// Escalated counts a hand-off to a person.
func (m *Metrics) Escalated(reason string) {
	if m != nil {
		m.handoffs.WithLabelValues(reason).Inc()
	}
}

// HandoffDelivered counts a webhook delivery attempt.
func (m *Metrics) HandoffDelivered(ok bool) {
	if m != nil {
		result := "ok"
		if !ok {
			result = "failed"
		}
		m.deliveries.WithLabelValues(result).Inc()
	}
}

func (m *Metrics) countFeedback(rating string) {
	if m != nil {
		m.feedback.WithLabelValues(rating).Inc()
	}
}

func (m *Metrics) countCSAT(score int) {
	if m != nil {
		m.csat.Observe(float64(score))
	}
}

// Register adds collectors of other parts of shopdesk to /metrics.
func (m *Metrics) Register(cs ...prometheus.Collector) error {
	if m == nil {
		return nil
	}
	for _, c := range cs {
		if err := m.registry.Register(c); err != nil {
			return err
		}
	}
	return nil
}

// ModelGate counts a model gate decision on a new chat model.
func (m *Metrics) ModelGate(model string, accepted bool) {
	if m == nil {
		return
	}
	if accepted {
		m.gateAccepted.WithLabelValues(model).Inc()
	} else {
		m.gateRejected.WithLabelValues(model).Inc()
	}
}
