package capture

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/text/encoding/japanese"
)

func TestIsPublic(t *testing.T) {
	for _, s := range []string{"127.0.0.1", "::1", "10.0.0.1", "172.16.0.1", "192.168.1.1", "169.254.169.254", "100.64.0.1",
		"0.0.0.0", "::", "fe80::1", "fc00::1", "fd00:ec2::254", "224.0.0.1", "255.255.255.255", "::ffff:127.0.0.1",
		"::ffff:169.254.169.254", "192.0.2.1", "198.18.0.1", "::10.0.0.1", "64:ff9b::a9fe:a9fe", "64:ff9b::10.0.0.1",
		"64:ff9b:1::1", "2002:7f00:1::1", "2001:db8::1", "ff02::1", "4000::1"} {
		if IsPublic(netip.MustParseAddr(s)) {
			t.Errorf("%s reported public", s)
		}
	}
	for _, s := range []string{"8.8.8.8", "1.1.1.1", "2606:4700:4700::1111", "93.184.216.34", "64:ff9b::808:808", "2a00:1450:4001::1"} {
		if !IsPublic(netip.MustParseAddr(s)) {
			t.Errorf("%s reported not public", s)
		}
	}
}

func TestDefaultPolicyRefusesPrivate(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		t.Errorf("request reached the server: %s", r.URL)
	}))
	defer srv.Close()
	f := NewFetcher(DefaultPolicy())
	if tr := f.client.Transport.(*http.Transport); tr.Proxy != nil {
		t.Error("the transport takes a proxy (from the environment?): the policy must decide destinations")
	}
	_, port, _ := net.SplitHostPort(srv.Listener.Addr().String())
	for _, u := range []string{srv.URL, "http://localhost:" + port + "/", "http://[::1]:" + port + "/", "http://10.0.0.1/",
		"http://169.254.169.254/latest/meta-data/", "http://100.64.0.1/", "http://0.0.0.0:" + port + "/", "https://[::ffff:127.0.0.1]:" + port + "/"} {
		_, err := f.Get(context.Background(), u, 1024)
		if !errors.Is(err, ErrForbiddenAddress) {
			t.Errorf("%s: err = %v, want ErrForbiddenAddress", u, err)
		}
		if _, err := f.Capture(context.Background(), u, Options{}); !errors.Is(err, ErrForbiddenAddress) {
			t.Errorf("Capture %s: err = %v, want ErrForbiddenAddress", u, err)
		}
	}
	_, err := f.Get(context.Background(), "http://10.0.0.1/", 1024)
	want := "fetch http://10.0.0.1/: destination address not allowed: 10.0.0.1 is not a public address (use --allow-private to permit it)"
	if err == nil || err.Error() != want {
		t.Errorf("message:\n%v\nwant\n%s", err, want)
	}
}

// TestRedirectToPrivate: a first hop the policy allows redirects to a
// private address, which is refused at the second connection. The first
// server is itself on loopback, so the test lets exactly its address
// through and sends everything else through the production dialer.
func TestRedirectToPrivate(t *testing.T) {
	inner := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		t.Error("redirect target was reached")
	}))
	defer inner.Close()
	target := strings.Replace(inner.URL, "127.0.0.1", "127.0.0.2", 1)
	outer := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, target+"/admin", http.StatusFound)
	}))
	defer outer.Close()
	p := DefaultPolicy()
	f := NewFetcher(p)
	allowed := outer.Listener.Addr().String()
	f.client.Transport.(*http.Transport).DialContext = func(ctx context.Context, network, addr string) (net.Conn, error) {
		if addr == allowed {
			return (&net.Dialer{}).DialContext(ctx, network, addr)
		}
		return p.DialContext(ctx, network, addr)
	}
	_, err := f.Get(context.Background(), outer.URL, 1024)
	if !errors.Is(err, ErrForbiddenAddress) || !strings.Contains(err.Error(), "redirect to "+target+"/admin: destination address not allowed: 127.0.0.2") {
		t.Errorf("err = %v, want ErrForbiddenAddress naming the redirect", err)
	}
	// Scripts of a page go through the same dialer.
	page := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, `<script src="%s/x.js"></script>`, target)
	}))
	defer page.Close()
	allowed = page.Listener.Addr().String()
	c, err := f.Capture(context.Background(), page.URL, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if r := c.Resources[0]; !strings.Contains(r.Err, "destination address not allowed: 127.0.0.2") {
		t.Errorf("script on a private address: %+v", r)
	}
}

