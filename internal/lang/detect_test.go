package lang

import (
	"strings"
	"testing"
)

// Short texts in the style of scam alerts and ordinary pages, written for
// this test.
var samples = []struct{ lang, text string }{
	{"en", "Your computer has been blocked. Please call Microsoft Support now, do not turn off the computer."},
	{"fr", "Votre ordinateur a été bloqué. Appelez le support technique, ne redémarrez pas le PC, nous allons vous aider."},
	{"de", "Ihr Computer wurde gesperrt. Bitte rufen Sie sofort den technischen Support an und schalten Sie ihn nicht aus."},
	{"it", "Il tuo computer è stato bloccato. Chiama il supporto tecnico, non spegnere il computer per la tua sicurezza."},
	{"es", "Su ordenador ha sido bloqueado. Llame al soporte técnico de inmediato, no apague el equipo por su seguridad."},
	{"pt", "O seu computador foi bloqueado. Ligue para o suporte técnico, não desligue o computador, você está em risco."},
	{"nl", "Uw computer is geblokkeerd. Bel de technische ondersteuning en zet de computer niet uit, dit is voor uw veiligheid."},
	{"sv", "Din dator har blockerats. Ring teknisk support och stäng inte av datorn, det är för din säkerhet och ditt skydd."},
	{"da", "Din computer er blevet blokeret. Ring til teknisk support og sluk ikke computeren, det er for din sikkerhed af hensyn."},
	{"no", "Datamaskinen din er blokkert. Ring teknisk støtte og ikke slå av maskinen, det er for din sikkerhet og ditt vern av data."},
	{"fi", "Tietokoneesi on estetty. Soita tekniseen tukeen ja älä sammuta tietokonetta, se on sinun turvallisuutesi vuoksi ja niin edelleen."},
	{"pl", "Twój komputer został zablokowany. Zadzwoń do pomocy technicznej i nie wyłączaj komputera, to jest dla twojego bezpieczeństwa."},
	{"cs", "Váš počítač byl zablokován. Zavolejte prosím technickou podporu a nevypínejte počítač, je to pro vaši bezpečnost."},
	{"sk", "Váš počítač bol zablokovaný. Zavolajte prosím technickú podporu a nevypínajte počítač, je to pre vašu bezpečnosť."},
	{"tr", "Bilgisayarınız engellendi. Lütfen hemen teknik desteği arayın ve bilgisayarı kapatmayın, bu sizin güvenliğiniz için."},
	{"ro", "Calculatorul dvs. a fost blocat. Vă rugăm să sunați la asistența tehnică și să nu opriți calculatorul, este pentru siguranța dvs."},
	{"hu", "A számítógépét zárolták. Kérjük, hívja a technikai támogatást, és ne kapcsolja ki a gépet, ez az ön biztonsága érdekében van."},
	{"ms", "Komputer anda telah disekat. Sila hubungi sokongan teknikal dengan segera dan jangan matikan komputer untuk keselamatan anda."},
	{"id", "Komputer Anda telah diblokir. Silakan hubungi dukungan teknis segera dan jangan matikan perangkat Anda demi keamanan."},
	{"vi", "Máy tính của bạn đã bị khóa. Hãy gọi ngay cho bộ phận hỗ trợ kỹ thuật và không tắt máy tính để đảm bảo an toàn."},
	{"tl", "Ang inyong computer ay na-block. Tumawag po sa technical support at huwag patayin ang computer para sa inyong seguridad."},
	{"ru", "Ваш компьютер заблокирован. Позвоните в службу технической поддержки и не выключайте компьютер."},
	{"uk", "Ваш комп'ютер заблоковано. Зателефонуйте до служби технічної підтримки і не вимикайте комп'ютер, це для вашої безпеки."},
	{"el", "Ο υπολογιστής σας έχει αποκλειστεί. Καλέστε την τεχνική υποστήριξη και μην απενεργοποιήσετε τον υπολογιστή."},
	{"ar", "تم حظر جهاز الكمبيوتر الخاص بك. يرجى الاتصال بالدعم الفني على الفور وعدم إيقاف تشغيل الجهاز."},
	{"he", "המחשב שלך נחסם. אנא התקשר לתמיכה הטכנית מיד ואל תכבה את המחשב."},
	{"ja", "お使いのコンピューターはブロックされました。すぐにサポートに電話してください。電源を切らないでください。"},
	{"zh-Hans", "您的电脑已被锁定。请立即拨打技术支持电话，不要关闭电脑，这是为了您的账户安全。"},
	{"zh-Hant", "您的電腦已被鎖定。請立即撥打技術支援電話，不要關閉電腦，這是為了您的帳戶安全。"},
	{"ko", "컴퓨터가 차단되었습니다. 즉시 기술 지원에 전화하시고 컴퓨터를 끄지 마십시오."},
	{"th", "คอมพิวเตอร์ของคุณถูกบล็อก โปรดโทรหาฝ่ายสนับสนุนทางเทคนิคทันที"},
	{"hi", "आपका कंप्यूटर ब्लॉक कर दिया गया है। कृपया तुरंत तकनीकी सहायता को कॉल करें।"},
}

