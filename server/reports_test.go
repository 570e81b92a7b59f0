package server_test

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/gif"
	"image/jpeg"
	"image/png"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/tssguard/tssguard/internal/storetest"
	"github.com/tssguard/tssguard/internal/testdirs"
	"github.com/tssguard/tssguard/server"
	"github.com/tssguard/tssguard/store"
)

func picture(t *testing.T, format string, w, h int) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for x := range w {
		img.Set(x, x%h, color.RGBA{200, 0, 0, 255})
	}
	var buf bytes.Buffer
	var err error
	switch format {
	case "png":
		err = png.Encode(&buf, img)
	case "jpeg":
		err = jpeg.Encode(&buf, img, &jpeg.Options{Quality: 60})
	case "gif":
		err = gif.Encode(&buf, img, nil)
	}
	if err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// get fetches a path with a key and returns the response with its body.
func (a *api) get(path, token string) (*http.Response, []byte) {
	a.t.Helper()
	req, _ := http.NewRequest("GET", a.url+path, nil)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		a.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, b
}

// TestReportEvidence: a report takes a DOM and a screenshot within their
// limits, refuses what is not a PNG or JPEG of sensible size with a 400
// that says so, drops NUL characters from the DOM, and gives the evidence
// back only to key holders, as text and as the image it is, sandboxed.
func TestReportEvidence(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		a := start(t, db, server.Options{})
		site := pages(t, "127.0.0.1")
		page := site + "/benign/airline-contact.html"
		jpg := picture(t, "jpeg", 320, 200)
		hostile := "<html><body><script>alert(1)</script>Call\x00 now</body></html>"

		for _, c := range []struct {
			name string
			body map[string]any
			code int
			msg  string
		}{
			{"a GIF", map[string]any{"url": page, "screenshot": picture(t, "gif", 10, 10)}, 400, "PNG or JPEG"},
			{"not an image", map[string]any{"url": page, "screenshot": []byte("<svg onload=alert(1)>")}, 400, "not a PNG or JPEG"},
			{"not base64", map[string]any{"url": page, "screenshot": "%%%"}, 400, "base64"},
			{"a PNG too wide", map[string]any{"url": page, "screenshot": picture(t, "png", 8193, 1)}, 400, "8192"},
			{"a screenshot over 1 MiB", map[string]any{"url": page, "screenshot": bytes.Repeat(jpg, 1<<20/len(jpg)+1)}, 413, "screenshot"},
			{"a DOM over 2 MiB", map[string]any{"url": page, "dom": strings.Repeat("a", server.MaxReportDOM+1)}, 413, "dom"},
			{"a DOM without a URL", map[string]any{"number": "+18885550147", "dom": "<p>hi</p>"}, 400, "url"},
		} {
			code, m, raw := a.do("POST", "/api/v1/reports", a.token, c.body)
			msg, _ := m["message"].(string)
			if code != c.code || !strings.Contains(msg, c.msg) {
				t.Errorf("%s: %d %.300s, want %d and a message about %q", c.name, code, raw, c.code, c.msg)
			}
		}
		if reps, _ := db.UserReports(t.Context(), 10); len(reps) != 0 {
			t.Fatalf("refused reports were stored: %+v", reps)
		}

		// A DOM at the limit, in a body far over the default --max-body.
		code, m, raw := a.do("POST", "/api/v1/reports", a.token, map[string]any{"url": page, "dom": strings.Repeat("é", server.MaxReportDOM/2), "screenshot": picture(t, "png", 64, 64)})
		if code != 202 || m["dom_size"] != float64(server.MaxReportDOM) || m["screenshot_type"] != "image/png" {
			t.Errorf("DOM at the limit: %d %.300s", code, raw)
		}
		if _, ok := m["dom_verdict"]; ok {
			t.Errorf("the reporter is told the DOM's verdict: %s", raw)
		}

		code, m, raw = a.do("POST", "/api/v1/reports", a.token, map[string]any{"url": page, "dom": hostile, "screenshot": jpg})
		if code != 202 {
			t.Fatalf("report with evidence: %d %s", code, raw)
		}
		id := m["id"].(string)

		// Reading reports and their evidence needs a key.
		for _, p := range []string{"/api/v1/reports", "/api/v1/reports/" + id, "/api/v1/reports/" + id + "/dom", "/api/v1/reports/" + id + "/screenshot"} {
			if resp, _ := a.get(p, ""); resp.StatusCode != 401 {
				t.Errorf("%s without a key: %d, want 401", p, resp.StatusCode)
			}
		}
		resp, body := a.get("/api/v1/reports/"+id+"/dom", a.token)
		if resp.StatusCode != 200 || string(body) != strings.ReplaceAll(hostile, "\x00", "") {
			t.Errorf("dom: %d %q", resp.StatusCode, body)
		}
		for k, want := range map[string]string{"Content-Type": "text/plain; charset=utf-8", "X-Content-Type-Options": "nosniff", "Content-Security-Policy": "sandbox; default-src 'none'"} {
			if got := resp.Header.Get(k); got != want {
				t.Errorf("dom %s: %q, want %q", k, got, want)
			}
		}
		resp, body = a.get("/api/v1/reports/"+id+"/screenshot", a.token)
		if resp.StatusCode != 200 || !bytes.Equal(body, jpg) || resp.Header.Get("Content-Type") != "image/jpeg" ||
			resp.Header.Get("X-Content-Type-Options") != "nosniff" || !strings.HasPrefix(resp.Header.Get("Content-Security-Policy"), "sandbox") {
			t.Errorf("screenshot: %d %v, %d bytes", resp.StatusCode, resp.Header, len(body))
		}
		if _, _, err := image.Decode(bytes.NewReader(body)); err != nil {
			t.Errorf("screenshot does not decode: %v", err)
		}

		code, m, raw = a.do("GET", "/api/v1/reports/"+id, a.token, nil)
		if code != 200 || m["dom_size"] != float64(len(hostile)-1) || m["screenshot_type"] != "image/jpeg" || m["screenshot_width"] != float64(320) ||
			m["dom_url"] != "/api/v1/reports/"+id+"/dom" || m["screenshot_url"] != "/api/v1/reports/"+id+"/screenshot" || m["dom_verdict"] != "clean" {
			t.Errorf("report: %d %s", code, raw)
		}
		// Lists stay cheap: sizes and links, never the bytes.
		code, m, raw = a.do("GET", "/api/v1/reports", a.token, nil)
		if code != 200 || len(m["reports"].([]any)) != 2 || bytes.Contains(raw, []byte("alert(1)")) || len(raw) > 8<<10 {
			t.Errorf("list: %d %.500s (%d bytes)", code, raw, len(raw))
		}
		// A report without evidence has none to give.
		code, m, _ = a.do("POST", "/api/v1/reports", a.token, map[string]any{"url": page})
		if code != 202 {
			t.Fatal(code)
		}
		if resp, _ := a.get("/api/v1/reports/"+m["id"].(string)+"/dom", a.token); resp.StatusCode != 404 {
			t.Errorf("dom of a plain report: %d, want 404", resp.StatusCode)
		}
	})
}

