package phone

import (
	"testing"
)

// TestFindNational: numbers as each region writes them, read with that
// region among the hints, and the region they were read in (Hint).
func TestFindNational(t *testing.T) {
	tests := []struct {
		regions []string
		text    string
		e164    string
		typ     Type
		hint    string // "" for a number written with its country code
	}{
		// North America
		{[]string{"US"}, "Call 1-844-555-0142 now", "+18445550142", TollFree, "US"},
		{[]string{"CA", "US"}, "Appelez le 1 855 555-0133", "+18555550133", TollFree, "CA"},
		// English-speaking
		{[]string{"GB"}, "Call 0800 123 4567 now", "+448001234567", TollFree, "GB"},
		{[]string{"GB"}, "Call 0800\u00a0123\u00a04567 now", "+448001234567", TollFree, "GB"},
		{[]string{"IE"}, "Freephone 1800 123 456", "+3531800123456", TollFree, "IE"},
		{[]string{"AU"}, "Call 1800 123 456 today", "+611800123456", TollFree, "AU"},
		{[]string{"AU"}, "Call 1300 123 456 today", "+611300123456", SharedCost, "AU"},
		{[]string{"NZ"}, "Call 0800 123 456", "+64800123456", TollFree, "NZ"},
		{[]string{"IN"}, "Toll free 1800 123 4567", "+9118001234567", TollFree, "IN"},
		{[]string{"IN"}, "टोल फ्री १८०० १२३ ४५६७", "+9118001234567", TollFree, "IN"}, // Devanagari digits
		{[]string{"US"}, "Call +১ ৮৪৪ ৫৫৫ ০১৪২", "+18445550142", TollFree, ""},       // Bengali digits, a country code
		{[]string{"TH"}, "โทร ๑๘๐๐ ๐๑๒ ๓๔๕", "+661800012345", TollFree, "TH"},        // Thai digits
		{[]string{"ZA"}, "Call 0800 123 456", "+27800123456", TollFree, "ZA"},
		// French
		{[]string{"FR"}, "Appelez le 01 23 45 67 89", "+33123456789", FixedLine, "FR"},
		{[]string{"FR"}, "Numéro vert : 0 800 123 456", "+33800123456", TollFree, "FR"},
		{[]string{"FR"}, "Numéro vert : 0 805 12 34 56", "+33805123456", TollFree, "FR"},
		{[]string{"FR"}, "Appelez le 09\u202f70\u202f73\u202f12\u202f34", "+33970731234", VoIP, "FR"},
		{[]string{"FR"}, "Appelez le 09\u200970\u200973\u200912\u200934", "+33970731234", VoIP, "FR"},
		{[]string{"FR"}, "Appelez le 01·23·45·67·89", "+33123456789", FixedLine, "FR"},
		{[]string{"FR"}, "Appelez le 01.23.45.67.89.", "+33123456789", FixedLine, "FR"},
		{[]string{"FR"}, "Serveur 10.0.12.1", "", "", ""},
		{[]string{"BE"}, "Bel 0800 12 345", "+3280012345", TollFree, "BE"},
		{[]string{"CH"}, "Rufen Sie 0800 123 456 an", "+41800123456", TollFree, "CH"},
		{[]string{"LU"}, "Appelez le 8002 1234", "+35280021234", TollFree, "LU"},
		{[]string{"FR", "CA", "BE", "CH"}, "Scores 45 12 33 21", "", "", ""}, // eight digits only where hinted
		// German
		{[]string{"DE"}, "Rufen Sie 0800 123 4567 an", "+498001234567", TollFree, "DE"},
		{[]string{"DE"}, "Tel. +49 (0) 30 1234567", "+49301234567", FixedLine, ""},
		{[]string{"DE"}, "Tel. 030\u20111234567", "+49301234567", FixedLine, "DE"},
		{[]string{"AT"}, "Hotline 0800 123 456", "+43800123456", TollFree, "AT"},
		// Southern Europe and Latin America
		{[]string{"IT"}, "Chiama il numero verde 800 123 456", "+39800123456", TollFree, "IT"},
		{[]string{"IT"}, "Chiama 02 1234 5678", "+390212345678", FixedLine, "IT"},
		{[]string{"ES"}, "Llame al 900 123 456", "+34900123456", TollFree, "ES"},
		{[]string{"ES"}, "Llame al 91 123 45 67", "+34911234567", FixedLine, "ES"},
		{[]string{"PT"}, "Ligue 800 123 456", "+351800123456", TollFree, "PT"},
		{[]string{"BR"}, "Ligue 0800 123 4567", "+558001234567", TollFree, "BR"},
		{[]string{"BR"}, "Ligue (11) 3456-7890", "+551134567890", FixedLine, "BR"},
		{[]string{"MX"}, "Llame al 800 123 4567", "+528001234567", TollFree, "MX"},
		{[]string{"AR"}, "Llame al 0800-123-4567", "+548001234567", TollFree, "AR"},
		// Northern Europe
		{[]string{"NL"}, "Bel 0800-1234567", "+318001234567", TollFree, "NL"},
		{[]string{"NL"}, "Bel 0800 1234", "", "", ""}, // too short, not a number
		{[]string{"SE"}, "Ring 020-123 456", "+4620123456", TollFree, "SE"},
		{[]string{"DK"}, "Ring 80 12 34 56", "+4580123456", TollFree, "DK"},
		{[]string{"DK"}, "År 2024 2025", "", "", ""}, // two years, not a number
		{[]string{"NO"}, "Ring 800 12 345", "+4780012345", TollFree, "NO"},
		{[]string{"FI"}, "Soita 0800 123 456", "+358800123456", TollFree, "FI"},
		// Central and Eastern Europe
		{[]string{"PL"}, "Zadzwoń 800 123 456", "+48800123456", TollFree, "PL"},
		{[]string{"PL"}, "Zadzwoń 22 123 45 67", "+48221234567", FixedLine, "PL"},
		{[]string{"PL"}, "Zadzwoń +48 22 123 45 67", "+48221234567", FixedLine, ""},
		{[]string{"CZ"}, "Volejte 800 123 456", "+420800123456", TollFree, "CZ"},
		{[]string{"SK"}, "Volajte 0800 123 456", "+421800123456", TollFree, "SK"},
		{[]string{"RU"}, "Звоните 8 800 123-45-67", "+78001234567", TollFree, "RU"},
		{[]string{"RU"}, "Звоните 8 (800) 123-45-67", "+78001234567", TollFree, "RU"},
		{[]string{"UA"}, "Телефон 0 800 123 456", "+380800123456", TollFree, "UA"},
		{[]string{"RO"}, "Sunați 0800 123 456", "+40800123456", TollFree, "RO"},
		{[]string{"HU"}, "Hívja 06 80 123 456", "+3680123456", TollFree, "HU"},
		{[]string{"GR"}, "Καλέστε 800 111 2345", "+308001112345", TollFree, "GR"},
		{[]string{"TR"}, "Arayın 0800 123 45 67", "+908001234567", TollFree, "TR"},
		// Asia
		{[]string{"JP"}, "サポート：０１２０－１２３－４５６", "+81120123456", TollFree, "JP"},
		{[]string{"JP"}, "サポート：０１２０・１２３・４５６", "+81120123456", TollFree, "JP"},
		{[]string{"JP"}, "電話 03-1234-5678", "+81312345678", FixedLine, "JP"},
		{[]string{"KR"}, "고객센터 080-123-4567", "+82801234567", TollFree, "KR"},
		{[]string{"CN"}, "客服电话 400-810-1234", "+864008101234", SharedCost, "CN"},
		{[]string{"CN"}, "客服电话 800-810-1234", "+868008101234", TollFree, "CN"},
		{[]string{"TW"}, "客服專線 0800-123-456", "+886800123456", TollFree, "TW"},
		{[]string{"HK"}, "致電 2123 4567", "+85221234567", FixedLine, "HK"},
		{[]string{"SG"}, "Call 1800 123 4567", "+6518001234567", TollFree, "SG"},
		{[]string{"MY"}, "Hubungi 1800 88 1234", "+601800881234", TollFree, "MY"},
		{[]string{"PH"}, "Tumawag sa 0917 123 4567", "+639171234567", Mobile, "PH"},
		// Middle East
		{[]string{"SA"}, "اتصل 800 123 4567", "+9668001234567", TollFree, "SA"},
		{[]string{"SA"}, "اتصل ٨٠٠ ١٢٣ ٤٥٦٧", "+9668001234567", TollFree, "SA"},
		{[]string{"AE"}, "اتصل 04 212 3456", "+97142123456", FixedLine, "AE"},
		{[]string{"EG"}, "اتصل 0800 123 4567", "+208001234567", TollFree, "EG"},
		{[]string{"IL"}, "התקשרו 1-800-123-456", "+9721800123456", TollFree, "IL"},
	}
	for _, tt := range tests {
		t.Run(tt.regions[0]+" "+tt.text, func(t *testing.T) {
			got := Find(tt.text, Options{Regions: tt.regions})
			if tt.e164 == "" {
				if len(got) != 0 {
					t.Fatalf("got %+v, want nothing", got)
				}
				return
			}
			if len(got) != 1 || got[0].E164 != tt.e164 || got[0].Type != tt.typ || got[0].Hint != tt.hint {
				t.Fatalf("got %+v, want %s %s hint %q", got, tt.e164, tt.typ, tt.hint)
			}
		})
	}
}

