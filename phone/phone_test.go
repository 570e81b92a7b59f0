package phone

import (
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"
)

// many is the region list most tests use: every region the brief names.
var many = Options{Regions: []string{"US", "JP", "FR", "DE", "GB", "IT", "AU"}}

func TestFindFormats(t *testing.T) {
	tests := []struct {
		name string
		text string
		opts Options
		want []Number // Raw, E164, Region, Type, Offset
	}{
		// NANP, as support hotlines are written.
		{"dashes +1", "Call +1-844-555-0199 now", Options{}, []Number{{"+1-844-555-0199", "+18445550199", "US", TollFree, 5, ""}}},
		{"1 (area)", "1 (888) 555-0123", Options{}, []Number{{"1 (888) 555-0123", "+18885550123", "US", TollFree, 0, ""}}},
		{"(area) spaces", "(866) 555 0123", Options{}, []Number{{"(866) 555 0123", "+18665550123", "US", TollFree, 0, ""}}},
		{"+1(area)", "Call +1(855) 343-6624 now", Options{}, []Number{{"+1(855) 343-6624", "+18553436624", "US", TollFree, 5, ""}}},
		{"+1-(area)-", "+1-(844)-439-7099", Options{}, []Number{{"+1-(844)-439-7099", "+18444397099", "US", TollFree, 0, ""}}},
		{"1(area)", "1(661)459-3246", Options{}, []Number{{"1(661)459-3246", "+16614593246", "US", FixedLineOrMobile, 0, ""}}},
		{"spaced dash", "+1 (833) 456 - 0462", Options{}, []Number{{"+1 (833) 456 - 0462", "+18334560462", "US", TollFree, 0, ""}}},
		{"dots", "call 1.844.555.0142.", Options{}, []Number{{"1.844.555.0142", "+18445550142", "US", TollFree, 5, ""}}},
		{"slash", "844/555-0142", Options{}, []Number{{"844/555-0142", "+18445550142", "US", TollFree, 0, ""}}},
		{"bare 10", "8445550142", Options{}, []Number{{"8445550142", "+18445550142", "US", TollFree, 0, ""}}},
		{"bare 11 in text", "> 18339825135 <", Options{}, []Number{{"18339825135", "+18339825135", "US", TollFree, 2, ""}}},
		{"+ bare", "Tel:+18445550142", Options{}, []Number{{"+18445550142", "+18445550142", "US", TollFree, 4, ""}}},
		{"plus space", "+ 1-804-454-4369", Options{}, []Number{{"+ 1-804-454-4369", "+18044544369", "US", FixedLineOrMobile, 0, ""}}},
		{"en dash", "1–800–555–0199", Options{}, []Number{{"1–800–555–0199", "+18005550199", "US", TollFree, 0, ""}}},
		{"NBSP", "a\u00a0+1\u00a0844\u00a0555\u00a00142", Options{}, []Number{{"+1\u00a0844\u00a0555\u00a00142", "+18445550142", "US", TollFree, 3, ""}}},
		{"narrow NBSP", "+1\u202f844\u202f555\u202f0142", Options{}, []Number{{"+1\u202f844\u202f555\u202f0142", "+18445550142", "US", TollFree, 0, ""}}},
		{"zero-width inside", "8\u200b44-555-0142", Options{}, []Number{{"8\u200b44-555-0142", "+18445550142", "US", TollFree, 0, ""}}},
		{"in brackets", "Support(1-844-555-0142)", Options{}, []Number{{"1-844-555-0142", "+18445550142", "US", TollFree, 8, ""}}},
		{"quoted JS", `var phone = '+1-833-534-3873';`, Options{}, []Number{{"+1-833-534-3873", "+18335343873", "US", TollFree, 13, ""}}},
		{"three spaces", "(478)   777-3201", Options{}, []Number{{"(478)   777-3201", "+14787773201", "US", FixedLineOrMobile, 0, ""}}},
		{"555 fictional is valid", "(800) 555-0199", Options{}, []Number{{"(800) 555-0199", "+18005550199", "US", TollFree, 0, ""}}},

		// Europe, Japan, Australia.
		{"FR national", "0800 123 456", Options{Regions: []string{"FR"}}, []Number{{"0800 123 456", "+33800123456", "FR", TollFree, 0, ""}}},
		{"FR pairs", "Appelez le 09 70 50 12 35.", Options{Regions: []string{"FR", "US"}}, []Number{{"09 70 50 12 35", "+33970501235", "FR", VoIP, 11, ""}}},
		{"FR +33", "+33 1 23 45 67 89", Options{}, []Number{{"+33 1 23 45 67 89", "+33123456789", "FR", FixedLine, 0, ""}}},
		{"FR +33 (0)", "+33 (0)1 23 45 67 89", Options{}, []Number{{"+33 (0)1 23 45 67 89", "+33123456789", "FR", FixedLine, 0, ""}}},
		{"DE +49", "+49 800 1234567", Options{}, []Number{{"+49 800 1234567", "+498001234567", "DE", TollFree, 0, ""}}},
		{"DE national", "Hotline: 0800 1234567", Options{Regions: []string{"DE"}}, []Number{{"0800 1234567", "+498001234567", "DE", TollFree, 9, ""}}},
		{"DE slash", "089/1234567", Options{Regions: []string{"DE"}}, []Number{{"089/1234567", "+49891234567", "DE", FixedLine, 0, ""}}},
		{"AT (0)", "+43(0)-8000-18157", Options{}, []Number{{"+43(0)-8000-18157", "+43800018157", "AT", TollFree, 0, ""}}},
		{"AT mobile", "Support anrufen: 0660-9661921", Options{Regions: []string{"AT", "DE"}}, []Number{{"0660-9661921", "+436609661921", "AT", Mobile, 17, ""}}},
		{"UK +44", "+44 800 123 4567", Options{}, []Number{{"+44 800 123 4567", "+448001234567", "GB", TollFree, 0, ""}}},
		{"UK 0044", "0044 800 123 4567", Options{}, []Number{{"0044 800 123 4567", "+448001234567", "GB", TollFree, 0, ""}}},
		{"UK (0)", "+44 (0)20 7946 0018", Options{}, []Number{{"+44 (0)20 7946 0018", "+442079460018", "GB", FixedLine, 0, ""}}},
		{"UK national", "020 7946 0018", Options{Regions: []string{"GB"}}, []Number{{"020 7946 0018", "+442079460018", "GB", FixedLine, 0, ""}}},
		{"IT mobile", "347 234 5678", Options{Regions: []string{"IT", "US"}}, []Number{{"347 234 5678", "+393472345678", "IT", Mobile, 0, ""}}},
		{"IT fixed", "+39 06 1234 5678", Options{}, []Number{{"+39 06 1234 5678", "+390612345678", "IT", FixedLine, 0, ""}}},
		{"JP VoIP", "050-1234-5678", Options{Regions: []string{"JP"}}, []Number{{"050-1234-5678", "+815012345678", "JP", VoIP, 0, ""}}},
		{"JP free dial", "電話0120-123-456まで", Options{Regions: []string{"JP"}}, []Number{{"0120-123-456", "+81120123456", "JP", TollFree, 6, ""}}},
		{"JP (03)", "(03) 5050 1795", Options{Regions: []string{"JP", "US"}}, []Number{{"(03) 5050 1795", "+81350501795", "JP", FixedLine, 0, ""}}},
		{"JP IDD 010 to US", "(0101) 505 755 6579", Options{Regions: []string{"JP", "US"}}, []Number{{"(0101) 505 755 6579", "+15057556579", "US", FixedLineOrMobile, 0, ""}}},
		{"JP IDD 010-1", "0101-888-365-7259", Options{Regions: []string{"JP"}}, []Number{{"0101-888-365-7259", "+18883657259", "US", TollFree, 0, ""}}},
		{"AU 1800", "1800 123 456", Options{Regions: []string{"AU"}}, []Number{{"1800 123 456", "+611800123456", "AU", TollFree, 0, ""}}},
		{"AU national", "(02) 9876 5432", Options{Regions: []string{"AU"}}, []Number{{"(02) 9876 5432", "+61298765432", "AU", FixedLine, 0, ""}}},
		{"00 1 dotted", "001.855.703.0225", Options{Regions: []string{"FR"}}, []Number{{"001.855.703.0225", "+18557030225", "US", TollFree, 0, ""}}},
		{"00 odd groups", "00 18 33 392 30 75", Options{Regions: []string{"DE"}}, []Number{{"00 18 33 392 30 75", "+18333923075", "US", TollFree, 0, ""}}},
		{"011 from the US", "011 44 20 7946 0018", Options{}, []Number{{"011 44 20 7946 0018", "+442079460018", "GB", FixedLine, 0, ""}}},
		{"international freephone", "+800 1234 5678", Options{}, []Number{{"+800 1234 5678", "+80012345678", "001", TollFree, 0, ""}}},

		// Full-width digits and punctuation, as Japanese pages write them.
		{"full-width JP", "お電話は０１２０－１２３－４５６へ", Options{Regions: []string{"JP"}}, []Number{{"０１２０－１２３－４５６", "+81120123456", "JP", TollFree, 12, ""}}},
		{"full-width ー", "０５０ー１２３４ー５６７８", Options{Regions: []string{"JP"}}, []Number{{"０５０ー１２３４ー５６７８", "+815012345678", "JP", VoIP, 0, ""}}},
		{"full-width parens", "（０３）１２３４－５６７８", Options{Regions: []string{"JP"}}, []Number{{"（０３）１２３４－５６７８", "+81312345678", "JP", FixedLine, 0, ""}}},
		{"full-width plus", "＋１ ８４４ ５５５ ０１９９", Options{}, []Number{{"＋１ ８４４ ５５５ ０１９９", "+18445550199", "US", TollFree, 0, ""}}},
		{"ideographic space", "０３\u3000５０５０\u3000１７９５", Options{Regions: []string{"JP"}}, []Number{{"０３\u3000５０５０\u3000１７９５", "+81350501795", "JP", FixedLine, 0, ""}}},

		// Several numbers, and numbers next to other figures.
		{"two in a run", "1-844-555-0142 1-888-555-0117", Options{}, []Number{
			{"1-844-555-0142", "+18445550142", "US", TollFree, 0, ""},
			{"1-888-555-0117", "+18885550117", "US", TollFree, 15, ""}}},
		{"two in text", "two: 1-888-555-0117 and +1 877 555 0100", Options{}, []Number{
			{"1-888-555-0117", "+18885550117", "US", TollFree, 5, ""},
			{"+1 877 555 0100", "+18775550100", "US", TollFree, 24, ""}}},
		{"figure after", "Call 844 555 0142 24 hours a day", Options{}, []Number{{"844 555 0142", "+18445550142", "US", TollFree, 5, ""}}},
		{"figures before", "Call 24 7 1-844-555-0142", Options{}, []Number{{"1-844-555-0142", "+18445550142", "US", TollFree, 10, ""}}},
		{"slash list", "0800 123 456 / 0805 123 456", Options{Regions: []string{"FR"}}, []Number{
			{"0800 123 456", "+33800123456", "FR", TollFree, 0, ""},
			{"0805 123 456", "+33805123456", "FR", TollFree, 15, ""}}},
		{"French pairs twice", "01 23 45 67 89 09 70 50 12 35", Options{Regions: []string{"FR"}}, []Number{
			{"01 23 45 67 89", "+33123456789", "FR", FixedLine, 0, ""},
			{"09 70 50 12 35", "+33970501235", "FR", VoIP, 15, ""}}},
		{"after a long run of figures", "1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 1-844-555-0142", Options{}, []Number{{"1-844-555-0142", "+18445550142", "US", TollFree, 45, ""}}},
		{"extension", "Call +1-844-555-0142x123 now", Options{}, []Number{{"+1-844-555-0142", "+18445550142", "US", TollFree, 5, ""}}},
		{"label and colon", "Windows Support: 2125550142", Options{}, []Number{{"2125550142", "+12125550142", "US", FixedLineOrMobile, 17, ""}}},
		{"date then number", "02-12-2016 Call 1-844-555-0142", Options{}, []Number{{"1-844-555-0142", "+18445550142", "US", TollFree, 16, ""}}},
		{"sentence end", "Call us. 0800 123 456", Options{Regions: []string{"FR"}}, []Number{{"0800 123 456", "+33800123456", "FR", TollFree, 9, ""}}},
		{"multi-byte before", "☎ 📞 +1 844 555 0142", Options{}, []Number{{"+1 844 555 0142", "+18445550142", "US", TollFree, 9, ""}}},
		{"quoted bare toll-free", `ph = "18445550142";`, Options{}, []Number{{"18445550142", "+18445550142", "US", TollFree, 6, ""}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := withoutHints(Find(tt.text, tt.opts)) // TestFindHint checks hints
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Find(%q)\n got %+v\nwant %+v", tt.text, got, tt.want)
			}
		})
	}
}

