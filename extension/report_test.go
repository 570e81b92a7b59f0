package extension_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// TestReport: what the report button sends is what the server's reports
// endpoint takes. The popup's steps are run from an extension page (a
// popup cannot be opened headless): ask the page's content script for its
// text, then send the report through the service worker. The server must
// record the URL, with consent the page's text as the comment (within its
// 2,000 characters, whatever the page put in it), without consent no
// text at all, and queue a scan of the URL.
func TestReport(t *testing.T) {
	s := startServer(t)
	// A page whose text is long, not ASCII, and carries NUL and other
	// control characters (which the server refuses in a comment).
	site := serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, `<!doctype html><meta charset="utf-8"><title>Alerte</title><h1>Votre ordinateur est bloqué</h1><p id="p"></p>
<script>document.getElementById('p').textContent = 'Appelez le support \u0000\u0007 ' + 'é🙂'.repeat(1500);</script>`)
	}))
	page := site + "/alerte"
	b := startBrowser(t, true)
	b.configure(t, s)
	victim := b.open(t, page, time.Second)
	defer victim.close()

	ext := b.open(t, "chrome-extension://"+b.extID+"/options.html", 300*time.Millisecond)
	defer ext.close()
	report := func(consent bool) map[string]any {
		t.Helper()
		var r map[string]any
		ext.evalJSON(t, `(async () => {
			const [tab] = await chrome.tabs.query({url: `+jsString(page)+`});
			const text = `+fmt.Sprint(consent)+` ? (await chrome.tabs.sendMessage(tab.id, {type: 'page-text'}, {frameId: 0})).text : '';
			return chrome.runtime.sendMessage({type: 'report', url: tab.url, text});
		})()`, &r)
		return r
	}

	r := report(true)
	if r["ok"] != true || r["id"] == nil || r["scan"] == nil {
		t.Fatalf("report with consent: %v", r)
	}
	got := s.userReports(t)
	if len(got) != 1 {
		t.Fatalf("%d reports on the server, want 1", len(got))
	}
	rep := got[0]
	if rep.URL != page || rep.ScanID == "" {
		t.Errorf("report: url %q scan %q, want %q and a scan", rep.URL, rep.ScanID, page)
	}
	if n := utf8.RuneCountInString(rep.Comment); n < 1500 || n > 2000 {
		t.Errorf("comment of %d characters, want the page text up to 2000", n)
	}
	if !strings.Contains(rep.Comment, "Votre ordinateur est bloqué") || !strings.Contains(rep.Comment, "é🙂é🙂") || strings.ContainsRune(rep.Comment, 0) || strings.ContainsRune(rep.Comment, utf8.RuneError) {
		t.Errorf("comment %.200q: want the page's text, clean", rep.Comment)
	}

	r = report(false)
	if r["ok"] != true {
		t.Fatalf("report without consent: %v", r)
	}
	got = s.userReports(t)
	if len(got) != 2 || got[0].Comment != "" || got[0].URL != page {
		t.Errorf("report without consent: %+v, want the URL alone", got[0])
	}
}
