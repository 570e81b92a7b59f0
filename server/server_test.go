package server_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/tssguard/tssguard/capture"
	"github.com/tssguard/tssguard/internal/servetest"
	"github.com/tssguard/tssguard/internal/storetest"
	"github.com/tssguard/tssguard/internal/testdirs"
	"github.com/tssguard/tssguard/reputation"
	"github.com/tssguard/tssguard/sandbox"
	"github.com/tssguard/tssguard/server"
	"github.com/tssguard/tssguard/store"
)

// pages serves fixture pages on a loopback address: the scanned "internet".
func pages(t *testing.T, addr string) string {
	t.Helper()
	dir := testdirs.Fixtures()
	ln, err := net.Listen("tcp", addr+":0")
	if err != nil {
		t.Skipf("cannot listen on %s: %v", addr, err)
	}
	srv := httptest.NewUnstartedServer(http.FileServer(http.Dir(dir)))
	srv.Listener.Close()
	srv.Listener = ln
	srv.Start()
	t.Cleanup(srv.Close)
	return srv.URL
}

type api struct {
	t     *testing.T
	url   string
	token string
	db    *store.DB
	ix    *reputation.Index
}

func (a *api) do(method, path, token string, body any) (int, map[string]any, []byte) {
	a.t.Helper()
	return a.doWith(method, path, token, body, nil)
}

// doWith is do with more request headers (a browser's User-Agent…).
func (a *api) doWith(method, path, token string, body any, header http.Header) (int, map[string]any, []byte) {
	a.t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(b)
	case []byte:
		rd = bytes.NewReader(b)
	default:
		j, _ := json.Marshal(b)
		rd = bytes.NewReader(j)
	}
	req, _ := http.NewRequest(method, a.url+path, rd)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if rd != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	for k, vs := range header {
		req.Header[k] = vs
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		a.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	var m map[string]any
	_ = json.Unmarshal(raw, &m)
	return resp.StatusCode, m, raw
}

func (a *api) wait(id string) map[string]any {
	a.t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		code, m, raw := a.do("GET", "/api/v1/scans/"+id, "", nil)
		if code != 200 {
			a.t.Fatalf("scan %s: %d %s", id, code, raw)
		}
		if m["status"] == "done" || m["status"] == "failed" {
			return m
		}
		time.Sleep(50 * time.Millisecond)
	}
	a.t.Fatalf("scan %s did not finish", id)
	return nil
}

// opts are a test server's options; Pool, when set, runs dynamic scans.
type opts struct {
	server.Options
	Pool *sandbox.Pool
}

func start(t *testing.T, db *store.DB, so server.Options) *api {
	return startWith(t, db, opts{Options: so})
}

func startWith(t *testing.T, db *store.DB, o opts) *api {
	t.Helper()
	a := servetest.Start(t, db, servetest.Options{Server: o.Options, Pool: o.Pool})
	srv := httptest.NewServer(a.Server)
	t.Cleanup(srv.Close)
	return &api{t: t, url: srv.URL, token: a.Token, db: db, ix: a.Index}
}

