package cli

import (
	"io"
	"os"

	"github.com/tssguard/tssguard/analyze"
	"golang.org/x/term"
)

// isTerminal reports whether w is an interactive terminal (progress bars
// and colour only go there).
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// wantColour reports whether text for w may be coloured: w is a terminal,
// NO_COLOR is unset or empty (no-color.org), and TERM is not "dumb".
func wantColour(w io.Writer) bool {
	return isTerminal(w) && os.Getenv("NO_COLOR") == "" && os.Getenv("TERM") != "dumb"
}

// palette colours text with ANSI SGR codes when on, and leaves it alone
// otherwise. Pad text before painting it: the codes have no width.
type palette struct{ on bool }

func (p palette) paint(sgr, s string) string {
	if !p.on || s == "" {
		return s
	}
	return "\x1b[" + sgr + "m" + s + "\x1b[0m"
}

// verdict paints a verdict: scam bold red, suspicious bold yellow, clean green.
func (p palette) verdict(v analyze.Verdict, s string) string {
	switch v {
	case analyze.Scam:
		return p.paint("1;31", s)
	case analyze.Suspicious:
		return p.paint("1;33", s)
	default:
		return p.paint("32", s)
	}
}

// severity paints a severity: critical bold red, high red, medium yellow,
// low cyan, info dim.
func (p palette) severity(sev analyze.Severity, s string) string {
	switch sev {
	case analyze.Critical:
		return p.paint("1;31", s)
	case analyze.High:
		return p.paint("31", s)
	case analyze.Medium:
		return p.paint("33", s)
	case analyze.Low:
		return p.paint("36", s)
	default:
		return p.paint("2", s)
	}
}
