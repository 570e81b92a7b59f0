package hunt

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/tssguard/tssguard/export"
	"github.com/tssguard/tssguard/export/misp"
	"github.com/tssguard/tssguard/export/stix"
	"github.com/tssguard/tssguard/export/taxii"
)

func hosts(t *testing.T, src Source) []string {
	t.Helper()
	var out []string
	if err := src.Fetch(context.Background(), func(c Candidate) error { out = append(out, c.Host); return nil }); err != nil {
		t.Fatal(err)
	}
	slices.Sort(out)
	return slices.Compact(out) // a feed may name a host in several indicators
}

// TestURLListHTTP: an unchanged list (same ETag) is not read again.
func TestURLListHTTP(t *testing.T) {
	var full atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("If-None-Match") == `"v1"` {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		full.Add(1)
		w.Header().Set("ETag", `"v1"`)
		fmt.Fprint(w, "# feed\nhttps://win-alert.example/x?ph=18885550147\nplain-host.example  2026-11-01\n\nnot a url\nftp://x.example/\n")
	}))
	defer srv.Close()
	l := &URLList{Location: srv.URL}
	if got := hosts(t, l); strings.Join(got, " ") != "plain-host.example win-alert.example" {
		t.Fatalf("hosts = %v", got)
	}
	if got := hosts(t, l); len(got) != 0 || full.Load() != 1 {
		t.Fatalf("second read: %v, full reads %d", got, full.Load())
	}
}

func TestURLListFile(t *testing.T) {
	p := filepath.Join(t.TempDir(), "list.txt")
	if err := os.WriteFile(p, []byte("a.example\nb.example/path\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	l := &URLList{Location: p}
	if got := hosts(t, l); len(got) != 2 {
		t.Fatalf("hosts = %v", got)
	}
	if got := hosts(t, l); len(got) != 0 {
		t.Fatalf("unchanged file read again: %v", got)
	}
}

// feedSource is what another tssguard would export.
func feedSource() export.Slice {
	live := time.Now().Add(24 * time.Hour)
	return export.Slice{Items: []export.Indicator{
		{Kind: export.Domain, Value: "micros0ft-alert.example", Verdict: "scam", Expires: live, Campaign: "c1"},
		{Kind: export.URL, Value: "https://defender-warning.example/win/index.html", Verdict: "scam", Expires: live, Campaign: "c1"},
		{Kind: export.URL, Value: "trusted.example.org/help?phone=", Verdict: "scam", Expires: live},
		{Kind: export.Number, Value: "+18005551234", Verdict: "scam", Expires: live, Campaign: "c1"},
	}, Camps: []export.Campaign{{ID: "c1"}}}
}

// TestTAXIIFromExport reads a collection served by export/taxii, in
// pages of one, and asks only for newer objects next time.
func TestTAXIIFromExport(t *testing.T) {
	src := feedSource()
	const coll = "0f4b7a57-5e1c-4c8e-9d38-3c1f00000001"
	srv := taxii.NewServer(taxii.Options{Prefix: "/taxii2", Collections: []taxii.Collection{{ID: coll, Title: "t",
		Objects: func(ctx context.Context, fn func(stix.Object) error) error {
			return stix.Objects(ctx, src, export.Meta{Generated: time.Now(), TLP: "clear"}, fn)
		}, Version: func() string { return "v1" }}}})
	mux := http.NewServeMux()
	var requests atomic.Int32
	mux.Handle("/taxii2/", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { requests.Add(1); srv.ServeHTTP(w, r) }))
	ts := httptest.NewServer(mux)
	defer ts.Close()
	tx := &TAXII{Collection: ts.URL + "/taxii2/api/collections/" + coll + "/", Limit: 1}
	got := hosts(t, tx)
	if strings.Join(got, " ") != "defender-warning.example micros0ft-alert.example trusted.example.org" {
		t.Fatalf("hosts = %v", got)
	}
	if requests.Load() < 3 {
		t.Fatalf("%d requests: paging not used", requests.Load())
	}
	if got := hosts(t, tx); len(got) != 0 {
		t.Fatalf("second read repeated %v", got)
	}
}

// TestMISPFromExport reads a feed built by export/misp.
func TestMISPFromExport(t *testing.T) {
	feed, err := misp.Build(context.Background(), feedSource(), export.Meta{Generated: time.Now(), TLP: "clear"})
	if err != nil {
		t.Fatal(err)
	}
	var events atomic.Int32
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		name := strings.TrimPrefix(r.URL.Path, "/feed/")
		b, ok := feed.File(name)
		if !ok {
			http.NotFound(w, r)
			return
		}
		if name != "manifest.json" {
			events.Add(1)
		}
		w.Write(b)
	}))
	defer ts.Close()
	m := &MISPFeed{URL: ts.URL + "/feed/"}
	got := hosts(t, m)
	if !slices.Contains(got, "micros0ft-alert.example") || !slices.Contains(got, "defender-warning.example") {
		t.Fatalf("hosts = %v", got)
	}
	n := events.Load()
	if got := hosts(t, m); len(got) != 0 || events.Load() != n {
		t.Fatalf("unchanged events read again: %v", got)
	}
}

