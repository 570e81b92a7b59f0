package csstext

import (
	"reflect"
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
	f.Fuzz(func(t *testing.T, s string) {
		Text(s)
		Contents(s, 8)
	})
}