func TestDetect(t *testing.T) {
	for _, s := range samples {
		t.Run(s.lang, func(t *testing.T) {
			if g := Detect(s.text); g.Lang != s.lang {
				t.Errorf("Detect = %+v, want %s", g, s.lang)
			}
			// Case does not matter: analysis hands over lower-cased text.
			if g := Detect(strings.ToLower(s.text)); g.Lang != s.lang {
				t.Errorf("Detect(lower) = %+v, want %s", g, s.lang)
			}
		})
	}
}

func TestDetectUnsure(t *testing.T) {
	for _, text := range []string{
		"",
		"1-844-555-0142",
		"OK",
		"Microsoft Windows Defender",       // names, no words
		"the le der",                       // one word each
		"\xff\xfe invalid \xc3 bytes \x00", // not text at all
		"電話",                               // two characters
	} {
		if g := Detect(text); g.Lang != "" {
			t.Errorf("Detect(%q) = %+v, want unsure", text, g)
		}
	}
}

func TestDetectLongText(t *testing.T) {
	// Only the start is read; a huge page costs no more than MaxSample.
	text := strings.Repeat("Votre ordinateur a été bloqué, appelez le support. ", 5000)
	if g := Detect(text); g.Lang != "fr" {
		t.Fatalf("Detect = %+v", g)
	}
}

func TestStopWordTable(t *testing.T) {
	for code := range stopWords {
		if LanguageOK := langBit(code); LanguageOK == 0 {
			t.Errorf("%s: no bit", code)
		}
	}
	for _, l := range latinLangs {
		if _, ok := stopWords[l]; !ok {
			t.Errorf("%s: no stop words", l)
		}
	}
}

func BenchmarkDetect(b *testing.B) {
	text := strings.Repeat(sampleText(b, "fr")+" ", 200) // ~20 KB: a page's text
	b.SetBytes(MaxSample)
	b.ReportAllocs()
	for b.Loop() {
		Detect(text)
	}
}

func BenchmarkDetectJapanese(b *testing.B) {
	text := strings.Repeat(sampleText(b, "ja"), 200)
	b.SetBytes(MaxSample)
	b.ReportAllocs()
	for b.Loop() {
		Detect(text)
	}
}

func FuzzDetect(f *testing.F) {
	for _, s := range samples {
		f.Add(s.text, "https://x.example.fr/fr-fr/")
	}
	f.Add("\xff\xfe", "%")
	known := map[string]bool{"": true, "ja": true, "zh-Hans": true, "zh-Hant": true, "ru": true, "uk": true, "el": true, "ar": true, "he": true, "ko": true, "th": true, "hi": true}
	for _, l := range latinLangs {
		known[l] = true
	}
	f.Fuzz(func(t *testing.T, text, link string) {
		g := Detect(text)
		if !known[g.Lang] || g.Confidence < 0 || g.Confidence > 1 {
			t.Fatalf("Detect(%q) = %+v", text, g)
		}
		hs := Regions(Signals{Declared: []string{link}, Text: g, URLs: []string{link}, LinkRegions: []string{LinkRegion(link)}, NumberRegions: []string{TLDRegion(link)}})
		if len(hs) == 0 || len(hs) > MaxHints {
			t.Fatalf("%d hints", len(hs))
		}
	})
}

func TestDetectMixed(t *testing.T) {
	en, ja := sampleText(t, "en"), sampleText(t, "ja")
	tests := []struct{ text, want string }{
		// A Japanese alert with English words in it is Japanese: a kana or
		// kanji counts as much as three letters.
		{ja + " Windows Defender Security Center Microsoft Support " + ja, "ja"},
		// An English page naming a Japanese shop is English.
		{en + " " + en + " 東京 " + en, "en"},
		// Content in the middle of a long page counts as much as its header.
		{strings.Repeat("Home News Shop Contact About ", 300) + strings.Repeat(sampleText(t, "fr")+" ", 100), "fr"},
	}
	for _, tt := range tests {
		if g := Detect(tt.text); g.Lang != tt.want {
			t.Errorf("Detect(%.40q…) = %+v, want %s", tt.text, g, tt.want)
		}
	}
}

// sampleText is the sample text in language lang.
func sampleText(t testing.TB, lang string) string {
	for _, s := range samples {
		if s.lang == lang {
			return s.text
		}
	}
	t.Fatalf("no %s sample", lang)
	return ""
}
