package phone

import (
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"testing"

	"github.com/tssguard/tssguard/internal/testdirs"
)

func TestFind(t *testing.T) {
	regions := Options{Regions: []string{"US", "JP", "FR", "DE", "GB"}}
	tests := []struct {
		text string
		want []Number // Raw, E164, Region, Type, Offset
	}{
		{"Call +1(855) 343-6624 now", []Number{{"+1(855) 343-6624", "+18553436624", "US", TollFree, 5}}},
		{"Windows Support: 1-844-555-0142 (toll free)", []Number{{"1-844-555-0142", "+18445550142", "US", TollFree, 17}}},
		{"(866) 555 0123", []Number{{"(866) 555 0123", "+18665550123", "US", TollFree, 0}}},
		{"call 1.844.555.0142.", []Number{{"1.844.555.0142", "+18445550142", "US", TollFree, 5}}},
		{"Tel:+18445550142", []Number{{"+18445550142", "+18445550142", "US", TollFree, 4}}},
		{"8445550142", []Number{{"8445550142", "+18445550142", "US", TollFree, 0}}},
		{"050 5437 7756 まで", []Number{{"050 5437 7756", "+815054377756", "JP", VoIP, 0}}},
		{"0800 123 456", []Number{{"0800 123 456", "+33800123456", "FR", TollFree, 0}}},
		{"+49 800 1234567", []Number{{"+49 800 1234567", "+498001234567", "DE", TollFree, 0}}},
		{"+44 800 123 4567", []Number{{"+44 800 123 4567", "+448001234567", "GB", TollFree, 0}}},
		{"0044 800 123 4567", []Number{{"0044 800 123 4567", "+448001234567", "GB", TollFree, 0}}},
		{"two: 1-888-555-0117 and +1 877 555 0100", []Number{
			{"1-888-555-0117", "+18885550117", "US", TollFree, 5},
			{"+1 877 555 0100", "+18775550100", "US", TollFree, 24}}},
		{"a\u00a0+1\u00a0844\u00a0555\u00a00142", []Number{{"+1\u00a0844\u00a0555\u00a00142", "+18445550142", "US", TollFree, 3}}},
		// Not numbers.
		{"02-12-2016", nil},
		{"2016/12/02 and 12.02.2016", nil},
		{"192.168.1.10", nil},
		{"51,900 objects scanned", nil},
		{"$1,299.00", nil},
		{"¥12345678", nil},
		{"id 1694042833969", nil},
		{"abc8005550199x", nil},
		{"4111 1111 1111 1111", nil},
		{"94105-1234", nil},
		{"v1.2.3.4", nil},
		{"10:30:45", nil},
		{"1-800-000-0000 (placeholder)", nil},
		{"000-0000-0000", nil},
		{"order ABC-8445550142", nil},
		{"width: 1234567px", nil},
		{"x(12 a_+1 $(844)", nil}, // once looped forever: '(' after a blocking character
		{"", nil},
		{"Call 844 555 0142 24 hours a day", []Number{{"844 555 0142", "+18445550142", "US", TollFree, 5}}},
		{"1-844-555-0142 1-888-555-0117", []Number{
			{"1-844-555-0142", "+18445550142", "US", TollFree, 0},
			{"1-888-555-0117", "+18885550117", "US", TollFree, 15}}},
	}
	for _, tt := range tests {
		got := Find(tt.text, regions)
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("Find(%q)\n got %+v\nwant %+v", tt.text, got, tt.want)
		}
	}
}

func TestFindDefaultRegionIsUS(t *testing.T) {
	got := Find("Call 844-555-0142", Options{})
	if len(got) != 1 || got[0].E164 != "+18445550142" {
		t.Fatalf("got %+v", got)
	}
	if got := Find("050 5437 7756", Options{}); len(got) != 0 {
		t.Errorf("a Japanese number without a JP hint should not validate as US: %+v", got)
	}
}

func TestFindBoundsWork(t *testing.T) {
	text := strings.Repeat("1-844-555-0142 ", 10000)
	if got := Find(text, Options{MaxCandidates: 10}); len(got) != 40 {
		t.Errorf("len = %d, want the result cap of 4×10", len(got))
	}
	distinct := ""
	for i := range 2000 {
		distinct += fmt.Sprintf("+1 844 555 %04d ", i)
	}
	if got := Find(distinct, Options{MaxCandidates: 10}); len(got) != 10 {
		t.Errorf("len = %d, want 10 distinct numbers under a cap of 10 validations", len(got))
	}
}

func TestParse(t *testing.T) {
	tests := []struct{ in, e164 string }{
		{"tel:+18445550142", "+18445550142"},
		{"TEL:+1-844-555-0142", "+18445550142"},
		{"tel:%2B1%20844%20555%200142", "+18445550142"},
		{"tel:+18445550142;ext=12", "+18445550142"},
		{"callto:18445550142", "+18445550142"},
		{"skype:+18445550142?call", "+18445550142"},
		{"sip:+18445550142@voip.example", "+18445550142"},
		{"facetime-audio:+18445550142", "+18445550142"},
		{"facetime://+18445550142", "+18445550142"},
		{"(844) 555-0142", "+18445550142"},
	}
	for _, tt := range tests {
		n, err := Parse(tt.in, Options{})
		if err != nil || n.E164 != tt.e164 {
			t.Errorf("Parse(%q) = %+v, %v; want %s", tt.in, n, err, tt.e164)
		}
	}
	for _, bad := range []string{"", "tel:", "tel:123", "tel:+1-800-000-0000", "mailto:a@b", strings.Repeat("9", 100), "tel:%zz"} {
		if n, err := Parse(bad, Options{}); err == nil {
			t.Errorf("Parse(%q) = %+v, want an error", bad, n)
		}
	}
}

