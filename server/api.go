package server

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/netip"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/tssguard/tssguard/capture"
	"github.com/tssguard/tssguard/reputation"
	"github.com/tssguard/tssguard/store"
	"github.com/tssguard/tssguard/urlx"
)

// decode reads one JSON object into v, strictly: unknown fields, trailing
// data and oversized bodies are the client's errors. The Content-Type is
// not checked: curl -d sends form encoding by default, and the body says
// what it is.
func decode(r *http.Request, v any) error {
	dec := json.NewDecoder(r.Body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		var tooBig *http.MaxBytesError
		switch {
		case errors.As(err, &tooBig):
			return errorf(http.StatusRequestEntityTooLarge, "too_large", fmt.Sprintf("the request body is over %d bytes", tooBig.Limit))
		case errors.Is(err, io.EOF):
			return errorf(http.StatusBadRequest, "bad_json", "the request body is empty: send a JSON object")
		}
		return errorf(http.StatusBadRequest, "bad_json", "the request body is not the JSON this endpoint takes: "+err.Error())
	}
	if dec.More() {
		return errorf(http.StatusBadRequest, "bad_json", "the request body has data after the JSON object")
	}
	return nil
}

// target checks a URL someone asks us to scan: http or https, a host, and
// (unless the operator allows private targets) an address on the public
// internet. The fetcher checks again at every connection and redirect; this
// refuses the obvious cases before anything is queued.
func (s *Server) target(ctx context.Context, raw string) (*url.URL, string, error) {
	raw = strings.TrimSpace(raw)
	bad := func(msg string) (*url.URL, string, error) {
		return nil, "", errorf(http.StatusBadRequest, "bad_url", msg)
	}
	if raw == "" {
		return bad("url is required")
	}
	if len(raw) > 4096 {
		return bad("url is longer than 4096 bytes")
	}
	u, err := url.Parse(raw)
	if err != nil {
		return bad("url does not parse: " + err.Error())
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return bad(fmt.Sprintf("only http and https URLs can be scanned, not %q", u.Scheme))
	}
	host := u.Hostname()
	if host == "" {
		return bad("url has no host")
	}
	if u.User != nil {
		return bad("url must not carry a user name or password")
	}
	if !s.o.AllowPrivate {
		// Check the host as browsers read it: 127.1, 0x7f.1 and 2130706433
		// are all loopback.
		if h, err := urlx.Host(raw); err == nil {
			host = h
		}
		if err := s.publicHost(ctx, host); err != nil {
			return nil, "", err
		}
	}
	dom, err := urlx.RegistrableDomain(host)
	if err != nil {
		dom = strings.ToLower(host)
	}
	return u, dom, nil
}

func (s *Server) publicHost(ctx context.Context, host string) error {
	refuse := errorf(http.StatusBadRequest, "private_address", fmt.Sprintf("%s is a private, loopback or link-local address: this server does not scan those", host))
	if ip, err := netip.ParseAddr(strings.Trim(host, "[]")); err == nil {
		if !capture.IsPublic(ip) {
			return refuse
		}
		return nil
	}
	h := strings.ToLower(strings.TrimSuffix(host, "."))
	if h == "localhost" || strings.HasSuffix(h, ".localhost") {
		return refuse
	}
	rctx, cancel := context.WithTimeout(ctx, 3*time.Second)
	defer cancel()
	addrs, err := s.o.Resolve(rctx, h)
	if err != nil || len(addrs) == 0 {
		return nil // it may resolve later; the fetcher decides then
	}
	for _, a := range addrs {
		if capture.IsPublic(a.Unmap()) {
			return nil
		}
	}
	return refuse
}

type scanRequest struct {
	URL     string `json:"url"`
	Dynamic bool   `json:"dynamic"`
	// The visitor the scan arrives as (ua, lang, referrer; see store.Scan).
	store.Visitor
}

// maxReferrer bounds a scan's referrer: it is sent as a header on every
// fetch of the page and stored with the scan.
const maxReferrer = 2048

