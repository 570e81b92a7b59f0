package cli

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// validateHAR checks a HAR file against the fields HAR 1.2 requires and
// returns the problems found.
func validateHAR(b []byte) []string {
	var probs []string
	bad := func(format string, args ...any) { probs = append(probs, fmt.Sprintf(format, args...)) }
	var doc map[string]any
	if err := json.Unmarshal(b, &doc); err != nil {
		return []string{"not JSON: " + err.Error()}
	}
	obj := func(m map[string]any, key, where string) map[string]any {
		v, ok := m[key].(map[string]any)
		if !ok {
			bad("%s.%s: missing object", where, key)
		}
		return v
	}
	arr := func(m map[string]any, key, where string) []any {
		v, ok := m[key].([]any)
		if !ok {
			bad("%s.%s: missing array", where, key)
		}
		return v
	}
	str := func(m map[string]any, key, where string) string {
		v, ok := m[key].(string)
		if !ok {
			bad("%s.%s: missing string", where, key)
		}
		return v
	}
	num := func(m map[string]any, key, where string) float64 {
		v, ok := m[key].(float64)
		if !ok {
			bad("%s.%s: missing number", where, key)
		}
		return v
	}
	date := func(m map[string]any, key, where string) {
		s := str(m, key, where)
		t, err := time.Parse(time.RFC3339Nano, s)
		if err != nil || t.Year() < 2000 {
			bad("%s.%s: %q is not an ISO 8601 date of this era", where, key, s)
		}
	}
	pairs := func(m map[string]any, key, where string) []any {
		list := arr(m, key, where)
		for i, p := range list {
			pm, _ := p.(map[string]any)
			if pm == nil {
				bad("%s.%s[%d]: not an object", where, key, i)
				continue
			}
			str(pm, "name", fmt.Sprintf("%s.%s[%d]", where, key, i))
			str(pm, "value", fmt.Sprintf("%s.%s[%d]", where, key, i))
		}
		return list
	}
	log := obj(doc, "log", "")
	if log == nil {
		return probs
	}
	if v := str(log, "version", "log"); v != "1.2" {
		bad("log.version %q", v)
	}
	if c := obj(log, "creator", "log"); c != nil {
		str(c, "name", "log.creator")
		str(c, "version", "log.creator")
	}
	pageIDs := map[string]bool{}
	if pages, ok := log["pages"]; ok {
		list, _ := pages.([]any)
		for i, p := range list {
			pm, _ := p.(map[string]any)
			where := fmt.Sprintf("log.pages[%d]", i)
			if pm == nil {
				bad("%s: not an object", where)
				continue
			}
			date(pm, "startedDateTime", where)
			pageIDs[str(pm, "id", where)] = true
			str(pm, "title", where)
			obj(pm, "pageTimings", where)
		}
	}
	for i, e := range arr(log, "entries", "log") {
		where := fmt.Sprintf("log.entries[%d]", i)
		em, _ := e.(map[string]any)
		if em == nil {
			bad("%s: not an object", where)
			continue
		}
		if ref, ok := em["pageref"].(string); ok && !pageIDs[ref] {
			bad("%s.pageref %q names no page", where, ref)
		}
		date(em, "startedDateTime", where)
		total := num(em, "time", where)
		if req := obj(em, "request", where); req != nil {
			w := where + ".request"
			str(req, "method", w)
			str(req, "url", w)
			str(req, "httpVersion", w)
			pairs(req, "cookies", w)
			pairs(req, "headers", w)
			pairs(req, "queryString", w)
			num(req, "headersSize", w)
			num(req, "bodySize", w)
		}
		if resp := obj(em, "response", where); resp != nil {
			w := where + ".response"
			num(resp, "status", w)
			str(resp, "statusText", w)
			str(resp, "httpVersion", w)
			pairs(resp, "cookies", w)
			pairs(resp, "headers", w)
			if c := obj(resp, "content", w); c != nil {
				num(c, "size", w+".content")
				str(c, "mimeType", w+".content")
			}
			str(resp, "redirectURL", w)
			num(resp, "headersSize", w)
			num(resp, "bodySize", w)
		}
		obj(em, "cache", where)
		if tm := obj(em, "timings", where); tm != nil {
			sum := 0.0
			for _, k := range []string{"send", "wait", "receive"} {
				v := num(tm, k, where+".timings")
				if v < 0 {
					bad("%s.timings.%s = %v, must not be negative", where, k, v)
				}
				sum += v
			}
			for _, k := range []string{"blocked", "dns", "connect", "ssl"} {
				if v, ok := tm[k].(float64); ok && v < 0 && v != -1 {
					bad("%s.timings.%s = %v", where, k, v)
				} else if ok && v > 0 && k != "ssl" {
					sum += v // ssl is already within connect
				}
			}
			if total+0.01 < sum-0.5 || total > sum+0.5 {
				bad("%s.time %v is not the sum of its timings (%v)", where, total, sum)
			}
		}
	}
	return probs
}