// TestAPI drives the whole API on both stores: submit, scan, report, look
// up, allowlist, and every kind of bad request.
func TestAPI(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		a := start(t, db, server.Options{})
		scamHost := pages(t, "127.0.0.1")
		benignHost := pages(t, "127.0.0.2")
		scamURL := scamHost + "/scam/template-param-default-autodial.html"
		benignURL := benignHost + "/benign/airline-contact.html"

		// Bad requests get clean 4xx errors.
		for _, c := range []struct {
			name, token string
			body        any
			code        int
			errCode     string
		}{
			{"no key", "", map[string]any{"url": scamURL}, 401, "unauthorized"},
			{"wrong key", store.TokenPrefix + "0000", map[string]any{"url": scamURL}, 401, "unauthorized"},
			{"malformed JSON", a.token, `{"url": `, 400, "bad_json"},
			{"empty body", a.token, "", 400, "bad_json"},
			{"unknown field", a.token, `{"url":"https://x.example/","colour":"red"}`, 400, "bad_json"},
			{"trailing data", a.token, `{"url":"https://x.example/"} {}`, 400, "bad_json"},
			{"huge body", a.token, `{"url":"https://x.example/","ua":"` + strings.Repeat("a", 100<<10) + `"}`, 413, "too_large"},
			{"no url", a.token, `{}`, 400, "bad_url"},
			{"not a URL", a.token, map[string]any{"url": "http://[::1"}, 400, "bad_url"},
			{"ftp", a.token, map[string]any{"url": "ftp://files.example/x"}, 400, "bad_url"},
			{"javascript", a.token, map[string]any{"url": "javascript:alert(1)"}, 400, "bad_url"},
			{"no host", a.token, map[string]any{"url": "http:///path"}, 400, "bad_url"},
			{"bad ua", a.token, map[string]any{"url": scamURL, "ua": "netscape"}, 400, "bad_ua"},
			{"dynamic without chromium", a.token, map[string]any{"url": scamURL, "dynamic": true}, 503, "dynamic_unavailable"},
		} {
			code, m, raw := a.do("POST", "/api/v1/scans", c.token, c.body)
			if code != c.code || m["error"] != c.errCode || m["message"] == "" {
				t.Errorf("%s: %d %s, want %d %s", c.name, code, raw, c.code, c.errCode)
			}
		}
		for path, want := range map[string]int{
			"/api/v1/scans/00000000-0000-0000-0000-000000000000": 404,
			"/api/v1/scans/bad%20id":                             400,
			"/api/v1/check":                                      400,
			"/api/v1/numbers/12":                                 400,
			"/api/v1/nope":                                       404,
		} {
			if code, m, raw := a.do("GET", path, "", nil); code != want || m["error"] == nil {
				t.Errorf("GET %s: %d %s, want %d", path, code, raw, want)
			}
		}

		// A scam page is scanned and lands in the index.
		code, m, raw := a.do("POST", "/api/v1/scans", a.token, map[string]any{"url": scamURL + "?phone=18885550147"})
		if code != 202 || m["id"] == "" {
			t.Fatalf("submit: %d %s", code, raw)
		}
		scam := a.wait(m["id"].(string))
		report, _ := scam["report"].(map[string]any)
		if scam["status"] != "done" || scam["verdict"] != "scam" || report == nil || report["verdict"] != "scam" {
			t.Fatalf("scam scan: %v", scam)
		}
		code, m, _ = a.do("POST", "/api/v1/scans", a.token, map[string]any{"url": benignURL})
		if code != 202 {
			t.Fatalf("submit benign: %d", code)
		}
		// A real airline's contact page: numbers and urgency, never a scam,
		// and nothing listed from it.
		if benign := a.wait(m["id"].(string)); benign["status"] != "done" || benign["verdict"] == "scam" {
			t.Fatalf("benign scan: %v", benign["verdict"])
		}

		check := func(u string) map[string]any {
			t.Helper()
			var m map[string]any
			for range 100 { // the index follows the store within a poll
				_, m, _ = a.do("GET", "/api/v1/check?url="+url.QueryEscape(u), "", nil)
				if m["verdict"] != "unknown" {
					break
				}
				time.Sleep(20 * time.Millisecond)
			}
			return m
		}
		if m := check(scamURL); m["verdict"] != "scam" || m["matched"] == "" || m["expires"] == nil {
			t.Errorf("check scam URL: %v", m)
		}
		if _, m, _ := a.do("GET", "/api/v1/check?url="+url.QueryEscape(benignURL), "", nil); m["verdict"] != "unknown" {
			t.Errorf("check benign URL: %v", m)
		}
		var number string
		for _, h := range report["hotlines"].([]any) {
			number = h.(map[string]any)["e164"].(string)
		}
		if number == "" {
			t.Fatalf("no hotline in the scam report")
		}
		if _, m, raw := a.do("GET", "/api/v1/numbers/"+url.PathEscape(number), "", nil); m["verdict"] != "scam" || m["hotline"] == nil {
			t.Errorf("number %s: %s", number, raw)
		}
		if _, m, raw := a.do("GET", "/api/v1/domains/127.0.0.1", "", nil); m["verdict"] != "scam" || m["listing"] == nil {
			t.Errorf("domain: %s", raw)
		}
		if code, _, raw := a.do("GET", "/api/v1/scans/"+scam["id"].(string)+"/screenshot.png", "", nil); code != 404 {
			t.Errorf("screenshot of a static scan: %d %s", code, raw)
		}
		if code, m, raw := a.do("GET", "/api/v1/scans?limit=10", "", nil); code != 200 || len(m["scans"].([]any)) != 2 {
			t.Errorf("scan list: %d %s", code, raw)
		}
		if code, _, _ := a.do("GET", "/api/v1/scans?limit=0", "", nil); code != 400 {
			t.Errorf("limit=0: %d", code)
		}
		if code, m, raw := a.do("GET", "/api/v1/campaigns", "", nil); code != 200 || len(m["campaigns"].([]any)) != 1 {
			t.Errorf("campaigns: %d %s", code, raw)
		}
		// The scam verdict started a watch; stats report it and the number.
		if code, m, raw := a.do("GET", "/api/v1/stats", "", nil); code != 200 || m["watch"].(map[string]any)["watched"] != 1.0 || m["numbers"].(map[string]any)["numbers"].(float64) < 1 {
			t.Errorf("stats: %d %s", code, raw)
		}

		// A user's report queues a scan; it lists nothing by itself.
		code, m, raw = a.do("POST", "/api/v1/reports", a.token, map[string]any{"url": benignHost + "/benign/confirm-delete.html", "comment": "looked odd"})
		if code != 202 || m["scan"] == "" {
			t.Fatalf("report: %d %s", code, raw)
		}
		if s := a.wait(m["scan"].(string)); s["origin"] != "report" || s["verdict"] == "scam" {
			t.Errorf("report scan: %v", s)
		}
		if code, _, _ := a.do("POST", "/api/v1/reports", a.token, map[string]any{"comment": "no target"}); code != 400 {
			t.Errorf("empty report: %d", code)
		}
		if code, _, _ := a.do("POST", "/api/v1/reports", "", map[string]any{"number": "+18885550147"}); code != 401 {
			t.Errorf("report without key: %d", code)
		}

		// Allowlisting takes the domain off at once and keeps it off.
		if code, _, raw := a.do("POST", "/api/v1/allowlist", a.token, map[string]any{"domain": "127.0.0.1", "note": "test lab"}); code != 201 {
			t.Fatalf("allow: %d %s", code, raw)
		}
		if _, m, _ := a.do("GET", "/api/v1/check?url="+url.QueryEscape(scamURL), "", nil); m["verdict"] != "allowlisted" {
			t.Errorf("check after allow: %v", m)
		}
		// A page there that shows the number in its URL is still matched
		// by its pattern when it carries a number.
		code, m, _ = a.do("POST", "/api/v1/scans", a.token, map[string]any{"url": scamURL + "?phone=18885550199"})
		if code != 202 {
			t.Fatalf("submit on an allowlisted site: %d", code)
		}
		a.wait(m["id"].(string))
		var pm map[string]any
		for range 100 { // the index follows the store within a poll
			if _, pm, _ = a.do("GET", "/api/v1/check?url="+url.QueryEscape(scamURL+"?phone=18005550111"), "", nil); pm["verdict"] == "scam" {
				break
			}
			time.Sleep(20 * time.Millisecond)
		}
		if m := pm; m["verdict"] != "scam" || !strings.HasSuffix(fmt.Sprint(m["matched"]), "?phone=") {
			t.Errorf("check of the abused page: %v", m)
		}
		if _, m, _ := a.do("GET", "/api/v1/check?url="+url.QueryEscape(scamURL), "", nil); m["verdict"] != "allowlisted" {
			t.Errorf("check of the page without a number: %v", m)
		}
		if _, m, _ := a.do("GET", "/api/v1/allowlist", "", nil); len(m["allowlist"].([]any)) != 1 {
			t.Errorf("allowlist: %v", m)
		}
		if code, _, _ := a.do("DELETE", "/api/v1/allowlist/127.0.0.1", a.token, nil); code != 204 {
			t.Errorf("disallow: %d", code)
		}
		if code, _, _ := a.do("DELETE", "/api/v1/allowlist/127.0.0.1", a.token, nil); code != 404 {
			t.Errorf("second disallow: %d", code)
		}

		// Operations endpoints.
		if code, m, _ := a.do("GET", "/healthz", "", nil); code != 200 || m["status"] != "ok" {
			t.Errorf("healthz: %d %v", code, m)
		}
		_, _, metrics := a.do("GET", "/metrics", "", nil)
		for _, want := range []string{`tssguard_http_requests_total{code="202",route="POST /api/v1/scans"}`, "tssguard_index_entries", "tssguard_checks_total"} {
			if !bytes.Contains(metrics, []byte(want)) {
				t.Errorf("metrics lack %s", want)
			}
		}
	})
}