// checkVisitor checks who a scan is to arrive as, and returns it with its
// language as a tag: a 400 that says which field is wrong otherwise.
func checkVisitor(v store.Visitor) (store.Visitor, error) {
	if v.UA != "" {
		if _, err := capture.UserAgentFor(v.UA); err != nil {
			return v, errorf(http.StatusBadRequest, "bad_ua", "ua must be one of windows, mac, android, iphone")
		}
	}
	if v.Lang != "" {
		tag, ok := capture.LanguageTag(v.Lang)
		if !ok {
			return v, errorf(http.StatusBadRequest, "bad_lang", "lang must be a language tag such as ja, de-DE or pt-BR")
		}
		v.Lang = tag
	}
	if v.Referrer != "" {
		if err := capture.CheckPageURL(v.Referrer); err != nil || len(v.Referrer) > maxReferrer {
			return v, errorf(http.StatusBadRequest, "bad_referrer", "referrer must be an http(s) URL of at most 2,048 bytes, such as https://www.bing.com/")
		}
	}
	return v, nil
}

func (s *Server) submitScan(w http.ResponseWriter, r *http.Request) error {
	var req scanRequest
	if err := decode(r, &req); err != nil {
		return err
	}
	sc, err := s.newScan(r.Context(), req, "api")
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/scans/"+sc.ID)
	writeJSON(w, http.StatusAccepted, map[string]any{"id": sc.ID, "status": sc.Status, "url": sc.URL})
	return nil
}

func (s *Server) newScan(ctx context.Context, req scanRequest, origin string) (store.Scan, error) {
	u, dom, err := s.target(ctx, req.URL)
	if err != nil {
		return store.Scan{}, err
	}
	v, err := checkVisitor(req.Visitor)
	if err != nil {
		return store.Scan{}, err
	}
	if req.Dynamic && !s.o.Dynamic {
		return store.Scan{}, errorf(http.StatusServiceUnavailable, "dynamic_unavailable", "dynamic scans are not available on this server (it runs without Chromium); submit without \"dynamic\"")
	}
	sc := store.Scan{ID: store.NewID(), URL: u.String(), Dynamic: req.Dynamic, Visitor: v, Origin: origin}
	sc, err = s.o.Store.CreateScan(ctx, sc, s.o.Queue.Enqueue(ctx, sc.ID, dom))
	if err != nil {
		return store.Scan{}, err
	}
	s.metrics.submitted.Inc()
	return sc, nil
}

// listScans lists recent scans, newest first, without their reports.
func (s *Server) listScans(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	limit := 50
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 1000 {
			return errorf(http.StatusBadRequest, "bad_limit", "limit is a number from 1 to 1000")
		}
		limit = n
	}
	var since time.Time
	if v := q.Get("since"); v != "" {
		t, err := time.Parse(time.RFC3339, v)
		if err != nil {
			return errorf(http.StatusBadRequest, "bad_since", "since is an RFC 3339 time, like 2026-11-01T00:00:00Z")
		}
		since = t
	}
	scans, err := s.o.Store.Scans(r.Context(), since, limit)
	if err != nil {
		return err
	}
	if scans == nil {
		scans = []store.Scan{}
	}
	writeJSON(w, http.StatusOK, map[string]any{"scans": scans})
	return nil
}

type scanResponse struct {
	store.Scan
	Report     json.RawMessage `json:"report,omitempty"`
	Screenshot string          `json:"screenshot,omitempty"`
	DOM        string          `json:"dom,omitempty"`
}

func (s *Server) getScan(w http.ResponseWriter, r *http.Request) error {
	sc, err := s.scan(r)
	if err != nil {
		return err
	}
	resp := scanResponse{Scan: sc}
	if len(sc.Report) > 0 {
		resp.Report = sc.Report
	}
	if sc.Dynamic && sc.Status == store.Done {
		resp.Screenshot = "/api/v1/scans/" + sc.ID + "/screenshot.png"
		resp.DOM = "/api/v1/scans/" + sc.ID + "/dom"
	}
	writeJSON(w, http.StatusOK, resp)
	return nil
}

var idPattern = regexp.MustCompile(`^[0-9a-zA-Z-]{1,64}$`)

