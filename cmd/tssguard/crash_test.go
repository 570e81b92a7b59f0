package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os/exec"
	"path/filepath"
	"regexp"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/tssguard/tssguard/internal/pgtest"
	"github.com/tssguard/tssguard/internal/testdirs"
	"github.com/tssguard/tssguard/store"
)

// TestServeSurvivesKill9 submits a batch of scans to a real `tssguard
// serve`, kills it with SIGKILL in the middle, starts it again on the same
// data, and checks that every accepted scan completes exactly once: none
// lost, none duplicated, the store consistent.
func TestServeSurvivesKill9(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	t.Run("sqlite", func(t *testing.T) {
		crashTest(t, []string{"--data", filepath.Join(t.TempDir(), "data")}, nil, func() (*store.DB, error) { return nil, nil })
	})
	t.Run("postgres", func(t *testing.T) {
		dsn := pgtest.URL(t)
		// Workers on PostgreSQL may run on other machines, so a job left
		// running is retried only after the rescue delay, short here.
		crashTest(t, []string{"--postgres", dsn}, []string{"--scan-timeout", "5s", "--rescue-after", "6s"}, func() (*store.DB, error) {
			return store.OpenPostgres(context.Background(), dsn)
		})
	})
}

func crashTest(t *testing.T, storeArgs, extra []string, openPG func() (*store.DB, error)) {
	bin := binary(t)
	// Pages answer slowly so that the kill lands with scans in flight.
	var served atomic.Int64
	fixtures := http.FileServer(http.Dir(testdirs.Fixtures()))
	pages := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		served.Add(1)
		time.Sleep(150 * time.Millisecond)
		fixtures.ServeHTTP(w, r)
	}))
	defer pages.Close()

	key := apiKey(t, bin, "crash", storeArgs)

	args := append([]string{"serve", "--listen", "127.0.0.1:0", "--allow-private", "--dynamic", "off", "--workers", "2", "--politeness", "1ms"}, append(storeArgs, extra...)...)
	srv, base := startServe(t, bin, args)

	const n = 24
	files := []string{"scam/norton-infected-scan.html", "scam/fake-bsod.html", "benign/airline-contact.html", "scam/template-param-default-autodial.html"}
	var ids []string
	for i := range n {
		ids = append(ids, submit(t, base, key, fmt.Sprintf("%s/%s?n=%d", pages.URL, files[i%len(files)], i)))
	}
	// Kill once a few scans are done and another is under way.
	deadline := time.Now().Add(60 * time.Second)
	for done := 0; done < 4 || served.Load() <= int64(done); {
		if time.Now().After(deadline) {
			t.Fatal("no scans finished before the kill")
		}
		done = 0
		for _, id := range ids {
			if status(t, base, id) == "done" {
				done++
			}
		}
		time.Sleep(20 * time.Millisecond)
	}
	if err := srv.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	_ = srv.Wait()
	servedAtKill := served.Load()

	srv, base = startServe(t, bin, args)
	deadline = time.Now().Add(150 * time.Second)
	for _, id := range ids {
		for status(t, base, id) != "done" {
			if time.Now().After(deadline) {
				t.Fatalf("scan %s did not complete after the restart", id)
			}
			time.Sleep(50 * time.Millisecond)
		}
	}
	t.Logf("%d scans: %d page fetches before the kill, %d in all", n, servedAtKill, served.Load())
	// Stop gracefully, then read the store directly.
	_ = srv.Process.Signal(syscall.SIGTERM)
	_ = srv.Wait()

	db, err := openPG()
	if err != nil {
		t.Fatal(err)
	}
	if db == nil {
		db, err = store.OpenSQLite(context.Background(), storeArgs[1], true)
		if err != nil {
			t.Fatal(err)
		}
	}
	defer db.Close()
	ctx := context.Background()
	scans, err := db.Scans(ctx, time.Time{}, 1000)
	if err != nil {
		t.Fatal(err)
	}
	if len(scans) != n {
		t.Fatalf("%d scans stored, want %d", len(scans), n)
	}
	scamScans := 0
	for _, s := range scans {
		if s.Status != store.Done {
			t.Errorf("scan %s: %s", s.ID, s.Status)
		}
		if s.Verdict == "scam" {
			scamScans++
		}
	}
	// Each scam scan recorded its verdicts once: the URL listing's
	// sightings add up to the scam scans, no more.
	sightings := 0
	err = db.Listings(ctx, time.Now(), func(l store.Listed) error {
		if l.Kind == "url" && !l.Pattern {
			sightings += l.Sightings
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if scamScans == 0 || sightings != scamScans {
		t.Errorf("URL sightings %d, scam scans %d: a scan counted twice or not at all", sightings, scamScans)
	}
	verdicts := map[string]int{}
	_ = db.Verdicts(ctx, time.Time{}, func(v store.Verdict) error {
		verdicts[v.ScanID+" "+v.Kind+" "+v.Value]++
		return nil
	})
	for k, c := range verdicts {
		if c != 1 {
			t.Errorf("verdict %s recorded %d times", k, c)
		}
	}
}

var addrLine = regexp.MustCompile(`addr=http://(127\.0\.0\.1:\d+)`)

// startServe runs the binary and waits for it to say where it listens.
func startServe(t *testing.T, bin string, args []string) (*exec.Cmd, string) {
	t.Helper()
	cmd := exec.Command(bin, args...)
	stderr, _ := cmd.StderrPipe()
	var logs lockedBuffer
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		if t.Failed() {
			t.Logf("serve log:\n%s", logs.String())
		}
	})
	found := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			line := sc.Text()
			logs.WriteString(line + "\n")
			if m := addrLine.FindStringSubmatch(line); m != nil {
				select {
				case found <- m[1]:
				default:
				}
			}
		}
		_, _ = io.Copy(io.Discard, stderr)
	}()
	select {
	case addr := <-found:
		return cmd, "http://" + addr
	case <-time.After(60 * time.Second):
		t.Fatalf("serve did not start:\n%s", logs.String())
	}
	return nil, ""
}

func status(t *testing.T, base, id string) string {
	t.Helper()
	resp, err := http.Get(base + "/api/v1/scans/" + id)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var m map[string]any
	_ = json.NewDecoder(resp.Body).Decode(&m)
	s, _ := m["status"].(string)
	if s == "failed" {
		t.Fatalf("scan %s failed: %v", id, m["error"])
	}
	return s
}

type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) WriteString(s string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.b.WriteString(s)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}
