package js

import (
	"slices"
	"testing"
)

func TestGlobalsOfAScript(t *testing.T) {
	f := Analyze([]byte(`var phone_number = '(050) 5050 1859';
let brand = "Micro" + "soft", n = 3;
var later; later = 'x';
const helpline = phone_number;
function f() { var local = 'no'; return missing + local; }
document.write(other);`), Options{})
	got := map[string]Global{}
	for _, g := range f.Globals {
		got[g.Name] = g
	}
	want := map[string]Global{
		"phone_number": {"phone_number", "(050) 5050 1859", true},
		"brand":        {"brand", "Microsoft", true},
		"n":            {Name: "n"},          // a number: only strings are given on
		"later":        {"later", "x", true}, // written once, as the script's own folding reads it
		"helpline":     {"helpline", "(050) 5050 1859", true},
	}
	for name, w := range want {
		if g, ok := got[name]; !ok || g != w {
			t.Errorf("global %s = %+v, want %+v", name, g, w)
		}
	}
	if _, ok := got["local"]; ok {
		t.Error("a function's own variable is no global")
	}
	for _, name := range []string{"missing", "other", "document"} {
		if !slices.Contains(f.Free, name) {
			t.Errorf("Free = %v, want %s in it", f.Free, name)
		}
	}
	if slices.Contains(f.Free, "phone_number") {
		t.Errorf("Free = %v names a declared variable", f.Free)
	}
}

func TestGlobalsFromEarlierScripts(t *testing.T) {
	globals := map[string]string{"phone": "+1-844-555-0142", "tel": "tel:+18445550142", "mine": "theirs"}
	f := Analyze([]byte(`document.write(phone);
document.write("<b>" + phone + "</b>");
setTimeout(function () { location.href = tel; }, 3000);
var mine = 'own'; document.write(mine);
document.write(unknown);`), Options{Globals: globals})
	var writes []string
	for _, c := range f.Calls {
		if c.Method == "write" {
			writes = append(writes, argAt(c.Args, 0))
		}
	}
	want := []string{"+1-844-555-0142", "<b>+1-844-555-0142</b>", "own", ""}
	if !slices.Equal(writes, want) {
		t.Errorf("document.write args = %q, want %q", writes, want)
	}
	found := false
	for _, a := range f.Assigns {
		if a.Target == "location.href" && a.Value == "tel:+18445550142" && a.Ctx&InTimer != 0 {
			found = true
		}
	}
	if !found {
		t.Errorf("the timer's location.href = tel is not folded: %+v", f.Assigns)
	}
	// Without the globals nothing folds.
	g := Analyze([]byte(`document.write(phone);`), Options{})
	if len(g.Calls) == 0 || argAt(g.Calls[0].Args, 0) != "" {
		t.Errorf("without globals: %+v", g.Calls)
	}
}
