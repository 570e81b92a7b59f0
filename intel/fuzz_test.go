package intel

import (
	"bytes"
	"context"
	"testing"

	"github.com/tssguard/tssguard/capture"
)

// FuzzFingerprint: any bytes, read as a page the way the scanner reads
// standard input, fingerprint without panicking, and the fingerprint
// round-trips through its binary form.
func FuzzFingerprint(f *testing.F) {
	f.Add([]byte(kitPage))
	f.Add([]byte(otherPage))
	f.Add([]byte("<script>'unterminated \\"))
	f.Add([]byte("<div class='a1 b2 c3'><div><div>+1 (888) 555-0100 https://x.example/?a=b</div>"))
	f.Add([]byte("\xef\xbb\xbf<svg><style>/* open"))
	f.Fuzz(func(t *testing.T, data []byte) {
		fps := []Signature{FingerprintHTML(data)}
		if c, err := capture.FromReader(context.Background(), bytes.NewReader(data), "fuzz", capture.Options{}); err == nil {
			fps = append(fps, Fingerprint(c))
		}
		for _, fp := range fps {
			b, err := fp.MarshalBinary()
			if err != nil {
				t.Fatal(err)
			}
			back, err := ParseFingerprint(b)
			if err != nil || back != fp {
				t.Fatalf("round trip: %v", err)
			}
			if s := fp.Similarity(fp); !fp.Empty() && s != 1 {
				t.Fatalf("self-similarity %v", s)
			}
		}
		_, _ = ParseFingerprint(data)
	})
}
