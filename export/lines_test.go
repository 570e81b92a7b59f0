package export

import (
	"bytes"
	"context"
	"errors"
	"regexp"
	"strings"
	"testing"
)

// commentsAndBody splits a '#'-commented file, checking the header and
// the trailing count.
func commentsAndBody(t *testing.T, out, prefix string, wantEntries string) []string {
	t.Helper()
	ls := lines(out)
	if !strings.HasPrefix(ls[0], prefix+"Title: tssguard test list") {
		t.Errorf("first line %q", ls[0])
	}
	if !strings.Contains(out, prefix+"Generated: 2025-06-01T12:00:00Z\n") {
		t.Errorf("no Generated line")
	}
	if last := ls[len(ls)-1]; last != prefix+"Entries: "+wantEntries {
		t.Errorf("last line %q, want count %s", last, wantEntries)
	}
	if skipped := ls[len(ls)-2]; skipped != prefix+"Skipped: 8 invalid, 2 duplicate, 1 expired" && wantEntries == "4" {
		t.Errorf("skipped line %q", skipped)
	}
	var body []string
	for _, l := range ls {
		if !strings.HasPrefix(l, strings.TrimSpace(prefix)) {
			body = append(body, l)
		}
	}
	return body
}

func TestDomains(t *testing.T) {
	out := run(t, Domains, fixture(), testMeta())
	body := commentsAndBody(t, out, "# ", "4")
	sameList(t, "domains", body, wantDomains)
}

func TestHosts(t *testing.T) {
	out := run(t, Hosts, fixture(), testMeta())
	body := commentsAndBody(t, out, "# ", "4")
	var names []string
	for _, l := range body {
		f := strings.Fields(l)
		if len(f) != 2 || f[0] != "0.0.0.0" || l != f[0]+" "+f[1] {
			t.Fatalf("bad hosts line %q", l)
		}
		names = append(names, f[1])
	}
	want := []string{
		"example-scam.com", "www.example-scam.com",
		"xn--bcher-kva.de", "www.xn--bcher-kva.de",
		"foo.blogspot.com", "www.foo.blogspot.com",
		"www.already.com",
	}
	sameList(t, "hosts", names, want)
}

func TestDnsmasq(t *testing.T) {
	out := run(t, Dnsmasq, fixture(), testMeta())
	body := commentsAndBody(t, out, "# ", "4")
	re := regexp.MustCompile(`^address=/([a-z0-9.-]+)/0\.0\.0\.0$`)
	var got []string
	for _, l := range body {
		m := re.FindStringSubmatch(l)
		if m == nil {
			t.Fatalf("bad dnsmasq line %q", l)
		}
		got = append(got, m[1])
	}
	sameList(t, "dnsmasq", got, wantDomains)
}

func TestUnbound(t *testing.T) {
	out := run(t, Unbound, fixture(), testMeta())
	body := commentsAndBody(t, out, "# ", "4")
	if len(body) == 0 || body[0] != "server:" {
		t.Fatalf("no server: clause: %q", body)
	}
	re := regexp.MustCompile(`^\tlocal-zone: "([a-z0-9.-]+)\." always_nxdomain$`)
	var got []string
	for _, l := range body[1:] {
		m := re.FindStringSubmatch(l)
		if m == nil {
			t.Fatalf("bad unbound line %q", l)
		}
		got = append(got, m[1])
	}
	sameList(t, "unbound", got, wantDomains)
}

// Every format drops expired and hostile indicators, is deterministic, and
// stops when the consumer fails.
func TestAllFormatsCommon(t *testing.T) {
	for _, f := range Formats() {
		t.Run(f.Name, func(t *testing.T) {
			a := run(t, f, fixture(), testMeta())
			b := run(t, f, fixture(), testMeta())
			if a != b {
				t.Errorf("output differs between runs")
			}
			for _, bad := range []string{"evil", "expired-scam", "expired.example", "+18005550000", "\r", "co.uk", "192.168", "\n||injected"} {
				if strings.Contains(a, bad) {
					t.Errorf("output contains %q", bad)
				}
			}
			if strings.Contains(strings.ReplaceAll(a, "blogspot.com\n", ""), " blogspot.com") {
				t.Errorf("lists the public suffix blogspot.com")
			}
			errStop := errors.New("consumer gone")
			fw := &failWriter{after: 100, err: errStop}
			big := synthetic{n: 200000}
			if err := f.Write(context.Background(), fw, big, testMeta()); !errors.Is(err, errStop) {
				t.Errorf("write to a failing writer: %v", err)
			}
			if big.n > 0 && fw.calls > 2 && f.Name != "urlblocklist" {
				t.Errorf("%d writes after the writer failed", fw.calls)
			}
			ctx, cancel := context.WithCancel(context.Background())
			cancel()
			if err := f.Write(ctx, &bytes.Buffer{}, big, testMeta()); !errors.Is(err, context.Canceled) {
				t.Errorf("cancelled context: %v", err)
			}
		})
	}
}

type failWriter struct {
	after int
	calls int
	err   error
}

func (w *failWriter) Write(p []byte) (int, error) {
	w.calls++
	if w.after > len(p) {
		w.after -= len(p)
		return len(p), nil
	}
	return 0, w.err
}
