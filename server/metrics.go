package server

import (
	"net/http"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/tssguard/tssguard/reputation"
)

type metrics struct {
	reg       *prometheus.Registry
	requests  *prometheus.CounterVec
	latency   *prometheus.HistogramVec
	checks    map[string]prometheus.Counter // by answer, bound once: check is the hot path
	submitted prometheus.Counter
}

func newMetrics(ix *reputation.Index) *metrics {
	m := &metrics{reg: prometheus.NewRegistry()}
	m.requests = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "tssguard_http_requests_total", Help: "API requests by route and status code.",
	}, []string{"route", "code"})
	m.latency = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name: "tssguard_http_request_duration_seconds", Help: "API request latency by route.",
		Buckets: []float64{.0001, .0005, .001, .005, .01, .05, .1, .5, 1, 5},
	}, []string{"route"})
	checks := prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "tssguard_checks_total", Help: "Reputation checks by answer.",
	}, []string{"verdict"})
	m.checks = map[string]prometheus.Counter{}
	for _, v := range []string{"scam", "suspicious", "unknown", "allowlisted"} {
		m.checks[v] = checks.WithLabelValues(v)
	}
	m.submitted = prometheus.NewCounter(prometheus.CounterOpts{
		Name: "tssguard_scans_submitted_total", Help: "Scans accepted into the queue.",
	})
	entries := prometheus.NewGaugeFunc // one gauge per kind, read at scrape time
	for i, kind := range []string{"url", "domain", "number"} {
		m.reg.MustRegister(entries(prometheus.GaugeOpts{
			Name: "tssguard_index_entries", Help: "Listed entries in the reputation index.", ConstLabels: prometheus.Labels{"kind": kind},
		}, func() float64 {
			if ix == nil {
				return 0
			}
			u, d, n := ix.Len()
			return float64([]int{u, d, n}[i])
		}))
	}
	m.reg.MustRegister(m.requests, m.latency, checks, m.submitted,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

// route returns the observer for one route, with its label values bound
// once so that a request costs no label lookups.
func (m *metrics) route(route string) func(code int, took time.Duration) {
	hist := m.latency.WithLabelValues(route)
	var byCode [600]atomic.Pointer[prometheus.Counter]
	return func(code int, took time.Duration) {
		hist.Observe(took.Seconds())
		if code < 100 || code >= len(byCode) {
			code = 500
		}
		c := byCode[code].Load()
		if c == nil {
			counter := m.requests.WithLabelValues(route, strconv.Itoa(code))
			c = &counter
			byCode[code].Store(c)
		}
		(*c).Inc()
	}
}

func (m *metrics) handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{})
}