func (s *Server) scan(r *http.Request) (store.Scan, error) {
	id := r.PathValue("id")
	if !idPattern.MatchString(id) {
		return store.Scan{}, errorf(http.StatusBadRequest, "bad_id", "a scan ID is letters, digits and dashes")
	}
	sc, err := s.o.Store.Scan(r.Context(), id)
	if errors.Is(err, store.ErrNotFound) {
		return store.Scan{}, errorf(http.StatusNotFound, "not_found", "no scan with ID "+id)
	}
	return sc, err
}

func (s *Server) artifact(w http.ResponseWriter, r *http.Request, name, contentType string) error {
	sc, err := s.scan(r)
	if err != nil {
		return err
	}
	if !sc.Dynamic {
		return errorf(http.StatusNotFound, "not_found", "scan "+sc.ID+" was static: screenshots and DOM come from dynamic scans")
	}
	if sc.Status != store.Done {
		return errorf(http.StatusNotFound, "not_ready", "scan "+sc.ID+" is "+string(sc.Status))
	}
	a, err := s.o.Store.Artifact(r.Context(), sc.ID, name)
	if errors.Is(err, store.ErrNotFound) {
		return errorf(http.StatusNotFound, "not_found", "scan "+sc.ID+" has no "+name)
	}
	if err != nil {
		return err
	}
	// The DOM is attacker-written HTML: never let a browser render it on
	// this origin.
	w.Header().Set("Content-Type", contentType)
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Header().Set("Content-Security-Policy", "sandbox; default-src 'none'")
	_, err = w.Write(a.Data)
	return err
}

func (s *Server) getScreenshot(w http.ResponseWriter, r *http.Request) error {
	return s.artifact(w, r, "screenshot.png", "image/png")
}

func (s *Server) getDOM(w http.ResponseWriter, r *http.Request) error {
	return s.artifact(w, r, "dom.html", "text/plain; charset=utf-8")
}

type checkResponse struct {
	URL     string     `json:"url"`
	Verdict string     `json:"verdict"` // scam, suspicious, unknown, allowlisted
	Matched string     `json:"matched,omitempty"`
	Kind    string     `json:"kind,omitempty"`
	Source  string     `json:"source,omitempty"`
	Expires *time.Time `json:"expires,omitempty"`
	Scan    string     `json:"scan,omitempty"` // the scan queued with scan=1
}

func matchResponse(resp *checkResponse, m reputation.Match) {
	resp.Verdict = m.Verdict.String()
	resp.Matched = m.Matched
	resp.Kind = m.Kind.String()
	resp.Source = m.Source
	if !m.Expires.IsZero() {
		e := m.Expires.UTC()
		resp.Expires = &e
	}
}

// addMatch puts an index match into a number's or domain's answer.
func addMatch(resp map[string]any, m reputation.Match) {
	var c checkResponse
	matchResponse(&c, m)
	resp["verdict"], resp["source"], resp["expires"] = c.Verdict, c.Source, c.Expires
}

func (s *Server) check(w http.ResponseWriter, r *http.Request) error {
	// The hot path: read the two parameters without building url.Values.
	raw := queryValue(r.URL.RawQuery, "url")
	if raw == "" {
		return errorf(http.StatusBadRequest, "bad_url", "check needs ?url=")
	}
	resp := checkResponse{URL: raw, Verdict: "unknown"}
	now := time.Now()
	// An abused page of a trusted site first (Check looks up patterns
	// before the allowlist): the allowlist keeps the site, not the page
	// with a scammer's number in its URL.
	m, ok, allowed, err := s.o.Index.Check(raw, now)
	if err != nil {
		return errorf(http.StatusBadRequest, "bad_url", "url cannot be checked: "+err.Error())
	}
	switch scan := queryValue(r.URL.RawQuery, "scan"); {
	case ok:
		matchResponse(&resp, m)
	case allowed:
		resp.Verdict = "allowlisted"
	case scan == "1" || scan == "true":
		// Queue a scan of an unknown URL; that needs a key like any write.
		if _, err := s.authenticate(r); err != nil {
			return err
		}
		sc, err := s.newScan(r.Context(), scanRequest{URL: raw}, "check")
		if err != nil {
			return err
		}
		resp.Scan = sc.ID
	}
	if c := s.metrics.checks[resp.Verdict]; c != nil {
		c.Inc()
	}
	buf := checkBufs.Get().(*[]byte)
	b := resp.appendJSON((*buf)[:0])
	w.Header()["Content-Type"] = jsonContentType
	w.WriteHeader(http.StatusOK)
	_, err = w.Write(b)
	if cap(b) <= 64<<10 {
		*buf = b
		checkBufs.Put(buf)
	}
	return err
}

