package analyze

import (
	"bytes"
	"math/rand/v2"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

var hostSamples = []string{
	"", ".", "tawk.to", "https://embed.TAWK.TO/x", "xtawk.to", "a.b.c.d", "//widget.intercom.io/widget/abc",
	"ipwho.is", "api.IPIFY.org?format=json", "https://ipgeolocation.abstractapi.com/v1/", "ipgeolocation.io",
	"ip\u0130nfo.io", "\u212aelvin.tawk.to", "t\u212aawk.to", "liveChat.com.", "gist.build", "x.gist.buil",
	"ip-api.com/json", "ipinfo.io\u00e9", "\u00e9ipinfo.io", "extreme-ip-lookup.com/json", "Ipapi.Co",
}

// mayName is false only for strings whose lower case names none of the
// hosts: the check it saves could not have found one.
func checkHostFinder(t *testing.T, s string) {
	for _, list := range [][]string{chatHosts, ipInfoHosts} {
		f := newHostFinder(list)
		l := strings.ToLower(s)
		for _, h := range list {
			if strings.Contains(l, h) && !f.mayName(s) {
				t.Fatalf("%q names %s, mayName says no", s, h)
			}
		}
	}
}

func TestHostFinder(t *testing.T) {
	for _, s := range hostSamples {
		checkHostFinder(t, s)
	}
	f := newHostFinder(chatHosts)
	for _, s := range []string{"", "no dots here", "a.b", "jquery.min.js", "tawk.toast"[:4]} {
		if f.mayName(s) {
			t.Errorf("mayName(%q) = true", s)
		}
	}
	if chatHost("https://EMBED.tawk.to/1") != "tawk.to" || ipInfoHost("//IPAPI.co/json") != "ipapi.co" {
		t.Error("hosts not found")
	}
}

func FuzzHostFinder(f *testing.F) {
	for _, s := range hostSamples {
		f.Add(s)
	}
	f.Fuzz(checkHostFinder)
}

// pathMarker answers as its plain form, one search per marker.
func TestPathMarker(t *testing.T) {
	plain := func(s string) bool {
		for _, k := range []string{":\\", "HKEY_", "hkey_", "HKLM", "HKCU", "hklm", "hkcu", "/Library/", "/library/", "/System/", "/system/", "/private/var", "/usr/"} {
			if strings.Contains(s, k) {
				return true
			}
		}
		return false
	}
	for _, s := range []string{"", `C:\Windows`, "HKEY_LOCAL", "hkey_x", "HKLM", "HkLM", "hKCU", "hkcu", "/Library/x", "/library/",
		"/System/", "/system/", "/private/var", "/usr/bin", "usr/", "/usr", "Library/", "HK", "a/b", `a:\`, `:\`} {
		if pathMarker(s) != plain(s) {
			t.Errorf("pathMarker(%q) = %v", s, pathMarker(s))
		}
	}
}

// progressCandidate answers as the two searches it replaces.
func checkProgressCandidate(t *testing.T, b []byte) {
	want := indexFold(b, "<progress") >= 0 || indexFold(b, "progressbar") >= 0
	if got := progressCandidate(b); got != want {
		t.Fatalf("progressCandidate(%q) = %v", b, got)
	}
}

var progressSamples = []string{"", "g", "progress", "<progress", "<PROGRESS>", "<progres", "x<ProGress value=1>", "progressbar", "PROGRESSBAR",
	"progressba", "role=\"progressbar\"", "gg<progress", "progress<progress", "<g progress bar", "aprogressbar", "<progressg"}

func TestProgressCandidate(t *testing.T) {
	for _, s := range progressSamples {
		checkProgressCandidate(t, []byte(s))
	}
}

func FuzzProgressCandidate(f *testing.F) {
	for _, s := range progressSamples {
		f.Add([]byte(s))
	}
	f.Fuzz(checkProgressCandidate)
}

// hasFoldable answers as a test of every rune.
func checkHasFoldable(t *testing.T, s string) {
	want := strings.ContainsFunc(s, func(r rune) bool { return (r >= 0x0370 && r <= 0x058f) || invisible(r) || r == 'ɡ' })
	if got := hasFoldable(s); got != want {
		t.Fatalf("hasFoldable(%q) = %v", s, got)
	}
}

var foldableSamples = []string{"", "plain", "Міcrosoft", "Micro\u200bsoft", "caf\u00e9", "\xff\xfe", "\u00ad", "ɡoogle", "\u058f", "\u036f", "\xce", "é\u0370"}

func TestHasFoldable(t *testing.T) {
	for _, s := range foldableSamples {
		checkHasFoldable(t, s)
	}
}

func FuzzHasFoldable(f *testing.F) {
	for _, s := range foldableSamples {
		f.Add(s)
	}
	f.Fuzz(checkHasFoldable)
}

// normalizeText as it was written before its ASCII fast path: every rune
// through unicode.IsSpace and unicode.ToLower.
func normalizeTextPlain(s string) string {
	s = norm.NFKC.String(s)
	s = foldLookalikes(s)
	b := make([]byte, 0, len(s))
	space := true
	for _, r := range s {
		switch {
		case r == utf8.RuneError:
			continue
		case r == '\u200b' || r == '\u200c' || r == '\u200d' || r == '\u2060' || r == '\ufeff' || r == '\u00ad':
			continue
		case r == '\u2018' || r == '\u2019' || r == '\u02bc':
			r = '\''
		case r == '\u201c' || r == '\u201d':
			r = '"'
		}
		if unicode.IsSpace(r) {
			if !space {
				b = append(b, ' ')
				space = true
			}
			if (r == '\n' || r == '\t') && len(b) > 0 {
				b[len(b)-1] = '\n'
			}
			continue
		}
		space = false
		b = utf8.AppendRune(b, unicode.ToLower(r))
	}
	for len(b) > 0 && (b[len(b)-1] == ' ' || b[len(b)-1] == '\n') {
		b = b[:len(b)-1]
	}
	return string(b)
}

var normalizeSamples = []string{"", "Plain ASCII\tText\n", "Caf\u00e9  MICROSOFT\u00a0Support\r\n\v\f x", "\u2018quoted\u2019 \u201cdouble\u201d",
	"\xff\xfeA B", "Міcrosoft Dеfender", "Ｃａｌｌ　１－８００", "a\u0085b\u2028c", "\u200bzero\u00adwidth", "\tlead ", "İSTANBUL \u212a",
	" \t\n A  B\t \r\nC\v\fD \n", "x\t", "\n\n", "ABC xyz 0-9 [\\]^_`{|}~\x7f\x00",
	// ASCII runs between other characters (written in place, appendASCIIRun)
	"Your PC Is Infected!\n\n  Call\t+1 (844) 555-0142 ", "é \n\tX", "\u00a0\tA\u00a0 \n", "ÀÉÎ Straße \t\n"}

func TestNormalizeTextFastPath(t *testing.T) {
	for _, s := range normalizeSamples {
		if got, want := normalizeText(s), normalizeTextPlain(s); got != want {
			t.Errorf("normalizeText(%q) = %q, want %q", s, got, want)
		}
	}
}

func FuzzNormalizeTextFastPath(f *testing.F) {
	for _, s := range normalizeSamples {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := normalizeText(s), normalizeTextPlain(s); got != want {
			t.Fatalf("normalizeText(%q) = %q, want %q", s, got, want)
		}
	})
}

// callScheme answers as its plain form: trim, lower-case the head, compare.
func checkCallScheme(t *testing.T, s string) {
	plain := func(s string) string {
		s = strings.TrimLeft(s, " \t\r\n\f\x00")
		if len(s) < 4 {
			return ""
		}
		head := strings.ToLower(s[:min(len(s), 16)])
		for _, sc := range callSchemes {
			if strings.HasPrefix(head, sc) {
				return sc
			}
		}
		return ""
	}
	if got, want := callScheme(s), plain(s); got != want {
		t.Fatalf("callScheme(%q) = %q, want %q", s, got, want)
	}
}

var callSchemeSamples = []string{"", "tel:", " TEL:+1", "\x00\ttel:1", "Tel", "callto:x", "FaceTime-Audio:x", "facetime:x", "sips:a", "sip:a",
	"s\u212aype:x", "\u0130", "s\u0130p:1", "skype:" + strings.Repeat("é", 10), "tél:", "https://x", "\xfftel:"}

func TestCallScheme(t *testing.T) {
	for _, s := range callSchemeSamples {
		checkCallScheme(t, s)
	}
}

func FuzzCallScheme(f *testing.F) {
	for _, s := range callSchemeSamples {
		f.Add(s)
	}
	f.Fuzz(checkCallScheme)
}

// foldWords writes what foldWordsRef does; changesFolding is false only where foldWords leaves the text as it is,
// and true wherever it does not.
func checkChangesFolding(t *testing.T, s string) {
	want := foldWordsRef(s)
	if got := foldWords(s); got != want {
		t.Fatalf("foldWords(%q) = %q, want %q", s, got, want)
	}
	if got, want := changesFolding(s), want != s; got != want {
		t.Fatalf("changesFolding(%q) = %v, foldWords gives %q", s, got, foldWords(s))
	}
}

var foldingSamples = append([]string{"Ваш компьютер заблокирован", "Міcrosoft", "Microsoft сообщает", "Аррlе и Мас", "Windоws10",
	"Ο υπολογιστής σας", "ΜΙCROSOFT", "ɡoogle", "ɡ", "caf\u00e9 Рер", "Рé", "р\u0301x", "x\u0301р", "Р1x", "a\ufffdр", "a\xffр",
	"Micro\u200bsoft", "マイクロソフト サポート", "Ⅻр", "٣р"}, foldableSamples...)

func TestChangesFolding(t *testing.T) {
	for _, s := range foldingSamples {
		checkChangesFolding(t, s)
	}
	// Random strings of the letters, marks, digits, separators and bytes
	// the two tell apart.
	alphabet := []string{"a", "Z", "5", " ", "-", "é", "ß", "р", "Р", "ж", "ο", "λ", "օ", "ɡ", "\u0301", "\u0663", "\u200b", "\u00ad", "\xff", "\ufffd", "マ", "Ⅻ", "ǅ"}
	rng := rand.New(rand.NewPCG(1, 2))
	for range 20000 {
		var b strings.Builder
		for range 1 + rng.IntN(8) {
			b.WriteString(alphabet[rng.IntN(len(alphabet))])
		}
		checkChangesFolding(t, b.String())
	}
}

func FuzzChangesFolding(f *testing.F) {
	for _, s := range foldingSamples {
		f.Add(s)
	}
	f.Fuzz(checkChangesFolding)
}

// foldWordsRef is foldWords as first written: every rune of every word
// collected and written again.
func foldWordsRef(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	word := make([]rune, 0, 32)
	flush := func() {
		latin, foreign := false, false
		for _, r := range word {
			switch {
			case r < 0x80 && unicode.IsLetter(r), unicode.Is(unicode.Latin, r) && lookalikes[r] == 0:
				latin = true
			case lookalikes[r] != 0:
				foreign = true
			}
		}
		for _, r := range word {
			if latin && foreign {
				if l := lookalikes[r]; l != 0 {
					r = l
				}
			}
			b.WriteRune(r)
		}
		word = word[:0]
	}
	for _, r := range s {
		switch {
		case invisible(r):
			continue
		case unicode.IsLetter(r) || unicode.IsMark(r) || unicode.IsDigit(r):
			word = append(word, r)
		default:
			flush()
			b.WriteRune(r)
		}
	}
	flush()
	return b.String()
}

// spaceBounds trims what strings.TrimLeftFunc and TrimRightFunc with
// unicode.IsSpace trim; hasTemplateMarker finds what bytes.Contains finds.
func checkSpaceBounds(t *testing.T, s string) {
	b := []byte(s)
	want := bytes.Contains(b, []byte("$_")) || bytes.Contains(b, []byte("{{")) || bytes.Contains(b, []byte("<?"))
	if got := hasTemplateMarker(b); got != want {
		t.Fatalf("hasTemplateMarker(%q) = %v", s, got)
	}
	left := strings.TrimLeftFunc(s, unicode.IsSpace)
	body := strings.TrimRightFunc(left, unicode.IsSpace)
	if lo, hi := spaceBounds(s); lo != len(s)-len(left) || s[lo:hi] != body {
		t.Fatalf("spaceBounds(%q) = %d, %d; want %q", s, lo, hi, body)
	}
}

var spaceSamples = []string{"", " ", "\u00a0", " a ", "\t\n\v\f\r x \u0085", "\u3000全角\u3000", "\xff ", " \xff", "a\u2028", "x y", "\u00a0\u00a0", "{{", "x{", "<?=$p?>", "$", "$_GET", "{ {", "<a href=x>", "?<", "<<?", "$$_", "{x{{"}

func TestSpaceBounds(t *testing.T) {
	for _, s := range spaceSamples {
		checkSpaceBounds(t, s)
	}
}

func FuzzSpaceBounds(f *testing.F) {
	for _, s := range spaceSamples {
		f.Add(s)
	}
	f.Fuzz(checkSpaceBounds)
}

// oldMayHoldSystemPath is the test before systemPath as first written.
func oldMayHoldSystemPath(s string) bool {
	if strings.Contains(s, ":\\") {
		return true
	}
	// A drive written with a slash: a letter (or a byte of a longer
	// character) before ":/", and no letter or digit before it.
	for i := 1; i+1 < len(s); i++ {
		if s[i] == ':' && s[i+1] == '/' && (s[i-1] >= utf8.RuneSelf || unicode.IsLetter(rune(s[i-1]))) &&
			(i < 2 || !(s[i-2] < utf8.RuneSelf && (unicode.IsLetter(rune(s[i-2])) || unicode.IsDigit(rune(s[i-2]))))) {
			return true
		}
	}
	if strings.Contains(s, "HK") || strings.Contains(s, "hk") {
		for _, k := range []string{"HKEY_", "hkey_", "HKLM", "HKCU", "hklm", "hkcu"} {
			if strings.Contains(s, k) {
				return true
			}
		}
	}
	if strings.IndexByte(s, '/') >= 0 {
		for _, k := range []string{"/Library/", "/library/", "/System/", "/system/", "/private/var", "/usr/"} {
			if strings.Contains(s, k) {
				return true
			}
		}
	}
	return false
}

// mayHoldSystemPath passes every string the first test passed and
// systemPath matches: what detectSystemPaths finds is unchanged.
func checkMayHoldSystemPath(t *testing.T, s string) {
	if got, want := pathMarker(s), oldMayHoldSystemPath(s); got != want {
		t.Fatalf("pathMarker(%q) = %v, want %v", s, got, want)
	}
	if oldMayHoldSystemPath(s) && systemPath.MatchString(s) && !mayHoldSystemPath(s) {
		t.Fatalf("mayHoldSystemPath(%q) = false, but systemPath matches %q", s, systemPath.FindString(s))
	}
}

var systemPathSamples = []string{`C:\Windows\System32`, `c:\\program files\x`, `D:\\\windows`, `http:\/\/x`, `HKEY_LOCAL_MACHINE\x`, `hkey_current_user`,
	`Hkey_Classes_Root`, `HKLM\\Software`, `hkcu\x`, `/System/Library/x/`, `/library/Preferences/x`, `/Library/LaunchAgents/`, `/private/var/db`,
	`/usr/libexec/x`, `/USR/BIN/`, "/\u017fystem/library/", "h\u212aey_local_machine", `x:\Boot`, `e:\recovery`, `q:\Users\a`, `q:\Documents and Settings`,
	`/`, `a/b/c`, `/l`, `/s`, `:\`, "C:\\ProgramData", "/Usr/", "/System/",
	`C:/Users/Documents/`, `d:/windows/system32`, `c:/Program Files/x`, `https://example.com/users`, `x:/`, "\u212a:/users", `1c:/users`}

func TestMayHoldSystemPath(t *testing.T) {
	for _, s := range systemPathSamples {
		checkMayHoldSystemPath(t, s)
		checkMayHoldSystemPath(t, "x "+s+" y")
	}
}

func FuzzMayHoldSystemPath(f *testing.F) {
	for _, s := range systemPathSamples {
		f.Add(s)
	}
	f.Fuzz(checkMayHoldSystemPath)
}

// nextNonASCII finds the first byte that is not ASCII.
func TestNextNonASCII(t *testing.T) {
	for _, s := range []string{"", "a", "abcdefgh", "abcdefghé", "é", "abcdefg\xff", "abcdefgh12345678\x80", "0123456\u00e9789"} {
		for i := 0; i <= len(s); i++ {
			want := len(s)
			if j := strings.IndexFunc(s[i:], func(r rune) bool { return r >= utf8.RuneSelf }); j >= 0 {
				want = i + j
			}
			if got := nextNonASCII(s, i); got != want {
				t.Errorf("nextNonASCII(%q, %d) = %d, want %d", s, i, got, want)
			}
		}
	}
}