func TestFetchCapture(t *testing.T) {
	var mu sync.Mutex
	headers := map[string]http.Header{}
	mux := http.NewServeMux()
	mux.HandleFunc("/start", func(w http.ResponseWriter, r *http.Request) {
		http.SetCookie(w, &http.Cookie{Name: "gate", Value: "passed"})
		http.Redirect(w, r, "/kit/page?phone=18445550142", http.StatusFound)
	})
	mux.HandleFunc("/kit/page", func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		headers["page"] = r.Header.Clone()
		mu.Unlock()
		if c, err := r.Cookie("gate"); err != nil || c.Value != "passed" {
			http.Error(w, "cloaked", http.StatusForbidden) // cloaking: no cookie from the first hop, no scam
			return
		}
		fmt.Fprint(w, `<html><head><base href="/assets/"><link rel=stylesheet href="s.css">
<script src="a.js"></script><script>inline()</script><script src="404.js"></script>
<script src="data:,d()"></script><script src="javascript:void(0)"></script>
<script src="http://127.0.0.1:1/refused.js"></script>
</head><body><iframe src="/frame"></iframe><iframe srcdoc="<script src=sd.js></script>"></iframe>
<iframe src="tel:+18445550142"></iframe><meta http-equiv="refresh" content="0;url=/elsewhere"></body></html>`)
	})
	mux.HandleFunc("/assets/a.js", func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		headers["script"] = r.Header.Clone()
		mu.Unlock()
		fmt.Fprint(w, "a()")
	})
	mux.HandleFunc("/assets/s.css", func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		headers["style"] = r.Header.Clone()
		mu.Unlock()
		fmt.Fprint(w, "body{cursor:none}")
	})
	mux.HandleFunc("/assets/sd.js", func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, "sd()") })
	mux.HandleFunc("/frame", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, `<p>in frame</p><script src="f.js"></script>`)
	})
	mux.HandleFunc("/f.js", func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, "f()") })
	mux.HandleFunc("/elsewhere", func(w http.ResponseWriter, r *http.Request) { t.Error("meta refresh was followed") })
	srv := httptest.NewServer(mux)
	defer srv.Close()
	c, err := NewFetcher(lab()).Capture(context.Background(), srv.URL+"/start", Options{})
	if err != nil {
		t.Fatal(err)
	}
	if c.URL != srv.URL+"/start" || c.FinalURL != srv.URL+"/kit/page?phone=18445550142" ||
		strings.Join(c.Redirects, " ") != srv.URL+"/start "+srv.URL+"/kit/page?phone=18445550142" {
		t.Errorf("url %s final %s, redirects %v", c.URL, c.FinalURL, c.Redirects)
	}
	want := map[string]string{
		"s.css":              "body{cursor:none}",
		"a.js":               "a()",
		"404.js":             "error:HTTP 404",
		"data:,d()":          "d()",
		"javascript:void(0)": "error:not an http(s) URL, not fetched",
		"sd.js":              "sd()",
		"f.js":               "f()",
	}
	got := byRef(c.Resources)
	for ref, w := range want {
		if got[ref] != w {
			t.Errorf("resource %q = %q, want %q", ref, got[ref], w)
		}
	}
	if !strings.HasPrefix(got["http://127.0.0.1:1/refused.js"], "error:fetch http://127.0.0.1:1/refused.js: ") {
		t.Errorf("refused.js = %q", got["http://127.0.0.1:1/refused.js"])
	}
	for _, r := range c.Resources {
		if r.Ref == "a.js" && (r.URL != srv.URL+"/assets/a.js" || r.Order != 1 || r.Doc != 0) {
			t.Errorf("a.js = %+v, want resolved against <base href>, order 1", r)
		}
		if r.Ref == "404.js" && r.Order != 3 {
			t.Errorf("404.js order = %d, want 3", r.Order)
		}
	}
	if len(c.Documents) != 3 || c.Documents[1].URL != srv.URL+"/frame" || c.Documents[2].URL != SrcdocURL {
		t.Errorf("documents = %d, want page, frame and srcdoc frame", len(c.Documents))
	}
	ph, sh, ch := headers["page"], headers["script"], headers["style"]
	if !strings.Contains(ph.Get("User-Agent"), "Windows NT 10.0") || !strings.HasPrefix(ph.Get("Accept"), "text/html") ||
		ph.Get("Accept-Language") == "" || ph.Get("Referer") != "" || ph.Get("Accept-Encoding") != "gzip" {
		t.Errorf("page request headers: %v", ph)
	}
	if sh.Get("Accept") != "*/*" || sh.Get("Referer") != srv.URL+"/kit/page?phone=18445550142" || !strings.HasPrefix(ch.Get("Accept"), "text/css") {
		t.Errorf("subresource headers: script %v style %v", sh, ch)
	}
}