func TestFromURL(t *testing.T) {
	got := FromURL("https://x.example/?phone=18445550142&n1=%2B1-844-555-0143&q=hello&id=42#ph=8445550144", Options{})
	want := []ParamNumber{
		{"n1", Number{"+1-844-555-0143", "+18445550143", "US", TollFree, 0}},
		{"phone", Number{"18445550142", "+18445550142", "US", TollFree, 0}},
		{"ph", Number{"8445550144", "+18445550144", "US", TollFree, 0}},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("FromURL\n got %+v\nwant %+v", got, want)
	}
	for _, u := range []string{"", "::::", "https://x.example/", "https://x.example/?a=%zz", "https://x.example/?phone=" + strings.Repeat("1", 200)} {
		if got := FromURL(u, Options{}); len(got) != 0 {
			t.Errorf("FromURL(%q) = %+v, want none", u, got)
		}
	}
}

func TestRegionsForLang(t *testing.T) {
	tests := map[string][]string{
		"ja":    {"JP", "US"},
		"de-AT": {"AT", "DE", "CH", "US"},
		"fr":    {"FR", "CA", "BE", "CH", "US"},
		"en_GB": {"GB", "US", "CA", "AU", "IN", "IE", "NZ"},
		"":      {"US"},
		"xx":    {"US"},
	}
	for lang, want := range tests {
		if got := RegionsForLang(lang); !reflect.DeepEqual(got, want) {
			t.Errorf("RegionsForLang(%q) = %v, want %v", lang, got, want)
		}
	}
}

var tags = regexp.MustCompile(`(?s)<script.*?</script>|<style.*?</style>|<[^>]*>`)

// TestCorpusHotlines: the hotlines of real scam pages are found in their
// visible text.
func TestCorpusHotlines(t *testing.T) {
	dir, ok := testdirs.Corpus()
	if !ok {
		t.Skip("shared corpus not present")
	}
	tests := map[string]string{
		"scam/swan__index.html":        "+18553436624",
		"scam/njmpop__mac_r123.html":   "+18446360496",
		"scam/fakevirus__index.html":   "+815054377756",
		"scam/interesting__index.html": "+15057556579",
	}
	for file, want := range tests {
		b, err := os.ReadFile(filepath.Join(dir, file))
		if err != nil {
			t.Errorf("%s: %v", file, err)
			continue
		}
		text := tags.ReplaceAllString(string(b), " ")
		found := false
		for _, n := range Find(text, Options{Regions: []string{"US", "JP"}}) {
			if n.E164 == want {
				found = true
			}
		}
		if !found {
			t.Errorf("%s: %s not found; got %+v", file, want, Find(text, Options{Regions: []string{"US", "JP"}}))
		}
	}
}

func FuzzFind(f *testing.F) {
	for _, s := range []string{"Call +1 (844) 555-0142", "02-12-2016", "+", "(((", "1-800-000-0000", "\xff+1\xc2\xa0844", "¥1234567"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, n := range Find(s, Options{Regions: []string{"US", "JP"}}) {
			if n.Offset < 0 || n.Offset+len(n.Raw) > len(s) || s[n.Offset:n.Offset+len(n.Raw)] != n.Raw {
				t.Fatalf("bad offset %d for %q in %q", n.Offset, n.Raw, s)
			}
			if !strings.HasPrefix(n.E164, "+") {
				t.Fatalf("E164 %q", n.E164)
			}
		}
	})
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{"tel:+18445550142", "tel:%2B1", "skype:x?call", "sip:@", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if n, err := Parse(s, Options{}); err == nil && !strings.HasPrefix(n.E164, "+") {
			t.Fatalf("E164 %q", n.E164)
		}
	})
}

func FuzzFromURL(f *testing.F) {
	for _, s := range []string{"https://x/?phone=18445550142", "?a=%zz", "#ph=1", "http://[::1"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, p := range FromURL(s, Options{}) {
			if p.Param == "" && p.Number.E164 == "" {
				t.Fatal("empty result")
			}
		}
	})
}

func BenchmarkFind(b *testing.B) {
	var sb strings.Builder
	for sb.Len() < 100<<10 {
		sb.WriteString("Scanned objects 51,900. Time spent 5 secs, on 02-12-2016 at 10:30:45. Price $1,299.00. Build 1.2.3.4 id 1694042833969. ")
		sb.WriteString("Call Windows Support +1 (844) 555-0142 (toll free). ")
	}
	text := sb.String()
	opts := Options{Regions: []string{"US"}}
	b.SetBytes(int64(len(text)))
	b.ReportAllocs()
	for b.Loop() {
		Find(text, opts)
	}
}
