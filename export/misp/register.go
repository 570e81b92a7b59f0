package misp

import "github.com/tssguard/tssguard/export"

// Importing the package makes `misp` one of export's formats.
func init() { export.Register(Format) }
