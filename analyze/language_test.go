package analyze

import "testing"

// One short fake alert per language, written for this test: the device is
// blocked, a virus was found, do not close or restart, call support now.
// Each must reach scam on its words alone (no lockers), with at least three
// distinct content rules — the term lists, not one phrase, carry it.
var alertsByLanguage = map[string]string{
	"pt": "Acesso a este computador foi bloqueado. Vírus detectado: cavalo de Troia. Não feche esta página e não reinicie o computador. Ligue imediatamente para o suporte da Microsoft: +1 844 555 0142",
	"pl": "Dostęp do tego komputera został zablokowany. Wykryto wirusa: trojan. Nie zamykaj tej strony i nie restartuj komputera. Zadzwoń natychmiast do pomocy technicznej Microsoft: +1 844 555 0142",
	"nl": "De toegang tot deze computer is geblokkeerd. Virus gedetecteerd: Trojaans paard. Sluit deze pagina niet en start uw computer niet opnieuw op. Bel onmiddellijk Microsoft-ondersteuning: +1 844 555 0142",
	"sv": "Åtkomsten till den här datorn har blockerats. Virus upptäckt: trojan. Stäng inte den här sidan och starta inte om datorn. Ring Microsoft-supporten omedelbart: +1 844 555 0142",
	"da": "Adgangen til denne computer er blevet blokeret. Virus fundet: trojaner. Luk ikke denne side, og genstart ikke computeren. Ring straks til Microsoft support: +1 844 555 0142",
	"no": "Tilgangen til denne datamaskinen er blokkert. Virus oppdaget: trojaner. Ikke lukk denne siden, og ikke start datamaskinen på nytt. Ring Microsoft-støtte umiddelbart: +1 844 555 0142",
	"fi": "Pääsy tähän tietokoneeseen on estetty. Virus havaittu: troijalainen. Älä sulje tätä sivua äläkä käynnistä tietokonetta uudelleen. Soita heti Microsoftin tukeen: +1 844 555 0142",
	"cs": "Přístup k tomuto počítači byl zablokován. Zjištěn virus: trojský kůň. Nezavírejte tuto stránku a nerestartujte počítač. Okamžitě volejte podporu společnosti Microsoft: +1 844 555 0142",
	"tr": "Bu bilgisayara erişim engellendi. Virüs tespit edildi: Truva atı. Bu sayfayı kapatmayın ve bilgisayarınızı yeniden başlatmayın. Hemen Microsoft desteği arayın: +1 844 555 0142",
	"ru": "Доступ к этому компьютеру заблокирован. Обнаружен вирус: троян. Не закрывайте эту страницу и не перезагружайте компьютер. Немедленно позвоните в службу поддержки Microsoft: +1 844 555 0142",
	"uk": "Доступ до цього комп'ютера заблоковано. Виявлено вірус: троян. Не закривайте цю сторінку і не перезавантажуйте комп'ютер. Негайно зателефонуйте до служби підтримки Microsoft: +1 844 555 0142",
	"ro": "Accesul la acest computer a fost blocat. Virus detectat: troian. Nu închideți această pagină și nu reporniți computerul. Sunați imediat la asistența Microsoft: +1 844 555 0142",
	"hu": "A számítógépét zárolták. Vírus észlelve: trójai. Ne zárja be ezt az oldalt, és ne indítsa újra a számítógépet. Azonnal hívja a Microsoft ügyfélszolgálatát: +1 844 555 0142",
	"el": "Η πρόσβαση σε αυτόν τον υπολογιστή έχει αποκλειστεί. Εντοπίστηκε ιός: δούρειος ίππος. Μην κλείσετε αυτή τη σελίδα και μην επανεκκινήσετε τον υπολογιστή. Καλέστε αμέσως την υποστήριξη της Microsoft: +1 844 555 0142",
	"zh": "您的计算机已被锁定。检测到病毒：木马。请勿关闭此页面，也不要重启计算机。请立即致电微软技术支持：+1 844 555 0142",
	"ko": "이 컴퓨터에 대한 액세스가 차단되었습니다. 바이러스가 감지되었습니다: 트로이 목마. 이 페이지를 닫지 마십시오. 컴퓨터를 다시 시작하지 마십시오. 즉시 Microsoft 지원에 전화하십시오: +1 844 555 0142",
	"ar": "تم حظر الوصول إلى هذا الكمبيوتر. تم اكتشاف فيروس: حصان طروادة. لا تغلق هذه الصفحة ولا تعد تشغيل الكمبيوتر. اتصل بدعم مايكروسوفت فورا: +1 844 555 0142",
	"he": "הגישה למחשב זה נחסמה. זוהה וירוס: סוס טרויאני. אל תסגור דף זה ואל תפעיל מחדש את המחשב. התקשר מיד לתמיכה של מיקרוסופט: +1 844 555 0142",
}

