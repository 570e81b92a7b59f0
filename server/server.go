// Package server is tssguard's REST API: scan submission and reports,
// reputation lookups from the in-memory index, the allowlist, exports and
// TAXII, health and metrics.
package server

import (
	"context"
	_ "embed"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"runtime"
	"strings"
	"sync"
	"time"

	"github.com/tssguard/tssguard/analyze"
	"github.com/tssguard/tssguard/internal/queue"
	"github.com/tssguard/tssguard/reputation"
	"github.com/tssguard/tssguard/store"
)

// Options configure the API.
type Options struct {
	Store  *store.DB
	Queue  *queue.Queue
	Index  *reputation.Index
	Logger *slog.Logger

	AllowPrivate bool // scans may visit private and loopback addresses (tests, labs)
	Dynamic      bool // this deployment can run dynamic (Chromium) scans
	ReadNeedsKey bool // reads need an API key too, not only writes
	TrustProxy   bool // the client address is the last X-Forwarded-For hop

	KeyRate  float64 // writes a second per API key (0: unlimited)
	KeyBurst int
	// KeyReadRate is reads a second per API key (0: unlimited). Requests
	// with a key are not limited per address.
	KeyReadRate  float64
	KeyReadBurst int
	IPRate       float64 // requests a second per client address (0: unlimited)
	IPBurst      int
	MaxBody      int64 // largest request body in bytes

	Version    string
	WarningURL string // where the MV3 ruleset export sends blocked pages
	// TAXIIRefresh is the least time between two rebuilds of the TAXII
	// collection's snapshot (default 5 minutes).
	TAXIIRefresh time.Duration
	// Engine analyses the DOMs sent with user reports (default: the
	// embedded rule pack).
	Engine *analyze.Engine
	// Resolve looks up a submitted host, to refuse private targets early.
	// The fetcher checks again at every dial and redirect.
	Resolve func(ctx context.Context, host string) ([]netip.Addr, error)
}

// Server serves the API.
type Server struct {
	o        Options
	log      *slog.Logger
	mux      *http.ServeMux
	keys     *limiter // writes per key
	keyReads *limiter // reads per key
	ips      *limiter // requests without a key, per address
	keyCache keyCache
	metrics  *metrics
	started  time.Time
	health   storeHealth
	changes  Changes
	misp     mispCache

	engineOnce sync.Once
	engine     *analyze.Engine
	engineErr  error
	domSlots   chan struct{} // analyses of report DOMs running at once
}

//go:embed openapi.json
var openAPI []byte

// New builds the API.
func New(o Options) *Server {
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	if o.MaxBody <= 0 {
		o.MaxBody = 64 << 10
	}
	if o.TAXIIRefresh <= 0 {
		o.TAXIIRefresh = 5 * time.Minute
	}
	if o.Resolve == nil {
		o.Resolve = func(ctx context.Context, host string) ([]netip.Addr, error) {
			return net.DefaultResolver.LookupNetIP(ctx, "ip", host)
		}
	}
	s := &Server{o: o, log: o.Logger, mux: http.NewServeMux(), started: time.Now(),
		keys: newLimiter(o.KeyRate, o.KeyBurst), keyReads: newLimiter(o.KeyReadRate, o.KeyReadBurst), ips: newLimiter(o.IPRate, o.IPBurst), metrics: newMetrics(o.Index),
		domSlots: make(chan struct{}, max(1, runtime.NumCPU()/2))}
	s.routes()
	return s
}

// Changed tells the server that the published data changed (Follow calls
// it when verdicts arrive), so exports get new validators.
func (s *Server) Changed() { s.changes.Bump() }

// access says who may call a route.
type access int

const (
	public access = iota // anyone (health, metrics, the OpenAPI document)
	read                 // anyone, or key holders with ReadNeedsKey
	write                // key holders only
	// keyed reads need a key whatever ReadNeedsKey says: what users sent
	// with their reports may hold their personal data.
	keyed
)

