package main

import (
	"encoding/json"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

var built struct {
	once sync.Once
	bin  string
	err  error
	out  []byte
}

// binary builds the tssguard binary once per test run.
func binary(t *testing.T) string {
	t.Helper()
	built.once.Do(func() {
		dir, err := os.MkdirTemp("", "tssguard-bin")
		if err != nil {
			built.err = err
			return
		}
		built.bin = filepath.Join(dir, "tssguard")
		built.out, built.err = exec.Command("go", "build", "-o", built.bin, ".").CombinedOutput()
	})
	if built.err != nil {
		t.Fatalf("build: %v\n%s", built.err, built.out)
	}
	return built.bin
}

// TestMain removes the built binary after the run.
func TestMain(m *testing.M) {
	code := m.Run()
	if built.bin != "" {
		os.RemoveAll(filepath.Dir(built.bin))
	}
	os.Exit(code)
}

// apiKey makes a key through the CLI, as an operator would.
func apiKey(t *testing.T, bin, name string, storeArgs []string) string {
	t.Helper()
	out, err := exec.Command(bin, append([]string{"apikey", "create", name}, storeArgs...)...).Output()
	if err != nil {
		t.Fatalf("apikey: %v", err)
	}
	return strings.TrimSpace(string(out))
}

// submit posts a scan and returns its ID.
func submit(t *testing.T, base, key, pageURL string) string {
	t.Helper()
	body, _ := json.Marshal(map[string]string{"url": pageURL})
	req, _ := http.NewRequest("POST", base+"/api/v1/scans", strings.NewReader(string(body)))
	req.Header.Set("Authorization", "Bearer "+key)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var m map[string]string
	_ = json.NewDecoder(resp.Body).Decode(&m)
	if resp.StatusCode != http.StatusAccepted {
		t.Fatalf("submit %s: %d %v", pageURL, resp.StatusCode, m)
	}
	return m["id"]
}