// checkBufs holds the buffers check answers are encoded into.
var checkBufs = sync.Pool{New: func() any { b := make([]byte, 0, 512); return &b }}

// jsonContentType is shared by every check answer: net/http only reads it.
var jsonContentType = []string{"application/json; charset=utf-8"}

// appendJSON encodes the answer as writeJSON would (encoding/json without
// HTML escaping, a trailing newline), without reflection.
func (c *checkResponse) appendJSON(b []byte) []byte {
	b = append(b, `{"url":`...)
	b = appendJSONString(b, c.URL)
	b = append(b, `,"verdict":`...)
	b = appendJSONString(b, c.Verdict)
	for _, f := range [...]struct{ name, v string }{{"matched", c.Matched}, {"kind", c.Kind}, {"source", c.Source}} {
		if f.v != "" {
			b = append(b, `,"`...)
			b = append(b, f.name...)
			b = append(b, `":`...)
			b = appendJSONString(b, f.v)
		}
	}
	if c.Expires != nil {
		b = append(b, `,"expires":"`...)
		b = c.Expires.AppendFormat(b, time.RFC3339Nano)
		b = append(b, '"')
	}
	if c.Scan != "" {
		b = append(b, `,"scan":`...)
		b = appendJSONString(b, c.Scan)
	}
	return append(b, "}\n"...)
}

// appendJSONString appends s as a JSON string the way encoding/json writes
// it with HTML escaping off: invalid UTF-8 becomes U+FFFD, and U+2028 and
// U+2029 are escaped so that the output is also valid JavaScript.
func appendJSONString(b []byte, s string) []byte {
	const hex = "0123456789abcdef"
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&15])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hex[r&15])
			i += size
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}

// queryValue is url.Values.Get of a raw query without parsing all of it:
// the first value of key, unescaped ("" when absent or badly escaped).
func queryValue(rawQuery, key string) string {
	for rawQuery != "" {
		var pair string
		pair, rawQuery, _ = strings.Cut(rawQuery, "&")
		if strings.Contains(pair, ";") {
			continue // url.ParseQuery refuses such pairs
		}
		k, v, _ := strings.Cut(pair, "=")
		if k != key {
			if !strings.ContainsAny(k, "%+") {
				continue
			}
			if uk, err := url.QueryUnescape(k); err != nil || uk != key {
				continue
			}
		}
		if !strings.ContainsAny(v, "%+") {
			return v
		}
		uv, err := url.QueryUnescape(v)
		if err != nil {
			continue
		}
		return uv
	}
	return ""
}

var e164Pattern = regexp.MustCompile(`^\+[1-9][0-9]{6,14}$`)

func (s *Server) getNumber(w http.ResponseWriter, r *http.Request) error {
	n := strings.ReplaceAll(r.PathValue("e164"), " ", "")
	if !strings.HasPrefix(n, "+") {
		n = "+" + n
	}
	if !e164Pattern.MatchString(n) {
		return errorf(http.StatusBadRequest, "bad_number", "give the number in E.164 form, like +18005551234")
	}
	resp := map[string]any{"e164": n, "verdict": "unknown"}
	if m, ok := s.o.Index.CheckNumber(n, time.Now()); ok {
		addMatch(resp, m)
	}
	h, err := s.o.Store.Hotline(r.Context(), n)
	switch {
	case errors.Is(err, store.ErrNotFound):
	case err != nil:
		return err
	default:
		resp["hotline"] = h
	}
	writeJSON(w, http.StatusOK, resp)
	return nil
}

