package csstext

import (
	"reflect"
	"slices"
	"strings"
	"testing"
)

func TestText(t *testing.T) {
	for in, want := range map[string]string{
		`"Your computer is blocked"`:       "Your computer is blocked",
		`'single quotes'`:                  "single quotes",
		`"Call " "1-844-555-0142" " now"`:  "Call 1-844-555-0142 now",
		`"\201C quoted\201D"`:              "\u201cquoted\u201d",
		`"line\A break"`:                   "line break",
		`"escaped \"quote\" and \\ slash"`: `escaped "quote" and \ slash`,
		`counter(step) ". "`:               "",
		`open-quote`:                       "",
		`"\f101"`:                          "",
		`url(x.png) "after image"`:         "after image",
		`"Step " counter(step) ". "`:       "Step .",
		`"\0041\42 C"`:                     "ABC",
		`"unterminated`:                    "unterminated",
		`"ends with backslash\`:            "ends with backslash",
		`""`:                               "",
		`"\1F600  smile"`:                  "\U0001F600 smile",
		`"\110000 beyond unicode"`:         "beyond unicode",
	} {
		if got := Text(in); got != want {
			t.Errorf("Text(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestContents(t *testing.T) {
	css := `.a::before{content:"Your PC"} .b{align-content:center;justify-content:x}
.c::after { content : "is; blocked}" ; color:red } --my-content: "no"; .d{content:attr(data-x) "!"}`
	got := Contents(css, 10)
	want := []string{`"Your PC"`, `"is; blocked}"`, `attr(data-x) "!"`}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Contents = %q, want %q", got, want)
	}
	if got := Contents(css, 1); len(got) != 1 {
		t.Errorf("max 1: %q", got)
	}
	if got := Contents(`content:"never closed;`, 4); len(got) != 1 {
		t.Errorf("unterminated: %q", got)
	}
}

func FuzzText(f *testing.F) {
	f.Add(`"a\"b" counter(x) '\41 '`)
	f.Add(`attr( data-x) "attr(y)" attr(`)
	f.Fuzz(func(t *testing.T, s string) {
		Text(s)
		Contents(s, 8)
		for _, n := range AttrNames(s) {
			if n == "" || !strings.Contains(strings.ToLower(s), n) {
				t.Fatalf("AttrNames(%q) gave %q", s, n)
			}
		}
	})
}

// TestDeclarations: a property in any first-letter case and spacing is
// found with its value; longer names that contain it are not.
func TestDeclarations(t *testing.T) {
	css := `body{Cursor : none;align-content:center} .a{content:"x;y"} --my-cursor:none; p{cursor:pointer}`
	var got []string
	for _, d := range Declarations(css, "cursor", 10) {
		got = append(got, css[d.Start:d.ValueStart]+"|"+d.Value)
	}
	want := []string{"Cursor : |none", "cursor:|pointer"}
	if strings.Join(got, ",") != strings.Join(want, ",") {
		t.Errorf("cursor declarations = %q, want %q", got, want)
	}
	if c := Declarations(css, "content", 10); len(c) != 1 || c[0].Value != `"x;y"` {
		t.Errorf("content declarations = %+v", c)
	}
	if d := Declarations(css, "cursor", 1); len(d) != 1 {
		t.Errorf("limit 1 gave %d", len(d))
	}
}

func TestAttrNames(t *testing.T) {
	for v, want := range map[string][]string{
		`attr(data-msg)`: {"data-msg"},
		`" (" ATTR( Title ) ")" attr(data-x, "")`: {"title", "data-x"},
		`"attr(in-a-string)" 'and \' attr(x)'`:    nil,
		`counter(n) myattr(x) attr()`:             nil,
	} {
		if got := AttrNames(v); !slices.Equal(got, want) {
			t.Errorf("AttrNames(%q) = %q, want %q", v, got, want)
		}
	}
}
