package server

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/tssguard/tssguard/export"
	"github.com/tssguard/tssguard/export/misp"
	_ "github.com/tssguard/tssguard/export/stix" // registers the stix format
	"github.com/tssguard/tssguard/export/taxii"
	"github.com/tssguard/tssguard/internal/feed"
)

// Changes counts changes to what the exports publish (new verdicts, the
// allowlist), so that an unchanged list answers 304 without being built.
type Changes struct {
	n  atomic.Uint64
	at atomic.Int64 // unix seconds of the last change

	mu      sync.Mutex
	settled string // the version TAXII last built from
	since   time.Time
}

// Bump records a change.
func (c *Changes) Bump() {
	c.n.Add(1)
	c.at.Store(time.Now().Unix())
}

// version names the current state of the data; expiries move it every
// hour as well.
func (c *Changes) version() string {
	return fmt.Sprintf("%d-%d", c.n.Load(), time.Now().Unix()/3600)
}

// settledVersion is version, but moves at most once per every: the TAXII
// collection is a snapshot of every object, too big to rebuild for each
// verdict on a busy server.
func (c *Changes) settledVersion(every time.Duration) string {
	c.mu.Lock()
	defer c.mu.Unlock()
	if v := c.version(); v != c.settled && (c.settled == "" || time.Since(c.since) >= every) {
		c.settled, c.since = v, time.Now()
	}
	return c.settled
}

func (c *Changes) lastModified() time.Time {
	if at := c.at.Load(); at > 0 {
		return time.Unix(at, 0).UTC()
	}
	return time.Now().UTC().Truncate(time.Hour)
}

// ExportMeta is what the served lists say about themselves.
var ExportMeta = export.Meta{
	Title:    "tssguard tech support scam blocklist",
	Homepage: "https://github.com/tssguard/tssguard",
	Refresh:  6 * time.Hour,
	TLP:      "clear",
}

func (s *Server) exportMeta() export.Meta {
	m := ExportMeta
	m.Generated = time.Now().UTC()
	if s.o.WarningURL != "" {
		m.WarningURL = s.o.WarningURL
	}
	return m
}

func (s *Server) source() feed.Source { return feed.Source{DB: s.o.Store, Now: time.Now()} }

func (s *Server) exportRoutes() {
	s.handle("GET /api/v1/export", read, func(w http.ResponseWriter, r *http.Request) error {
		type entry struct{ Name, Description, ContentType, URL string }
		var list []entry
		for _, f := range export.Formats() {
			url := "/api/v1/export/" + f.Name
			if f.Name == "misp" {
				url = "/api/v1/export/misp/manifest.json"
			}
			list = append(list, entry{f.Name, f.Description, f.ContentType, url})
		}
		writeJSON(w, http.StatusOK, map[string]any{"formats": list, "taxii": "/taxii2/"})
		return nil
	})
	s.handle("GET /api/v1/export/{format}", read, s.exportFormat)
	s.handle("GET /api/v1/export/misp/{file}", read, s.exportMISP)

	tx := taxii.NewServer(taxii.Options{
		Title:       "tssguard",
		Description: "Tech support scam indicators: domains, URLs and hotline numbers, with their campaigns.",
		Prefix:      "/taxii2",
		Collections: []taxii.Collection{taxii.Indicators(feed.Source{DB: s.o.Store}, s.exportMeta,
			func() string { return s.changes.settledVersion(s.o.TAXIIRefresh) })},
		Authorize: func(r *http.Request) bool {
			if !s.o.ReadNeedsKey {
				return true
			}
			_, err := s.authenticate(taxiiAuth(r))
			return err == nil
		},
	})
	// TAXII keeps its own errors and auth; the address limit and metrics
	// apply as everywhere.
	observe := s.metrics.route("GET /taxii2/")
	s.mux.Handle("/taxii2/", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		rw := &statusWriter{ResponseWriter: w, status: http.StatusOK}
		if ok, wait := s.ips.allow(s.clientIP(r)); !ok {
			writeError(rw, rateLimited(rw, wait))
		} else {
			tx.ServeHTTP(rw, r)
		}
		observe(rw.status, time.Since(start))
	}))
}

// taxiiAuth lets TAXII clients, which speak Basic auth, send the API key
// as the password.
func taxiiAuth(r *http.Request) *http.Request {
	if _, pw, ok := r.BasicAuth(); ok && bearer(r) == "" {
		r = r.Clone(r.Context())
		r.Header.Set("Authorization", "Bearer "+pw)
	}
	return r
}

