package urlx

import (
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

// hostSuffixesByScan is HostSuffixes as first written: a scan for the
// last five components, then one suffix per leading component removed.
func hostSuffixesByScan(dst []string, host string) []string {
	dst = append(dst, host)
	if IsIP(host) {
		return dst
	}
	n := 0
	start := len(host)
	for i := len(host) - 1; i >= 0; i-- {
		if host[i] == '.' {
			n++
			start = i + 1
			if n == 5 {
				break
			}
		}
	}
	if n < 5 {
		start = 0
	}
	for s := host[start:]; ; {
		if len(s) != len(host) {
			dst = append(dst, s)
		}
		i := strings.IndexByte(s, '.')
		if i < 0 || strings.IndexByte(s[i+1:], '.') < 0 {
			break
		}
		s = s[i+1:]
	}
	return dst
}

// splitByIndexAny is Split as first written.
func splitByIndexAny(canonical string) (host, pathQuery string) {
	s := canonical
	switch {
	case strings.HasPrefix(s, "http://"):
		s = s[len("http://"):]
	case strings.HasPrefix(s, "https://"):
		s = s[len("https://"):]
	}
	i := strings.IndexAny(s, "/?")
	if i < 0 {
		return s, "/"
	}
	if s[i] == '?' {
		return s[:i], "/" + s[i:]
	}
	return s[:i], s[i:]
}

// TestHostSuffixesAndSplitAsScanned compares HostSuffixes and Split with
// their first versions on odd and random hosts: empty labels, leading and
// trailing dots, digits, IP addresses and near misses.
func TestHostSuffixesAndSplitAsScanned(t *testing.T) {
	hosts := []string{
		"", ".", "..", "a", "a.", ".a", "a.b", "a..b", "a..b.c", ".a.b", "a.b.", "a.b.c.d.e",
		"a.b.c.d.e.f", "a.b.c.d.e.f.g.h", "1.2.3.4", "1.2.3.4.5", "1.2.3", "a.1.2.3.4", "[::1]",
		"[", "999.1.1.1", "1.2.3.a", "x.9", "www.support-help123.pages.dev",
	}
	r := rand.New(rand.NewPCG(1, 2))
	const alphabet = "ab1.9[]"
	for range 20000 {
		b := make([]byte, r.IntN(14))
		for i := range b {
			b[i] = alphabet[r.IntN(len(alphabet))]
		}
		hosts = append(hosts, string(b))
	}
	for _, h := range hosts {
		if got, want := HostSuffixes(nil, h), hostSuffixesByScan(nil, h); !slices.Equal(got, want) {
			t.Fatalf("HostSuffixes(%q) = %q, first version %q", h, got, want)
		}
		for _, u := range []string{h, "http://" + h + "/p?q", "https://" + h + "?q/", h + "/x"} {
			gh, gp := Split(u)
			wh, wp := splitByIndexAny(u)
			if gh != wh || gp != wp {
				t.Fatalf("Split(%q) = %q %q, first version %q %q", u, gh, gp, wh, wp)
			}
		}
	}
}