// TestURLScanSearch pages a urlscan-style search with search_after.
func TestURLScanSearch(t *testing.T) {
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Query().Get("search_after") == "" {
			fmt.Fprint(w, `{"results":[{"task":{"url":"https://pc-locked-call.example/?ph=18445550100"},"page":{"url":"https://pc-locked-call.example/x","domain":"pc-locked-call.example"},"sort":[1733220000000,"abc"]}],"has_more":true}`)
			return
		}
		if r.URL.Query().Get("search_after") != "1733220000000,abc" {
			http.Error(w, "bad cursor "+r.URL.Query().Get("search_after"), 400)
			return
		}
		fmt.Fprint(w, `{"results":[{"page":{"domain":"second.example"},"sort":[1,"b"]}],"has_more":false}`)
	}))
	defer ts.Close()
	got := hosts(t, &URLScan{URL: ts.URL + "/api/v1/search/?q=page.title:alert"})
	if strings.Join(got, " ") != "pc-locked-call.example second.example" {
		t.Fatalf("hosts = %v", got)
	}
}

// TestHunterRound: one URL per host, best first, repeats dropped, the
// source's cap respected, priorities by score.
func TestHunterRound(t *testing.T) {
	p := filepath.Join(t.TempDir(), "list.txt")
	os.WriteFile(p, []byte(strings.Join([]string{
		"https://micr0s0ft-winsup0rt-833534.netlify.app/",
		"https://micr0s0ft-winsup0rt-833534.netlify.app/?ph=18885550147",
		"https://windows-defender-warning-7731.web.app/",
		"https://norton-renewal-billing.site/",
		"https://wikipedia.org/", "https://github.com/",
	}, "\n")), 0o644)
	var queued []string
	h := &Hunter{PerRound: 2, Submit: func(_ context.Context, c Candidate, s Score, prio int) error {
		queued = append(queued, fmt.Sprintf("%s %d", c.URL, prio))
		return nil
	}}
	r, err := h.Run(context.Background(), &URLList{Location: p})
	if err != nil {
		t.Fatal(err)
	}
	if r.Read != 6 || r.Hosts != 5 || r.Above != 3 || r.Queued != 2 || r.Deferred != 1 {
		t.Fatalf("round = %+v", r)
	}
	if !strings.Contains(queued[0], "?ph=18885550147 2") {
		t.Fatalf("best first with its number URL: %v", queued)
	}
	os.WriteFile(p, []byte("https://micr0s0ft-winsup0rt-833534.netlify.app/\nhttps://norton-renewal-billing.site/\n"), 0o644)
	os.Chtimes(p, time.Now().Add(time.Minute), time.Now().Add(time.Minute))
	r, err = h.Run(context.Background(), &URLList{Location: p})
	if err != nil || r.Repeats != 1 || r.Queued != 1 {
		t.Fatalf("second round = %+v %v", r, err)
	}
}

func TestParseSource(t *testing.T) {
	for _, s := range []string{"list:x.txt", "ct:https://log.example/", "taxii:https://t.example/api/collections/x/", "misp:https://m.example/feed/", "urlscan:https://u.example/api/v1/search/?q=x"} {
		if _, err := ParseSource(s); err != nil {
			t.Errorf("%s: %v", s, err)
		}
	}
	for _, s := range []string{"", "x", "gopher:x", "list:"} {
		if _, err := ParseSource(s); err == nil {
			t.Errorf("%q accepted", s)
		}
	}
}

// resume makes a fresh source of the same kind from src's saved cursor:
// what another process does at the next round.
func resume(t *testing.T, src Source, fresh Source) Source {
	t.Helper()
	c, err := src.(Resumable).Cursor()
	if err != nil {
		t.Fatal(err)
	}
	if err := fresh.(Resumable).SetCursor(c); err != nil {
		t.Fatalf("cursor %s: %v", c, err)
	}
	return fresh
}

