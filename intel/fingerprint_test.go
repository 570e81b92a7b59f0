package intel

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/tssguard/tssguard/capture"
)

const kitPage = `<!DOCTYPE html><html><head><title>Windows Defender Security Center</title>
<script src="https://cdn.tracker-a.example/js/track.js?id=5f3a9c1e2b7d4f60a8e1c3b5d7f9a2c4"></script>
<script>var phone = "+1 (888) 555-0142"; var ref = "https://scam-host-a.example/land?cid=98431&sub=abc";
document.title = "Call " + phone; history.pushState({}, "", "/x"); setInterval(function(){ alert("Error # 0x80070424") }, 5000);</script>
</head><body class="locked b-7731">
<div class="modal alert-box"><h1>Access to this PC has been blocked for security reasons</h1>
<p>Your computer has alerted us that it has been infected with a Trojan Spyware. The following data has been compromised:</p>
<ul><li>Email credentials</li><li>Banking passwords</li><li>Facebook login</li></ul>
<p>Call Windows Support <a href="tel:+18885550142">+1 (888) 555-0142</a> (Toll Free) immediately.</p>
<p>Ref: 5f3a9c1e-2b7d-4f60-a8e1-c3b5d7f9a2c4 — visit https://scam-host-a.example/help</p>
<button onclick="location='tel:+18885550142'">Call now</button></div></body></html>`

// swapped is kitPage as another operator deploys it.
func swapped() string {
	r := strings.NewReplacer(
		"+1 (888) 555-0142", "1-844-555-0199",
		"+18885550142", "+18445550199",
		"tracker-a.example", "cdn9.other-tracker.example",
		"5f3a9c1e2b7d4f60a8e1c3b5d7f9a2c4", "QmFzZTY0VHJhY2tpbmdJZGVudGlmaWVy",
		"scam-host-a.example/land?cid=98431&sub=abc", "fresh-domain-b.example/go?n1=77&src=zz",
		"scam-host-a.example/help", "www.fresh-domain-b.example/support",
		"5f3a9c1e-2b7d-4f60-a8e1-c3b5d7f9a2c4", "0b8e2d44-91aa-4c3e-b1f0-7d9e6c5a4b32",
		"0x80070424", "0x8024402C",
		"b-7731", "b-102",
		"5000", "3000",
	)
	return strings.ToUpper(r.Replace(kitPage[:40])) + strings.ReplaceAll(r.Replace(kitPage[40:]), "\n", "\n\t  ")
}

const otherPage = `<!DOCTYPE html><html><head><title>Local news</title></head><body>
<header class="site-header"><nav><a href="/">Home</a><a href="/sport">Sport</a></nav></header>
<article><h2>Council approves new library budget</h2><p>The city council voted on Tuesday to expand
opening hours at the central library, after residents asked for weekend access.</p>
<p>Questions? Call the library desk on (555) 010-2000.</p></article>
<footer><p>Copyright the Gazette</p></footer></body></html>`

func TestFingerprintIgnoresSwaps(t *testing.T) {
	a, b := FingerprintHTML([]byte(kitPage)), FingerprintHTML([]byte(swapped()))
	if a.Empty() || b.Empty() {
		t.Fatal("empty fingerprint")
	}
	for s := range numSections {
		if got := a.SectionSimilarity(b, s); got < 0.9 {
			t.Errorf("section %s: similarity %.2f after swapping numbers, hosts, IDs, case and spacing; want >= 0.9", sections[s].name, got)
		}
	}
	if got := a.Similarity(FingerprintHTML([]byte(otherPage))); got > 0.1 {
		t.Errorf("kit page vs news page: similarity %.2f, want <= 0.1", got)
	}
}

