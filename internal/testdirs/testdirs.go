// Package testdirs finds the data directories tests read: the shared corpus
// beside the checkout, and the repository's own fixtures.
package testdirs

import (
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
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

// EachFile calls fn with every file of the fixtures and of the shared
// corpus (All) whose name ends in one of exts, or with every file when
// exts is empty: its name below its directory and its bytes. It stops at
// the first error, fn's or the walk's.
func EachFile(fn func(name string, b []byte) error, exts ...string) error {
	for _, dir := range All() {
		err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || len(exts) > 0 && !hasSuffix(path, exts) {
				return err
			}
			b, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			return fn(strings.TrimPrefix(path, dir), b)
		})
		if err != nil {
			return err
		}
	}
	return nil
}

func hasSuffix(s string, suffixes []string) bool {
	for _, x := range suffixes {
		if strings.HasSuffix(s, x) {
			return true
		}
	}
	return false
}