// TestFindRejects: text from web pages full of figures that are not phone
// numbers.
func TestFindRejects(t *testing.T) {
	for _, text := range []string{
		"", "+", "(((", "+()", "++1", "+-+", "1-", "-1", "(1)", "0",
		// dates and times
		"02-12-2016", "2016/12/02 and 12.02.2016", "2016-12-02 10:30:45", "02 12 2016", "12/02/2016 10:30",
		"10:30:45", "Scanned on 02.12.2016 at 10:30",
		// IP addresses and versions
		"192.168.1.10", "192.168.100.101", "v1.2.3.4", "1.2.3.4", "Windows 10.0.19041.1234", "1.2.840.113549.1.1.1",
		// prices, counters, thousands
		"51,900 objects scanned", "$1,299.00", "¥12345678", "€ 1.234.567.890", "1.234.567.890 files", "12,345,678,901",
		"45.3% of 2,147,483,647", "Total 1 234 567 890 €",
		// IDs, timestamps, hashes, constants
		"id 1694042833969", "ts=1694042833", "1694042833", "order ABC-8445550142", "abc8005550199x", "8005550199abc",
		"0x8445550142", "#8445550142", "%2B18445550142", "8445550142@txt.example", "8445550142.example.com",
		"z-index: 2147483647", "z-index:2147483000;", `"spaceid": "2145689530"`, `data-ad-slot="4757652955"`,
		`google_ad_slot = "0764542773";`, "yads.js?2017030901", "e = 4023233417, ~n", "[1732584193, 4023233417]",
		"2147483647", "width: 2125550142", "0x1844555014x2", "8445550142xyz",
		// card numbers, ZIP+4, ISBNs, citations
		"4111 1111 1111 1111", "4111-1111-1111-1111", "3782 822463 10005", "94105-1234", "02134-1234",
		"ISBN 978-1-86940-123-4", "ISBN 0-670-83298-7", "Clin Chem 39, 448–452 (1993).",
		// CSS and SVG
		"width: 1234567px", "color: #123456", "M20 10a10 10 0 01-10 10 11 11 0 01-5.51-1.65L.73 19.57 2 15",
		".057.057.057.114s.057.057.057.114", "9.2-9.2 11.9-22.9 6.9-34.9", "12.5 12.5 32.8 12.5 45.3 0", "0 0 320 512",
		"matrix(1 0 0 1 844 555)",
		// lists of small numbers
		"1 2 3 4 5 6 7 8 9 10 11 12", "2019 2020 2021 2022", "10 20 30 40 50 60",
		// placeholders scam kits ship (not valid numbers)
		"1-800-000-0000", "000-0000-0000", "+1-111-111-111", "99999999999", "(000) 000-0000",
		// local numbers without an area code
		"555-0142", "Call 343-6624", "896 7224",
		// once looped forever: '(' after a blocking character
		"x(12 a_+1 $(844)",
	} {
		if got := Find(text, many); len(got) != 0 {
			t.Errorf("Find(%q) = %+v, want none", text, got)
		}
	}
}