// bodyLimits are the routes that take more than Options.MaxBody.
var bodyLimits = map[string]int64{"POST /api/v1/reports": maxReportBody}

func (s *Server) routes() {
	s.handle("GET /healthz", public, s.healthz)
	s.mux.Handle("GET /metrics", s.metrics.handler())
	s.handle("GET /openapi.json", public, func(w http.ResponseWriter, r *http.Request) error {
		w.Header().Set("Content-Type", "application/json")
		_, err := w.Write(openAPI)
		return err
	})
	s.handle("POST /api/v1/scans", write, s.submitScan)
	s.handle("GET /api/v1/scans", read, s.listScans)
	s.handle("GET /api/v1/scans/{id}", read, s.getScan)
	s.handle("GET /api/v1/scans/{id}/screenshot.png", read, s.getScreenshot)
	s.handle("GET /api/v1/scans/{id}/dom", read, s.getDOM)
	s.handle("GET /api/v1/check", read, s.check)
	s.handle("GET /api/v1/hashes", read, s.hashes)
	s.handle("GET /api/v1/numbers/{e164}", read, s.getNumber)
	s.handle("GET /api/v1/domains/{domain}", read, s.getDomain)
	s.handle("GET /api/v1/stats", read, s.stats)
	s.handle("GET /api/v1/campaigns", read, s.listCampaigns)
	s.handle("GET /api/v1/campaigns/{id}", read, s.getCampaign)
	s.handle("POST /api/v1/reports", write, s.submitReport)
	s.handle("GET /api/v1/reports", keyed, s.listReports)
	s.handle("GET /api/v1/reports/{id}", keyed, s.getReport)
	s.handle("GET /api/v1/reports/{id}/dom", keyed, s.getReportDOM)
	s.handle("GET /api/v1/reports/{id}/screenshot", keyed, s.getReportScreenshot)
	s.handle("GET /api/v1/allowlist", read, s.listAllowed)
	s.handle("POST /api/v1/allowlist", write, s.allow)
	s.handle("DELETE /api/v1/allowlist/{domain}", write, s.disallow)
	s.exportRoutes()
	s.mountUI() // the web UI at /; unknown /api/ paths answer JSON 404
}

type keyCtx struct{}

func (s *Server) handle(pattern string, a access, h func(http.ResponseWriter, *http.Request) error) {
	route := pattern
	observe := s.metrics.route(route)
	limit := max(s.o.MaxBody, bodyLimits[route])
	s.mux.HandleFunc(pattern, func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		rw := &statusWriter{ResponseWriter: w, status: http.StatusOK}
		err := s.serve(rw, r, a, limit, h)
		if err != nil {
			if ae := asAPIError(err); ae.Status >= 500 {
				s.log.Error("request failed", "route", route, "err", err)
			}
			if storeFailure(err) {
				s.health.noteFailure(err)
			}
			writeError(rw, err)
		}
		observe(rw.status, time.Since(start))
		if a != public && route != "GET /api/v1/check" {
			s.log.Info("request", "route", route, "status", rw.status, "ms", time.Since(start).Milliseconds(), "client", s.clientIP(r))
		}
	})
}

// serve applies the limits and authentication, then h. A request with an
// API key is limited per key (writes at KeyRate, reads at KeyReadRate),
// not per client address, so that a busy client with a key (a proxy, a
// mail gateway) or many keys behind one address are not held to one
// address's budget. Requests without a key, and requests whose key is
// refused, are limited per address.
func (s *Server) serve(w http.ResponseWriter, r *http.Request, a access, limit int64, h func(http.ResponseWriter, *http.Request) error) error {
	if bearer(r) == "" {
		if a != public {
			if ok, wait := s.ips.allow(s.clientIP(r)); !ok {
				return rateLimited(w, wait)
			}
		}
		if a == write || a == keyed || (a == read && s.o.ReadNeedsKey) {
			return errUnauthorized
		}
	} else {
		k, err := s.authenticate(r)
		if err != nil {
			if ok, wait := s.ips.allow(s.clientIP(r)); !ok {
				return rateLimited(w, wait)
			}
			return err
		}
		lim := s.keyReads
		if a == write {
			lim = s.keys
		}
		if ok, wait := lim.allow(k.ID); !ok {
			return rateLimited(w, wait)
		}
		if a == write { // only writes record who made them (keyOf); a copy of r costs
			r = r.WithContext(context.WithValue(r.Context(), keyCtx{}, k))
		}
	}
	if r.Body != nil && r.Body != http.NoBody {
		r.Body = http.MaxBytesReader(w, r.Body, limit)
	}
	return h(w, r)
}