// checkPageEntry finds the HAR entry of the page document and checks that it
// carries what Chromium reported: status, MIME type, headers, timings.
func checkPageEntry(t *testing.T, name string, b []byte, page string) {
	t.Helper()
	var h struct {
		Log struct {
			Entries []struct {
				Time    float64 `json:"time"`
				Request struct {
					URL     string `json:"url"`
					Headers []struct{ Name, Value string }
				}
				Response struct {
					Status  int
					Headers []struct{ Name, Value string }
					Content struct {
						Size     int
						MimeType string
					}
				}
				Timings map[string]float64 `json:"timings"`
			} `json:"entries"`
		} `json:"log"`
	}
	if err := json.Unmarshal(b, &h); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	for _, e := range h.Log.Entries {
		if !strings.HasSuffix(e.Request.URL, "/"+page) {
			continue
		}
		ct := false
		for _, hd := range e.Response.Headers {
			ct = ct || strings.EqualFold(hd.Name, "content-type")
		}
		ua := false
		for _, hd := range e.Request.Headers {
			ua = ua || strings.EqualFold(hd.Name, "user-agent")
		}
		if e.Response.Status != 200 || e.Response.Content.MimeType != "text/html" || !ct || !ua || e.Response.Content.Size <= 0 || e.Time <= 0 {
			t.Errorf("%s: page entry lacks what Chromium reported: %+v", name, e)
		}
		return
	}
	t.Errorf("%s: no entry for %s", name, page)
}

// TestDynamicOutputs: with several pages, --screenshot and --har name a
// directory (created) and get one file per page; a trailing slash always
// means a directory; one page writes the file named. Every HAR is valid
// HAR 1.2 and carries timings, headers, dates and MIME types.
func TestDynamicOutputs(t *testing.T) {
	if _, err := os.Stat("/usr/bin/chromium"); err != nil {
		t.Skip("chromium not installed")
	}
	src := t.TempDir()
	pages := []string{"one.html", "two.html"}
	for i, p := range pages {
		body := fmt.Sprintf(`<title>page %d</title><p>Hello %d</p><script src="s.js"></script><img src="i.png">`, i, i)
		if err := os.WriteFile(filepath.Join(src, p), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	os.WriteFile(filepath.Join(src, "s.js"), []byte("var x = 1;"), 0o644)
	out := t.TempDir()
	run := func(args ...string) {
		t.Helper()
		code, _, errs := runCLI(t, "", append([]string{"scan", "--dynamic", "--observe", "300ms", "--format", "json"}, args...)...)
		if code != ExitClean || errs != "" {
			t.Fatalf("%v: exit %d, stderr %s", args, code, errs)
		}
	}
	shots, hars := filepath.Join(out, "shots"), filepath.Join(out, "hars")
	run("--screenshot", shots, "--har", hars, filepath.Join(src, pages[0]), filepath.Join(src, pages[1]))
	one := filepath.Join(out, "one.har")
	run("--har", one, filepath.Join(src, pages[0]))
	slash := filepath.Join(out, "slash") + "/"
	run("--har", slash, "--screenshot", filepath.Join(out, "shot")+"/", filepath.Join(src, pages[1]))

	files := func(dir, ext string) []string {
		m, _ := filepath.Glob(filepath.Join(dir, "*"+ext))
		return m
	}
	if n := len(files(shots, ".png")); n != 2 {
		t.Errorf("%d screenshots in %s, want one per page", n, shots)
	}
	harFiles := files(hars, ".har")
	if len(harFiles) != 2 {
		t.Fatalf("%d HAR files in %s, want one per page", len(harFiles), hars)
	}
	if len(files(slash, ".har")) != 1 || len(files(filepath.Join(out, "shot"), ".png")) != 1 {
		t.Errorf("a trailing slash did not make a directory: %v %v", files(slash, ""), files(filepath.Join(out, "shot"), ""))
	}
	for _, f := range append(harFiles, one) {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if probs := validateHAR(b); len(probs) > 0 {
			t.Errorf("%s is not valid HAR 1.2:\n%s", filepath.Base(f), strings.Join(probs[:min(len(probs), 15)], "\n"))
		}
		page := pages[0]
		if bytes.Contains(b, []byte("two.html")) {
			page = pages[1]
		}
		checkPageEntry(t, filepath.Base(f), b, page)
	}
}