func TestFindRegions(t *testing.T) {
	// The region order decides a number written both ways.
	if got := Find("347 234 5678", Options{Regions: []string{"US", "IT"}}); len(got) != 1 || got[0].Region != "US" {
		t.Errorf("US first: %+v", got)
	}
	if got := Find("347 234 5678", Options{Regions: []string{"IT", "US"}}); len(got) != 1 || got[0].Region != "IT" {
		t.Errorf("IT first: %+v", got)
	}
	// Default region is US; a Japanese number needs a JP hint.
	if got := Find("Call 844-555-0142", Options{}); len(got) != 1 || got[0].E164 != "+18445550142" {
		t.Errorf("default US: %+v", got)
	}
	if got := Find("050 5437 7756", Options{}); len(got) != 0 {
		t.Errorf("JP number without a JP hint: %+v", got)
	}
	// Unknown and badly written region codes are ignored.
	if got := Find("Call 844-555-0142", Options{Regions: []string{"", "zz", " us "}}); len(got) != 1 {
		t.Errorf("cleaned regions: %+v", got)
	}
	// 1-800-000-0000 is not valid in the US and must not become a German
	// number: Germany writes 0180… with its trunk prefix.
	if got := Find("1-800-000-0000", Options{Regions: []string{"US", "DE", "JP", "GB", "FR", "AU"}}); len(got) != 0 {
		t.Errorf("placeholder: %+v", got)
	}
	// Nor does a 7-digit local number validate in Germany.
	if got := Find("(855) 343-6624 or 343-6624", Options{Regions: []string{"US", "DE"}}); len(got) != 1 {
		t.Errorf("local part: %+v", got)
	}
}

