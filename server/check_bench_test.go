package server_test

import (
	"context"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/tssguard/tssguard/reputation"
	"github.com/tssguard/tssguard/server"
	"github.com/tssguard/tssguard/store"
)

// discard is a ResponseWriter that keeps only the status and the size, so
// that the benchmark measures the handler, not a recorder.
type discard struct {
	h      http.Header
	status int
	n      int
}

func (d *discard) Header() http.Header         { return d.h }
func (d *discard) WriteHeader(code int)        { d.status = code }
func (d *discard) Write(b []byte) (int, error) { d.n += len(b); return len(b), nil }

// BenchmarkCheckHandler serves GET /api/v1/check through the whole
// handler chain (rate limit, metrics, lookup, JSON) without the network,
// for a listed and an unlisted URL, and reports the allocations.
func BenchmarkCheckHandler(b *testing.B) {
	db, err := store.OpenSQLite(context.Background(), b.TempDir(), true)
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	ix := reputation.New()
	exp := time.Now().Add(time.Hour)
	if err := ix.Add(reputation.Entry{Kind: reputation.URL, Value: "http://alert.scam.example/win/index.html", Verdict: reputation.Scam, Source: "scan", Expires: exp}); err != nil {
		b.Fatal(err)
	}
	srv := server.New(server.Options{Store: db, Index: ix, IPRate: 1e9, IPBurst: 1e9})
	_, token, err := db.CreateKey(context.Background(), "bench")
	if err != nil {
		b.Fatal(err)
	}
	for _, c := range []struct{ name, url, token string }{
		{"listed", "http://alert.scam.example/win/index.html", ""},
		{"unlisted", "https://www.site.example/page/1?q=2", ""},
		{"api key", "https://www.site.example/page/1?q=2", token},
	} {
		u := c.url
		b.Run(c.name, func(b *testing.B) {
			r, err := http.NewRequest("GET", "/api/v1/check?url="+url.QueryEscape(u), nil)
			if err != nil {
				b.Fatal(err)
			}
			if c.token != "" {
				r.Header.Set("Authorization", "Bearer "+c.token)
			}
			r.RemoteAddr = "127.0.0.1:40000"
			w := &discard{h: http.Header{}}
			b.ReportAllocs()
			for b.Loop() {
				clear(w.h)
				w.status = 0
				srv.ServeHTTP(w, r)
			}
			if w.status != 0 && w.status != http.StatusOK {
				b.Fatalf("status %d", w.status)
			}
		})
	}
}
