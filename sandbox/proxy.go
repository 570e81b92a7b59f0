package sandbox

import (
	"bufio"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math/big"
	"mime"
	"net"
	"net/http"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/tssguard/tssguard/capture"
)

// Host names under which a local target is served. Two names give two
// origins, so pages can frame each other cross-origin as on the web.
const (
	localHost      = "site.tssguard.test"
	localFrameHost = "frame.tssguard.test"
)

// proxy is the only way out of a page's browser context. Every request the
// page makes — documents, scripts, images, fetch, beacons, WebSockets,
// frames, https through CONNECT — arrives here and is answered from the
// local root (local targets) or fetched under the capture policy (URL
// targets); everything else is refused and logged.
type proxy struct {
	ln      net.Listener
	srv     *http.Server
	cert    tls.Certificate
	fetcher *capture.Fetcher // nil for local targets
	local   *localSite       // nil for URL targets
	policy  capture.Policy

	// token tags the requests of the page's tab (see tagHeader):
	// Chromium's own traffic in the page's browser context lacks it, and
	// is refused.
	token string

	mu         sync.Mutex
	log        []capture.Request
	background []capture.Request
	origins    map[string]bool // of the page's requests, for workers' Referers
}

// The page's tab sends its proxy's token as a Content-Language header (set
// with Network.setExtraHTTPHeaders), which the proxy removes before
// anything goes further. Content-Language is a CORS-safelisted header: a
// header of its own would make every cross-origin fetch of the page
// preflighted, changing what the page does; Accept-Language would not do
// either, the user agent override sets it on navigations.
const (
	tagHeader = "Content-Language"
	tagPrefix = "x-tss-"
)

// tag is the value of tagHeader on the requests of the page's tab.
func (p *proxy) tag() string { return tagPrefix + p.token }

// isTag reports whether a header value is a sandbox tag.
func isTag(v string) bool { return strings.HasPrefix(strings.ToLower(v), tagPrefix) }

// fromPage reports whether a request comes from the page, and removes the
// tag. Besides the tab's tagged requests, the page causes requests the
// tab's extra headers do not reach: CORS preflights, and the requests of
// its workers, which name a document or script of the page as Referer.
// Chromium's own traffic has neither.
func (p *proxy) fromPage(r *http.Request, u *url.URL) bool {
	v := r.Header.Get(tagHeader)
	tagged := strings.EqualFold(v, p.tag())
	if isTag(v) {
		r.Header.Del(tagHeader)
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if tagged {
		if p.origins == nil {
			p.origins = map[string]bool{}
		}
		p.origins[originOf(u)] = true
		return true
	}
	if r.Method == http.MethodOptions && r.Header.Get("Access-Control-Request-Method") != "" {
		return true
	}
	if ref, err := url.Parse(r.Header.Get("Referer")); err == nil && ref.Host != "" {
		return p.origins[originOf(ref)]
	}
	return false
}

func originOf(u *url.URL) string { return strings.ToLower(u.Scheme + "://" + u.Host) }

// localSite serves the files under Root; Page (when set) is served at
// File, so a page stored outside its kit folder still finds its scripts.
// Files are opened through an os.Root, so neither ".." nor a symbolic link
// leads out of the folder; Page and Alias are chosen by the program and
// opened as they are.
type localSite struct {
	root  *os.Root
	dir   string // the folder root was opened on
	file  string // URL path of the page, without the leading slash
	page  string // file served at file; empty: root/file
	alias func(string) (string, bool)
}

const maxLog = 2000

func newProxy(t Target, policy capture.Policy, cert tls.Certificate) (*proxy, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("start containment proxy: %w", err)
	}
	p := &proxy{ln: ln, cert: cert, policy: policy, token: rand.Text()}
	if t.URL != "" {
		p.fetcher = capture.NewFetcher(policy)
	} else {
		root, err := os.OpenRoot(t.Root)
		if err != nil {
			ln.Close()
			return nil, fmt.Errorf("sandbox: local root: %w", err)
		}
		p.local = &localSite{root: root, dir: t.Root, file: strings.TrimPrefix(path.Clean("/"+t.File), "/"), page: t.Page, alias: t.Alias}
	}
	p.srv = &http.Server{Handler: p, ReadHeaderTimeout: 10 * time.Second, ErrorLog: nil}
	go p.srv.Serve(ln)
	return p, nil
}

func (p *proxy) addr() string { return p.ln.Addr().String() }

func (p *proxy) close() {
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	p.srv.Shutdown(ctx)
	p.srv.Close()
	if p.local != nil {
		p.local.root.Close()
	}
}

func (p *proxy) record(r capture.Request) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if len(p.log) < maxLog {
		p.log = append(p.log, r)
	}
}

// refusedBackground lists the requests refused as not the page's.
func (p *proxy) refusedBackground() []capture.Request {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]capture.Request(nil), p.background...)
}

func (p *proxy) requests() []capture.Request {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]capture.Request(nil), p.log...)
}

