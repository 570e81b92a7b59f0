package analyze

import (
	"strings"
	"testing"
)

// A kit may keep its call link behind the answer it asks for, and put the
// number together where the static reading cannot follow: the page is run
// (a navigation to a number read only in part is a hint), and run again
// answering OK to its confirm().
func TestDialBehindConfirm(t *testing.T) {
	kit := `<html><head><title>Security Alert</title></head><body>
<h1>Windows Defender Security Center</h1><p>Your computer has been blocked. Error # 0x80073afc</p>
<script>
var s = (new Date().getFullYear() > 2000) ? "te" : "xx";
var n = s + "l" + ":" + (18005550000 + 142);
if (confirm("Your computer is infected with a virus. Press OK to contact support")) { window.location.href = n; }
</script></body></html>`
	r := analyzeHTML(t, kit)
	if r.Verdict != Scam {
		t.Fatalf("verdict %s (%.1f): %s", r.Verdict, r.Score, r.Reason)
	}
	f := r.Finding("TSS-CALL-AUTODIAL")
	if f == nil || !strings.Contains(f.Evidence[0].Snippet, "18005550142") {
		t.Fatalf("no auto-dial of the number: %+v", r.Findings)
	}
	if !strings.Contains(strings.Join(r.Notes, "\n"), "answering OK") {
		t.Errorf("notes do not say the page was run answering OK: %q", r.Notes)
	}

	// A page asking to confirm a deletion and going to its own page after
	// is still clean, both answers run.
	benign := `<html><body><h1>Your basket</h1><button id=d>Remove all</button><script>
var id = location.hash.slice(1);
if (confirm("Remove every item from your basket?")) { location.href = "/basket/clear?id=" + id + "&t=" + 1700000000000; }
</script></body></html>`
	if r := analyzeHTML(t, benign); r.Verdict != Clean {
		t.Errorf("benign confirm: verdict %s (%.1f): %s %+v", r.Verdict, r.Score, r.Reason, r.Findings)
	}
}

// A kit that shows its alarm and dials only when the visitor heads for the
// close button (exit intent), with a number put together at run time: the
// page is run, and the simulated visitor leaves it through the top edge.
func TestDialOnExitIntent(t *testing.T) {
	kit := `<html><head><title>Windows Defender</title></head><body>
<h1>Windows Defender Security Center</h1><p>Your computer is infected with Trojan spyware. Call Microsoft support.</p>
<script>
var k = (new Date().getFullYear() > 2000) ? "te" : "xx";
document.addEventListener("mouseleave", function () { window.location.href = k + "l:" + (18445550000 + 177); });
</script></body></html>`
	r := analyzeHTML(t, kit)
	f := r.Finding("TSS-CALL-AUTODIAL")
	if r.Verdict != Scam || f == nil || !strings.Contains(f.Evidence[0].Snippet, "18445550177") {
		t.Fatalf("verdict %s (%.1f): %s %+v", r.Verdict, r.Score, r.Reason, r.Findings)
	}
}
