package analyze

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tssguard/tssguard/capture"
	"github.com/tssguard/tssguard/internal/testdirs"
)

func TestTextJoinsInlineElements(t *testing.T) {
	tests := []struct{ name, html, want string }{
		{"spans", `<p>Call <span>0800</span><span>123</span><span>4567</span> now</p>`, "Call 08001234567 now"},
		{"bold dashes", `<p>Call <b>1</b>-<b>844</b>-<b>555</b>-<b>0142</b></p>`, "Call 1-844-555-0142"},
		{"spaces kept", `<p><span>09</span> <span>70</span>&nbsp;<span>73</span></p>`, "09 70 73"}, // NBSP alone between elements: a space
		{"word split by markup", `<p>Mic<i>ro</i>soft Sup<span>port</span></p>`, "Microsoft Support"},
		{"source newline is a space", "<p>Call us\non 0800\n123 4567</p>", "Call us on 0800 123 4567"},
		{"source tab is a space", "<p>Call\t0800\t123 4567</p>", "Call 0800 123 4567"},
		{"indented inline", "<div>\n  <span>Call</span>\n  <span>now</span>\n</div>", "Call now"},
		{"blocks", `<div>Windows</div><div>Defender</div><p>Alert</p>`, "Windows\nDefender\nAlert"},
		{"table cells", `<table><tr><td>0800 123 4567</td><td>0800 765 4321</td></tr></table>`, "0800 123 4567\n0800 765 4321"},
		{"line break", `Call<br>0800 123 4567`, "Call\n0800 123 4567"},
		{"list", `<ul><li>one</li><li>two</li></ul>`, "one\ntwo"},
		{"title", `<title>Security
		 Alert</title><body>Call now</body>`, "Security Alert\nCall now"},
		{"script between inline", `<span>0800</span><script>var x=1</script><span>123</span>`, "0800123"},
		{"button", `Call<button>Now</button>today`, "Call\nNow\ntoday"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := parseDoc("x", []byte(tt.html)).Text; got != tt.want {
				t.Errorf("Text = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestTitleHasNoLineBreak(t *testing.T) {
	d := parseDoc("x", []byte("<title>Security\n\tAlert</title>"))
	if d.Title != "Security Alert" {
		t.Errorf("Title = %q", d.Title)
	}
}

// hotline returns the report's hotline with E.164 e164, or fails.
func hotline(t *testing.T, r *Report, e164 string) Hotline {
	t.Helper()
	for _, h := range r.Hotlines {
		if h.E164 == e164 {
			return h
		}
	}
	t.Fatalf("no hotline %s; hotlines %+v, regions %+v, language %q", e164, r.Hotlines, r.Regions, r.Language)
	return Hotline{}
}

func analyzeSample(t *testing.T, s Sample) *Report {
	t.Helper()
	return engine(t).Analyze(context.Background(), SampleCapture(s))
}

// French text long enough to tell its language, without a number.
const frenchAlert = `<h1>Votre ordinateur a été bloqué</h1><p>Ne redémarrez pas le PC. Des virus ont été détectés sur votre ordinateur et vos données sont en danger. Appelez le support technique pour le débloquer.</p>`

func TestHotlineRegionSources(t *testing.T) {
	tests := []struct {
		name         string
		s            Sample
		e164, region string
		source       string
	}{
		{"lang attribute", Sample{HTML: `<html lang="fr"><body><p>Appelez le support : 09 70 73 12 34</p></body></html>`},
			"+33970731234", "FR", "lang-attr"},
		{"content-language", Sample{HTML: `<html><head><meta http-equiv="Content-Language" content="nl"></head><body><p>Bel 0800-1234567</p></body></html>`},
			"+318001234567", "NL", "lang-attr"},
		{"og:locale", Sample{HTML: `<html><head><meta property="og:locale" content="es_ES"></head><body><p>Llame al 900 123 456</p></body></html>`},
			"+34900123456", "ES", "lang-attr"},
		{"text language", Sample{HTML: `<html><body>` + frenchAlert + `<p>Numéro vert : <span>0 805</span> <span>69 38 12</span></p></body></html>`},
			"+33805693812", "FR", "text-language"},
		{"stale lang attribute, French text", Sample{HTML: `<html lang="en"><body>` + frenchAlert + `<p>Appelez le 09 70 73 12 34</p></body></html>`},
			"+33970731234", "FR", "text-language"},
		{"tld", Sample{URL: "https://alerte-securite.example.de/warnung", HTML: `<p>Hotline: 0800 123 4567</p>`},
			"+498001234567", "DE", "tld"},
		{"nearby prefix", Sample{HTML: `<p>Support: +48 22 123 45 67</p><p>Infolinia: 800 123 456</p>`},
			"+48800123456", "PL", "nearby-prefix"},
		{"brand site", Sample{HTML: `<p><a href="https://www.microsoft.com/fr-fr/windows">Windows</a></p><p>Support : 0 800 91 23 45</p>`},
			"+33800912345", "FR", "brand-site"},
		{"default", Sample{HTML: `<p>Call 1-844-555-0142 now</p>`}, "+18445550142", "US", "default"},
		{"country code", Sample{HTML: `<p>Call +44 800 123 4567 now</p>`}, "+448001234567", "GB", "country-code"},
		{"tel link", Sample{HTML: `<html lang="ja"><a href="tel:0120-123-456">電話</a></html>`}, "+81120123456", "JP", "lang-attr"},
		{"full-width", Sample{HTML: `<html lang="ja"><p>サポート：<span>０１２０</span>－<span>１２３</span>－<span>４５６</span></p></html>`},
			"+81120123456", "JP", "lang-attr"},
		{"no-break spaces", Sample{HTML: "<html lang=\"fr\"><p>Appelez le 09\u00a070\u202f73\u200912\u201134</p></html>"},
			"+33970731234", "FR", "lang-attr"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := analyzeSample(t, tt.s)
			h := hotline(t, r, tt.e164)
			if h.Region != tt.region || h.RegionSource != tt.source {
				t.Errorf("hotline %+v, want region %s from %s; regions %+v", h, tt.region, tt.source, r.Regions)
			}
		})
	}
}

func TestAdjacentCellsDoNotMerge(t *testing.T) {
	r := analyzeHTML(t, `<html lang="en-GB"><table><tr><td>0800 123 4567</td><td>0800 765 4321</td></tr>
		<tr><td>020 7946 0018</td><td>4</td></tr></table></html>`)
	want := map[string]bool{"+448001234567": true, "+448007654321": true, "+442079460018": true}
	for _, h := range r.Hotlines {
		if !want[h.E164] {
			t.Errorf("unexpected hotline %+v", h)
		}
		delete(want, h.E164)
	}
	for e := range want {
		t.Errorf("missing %s; got %+v", e, r.Hotlines)
	}
}

// The browser's innerText separates table cells with a tab.
func TestVisibleTextCellsDoNotMerge(t *testing.T) {
	c := SampleCapture(Sample{HTML: `<html lang="en-GB"><body></body></html>`})
	c.Runtime = &capture.Runtime{VisibleText: "Sales\t0800 123 4567\t0800 765 4321\nSupport"}
	r := engine(t).Analyze(context.Background(), c)
	hotline(t, r, "+448001234567")
	hotline(t, r, "+448007654321")
	if len(r.Hotlines) != 2 {
		t.Errorf("hotlines %+v", r.Hotlines)
	}
}

func TestReportLanguageAndRegions(t *testing.T) {
	r := analyzeHTML(t, `<html><body>`+frenchAlert+`</body></html>`)
	if r.Language != "fr" || len(r.Regions) == 0 || r.Regions[0].Region != "FR" || r.Regions[0].Source != "text-language" {
		t.Errorf("language %q, regions %+v", r.Language, r.Regions)
	}
}

// Reports keep their JSON shape: the new hotline field is added, and left
// out when empty.
func TestHotlineJSONCompatible(t *testing.T) {
	b, _ := json.Marshal(Hotline{E164: "+18445550142", Raw: "1-844-555-0142", Region: "US", Type: "toll-free", Where: []string{"text"}})
	if got := string(b); got != `{"e164":"+18445550142","raw":"1-844-555-0142","region":"US","type":"toll-free","where":["text"]}` {
		t.Errorf("JSON = %s", got)
	}
	b, _ = json.Marshal(Hotline{E164: "+33970731234", Region: "FR", RegionSource: "lang-attr"})
	if !strings.Contains(string(b), `"region_source":"lang-attr"`) {
		t.Errorf("JSON = %s", b)
	}
}

// The hand-written national-format fixtures: each number found, in its
// region, from the expected clue.
func TestNationalFixtures(t *testing.T) {
	tests := []struct{ file, e164, source string }{
		{"scam/fr-ms-alert-split-number.html", "+33970731234", "brand-site"},
		{"scam/fr-ms-alert-split-number.html", "+33805693812", "brand-site"},
		{"scam/ja-ms-alert-fullwidth-number.html", "+81120968352", "lang-attr"},
		{"scam/de-defender-alert-0800.html", "+498007243719", "lang-attr"},
		{"scam/pl-ms-alert-plus48.html", "+48223074196", "country-code"},
		{"scam/pl-ms-alert-plus48.html", "+48800702418", "text-language"},
		{"scam/nl-ms-alert-0800.html", "+318000226471", "lang-attr"},
		{"scam/es-ms-alert-900.html", "+34900838217", "lang-attr"},
		{"benign/fr-bank-contact.html", "+33184883210", "lang-attr"},
		{"benign/fr-bank-contact.html", "+33969392750", "lang-attr"},
		{"benign/ja-shop-contact.html", "+81358124670", "lang-attr"},
	}
	for _, tt := range tests {
		t.Run(tt.file+" "+tt.e164, func(t *testing.T) {
			body, err := os.ReadFile(filepath.Join(testdirs.Fixtures(), tt.file))
			if err != nil {
				t.Fatal(err)
			}
			r := analyzeSample(t, Sample{HTML: string(body)})
			h := hotline(t, r, tt.e164)
			if h.RegionSource != tt.source {
				t.Errorf("hotline %+v, want region source %s; regions %+v", h, tt.source, r.Regions)
			}
		})
	}
}
