package export

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestDNRInChromium loads the dnr ruleset of matchFixture in a tiny
// unpacked MV3 extension in headless Chromium and navigates to every URL
// of matchCases, served on 127.0.0.1 (every host name maps there) with the
// server's port: the ones to block must end on the extension's warning
// page, the others where they were sent.
func TestDNRInChromium(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test; -short")
	}
	bin := ""
	for _, n := range []string{"chromium", "chromium-browser"} {
		if p, err := exec.LookPath(n); err == nil {
			bin = p
			break
		}
	}
	if bin == "" {
		t.Skip("Chromium is not installed (apt-get install chromium): the dnr rules are not checked in a browser")
	}

	ext := t.TempDir()
	writeFile(t, filepath.Join(ext, "rules.json"), run(t, DNR, matchFixture(), testMeta()))
	writeFile(t, filepath.Join(ext, "warning.html"), "<!doctype html><title>blocked</title><p>blocked")
	writeFile(t, filepath.Join(ext, "manifest.json"), `{
  "manifest_version": 3, "name": "tssguard dnr test", "version": "1",
  "permissions": ["declarativeNetRequest"],
  "host_permissions": ["<all_urls>"],
  "declarative_net_request": {"rule_resources": [{"id": "tssguard", "enabled": true, "path": "rules.json"}]},
  "web_accessible_resources": [{"resources": ["warning.html"], "matches": ["<all_urls>"]}]
}`)

	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, "<!doctype html><title>page</title><p>an ordinary page")
	}))
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv.Listener = ln
	srv.Start()
	defer srv.Close()
	port := ln.Addr().(*net.TCPAddr).Port

	// chromedp's default flags include --disable-extensions: the list is
	// built here without it.
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(bin),
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Headless,
		chromedp.UserDataDir(t.TempDir()),
		chromedp.Flag("load-extension", ext),
		chromedp.Flag("disable-extensions-except", ext),
		// Every name resolves to the test server; nothing leaves loopback.
		chromedp.Flag("host-resolver-rules", "MAP * 127.0.0.1"),
		chromedp.Flag("disable-features", "HttpsUpgrades,HttpsFirstBalancedModeAutoEnable"),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
	}
	if os.Geteuid() == 0 {
		opts = append(opts, chromedp.NoSandbox)
	}
	actx, cancel := chromedp.NewExecAllocator(context.Background(), opts...)
	defer cancel()
	ctx, cancel := chromedp.NewContext(actx)
	defer cancel()
	ctx, cancel = context.WithTimeout(ctx, 90*time.Second)
	defer cancel()
	// Start the browser on ctx: a browser first run on a shorter-lived
	// context ends with it.
	if err := chromedp.Do(ctx); err != nil {
		t.Fatal(err)
	}

	visit := func(u string) string {
		nctx, ncancel := context.WithTimeout(ctx, 15*time.Second)
		defer ncancel()
		if err := chromedp.Do(nctx, chromedp.Navigate(u)); err != nil {
			t.Fatalf("%s: %v", u, err)
		}
		final, err := chromedp.Run(nctx, chromedp.Location())
		if err != nil {
			t.Fatalf("%s: %v", u, err)
		}
		return final
	}
	onPort := func(u string) string {
		rest := u[strings.Index(u, "://")+3:]
		cut := strings.IndexAny(rest+"/", "/?")
		host := rest[:cut]
		if i := strings.IndexByte(host, ':'); i >= 0 {
			host = host[:i]
		}
		return fmt.Sprintf("http://%s:%d%s", host, port, rest[cut:])
	}

	// The static ruleset is indexed after the browser starts: wait until
	// a domain rule applies before judging anything.
	probe := onPort("https://scam-domain.example/")
	deadline := time.Now().Add(20 * time.Second)
	for !strings.HasPrefix(visit(probe), "chrome-extension://") {
		if time.Now().After(deadline) {
			t.Fatal("the extension's rules never applied: the extension did not load")
		}
		time.Sleep(200 * time.Millisecond)
	}

	for _, c := range matchCases {
		u := onPort(c.url)
		final := visit(u)
		blocked := strings.HasPrefix(final, "chrome-extension://") && strings.HasSuffix(final, DNRWarningPath)
		if blocked != c.block {
			t.Errorf("%s: ended on %s, want blocked %v", u, final, c.block)
		}
		if !blocked && final != u {
			t.Errorf("%s: ended on %s", u, final)
		}
	}
}

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}
