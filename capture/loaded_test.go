package capture

import (
	"context"
	"strings"
	"testing"
)

// The scripts a page's own code loads are listed by address, once, and
// only those: a src of an image, a comparison, another host's tracker in
// a local read.
func TestLoadedScripts(t *testing.T) {
	code := []string{
		`document.write("<script src=\"js/payload.js\"><\/script>");`,
		`document.write('<SCRIPT type="text/javascript" src=js/two.js></SCRIPT>');`,
		`var s = document.createElement("script"); s.src = "js/three.js?v=2"; document.head.appendChild(s);`,
		`img.src = "img/logo.png"; if (s.src == "js/no.js") {}; x.src = 'js/' + name + '.js';`,
		`el.setAttribute("src", "js/four.js"); $.getScript('api/five');`,
		`s.src = "js/three.js?v=2"; document.write("<script src='js/a.js'><\/script>");`,
		`j.src = 'js/gtm.js?id=' + i + dl; k.setAttribute("src", "js/part.js?" + v);`,
	}
	checkLoaded(t, code, []Ref{{Kind: KindScript, Ref: "js/a.js"}}, KindLoadedScript,
		"js/payload.js js/two.js js/three.js?v=2 js/four.js api/five")
}

// checkLoaded checks that LoadedRefs of code, known aside, lists want (the
// addresses, in order, parted by spaces), each of kind.
func checkLoaded(t *testing.T, code []string, known []Ref, kind ResourceKind, want string) {
	t.Helper()
	var refs []string
	for _, r := range LoadedRefs(code, known) {
		if r.Kind != kind {
			t.Errorf("%+v: kind %s, want %s", r, r.Kind, kind)
		}
		refs = append(refs, r.Ref)
	}
	if got := strings.Join(refs, " "); got != want {
		t.Errorf("loaded %q, want %q", got, want)
	}
}

// A local capture reads the script a page writes a tag for, and not a
// tracker of another host.
func TestFromFileReadsLoadedScripts(t *testing.T) {
	dir := t.TempDir()
	page := write(t, dir, "kit/index.html", `<html><body><p>Loading</p>
<script>document.write("<script src=\"js/dial.js\"><\/script>"); var t = document.createElement("script"); t.src = "https://tracker.example/t.js";</script>
<iframe srcdoc="<script src=js/frame.js></script>"></iframe></body></html>`)
	write(t, dir, "kit/js/dial.js", `location.href = "tel:+18445550142";`)
	write(t, dir, "kit/js/frame.js", `var f = 1;`)
	c, err := FromFile(context.Background(), page, Options{})
	if err != nil {
		t.Fatal(err)
	}
	var loaded []Resource
	for _, r := range c.Resources {
		if r.Kind == KindLoadedScript {
			loaded = append(loaded, r)
		}
	}
	if len(loaded) != 1 || loaded[0].Ref != "js/dial.js" || loaded[0].Doc != 0 || !strings.Contains(string(loaded[0].Body), "tel:") {
		t.Fatalf("loaded scripts %+v, want js/dial.js of document 0", loaded)
	}
}

// The documents a page's own code loads (a frame it makes, jQuery's load,
// a fetch or XMLHttpRequest written in, a window it opens) are listed as
// frames, once; an API's address and a frame the tags name are not.
func TestLoadedDocuments(t *testing.T) {
	code := []string{
		`var f = document.createElement("iframe"); f.src = "alert.html"; document.body.appendChild(f);`,
		`$("#box").load("popup/scan.php?id=2"); fetch("lock.htm").then(r => r.text()).then(t => document.body.innerHTML = t);`,
		`var x = new XMLHttpRequest(); x.open("GET", "second.html"); $.get('third.html', cb);`,
		`window.open("fullscreen.html", "_blank"); fetch("api/data.json"); f2.src = "frame.html";`,
		`g.setAttribute("src", "alert.html"); h.src = "pages/" + n + ".html";`,
	}
	checkLoaded(t, code, []Ref{{Kind: KindFrame, Ref: "frame.html"}}, KindFrame,
		"alert.html popup/scan.php?id=2 lock.htm third.html second.html fullscreen.html")
}

// A local capture reads the document a page's code puts in, and an
// object's page, as frames.
func TestFromFileReadsLoadedDocuments(t *testing.T) {
	dir := t.TempDir()
	page := write(t, dir, "kit/index.html", `<html><body><div id="x"></div><object data="obj.html" type="text/html"></object>
<script>$("#x").load("alert.html");</script></body></html>`)
	write(t, dir, "kit/alert.html", `<p>Call +1-844-555-0142</p>`)
	write(t, dir, "kit/obj.html", `<p>Object</p>`)
	c, err := FromFile(context.Background(), page, Options{})
	if err != nil {
		t.Fatal(err)
	}
	var docs []string
	for _, d := range c.Documents[1:] {
		docs = append(docs, d.URL[strings.LastIndexByte(d.URL, '/')+1:])
	}
	if strings.Join(docs, " ") != "obj.html alert.html" {
		t.Fatalf("documents %v, want obj.html and alert.html", docs)
	}
}
