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
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/text/encoding/japanese"

	"github.com/tssguard/tssguard/internal/testdirs"
)

func write(t *testing.T, dir, name, body string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestFromFileResources(t *testing.T) {
	dir := t.TempDir()
	page := write(t, dir, "kit/index.html", `<html><head>
<link rel="stylesheet" href="css/main.css">
<script src="js/a.js"></script>
<script>inline()</script>
<script src="js/missing.js"></script>
<script src="../../../../etc/passwd"></script>
<script src="https://cdn.example/x.js"></script>
<script src="data:text/javascript;base64,YWxlcnQoMSk="></script>
</head><body><iframe src="frame.html"></iframe></body></html>`)
	write(t, dir, "kit/css/main.css", "body{cursor:none}")
	write(t, dir, "kit/js/a.js", "var a = 1;")
	write(t, dir, "kit/frame.html", `<p>frame</p><script src="js/b.js"></script>`)
	write(t, dir, "kit/js/b.js", "var b = 2;")
	c, err := FromFile(context.Background(), page, Options{})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{ // ref -> body or error
		"css/main.css":             "body{cursor:none}",
		"js/a.js":                  "var a = 1;",
		"js/missing.js":            "error:not found",
		"../../../../etc/passwd":   "error:outside root, not read",
		"https://cdn.example/x.js": "error:remote, not fetched",
		"data:text/javascript;base64,YWxlcnQoMSk=": "alert(1)",
		"js/b.js": "var b = 2;",
	}
	got := map[string]string{}
	for _, r := range c.Resources {
		if r.Err != "" {
			got[r.Ref] = "error:" + r.Err
		} else {
			got[r.Ref] = string(r.Body)
		}
	}
	for ref, w := range want {
		if got[ref] != w {
			t.Errorf("resource %q = %q, want %q", ref, got[ref], w)
		}
	}
	if len(c.Documents) != 2 || !strings.Contains(string(c.Documents[1].Body), "frame") {
		t.Errorf("documents = %d, want the page and its local frame", len(c.Documents))
	}
	for _, r := range c.Resources {
		if r.Ref == "js/a.js" && r.Order != 1 {
			t.Errorf("js/a.js order = %d, want 1", r.Order)
		}
		if r.Ref == "js/missing.js" && r.Order != 3 {
			t.Errorf("js/missing.js order = %d, want 3 (inline scripts count)", r.Order)
		}
		if r.Ref == "js/b.js" && r.Doc != 1 {
			t.Errorf("js/b.js belongs to document %d, want 1", r.Doc)
		}
	}
}

func TestFromFileBaseDirAndRoot(t *testing.T) {
	dir := t.TempDir()
	page := write(t, dir, "pages/p.html", `<script src="js/k.js"></script><script src="../secret.js"></script>`)
	write(t, dir, "assets/kit/sub/js/k.js", "kit()")
	write(t, dir, "assets/kit/secret.js", "secret()")
	base := filepath.Join(dir, "assets/kit/sub")
	c, err := FromFile(context.Background(), page, Options{BaseDir: base, Root: base})
	if err != nil {
		t.Fatal(err)
	}
	if string(c.Resources[0].Body) != "kit()" {
		t.Errorf("js/k.js = %q, err %q", c.Resources[0].Body, c.Resources[0].Err)
	}
	if c.Resources[1].Err == "" {
		t.Errorf("../secret.js escaped the root: %q", c.Resources[1].Body)
	}
}

func TestCorpusResolution(t *testing.T) {
	dir, ok := testdirs.Corpus()
	if !ok {
		t.Skip("shared corpus not present")
	}
	base := filepath.Join(dir, "scam/assets/finalpopup")
	c, err := FromFile(context.Background(), filepath.Join(dir, "scam/finalpopup__index.php"), Options{BaseDir: base, Root: base})
	if err != nil {
		t.Fatal(err)
	}
	found := 0
	for _, r := range c.Resources {
		if r.Err == "" && len(r.Body) > 0 {
			found++
		}
	}
	if found < 3 {
		t.Errorf("read %d kit files, want the kit's scripts and style sheet: %+v", found, c.Resources)
	}
}

func TestCharset(t *testing.T) {
	text := "<html><head><meta charset=\"shift_jis\"></head><body>ウイルスに感染しています</body></html>"
	sjis, err := japanese.ShiftJIS.NewEncoder().String(text)
	if err != nil {
		t.Fatal(err)
	}
	c, err := FromReader(context.Background(), strings.NewReader(sjis), "sjis", Options{})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(c.Documents[0].Body), "ウイルスに感染") {
		t.Errorf("body not converted: %q", c.Documents[0].Body)
	}
	if len(c.Notes) == 0 || !strings.Contains(c.Notes[0], "shift_jis") {
		t.Errorf("notes = %v, want the conversion noted", c.Notes)
	}
	// UTF-8 declared as windows-1252 stays UTF-8.
	c, err = FromReader(context.Background(), strings.NewReader(`<meta charset="windows-1252"><p>Sécurité Windows ウイルス</p>`), "lie", Options{})
	if err != nil || !strings.Contains(string(c.Documents[0].Body), "Sécurité Windows ウイルス") {
		t.Errorf("UTF-8 body mangled: %q %v", c.Documents[0].Body, err)
	}
}