// TestOpenAPIDescribesEveryRoute keeps the document and the routes in step.
func TestOpenAPIDescribesEveryRoute(t *testing.T) {
	db, err := store.OpenSQLite(context.Background(), t.TempDir(), true)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() }) // after the queue stops
	a := start(t, db, server.Options{})
	_, doc, raw := a.do("GET", "/openapi.json", "", nil)
	if doc["openapi"] != "3.0.3" {
		t.Fatalf("openapi.json: %.200s", raw)
	}
	paths := doc["paths"].(map[string]any)
	var src []byte
	for _, f := range []string{"server.go", "exports.go"} {
		b, _ := os.ReadFile(f)
		src = append(src, b...)
	}
	for _, line := range strings.Split(string(src), "\n") {
		i := strings.Index(line, `s.handle("`)
		if i < 0 {
			continue
		}
		route := strings.SplitN(line[i+len(`s.handle("`):], `"`, 2)[0]
		method, path, _ := strings.Cut(route, " ")
		p, ok := paths[path].(map[string]any)
		if !ok || p[strings.ToLower(method)] == nil {
			t.Errorf("openapi.json does not describe %s", route)
		}
	}

	// Every response says what its body is; errors are the Error schema.
	components := doc["components"].(map[string]any)
	resolve := func(v map[string]any) map[string]any {
		for {
			ref, ok := v["$ref"].(string)
			if !ok {
				return v
			}
			parts := strings.Split(strings.TrimPrefix(ref, "#/components/"), "/")
			v, _ = components[parts[0]].(map[string]any)[parts[1]].(map[string]any)
			if v == nil {
				t.Fatalf("dangling %s", ref)
			}
		}
	}
	for path, item := range paths {
		for method, op := range item.(map[string]any) {
			op, ok := op.(map[string]any)
			if !ok || op["responses"] == nil {
				continue
			}
			responses := op["responses"].(map[string]any)
			if responses["default"] == nil {
				t.Errorf("%s %s: no default (error) response", method, path)
			}
			for code, r := range responses {
				r := resolve(r.(map[string]any))
				if code == "204" || code == "304" {
					if r["content"] != nil {
						t.Errorf("%s %s %s: a body on a bodiless status", method, path, code)
					}
					continue
				}
				content, _ := r["content"].(map[string]any)
				if len(content) == 0 {
					t.Errorf("%s %s %s: no content described", method, path, code)
				}
				for mt, c := range content {
					schema, _ := c.(map[string]any)["schema"].(map[string]any)
					if schema == nil {
						t.Errorf("%s %s %s %s: no schema", method, path, code, mt)
						continue
					}
					isError := code == "default" || code[0] == '4' || code[0] == '5'
					if isError && path != "/healthz" && schema["$ref"] != "#/components/schemas/Error" {
						t.Errorf("%s %s %s: error response is not the Error schema", method, path, code)
					}
					if rs := resolve(schema); rs["type"] == nil && rs["oneOf"] == nil {
						t.Errorf("%s %s %s %s: untyped schema", method, path, code, mt)
					}
				}
			}
		}
	}

	// The number and domain answers carry only what their schemas declare.
	seed(t, db, "alert-win-defender.example")
	declared := func(schema string) map[string]any {
		return resolve(map[string]any{"$ref": "#/components/schemas/" + schema})["properties"].(map[string]any)
	}
	for path, schemas := range map[string][2]string{
		"/api/v1/numbers/+18885550140":               {"Number", "Hotline"},
		"/api/v1/domains/alert-win-defender.example": {"Domain", "Listing"},
	} {
		code, m, raw := a.do("GET", path, "", nil)
		if code != 200 || len(m) < 3 {
			t.Fatalf("%s: %d %s", path, code, raw)
		}
		props := declared(schemas[0])
		for k, v := range m {
			if props[k] == nil {
				t.Errorf("%s: %q is not in the %s schema", path, k, schemas[0])
			}
			if nested, ok := v.(map[string]any); ok {
				inner := declared(schemas[1])
				for k2 := range nested {
					if inner[k2] == nil {
						t.Errorf("%s: %s.%s is not in the %s schema", path, k, k2, schemas[1])
					}
				}
			}
		}
	}
}