// TestCursorsResume: every source, restored from the cursor of a round,
// reads nothing it read before.
func TestCursorsResume(t *testing.T) {
	t.Run("list", func(t *testing.T) {
		var full atomic.Int32
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.Header.Get("If-Modified-Since") == "Tue, 01 Dec 2026 10:00:00 GMT" {
				w.WriteHeader(http.StatusNotModified)
				return
			}
			full.Add(1)
			w.Header().Set("Last-Modified", "Tue, 01 Dec 2026 10:00:00 GMT")
			fmt.Fprint(w, "windows-alert.example\n")
		}))
		defer srv.Close()
		a := &URLList{Location: srv.URL}
		hosts(t, a)
		if got := hosts(t, resume(t, a, &URLList{Location: srv.URL})); len(got) != 0 || full.Load() != 1 {
			t.Fatalf("resumed list read again: %v (%d full reads)", got, full.Load())
		}
	})
	t.Run("ct", func(t *testing.T) {
		l := newTestLog(t)
		l.issue(t, false, "old.example.com")
		a := &CTLog{URL: l.srv.URL, FromEnd: true}
		if got := hosts(t, a); len(got) != 0 {
			t.Fatalf("from the end: %v", got)
		}
		l.issue(t, false, "new.example.com")
		if got := hosts(t, resume(t, a, &CTLog{URL: l.srv.URL, FromEnd: true})); strings.Join(got, " ") != "new.example.com" {
			t.Fatalf("resumed log read %v", got)
		}
		if err := (&CTLog{}).SetCursor(`{"next":-1}`); err == nil {
			t.Fatal("a negative index accepted")
		}
	})
	t.Run("urlscan", func(t *testing.T) {
		var mu sync.Mutex
		results := []string{`{"page":{"domain":"b.example"},"sort":[200,"b"]}`, `{"page":{"domain":"a.example"},"sort":[100,"a"]}`}
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			mu.Lock()
			defer mu.Unlock()
			fmt.Fprintf(w, `{"results":[%s],"has_more":false}`, strings.Join(results, ","))
		}))
		defer srv.Close()
		a := &URLScan{URL: srv.URL + "/?q=x"}
		if got := hosts(t, a); len(got) != 2 {
			t.Fatalf("first read %v", got)
		}
		mu.Lock()
		results = append([]string{`{"page":{"domain":"c.example"},"sort":[300,"c"]}`}, results...)
		mu.Unlock()
		if got := hosts(t, resume(t, a, &URLScan{URL: srv.URL + "/?q=x"})); strings.Join(got, " ") != "c.example" {
			t.Fatalf("resumed search read %v", got)
		}
	})
	t.Run("taxii-misp", func(t *testing.T) {
		tx := &TAXII{}
		tx.addedAfter = "2026-12-01T10:00:00.000Z"
		m := &MISPFeed{seen: map[string]int64{"0f4b7a57-5e1c-4c8e-9d38-3c1f00000001": 17}}
		t2 := resume(t, tx, &TAXII{}).(*TAXII)
		m2 := resume(t, m, &MISPFeed{}).(*MISPFeed)
		if t2.addedAfter != tx.addedAfter || m2.seen["0f4b7a57-5e1c-4c8e-9d38-3c1f00000001"] != 17 {
			t.Fatalf("restored %q %v", t2.addedAfter, m2.seen)
		}
		if err := (&MISPFeed{}).SetCursor("{broken"); err == nil {
			t.Fatal("a broken cursor accepted")
		}
	})
}

// failingSource yields its candidates, then fails.
type failingSource struct{ hosts []string }

func (f failingSource) Name() string { return "failing" }

func (f failingSource) Fetch(ctx context.Context, emit func(Candidate) error) error {
	for _, h := range f.hosts {
		c, _ := NewCandidate(h, "failing")
		if err := emit(c); err != nil {
			return err
		}
	}
	return fmt.Errorf("connection reset")
}

// TestHunterQueuesBeforeAnError: what a source read before it failed is
// queued (its cursor has moved past it), and the error is returned.
func TestHunterQueuesBeforeAnError(t *testing.T) {
	var queued []string
	h := &Hunter{Claim: func(_ context.Context, c Candidate, s Score, prio int) (bool, error) {
		queued = append(queued, c.Host)
		return true, nil
	}}
	r, err := h.Run(context.Background(), failingSource{[]string{"micr0s0ft-winsup0rt-833534.netlify.app", "wikipedia.org"}})
	if err == nil || !strings.Contains(err.Error(), "connection reset") || r.Queued != 1 || len(queued) != 1 {
		t.Fatalf("round %+v, queued %v, err %v", r, queued, err)
	}
}
