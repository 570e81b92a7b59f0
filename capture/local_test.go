package capture

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tssguard/tssguard/internal/testdirs"
)

func TestFromFileResources(t *testing.T) {
	dir := t.TempDir()
	page := write(t, dir, "kit/index.html", `<html><head>
<link rel="stylesheet" href="css/main.css">
<script src="js/a.js?v=3#x"></script>
<script>inline()</script>
<script src="js/missing.js"></script>
<script src="../../../../etc/passwd"></script>
<script src="%2e%2e/%2e%2e/%2e%2e/etc/hostname"></script>
<script src="..\..\..\etc\hosts"></script>
<script src="https://cdn.example/x.js"></script>
<script src="//cdn.example/y.js"></script>
<script src="file:///etc/passwd"></script>
<script src="data:text/javascript;base64,YWxlcnQoMSk="></script>
<script src="data:,var%20d%3D1%zz"></script>
<script src="/js/rooted.js"></script>
<script src="  js/sp
ace.js "></script>
<script src="js"></script>
</head><body><iframe src="frame.html"></iframe>
<iframe src="tel:+18445550142"></iframe>
<iframe srcdoc="<p>srcdoc scare</p><script src=js/c.js></script>"></iframe>
<iframe src="data:text/html,%3Cp%3Edata%20frame%3C/p%3E%3Cscript%20src=js/a.js%3E%3C/script%3E"></iframe>
</body></html>`)
	write(t, dir, "kit/css/main.css", "body{cursor:none}")
	write(t, dir, "kit/js/a.js", "var a = 1;")
	write(t, dir, "kit/js/rooted.js", "rooted()")
	write(t, dir, "kit/js/space.js", "space()")
	write(t, dir, "kit/frame.html", `<p>frame</p><script src="js/b.js"></script>`)
	write(t, dir, "kit/js/b.js", "var b = 2;")
	write(t, dir, "kit/js/c.js", "var c = 3;")
	write(t, dir, "etc/hostname", "secret-host") // outside the kit, inside dir
	c, err := FromFile(context.Background(), page, Options{})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{ // ref -> body or error
		"css/main.css":                             "body{cursor:none}",
		"js/a.js?v=3#x":                            "var a = 1;",
		"js/missing.js":                            "error:not found",
		"../../../../etc/passwd":                   "error:outside root, not read",
		"%2e%2e/%2e%2e/%2e%2e/etc/hostname":        "error:outside root, not read",
		`..\..\..\etc\hosts`:                       "error:outside root, not read",
		"https://cdn.example/x.js":                 "error:remote, not fetched",
		"//cdn.example/y.js":                       "error:remote, not fetched",
		"file:///etc/passwd":                       "error:file: URL not followed",
		"data:text/javascript;base64,YWxlcnQoMSk=": "alert(1)",
		"data:,var%20d%3D1%zz":                     "var d=1%zz",
		"/js/rooted.js":                            "rooted()",
		"js/sp\nace.js":                            "space()",
		"js":                                       "error:not a regular file",
		"js/b.js":                                  "var b = 2;",
		"js/c.js":                                  "var c = 3;",
	}
	got := byRef(c.Resources)
	for ref, w := range want {
		if got[ref] != w {
			t.Errorf("resource %q = %q, want %q", ref, got[ref], w)
		}
	}
	// The data: frame's relative reference resolves nowhere.
	for _, r := range c.Resources {
		if r.Ref == "js/a.js" && (r.Doc != 3 || !strings.Contains(r.Err, "data: document")) {
			t.Errorf("js/a.js of the data: frame = %+v, want a not-resolved error in document 3", r)
		}
	}
	wantDocs := [][2]string{{"main", "<html><head>"}, {"main/frame[1]", "<p>frame</p>"}, {"main/frame[2]", "<p>srcdoc scare</p>"}, {"main/frame[3]", "<p>data frame</p>"}}
	if len(c.Documents) != len(wantDocs) {
		t.Errorf("%d documents, want %d", len(c.Documents), len(wantDocs))
	}
	for i, d := range c.Documents[:min(len(c.Documents), len(wantDocs))] {
		if d.Frame != wantDocs[i][0] || !strings.HasPrefix(string(d.Body), wantDocs[i][1]) {
			t.Errorf("document %d = %s %.30q, want %s %q", i, d.Frame, d.Body, wantDocs[i][0], wantDocs[i][1])
		}
	}
	for _, r := range c.Resources {
		switch r.Ref {
		case "js/a.js?v=3#x":
			if r.Order != 1 || r.Doc != 0 || !strings.HasPrefix(r.URL, "file://") || !strings.HasSuffix(r.URL, "/kit/js/a.js") {
				t.Errorf("js/a.js = order %d doc %d url %s, want order 1, doc 0, a file URL", r.Order, r.Doc, r.URL)
			}
		case "js/missing.js":
			if r.Order != 3 {
				t.Errorf("js/missing.js order = %d, want 3 (inline scripts count)", r.Order)
			}
		case "js/b.js":
			if r.Doc != 1 {
				t.Errorf("js/b.js belongs to document %d, want 1", r.Doc)
			}
		case "js/c.js":
			if r.Doc != 2 {
				t.Errorf("js/c.js belongs to document %d, want 2 (srcdoc)", r.Doc)
			}
		}
	}
	if c.URL != c.FinalURL || !strings.HasPrefix(c.URL, "file://") || c.Took <= 0 {
		t.Errorf("url %q final %q took %v", c.URL, c.FinalURL, c.Took)
	}
}

