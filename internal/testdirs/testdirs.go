// Package testdirs finds the data directories tests read: the shared corpus
// beside the checkout, and the repository's own fixtures.
package testdirs

import (
	"os"
	"path/filepath"
	"runtime"
)

// repoRoot is the repository root, found from this file's location.
func repoRoot() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "..")
}

// Corpus returns the shared corpus directory (TSSGUARD_CORPUS, else
// ../shared/corpus beside the checkout) and whether it exists.
func Corpus() (string, bool) {
	dir := os.Getenv("TSSGUARD_CORPUS")
	if dir == "" {
		dir = filepath.Join(repoRoot(), "..", "shared", "corpus")
	}
	st, err := os.Stat(filepath.Join(dir, "MANIFEST.tsv"))
	return dir, err == nil && st.Mode().IsRegular()
}

// Fixtures returns the repository's fixtures directory.
func Fixtures() string { return filepath.Join(repoRoot(), "fixtures") }

// All returns the fixtures and, when it exists, the shared corpus.
func All() []string {
	dirs := []string{Fixtures()}
	if dir, ok := Corpus(); ok {
		dirs = append(dirs, dir)
	}
	return dirs
}