func TestFetchConcurrencyBounded(t *testing.T) {
	var now, peak atomic.Int32
	mux := http.NewServeMux()
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		for i := range 12 {
			fmt.Fprintf(w, `<script src="/s%d.js"></script>`, i)
		}
	})
	mux.HandleFunc("/{js}", func(w http.ResponseWriter, r *http.Request) {
		n := now.Add(1)
		defer now.Add(-1)
		for {
			p := peak.Load()
			if n <= p || peak.CompareAndSwap(p, n) {
				break
			}
		}
		time.Sleep(20 * time.Millisecond)
		fmt.Fprint(w, "x()")
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()
	c, err := NewFetcher(lab()).Capture(context.Background(), srv.URL+"/", Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range c.Resources {
		if string(r.Body) != "x()" {
			t.Errorf("%s: %q %s", r.Ref, r.Body, r.Err)
		}
	}
	if p := peak.Load(); p < 2 || p > subresourceConcurrency {
		t.Errorf("peak concurrent script fetches = %d, want 2..%d", p, subresourceConcurrency)
	}
	for i, r := range c.Resources {
		if r.Ref != fmt.Sprintf("/s%d.js", i) || r.Order != i+1 {
			t.Errorf("resource %d = %s order %d: document order lost", i, r.Ref, r.Order)
		}
	}
}

func TestFetchErrorStatusAndCharset(t *testing.T) {
	mux := http.NewServeMux()
	mux.HandleFunc("/404", func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusNotFound)
		fmt.Fprint(w, `<p>Windows Defender alert: call 1-844-555-0142`)
	})
	mux.HandleFunc("/500", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusInternalServerError) })
	mux.HandleFunc("/eucjp", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=EUC-JP")
		s, _ := japanese.EUCJP.NewEncoder().String("<p>警告: ウイルス")
		fmt.Fprint(w, s)
	})
	mux.HandleFunc("/png", func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")) })
	mux.HandleFunc("/text", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain")
		fmt.Fprint(w, "<p>plain")
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()
	f := NewFetcher(lab())
	ctx := context.Background()
	c, err := f.Capture(ctx, srv.URL+"/404", Options{})
	if err != nil || !strings.Contains(string(c.Documents[0].Body), "1-844-555-0142") || !strings.Contains(strings.Join(c.Notes, "\n"), "HTTP 404") {
		t.Errorf("404 page: %v, notes %v", err, c)
	}
	if _, err := f.Capture(ctx, srv.URL+"/500", Options{}); !errors.Is(err, ErrNotHTML) || !strings.Contains(err.Error(), "HTTP 500, and not an HTML page: it is empty") {
		t.Errorf("empty 500: err = %v", err)
	}
	c, err = f.Capture(ctx, srv.URL+"/eucjp", Options{})
	if err != nil || string(c.Documents[0].Body) != "<p>警告: ウイルス" || !strings.Contains(strings.Join(c.Notes, "\n"), "converted from euc-jp") {
		t.Errorf("EUC-JP page: %v %q %v", err, c.Documents[0].Body, c.Notes)
	}
	if _, err := f.Capture(ctx, srv.URL+"/png", Options{}); err == nil || !strings.Contains(err.Error(), "not an HTML page: looks like PNG image") {
		t.Errorf("png: err = %v", err)
	}
	c, err = f.Capture(ctx, srv.URL+"/text", Options{})
	if err != nil || !strings.Contains(strings.Join(c.Notes, "\n"), "served as text/plain") {
		t.Errorf("text/plain page: %v %v", err, c.Notes)
	}
}

func TestFetchLimits(t *testing.T) {
	var bombSent atomic.Int64
	mux := http.NewServeMux()
	mux.HandleFunc("/loop", func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, "/loop", http.StatusFound) })
	mux.HandleFunc("/bomb", func(w http.ResponseWriter, r *http.Request) {
		// 10 GiB of zeros gzip-compressed on the fly (about 10 MB on the wire).
		w.Header().Set("Content-Encoding", "gzip")
		w.Header().Set("Content-Type", "text/html")
		zw, _ := gzip.NewWriterLevel(w, gzip.BestSpeed)
		zw.Write([]byte("<p>"))
		zero := make([]byte, 1<<20)
		if r.URL.Query().Has("spaces") {
			zero = []byte(strings.Repeat(" ", 1<<20)) // zeros are not a page
		}
		for range 10 << 10 {
			if _, err := zw.Write(zero); err != nil {
				return // the client hung up: good
			}
			bombSent.Add(1 << 20)
		}
		zw.Close()
	})
	mux.HandleFunc("/slow", func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte("<p>"))
		w.(http.Flusher).Flush()
		select {
		case <-r.Context().Done():
		case <-time.After(time.Minute):
		}
	})
	mux.HandleFunc("/slowheaders", func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-time.After(time.Minute):
		}
	})
	mux.HandleFunc("/big", func(w http.ResponseWriter, r *http.Request) {
		io.Copy(w, io.MultiReader(strings.NewReader("<p>"), io.LimitReader(zeros{}, 50<<20)))
	})
	mux.HandleFunc("/short", func(w http.ResponseWriter, r *http.Request) {
		// Content-Length says more than is sent: the body breaks off.
		w.Header().Set("Content-Length", "100000")
		w.Write([]byte("<p>Call 1-844-555-0142 now"))
	})
	mux.HandleFunc("/long", func(w http.ResponseWriter, r *http.Request) {
		// Content-Length says less than is sent: the rest is not read.
		// (net/http would refuse to send the lie: write it raw.)
		conn, buf, err := w.(http.Hijacker).Hijack()
		if err != nil {
			t.Error(err)
			return
		}
		defer conn.Close()
		buf.WriteString("HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Type: text/html\r\nContent-Length: 10\r\n\r\n<p>0123456789abcdef")
		buf.Flush()
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()
	p := lab()
	p.MaxPageBytes = 1 << 20
	p.MaxRedirects = 3
	f := NewFetcher(p)
	quick := p
	quick.Timeout = 500 * time.Millisecond
	fq := NewFetcher(quick)
	ctx := context.Background()

	_, err := f.Get(ctx, srv.URL+"/loop", 1024)
	if !errors.Is(err, ErrTooManyRedirects) || strings.Count(err.Error(), "/loop") != 6 || !strings.Contains(err.Error(), "more than 3") {
		t.Errorf("redirect loop: %v", err)
	}

	r, err := f.Get(ctx, srv.URL+"/bomb", p.MaxPageBytes)
	if err != nil || !r.Truncated || len(r.Body) != int(p.MaxPageBytes) {
		t.Fatalf("bomb: err %v; want a truncated 1 MiB body", err)
	}
	if n := bombSent.Load(); n > 1<<30 {
		t.Errorf("server compressed %d bytes before the client stopped", n)
	}
	// Served as text/html it is a page, as in a browser, NULs and all.
	if c, err := f.Capture(ctx, srv.URL+"/bomb", Options{}); err != nil || !c.Documents[0].Truncated || bytes.IndexByte(c.Documents[0].Body, 0) >= 0 {
		t.Errorf("bomb of zeros: err = %v, want a truncated page without NUL", err)
	}
	c, err := f.Capture(ctx, srv.URL+"/bomb?spaces", Options{})
	if err != nil || !c.Documents[0].Truncated || len(c.Documents[0].Body) != 1<<20 {
		t.Errorf("bomb capture: %v", err)
	}

	r, err = f.Get(ctx, srv.URL+"/big", p.MaxPageBytes)
	if err != nil || !r.Truncated || len(r.Body) != int(p.MaxPageBytes) {
		t.Errorf("50 MB page: err %v; want a truncated 1 MiB body", err)
	}

	c, err = f.Capture(ctx, srv.URL+"/short", Options{})
	if err != nil || string(c.Documents[0].Body) != "<p>Call 1-844-555-0142 now" || !strings.Contains(strings.Join(c.Notes, "\n"), "ended early") {
		t.Errorf("lying Content-Length: %v %+v", err, c)
	}
	r, err = f.Get(ctx, srv.URL+"/long", 1024)
	if err != nil || string(r.Body) != "<p>0123456" {
		t.Errorf("short Content-Length: %v %q", err, r.Body)
	}

	for _, path := range []string{"/slow", "/slowheaders"} {
		_, err := fq.Get(ctx, srv.URL+path, 1024)
		if !errors.Is(err, context.DeadlineExceeded) || !strings.Contains(err.Error(), "timed out") {
			t.Errorf("%s: err = %v, want a timeout", path, err)
		}
	}

	for _, u := range []string{"file:///etc/passwd", "ftp://x/", "javascript:alert(1)", "data:text/html,hi", "tel:+18445550142", "http://", "//example.com/", "example.com"} {
		_, err := f.Get(ctx, u, 1024)
		if err == nil {
			t.Errorf("%s: fetched", u)
		}
		if _, err := f.Capture(ctx, u, Options{}); err == nil {
			t.Errorf("Capture %s: fetched", u)
		}
	}
	if _, err := f.Get(ctx, "file:///etc/passwd", 1024); !errors.Is(err, ErrScheme) {
		t.Errorf("file: err = %v, want ErrScheme", err)
	}
	redirect := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "file:///etc/passwd", http.StatusFound)
	}))
	defer redirect.Close()
	if _, err := f.Get(ctx, redirect.URL, 1024); !errors.Is(err, ErrScheme) {
		t.Errorf("redirect to file: err = %v, want ErrScheme", err)
	}
	var zero Fetcher
	if _, err := zero.Get(ctx, srv.URL, 10); err == nil {
		t.Error("zero Fetcher: no error")
	}
}

