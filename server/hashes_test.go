package server_test

import (
	"context"
	"encoding/hex"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/tssguard/tssguard/reputation"
	"github.com/tssguard/tssguard/server"
	"github.com/tssguard/tssguard/store"
	"github.com/tssguard/tssguard/urlx"
)

// TestHashes: a client that sends only the hash prefixes of a URL's
// expressions gets back the full hashes of the listed ones (URL
// expressions and domains), and nothing for unlisted or suspicious ones.
func TestHashes(t *testing.T) {
	db, err := store.OpenSQLite(context.Background(), t.TempDir(), true)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	a := start(t, db, server.Options{})
	for _, e := range []reputation.Entry{
		{Kind: reputation.URL, Value: "https://cdn.host.example/kit/alert.html", Verdict: reputation.Scam, Source: "scan"},
		{Kind: reputation.Domain, Value: "evil-support.example", Verdict: reputation.Scam, Source: "scan"},
		{Kind: reputation.URL, Value: "https://grey.example/page", Verdict: reputation.Suspicious, Source: "scan"},
	} {
		if err := a.ix.Add(e); err != nil {
			t.Fatal(err)
		}
	}
	// lookup does what the extension does: canonicalise, expressions,
	// hash, send prefixes, compare full hashes.
	lookup := func(raw string) (hit string, prefixes int) {
		t.Helper()
		c, err := urlx.Canonicalize(raw)
		if err != nil {
			t.Fatal(err)
		}
		exprs := urlx.Expressions(c)
		var q []string
		own := map[string]string{}
		for _, e := range exprs {
			h := urlx.Hash(e)
			full := hex.EncodeToString(h[:])
			own[full] = e
			q = append(q, "prefix="+full[:8])
		}
		code, m, raw2 := a.do("GET", "/api/v1/hashes?"+strings.Join(q, "&"), "", nil)
		if code != 200 {
			t.Fatalf("hashes: %d %s", code, raw2)
		}
		if m["cache_seconds"].(float64) <= 0 {
			t.Errorf("no cache duration: %s", raw2)
		}
		for _, h := range m["hashes"].([]any) {
			if e, ok := own[h.(string)]; ok {
				return e, len(q)
			}
		}
		return "", len(q)
	}
	for _, tc := range []struct{ url, want string }{
		{"https://cdn.host.example/kit/alert.html?n=1", "cdn.host.example/kit/alert.html"},
		{"http://www.evil-support.example/anything/at/all", "evil-support.example/"},
		{"https://cdn.host.example/other.html", ""},
		{"https://grey.example/page", ""},
		{"https://example.org/", ""},
	} {
		if got, _ := lookup(tc.url); got != tc.want {
			t.Errorf("lookup(%s) matched %q, want %q", tc.url, got, tc.want)
		}
	}
	// Bad requests.
	for _, q := range []string{"", "?prefix=", "?prefix=xyz", "?prefix=0102030405", "?" + strings.Repeat("prefix=00000000&", 33)} {
		if code, m, raw := a.do("GET", "/api/v1/hashes"+q, "", nil); code != 400 || m["error"] != "bad_prefix" {
			t.Errorf("GET /api/v1/hashes%.40s: %d %s, want 400 bad_prefix", q, code, raw)
		}
	}
	// The answer never contains a hash whose prefix was not asked for.
	h := urlx.Hash("evil-support.example/")
	other := fmt.Sprintf("%08x", urlx.Prefix(h)^1)
	_, m, _ := a.do("GET", "/api/v1/hashes?prefix="+other, "", nil)
	if hs := m["hashes"].([]any); slices.ContainsFunc(hs, func(x any) bool { return !strings.HasPrefix(x.(string), other) }) {
		t.Errorf("answer for %s has other prefixes: %v", other, hs)
	}
}
