package ui_test

import (
	"bytes"
	"context"
	"encoding/json"
	"html"
	"image"
	"image/jpeg"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/tssguard/tssguard/analyze"
	"github.com/tssguard/tssguard/reputation"
	"github.com/tssguard/tssguard/server"
	"github.com/tssguard/tssguard/store"
)

const payload = `"><img src=x onerror=alert(1)><script>alert(2)</script>`

// hostileScan stores a finished scan whose report, page source and
// screenshot were written by an attacker.
func hostileScan(t *testing.T, db *store.DB) string {
	t.Helper()
	ctx := context.Background()
	sc, err := db.CreateScan(ctx, store.Scan{URL: "https://evil.example/?q=" + url.QueryEscape(payload), Dynamic: true}, nil)
	if err != nil {
		t.Fatal(err)
	}
	rep := analyze.Report{Schema: 1, URL: sc.URL, Verdict: analyze.Scam, Score: 12, Reason: "reason " + payload,
		Findings: []analyze.Finding{{Rule: "TSS-TEST", Category: "content", Message: "message " + payload,
			Evidence: []analyze.Evidence{{Source: "text", Offset: -1, Snippet: "call support now " + strings.ToLower(payload)}}}},
		Hotlines: []analyze.Hotline{{E164: "+18445550142", Raw: payload, Type: "toll-free", Region: "US", Where: []string{"text"}}},
		Brands:   []string{payload}}
	raw, _ := json.Marshal(rep)
	dom := `<html><body><p>Call   SUPPORT now ` + payload + `</p></body></html>`
	err = db.FinishScan(ctx, sc.ID, store.Result{FinalURL: sc.URL, Domain: "evil.example", Verdict: "scam", Score: 12, Report: raw,
		Artifacts: []store.Artifact{{Name: "dom.html", ContentType: "text/html", Data: []byte(dom)},
			{Name: "screenshot.png", ContentType: "image/png", Data: []byte("<svg onload=alert(1)>")}}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	return sc.ID
}

type client struct {
	t    *testing.T
	base string
	c    *http.Client
}

func newClient(t *testing.T, base string) *client {
	jar, _ := cookiejar.New(nil)
	return &client{t: t, base: base, c: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

func (c *client) get(path string) (*http.Response, string) {
	c.t.Helper()
	resp, err := c.c.Get(c.base + path)
	if err != nil {
		c.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, string(b)
}

func (c *client) post(path string, form url.Values) *http.Response {
	c.t.Helper()
	resp, err := c.c.PostForm(c.base+path, form)
	if err != nil {
		c.t.Fatal(err)
	}
	resp.Body.Close()
	return resp
}

var csrfField = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

func (c *client) csrf(path string) string {
	c.t.Helper()
	_, body := c.get(path)
	m := csrfField.FindStringSubmatch(body)
	if m == nil {
		c.t.Fatalf("no CSRF token on %s", path)
	}
	return m[1]
}

func uiServer(t *testing.T, readKey bool) (*client, *store.DB, string) {
	t.Helper()
	db, err := store.OpenSQLite(context.Background(), t.TempDir(), true)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	srv := httptest.NewServer(server.New(server.Options{Store: db, Index: reputation.New(), ReadNeedsKey: readKey}))
	t.Cleanup(srv.Close)
	_, token, err := db.CreateKey(context.Background(), "analyst")
	if err != nil {
		t.Fatal(err)
	}
	return newClient(t, srv.URL), db, token
}

// TestPagesEscapeAndLockDown checks the headers and escaping of the
// pages without a browser: CSP with a nonce, scanned content as text,
// screenshots only as sandboxed PNGs.
func TestPagesEscapeAndLockDown(t *testing.T) {
	c, db, _ := uiServer(t, false)
	id := hostileScan(t, db)
	resp, body := c.get("/scans/" + id)
	if resp.StatusCode != 200 {
		t.Fatalf("report: %d", resp.StatusCode)
	}
	csp := resp.Header.Get("Content-Security-Policy")
	nonce := regexp.MustCompile(`script-src 'nonce-([A-Za-z0-9_-]+)'`).FindStringSubmatch(csp)
	if nonce == nil || strings.Contains(csp, "unsafe-inline") || !strings.Contains(csp, "default-src 'none'") {
		t.Errorf("CSP = %q", csp)
	}
	if n := strings.Count(body, "<script"); n != 1 || !strings.Contains(body, `<script nonce="`+nonce[1]+`"`) {
		t.Errorf("%d script tags; want only the nonced one", n)
	}
	for _, bad := range []string{"<img src=x", "<script>alert", "onerror=alert(1)>"} {
		if strings.Contains(body, bad) {
			t.Errorf("report renders %q", bad)
		}
	}
	if !strings.Contains(body, "&lt;script&gt;alert(2)&lt;/script&gt;") {
		t.Error("the payload is not shown as text")
	}
	// Normalised text evidence is found in the DOM and highlighted.
	if !regexp.MustCompile(`<mark>SUPPORT now &#34;&gt;&lt;img`).MatchString(body) {
		t.Error("evidence not highlighted in the page source")
	}
	resp, _ = c.get("/scans/" + id + "/screenshot.png")
	if resp.StatusCode != 404 {
		t.Errorf("a screenshot that is not a PNG was served: %d", resp.StatusCode)
	}
	if resp, body := c.get("/scans/" + id + "?flash=Call+%2B1+844+555+0142+now"); resp.StatusCode != 200 || strings.Contains(body, "844 555") {
		t.Error("a link can put its own message on the page")
	}
	if resp, body := c.get("/api/v1/nope"); resp.StatusCode != 404 || !strings.Contains(body, `"error"`) {
		t.Errorf("unknown API path: %d %s", resp.StatusCode, body)
	}
	for path, want := range map[string]int{"/scans/bad%20id": 400, "/scans/00000000-0000-0000-0000-000000000000": 404, "/numbers/12": 400, "/nowhere": 404, "/campaigns/none": 404, "/scans?verdict=x": 400, "/scans?family=x": 400} {
		if resp, _ := c.get(path); resp.StatusCode != want {
			t.Errorf("GET %s: %d, want %d", path, resp.StatusCode, want)
		}
	}
}

// TestFindingsSayWhatTheirRuleDetects: a report's finding carries its
// rule's description from the pack; a rule the pack does not know has none.
func TestFindingsSayWhatTheirRuleDetects(t *testing.T) {
	c, db, _ := uiServer(t, false)
	ctx := context.Background()
	sc, err := db.CreateScan(ctx, store.Scan{URL: "https://evil.example/"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	rep := analyze.Report{Schema: 1, URL: sc.URL, Verdict: analyze.Suspicious, Score: 6,
		Findings: []analyze.Finding{{Rule: "TSS-TEXT-THREAT-FOUND", Category: "content", Message: "reports malware"}, {Rule: "TSS-NO-SUCH", Category: "content", Message: "m"}}}
	raw, _ := json.Marshal(rep)
	if err := db.FinishScan(ctx, sc.ID, store.Result{FinalURL: sc.URL, Domain: "evil.example", Verdict: "suspicious", Score: 6, Report: raw}, nil); err != nil {
		t.Fatal(err)
	}
	pack, err := analyze.DefaultPack()
	if err != nil {
		t.Fatal(err)
	}
	var about string
	for _, r := range pack.Rules {
		if r.ID == "TSS-TEXT-THREAT-FOUND" {
			about = r.Description
		}
	}
	_, body := c.get("/scans/" + sc.ID)
	if about == "" || !strings.Contains(body, html.EscapeString(about)) {
		t.Errorf("the report does not say what TSS-TEXT-THREAT-FOUND detects (%q)", about)
	}
	if n := strings.Count(body, "what this rule detects"); n != 1 {
		t.Errorf("%d descriptions; want one (none for an unknown rule)", n)
	}
}

// TestSessionsAndCSRF: writes need the form's token and a logged-in
// session; login checks the key; redirects stay on this site; --read-key
// closes the pages too.
func TestSessionsAndCSRF(t *testing.T) {
	c, db, token := uiServer(t, false)
	tok := c.csrf("/lists")
	if r := c.post("/lists/allow", url.Values{"domain": {"a.example"}}); r.StatusCode != 403 {
		t.Errorf("no token: %d", r.StatusCode)
	}
	if r := c.post("/lists/allow", url.Values{"domain": {"a.example"}, "csrf": {tok + "x"}}); r.StatusCode != 403 {
		t.Errorf("wrong token: %d", r.StatusCode)
	}
	if r := c.post("/lists/allow", url.Values{"domain": {"a.example"}, "csrf": {tok}}); r.StatusCode != 303 || !strings.HasPrefix(r.Header.Get("Location"), "/login") {
		t.Errorf("not logged in: %d %s", r.StatusCode, r.Header.Get("Location"))
	}
	if r := c.post("/login", url.Values{"key": {store.TokenPrefix + "nope"}, "csrf": {tok}}); r.StatusCode != 401 {
		t.Errorf("bad key: %d", r.StatusCode)
	}
	r := c.post("/login", url.Values{"key": {token}, "csrf": {tok}, "next": {"//evil.example/"}})
	if r.StatusCode != 303 || r.Header.Get("Location") != "/" {
		t.Errorf("login: %d %q", r.StatusCode, r.Header.Get("Location"))
	}
	var session *http.Cookie
	for _, ck := range r.Cookies() {
		session = ck
	}
	if session == nil || !session.HttpOnly || !session.Secure || session.SameSite != http.SameSiteStrictMode {
		t.Fatalf("session cookie = %+v", session)
	}
	// The session ID changed at login: the old token is stale.
	if r := c.post("/lists/allow", url.Values{"domain": {"a.example"}, "csrf": {tok}}); r.StatusCode != 403 {
		t.Errorf("token from before login: %d", r.StatusCode)
	}
	tok = c.csrf("/lists")
	if r := c.post("/lists/allow", url.Values{"domain": {"www.a.example"}, "note": {"ours"}, "csrf": {tok}}); r.StatusCode != 303 {
		t.Errorf("allow: %d", r.StatusCode)
	}
	if ok, _ := db.IsAllowed(context.Background(), "a.example"); !ok {
		t.Error("allow did not store")
	}
	if r := c.post("/lists/allow", url.Values{"domain": {"co.uk"}, "csrf": {tok}}); r.StatusCode != 400 {
		t.Errorf("public suffix: %d", r.StatusCode)
	}
	// A revoked key ends its sessions at the next write.
	if err := db.RevokeKey(context.Background(), "analyst"); err != nil {
		t.Fatal(err)
	}
	if r := c.post("/lists/disallow", url.Values{"domain": {"a.example"}, "csrf": {tok}}); r.StatusCode != 303 || !strings.HasPrefix(r.Header.Get("Location"), "/login") {
		t.Errorf("revoked key still writes: %d", r.StatusCode)
	}

	closed, _, _ := uiServer(t, true)
	if resp, _ := closed.get("/scans"); resp.StatusCode != 303 || !strings.HasPrefix(resp.Header.Get("Location"), "/login?next=") {
		t.Errorf("--read-key page: %d", resp.StatusCode)
	}
	if resp, _ := closed.get("/login"); resp.StatusCode != 200 {
		t.Errorf("login page with --read-key: %d", resp.StatusCode)
	}
}

// TestReportEvidencePages: a user report's evidence is shown to logged-in
// analysts only (whatever --read-key says): the screenshot as a sandboxed
// image, the DOM's verdict, findings and the cloaking mark as escaped
// text, and the DOM itself only as text/plain, never as HTML.
func TestReportEvidencePages(t *testing.T) {
	c, db, token := uiServer(t, false)
	ctx := context.Background()
	var jpg bytes.Buffer
	if err := jpeg.Encode(&jpg, image.NewRGBA(image.Rect(0, 0, 40, 30)), nil); err != nil {
		t.Fatal(err)
	}
	dom := `<html><body><h1>Call now</h1>` + payload + `</body></html>`
	scan := &store.Scan{URL: "https://cloaked.example/landing", Origin: "report"}
	rep, err := db.AddReport(ctx, store.UserReport{URL: scan.URL, DOM: []byte(dom), Screenshot: jpg.Bytes(), ShotType: "image/jpeg", ShotWidth: 40, ShotHeight: 30,
		DOMVerdict: "scam", DOMScore: 14, DOMFindings: []store.DOMFinding{{Rule: "TSS-TEST", Severity: "high", Message: "message " + payload, Weight: 6, Snippet: payload}}}, scan, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.StartScan(ctx, rep.ScanID); err != nil {
		t.Fatal(err)
	}
	if err := db.FinishScan(ctx, rep.ScanID, store.Result{FinalURL: scan.URL, Domain: "cloaked.example", Verdict: "clean", Report: []byte(`{"verdict":"clean"}`)}, nil); err != nil {
		t.Fatal(err)
	}
	plain, err := db.AddReport(ctx, store.UserReport{URL: "https://plain.example/"}, nil, nil)
	if err != nil {
		t.Fatal(err)
	}

	base := "/reports/" + rep.ID
	for _, p := range []string{base, base + "/dom", base + "/screenshot"} {
		if resp, _ := c.get(p); resp.StatusCode != 303 || !strings.HasPrefix(resp.Header.Get("Location"), "/login") {
			t.Errorf("%s without a session: %d %s, want the login page", p, resp.StatusCode, resp.Header.Get("Location"))
		}
	}
	_, lists := c.get("/lists")
	if !strings.Contains(lists, `<span class="tag cloaking">cloaking suspected</span>`) || !strings.Contains(lists, `href="`+base+`"`) {
		t.Error("the report queue does not mark the cloaking report or link it")
	}
	if i, j := strings.Index(lists, base), strings.Index(lists, "/reports/"+plain.ID); i < 0 || j < 0 || i > j {
		t.Error("the cloaking report is not first in the queue")
	}
	if r := c.post("/login", url.Values{"key": {token}, "csrf": {c.csrf("/lists")}}); r.StatusCode != 303 {
		t.Fatalf("login: %d", r.StatusCode)
	}

	resp, body := c.get(base)
	if resp.StatusCode != 200 {
		t.Fatalf("report page: %d", resp.StatusCode)
	}
	for _, want := range []string{`id="cloaking"`, `src="` + base + `/screenshot"`, `href="` + base + `/dom"`, `id="dom-verdict">scam<`, "TSS-TEST", "&lt;script&gt;alert(2)&lt;/script&gt;", "highest: cloaking suspected"} {
		if !strings.Contains(body, want) {
			t.Errorf("report page lacks %q", want)
		}
	}
	for _, bad := range []string{"<img src=x", "<script>alert", "<h1>Call now"} {
		if strings.Contains(body, bad) {
			t.Errorf("report page renders %q", bad)
		}
	}
	resp, body = c.get(base + "/dom")
	if resp.StatusCode != 200 || body != dom || resp.Header.Get("Content-Type") != "text/plain; charset=utf-8" ||
		resp.Header.Get("X-Content-Type-Options") != "nosniff" || !strings.HasPrefix(resp.Header.Get("Content-Security-Policy"), "sandbox") {
		t.Errorf("dom: %d %v", resp.StatusCode, resp.Header)
	}
	resp, body = c.get(base + "/screenshot")
	if resp.StatusCode != 200 || body != jpg.String() || resp.Header.Get("Content-Type") != "image/jpeg" || !strings.HasPrefix(resp.Header.Get("Content-Security-Policy"), "sandbox") {
		t.Errorf("screenshot: %d %v", resp.StatusCode, resp.Header)
	}
	if resp, body := c.get("/reports/" + plain.ID); resp.StatusCode != 200 || strings.Contains(body, `id="cloaking"`) || !strings.Contains(body, "address only") {
		t.Errorf("plain report page: %d", resp.StatusCode)
	}
	if resp, _ := c.get("/reports/" + plain.ID + "/dom"); resp.StatusCode != 404 {
		t.Errorf("dom of a plain report: %d", resp.StatusCode)
	}
}
