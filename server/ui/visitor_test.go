package ui_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/tssguard/tssguard/internal/servetest"
	"github.com/tssguard/tssguard/store"
)

// TestSubmitAsVisitor: the scan form takes the victim's language and the
// page the visit comes from; the scan keeps them, its page shows them, and
// a rescan arrives as the same visitor. A language that is no tag is a
// 400 with the form's words, not a queued scan.
func TestSubmitAsVisitor(t *testing.T) {
	page := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, `<html><body><p>Teak benches.</p></body></html>`)
	}))
	defer page.Close()
	db, err := store.OpenSQLite(context.Background(), t.TempDir(), true)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	a := servetest.Start(t, db, servetest.Options{})
	srv := httptest.NewServer(a.Server)
	t.Cleanup(srv.Close)
	c := newClient(t, srv.URL)
	if r := c.post("/login", url.Values{"key": {a.Token}, "csrf": {c.csrf("/login")}}); r.StatusCode != 303 {
		t.Fatalf("login: %d", r.StatusCode)
	}
	tok := c.csrf("/")
	r := c.post("/scans", url.Values{"url": {page.URL + "/"}, "lang": {" ja "}, "referrer": {"https://www.bing.com/"}, "csrf": {tok}})
	id := strings.TrimPrefix(r.Header.Get("Location"), "/scans/")
	if r.StatusCode != 303 || id == "" {
		t.Fatalf("submit: %d %q", r.StatusCode, r.Header.Get("Location"))
	}
	sc := waitDone(t, db, id)
	if sc.Lang != "ja" || sc.Referrer != "https://www.bing.com/" {
		t.Fatalf("stored scan arrives as %q from %q", sc.Lang, sc.Referrer)
	}
	if _, body := c.get("/scans/" + id); !strings.Contains(body, "language ja") || !strings.Contains(body, "arriving from https://www.bing.com/") {
		t.Error("the scan's page does not say who it arrived as")
	}
	r = c.post("/scans/"+id+"/rescan", url.Values{"csrf": {c.csrf("/scans/" + id)}})
	again := strings.TrimPrefix(r.Header.Get("Location"), "/scans/")
	if r.StatusCode != 303 || again == "" || again == id {
		t.Fatalf("rescan: %d %q", r.StatusCode, r.Header.Get("Location"))
	}
	if sc := waitDone(t, db, again); sc.Lang != "ja" || sc.Referrer != "https://www.bing.com/" {
		t.Errorf("rescan arrives as %q from %q", sc.Lang, sc.Referrer)
	}
	r = c.post("/scans", url.Values{"url": {page.URL + "/"}, "lang": {"ja\r\nX-Evil: 1"}, "csrf": {c.csrf("/")}})
	if r.StatusCode != 400 {
		t.Errorf("a language that is no tag: %d", r.StatusCode)
	}
}

func waitDone(t *testing.T, db *store.DB, id string) store.Scan {
	t.Helper()
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		sc, err := db.Scan(context.Background(), id)
		if err != nil {
			t.Fatal(err)
		}
		if sc.Status == store.Done || sc.Status == store.Failed {
			return sc
		}
	}
	t.Fatalf("scan %s did not finish", id)
	return store.Scan{}
}