func TestBadInput(t *testing.T) {
	for name, body := range map[string]string{
		"empty":  "",
		"blank":  "  \n\t ",
		"png":    "\x89PNG\r\n\x1a\n\x00\x00",
		"binary": "abc\x00\x01\x02def",
		"gzip":   "\x1f\x8b\x08\x00",
	} {
		_, err := FromReader(context.Background(), strings.NewReader(body), name, Options{})
		if !errors.Is(err, ErrNotHTML) {
			t.Errorf("%s: err = %v, want ErrNotHTML", name, err)
		}
	}
	if _, err := FromFile(context.Background(), filepath.Join(t.TempDir(), "nope.html"), Options{}); err == nil {
		t.Error("missing file: no error")
	}
	if _, err := FromFile(context.Background(), t.TempDir(), Options{}); err == nil {
		t.Error("directory: no error")
	}
}

func TestTruncation(t *testing.T) {
	big := "<p>" + strings.Repeat("x", 50<<20)
	c, err := FromReader(context.Background(), strings.NewReader(big), "big", Options{Policy: Policy{MaxPageBytes: 1 << 20}})
	if err != nil {
		t.Fatal(err)
	}
	if d := c.Documents[0]; !d.Truncated || len(d.Body) != 1<<20 {
		t.Errorf("truncated=%v len=%d, want a 1 MiB truncated body", d.Truncated, len(d.Body))
	}
}

func TestStdinRelativeRefs(t *testing.T) {
	c, err := FromReader(context.Background(), strings.NewReader(`<script src="a.js"></script>`), "stdin", Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Resources) != 1 || !strings.Contains(c.Resources[0].Err, "--base-dir") {
		t.Errorf("resources = %+v, want a note that relative refs need --base-dir", c.Resources)
	}
}