func bearer(r *http.Request) string {
	// Direct map reads: the names are canonical already, and Get would
	// canonicalise them again on every request.
	if v := r.Header["Authorization"]; len(v) > 0 {
		if t, ok := strings.CutPrefix(v[0], "Bearer "); ok {
			return strings.TrimSpace(t)
		}
	}
	if v := r.Header["X-Api-Key"]; len(v) > 0 {
		return v[0]
	}
	return ""
}

func (s *Server) authenticate(r *http.Request) (store.APIKey, error) {
	token := bearer(r)
	if token == "" {
		return store.APIKey{}, errUnauthorized
	}
	if !strings.HasPrefix(token, store.TokenPrefix) || len(token) > 128 {
		return store.APIKey{}, errBadKey
	}
	now := time.Now()
	if k, ok := s.keyCache.get(token, now); ok {
		return k, nil
	}
	k, err := s.o.Store.KeyByToken(r.Context(), token)
	if errors.Is(err, store.ErrNotFound) {
		return store.APIKey{}, errBadKey
	}
	if err == nil {
		s.keyCache.put(token, k, now)
	}
	return k, err
}

// keyTTL is how long a key found in the store is taken on trust without
// asking again: a revoked key stops working within this time.
const keyTTL = 10 * time.Second

// keyCache remembers the keys of recent tokens, so that a busy client with
// a key does not cost a database query per request. Unknown tokens are not
// remembered: a new key works at once.
type keyCache struct {
	mu sync.RWMutex
	m  map[string]cachedKey
}

type cachedKey struct {
	key   store.APIKey
	until time.Time
}

func (c *keyCache) get(token string, now time.Time) (store.APIKey, bool) {
	c.mu.RLock()
	e, ok := c.m[token]
	c.mu.RUnlock()
	if !ok || now.After(e.until) {
		return store.APIKey{}, false
	}
	return e.key, true
}

func (c *keyCache) put(token string, k store.APIKey, now time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil || len(c.m) >= 1024 {
		c.m = make(map[string]cachedKey) // forget all: simple and bounded
	}
	c.m[token] = cachedKey{key: k, until: now.Add(keyTTL)}
}

func keyOf(r *http.Request) store.APIKey {
	k, _ := r.Context().Value(keyCtx{}).(store.APIKey)
	return k
}

func (s *Server) clientIP(r *http.Request) string {
	if s.o.TrustProxy {
		if xff := r.Header.Get("X-Forwarded-For"); xff != "" {
			parts := strings.Split(xff, ",")
			return strings.TrimSpace(parts[len(parts)-1])
		}
	}
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// ServeHTTP serves the API.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.mux.ServeHTTP(w, r) }

type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	w.status = code
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// ListenAndServe serves on addr until ctx ends, then shuts down gracefully:
// requests in flight get up to grace to finish.
func (s *Server) ListenAndServe(ctx context.Context, ln net.Listener, grace time.Duration) error {
	hs := &http.Server{
		Handler:           s,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      5 * time.Minute, // exports of large feeds
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    32 << 10,
		ErrorLog:          slog.NewLogLogger(s.log.Handler(), slog.LevelWarn),
	}
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.Background(), grace)
	defer cancel()
	err := hs.Shutdown(sctx)
	<-errc
	return err
}
