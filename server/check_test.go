package server

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/url"
	"testing"
	"time"

	"github.com/tssguard/tssguard/store"
)

// TestCheckJSON: the hand-written encoder of check answers writes what
// encoding/json writes, byte for byte, for awkward strings too.
func TestCheckJSON(t *testing.T) {
	exp := time.Date(2026, 12, 3, 10, 4, 5, 123000000, time.UTC)
	strs := []string{"", "plain", `quote " and \ backslash`, "tab\tnl\ncr\r", "\x00\x01\x1f\x7f",
		"<script>&amp;</script>", "héllo wörld ☎", "bad \xff utf8 \xc3", "line\u2028sep\u2029", "emoji 😀"}
	for _, s := range strs {
		for _, c := range []checkResponse{
			{URL: s, Verdict: "unknown"},
			{URL: "http://x/" + s, Verdict: "scam", Matched: s, Kind: "url", Source: s, Expires: &exp, Scan: s},
		} {
			var want bytes.Buffer
			enc := json.NewEncoder(&want)
			enc.SetEscapeHTML(false)
			if err := enc.Encode(c); err != nil {
				t.Fatal(err)
			}
			if got := c.appendJSON(nil); string(got) != want.String() {
				t.Errorf("%q:\n got %s\nwant %s", s, got, want.String())
			}
		}
	}
}

// TestQueryValue: queryValue reads a parameter as url.Values.Get does.
func TestQueryValue(t *testing.T) {
	for _, q := range []string{
		"", "url=", "url=http%3A%2F%2Fa.example%2F", "a=1&url=x&url=y", "u%72l=esc", "url=a+b",
		"url=%zz&url=second", "x;y=1&url=z", "url=a;b&url=c", "scan=1&url=http://a/", "=&url", "url", "urll=1&url=2",
	} {
		want, _ := url.ParseQuery(q)
		for _, key := range []string{"url", "scan"} {
			if got := queryValue(q, key); got != want.Get(key) {
				t.Errorf("queryValue(%q, %q) = %q, want %q", q, key, got, want.Get(key))
			}
		}
	}
}

// TestKeyCache: a key is taken from the cache for keyTTL, then looked up
// again (a revocation takes effect), and the cache stays bounded.
func TestKeyCache(t *testing.T) {
	var c keyCache
	t0 := time.Now()
	k := store.APIKey{ID: "k1", Name: "soc"}
	c.put("tsg_a", k, t0)
	if got, ok := c.get("tsg_a", t0.Add(keyTTL-time.Second)); !ok || got != k {
		t.Errorf("within the TTL: %v %v", got, ok)
	}
	if _, ok := c.get("tsg_a", t0.Add(keyTTL+time.Second)); ok {
		t.Error("a key past its TTL is still taken on trust")
	}
	if _, ok := c.get("tsg_b", t0); ok {
		t.Error("an unknown token is found")
	}
	for i := range 5000 {
		c.put(fmt.Sprint("tsg_", i), k, t0)
	}
	if len(c.m) > 1024 {
		t.Errorf("cache holds %d keys", len(c.m))
	}
}