func TestFingerprintScriptFiles(t *testing.T) {
	page := func(src, body string) *capture.Capture {
		return &capture.Capture{
			Documents: []capture.Document{{Frame: "main", Body: []byte(`<html><body><p>Hello there reader</p><script src="` + src + `"></script></body></html>`)}},
			Resources: []capture.Resource{{Kind: capture.KindScript, Ref: src, Body: []byte(body)}},
		}
	}
	lock := "navigator.keyboard.lock(); document.onkeydown = function (e) { return false; }; var n = '+1-888-555-0100';"
	a := Fingerprint(page("js/esc.js?v=123", lock))
	b := Fingerprint(page("https://other.example/static/js/esc.js?cb=9", strings.ReplaceAll(strings.ReplaceAll(lock, "888-555-0100", "877-555-0111"), " ", "\r\n")))
	if got := a.SectionSimilarity(b, secCode); got != 1 {
		t.Errorf("same script, other number, host and line endings: code similarity %.2f, want 1", got)
	}
	c := Fingerprint(page("js/app.js", "fetch('/api').then(r => r.json()).then(render)"))
	if got := a.SectionSimilarity(c, secCode); got > 0.2 {
		t.Errorf("different scripts: code similarity %.2f", got)
	}
}

func TestWordTokens(t *testing.T) {
	toks := func(s string) []uint64 {
		var out []uint64
		wordTokens([]byte(s), 1000, func(t uint64) { out = append(out, t) })
		return out
	}
	same := [][2]string{
		{"Call +1 (888) 555-0142 now", "CALL 1-844-555-0199   now"},
		{"visit https://a.example/x?y=1 today", "visit www.b.example today"},
		{"id 5f3a9c1e-2b7d-4f60-a8e1-c3b5d7f9a2c4 end", "id 42 end"},
		{"token QmFzZTY0VHJhY2tpbmdJZGVudGlmaWVyQQ x", "token AbCdEfGhIjKlMnOpQrStUvWxYz x"},
		{"Sécurité Windows", "SÉCURITÉ windows"},
	}
	for _, p := range same {
		if a, b := toks(p[0]), toks(p[1]); !equalU64(a, b) {
			t.Errorf("%q and %q normalise differently: %v vs %v", p[0], p[1], a, b)
		}
	}
	if a, b := toks("call support"), toks("call sales"); equalU64(a, b) {
		t.Error("different words normalise alike")
	}
}

func equalU64(a, b []uint64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestSignatureRoundTrip(t *testing.T) {
	s := FingerprintHTML([]byte(kitPage))
	b, err := s.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	if len(b) != sigBytes {
		t.Fatalf("encoded %d bytes, want %d", len(b), sigBytes)
	}
	got, err := ParseFingerprint(b)
	if err != nil {
		t.Fatal(err)
	}
	if got != s || got.ID() != s.ID() || got.Similarity(s) != 1 {
		t.Fatal("round trip changed the signature")
	}
	if len(s.ID()) != 16 {
		t.Errorf("ID %q: want 16 hex digits", s.ID())
	}
	for _, bad := range [][]byte{nil, []byte("TFP"), b[:len(b)-1], append(bytes.Clone(b), 0), append([]byte("TFP\x09"), b[4:]...), append([]byte("XYZ"), b[3:]...)} {
		if _, err := ParseFingerprint(bad); !errors.Is(err, ErrFingerprint) {
			t.Errorf("ParseFingerprint(%d bytes): err %v, want ErrFingerprint", len(bad), err)
		}
	}
}

func TestEmptySignature(t *testing.T) {
	var zero Signature
	e := Fingerprint(nil)
	if !e.Empty() || !FingerprintHTML(nil).Empty() {
		t.Fatal("nothing to read should give an empty signature")
	}
	if e.Similarity(e) != 0 || zero.Similarity(FingerprintHTML([]byte(kitPage))) != 0 {
		t.Error("empty signatures must be similar to nothing")
	}
}

func TestFingerprintHostile(t *testing.T) {
	deep := bytes.Repeat([]byte("<div><span class='a1 b2'>"), 100000)
	big := bytes.Repeat([]byte("<p>lorem ipsum 12345 dolor</p><script>var a=1;</script>"), 1<<20) // ~57 MB
	junk := make([]byte, 1<<20)
	for i := range junk {
		junk[i] = byte(i * 7919 >> 3)
	}
	unterminated := []byte("<script>var s = 'never closed ")
	for name, doc := range map[string][]byte{"deep": deep, "big": big, "junk": junk, "unterminated": unterminated} {
		s := FingerprintHTML(doc)
		if name != "junk" && s.Empty() {
			t.Errorf("%s: empty fingerprint", name)
		}
	}
}
