package scanjob

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"strings"
	"testing"

	"github.com/tssguard/tssguard/capture"
)

// TestCaptureArtifacts: every scan keeps its redirect chain, the size and
// SHA-256 of each file, and the served page source (not the final DOM).
func TestCaptureArtifacts(t *testing.T) {
	served := []byte("<html>served</html>")
	c := &capture.Capture{
		Redirects: []string{"https://a.example/", "https://b.example/x"},
		Documents: []capture.Document{
			{URL: "https://b.example/x", Frame: "main", Body: []byte("<html>dom</html>"), Rendered: true},
			{URL: "https://b.example/x", Frame: "main", Body: served},
			{URL: "https://b.example/x", Frame: "main", Body: []byte(strings.Repeat("x", maxSource+1))},
		},
		Resources: []capture.Resource{{Kind: capture.KindScript, URL: "https://b.example/k.js", Body: []byte("var a=1;")},
			{Kind: capture.KindScript, URL: "https://c.example/gone.js", Err: "refused"}},
	}
	arts := captureArtifacts(c)
	byName := map[string][]byte{}
	for _, a := range arts {
		byName[a.Name] = a.Data
	}
	if string(byName["source.html"]) != string(served) {
		t.Errorf("source.html = %.40q", byName["source.html"])
	}
	var sum CaptureSummary
	if err := json.Unmarshal(byName["capture.json"], &sum); err != nil {
		t.Fatal(err)
	}
	h := sha256.Sum256(served)
	if len(sum.Redirects) != 2 || len(sum.Files) != 5 || sum.Files[0].Kind != "dom" || sum.Files[1].SHA256 != hex.EncodeToString(h[:]) ||
		sum.Files[1].Size != len(served) || sum.Files[3].Kind != "script" || sum.Files[4].Error != "refused" || sum.Files[4].SHA256 != "" {
		t.Errorf("capture.json = %+v", sum)
	}
}
