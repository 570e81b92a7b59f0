package main

import (
	"math/rand/v2"
	"regexp"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Languages of the phrase table, in column order.
var translateLangs = []string{"de", "fr", "es", "pt", "pl", "nl", "tr", "ru"}

// phraseTable holds common scare phrases and hand-written translations
// (de, fr, es, pt, pl, nl, tr, ru).
var phraseTable = [][9]string{
	{"your computer has been blocked", "Ihr Computer wurde gesperrt", "votre ordinateur a été bloqué", "su ordenador ha sido bloqueado", "seu computador foi bloqueado", "twój komputer został zablokowany", "uw computer is geblokkeerd", "bilgisayarınız engellendi", "ваш компьютер заблокирован"},
	{"your computer is blocked", "Ihr Computer ist gesperrt", "votre ordinateur est bloqué", "su ordenador está bloqueado", "seu computador está bloqueado", "twój komputer jest zablokowany", "uw computer is geblokkeerd", "bilgisayarınız engellendi", "ваш компьютер заблокирован"},
	{"your computer is infected", "Ihr Computer ist infiziert", "votre ordinateur est infecté", "su ordenador está infectado", "seu computador está infectado", "twój komputer jest zainfekowany", "uw computer is geïnfecteerd", "bilgisayarınıza virüs bulaştı", "ваш компьютер заражён"},
	{"your pc is infected", "Ihr PC ist infiziert", "votre PC est infecté", "su PC está infectado", "seu PC está infectado", "twój komputer jest zainfekowany", "uw pc is geïnfecteerd", "bilgisayarınıza virüs bulaştı", "ваш ПК заражён"},
	{"your system is infected", "Ihr System ist infiziert", "votre système est infecté", "su sistema está infectado", "seu sistema está infectado", "twój system jest zainfekowany", "uw systeem is geïnfecteerd", "sisteminize virüs bulaştı", "ваша система заражена"},
	{"call microsoft support", "rufen Sie den Microsoft-Support an", "appelez le support Microsoft", "llame al soporte de Microsoft", "ligue para o suporte da Microsoft", "zadzwoń do pomocy technicznej Microsoft", "bel Microsoft-ondersteuning", "Microsoft desteğini arayın", "позвоните в службу поддержки Microsoft"},
	{"call support", "rufen Sie den Support an", "appelez le support", "llame al soporte", "ligue para o suporte", "zadzwoń do pomocy technicznej", "bel de klantenservice", "destek hattını arayın", "позвоните в службу поддержки"},
	{"contact microsoft", "kontaktieren Sie Microsoft", "contactez Microsoft", "contacte con Microsoft", "entre em contato com a Microsoft", "skontaktuj się z Microsoft", "neem contact op met Microsoft", "Microsoft ile iletişime geçin", "свяжитесь с Microsoft"},
	{"contact support", "kontaktieren Sie den Support", "contactez le support", "contacte con el soporte", "entre em contato com o suporte", "skontaktuj się z pomocą techniczną", "neem contact op met de ondersteuning", "destek ile iletişime geçin", "обратитесь в службу поддержки"},
	{"do not restart your computer", "starten Sie Ihren Computer nicht neu", "ne redémarrez pas votre ordinateur", "no reinicie su ordenador", "não reinicie o seu computador", "nie uruchamiaj ponownie komputera", "start uw computer niet opnieuw op", "bilgisayarınızı yeniden başlatmayın", "не перезагружайте компьютер"},
	{"do not close this page", "schließen Sie diese Seite nicht", "ne fermez pas cette page", "no cierre esta página", "não feche esta página", "nie zamykaj tej strony", "sluit deze pagina niet", "bu sayfayı kapatmayın", "не закрывайте эту страницу"},
	{"do not close this window", "schließen Sie dieses Fenster nicht", "ne fermez pas cette fenêtre", "no cierre esta ventana", "não feche esta janela", "nie zamykaj tego okna", "sluit dit venster niet", "bu pencereyi kapatmayın", "не закрывайте это окно"},
	{"virus detected", "Virus erkannt", "virus détecté", "virus detectado", "vírus detectado", "wykryto wirusa", "virus gedetecteerd", "virüs tespit edildi", "обнаружен вирус"},
	{"malware detected", "Schadsoftware erkannt", "logiciel malveillant détecté", "malware detectado", "malware detectado", "wykryto złośliwe oprogramowanie", "malware gedetecteerd", "kötü amaçlı yazılım tespit edildi", "обнаружено вредоносное ПО"},
	{"suspicious activity detected", "verdächtige Aktivität erkannt", "activité suspecte détectée", "actividad sospechosa detectada", "atividade suspeita detectada", "wykryto podejrzaną aktywność", "verdachte activiteit gedetecteerd", "şüpheli etkinlik tespit edildi", "обнаружена подозрительная активность"},
	{"your personal data is at risk", "Ihre persönlichen Daten sind in Gefahr", "vos données personnelles sont en danger", "sus datos personales están en riesgo", "seus dados pessoais estão em risco", "twoje dane osobowe są zagrożone", "uw persoonlijke gegevens lopen gevaar", "kişisel verileriniz risk altında", "ваши личные данные под угрозой"},
	{"your files will be deleted", "Ihre Dateien werden gelöscht", "vos fichiers seront supprimés", "sus archivos serán eliminados", "seus arquivos serão excluídos", "twoje pliki zostaną usunięte", "uw bestanden worden verwijderd", "dosyalarınız silinecek", "ваши файлы будут удалены"},
	{"your browser has been locked", "Ihr Browser wurde gesperrt", "votre navigateur a été verrouillé", "su navegador ha sido bloqueado", "seu navegador foi bloqueado", "twoja przeglądarka została zablokowana", "uw browser is vergrendeld", "tarayıcınız kilitlendi", "ваш браузер заблокирован"},
	{"your license has expired", "Ihre Lizenz ist abgelaufen", "votre licence a expiré", "su licencia ha caducado", "sua licença expirou", "twoja licencja wygasła", "uw licentie is verlopen", "lisansınızın süresi doldu", "срок действия вашей лицензии истёк"},
	{"unauthorized access", "unbefugter Zugriff", "accès non autorisé", "acceso no autorizado", "acesso não autorizado", "nieautoryzowany dostęp", "onbevoegde toegang", "yetkisiz erişim", "несанкционированный доступ"},
	{"security alert", "Sicherheitswarnung", "alerte de sécurité", "alerta de seguridad", "alerta de segurança", "alert bezpieczeństwa", "beveiligingswaarschuwing", "güvenlik uyarısı", "предупреждение безопасности"},
	{"critical error", "kritischer Fehler", "erreur critique", "error crítico", "erro crítico", "błąd krytyczny", "kritieke fout", "kritik hata", "критическая ошибка"},
	{"error code", "Fehlercode", "code d'erreur", "código de error", "código de erro", "kod błędu", "foutcode", "hata kodu", "код ошибки"},
	{"technical support", "technischer Support", "assistance technique", "soporte técnico", "suporte técnico", "pomoc techniczna", "technische ondersteuning", "teknik destek", "техническая поддержка"},
	{"tech support", "technischer Support", "support technique", "soporte técnico", "suporte técnico", "pomoc techniczna", "technische ondersteuning", "teknik destek", "техподдержка"},
	{"toll free", "gebührenfrei", "numéro gratuit", "llamada gratuita", "ligação gratuita", "bezpłatna infolinia", "gratis nummer", "ücretsiz hat", "бесплатный звонок"},
	{"toll-free", "gebührenfrei", "numéro gratuit", "llamada gratuita", "ligação gratuita", "bezpłatna infolinia", "gratis nummer", "ücretsiz hat", "бесплатный звонок"},
	{"call now", "rufen Sie jetzt an", "appelez maintenant", "llame ahora", "ligue agora", "zadzwoń teraz", "bel nu", "hemen arayın", "позвоните сейчас"},
	{"call immediately", "rufen Sie sofort an", "appelez immédiatement", "llame inmediatamente", "ligue imediatamente", "zadzwoń natychmiast", "bel onmiddellijk", "derhal arayın", "позвоните немедленно"},
	{"please call", "bitte rufen Sie an", "veuillez appeler", "por favor llame", "por favor ligue", "prosimy zadzwonić", "bel alstublieft", "lütfen arayın", "пожалуйста, позвоните"},
	{"helpline", "Hotline", "assistance téléphonique", "línea de ayuda", "linha de apoio", "infolinia", "hulplijn", "yardım hattı", "горячая линия"},
	{"warning", "Warnung", "avertissement", "advertencia", "aviso", "ostrzeżenie", "waarschuwing", "uyarı", "предупреждение"},
	{"immediately", "sofort", "immédiatement", "inmediatamente", "imediatamente", "natychmiast", "onmiddellijk", "derhal", "немедленно"},
	{"for your security", "zu Ihrer Sicherheit", "pour votre sécurité", "por su seguridad", "para sua segurança", "dla twojego bezpieczeństwa", "voor uw veiligheid", "güvenliğiniz için", "для вашей безопасности"},
}

// phraseRE matches any English phrase of the table, longest first, with
// any white space between words.
var phraseRE, phraseIndex = func() (*regexp.Regexp, map[string]int) {
	idx := map[string]int{}
	var alts []string
	for i, row := range phraseTable {
		idx[row[0]] = i
		alts = append(alts, strings.ReplaceAll(regexp.QuoteMeta(row[0]), " ", `\s+`))
	}
	sort.SliceStable(alts, func(i, j int) bool { return len(alts[i]) > len(alts[j]) })
	return regexp.MustCompile(`(?i)\b(?:` + strings.Join(alts, "|") + `)\b`), idx
}()

// translate replaces the table's English phrases with one language, picked
// by rng; text the table does not cover stays as it is.
func translate(p *Page, rng *rand.Rand) (string, error) {
	lang := rng.IntN(len(translateLangs))
	p.mapText(func(text string, ctx textContext) string {
		return escapeFor(translateText(text, lang), ctx)
	})
	return translateLangs[lang], nil
}

// translateText replaces the phrases of s with language lang (an index of
// translateLangs), keeping upper case and capitalisation.
func translateText(s string, lang int) string {
	return phraseRE.ReplaceAllStringFunc(s, func(m string) string {
		key := strings.ToLower(strings.Join(strings.Fields(m), " "))
		i, ok := phraseIndex[key]
		if !ok {
			return m
		}
		return matchCase(m, phraseTable[i][1+lang])
	})
}

func matchCase(orig, repl string) string {
	if strings.ToUpper(orig) == orig && strings.ToLower(orig) != orig {
		return strings.ToUpper(repl)
	}
	r, _ := utf8.DecodeRuneInString(orig)
	if unicode.IsUpper(r) {
		f, n := utf8.DecodeRuneInString(repl)
		return string(unicode.ToUpper(f)) + repl[n:]
	}
	return repl
}
