package main

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os/exec"
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
	bin := binary(t)
	pages := httptest.NewServer(http.FileServer(http.Dir(testdirs.Fixtures())))
	defer pages.Close()
	key := apiKey(t, bin, "w", []string{"--postgres", dsn})
	_, base := startServe(t, bin, []string{"serve", "--postgres", dsn, "--listen", "127.0.0.1:0", "--workers", "0", "--allow-private"})
	worker := exec.Command(bin, "worker", "--postgres", dsn, "--workers", "2", "--allow-private", "--dynamic", "off", "--politeness", "1ms")
	if err := worker.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = worker.Process.Kill(); _ = worker.Wait() })

	page := pages.URL + "/scam/norton-infected-scan.html"
	id := submit(t, base, key, page)
	deadline := time.Now().Add(60 * time.Second)
	for status(t, base, id) != "done" {
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
