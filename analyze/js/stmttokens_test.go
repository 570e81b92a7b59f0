package js

import (
	"bytes"
	"reflect"
	"testing"
)

// checkStatementTokens compares, for error offsets across src, the tokens
// statementAround hands to lexFacts with those a lexer started at the
// statement's start gives: recoverFacts relies on them being the same.
func checkStatementTokens(t *testing.T, src []byte, step int) (shared int) {
	t.Helper()
	for at := 0; at <= len(src); at += step {
		a, b, st := statementAround(src, at)
		if !st.shared || a >= b {
			continue
		}
		shared++
		got := st.lexTokens(a)
		x := newLexer(src[a:b])
		for i := 0; ; i++ {
			w := x.next()
			if w.tt == 0 { // ErrorToken
				if i != len(got) {
					t.Fatalf("at %d, statement [%d,%d): %d tokens shared, %d lexed", at, a, b, len(got), i)
				}
				break
			}
			if i >= len(got) {
				t.Fatalf("at %d, statement [%d,%d): %d tokens shared, more lexed (%q at %d)", at, a, b, len(got), w.data, w.off)
			}
			g := got[i]
			if g.tt != w.tt || g.off != w.off || !bytes.Equal(st.buf[g.at:g.at+int(g.n)], w.data) {
				t.Fatalf("at %d, statement [%d,%d), token %d: shared %v %q at %d, lexed %v %q at %d",
					at, a, b, i, g.tt, st.buf[g.at:g.at+int(g.n)], g.off, w.tt, w.data, w.off)
			}
		}
	}
	return shared
}

func TestStatementTokens(t *testing.T) {
	n := 0
	for _, s := range []string{
		"a(1); b = 2; if (x) { y() } z('s');",
		"a; \n--> comment\nb(1); c",
		"a;  --> x; b; c",
		"a; /* c */ --> x; b;",
		"f(`${ a; b }`); g(1); `x${1}y${ {a:1} }z`; h();",
		"`${ a; }`; b; } c; `unterminated ${ d; e",
		"x = 'unterminated\n; y(1); z = /re;g/; w = a / b; v(/[;]/)",
		"a = 1\n/ 2; b = /x/ ; c",
		"1.e; 2..toString(); 3x; y = 0b12; z(\\u0061);",
		"} } ; { { ; a }; b; # @ ; c ; 'x\\\n;y'; d",
		"function f() { return 1 } f(); if (a) {} else {} ; do {} while (x); g()",
		"<!-- a; b --> c; -->; d",
		"a\u2028; --> x\n; b",
		"x = `a${`b${c;d}`};e`; f; g",
	} {
		n += checkStatementTokens(t, []byte(s), 1)
	}
	if n < 50 {
		t.Fatalf("only %d statements shared their tokens", n)
	}
	n = 0
	for _, s := range corpusScripts(t) {
		if len(s.src) > 20000 || s.handler != "" {
			continue
		}
		n += checkStatementTokens(t, s.src, max(len(s.src)/50, 1))
	}
	t.Logf("%d corpus statements shared their tokens", n)
}

func FuzzStatementTokens(f *testing.F) {
	fuzzSeeds(f)
	f.Fuzz(func(t *testing.T, src []byte, _ bool) {
		if len(src) > 4096 {
			return
		}
		checkStatementTokens(t, src, max(len(src)/64, 1))
	})
}

// A script whose broken statement is the whole of it (an immediately
// invoked function with HTML entities in its code, as pages saved by some
// tools have) is read from the tokens recoverFacts lexed to find the
// statement: the facts are those a second lexing gives.
func TestWholeScriptBrokenReadOnce(t *testing.T) {
	for _, s := range []string{
		"(function(){ if (a &amp;&amp; b) { location.href = 'tel:+18445550142'; } window.open(u); })();",
		"<![CDATA[ window.data = {a: 'tel:+18445550142', b: [1, 2]}; ]]>",
		"!function(){ for (var i = 0; i &lt; 3; i++) alert('Call +1 844 555 0142'); }()",
	} {
		got := Analyze([]byte(s), Options{})
		if got.ParseError == "" {
			t.Fatalf("%q parsed; the test needs a broken script", s)
		}
		want := lexFacts([]byte(s), "", TopLevel)
		got.ParseError = ""
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%q:\nread once  %+v\nlexed again %+v", s, got, want)
		}
		if len(want.Calls)+len(want.Assigns)+len(want.Literals) == 0 {
			t.Errorf("%q: no facts at all; the comparison shows nothing", s)
		}
	}
}