func TestFindOffsetsAreInInput(t *testing.T) {
	text := "Ａｌｅｒｔ！ お電話 （０３）１２３４－５６７８ or\u00a0+1\u00a0844\u00a0555\u00a00142 é 0120-123-456"
	got := Find(text, Options{Regions: []string{"JP", "US"}})
	if len(got) != 3 {
		t.Fatalf("got %+v", got)
	}
	for _, n := range got {
		if text[n.Offset:n.Offset+len(n.Raw)] != n.Raw {
			t.Errorf("%+v: Raw is not text[Offset:]", n)
		}
	}
}

func TestFindBoundsWork(t *testing.T) {
	text := strings.Repeat("1-844-555-0142 ", 10000)
	if got := Find(text, Options{MaxCandidates: 10}); len(got) != 40 {
		t.Errorf("len = %d, want the result cap of 4×10", len(got))
	}
	shared.mu.Lock()
	clear(shared.m) // count validations, not cache hits
	shared.mu.Unlock()
	var distinct strings.Builder
	for i := range 2000 {
		fmt.Fprintf(&distinct, "+1 844 555 %04d, ", i)
	}
	if got := Find(distinct.String(), Options{MaxCandidates: 10}); len(got) != 10 {
		t.Errorf("len = %d, want 10 distinct numbers under a cap of 10 validations", len(got))
	}
}