func TestIsPublic(t *testing.T) {
	for _, s := range []string{"127.0.0.1", "::1", "10.0.0.1", "172.16.0.1", "192.168.1.1", "169.254.169.254", "100.64.0.1", "0.0.0.0", "::", "fe80::1", "fc00::1", "224.0.0.1", "255.255.255.255", "::ffff:127.0.0.1", "192.0.2.1", "198.18.0.1"} {
		if IsPublic(netip.MustParseAddr(s)) {
			t.Errorf("%s reported public", s)
		}
	}
	for _, s := range []string{"8.8.8.8", "1.1.1.1", "2606:4700:4700::1111", "93.184.216.34"} {
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
	_, port, _ := net.SplitHostPort(srv.Listener.Addr().String())
	for _, u := range []string{srv.URL, "http://localhost:" + port + "/", "http://[::1]:" + port + "/", "http://10.0.0.1/", "http://169.254.169.254/latest/meta-data/", "http://100.64.0.1/"} {
		_, err := f.Get(context.Background(), u, 1024)
		if !errors.Is(err, ErrForbiddenAddress) {
			t.Errorf("%s: err = %v, want ErrForbiddenAddress", u, err)
		}
	}
}

// TestRedirectToPrivate: a public-looking first hop that redirects to a
// private address is refused at the second connection. The first server is
// itself on loopback, so the test allows exactly its address.
func TestRedirectToPrivate(t *testing.T) {
	inner := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		t.Error("redirect target was reached")
	}))
	defer inner.Close()
	outer := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, strings.Replace(inner.URL, "127.0.0.1", "127.0.0.2", 1), http.StatusFound)
	}))
	defer outer.Close()
	p := DefaultPolicy()
	f := NewFetcher(p)
	allowed := netip.MustParseAddr("127.0.0.1")
	f.client.Transport.(*http.Transport).DialContext = func(ctx context.Context, network, addr string) (net.Conn, error) {
		ap, err := netip.ParseAddrPort(addr)
		if err == nil && ap.Addr() == allowed {
			return (&net.Dialer{}).DialContext(ctx, network, addr)
		}
		return p.DialContext(ctx, network, addr)
	}
	_, err := f.Get(context.Background(), outer.URL, 1024)
	if !errors.Is(err, ErrForbiddenAddress) {
		t.Errorf("err = %v, want ErrForbiddenAddress", err)
	}
}

func lab() Policy {
	p := DefaultPolicy()
	p.AllowPrivate = true
	p.Timeout = 5 * time.Second
	return p
}

func TestFetchCapture(t *testing.T) {
	mux := http.NewServeMux()
	mux.HandleFunc("/start", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/page?phone=18445550142", http.StatusFound)
	})
	mux.HandleFunc("/page", func(w http.ResponseWriter, r *http.Request) {
		if !strings.Contains(r.UserAgent(), "Windows") {
			t.Errorf("user agent %q", r.UserAgent())
		}
		fmt.Fprint(w, `<script src="/js/a.js"></script><script src="/js/404.js"></script><iframe src="/frame"></iframe>`)
	})
	mux.HandleFunc("/js/a.js", func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, "a()") })
	mux.HandleFunc("/frame", func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, "<p>in frame</p>") })
	srv := httptest.NewServer(mux)
	defer srv.Close()
	c, err := NewFetcher(lab()).Capture(context.Background(), srv.URL+"/start", Options{})
	if err != nil {
		t.Fatal(err)
	}
	if c.FinalURL != srv.URL+"/page?phone=18445550142" || len(c.Redirects) != 2 {
		t.Errorf("final %s, redirects %v", c.FinalURL, c.Redirects)
	}
	if len(c.Resources) != 2 || string(c.Resources[0].Body) != "a()" || c.Resources[1].Err != "HTTP 404" {
		t.Errorf("resources = %+v", c.Resources)
	}
	if len(c.Documents) != 2 {
		t.Errorf("documents = %d, want page and frame", len(c.Documents))
	}
}