// TestRateLimits: a key over its write rate gets 429; requests with a key
// are limited per key and do not use up their address's budget, which
// limits requests without a key.
func TestRateLimits(t *testing.T) {
	db, err := store.OpenSQLite(context.Background(), t.TempDir(), true)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() }) // after the queue stops
	a := start(t, db, server.Options{KeyRate: 0.001, KeyBurst: 2, KeyReadRate: 0.001, KeyReadBurst: 3, IPRate: 0.001, IPBurst: 5})
	var codes []int
	for range 4 {
		code, _, _ := a.do("POST", "/api/v1/allowlist", a.token, map[string]any{"domain": "example.org"})
		codes = append(codes, code)
	}
	if fmt.Sprint(codes) != "[201 201 429 429]" {
		t.Errorf("key-limited write codes = %v", codes)
	}
	// Reads with the key have their own budget of 3.
	codes = nil
	for range 4 {
		code, _, _ := a.do("GET", "/api/v1/check?url=http://example.net/", a.token, nil)
		codes = append(codes, code)
	}
	if fmt.Sprint(codes) != "[200 200 200 429]" {
		t.Errorf("key-limited read codes = %v", codes)
	}
	// The address's 5 are untouched by the keyed requests; then refused.
	codes = nil
	for range 6 {
		code, _, _ := a.do("GET", "/api/v1/allowlist", "", nil)
		codes = append(codes, code)
	}
	if fmt.Sprint(codes) != "[200 200 200 200 200 429]" {
		t.Errorf("address-limited codes = %v", codes)
	}
	// A refused key is charged to the address, so guessing keys is limited.
	if code, m, _ := a.do("GET", "/api/v1/allowlist", "tsg_not-a-key", nil); code != 429 || m["error"] != "rate_limited" {
		t.Errorf("bad key over the address limit: %d %v", code, m)
	}
	// Health stays reachable for the load balancer.
	if code, _, _ := a.do("GET", "/healthz", "", nil); code != 200 {
		t.Errorf("healthz under rate limit: %d", code)
	}
}

