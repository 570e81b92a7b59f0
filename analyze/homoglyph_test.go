package analyze

import "testing"

func TestFoldLookalikes(t *testing.T) {
	for _, tc := range []struct{ name, in, want string }{
		{"ascii untouched", "Microsoft Defender", "Microsoft Defender"},
		{"cyrillic i and o in a latin word", "Міcrоsoft", "Microsoft"},
		{"cyrillic e", "Windows Dеfender", "Windows Defender"},
		{"greek capitals", "ΜΙCROSOFT", "MICROSOFT"},
		{"greek omicron and nu", "Nοrtοn", "Norton"},
		{"cyrillic dze and palochka", "ѕupport һelp", "support help"},
		{"armenian o", "Micrօsoft", "Microsoft"},
		{"zero-width space inside a word", "Micro\u200bsoft", "Microsoft"},
		{"zero-width joiner and non-joiner", "Vi\u200drus\u200c", "Virus"},
		{"word joiner and BOM", "Tro\u2060jan\ufeff", "Trojan"},
		{"soft hyphen", "Sup\u00adport", "Support"},
		{"invisible between look-alike and latin", "М\u200bicrosoft", "Microsoft"},
		{"russian word stays cyrillic", "Ваш компьютер заблокирован", "Ваш компьютер заблокирован"},
		{"russian look-alike-only word stays", "Рер", "Рер"},
		{"russian next to latin word", "Microsoft сообщает", "Microsoft сообщает"},
		{"greek word stays greek", "Ο υπολογιστής σας", "Ο υπολογιστής σας"},
		{"mixed only inside the mixed word", "Аррlе и Мас", "Apple и Мас"},
		{"digits are neutral", "Windоws10", "Windows10"},
		{"punctuation splits words", "Міcrosoft-Поддержка", "Microsoft-Поддержка"},
		{"japanese untouched", "マイクロソフト サポート", "マイクロソフト サポート"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := foldLookalikes(tc.in); got != tc.want {
				t.Errorf("foldLookalikes(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

// TestNormalizeTextFoldsLookalikes: the text the rules see.
func TestNormalizeTextFoldsLookalikes(t *testing.T) {
	for in, want := range map[string]string{
		"Your Міcrosoft Wіndows has a Trојan": "your microsoft windows has a trojan",
		"𝐌𝐢𝐜𝐫𝐨𝐬𝐨𝐟𝐭 𝐒𝐮𝐩𝐩𝐨𝐫𝐭":                   "microsoft support",
		"Ｍｉｃｒｏｓｏｆｔ":                           "microsoft",
		"Call\u200b Sup\u00adport":            "call support",
		"Ваш компьютер заблокирован":          "ваш компьютер заблокирован",
		"С\u200ball support":                  "call support",
		"Threat deteϲted, infeϲted":           "threat detected, infected", // NFKC makes the lunate sigma a final sigma
		"Coոtact Support":                     "contact support",
		"Ο υπολογιστής σας":                   "ο υπολογιστής σας",
	} {
		if got := normalizeText(in); got != want {
			t.Errorf("normalizeText(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestLookalikeBrandMatches: a rule pack term matches a page that spells it
// with look-alikes.
func TestLookalikeBrandMatches(t *testing.T) {
	e, err := New(Options{NoEmulation: true})
	if err != nil {
		t.Fatal(err)
	}
	r := e.Analyze(t.Context(), SampleCapture(Sample{HTML: "<p>Wіndоws Dеfеndеr: your соmputеr is blocked</p>"}))
	if len(r.Brands) == 0 || r.Brands[0] != "microsoft" {
		t.Errorf("brands %v, want microsoft", r.Brands)
	}
	if r.Finding("TSS-TEXT-DEVICE-BLOCKED") == nil {
		t.Errorf("no TSS-TEXT-DEVICE-BLOCKED: %+v", r.Findings)
	}
}

func BenchmarkFoldLookalikes(b *testing.B) {
	s := "Ваш компьютер заблокирован. Call Міcrosoft support now: 1-844-555-0142. "
	b.SetBytes(int64(len(s)))
	b.ReportAllocs()
	for b.Loop() {
		foldLookalikes(s)
	}
}
