package capture

import (
	"bytes"
	"path/filepath"
	"strings"
	"testing"
)

func TestReferences(t *testing.T) {
	doc := `<script src=a.js></script><script>x</script><link rel="Stylesheet preload" href=s.css>` +
		`<SCRIPT SRC="b.js" src="dup.js"></SCRIPT><iframe src=f.html></iframe>` +
		`<link rel=preload href=p.css><link rel=stylesheet><script src="  "></script>` +
		`<noscript><script src=no.js></script><link rel=stylesheet href=no.css></noscript>` +
		`<script>document.write('<script src=w.js><\/script>')</script>` +
		`<!-- <script src=comment.js></script> -->` +
		`<textarea><script src=ta.js></script></textarea>` +
		`<iframe srcdoc="&lt;b&gt;hi" src=ignored.html></iframe><frame src=fr.html><base href=/kit/><base href=/second/>` +
		`<object data="data:text/html,<b>obj</b>"></object><object data=movie.swf></object><embed src=" data:text/html,<i>emb</i>">` +
		`<embed src=clip.mp4><object src="data:text/html,ignored"></object>`
	refs, base, _ := scanDocument([]byte(doc))
	want := []Ref{
		{Kind: KindScript, Ref: "a.js", Order: 1, Offset: 0},
		{Kind: KindStylesheet, Ref: "s.css", Offset: strings.Index(doc, "<link")},
		{Kind: KindScript, Ref: "b.js", Order: 3, Offset: strings.Index(doc, "<SCRIPT")},
		{Kind: KindFrame, Ref: "f.html", Offset: strings.Index(doc, "<iframe")},
		{Kind: KindFrame, Ref: SrcdocURL, Offset: strings.Index(doc, "<iframe srcdoc"), Srcdoc: "<b>hi"},
		{Kind: KindFrame, Ref: "fr.html", Offset: strings.Index(doc, "<frame ")},
		{Kind: KindFrame, Ref: "data:text/html,<b>obj</b>", Offset: strings.Index(doc, "<object")},
		{Kind: KindFrame, Ref: "data:text/html,<i>emb</i>", Offset: strings.Index(doc, "<embed")},
	}
	if len(refs) != len(want) {
		t.Fatalf("refs = %+v", refs)
	}
	for i := range want {
		if refs[i] != want[i] {
			t.Errorf("ref %d = %+v, want %+v", i, refs[i], want[i])
		}
	}
	if base != "/kit/" {
		t.Errorf("base = %q, want the first <base href>", base)
	}
	for _, r := range refs {
		if !strings.HasPrefix(doc[r.Offset:], "<") {
			t.Errorf("offset %d of %s does not point at a tag", r.Offset, r.Ref)
		}
	}
}

func TestReferencesHostile(t *testing.T) {
	deep := bytes.Repeat([]byte("<div>"), 100000)
	if got := References(append(deep, `<script src=x.js></script>`...)); len(got) != 1 || got[0].Offset != 500000 {
		t.Errorf("deep nesting: %+v", got)
	}
	many := bytes.Repeat([]byte(`<script src=x.js></script>`), 5000)
	if got := References(many); len(got) != MaxRefs {
		t.Errorf("%d refs, want the cap %d", len(got), MaxRefs)
	}
	// An unclosed script swallows the rest, as in a browser.
	if got := References([]byte(`<script>var s = "<script src=late.js></script>`)); len(got) != 0 {
		t.Errorf("refs inside a script: %+v", got)
	}
	for _, s := range []string{"", "<", "<script src", "<script src='", "\x00\xff<link rel=stylesheet href=\x00>"} {
		References([]byte(s)) // must not panic
	}
}

func TestWalkPages(t *testing.T) {
	dir := t.TempDir()
	for _, f := range []string{"a.html", "b/c.php", "b/d.js", ".git/e.html", "node_modules/f.html", "vendor/x/y.php",
		"g.HTM", "h.png", "js/popup.html", "css/style.css", "images/lock.jpg", "readme.txt", "k/l/m.aspx", ".hidden.html"} {
		write(t, dir, f, "<p>x")
	}
	got, err := WalkPages(dir)
	if err != nil {
		t.Fatal(err)
	}
	var rel []string
	for _, p := range got {
		r, _ := filepath.Rel(dir, p)
		rel = append(rel, filepath.ToSlash(r))
	}
	if strings.Join(rel, ",") != ".hidden.html,a.html,b/c.php,g.HTM,js/popup.html,k/l/m.aspx" {
		t.Errorf("pages = %v", rel)
	}
	if _, err := WalkPages(filepath.Join(dir, "nope")); err == nil {
		t.Error("missing directory: no error")
	}
	if got, _ := WalkPages(filepath.Join(dir, "a.html")); len(got) != 1 {
		t.Errorf("a page file walks to itself: %v", got)
	}
}

func TestIsPage(t *testing.T) {
	for name, want := range map[string]bool{
		"index.html": true, "INDEX.HTM": true, "a.xhtml": true, "a.shtml": true, "index.php": true,
		"a.asp": true, "a.aspx": true, "a.jsp": true, "a.js": false, "a.css": false, "a.png": false,
		"a.txt": false, "a.json": false, "html": false, "a.html.bak": false,
	} {
		if IsPage(name) != want {
			t.Errorf("IsPage(%q) = %v", name, !want)
		}
	}
}