func TestLanguages(t *testing.T) {
	for lang, text := range alertsByLanguage {
		r := analyzeHTML(t, `<html lang="`+lang+`"><title>Windows</title><body><p>`+text+`</p></body></html>`)
		content := 0
		for _, f := range r.Findings {
			if f.Category == "content" {
				content++
			}
		}
		if r.Verdict != Scam || content < 3 {
			var ids []string
			for _, f := range r.Findings {
				ids = append(ids, f.Rule)
			}
			t.Errorf("%s: %s %.1f with %d content rules %v", lang, r.Verdict, r.Score, content, ids)
		}
	}
}

// Advice in the same languages stays clean: the claims are quoted, asked or
// denied, and the page is about scams.
var adviceByLanguage = map[string]string{
	"pt": "Golpe de suporte técnico: se uma página disser que o seu computador foi bloqueado, é uma fraude. A Microsoft nunca liga para você. Não ligue para o número.",
	"ru": "Мошенничество с техподдержкой: если страница сообщает, что ваш компьютер заблокирован, это обман. Microsoft никогда не звонит. Не звоните по номеру.",
	"tr": "Teknik destek dolandırıcılığı: bir sayfa bilgisayarınızın engellendiğini söylüyorsa bu bir dolandırıcılıktır. Microsoft sizi asla aramaz.",
	"pl": "Oszustwo na pomoc techniczną: jeśli strona twierdzi, że twój komputer został zablokowany, to oszustwo. Microsoft nigdy nie dzwoni.",
}

func TestAdviceByLanguageIsClean(t *testing.T) {
	for lang, text := range adviceByLanguage {
		r := analyzeHTML(t, `<html lang="`+lang+`"><body><p>`+text+`</p><p>Tel. +1 800 555 0199</p></body></html>`)
		if r.Verdict == Scam {
			t.Errorf("%s: advice page scored scam %.1f (%s)", lang, r.Score, r.Reason)
		}
	}
}

// A page in a language no list covers still reaches scam on behaviour,
// a number and a brand.
func TestUnknownLanguageBehaviourNumberBrand(t *testing.T) {
	html := `<html lang="vi"><title>Microsoft</title><body>
<h1>Cảnh báo bảo mật của Microsoft</h1>
<p>Gọi ngay: +1 844 555 0142</p>
<audio autoplay loop src="a.mp3"></audio>
<script>window.onbeforeunload = function(){ return "x"; };
setInterval(function(){ alert("!!!"); }, 300);</script></body></html>`
	r := analyzeHTML(t, html)
	if r.Verdict != Scam {
		t.Fatalf("unknown-language locker with number and brand: %s %.1f (%s)", r.Verdict, r.Score, r.Reason)
	}
	// Without the locker the same words and number are not a scam.
	calm := analyzeHTML(t, `<html lang="vi"><title>Microsoft</title><body><h1>Microsoft Việt Nam</h1><p>Gọi: +1 844 555 0142</p></body></html>`)
	if calm.Verdict == Scam {
		t.Fatalf("a brand and a number alone: %s %.1f", calm.Verdict, calm.Score)
	}
}