func TestFromFileBaseDirAndRoot(t *testing.T) {
	dir := t.TempDir()
	page := write(t, dir, "pages/p.html", `<script src="js/k.js"></script><script src="../secret.js"></script><script src="../../../pages/p.html"></script>`)
	write(t, dir, "assets/kit/sub/js/k.js", "kit()")
	write(t, dir, "assets/kit/secret.js", "secret()")
	base := filepath.Join(dir, "assets/kit/sub")
	c, err := FromFile(context.Background(), page, Options{BaseDir: base})
	if err != nil {
		t.Fatal(err)
	}
	got := byRef(c.Resources)
	if got["js/k.js"] != "kit()" {
		t.Errorf("js/k.js = %q", got["js/k.js"])
	}
	for _, ref := range []string{"../secret.js", "../../../pages/p.html"} {
		if got[ref] != "error:outside root, not read" {
			t.Errorf("%s escaped the root (default BaseDir): %q", ref, got[ref])
		}
	}
	// A wider root lets ../ in, still never further.
	c, err = FromFile(context.Background(), page, Options{BaseDir: base, Root: filepath.Join(dir, "assets")})
	if err != nil {
		t.Fatal(err)
	}
	got = byRef(c.Resources)
	if got["../secret.js"] != "secret()" || got["../../../pages/p.html"] != "error:outside root, not read" {
		t.Errorf("with root assets/: %v", got)
	}
}

