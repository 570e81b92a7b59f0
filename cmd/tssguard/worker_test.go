package main

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/tssguard/tssguard/internal/pgtest"
	"github.com/tssguard/tssguard/internal/testdirs"
)

// TestWorkerScansForServe: on PostgreSQL, a server without workers queues
// scans and a separate `tssguard worker` process (another machine, in
// production) runs them; the server's index learns the verdicts.
func TestWorkerScansForServe(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	dsn := pgtest.URL(t)
	bin := filepath.Join(t.TempDir(), "tssguard")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	pages := httptest.NewServer(http.FileServer(http.Dir(testdirs.Fixtures())))
	defer pages.Close()
	keyOut, err := exec.Command(bin, "apikey", "create", "w", "--postgres", dsn).Output()
	if err != nil {
		t.Fatal(err)
	}
	key := strings.TrimSpace(string(keyOut))
	_, base := startServe(t, bin, []string{"serve", "--postgres", dsn, "--listen", "127.0.0.1:0", "--workers", "0", "--allow-private"})
	worker := exec.Command(bin, "worker", "--postgres", dsn, "--workers", "2", "--allow-private", "--dynamic", "off", "--politeness", "1ms")
	if err := worker.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = worker.Process.Kill(); _ = worker.Wait() })

	page := pages.URL + "/scam/norton-infected-scan.html"
	req, _ := http.NewRequest("POST", base+"/api/v1/scans", strings.NewReader(`{"url":"`+page+`"}`))
	req.Header.Set("Authorization", "Bearer "+key)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]string
	_ = json.NewDecoder(resp.Body).Decode(&m)
	resp.Body.Close()
	if resp.StatusCode != 202 {
		t.Fatalf("submit: %d %v", resp.StatusCode, m)
	}
	deadline := time.Now().Add(60 * time.Second)
	for status(t, base, m["id"]) != "done" {
		if time.Now().After(deadline) {
			t.Fatal("the worker did not run the scan")
		}
		time.Sleep(50 * time.Millisecond)
	}
	// The server follows the verdicts the worker wrote.
	for {
		resp, err := http.Get(base + "/api/v1/check?url=" + page)
		if err != nil {
			t.Fatal(err)
		}
		var c map[string]any
		_ = json.NewDecoder(resp.Body).Decode(&c)
		resp.Body.Close()
		if c["verdict"] == "scam" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the server's index never learnt the verdict: %v", c)
		}
		time.Sleep(100 * time.Millisecond)
	}
}
