package server_test

import (
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/tssguard/tssguard/internal/kittest"
	"github.com/tssguard/tssguard/internal/storetest"
	"github.com/tssguard/tssguard/server"
	"github.com/tssguard/tssguard/store"
)

// TestScanArrivesAsItsVisitor: a kit aimed at Japanese visitors who come
// from a search serves its scam only to a browser that asks for Japanese
// and names the search as its referrer, and dials only for a browser in
// Japanese. A scan submitted with "lang" and "referrer" arrives as that
// visitor, keeps them (GET and rescans show them), and finds the kit; the
// same URL scanned as the default visitor reads clean.
func TestScanArrivesAsItsVisitor(t *testing.T) {
	kit := httptest.NewServer(kittest.AimedAtJapan(true))
	defer kit.Close()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		a := start(t, db, server.Options{})
		for _, c := range []struct {
			name    string
			body    map[string]any
			verdict string
		}{
			{"default visitor", map[string]any{"url": kit.URL + "/"}, "clean"},
			{"Japanese, from a search", map[string]any{"url": kit.URL + "/", "lang": "ja", "referrer": "https://www.bing.com/search?q=support"}, "scam"},
		} {
			code, m, raw := a.do("POST", "/api/v1/scans", a.token, c.body)
			if code != 202 {
				t.Fatalf("%s: submit: %d %s", c.name, code, raw)
			}
			got := a.wait(m["id"].(string))
			if got["verdict"] != c.verdict || got["lang"] != c.body["lang"] || got["referrer"] != c.body["referrer"] {
				t.Errorf("%s: verdict %v, lang %v, referrer %v; want %s and the visitor submitted", c.name, got["verdict"], got["lang"], got["referrer"], c.verdict)
			}
		}
		for _, c := range []struct {
			name, field, value, errCode string
		}{
			{"header in a language", "lang", "ja\r\nX-Evil: 1", "bad_lang"},
			{"language too long", "lang", strings.Repeat("a", 17), "bad_lang"},
			{"referrer not a URL", "referrer", "bing", "bad_referrer"},
			{"referrer not http", "referrer", "javascript:alert(1)", "bad_referrer"},
			{"referrer with a header", "referrer", "https://www.bing.com/\r\nX-Evil: 1", "bad_referrer"},
			{"referrer too long", "referrer", "https://www.bing.com/?q=" + strings.Repeat("a", 2048), "bad_referrer"},
		} {
			code, m, raw := a.do("POST", "/api/v1/scans", a.token, map[string]any{"url": kit.URL + "/", c.field: c.value})
			if code != 400 || m["error"] != c.errCode {
				t.Errorf("%s: %d %s, want 400 %s", c.name, code, raw, c.errCode)
			}
		}
	})
}