func TestSymlinkOutOfRoot(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, "outside/secret.js", "secret()")
	page := write(t, dir, "kit/index.html", `<script src="js/link.js"></script>`)
	if err := os.MkdirAll(filepath.Join(dir, "kit/js"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(filepath.Join(dir, "outside/secret.js"), filepath.Join(dir, "kit/js/link.js")); err != nil {
		t.Skip("no symbolic links:", err)
	}
	c, err := FromFile(context.Background(), page, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if r := c.Resources[0]; len(r.Body) != 0 || !strings.Contains(r.Err, "outside root") {
		t.Errorf("symbolic link out of the root: %+v", r)
	}
}

func TestBaseHrefLocal(t *testing.T) {
	dir := t.TempDir()
	page := write(t, dir, "index.html", `<base href="assets/v2/"><script src="app.js"></script>`)
	write(t, dir, "assets/v2/app.js", "app()")
	c, err := FromFile(context.Background(), page, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if got := byRef(c.Resources)["app.js"]; got != "app()" {
		t.Errorf("app.js under <base href=assets/v2/> = %q", got)
	}
	page = write(t, dir, "remote.html", `<base href="https://scam.example/kit/"><script src="assets/v2/app.js"></script>`)
	c, err = FromFile(context.Background(), page, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if got := byRef(c.Resources)["assets/v2/app.js"]; got != "app()" || !strings.Contains(strings.Join(c.Notes, "\n"), "base href") {
		t.Errorf("remote base: resource %q, notes %v; want read locally with a note", got, c.Notes)
	}
	page = write(t, dir, "escape.html", `<base href="../../"><script src="etc/passwd"></script>`)
	c, err = FromFile(context.Background(), page, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if got := byRef(c.Resources)["etc/passwd"]; got != "error:not found" {
		t.Errorf("a base outside the root must be ignored: %q", got)
	}
}

func TestCorpusResolution(t *testing.T) {
	dir, ok := testdirs.Corpus()
	if !ok {
		t.Skip("shared corpus not present")
	}
	page := filepath.Join(dir, "scam/finalpopup__index.php")
	if _, err := os.Stat(page); err != nil {
		t.Skip("finalpopup page not in the corpus")
	}
	base := filepath.Join(dir, "scam/assets/finalpopup")
	c, err := FromFile(context.Background(), page, Options{BaseDir: base})
	if err != nil {
		t.Fatal(err)
	}
	var read []string
	for _, r := range c.Resources {
		if r.Err == "" && len(r.Body) > 0 {
			read = append(read, filepath.Base(r.URL))
		}
	}
	for _, want := range []string{"main.css", "main.js", "fullscreen.js", "before.js"} {
		if !strings.Contains(strings.Join(read, " "), want) {
			t.Errorf("kit file %s not read; read %v; resources %+v", want, read, c.Resources)
		}
	}
}

func TestStdinRelativeRefs(t *testing.T) {
	page := `<script src="a.js"></script><script src="data:,x()"></script><script src="https://x.example/r.js"></script>`
	c, err := FromReader(context.Background(), strings.NewReader(page), "stdin", Options{})
	if err != nil {
		t.Fatal(err)
	}
	got := byRef(c.Resources)
	if !strings.Contains(got["a.js"], "--base-dir") || got["data:,x()"] != "x()" || got["https://x.example/r.js"] != "error:remote, not fetched" {
		t.Errorf("resources = %v", got)
	}
	if c.URL != "stdin:stdin" {
		t.Errorf("url = %q", c.URL)
	}
	dir := t.TempDir()
	write(t, dir, "a.js", "a()")
	c, err = FromReader(context.Background(), strings.NewReader(page), "stdin", Options{BaseDir: dir, PageURL: "https://victim.example/?phone=18445550142"})
	if err != nil {
		t.Fatal(err)
	}
	if got := byRef(c.Resources)["a.js"]; got != "a()" {
		t.Errorf("a.js with BaseDir = %q", got)
	}
	if c.URL != "https://victim.example/?phone=18445550142" || c.Documents[0].URL != c.URL {
		t.Errorf("PageURL not recorded: %q / %q", c.URL, c.Documents[0].URL)
	}
}

func TestBadInput(t *testing.T) {
	for name, tc := range map[string]struct{ body, want string }{
		"empty":    {"", "it is empty"},
		"blank":    {"  \n\t ", "it is empty"},
		"bom only": {"\xef\xbb\xbf \n", "it is empty"},
		"png":      {"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "looks like PNG image"},
		"jpeg":     {"\xff\xd8\xff\xe0\x00\x10JFIF", "looks like JPEG image"},
		"gif":      {"GIF89a\x01\x00\x01\x00", "looks like GIF image"},
		"pdf":      {"%PDF-1.7\n%\xe2\xe3", "looks like PDF document"},
		"zip":      {"PK\x03\x04\x14\x00", "looks like ZIP archive"},
		"gzip":     {"\x1f\x8b\x08\x00", "looks like gzip data"},
		"exe":      {"MZ\x90\x00\x03\x00", "looks like Windows executable"},
		"webp":     {"RIFF\x24\x00\x00\x00WEBPVP8 ", "looks like WebP image"},
		"binary":   {"abc\x00\x01\x02def", "NUL bytes"},
		"controls": {strings.Repeat("\x01\x02\x03\x04abcdef", 50), "control characters"},
	} {
		_, err := FromReader(context.Background(), strings.NewReader(tc.body), name, Options{})
		if !errors.Is(err, ErrNotHTML) || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: err = %v, want ErrNotHTML saying %q", name, err, tc.want)
		}
	}
	// Text that merely starts like a magic number is a page.
	for _, body := range []string{"MZ Support: call now", "BM tech <p>alert", "ID3 player <script>", "OTTO's page"} {
		if _, err := FromReader(context.Background(), strings.NewReader(body), "text", Options{}); err != nil {
			t.Errorf("%q refused: %v", body, err)
		}
	}
	if _, err := FromFile(context.Background(), filepath.Join(t.TempDir(), "nope.html"), Options{}); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("missing file: err = %v", err)
	}
	if _, err := FromFile(context.Background(), t.TempDir(), Options{}); err == nil || !strings.Contains(err.Error(), "directory") {
		t.Errorf("directory: err = %v", err)
	}
	png := write(t, t.TempDir(), "logo.html", "\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
	if _, err := FromFile(context.Background(), png, Options{}); err == nil || !strings.Contains(err.Error(), "not an HTML page: looks like PNG image") {
		t.Errorf("png file: err = %v", err)
	}
}

func TestTruncation(t *testing.T) {
	big := "<p>" + strings.Repeat("x", 50<<20)
	c, err := FromReader(context.Background(), strings.NewReader(big), "big", Options{Policy: Policy{MaxPageBytes: 1 << 20}})
	if err != nil {
		t.Fatal(err)
	}
	if d := c.Documents[0]; !d.Truncated || len(d.Body) != 1<<20 {
		t.Errorf("truncated=%v len=%d, want a 1 MiB truncated body", d.Truncated, len(d.Body))
	}
	if !strings.Contains(strings.Join(c.Notes, "\n"), "truncated at 1048576 bytes") {
		t.Errorf("notes = %v, want the truncation noted", c.Notes)
	}
	// A cap that cuts a UTF-8 character in two must not turn the page into
	// windows-1252 mojibake.
	page := "<p>" + strings.Repeat("Virus détecté ウイルス ", 100)
	c, err = FromReader(context.Background(), strings.NewReader(page), "cut", Options{Policy: Policy{MaxPageBytes: 1001}})
	if err != nil {
		t.Fatal(err)
	}
	body := string(c.Documents[0].Body)
	if !strings.Contains(body, "détecté ウイルス") || strings.Contains(body, "Ã") {
		t.Errorf("cut UTF-8 page decoded wrongly: %q", body[:60])
	}
	// A script over MaxResourceBytes is truncated and noted.
	dir := t.TempDir()
	write(t, dir, "big.js", strings.Repeat("a", 5000))
	p := write(t, dir, "i.html", `<script src="big.js"></script>`)
	c, err = FromFile(context.Background(), p, Options{Policy: Policy{MaxResourceBytes: 1000}})
	if err != nil {
		t.Fatal(err)
	}
	if r := c.Resources[0]; !r.Truncated || len(r.Body) != 1000 || !strings.Contains(strings.Join(c.Notes, "\n"), "script big.js truncated at 1000 bytes") {
		t.Errorf("big.js truncated=%v len=%d notes=%v", r.Truncated, len(r.Body), c.Notes)
	}
}

func TestResourceLimits(t *testing.T) {
	dir := t.TempDir()
	var page strings.Builder
	for i := range 10 {
		write(t, dir, fmt.Sprintf("s%d.js", i), strings.Repeat("x", 400))
		fmt.Fprintf(&page, `<script src="s%d.js"></script>`, i)
	}
	p := write(t, dir, "i.html", page.String())
	c, err := FromFile(context.Background(), p, Options{Policy: Policy{MaxResources: 4}})
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Resources) != 4 || !strings.Contains(strings.Join(c.Notes, "\n"), "only the first 4") {
		t.Errorf("resources %d, notes %v; want 4 and a note", len(c.Resources), c.Notes)
	}
	// The page's resources share a byte budget (4 x MaxPageBytes).
	c, err = FromFile(context.Background(), p, Options{Policy: Policy{MaxPageBytes: 300, MaxResourceBytes: 1000}})
	if err != nil {
		t.Fatal(err)
	}
	read, refused := 0, 0
	for _, r := range c.Resources {
		switch {
		case r.Err == "":
			read++
		case strings.Contains(r.Err, "in total"):
			refused++
		}
	}
	if read != 3 || refused != 7 {
		t.Errorf("read %d, refused %d; want 3 read (1200-byte budget), 7 refused", read, refused)
	}
	c, err = FromFile(context.Background(), p, Options{NoResources: true})
	if err != nil || len(c.Resources) != 0 || len(c.Documents) != 1 {
		t.Errorf("NoResources: %v, %d resources", err, len(c.Resources))
	}
}

func TestNotesBounded(t *testing.T) {
	var page bytes.Buffer
	for i := range 500 {
		fmt.Fprintf(&page, `<iframe src="f%d.html"></iframe>`, i)
	}
	c, err := FromFile(context.Background(), write(t, t.TempDir(), "i.html", page.String()), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Notes) > maxNotes+1 || !strings.HasSuffix(c.Notes[len(c.Notes)-1], "more notes left out") {
		t.Errorf("%d notes, last %q", len(c.Notes), c.Notes[len(c.Notes)-1])
	}
}

func TestContextCancelled(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, "a.js", "a()")
	p := write(t, dir, "i.html", `<script src="a.js"></script>`)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	c, err := FromFile(ctx, p, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Resources) != 0 || !strings.Contains(strings.Join(c.Notes, "\n"), "interrupted") {
		t.Errorf("resources %d, notes %v", len(c.Resources), c.Notes)
	}
}

// TestAliasFrame: a collection stores a kit's popup.html elsewhere (Alias);
// the popup's own scripts still resolve in the kit's directory.
func TestAliasFrame(t *testing.T) {
	dir := t.TempDir()
	page := write(t, dir, "kit/index.html", `<iframe src="popup.html"></iframe><iframe src="https://ads.example/f.html"></iframe><iframe src="//ads.example/g.html"></iframe>`)
	write(t, dir, "kit/init.js", "init()")
	stored := write(t, dir, "store/kit__popup.html", `<p>popup<script src="init.js"></script>`)
	want := filepath.Join(dir, "kit", "popup.html")
	alias := func(p string) (string, bool) { return stored, p == want }
	c, err := FromFile(context.Background(), page, Options{Alias: alias})
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Documents) != 2 || c.Documents[1].URL != fileURL(stored) {
		t.Fatalf("documents: %+v", c.Documents)
	}
	if got := byRef(c.Resources)["init.js"]; got != "init()" {
		t.Errorf("init.js of the aliased frame = %q", got)
	}
	if strings.Join(c.Notes, "|") != "2 remote frames not fetched (local pages are read offline)" {
		t.Errorf("notes = %q", c.Notes)
	}
}

// TestLocalReadsPastTheFetchCap: a kit's files are all read, however many
// empty scripts come before its payload.
func TestLocalReadsPastTheFetchCap(t *testing.T) {
	dir := t.TempDir()
	var page strings.Builder
	for i := range DefaultPolicy().MaxResources + 10 {
		write(t, dir, fmt.Sprintf("d%d.js", i), "var d = 1;")
		fmt.Fprintf(&page, `<script src="d%d.js"></script>`, i)
	}
	write(t, dir, "app.js", "location.href = 'tel:+18445550142';")
	page.WriteString(`<script src="app.js"></script>`)
	c, err := FromFile(context.Background(), write(t, dir, "i.html", page.String()), Options{})
	if err != nil {
		t.Fatal(err)
	}
	last := c.Resources[len(c.Resources)-1]
	if !strings.HasSuffix(last.URL, "app.js") || string(last.Body) == "" {
		t.Fatalf("%d resources read, the last %s (%d bytes); notes %v", len(c.Resources), last.URL, len(last.Body), c.Notes)
	}
}
