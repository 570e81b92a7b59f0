package analyze

import (
	"slices"
	"strings"
	"testing"
)

// TestWorkerFlood: workers started without end are a locker of their own
// (TSS-LOCK-WORKER-FLOOD), and one that takes over the browser among the
// behaviours of a wordless locker (TSS-LOCK-UNGESTURED); a pool of
// workers, one per core, is neither.
func TestWorkerFlood(t *testing.T) {
	flood := `var u = URL.createObjectURL(new Blob(['for(;;){}'], {type: 'application/javascript'})); for (var i = 0; i < 1e6; i++) new Worker(u);`
	r := analyzeHTML(t, `<html><body><div style="font-size:40px">+1 (844) 555-0177</div><script>
for (var j = 0; j < 20; j++) history.pushState({}, '', '#' + j);
window.onbeforeunload = function () { return 'stay'; };
`+flood+`</script></body></html>`)
	ids := ruleIDs(r)
	if !slices.Contains(ids, "TSS-LOCK-WORKER-FLOOD") || !slices.Contains(ids, "TSS-LOCK-UNGESTURED") || r.Verdict != Scam {
		t.Errorf("wordless locker with a worker flood: %s %.1f %v", r.Verdict, r.Score, ids)
	}
	r = analyzeHTML(t, `<html><body><p>Resize your photos on your device.</p><script>
var pool = []; for (var i = 0; i < navigator.hardwareConcurrency; i++) pool.push(new Worker('/js/resize.js'));
for (var j = 0; j < 20; j++) history.pushState({}, '', '#' + j);</script></body></html>`)
	if ids := ruleIDs(r); slices.Contains(ids, "TSS-LOCK-WORKER-FLOOD") || r.Verdict != Clean {
		t.Errorf("a worker pool: %s %.1f %v", r.Verdict, r.Score, ids)
	}
}

// TestPhoneOnlyPages: a page whose scripts read the user agent is run
// again as a phone. A call it starts only on a phone is an auto-dial,
// and a PC and a phone sent to different places is the user-agent cloak;
// a page that sends phones to their app store stays clean.
func TestPhoneOnlyPages(t *testing.T) {
	// The number is built from character codes: no literal shows it.
	dial := `<html><body><p>Please wait while we verify your device.</p><script>
var k = [116,101,108,58,43,49,56,52,52,53,53,53,48,49,52,50], s = '';
for (var i = 0; i < k.length; i++) s += String.fromCharCode(k[i]);
if (/Android|iPhone/i.test(navigator.userAgent)) location.href = s; else location.href = 'https://www.example.com/';
</script></body></html>`
	r := analyzeHTML(t, dial)
	auto := r.Finding("TSS-CALL-AUTODIAL")
	if r.Verdict != Scam || auto == nil || !strings.Contains(auto.Evidence[0].Snippet, "as an Android phone") {
		t.Errorf("phone-only auto-dial: %s %.1f %v", r.Verdict, r.Score, ruleIDs(r))
	}
	cloak := r.Finding("TSS-CLOAK-UA-REDIRECT")
	found := false
	for _, ev := range cloakEvidence(cloak) {
		found = found || strings.Contains(ev, "an Android phone is sent to tel:+18445550142")
	}
	if !found {
		t.Errorf("no cloak evidence from the two runs: %v", cloakEvidence(cloak))
	}
	app := `<html><body><p>Get our app.</p><script>
if (/Android/i.test(navigator.userAgent)) location.href = 'https://play.google.com/store/apps/details?id=com.example.app';
else if (/iPhone/i.test(navigator.userAgent)) location.href = 'https://apps.apple.com/app/id123';
else location.href = '/download/desktop';
</script></body></html>`
	if r := analyzeHTML(t, app); r.Verdict != Clean {
		t.Errorf("app store redirect: %s %.1f %v", r.Verdict, r.Score, ruleIDs(r))
	}
}

func cloakEvidence(f *Finding) []string {
	if f == nil {
		return nil
	}
	var out []string
	for _, ev := range f.Evidence {
		out = append(out, ev.Snippet)
	}
	return out
}

// TestIPhoneOnlyDial: an Apple-themed page that dials only on iPhones is
// an auto-dial too.
func TestIPhoneOnlyDial(t *testing.T) {
	r := analyzeHTML(t, `<html><body><h1>Your iPhone has been infected with a virus</h1><p>Do not close this page. Call Apple Support now.</p><script>
var k = [116,101,108,58,43,49,56,52,52,53,53,53,48,49,52,50], s = '';
for (var i = 0; i < k.length; i++) s += String.fromCharCode(k[i]);
if (/iPhone|iPad/.test(navigator.userAgent)) location.href = s;
</script></body></html>`)
	auto := r.Finding("TSS-CALL-AUTODIAL")
	if r.Verdict != Scam || auto == nil || !strings.Contains(auto.Evidence[0].Snippet, "as an iPhone") {
		t.Errorf("iPhone-only auto-dial: %s %.1f %v", r.Verdict, r.Score, ruleIDs(r))
	}
}

// A gateway that tells Chrome from Safari by navigator.vendor and
// window.chrome, as kits do, sends an iPhone elsewhere than a PC: the
// phone run says so. (The iPhone answered as Chrome, and went where the
// PC went.)
func TestVendorGateway(t *testing.T) {
	// The property's name comes from the page: the static reading does
	// not see a user agent read, only running the page does.
	r := analyzeHTML(t, `<html><head><meta name="k" content="vendor"><script>
var v = navigator[document.querySelector('meta[name=k]').content];
if (window.chrome && v === 'Google Inc.') location.href = 'https://a.test/p/?phone=18445550142';
if (v.indexOf('Apple') === 0) location.href = 'https://b.test/q/?phone=18445550142';
</script></head><body></body></html>`)
	var ev []string
	if cloak := r.Finding("TSS-CLOAK-UA-REDIRECT"); cloak != nil {
		for _, e := range cloak.Evidence {
			ev = append(ev, e.Snippet)
		}
	}
	if !strings.Contains(strings.Join(ev, " | "), "an iPhone is sent to https://b.test/q/") {
		t.Errorf("vendor gateway: %s %.1f %v, cloak evidence %q", r.Verdict, r.Score, ruleIDs(r), ev)
	}
}