// TestReportCloaking: a victim reports a page and sends its DOM, a scam
// page; the scanner, fetching the same URL, is served a harmless page.
// The report is marked as cloaking suspected and put first in priority,
// and nothing is listed: a DOM anyone can write lists nothing.
func TestReportCloaking(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		a := start(t, db, server.Options{})
		scam, err := os.ReadFile(filepath.Join(testdirs.Fixtures(), "scam", "de-defender-alert-0800.html"))
		if err != nil {
			t.Fatal(err)
		}
		// What the scanner is served at the URL: a plain page.
		site := httpServe(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			fmt.Fprint(w, `<!doctype html><title>Gartenverein</title><h1>Willkommen im Gartenverein</h1><p>Unser nächstes Treffen ist am Samstag.</p>`)
		}))
		page := site + "/landing?id=7"
		code, m, raw := a.do("POST", "/api/v1/reports", a.token, map[string]any{"url": page, "dom": string(scam), "screenshot": picture(t, "jpeg", 64, 48)})
		if code != 202 {
			t.Fatalf("report: %d %s", code, raw)
		}
		id, scanID := m["id"].(string), m["scan"].(string)
		if s := a.wait(scanID); s["verdict"] != "clean" {
			t.Fatalf("the scan of the served page says %v, want clean", s["verdict"])
		}
		code, m, raw = a.do("GET", "/api/v1/reports/"+id, a.token, nil)
		if code != 200 || m["dom_verdict"] != "scam" || m["scan_verdict"] != "clean" || m["cloaking_suspected"] != true || m["priority"] != float64(store.PriorityCloaking) {
			t.Fatalf("report: %d %s", code, raw)
		}
		if fs, _ := m["dom_findings"].([]any); len(fs) == 0 || len(fs) > 5 {
			t.Errorf("dom findings: %v", m["dom_findings"])
		}
		if score, _ := m["dom_score"].(float64); score <= 0 {
			t.Errorf("dom score %v", m["dom_score"])
		}
		// Nothing listed: not the URL, not its host, not the DOM's number.
		time.Sleep(200 * time.Millisecond) // the index follows the store every 50 ms
		_, m, _ = a.do("GET", "/api/v1/check?url="+page, "", nil)
		if m["verdict"] != "unknown" {
			t.Errorf("check after a cloaking report: %v", m)
		}
		if u, d, n := a.ix.Len(); u+d+n != 0 {
			t.Errorf("index holds %d URLs, %d domains, %d numbers after a report", u, d, n)
		}
	})
}

// httpServe serves h on loopback for the test.
func httpServe(t *testing.T, h http.Handler) string {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv.URL
}