// notModified answers conditional requests; it sets the validators either way.
func notModified(w http.ResponseWriter, r *http.Request, etag string, mod time.Time) bool {
	w.Header().Set("ETag", etag)
	w.Header().Set("Last-Modified", mod.Format(http.TimeFormat))
	w.Header().Set("Cache-Control", "no-cache")
	if inm := r.Header.Get("If-None-Match"); inm != "" {
		for _, t := range strings.Split(inm, ",") {
			if t = strings.TrimSpace(t); t == etag || t == "*" || t == "W/"+etag {
				w.WriteHeader(http.StatusNotModified)
				return true
			}
		}
		return false
	}
	if ims, err := http.ParseTime(r.Header.Get("If-Modified-Since")); err == nil && !mod.Truncate(time.Second).After(ims) {
		w.WriteHeader(http.StatusNotModified)
		return true
	}
	return false
}

func etagOf(parts ...string) string {
	h := sha256.Sum256([]byte(strings.Join(parts, "\x00")))
	return `"` + hex.EncodeToString(h[:12]) + `"`
}

func (s *Server) exportFormat(w http.ResponseWriter, r *http.Request) error {
	name := r.PathValue("format")
	f, ok := export.Lookup(name)
	if !ok || name == "misp" {
		var names []string
		for _, f := range export.Formats() {
			names = append(names, f.Name)
		}
		if name == "misp" {
			return errorf(http.StatusNotFound, "not_found", "the MISP feed is a set of files: start at /api/v1/export/misp/manifest.json")
		}
		return errorf(http.StatusNotFound, "not_found", "no export format "+strconv.Quote(name)+"; formats: "+strings.Join(names, ", "))
	}
	write, variant := f.Write, name
	if name == "dnr" {
		lim, err := dnrLimits(r)
		if err != nil {
			return err
		}
		write = func(ctx context.Context, w io.Writer, src export.Source, meta export.Meta) error {
			return export.WriteDNR(ctx, w, src, meta, lim)
		}
		variant = fmt.Sprintf("dnr/%d/%d", lim.Rules, lim.RegexRules)
	}
	if notModified(w, r, etagOf(variant, s.changes.version()), s.changes.lastModified()) {
		return nil
	}
	w.Header().Set("Content-Type", f.ContentType)
	w.Header().Set("Content-Disposition", `inline; filename="tssguard-`+name+f.Ext+`"`)
	if err := write(r.Context(), w, s.source(), s.exportMeta()); err != nil {
		// Headers are gone: cut the connection so that the client sees a
		// failed download, never a list that ends early.
		s.log.Error("export failed", "format", name, "err", err)
		panic(http.ErrAbortHandler)
	}
	return nil
}

// dnrLimits reads a browser's rule limits from the dnr export's query:
// limit (1 to 30,000 rules) and max_regex (0 to 1,000 regexFilter rules).
// The newest listings that fit are written (export.WriteDNR).
func dnrLimits(r *http.Request) (export.DNRLimits, error) {
	var lim export.DNRLimits
	q := r.URL.Query()
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > export.DNRMaxRules {
			return lim, errorf(http.StatusBadRequest, "bad_limit", fmt.Sprintf("limit is a number of rules from 1 to %d", export.DNRMaxRules))
		}
		lim.Rules = n
	}
	if v := q.Get("max_regex"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 || n > export.DNRMaxRegexRules {
			return lim, errorf(http.StatusBadRequest, "bad_limit", fmt.Sprintf("max_regex is a number of regexFilter rules from 0 to %d", export.DNRMaxRegexRules))
		}
		lim.RegexRules = n
		if n == 0 {
			lim.RegexRules = -1
		}
	}
	return lim, nil
}

// mispCache keeps the last MISP feed built, per data version: the feed is
// several files that a client fetches one after another.
type mispCache struct {
	mu      sync.Mutex
	version string
	feed    *misp.Feed
}

func (s *Server) mispFeed(ctx context.Context) (*misp.Feed, string, error) {
	v := s.changes.version()
	s.misp.mu.Lock()
	defer s.misp.mu.Unlock()
	if s.misp.feed != nil && s.misp.version == v {
		return s.misp.feed, v, nil
	}
	f, err := misp.Build(ctx, s.source(), s.exportMeta())
	if err != nil {
		return nil, "", err
	}
	s.misp.feed, s.misp.version = f, v
	return f, v, nil
}

func (s *Server) exportMISP(w http.ResponseWriter, r *http.Request) error {
	name := r.PathValue("file")
	f, v, err := s.mispFeed(r.Context())
	if err != nil {
		return err
	}
	b, ok := f.File(name)
	if !ok {
		return errorf(http.StatusNotFound, "not_found", "the MISP feed has no file "+strconv.Quote(name))
	}
	if notModified(w, r, etagOf("misp", name, v), s.changes.lastModified()) {
		return nil
	}
	ct := "application/json"
	if strings.HasSuffix(name, ".csv") {
		ct = "text/csv; charset=utf-8"
	}
	w.Header().Set("Content-Type", ct)
	_, err = w.Write(b)
	return err
}
