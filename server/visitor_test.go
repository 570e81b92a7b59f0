package server_test

import (
	"net/http"
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

// TestReportScanArrivesAsTheReporter: a user report comes from the
// victim's browser (the extension), whose request says its device and
// language: the scan of the reported URL arrives as that device and
// language, so a kit aimed at Japanese visitors shows it the scam it
// showed the reporter. Fields of the report name another visitor; bad
// ones are refused; a header that names no language is ignored.
func TestReportScanArrivesAsTheReporter(t *testing.T) {
	kit := httptest.NewServer(kittest.AimedAtJapan(false))
	defer kit.Close()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		a := start(t, db, server.Options{})
		iphoneJA := http.Header{
			"User-Agent":      {"Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1"},
			"Accept-Language": {"ja-JP,ja;q=0.9,en;q=0.8"},
		}
		for _, c := range []struct {
			name     string
			body     map[string]any
			header   http.Header
			ua, lang string
			verdict  string
		}{
			{"from a Japanese iPhone", map[string]any{"url": kit.URL + "/"}, iphoneJA, "iphone", "ja-JP", "scam"},
			{"from a script", map[string]any{"url": kit.URL + "/"}, http.Header{"User-Agent": {"curl/8.5.0"}, "Accept-Language": {"*"}}, "", "", "clean"},
			{"naming its visitor", map[string]any{"url": kit.URL + "/", "ua": "android", "lang": "ja"}, nil, "android", "ja", "scam"},
		} {
			code, m, raw := a.doWith("POST", "/api/v1/reports", a.token, c.body, c.header)
			if code != 202 {
				t.Fatalf("%s: report: %d %s", c.name, code, raw)
			}
			got := a.wait(m["scan"].(string))
			ua, _ := got["ua"].(string)
			lang, _ := got["lang"].(string)
			if ua != c.ua || lang != c.lang || got["verdict"] != c.verdict {
				t.Errorf("%s: the report's scan arrived as %q, %q and read %v; want %q, %q and %s", c.name, ua, lang, got["verdict"], c.ua, c.lang, c.verdict)
			}
		}
		if code, m, raw := a.do("POST", "/api/v1/reports", a.token, map[string]any{"url": kit.URL + "/", "lang": "ja\r\nX-Evil: 1"}); code != 400 || m["error"] != "bad_lang" {
			t.Errorf("a report naming a bad language: %d %s", code, raw)
		}
	})
}
