package server_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/tssguard/tssguard/internal/pgtest"
	"github.com/tssguard/tssguard/server"
	"github.com/tssguard/tssguard/store"
)

// healthz polls /healthz until it answers want with a body that says
// what, or gives up after a while (the store probe is cached for a few
// seconds).
func healthz(a *api, want int, what string) (int, []byte) {
	var code int
	var raw []byte
	for range 100 {
		if code, _, raw = a.do("GET", "/healthz", "", nil); code == want && strings.Contains(string(raw), what) {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	return code, raw
}

// TestDiskFullAnswers507: when SQLite cannot grow the database (disk full,
// SQLITE_FULL), writes answer 507 and say why, and /healthz stops saying
// ok.
func TestDiskFullAnswers507(t *testing.T) {
	db, err := store.OpenSQLite(context.Background(), t.TempDir(), true)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() }) // after the queue stops
	a := start(t, db, server.Options{})
	if code, raw := healthz(a, 200, "ok"); code != 200 {
		t.Fatalf("healthz: %d %s", code, raw)
	}
	// The database may not grow past the pages it has: what a full disk
	// does to it.
	var pages int
	if err := db.SQL().QueryRow(`PRAGMA page_count`).Scan(&pages); err != nil {
		t.Fatal(err)
	}
	if _, err := db.SQL().Exec(fmt.Sprintf(`PRAGMA max_page_count = %d`, pages)); err != nil {
		t.Fatal(err)
	}
	code, m, raw := 201, map[string]any{}, []byte(nil)
	for i := 0; i < 400 && code == 201; i++ {
		code, m, raw = a.do("POST", "/api/v1/allowlist", a.token, map[string]any{"domain": fmt.Sprintf("site-%d.example", i), "note": strings.Repeat("n", 400)})
	}
	if code != 507 || m["error"] != "storage_full" || !strings.Contains(fmt.Sprint(m["message"]), "full") {
		t.Errorf("write to a full database: %d %s, want 507 storage_full", code, raw)
	}
	if code, raw := healthz(a, 503, "full"); code != 503 || !strings.Contains(string(raw), "full") {
		t.Errorf("healthz with a full database: %d %s, want 503 saying why", code, raw)
	}
}

// TestReadOnlyDatabaseAnswers503: a PostgreSQL database that takes reads
// but refuses every write (read-only, as a failed-over replica is) makes
// /healthz answer 503 with the reason, and writes answer 503, not 500.
func TestReadOnlyDatabaseAnswers503(t *testing.T) {
	dbURL := pgtest.URL(t)
	db, err := store.OpenPostgres(context.Background(), dbURL)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	a := start(t, db, server.Options{})
	if code, raw := healthz(a, 200, "ok"); code != 200 {
		t.Fatalf("healthz: %d %s", code, raw)
	}
	u, _ := url.Parse(dbURL)
	name := strings.TrimPrefix(u.Path, "/")
	ctx := context.Background()
	admin, err := pgx.Connect(ctx, os.Getenv("TSSGUARD_TEST_POSTGRES"))
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close(ctx)
	if _, err := admin.Exec(ctx, "ALTER DATABASE "+name+" SET default_transaction_read_only = on"); err != nil {
		t.Fatal(err)
	}
	if _, err := admin.Exec(ctx, "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1", name); err != nil {
		t.Fatal(err)
	}
	if code, raw := healthz(a, 503, "read-only"); code != 503 || !strings.Contains(string(raw), "read-only") {
		t.Errorf("healthz on a read-only database: %d %s, want 503 saying why", code, raw)
	}
	var code int
	var m map[string]any
	var raw []byte
	for range 5 { // the first use of a killed connection may fail as such
		if code, m, raw = a.do("POST", "/api/v1/allowlist", a.token, map[string]any{"domain": "example.org"}); code == 503 {
			break
		}
	}
	if code != 503 || m["error"] != "store_unavailable" {
		t.Errorf("write to a read-only database: %d %s, want 503 store_unavailable", code, raw)
	}
}

// TestRateLimitSaysWhenToRetry: a 429 carries Retry-After.
func TestRateLimitSaysWhenToRetry(t *testing.T) {
	db, err := store.OpenSQLite(context.Background(), t.TempDir(), true)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	a := start(t, db, server.Options{IPRate: 0.5, IPBurst: 1})
	var resp *http.Response
	for range 3 {
		resp, _ = get(t, a.url+"/api/v1/allowlist")
	}
	if resp.StatusCode != 429 || resp.Header.Get("Retry-After") == "" {
		t.Errorf("rate limited: %d, Retry-After %q", resp.StatusCode, resp.Header.Get("Retry-After"))
	}
}