func (s *Server) getDomain(w http.ResponseWriter, r *http.Request) error {
	host := strings.ToLower(strings.TrimSpace(r.PathValue("domain")))
	dom, err := urlx.RegistrableDomain(host)
	if err != nil {
		return errorf(http.StatusBadRequest, "bad_domain", "not a domain name: "+err.Error())
	}
	resp := map[string]any{"domain": dom, "verdict": "unknown"}
	if m, ok := s.o.Index.CheckDomain(host, time.Now()); ok {
		addMatch(resp, m)
	} else if s.o.Index.Allowed(host) {
		resp["verdict"] = "allowlisted"
	}
	l, err := s.o.Store.Domain(r.Context(), dom)
	switch {
	case errors.Is(err, store.ErrNotFound):
	case err != nil:
		return err
	default:
		resp["listing"] = l
	}
	writeJSON(w, http.StatusOK, resp)
	return nil
}

func (s *Server) listCampaigns(w http.ResponseWriter, r *http.Request) error {
	cs, err := s.o.Store.Campaigns(r.Context())
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"campaigns": cs})
	return nil
}

func (s *Server) getCampaign(w http.ResponseWriter, r *http.Request) error {
	c, err := s.o.Store.Campaign(r.Context(), r.PathValue("id"))
	if errors.Is(err, store.ErrNotFound) {
		return errorf(http.StatusNotFound, "not_found", "no campaign "+r.PathValue("id"))
	}
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, c)
	return nil
}

func (s *Server) listAllowed(w http.ResponseWriter, r *http.Request) error {
	al, err := s.o.Store.Allowlist(r.Context())
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"allowlist": al})
	return nil
}

type allowRequest struct {
	Domain string `json:"domain"`
	Note   string `json:"note"`
}

func (s *Server) allow(w http.ResponseWriter, r *http.Request) error {
	var req allowRequest
	if err := decode(r, &req); err != nil {
		return err
	}
	dom, err := store.AllowlistDomain(req.Domain)
	if err != nil {
		return errorf(http.StatusBadRequest, "bad_domain", err.Error())
	}
	if err := store.CheckText("note", req.Note, store.MaxNote); err != nil {
		return errorf(http.StatusBadRequest, "bad_note", err.Error())
	}
	if err := s.o.Store.Allow(r.Context(), store.Allowed{Domain: dom, Note: req.Note, AddedBy: keyOf(r).Name}); err != nil {
		return err
	}
	s.o.Index.Allow(dom)
	s.Changed()
	writeJSON(w, http.StatusCreated, map[string]any{"domain": dom})
	return nil
}

func (s *Server) disallow(w http.ResponseWriter, r *http.Request) error {
	dom, err := urlx.RegistrableDomain(r.PathValue("domain"))
	if err != nil {
		return errorf(http.StatusBadRequest, "bad_domain", "not a domain name")
	}
	err = s.o.Store.Disallow(r.Context(), dom)
	if errors.Is(err, store.ErrNotFound) {
		return errorf(http.StatusNotFound, "not_found", dom+" is not allowlisted")
	}
	if err != nil {
		return err
	}
	s.o.Index.Disallow(dom)
	s.Changed()
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *Server) healthz(w http.ResponseWriter, r *http.Request) error {
	if err := s.health.check(r.Context(), s.o.Store.Probe); err != nil {
		w.Header().Set("Retry-After", "5")
		writeJSON(w, http.StatusServiceUnavailable, map[string]any{"status": "unavailable", "store": s.o.Store.Backend(), "reason": err.Error()})
		return nil
	}
	urls, domains, numbers := s.o.Index.Len()
	writeJSON(w, http.StatusOK, map[string]any{
		"status": "ok", "version": s.o.Version, "store": s.o.Store.Backend(), "dynamic": s.o.Dynamic,
		"uptime_s": int(time.Since(s.started).Seconds()),
		"index":    map[string]int{"urls": urls, "domains": domains, "numbers": numbers},
	})
	return nil
}
