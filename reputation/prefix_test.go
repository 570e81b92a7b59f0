package reputation

import (
	"crypto/sha256"
	"testing"
	"time"
	"unsafe"
)

func TestHashesWithPrefix(t *testing.T) {
	ix := New()
	now := time.Now()
	for _, e := range []Entry{
		{Kind: URL, Value: "http://evil.example/landing/", Verdict: Scam, Source: "scan"},
		{Kind: URL, Value: "http://maybe.example/x", Verdict: Suspicious, Source: "scan"},
		{Kind: URL, Value: "http://old.example/x", Verdict: Scam, Source: "scan", Expires: now.Add(-time.Hour)},
		{Kind: Domain, Value: "www.scam.example", Verdict: Scam, Source: "scan"},
		{Kind: Domain, Value: "grey.example", Verdict: Suspicious, Source: "scan"},
	} {
		if err := ix.Add(e); err != nil {
			t.Fatal(err)
		}
	}
	want := sha256.Sum256([]byte("evil.example/landing/"))
	got := ix.HashesWithPrefix(nil, prefix(want), now)
	if len(got) != 1 || got[0] != want {
		t.Errorf("HashesWithPrefix(listed) = %x, want [%x]", got, want)
	}
	for _, expr := range []string{"maybe.example/x", "old.example/x", "nothing.example/"} {
		h := sha256.Sum256([]byte(expr))
		if got := ix.HashesWithPrefix(nil, prefix(h), now); len(got) != 0 {
			t.Errorf("HashesWithPrefix(%s) = %x, want none (suspicious, expired or unlisted)", expr, got)
		}
	}
	var doms []string
	ix.ScamDomains(now, func(d string) { doms = append(doms, d) })
	if len(doms) != 1 || doms[0] != "scam.example" {
		t.Errorf("ScamDomains = %q, want [scam.example]", doms)
	}
}

// TestRecordSize keeps a listed URL's record at 52 bytes: the memory per
// listed URL is mostly this.
func TestRecordSize(t *testing.T) {
	if n := unsafe.Sizeof(urlRec{}); n != 52 {
		t.Errorf("urlRec is %d bytes, want 52", n)
	}
}
