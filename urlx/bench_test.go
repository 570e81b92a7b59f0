package urlx

import "testing"

func BenchmarkCanonicalize(b *testing.B) {
	for _, bc := range []struct{ name, url string }{
		{"canonical", "https://support-alert.pages.dev/windows/error/index.html?phone=1-800-555-1234"},
		{"messy", "HTTP://Support-Alert.PAGES.dev.:443/windows/./x/../error//index.html?phone=1%2D800#frag"},
		{"escaped", "http://host/%25%32%35%25%32%35/%31%36%38%2e/a%20b"},
	} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := Canonicalize(bc.url); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkExpressions(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		Expressions("http://a.b.c.d.e.f.g/1/2/3/4/5.html?param=1")
	}
}

func BenchmarkRegistrableDomain(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := RegistrableDomain("www.support-alert.co.uk"); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkSplitSuffixesVariants is what a lookup does to a canonical URL
// before it hashes anything.
func BenchmarkSplitSuffixesVariants(b *testing.B) {
	const canon = "https://www.support-help123.pages.dev/windows/error/index.html?phone=1-800-555-1234"
	var hb [MaxHosts]string
	var pb [MaxPaths]string
	for b.Loop() {
		host, pq := Split(canon)
		if len(HostSuffixes(hb[:0], host)) == 0 || len(PathVariants(pb[:0], pq)) == 0 {
			b.Fatal("none")
		}
	}
}