// A number valid in two hinted regions is read as the toll-free line, what
// scam pages show, over the first region's ordinary line.
func TestFindPrefersScamTypes(t *testing.T) {
	text := "Numero verde 0800 123 456"
	if got := Find(text, Options{Regions: []string{"IT"}}); len(got) != 1 || got[0].Type != FixedLine || got[0].Hint != "IT" {
		t.Fatalf("IT alone: %+v", got)
	}
	got := Find(text, Options{Regions: []string{"IT", "CH"}})
	if len(got) != 1 || got[0].E164 != "+41800123456" || got[0].Type != TollFree || got[0].Hint != "CH" {
		t.Fatalf("IT, CH: %+v", got)
	}
	if n, err := Parse("0800 123 456", Options{Regions: []string{"IT", "CH"}}); err != nil || n.Hint != "CH" {
		t.Fatalf("Parse: %+v, %v", n, err)
	}
}

// Unicode dashes and dots between the groups.
func TestFindUnicodeSeparators(t *testing.T) {
	for _, text := range []string{
		"0800\u2012123\u20124567", // figure dash
		"0800\u2013123\u20134567", // en dash
		"0800\u2014123\u20144567", // em dash
		"0800\u2015123\u20154567", // horizontal bar
		"0800\u2011123\u20114567", // non-breaking hyphen
		"0800\u2212123\u22124567", // minus sign
		"0800\u00a0123\u202f4567", // no-break and narrow no-break space
		"0800\u2009123\u20094567", // thin space
		"０８００．１２３．４５６７",           // full-width digits and full stops
		"0800・123・4567",           // katakana middle dot
	} {
		got := Find("Call "+text+" now", Options{Regions: []string{"GB"}})
		if len(got) != 1 || got[0].E164 != "+448001234567" {
			t.Errorf("Find(%q) = %+v", text, got)
		}
	}
}
