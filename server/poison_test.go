package server_test

import (
	"encoding/json"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/tssguard/tssguard/internal/storetest"
	"github.com/tssguard/tssguard/server"
	"github.com/tssguard/tssguard/store"
)

// TestURLNumberNeedsThePage: anyone with a key can scan a scam page with
// ?phone= set to a number of their choice. A page that never reads that
// parameter must not get the number listed as a scam hotline anywhere (the
// number API, the CSV, STIX, MISP); a template page that reads and writes
// the parameter still gets its number listed.
func TestURLNumberNeedsThePage(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		a := start(t, db, server.Options{})
		host := pages(t, "127.0.0.1")
		const (
			victim  = "+18004444444" // someone's real line, put in the URL of a page that ignores it
			victim2 = "+18004444445" // in a parameter the page does not read (it reads ?n=)
			scammer = "+18335550123" // put in the parameter a template page reads and writes
		)
		for _, u := range []string{
			host + "/scam/fake-bsod.html?phone=" + strings.TrimPrefix(victim, "+"),
			host + "/scam/template-param-no-default.html?phone=" + strings.TrimPrefix(victim2, "+"),
			host + "/scam/template-param-default-autodial.html?phone=" + strings.TrimPrefix(scammer, "+"),
		} {
			code, m, raw := a.do("POST", "/api/v1/scans", a.token, map[string]any{"url": u})
			if code != 202 {
				t.Fatalf("submit %s: %d %s", u, code, raw)
			}
			if s := a.wait(m["id"].(string)); s["status"] != "done" || s["verdict"] != "scam" {
				t.Fatalf("scan of %s: %v %v", u, s["status"], s["verdict"])
			}
		}

		// The template page's number is listed (and the index has caught
		// up with the store once it is).
		var nm map[string]any
		for range 200 {
			if _, nm, _ = a.do("GET", "/api/v1/numbers/"+url.PathEscape(scammer), "", nil); nm["verdict"] == "scam" {
				break
			}
			time.Sleep(20 * time.Millisecond)
		}
		if nm["verdict"] != "scam" || nm["hotline"] == nil {
			t.Errorf("template page's number %s: %v", scammer, nm)
		}
		for _, n := range []string{victim, victim2} {
			if _, m, raw := a.do("GET", "/api/v1/numbers/"+url.PathEscape(n), "", nil); m["verdict"] != "unknown" || m["hotline"] != nil {
				t.Errorf("number from the URL alone is listed: %s", raw)
			}
		}

		digits := func(n string) string { return strings.TrimPrefix(n, "+1") }
		feeds := map[string]string{}
		for _, f := range []string{"numbers", "stix"} {
			resp, body := get(t, a.url+"/api/v1/export/"+f)
			if resp.StatusCode != 200 {
				t.Fatalf("%s: %d", f, resp.StatusCode)
			}
			feeds[f] = string(body)
		}
		_, body := get(t, a.url+"/api/v1/export/misp/manifest.json")
		var manifest map[string]any
		if err := json.Unmarshal(body, &manifest); err != nil {
			t.Fatalf("misp manifest: %s", body)
		}
		for uuid := range manifest {
			_, ev := get(t, a.url+"/api/v1/export/misp/"+uuid+".json")
			feeds["misp"] += string(ev)
		}
		for f, text := range feeds {
			if !strings.Contains(text, digits(scammer)) {
				t.Errorf("%s lacks the template page's number %s", f, scammer)
			}
			for _, n := range []string{victim, victim2} {
				if strings.Contains(text, digits(n)) {
					t.Errorf("%s lists %s, a number taken from the URL alone", f, n)
				}
			}
		}
	})
}
