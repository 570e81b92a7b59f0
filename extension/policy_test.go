package extension_test

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/tssguard/tssguard/internal/testdirs"
)

// chromiumPolicyDir is where Debian's Chromium reads mandatory policies
// (Chrome: /etc/opt/chrome/policies/managed). Chromium has no other way
// to set them on Linux: no flag, no per-profile file.
const chromiumPolicyDir = "/etc/chromium/policies/managed"

// unpackedExtensionID is the ID Chromium gives an unpacked extension
// without a "key": the SHA-256 of its absolute path, the first 16 bytes in
// hex with the digits 0-f written a-p.
func unpackedExtensionID(dir string) string {
	sum := sha256.Sum256([]byte(dir))
	h := []byte(hex.EncodeToString(sum[:16]))
	for i, c := range h {
		if c <= '9' {
			h[i] = 'a' + (c - '0')
		} else {
			h[i] = 'a' + 10 + (c - 'a')
		}
	}
	return string(h)
}

// writePolicy installs a Chromium policy file that sets the extension's
// managed storage (the "3rdparty" policy an admin deploys), and removes it
// when the test ends. It names only this run's extension ID, so other
// Chromium processes on the machine are not affected.
func writePolicy(t *testing.T, extID string, settings map[string]any) {
	t.Helper()
	var created []string
	for d := chromiumPolicyDir; d != "/" && d != "."; d = filepath.Dir(d) {
		if _, err := os.Stat(d); err == nil {
			break
		}
		created = append(created, d)
	}
	if err := os.MkdirAll(chromiumPolicyDir, 0o755); err != nil {
		t.Skipf("cannot write Chromium's policy folder %s (needs root): %v", chromiumPolicyDir, err)
	}
	b, _ := json.Marshal(map[string]any{"3rdparty": map[string]any{"extensions": map[string]any{extID: settings}}})
	file := filepath.Join(chromiumPolicyDir, "tssguard-test-"+extID+".json")
	if err := os.WriteFile(file, b, 0o644); err != nil {
		t.Skipf("cannot write %s: %v", file, err)
	}
	t.Cleanup(func() {
		os.Remove(file)
		for _, d := range created { // deepest first; only if still empty
			os.Remove(d)
		}
	})
}

// TestManagedPolicy: settings deployed by enterprise policy reach the
// extension through Chromium's own policy loading, and take effect: the
// server URL and key (rules sync, a listed domain is redirected), the
// allowlist (a listed but allowlisted domain loads), reporting off (the
// report button is disabled and a report is refused); the options page
// shows the managed fields read-only.
func TestManagedPolicy(t *testing.T) {
	chromiumPath(t)
	s := startServer(t)
	s.listScam(t, "support-alert.test", "+18445550142")
	s.listScam(t, "intranet-helpdesk.test", "+18445550143")
	fixtures := serveDir(t, testdirs.Fixtures())
	port := fixtures[strings.LastIndex(fixtures, ":"):]

	dir := copyExtension(t, t.TempDir())
	id := unpackedExtensionID(dir)
	writePolicy(t, id, map[string]any{
		"serverURL": s.url,
		"apiKey":    s.token,
		"allowlist": []string{"intranet-helpdesk.test"},
		"reporting": false,
	})
	b := startBrowserWith(t, dir)
	if b.extID != id {
		t.Fatalf("extension ID %s, computed %s: the policy names the wrong extension", b.extID, id)
	}

	// The extension syncs when it starts, from the managed settings alone
	// (nothing is set in its own storage).
	opts := b.open(t, "chrome-extension://"+b.extID+"/options.html", 500*time.Millisecond)
	defer opts.close()
	var cfg map[string]any
	deadline := time.Now().Add(20 * time.Second)
	for {
		opts.evalJSON(t, `chrome.runtime.sendMessage({type: 'config'})`, &cfg)
		if cfg["serverURL"] == s.url || time.Now().After(deadline) {
			break
		}
		time.Sleep(500 * time.Millisecond)
	}
	if cfg["serverURL"] != s.url || cfg["managed"] != true || cfg["reporting"] != false || cfg["apiKey"] != "(set)" {
		t.Fatalf("config from policy: %v", cfg)
	}
	var local map[string]any
	opts.evalJSON(t, `chrome.storage.local.get(['serverURL', 'apiKey', 'allowlist', 'reporting'])`, &local)
	if len(local) != 0 {
		t.Fatalf("the extension's own storage has settings %v: the test would not show the policy works", local)
	}
	var sync map[string]any
	opts.evalJSON(t, `chrome.runtime.sendMessage({type: 'sync'})`, &sync)
	if n, _ := sync["rules"].(float64); n < 1 || sync["allowlist"] != float64(1) {
		t.Fatalf("sync with the policy's server: %v", sync)
	}
	var managedUI map[string]any
	opts.evalJSON(t, `({url: document.getElementById('serverURL').value, disabled: document.getElementById('serverURL').disabled, note: !document.getElementById('managed').hidden, reporting: document.getElementById('reporting').checked})`, &managedUI)
	if managedUI["url"] != s.url || managedUI["disabled"] != true || managedUI["note"] != true || managedUI["reporting"] != false {
		t.Errorf("options page under policy: %v", managedUI)
	}

	t.Run("server URL: listed domain blocked", func(t *testing.T) {
		u := "http://www.support-alert.test" + port + "/scam/fake-bsod.html"
		tb := b.open(t, u, 1500*time.Millisecond)
		defer tb.close()
		if got := tb.v.FinalURL(); !strings.HasPrefix(got, "chrome-extension://"+b.extID+"/warning.html") {
			t.Errorf("final URL %s, want the warning page", got)
		}
	})

	t.Run("allowlist: listed but allowed domain loads", func(t *testing.T) {
		u := "http://intranet-helpdesk.test" + port + "/scam/fake-bsod.html"
		tb := b.open(t, u, 2500*time.Millisecond)
		defer tb.close()
		if got := tb.v.FinalURL(); got != u {
			t.Errorf("final URL %s, want %s (allowlisted by policy)", got, u)
		}
		var warned bool
		tb.eval(t, `!!document.getElementById('tssguard-warning')`, &warned)
		if warned {
			t.Errorf("the on-device warning covers an allowlisted site")
		}
	})

	t.Run("reporting off", func(t *testing.T) {
		var r map[string]any
		// Even with the consent box ticked: nothing is read or sent.
		opts.evalJSON(t, `chrome.tabs.query({}).then((tabs) => chrome.runtime.sendMessage({type: 'report', url: 'http://www.support-alert.test`+port+`/scam/fake-bsod.html', tabId: tabs[0].id, consent: true}))`, &r)
		if r["ok"] == true || !strings.Contains(r["error"].(string), "policy") {
			t.Errorf("report with reporting off: %v", r)
		}
		popup := b.open(t, "chrome-extension://"+b.extID+"/popup.html", 800*time.Millisecond)
		defer popup.close()
		var ui map[string]any
		popup.evalJSON(t, `({disabled: document.getElementById('report').disabled, consent: document.getElementById('consent').checked, status: document.getElementById('status').textContent})`, &ui)
		if ui["disabled"] != true || ui["consent"] != false || !strings.Contains(ui["status"].(string), "administrator") {
			t.Errorf("popup under policy: %v", ui)
		}
		if n := len(s.userReports(t)); n != 0 {
			t.Errorf("the server got %d reports with reporting off", n)
		}
	})
}
