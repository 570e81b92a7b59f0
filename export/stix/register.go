package stix

import "github.com/tssguard/tssguard/export"

// Importing the package makes `stix` one of export's formats.
func init() { export.Register(Format) }
