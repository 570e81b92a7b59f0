package corpus

import (
	"os"
	"path/filepath"
	"testing"
)

// collection lays out a kit the way the shared corpus does: the page
// scam/k1__index.html, its files under scam/assets/k1/, and a second page
// of the same kit stored beside it as scam/k1__popup.html.
func collection(t *testing.T) (abs string, e Entry) {
	t.Helper()
	abs = t.TempDir()
	for _, f := range []string{"scam/k1__index.html", "scam/k1__popup.html", "scam/assets/k1/app.js"} {
		p := filepath.Join(abs, filepath.FromSlash(f))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte("x"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return abs, Entry{File: "scam/k1__index.html", Label: "scam", Family: "k1", Path: "index.html"}
}

// relative is abs written relative to the working directory, as a user
// types "../shared/corpus".
func relative(t *testing.T, abs string) string {
	t.Helper()
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	rel, err := filepath.Rel(wd, abs)
	if err != nil || filepath.IsAbs(rel) {
		t.Fatalf("no relative path to %s: %v", abs, err)
	}
	return rel
}

// Whether the collection is named by an absolute or a relative path, and
// whichever form the reader asks about, a page resolves and aliases the
// same (issue 10, item 13: a relative collection path made a kit's second
// page unreachable, and the page scored clean).
func TestResolveAndAliasAnyPathForm(t *testing.T) {
	abs, e := collection(t)
	rel := relative(t, abs)
	want := filepath.Join(abs, "scam", "k1__popup.html")
	for _, dir := range []string{abs, rel, rel + string(filepath.Separator), filepath.Join(rel, "scam", "..")} {
		base, root := Resolve(dir, e)
		if base != filepath.Join(abs, "scam", "assets", "k1") || root != base {
			t.Errorf("Resolve(%q) = %q, %q", dir, base, root)
		}
		alias := Alias(dir, e)
		if alias == nil {
			t.Fatalf("Alias(%q) = nil", dir)
		}
		for _, asked := range []string{
			filepath.Join(abs, "scam", "assets", "k1", "popup.html"),
			filepath.Join(rel, "scam", "assets", "k1", "popup.html"),
		} {
			got, ok := alias(asked)
			if !ok || got != want {
				t.Errorf("dir %q: alias(%q) = %q, %v; want %q", dir, asked, got, ok, want)
			}
		}
		if got, ok := alias(filepath.Join(abs, "scam", "assets", "k1", "missing.html")); ok {
			t.Errorf("dir %q: alias of a page the collection lacks = %q", dir, got)
		}
		if got, ok := alias(filepath.Join(abs, "scam", "k1__popup.html")); ok {
			t.Errorf("dir %q: alias outside the assets folder = %q", dir, got)
		}
	}
}

// TestServe: a kit's page is served among its kit's files, though it is
// stored apart from them; a page without a kit folder is served in place.
func TestServe(t *testing.T) {
	abs, e := collection(t)
	s := Serve(relative(t, abs), e)
	if s.Root != filepath.Join(abs, "scam", "assets", "k1") || s.File != "k1__index.html" || s.InPlace || s.Path != filepath.Join(abs, "scam", "k1__index.html") {
		t.Fatalf("kit page served as %+v", s)
	}
	if p, ok := s.Alias(filepath.Join(s.Root, "popup.html")); !ok || p != filepath.Join(abs, "scam", "k1__popup.html") {
		t.Fatalf("alias of popup.html = %q, %v", p, ok)
	}
	if err := os.MkdirAll(filepath.Join(abs, "benign"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(abs, "benign", "news.html"), []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	plain := Entry{File: "benign/news.html", Label: "benign"}
	if s := Serve(abs, plain); s.Root != abs || s.File != "benign/news.html" || !s.InPlace {
		t.Fatalf("plain page served as %+v", s)
	}
}