// TestFindHostile: inputs built to make a scanner slow or crash.
func TestFindHostile(t *testing.T) {
	inputs := map[string]string{
		"digits":        strings.Repeat("9", 1<<20),
		"groups":        strings.Repeat("1 ", 1<<19),
		"pairs":         strings.Repeat("01 ", 1<<18),
		"nanp-ish":      strings.Repeat("234 567 8901 ", 1<<16),
		"parens":        strings.Repeat("(1", 1<<19),
		"plus":          strings.Repeat("+", 1<<20),
		"separators":    strings.Repeat("1-.-/ ", 1<<18),
		"full-width":    strings.Repeat("０", 1<<18),
		"invalid utf-8": strings.Repeat("\xff\xfe1\xc2", 1<<18),
		"truncated":     "\xef\xbc",
		"distinct":      distinctNumbers(20000),
	}
	for name, text := range inputs {
		start := time.Now()
		got := Find(text, many)
		if d := time.Since(start); d > 2*time.Second {
			t.Errorf("%s: %v for %d bytes", name, d, len(text))
		}
		if len(got) > 4*256 {
			t.Errorf("%s: %d results, over the cap", name, len(got))
		}
	}
}

func distinctNumbers(n int) string {
	var b strings.Builder
	for i := range n {
		fmt.Fprintf(&b, "(%03d) %03d-%04d ", 200+i%700, 200+i%800, i%10000)
	}
	return b.String()
}