// TestHostileSet runs every hostile source at once under one short
// timeout: each must end in its expected way, none may hang the rest.
func TestHostileSet(t *testing.T) {
	mux := http.NewServeMux()
	hang := func(w http.ResponseWriter, r *http.Request) { <-r.Context().Done() }
	mux.HandleFunc("/page", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, `<script src="/hang.js"></script><script src="/bomb.js"></script><link rel=stylesheet href="/hang.css"><script src="/ok.js"></script>`)
	})
	mux.HandleFunc("/hang.js", hang)
	mux.HandleFunc("/hang.css", hang)
	mux.HandleFunc("/ok.js", func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, "ok()") })
	mux.HandleFunc("/bomb.js", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Encoding", "gzip")
		zw, _ := gzip.NewWriterLevel(w, gzip.BestSpeed)
		zero := make([]byte, 1<<20)
		for range 1 << 10 {
			if _, err := zw.Write(zero); err != nil {
				return
			}
		}
		zw.Close()
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()
	p := lab()
	p.Timeout = 1500 * time.Millisecond
	p.MaxResourceBytes = 64 << 10
	c, err := NewFetcher(p).Capture(context.Background(), srv.URL+"/page", Options{})
	if err != nil {
		t.Fatal(err)
	}
	got := byRef(c.Resources)
	if got["/ok.js"] != "ok()" || !strings.Contains(got["/hang.js"], "timed out") || !strings.Contains(got["/hang.css"], "timed out") {
		t.Errorf("resources: %v", got)
	}
	for _, r := range c.Resources {
		if r.Ref == "/bomb.js" && (!r.Truncated || len(r.Body) != 64<<10) {
			t.Errorf("bomb.js: truncated=%v len=%d err=%s", r.Truncated, len(r.Body), r.Err)
		}
	}
}