// ServeHTTP handles proxy requests: CONNECT tunnels (terminated here with
// the sandbox certificate, which only this browser accepts) and absolute
// http:// requests.
func (p *proxy) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method == http.MethodConnect {
		p.connect(w, r)
		return
	}
	u := *r.URL
	if u.Host == "" {
		u.Host = r.Host
	}
	if u.Scheme == "" {
		u.Scheme = "http"
	}
	p.serve(w, r, &u)
}

// connect terminates TLS for the tunnelled host and serves the requests
// inside it like plain ones.
//
// Every tunnel is opened, for local targets too: a CONNECT carries no sign
// of who asked for it, so the requests inside decide (serve refuses what
// the page did not cause, and serveLocal any host but the local site's).
func (p *proxy) connect(w http.ResponseWriter, r *http.Request) {
	host := r.Host
	hj, ok := w.(http.Hijacker)
	if !ok {
		http.Error(w, "no hijack", http.StatusInternalServerError)
		return
	}
	conn, buf, err := hj.Hijack()
	if err != nil {
		return
	}
	defer conn.Close()
	if _, err := conn.Write([]byte("HTTP/1.1 200 Connection established\r\n\r\n")); err != nil {
		return
	}
	var raw net.Conn = conn
	if buf.Reader.Buffered() > 0 {
		raw = &prefixConn{Conn: conn, r: io.MultiReader(buf.Reader, conn)}
	}
	tc := tls.Server(raw, &tls.Config{Certificates: []tls.Certificate{p.cert}, NextProtos: []string{"http/1.1"}})
	tc.SetDeadline(time.Now().Add(30 * time.Second))
	if err := tc.Handshake(); err != nil {
		// Not TLS (a plain ws:// tunnel) or a client that gave up: nothing passes.
		p.record(capture.Request{URL: "connect://" + host, Method: http.MethodConnect, Blocked: true, Reason: "tunnel refused: only TLS to be inspected is accepted"})
		return
	}
	br := bufio.NewReader(tc)
	for {
		req, err := http.ReadRequest(br)
		if err != nil {
			return
		}
		u := *req.URL
		u.Scheme = "https"
		u.Host = host
		if h, port, err := net.SplitHostPort(host); err == nil && port == "443" {
			u.Host = h
		}
		rw := newConnResponse(tc)
		p.serve(rw, req, &u)
		// A refused POST's body is still on the connection: read it off,
		// or it would be taken for the start of the next request.
		n, _ := io.Copy(io.Discard, io.LimitReader(req.Body, 1<<20))
		req.Body.Close()
		if err := rw.finish(); err != nil || req.Close || n == 1<<20 {
			return
		}
	}
}

type prefixConn struct {
	net.Conn
	r io.Reader
}

func (c *prefixConn) Read(b []byte) (int, error) { return c.r.Read(b) }

// serve answers one request for URL u.
func (p *proxy) serve(w http.ResponseWriter, r *http.Request, u *url.URL) {
	entry := capture.Request{URL: u.String(), Method: r.Method}
	if !p.fromPage(r, u) {
		// Not from the page's tab: the browser's own traffic (updates,
		// time sync, safe browsing, ...) goes nowhere and is not the page's.
		entry.Blocked, entry.Status, entry.Reason = true, http.StatusForbidden, "not caused by the page (the browser's own traffic)"
		p.mu.Lock()
		if len(p.background) < maxLog {
			p.background = append(p.background, entry)
		}
		p.mu.Unlock()
		http.Error(w, "blocked by tssguard sandbox: not the page's request", http.StatusForbidden)
		return
	}
	deny := func(status int, reason string) {
		entry.Blocked, entry.Reason, entry.Status = true, reason, status
		p.record(entry)
		http.Error(w, "blocked by tssguard sandbox: "+reason, status)
	}
	if strings.EqualFold(r.Header.Get("Upgrade"), "websocket") {
		deny(http.StatusForbidden, "WebSocket connections are not allowed")
		return
	}
	if p.local != nil {
		p.serveLocal(w, r, u, &entry, deny)
		return
	}
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		deny(http.StatusForbidden, "method "+r.Method+" not allowed (nothing leaves the sandbox)")
		return
	}
	resp, err := p.fetcher.Once(r.Context(), r.Method, u.String(), r.Header, p.policy.MaxResourceBytes*4)
	if err != nil {
		reason := err.Error()
		if errors.Is(err, capture.ErrForbiddenAddress) {
			reason = "destination not allowed: " + reason
		}
		deny(http.StatusBadGateway, reason)
		return
	}
	for _, k := range []string{"Content-Type", "Location", "Cache-Control", "Content-Language"} {
		if v := resp.Header.Get(k); v != "" {
			w.Header().Set(k, v)
		}
	}
	entry.Status = resp.Status
	p.record(entry)
	w.WriteHeader(resp.Status)
	w.Write(resp.Body)
}