func TestParse(t *testing.T) {
	tests := []struct {
		in   string
		opts Options
		e164 string
	}{
		{"tel:+18445550142", Options{}, "+18445550142"},
		{"TEL:+1-844-555-0142", Options{}, "+18445550142"},
		{"tel:%2B1%20844%20555%200142", Options{}, "+18445550142"},
		{"tel:+18445550142;ext=12", Options{}, "+18445550142"},
		{"tel:8445550142;phone-context=+1", Options{Regions: []string{"FR"}}, "+18445550142"},
		{"tel:+1(844)555-0142", Options{}, "+18445550142"},
		{"tel:18445550142p123", Options{}, "+18445550142"},
		{"tel:18445550142,,123#", Options{}, "+18445550142"},
		{"tel:0120123456", Options{Regions: []string{"JP"}}, "+81120123456"},
		{"tel:%EF%BC%90%EF%BC%91%EF%BC%92%EF%BC%90123456", Options{Regions: []string{"JP"}}, "+81120123456"},
		{"tel:0018445550142", Options{}, "+18445550142"},
		{"callto:18445550142", Options{}, "+18445550142"},
		{"callto://+18445550142", Options{}, "+18445550142"},
		{"skype:+18445550142?call", Options{}, "+18445550142"},
		{"sip:+18445550142@voip.example;user=phone", Options{}, "+18445550142"},
		{"sips:+18445550142@voip.example", Options{}, "+18445550142"},
		{"facetime:+18445550142", Options{}, "+18445550142"},
		{"facetime-audio:+18445550142", Options{}, "+18445550142"},
		{"facetime://+18445550142", Options{}, "+18445550142"},
		{"  (844) 555-0142 ", Options{}, "+18445550142"},
		{"+44 800 123 4567", Options{}, "+448001234567"},
		{"０１２０－１２３－４５６", Options{Regions: []string{"JP"}}, "+81120123456"},
		{"1-844-555-0142.", Options{}, "+18445550142"},
	}
	for _, tt := range tests {
		n, err := Parse(tt.in, tt.opts)
		if err != nil || n.E164 != tt.e164 {
			t.Errorf("Parse(%q) = %+v, %v; want %s", tt.in, n, err, tt.e164)
			continue
		}
		if n.Raw != strings.TrimSpace(tt.in) {
			t.Errorf("Parse(%q).Raw = %q", tt.in, n.Raw)
		}
	}
	n, err := Parse("tel:+18445550142", Options{})
	if want := (Number{"tel:+18445550142", "+18445550142", "US", TollFree, 0, ""}); err != nil || n != want {
		t.Errorf("Parse = %+v, %v; want %+v", n, err, want)
	}
}

func TestParseRejects(t *testing.T) {
	for _, bad := range []string{
		"", " ", "tel:", "tel:123", "tel:+1-800-000-0000", "tel:+", "tel:%zz", "tel:1-800-MICROSOFT",
		"mailto:a@b.example", "https://example.com/8445550142", "javascript:call(8445550142)",
		strings.Repeat("9", 100), "tel:" + strings.Repeat("9", 300),
		// a plain value must look like a number
		"1694042833969", "02-12-2016", "192.168.1.10", "Call 1-844-555-0142", "1-844-555-0142 now",
		"(1-844-555-0142", "8445550142abc",
	} {
		if n, err := Parse(bad, Options{}); err == nil {
			t.Errorf("Parse(%q) = %+v, want an error", bad, n)
		} else if !strings.Contains(err.Error(), ErrNotNumber.Error()) {
			t.Errorf("Parse(%q): error %v does not wrap ErrNotNumber", bad, err)
		}
	}
	// A tel: URI may carry a long bare number a plain value may not.
	if _, err := Parse("tel:+815054377756", Options{}); err != nil {
		t.Errorf("tel: with a long bare number: %v", err)
	}
}