// A resolver that never answers costs a fetch the DNS limit, not the whole
// dial timeout: the name lookup has its own, shorter bound.
func TestSlowDNSIsBounded(t *testing.T) {
	silent, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer silent.Close()
	go func() { // read queries, answer none
		buf := make([]byte, 512)
		for {
			if _, _, err := silent.ReadFrom(buf); err != nil {
				return
			}
		}
	}()
	p := DefaultPolicy()
	p.Resolver = &net.Resolver{PreferGo: true, Dial: func(ctx context.Context, _, _ string) (net.Conn, error) {
		return (&net.Dialer{}).DialContext(ctx, "udp", silent.LocalAddr().String())
	}}
	start := time.Now()
	_, err = p.DialContext(context.Background(), "tcp", "slow-dns.example:443")
	took := time.Since(start)
	if err == nil || !strings.Contains(err.Error(), "resolve slow-dns.example") {
		t.Fatalf("err = %v, want a resolve error", err)
	}
	if took > dnsTimeout+3*time.Second {
		t.Errorf("a silent resolver held the dial %v (DNS limit %v, dial timeout 10s)", took, dnsTimeout)
	}
}

// TestFetchReadsPastSixtyFour: a page that puts 70 empty scripts before
// its payload still has the payload fetched (the cap was 64).
func TestFetchReadsPastSixtyFour(t *testing.T) {
	mux := http.NewServeMux()
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		for i := range 70 {
			fmt.Fprintf(w, `<script src="/d%d.js"></script>`, i)
		}
		fmt.Fprint(w, `<script src="/app.js"></script>`)
	})
	mux.HandleFunc("/{js}", func(w http.ResponseWriter, r *http.Request) {
		if r.PathValue("js") == "app.js" {
			fmt.Fprint(w, "location.href = 'tel:+18445550142';")
			return
		}
		fmt.Fprint(w, "var d = 1;")
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()
	c, err := NewFetcher(lab()).Capture(context.Background(), srv.URL+"/", Options{})
	if err != nil {
		t.Fatal(err)
	}
	last := c.Resources[len(c.Resources)-1]
	if last.Ref != "/app.js" || !strings.Contains(string(last.Body), "tel:") {
		t.Fatalf("%d resources, the last %s %q %s; notes %v", len(c.Resources), last.Ref, last.Body, last.Err, c.Notes)
	}
}
