package phone

import (
	"regexp"
	"strings"
	"testing"
)

var e164 = regexp.MustCompile(`^\+[1-9][0-9]{6,15}$`)

var knownTypes = map[Type]bool{
	TollFree: true, PremiumRate: true, SharedCost: true, Mobile: true, FixedLine: true, FixedLineOrMobile: true,
	VoIP: true, Personal: true, Pager: true, UAN: true, Voicemail: true, Unknown: true,
}

func checkNumber(t *testing.T, n Number) {
	t.Helper()
	if !e164.MatchString(n.E164) {
		t.Fatalf("bad E164 %q in %+v", n.E164, n)
	}
	if n.Region == "" || !knownTypes[n.Type] {
		t.Fatalf("bad region or type in %+v", n)
	}
}

// fuzzSeeds are inputs from the table tests and from real pages.
var fuzzSeeds = []string{
	"Call +1 (844) 555-0142", "1 (888) 555-0123", "(866) 555 0123", "0800 123 456", "050-1234-5678",
	"+49 800 1234567", "+33 1 23 45 67 89", "+44 800 123 4567", "+43(0)-8000-18157", "(0101) 505 755 6579",
	"00 18 33 392 30 75", "001.855.703.0225", "+1 (833) 456 - 0462", "０１２０－１２３－４５６", "（０３）１２３４－５６７８",
	"8\u200b44-555-0142", "a\u00a0+1\u00a0844\u00a0555\u00a00142", "1-844-555-0142 1-888-555-0117",
	"02-12-2016", "192.168.1.10", "$1,299.00", "1694042833969", "abc8005550199x", "4111 1111 1111 1111",
	"94105-1234", "1-800-000-0000", "z-index: 2147483647", "M20 10a10 10 0 01-10 10 11 11 0 01-5.51",
	"+", "(((", "\xff+1\xc2\xa0844", "\xef\xbc", "¥1234567", "x(12 a_+1 $(844)", "1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17",
}

func FuzzFind(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s)
	}
	opts := Options{Regions: []string{"US", "JP", "FR", "DE", "GB"}, MaxCandidates: 32}
	f.Fuzz(func(t *testing.T, s string) {
		got := Find(s, opts)
		end := 0
		for _, n := range got {
			checkNumber(t, n)
			if n.Offset < end || n.Offset+len(n.Raw) > len(s) || s[n.Offset:n.Offset+len(n.Raw)] != n.Raw {
				t.Fatalf("bad offset %d for %q (previous ended at %d) in %q", n.Offset, n.Raw, end, s)
			}
			end = n.Offset + len(n.Raw)
			// The number as Find saw it reads the same on its own.
			if p, err := Parse(n.Raw, opts); err != nil || p.E164 != n.E164 {
				t.Fatalf("Find gave %+v, Parse(%q) = %+v, %v", n, n.Raw, p, err)
			}
		}
		if len(got) > 4*opts.MaxCandidates {
			t.Fatalf("%d results over the cap", len(got))
		}
	})
}

func FuzzParse(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s)
	}
	for _, s := range []string{
		"tel:+18445550142", "tel:%2B1%20844", "tel:8445550142;phone-context=+1", "skype:x?call", "sip:@", "sips:+1@",
		"callto://+1", "facetime-audio:", "tel:%EF%BC%90", "tel:+1-800-MICROSOFT", "tel:;;;;", "TEL:%", "",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n, err := Parse(s, Options{Regions: []string{"US", "JP", "GB"}})
		if err != nil {
			return
		}
		checkNumber(t, n)
		if n.Raw != strings.TrimSpace(s) {
			t.Fatalf("Raw %q for input %q", n.Raw, s)
		}
	})
}

func FuzzFromURL(f *testing.F) {
	for _, s := range []string{
		"https://x.example/?phone=18445550142", "https://x.example/?n1=%2B1-844-555-0142&ph=8445550142#ph=8445550143",
		"?a=%zz", "#ph=1", "http://[::1", "https://x.example/#/a?tel=0120-123-456", "?msg=Call+1-844-555-0142+now",
		"?=&&=&?#?#", "?p=" + strings.Repeat("%2B", 50),
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := FromURL(s, Options{Regions: []string{"US", "JP"}})
		if len(got) > maxParamNumber {
			t.Fatalf("%d results", len(got))
		}
		for _, p := range got {
			checkNumber(t, p.Number)
		}
	})
}

// regionPool: the regions hotlines are read in (issue 9); FuzzFindRegions
// picks its hints from it.
var regionPool = []string{"US", "CA", "GB", "IE", "AU", "NZ", "IN", "ZA", "FR", "BE", "CH", "LU", "DE", "AT", "IT", "ES",
	"PT", "BR", "MX", "AR", "NL", "SE", "DK", "NO", "FI", "PL", "CZ", "SK", "TR", "RU", "UA", "RO", "HU", "GR", "CN", "TW",
	"HK", "JP", "KR", "SA", "AE", "EG", "IL", "SG", "MY", "PH"}

// FuzzFindRegions: the region-aware scanner with any set of hinted
// regions (the bits of pick, from three start offsets in the pool).
func FuzzFindRegions(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s, uint64(0xFFFF))
	}
	for _, s := range []string{
		"8 (800) 123-45-67", "0 805 69 38 12", "80 12 34 56", "91 123 45 67", "(21) 3456-7890", "٨٠٠ ١٢٣ ٤٥٦٧", "१८०० १२३ ४५६७", "๑๘๐๐ ๐๑๒ ๓๔๕",
		"０１２０・１２３・４５６", "01·23·45·67·89", "2123 4567 2024 2025", "09\u202f70\u202f73\u200912\u201134",
		"800 12 345", "400-810-1234", "+48 22 123 45 67 800 123 456", "8002 1234",
	} {
		f.Add(s, uint64(0xFFFFFFFFFFFF))
	}
	f.Fuzz(func(t *testing.T, s string, pick uint64) {
		var regions []string
		for i, r := range regionPool {
			if pick&(1<<(i%64)) != 0 {
				regions = append(regions, r)
			}
		}
		opts := Options{Regions: regions, MaxCandidates: 32}
		hinted := map[string]bool{}
		for _, r := range regions[:min(len(regions), maxRegions)] {
			hinted[r] = true
		}
		if len(hinted) == 0 {
			hinted["US"] = true
		}
		end := 0
		for _, n := range Find(s, opts) {
			checkNumber(t, n)
			if n.Offset < end || n.Offset+len(n.Raw) > len(s) || s[n.Offset:n.Offset+len(n.Raw)] != n.Raw {
				t.Fatalf("bad offset %d for %q (previous ended at %d) in %q", n.Offset, n.Raw, end, s)
			}
			end = n.Offset + len(n.Raw)
			if n.Hint != "" && !hinted[n.Hint] {
				t.Fatalf("%+v read in a region not hinted (%v)", n, regions)
			}
			if p, err := Parse(n.Raw, opts); err != nil || p.E164 != n.E164 {
				t.Fatalf("Find gave %+v, Parse(%q) = %+v, %v", n, n.Raw, p, err)
			}
		}
	})
}