func TestFromURL(t *testing.T) {
	tests := []struct {
		url  string
		opts Options
		want []ParamNumber
	}{
		{"https://x.example/?phone=18445550142&n1=%2B1-844-555-0143&q=hello&id=42#ph=8445550144", Options{}, []ParamNumber{
			{"phone", Number{"18445550142", "+18445550142", "US", TollFree, 0, ""}},
			{"n1", Number{"+1-844-555-0143", "+18445550143", "US", TollFree, 0, ""}},
			{"ph", Number{"8445550144", "+18445550144", "US", TollFree, 0, ""}},
		}},
		// A literal leading '+' is a plus; later '+' are spaces.
		{"https://x.example/alert.html?ph=+1+844+555+0142", Options{}, []ParamNumber{
			{"ph", Number{"+1 844 555 0142", "+18445550142", "US", TollFree, 0, ""}},
		}},
		{"https://x.example/?number=%28844%29%20555-0142&lang=en", Options{}, []ParamNumber{
			{"number", Number{"(844) 555-0142", "+18445550142", "US", TollFree, 0, ""}},
		}},
		// Fragment routes and fragment parameters.
		{"https://x.example/#/alert?n=%2B44%20800%20123%204567", Options{}, []ParamNumber{
			{"n", Number{"+44 800 123 4567", "+448001234567", "GB", TollFree, 0, ""}},
		}},
		// Region hints, and a number inside a text value.
		{"https://x.example/?tel=0120-123-456&msg=Call+Microsoft+1-844-555-0142+now", Options{Regions: []string{"JP", "US"}}, []ParamNumber{
			{"tel", Number{"0120-123-456", "+81120123456", "JP", TollFree, 0, ""}},
			{"msg", Number{"1-844-555-0142", "+18445550142", "US", TollFree, 0, ""}},
		}},
		// A URL that does not parse still carries its parameters.
		{"http://[::1/?phone=18445550142", Options{}, []ParamNumber{
			{"phone", Number{"18445550142", "+18445550142", "US", TollFree, 0, ""}},
		}},
		// One number per parameter name.
		{"?a=18445550142&a=1-844-555-0142&b=18445550142", Options{}, []ParamNumber{
			{"a", Number{"18445550142", "+18445550142", "US", TollFree, 0, ""}},
			{"b", Number{"18445550142", "+18445550142", "US", TollFree, 0, ""}},
		}},
	}
	for _, tt := range tests {
		got := FromURL(tt.url, tt.opts)
		for i := range got {
			got[i].Number.Hint = ""
		}
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("FromURL(%q)\n got %+v\nwant %+v", tt.url, got, tt.want)
		}
	}
	for _, u := range []string{
		"", "::::", "https://x.example/", "https://x.example/8445550142", "https://x.example/?a=%zz&b=&=1&&",
		"https://x.example/?phone=" + strings.Repeat("1", 300), "https://x.example/?ts=1694042833969&id=4757652955&v=1.2.3.4",
		"https://x.example/?date=2016-12-02&ip=192.168.1.10&price=%241%2C299.00", "https://x.example/?phone=1-800-000-0000",
		"https://x.example/#section-8445550142",
	} {
		if got := FromURL(u, Options{}); len(got) != 0 {
			t.Errorf("FromURL(%q) = %+v, want none", u, got)
		}
	}
	var many strings.Builder
	many.WriteString("https://x.example/?")
	for i := range 200 {
		fmt.Fprintf(&many, "p%d=1844555%04d&", i, i)
	}
	if got := FromURL(many.String(), Options{}); len(got) != maxParamNumber {
		t.Errorf("FromURL with 200 numbers: %d results, want the cap %d", len(got), maxParamNumber)
	}
}

func TestRegionsForLang(t *testing.T) {
	tests := map[string][]string{
		"ja":                       {"JP", "US"},
		"JA-jp":                    {"JP", "US"},
		"fr":                       {"FR", "CA", "BE", "CH", "US"},
		"fr-CH":                    {"CH", "FR", "CA", "BE", "US"},
		"de-AT":                    {"AT", "DE", "CH", "US"},
		"en-GB":                    {"GB", "US", "CA", "AU", "IE", "NZ", "IN", "ZA"},
		"en_US":                    {"US", "GB", "CA", "AU", "IE", "NZ", "IN", "ZA"},
		"it":                       {"IT", "CH", "US"},
		"zh-Hant-TW":               {"TW", "HK", "CN", "SG", "US"},
		"zh-Hans":                  {"CN", "SG", "TW", "HK", "US"},
		"es-419":                   {"ES", "MX", "AR", "CO", "US"},
		"de-XX":                    {"DE", "AT", "CH", "US"},
		"":                         {"US"},
		"xx":                       {"US"},
		"-":                        {"US"},
		strings.Repeat("en-", 100): {"US"},
	}
	for lang, want := range tests {
		if got := RegionsForLang(lang); !reflect.DeepEqual(got, want) {
			t.Errorf("RegionsForLang(%q) = %v, want %v", lang, got, want)
		}
	}
}

func TestConcurrentUse(t *testing.T) {
	text := benchText(20 << 10)
	want := Find(text, many)
	done := make(chan []Number)
	for range 4 {
		go func() { done <- Find(text, many) }()
	}
	for range 4 {
		if got := <-done; !reflect.DeepEqual(got, want) {
			t.Fatal("concurrent Find gave a different result")
		}
	}
}

// withoutHints clears Number.Hint, for tables written before it existed.
func withoutHints(ns []Number) []Number {
	for i := range ns {
		ns[i].Hint = ""
	}
	return ns
}