func TestFetchLimits(t *testing.T) {
	mux := http.NewServeMux()
	mux.HandleFunc("/loop", func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, "/loop", http.StatusFound) })
	mux.HandleFunc("/bomb", func(w http.ResponseWriter, r *http.Request) {
		// 10 GB of zeros, gzip-compressed on the fly (about 10 MB on the wire).
		w.Header().Set("Content-Encoding", "gzip")
		w.Header().Set("Content-Type", "text/html")
		zw := gzip.NewWriter(w)
		zw.Write([]byte("<p>"))
		zero := make([]byte, 1<<20)
		for i := 0; i < 10<<10; i++ {
			if _, err := zw.Write(zero); err != nil {
				return // the client hung up: good
			}
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
	mux.HandleFunc("/big", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Length", "100")
		io.Copy(w, io.LimitReader(zeros{}, 50<<20))
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()
	p := lab()
	p.MaxPageBytes = 1 << 20
	p.Timeout = 2 * time.Second
	f := NewFetcher(p)
	ctx := context.Background()
	if _, err := f.Get(ctx, srv.URL+"/loop", 1024); err == nil || !strings.Contains(err.Error(), "redirects") {
		t.Errorf("redirect loop: %v", err)
	}
	r, err := f.Get(ctx, srv.URL+"/bomb", p.MaxPageBytes)
	if err != nil || !r.Truncated || len(r.Body) != int(p.MaxPageBytes) {
		t.Errorf("bomb: err %v, body %d bytes; want a truncated 1 MiB body", err, len(r.Body))
	}
	if _, err := f.Get(ctx, srv.URL+"/slow", 1024); err == nil {
		t.Error("slow server: no timeout")
	}
	for _, u := range []string{"file:///etc/passwd", "ftp://x/", "javascript:alert(1)", "data:text/html,hi", "http://"} {
		if _, err := f.Get(ctx, u, 1024); err == nil {
			t.Errorf("%s: fetched", u)
		}
	}
}

type zeros struct{}

func (zeros) Read(p []byte) (int, error) {
	clear(p)
	return len(p), nil
}

func TestReferences(t *testing.T) {
	refs := References([]byte(`<script src=a.js></script><script>x</script><link rel="Stylesheet preload" href=s.css><SCRIPT SRC="b.js"></SCRIPT><iframe src=f.html></iframe>`))
	want := []Ref{{KindScript, "a.js", 1, 0}, {KindStylesheet, "s.css", 0, 44}, {KindScript, "b.js", 3, 88}, {KindFrame, "f.html", 0, 120}}
	if len(refs) != len(want) {
		t.Fatalf("refs = %+v", refs)
	}
	for i := range want {
		if refs[i].Kind != want[i].Kind || refs[i].Ref != want[i].Ref || refs[i].Order != want[i].Order {
			t.Errorf("ref %d = %+v, want %+v", i, refs[i], want[i])
		}
	}
	deep := bytes.Repeat([]byte("<div>"), 100000)
	if got := References(append(deep, `<script src=x.js></script>`...)); len(got) != 1 {
		t.Errorf("deep nesting: %d refs", len(got))
	}
}

func TestWalkPages(t *testing.T) {
	dir := t.TempDir()
	for _, f := range []string{"a.html", "b/c.php", "b/d.js", ".git/e.html", "node_modules/f.html", "g.HTM", "h.png"} {
		write(t, dir, f, "<p>x")
	}
	got, err := WalkPages(dir)
	if err != nil {
		t.Fatal(err)
	}
	var rel []string
	for _, p := range got {
		r, _ := filepath.Rel(dir, p)
		rel = append(rel, filepath.ToSlash(r))
	}
	if strings.Join(rel, ",") != "a.html,b/c.php,g.HTM" {
		t.Errorf("pages = %v", rel)
	}
}

func FuzzReferences(f *testing.F) {
	f.Add([]byte(`<script src=a.js></script><link rel=stylesheet href=b.css><iframe src=c>`))
	f.Add([]byte("<script src='\x00'>"))
	f.Fuzz(func(t *testing.T, b []byte) {
		for _, r := range References(b) {
			if r.Ref == "" {
				t.Fatal("empty reference")
			}
		}
	})
}

func FuzzFromReader(f *testing.F) {
	f.Add([]byte(`<meta charset=shift_jis><script src=data:,x></script>`))
	f.Add([]byte("\xef\xbb\xbf<p>bom"))
	f.Add([]byte("\xff\xfe<\x00p\x00>\x00"))
	f.Fuzz(func(t *testing.T, b []byte) {
		c, err := FromReader(context.Background(), bytes.NewReader(b), "fuzz", Options{BaseDir: t.TempDir()})
		if err != nil {
			return
		}
		if len(c.Documents) == 0 {
			t.Fatal("no document")
		}
	})
}
