package js

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"
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
		"phone_number": {Name: "phone_number", Value: "(050) 5050 1859", Known: true},
		"brand":        {Name: "brand", Value: "Microsoft", Known: true},
		"n":            {Name: "n"},                              // a number: only strings are given on
		"later":        {Name: "later", Value: "x", Known: true}, // written once, as the script's own folding reads it
		"helpline":     {Name: "helpline", Value: "(050) 5050 1859", Known: true},
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

// A default an unknown value falls back on is known in part: writes read
// it, exact readings (a navigation's target, a condition) do not.
func TestDefaultsArePartial(t *testing.T) {
	f := Analyze([]byte(`var phone = getParam("phone") || "+1-844-555-0142";
var tel = q.get("t") ? q.get("t") : "tel:+18445550142";
var none = getParam("x") || "";
var both = a ? "one" : "two";
document.write(phone);
location.href = tel;`), Options{})
	got := map[string]Global{}
	for _, g := range f.Globals {
		got[g.Name] = g
	}
	for name, w := range map[string]Global{
		"phone": {Name: "phone", Value: "+1-844-555-0142", Known: true, Partial: true},
		"tel":   {Name: "tel", Value: "tel:+18445550142", Known: true, Partial: true},
		"none":  {Name: "none"},
		"both":  {Name: "both"}, // two constants: neither is the default
	} {
		if g := got[name]; g != w {
			t.Errorf("global %s = %+v, want %+v", name, g, w)
		}
	}
	for _, c := range f.Calls {
		if c.Method == "write" && (argAt(c.Args, 0) != "" || argAt(c.PartialArgs, 0) != "+1-844-555-0142") {
			t.Errorf("document.write(phone): args %q, partial %q; want the default as partial only", c.Args, c.PartialArgs)
		}
	}
	for _, a := range f.Assigns {
		if a.Target == "location.href" && (a.Value != "" || a.Partial != "tel:+18445550142") {
			t.Errorf("location.href = tel: %+v; want the default as partial only", a)
		}
	}
	// Given on to a later script, the value stays partial.
	g := Analyze([]byte(`document.write(phone); location.href = tel;`), Options{Globals: map[string]string{"phone": Unknown + "+1-844-555-0142", "tel": Unknown + "tel:+18445550142"}})
	if len(g.Calls) == 0 || argAt(g.Calls[0].Args, 0) != "" || argAt(g.Calls[0].PartialArgs, 0) != "+1-844-555-0142" {
		t.Errorf("a partial global written: %+v", g.Calls)
	}
	if len(g.Assigns) == 0 || g.Assigns[0].Value != "" {
		t.Errorf("a partial global taken as an exact navigation: %+v", g.Assigns)
	}
}

// Defaults nest without the folding growing with their depth: each
// conditional's branches are folded once.
func TestNestedDefaultsFoldOnce(t *testing.T) {
	var b strings.Builder
	b.WriteString("var v = ")
	for i := 0; i < 60; i++ {
		fmt.Fprintf(&b, "c%d ? (", i)
	}
	b.WriteString(`"+1-844-555-0142"`)
	for i := 0; i < 60; i++ {
		b.WriteString(`) : "x"`)
	}
	b.WriteString("; document.write(v);")
	start := time.Now()
	Analyze([]byte(b.String()), Options{})
	if el := time.Since(start); el > time.Second {
		t.Fatalf("60 nested conditionals took %v", el)
	}
}
