package export

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"
)

var gen = time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)

func testMeta() Meta {
	return Meta{
		Title:     "tssguard test list",
		Homepage:  "https://tssguard.example/feeds",
		Generated: gen,
		Refresh:   36 * time.Hour,
	}
}

func day0(d int) time.Time { return gen.AddDate(0, 0, d) }

// fixture is the known set every format is tested on. Values containing
// "evil" or "expired" must never appear in any output.
func fixture() Slice {
	live := day0(30)
	past := day0(-1)
	return Slice{Items: []Indicator{
		{Kind: Domain, Value: "Example-Scam.COM.", Verdict: "scam", Brand: "Microsoft", Evidence: "fake BSOD\n||injected.example^$document", FirstSeen: day0(-10), LastSeen: day0(-1), Expires: live, Sightings: 5, Campaign: "camp-1"},
		{Kind: Domain, Value: "expired-scam.net", Verdict: "scam", Expires: past, Sightings: 100},
		{Kind: Domain, Value: "bücher.de", Verdict: "suspicious", Brand: "Apple \"Support\"; x", Expires: live, Sightings: 2, LastSeen: day0(-2)},
		{Kind: Domain, Value: "XN--BCHER-KVA.DE", Verdict: "scam", Expires: live}, // duplicate of the IDN
		{Kind: Domain, Value: "example-scam.com", Verdict: "scam", Expires: live}, // duplicate
		{Kind: Domain, Value: "foo.blogspot.com", Verdict: "scam", Expires: time.Time{}, Sightings: 1},
		{Kind: Domain, Value: "www.already.com", Verdict: "scam", Expires: live, Sightings: 3},
		{Kind: Domain, Value: "evil.com\n0.0.0.0 google.com", Verdict: "scam", Expires: live},
		{Kind: Domain, Value: "evil space.com", Expires: live},
		{Kind: Domain, Value: `evil.com"; sid:1;`, Expires: live},
		{Kind: Domain, Value: "evil.com/", Expires: live},
		{Kind: Domain, Value: "co.uk", Expires: live},
		{Kind: Domain, Value: "blogspot.com", Expires: live},
		{Kind: Domain, Value: "192.168.0.1", Expires: live},
		{Kind: Domain, Value: "*.evil.com", Expires: live},
		{Kind: URL, Value: "https://Sites.Google.com/view/scam-page?x=1#frag", Verdict: "scam", Expires: live, Sightings: 4, LastSeen: day0(-3)},
		{Kind: URL, Value: "trusted.example.org/redirect?phone=", Verdict: "scam", Expires: live, Sightings: 9},
		{Kind: URL, Value: "https://evil.example.org/a$b", Expires: live},
		{Kind: URL, Value: "https://evil.example.org/a b", Expires: live},
		{Kind: URL, Value: "javascript://evil.example.org/", Expires: live},
		{Kind: URL, Value: "https://expired.example.org/x", Expires: past},
		{Kind: Number, Value: "+18005551234", Verdict: "scam", NumberType: "toll_free", Region: "us", FirstSeen: day0(-20), LastSeen: day0(-1), Campaign: "camp-1", Brand: "Microsoft", Sightings: 7, Expires: live},
		{Kind: Number, Value: "+442071234567", Verdict: "scam", NumberType: "fixed_line", Region: "GB", Status: "active", Brand: "=HYPERLINK(\"x\")", Sightings: 1},
		{Kind: Number, Value: "+18005550000", Expires: past},
		{Kind: Number, Value: "+1 800 555\n1234", Expires: live},
		{Kind: Number, Value: "+18005551234", Expires: live}, // duplicate
	}}
}

// wantDomains is the domains of fixture(), normalised, in source order.
var wantDomains = []string{"example-scam.com", "xn--bcher-kva.de", "foo.blogspot.com", "www.already.com"}

func run(t testing.TB, f Format, src Source, meta Meta) string {
	t.Helper()
	var b bytes.Buffer
	if err := f.Write(context.Background(), &b, src, meta); err != nil {
		t.Fatalf("%s: %v", f.Name, err)
	}
	return b.String()
}

func lines(s string) []string {
	return strings.Split(strings.TrimSuffix(s, "\n"), "\n")
}

func sameList(t *testing.T, what string, got, want []string) {
	t.Helper()
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("%s:\n got %q\nwant %q", what, got, want)
	}
}
