package cli

import (
	"io"
	"os"

	"golang.org/x/term"
)

// isTerminal reports whether w is an interactive terminal (progress bars
// and colour only go there).
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}