// TestDynamicScan runs a scan in headless Chromium through the API and
// reads back its screenshot and DOM; the DOM is served as text, never as a
// page.
func TestDynamicScan(t *testing.T) {
	policy := capture.DefaultPolicy()
	policy.AllowPrivate = true
	pool, err := sandbox.New(context.Background(), sandbox.Options{Policy: policy, TabsPerBrowser: 1})
	if errors.Is(err, sandbox.ErrNoChromium) {
		t.Skip(err)
	}
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { pool.Close() })
	db, err := store.OpenSQLite(context.Background(), t.TempDir(), true)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	a := startWith(t, db, opts{Pool: pool})
	host := pages(t, "127.0.0.1")
	code, m, raw := a.do("POST", "/api/v1/scans", a.token, map[string]any{"url": host + "/scam/fake-bsod.html", "dynamic": true, "ua": "windows"})
	if code != 202 {
		t.Fatalf("submit: %d %s", code, raw)
	}
	s := a.wait(m["id"].(string))
	if s["status"] != "done" || s["verdict"] != "scam" || s["dynamic"] != true || s["screenshot"] == nil {
		t.Fatalf("dynamic scan: %v", s)
	}
	resp, png := get(t, a.url+s["screenshot"].(string))
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "image/png" || !bytes.HasPrefix(png, []byte("\x89PNG")) {
		t.Errorf("screenshot: %d %s %.8q", resp.StatusCode, resp.Header.Get("Content-Type"), png)
	}
	resp, dom := get(t, a.url+s["dom"].(string))
	if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/plain") ||
		resp.Header.Get("Content-Security-Policy") == "" || !bytes.Contains(bytes.ToLower(dom), []byte("<html")) {
		t.Errorf("dom: %d %v %.80q", resp.StatusCode, resp.Header, dom)
	}
}
