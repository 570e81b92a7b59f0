package phone

import (
	"bufio"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/tssguard/tssguard/internal/testdirs"
)

// visibleText is a crude tag strip: scripts, styles and tags become spaces.
func visibleText(page string) string {
	return tagRE.ReplaceAllString(page, " ")
}

var (
	tagRE  = regexp.MustCompile(`(?is)<script.*?</script>|<style.*?</style>|<!--.*?-->|<[^>]*>`)
	langRE = regexp.MustCompile(`(?i)<html[^>]*\blang=["']?([a-zA-Z_-]+)`)
)

// corpusPages reads the shared corpus manifest: file → lang from its notes
// ("lang=ja"), else from the page's <html lang>.
func corpusPages(t *testing.T) (dir string, langs map[string]string) {
	dir, ok := testdirs.Corpus()
	if !ok {
		t.Skip("shared corpus not present")
	}
	f, err := os.Open(filepath.Join(dir, "MANIFEST.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	langs = map[string]string{}
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		cols := strings.Split(sc.Text(), "\t")
		if len(cols) < 8 || strings.HasPrefix(cols[2], "asset-of") {
			continue
		}
		lang := ""
		if _, after, ok := strings.Cut(cols[7], "lang="); ok {
			lang, _, _ = strings.Cut(after, ";")
		}
		langs[cols[0]] = lang
	}
	return dir, langs
}

func readPage(t *testing.T, dir, file, lang string) (text string, opts Options) {
	b, err := os.ReadFile(filepath.Join(dir, file))
	if err != nil {
		t.Fatal(err)
	}
	if lang == "" {
		if m := langRE.FindSubmatch(b); m != nil {
			lang = string(m[1])
		}
	}
	return visibleText(string(b)), Options{Regions: RegionsForLang(lang)}
}

// TestCorpusHotlines: the hotline of real scam pages is found in their
// visible text, with the regions their language suggests. Expectations
// were read off the pages.
func TestCorpusHotlines(t *testing.T) {
	dir, langs := corpusPages(t)
	want := map[string]string{
		"scam/swan__index.html":                        "+18553436624", // +1(855) 343-6624
		"scam/njmpop__mac_r123.html":                   "+18446360496", // +1-844-636-0496
		"scam/Antivirus-Win-Def-1__index.html":         "+18887683866", // +1-888-768-3866
		"scam/projectFullScreen__index.html":           "+18003836067", // (800) 383-6067
		"scam/FLCA__index.html":                        "+18334560462", // +1 (833) 456 - 0462
		"scam/win--__index.html":                       "+19299440483", // (929) 944 - 0483
		"scam/win--__5214indx.html":                    "+16614593246", // 1(661)459-3246
		"scam/usnationno-adut__index.html":             "+18339825135", // bare 18339825135
		"scam/fr01__01index.html":                      "+18058658014", // 1-(805) 865-8014
		"scam/testing__index.html":                     "+18445834337",
		"scam/supernewsl__index.html":                  "+18886620567",
		"scam/fakevirus__index.html":                   "+815054377756", // ja: 050 5437 7756
		"scam/interesting__index.html":                 "+15057556579",  // ja: (0101) 505 755 6579
		"scam/popdec__index.html":                      "+15018599189",  // ja: 0101 501 859 9189
		"scam/frenchhubimg__index.html":                "+18557030225",  // fr: 001.855.703.0225
		"scam/s__index.html":                           "+33970501235",  // fr: 09 70 50 12 35
		"scam/canada__popup.html":                      "+15144473819",  // fr: +1 514-447-3819
		"scam/hagbrefgs__index.html":                   "+18333923075",  // de: 00 18 33 392 30 75
		"scam/bsodpo3__index.html":                     "+18554913478",  // de: +1 855 491 3478
		"scam/rtfdeef__index.html":                     "+496703081235", // de: 0670-308-1235
		"scam/austriajan30__index.html":                "+436609661921", // de: 0660-9661921, Austrian mobile
		"scam/kefuchberodnde__index.html":              "+43800018157",  // +43(0)-8000-18157
		"scam/porn-page-porn-page-infront__index.html": "+447520691922", // +44 752 0691 922
		"scam/jap-into-germany__index.html":            "+447418318513", // 0044 7418 318513
	}
	for file, e164 := range want {
		text, opts := readPage(t, dir, file, langs[file])
		got := Find(text, opts)
		found := false
		for _, n := range got {
			found = found || n.E164 == e164
		}
		if !found {
			t.Errorf("%s (regions %v): %s not found; got %+v", file, opts.Regions, e164, got)
		}
	}
}

// TestCorpusBenignPrecision: the visible text of the benign pages (news,
// docs, media, a repair shop) holds no number that is not a real one.
func TestCorpusBenignPrecision(t *testing.T) {
	dir, langs := corpusPages(t)
	real := map[string]bool{
		"+12123182000": true, "+442073307500": true, "+6562121000": true, // Bloomberg offices
		"+18668683678": true,                       // Fortinet sales
		"+18888479869": true,                       // TMZ tip line
		"+12066526593": true,                       // Seattle Times newsroom
		"+14787773201": true, "+14789879489": true, // the repair shop
		"+88635847231": true, "+886937141993": true, // pixnet (Taiwan): a shop's phone and mobile
	}
	files, _ := filepath.Glob(filepath.Join(dir, "benign", "*"))
	if len(files) == 0 {
		t.Skip("no benign pages")
	}
	for _, path := range files {
		file := "benign/" + filepath.Base(path)
		if st, err := os.Stat(path); err != nil || st.IsDir() {
			continue
		}
		text, opts := readPage(t, dir, file, langs[file])
		for _, n := range Find(text, opts) {
			if !real[n.E164] {
				t.Errorf("%s (regions %v): %q read as %s", file, opts.Regions, n.Raw, n.E164)
			}
		}
	}
}
