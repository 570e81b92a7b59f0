package analyze

import (
	"slices"
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
