package main

import (
	"os"
	"path/filepath"
	"testing"
)

func TestInlineScripts(t *testing.T) {
	page := []byte(`<html><head>
<script>var a = 1;</script>
<script src="x.js"></script>
<script type="application/ld+json">{"not": "run"}</script>
<script type="text/javascript">alert(2)</script>
<script type="module">import x from "y";</script>
</head><body><p>script</p></body></html>`)
	got := inlineScripts(page, nil)
	want := []string{"var a = 1;", "alert(2)", `import x from "y";`}
	if len(got) != len(want) {
		t.Fatalf("scripts %q, want %q", got, want)
	}
	for i := range want {
		if string(got[i]) != want[i] {
			t.Errorf("script %d = %q, want %q", i, got[i], want[i])
		}
	}
}

func TestMeasure(t *testing.T) {
	dir := t.TempDir()
	pages := map[string]string{
		"a.html":    `<script>var x = 1 +;</script><p>hello</p>`,
		"b.htm":     `<script>window.open("https://example.com")</script>`,
		"notes.txt": `<script>not a page</script>`,
	}
	for name, body := range pages {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	steps, err := measure(dir, 2)
	if err != nil {
		t.Fatal(err)
	}
	if len(steps) != 4 {
		t.Fatalf("%d steps, want 4: %+v", len(steps), steps)
	}
	if steps[0].Pages != 2 {
		t.Errorf("read %d pages, want 2 (a .txt file is no page)", steps[0].Pages)
	}
	syntax := steps[3]
	if syntax.Name != "script syntax" || syntax.Scripts != 2 || syntax.Broken != 1 {
		t.Errorf("script syntax step %+v, want 2 scripts, 1 broken", syntax)
	}
	if _, err := measure(t.TempDir(), 1); err == nil {
		t.Error("an empty directory measured without an error")
	}
}