func (p *proxy) serveLocal(w http.ResponseWriter, r *http.Request, u *url.URL, entry *capture.Request, deny func(int, string)) {
	host := u.Hostname()
	if host != localHost && host != localFrameHost {
		deny(http.StatusForbidden, "destination not allowed: only the local page's files are served")
		return
	}
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		deny(http.StatusForbidden, "method "+r.Method+" not allowed (nothing leaves the sandbox)")
		return
	}
	rel := strings.TrimPrefix(path.Clean("/"+u.Path), "/")
	f, file, err := p.local.open(rel, strings.HasSuffix(u.Path, "/"))
	if err != nil {
		entry.Status = http.StatusNotFound
		if !errors.Is(err, fs.ErrNotExist) {
			entry.Reason = err.Error() // e.g. a symbolic link out of the folder
		}
		p.record(*entry)
		http.NotFound(w, r)
		return
	}
	defer f.Close()
	ct := mime.TypeByExtension(filepath.Ext(file))
	if ct == "" || strings.HasSuffix(file, ".php") || strings.HasSuffix(file, ".asp") || strings.HasSuffix(file, ".aspx") {
		ct = "text/html; charset=utf-8"
	}
	w.Header().Set("Content-Type", ct)
	entry.Status = http.StatusOK
	p.record(*entry)
	io.Copy(w, io.LimitReader(f, p.policy.MaxPageBytes))
}

// errIsDir is returned when a URL path names a folder.
var errIsDir = errors.New("is a directory")

// open opens the regular file a URL path names. A folder serves its index
// page, as web servers do (gateways redirect to "./landing/?phone=…").
// It returns the file and its name, whose extension gives the type.
func (s *localSite) open(rel string, slash bool) (*os.File, string, error) {
	if rel == s.file && s.page != "" {
		return openRegular(s.page)
	}
	f, name, err := s.openIn(rel)
	if err == nil || (!errors.Is(err, errIsDir) && !slash) {
		return f, name, err
	}
	for _, idx := range []string{"index.html", "index.htm", "index.php"} {
		if f, name, err := s.openIn(path.Join(rel, idx)); err == nil {
			return f, name, nil
		}
	}
	return nil, "", fs.ErrNotExist
}

// openIn opens a regular file under the root, or the file Alias maps a
// missing one to.
func (s *localSite) openIn(rel string) (*os.File, string, error) {
	name := rel
	if name == "" {
		name = "."
	}
	f, err := s.root.Open(filepath.FromSlash(name))
	if err != nil {
		if s.alias != nil && errors.Is(err, fs.ErrNotExist) {
			if a, ok := s.alias(filepath.Join(s.dir, filepath.FromSlash(rel))); ok {
				return openRegular(a)
			}
		}
		return nil, "", err
	}
	return regular(f, name)
}

// openRegular opens a file chosen by the program.
func openRegular(p string) (*os.File, string, error) {
	f, err := os.Open(p)
	if err != nil {
		return nil, "", err
	}
	return regular(f, p)
}

// regular returns f when it is a regular file, else closes it.
func regular(f *os.File, name string) (*os.File, string, error) {
	st, err := f.Stat()
	switch {
	case err != nil:
		f.Close()
		return nil, "", err
	case st.IsDir():
		f.Close()
		return nil, "", errIsDir
	case !st.Mode().IsRegular():
		f.Close()
		return nil, "", fs.ErrNotExist
	}
	return f, name, nil
}

// connResponse is a minimal http.ResponseWriter over a TLS connection.
type connResponse struct {
	c      net.Conn
	h      http.Header
	status int
	body   []byte
}

func newConnResponse(c net.Conn) *connResponse { return &connResponse{c: c, h: http.Header{}} }

func (r *connResponse) Header() http.Header { return r.h }
func (r *connResponse) WriteHeader(s int) {
	if r.status == 0 {
		r.status = s
	}
}
func (r *connResponse) Write(b []byte) (int, error) {
	if r.status == 0 {
		r.status = http.StatusOK
	}
	r.body = append(r.body, b...)
	return len(b), nil
}

func (r *connResponse) finish() error {
	if r.status == 0 {
		r.status = http.StatusOK
	}
	resp := &http.Response{StatusCode: r.status, ProtoMajor: 1, ProtoMinor: 1, Header: r.h,
		ContentLength: int64(len(r.body)), Body: io.NopCloser(strings.NewReader(string(r.body)))}
	return resp.Write(r.c)
}

// sandboxCert is a self-signed certificate for every host: the analysis
// browser runs with --ignore-certificate-errors and only ever talks to this
// proxy; the proxy itself verifies real certificates when it fetches.
func sandboxCert() (tls.Certificate, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return tls.Certificate{}, err
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(time.Now().UnixNano()),
		Subject:      pkix.Name{CommonName: "tssguard sandbox"},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(24 * time.Hour),
		DNSNames:     []string{"*", localHost, localFrameHost},
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return tls.Certificate{}, err
	}
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}, nil
}
