// Command tssguard detects, blocks and tracks tech support scam pages.
// See README.md, or run tssguard --help.
package main

import (
	"os"

	"github.com/tssguard/tssguard/internal/cli"
)

func main() { os.Exit(cli.Main(os.Args[1:], os.Stdin, os.Stdout, os.Stderr)) }
