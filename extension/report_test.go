package extension_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	_ "image/jpeg"
	"net/http"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/tssguard/tssguard/server"
	"github.com/tssguard/tssguard/store"
)

// TestReport: what the report button sends is what the server's reports
// endpoint takes. The popup's step is run from an extension page (a popup
// cannot be opened headless): send the report of the victim's tab through
// the service worker. With consent the server must store the page's DOM
// (cut to its 2 MiB limit, whatever the page put in it) and a JPEG
// screenshot that decodes; without consent the URL alone; both queue a
// scan of the URL.
func TestReport(t *testing.T) {
	s := startServer(t)
	// A page whose DOM is over the server's limit, not ASCII, and carries
	// NUL and other control characters.
	site := serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, `<!doctype html><meta charset="utf-8"><title>Alerte</title><body style="background:#0053a6;color:#fff"><h1>Votre ordinateur est bloqué</h1><p>Appelez le support</p><div id="p" hidden></div>
<script>document.getElementById('p').textContent = 'Appelez le support \u0000\u0007 ' + 'é🙂'.repeat(400000);</script>`)
	}))
	page := site + "/alerte"
	// The victim came from a search (another site): with consent the
	// report says the site, not the search's words.
	search := serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, `<!doctype html><title>Results</title><script>location.href = %q;</script>`, page)
	}))
	b := startBrowser(t, true)
	b.configure(t, s)
	victim := b.open(t, search+"/search?q=my+private+words", 2*time.Second)
	defer victim.close()

	ext := b.open(t, "chrome-extension://"+b.extID+"/options.html", 300*time.Millisecond)
	defer ext.close()
	report := func(consent bool) map[string]any {
		t.Helper()
		var r map[string]any
		// The popup reports the window's active tab: make the victim's
		// tab that (the extension page opened after it).
		ext.evalJSON(t, `(async () => {
			const [tab] = await chrome.tabs.query({url: `+jsString(page)+`});
			await chrome.tabs.update(tab.id, {active: true});
			await new Promise((ok) => setTimeout(ok, 300));
			return chrome.runtime.sendMessage({type: 'report', url: tab.url, tabId: tab.id, consent: `+fmt.Sprint(consent)+`});
		})()`, &r)
		return r
	}
	ctx := context.Background()

	r := report(true)
	if r["ok"] != true || r["id"] == nil || r["scan"] == nil || r["dom"] != true || r["screenshot"] != true {
		t.Fatalf("report with consent: %v", r)
	}
	got := s.userReports(t)
	if len(got) != 1 {
		t.Fatalf("%d reports on the server, want 1", len(got))
	}
	rep := got[0]
	if rep.URL != page || rep.ScanID == "" || rep.ShotType != "image/jpeg" {
		t.Errorf("report: url %q scan %q screenshot %q, want %q, a scan and a JPEG", rep.URL, rep.ScanID, rep.ShotType, page)
	}
	if rep.DOMSize > server.MaxReportDOM || rep.DOMSize < server.MaxReportDOM-4 {
		t.Errorf("DOM of %d bytes, want it cut to the server's %d", rep.DOMSize, server.MaxReportDOM)
	}
	dom, err := s.db.ReportEvidence(ctx, rep.ID, store.EvidenceDOM)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(dom.Data, []byte("<html")) || !bytes.Contains(dom.Data, []byte("Votre ordinateur est bloqué")) || !bytes.Contains(dom.Data, []byte("é🙂é🙂")) ||
		bytes.ContainsAny(dom.Data, "\x00\x07") || !utf8.Valid(dom.Data) || bytes.ContainsRune(dom.Data, utf8.RuneError) {
		t.Errorf("DOM %.200q…: want the page's HTML, clean", dom.Data)
	}
	shot, err := s.db.ReportEvidence(ctx, rep.ID, store.EvidenceScreenshot)
	if err != nil {
		t.Fatal(err)
	}
	img, format, err := image.Decode(bytes.NewReader(shot.Data))
	if err != nil || format != "jpeg" || img.Bounds().Dx() < 100 || img.Bounds().Dy() < 100 {
		t.Fatalf("screenshot (%d bytes): %v %q, want a JPEG of the page", len(shot.Data), err, format)
	}
	// It shows the page (its blue background), not the extension's page.
	if cr, cg, cb, _ := img.At(img.Bounds().Dx()-5, img.Bounds().Dy()-5).RGBA(); cb>>8 < 120 || cr>>8 > 60 || cg>>8 > 140 {
		t.Errorf("screenshot's corner is rgb(%d,%d,%d), want the page's blue", cr>>8, cg>>8, cb>>8)
	}
	t.Logf("with consent: DOM %d bytes, screenshot %d×%d JPEG of %d bytes", rep.DOMSize, img.Bounds().Dx(), img.Bounds().Dy(), len(shot.Data))
	// Its scan arrives from the search's site, as the browser's language.
	if sc, err := s.db.Scan(ctx, rep.ScanID); err != nil || sc.Referrer != search+"/" || sc.Lang == "" {
		t.Errorf("the report's scan arrives from %q in %q (%v), want from %s/ in the browser's language", sc.Referrer, sc.Lang, err, search)
	}

	r = report(false)
	if r["ok"] != true || r["dom"] != false || r["screenshot"] != false {
		t.Fatalf("report without consent: %v", r)
	}
	got = s.userReports(t)
	if len(got) != 2 || got[0].Comment != "" || got[0].URL != page || got[0].DOMSize != 0 || got[0].ShotType != "" {
		t.Errorf("report without consent: %+v, want the URL alone", got[0])
	}
	for _, name := range []string{store.EvidenceDOM, store.EvidenceScreenshot} {
		if _, err := s.db.ReportEvidence(ctx, got[0].ID, name); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("report without consent has a %s: %v", name, err)
		}
	}
	if sc, err := s.db.Scan(ctx, got[0].ScanID); err != nil || sc.Referrer != "" {
		t.Errorf("report without consent sent the site the page was reached from: %q, %v", sc.Referrer, err)
	}
}
