// Package corpus reads labelled page collections: a directory with a
// MANIFEST.tsv whose columns are file, label, family/kind, source repository,
// path in repository, commit, license, notes, kit (the layout of the shared
// corpus and of tssguard's own fixtures).
package corpus

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"strings"
)

// ManifestName is the file name of a collection's manifest.
const ManifestName = "MANIFEST.tsv"

// Entry is one manifest row.
type Entry struct {
	File    string // relative to the collection directory
	Label   string // scam or benign
	Family  string
	Repo    string
	Path    string // path in the source repository
	Commit  string
	License string
	Notes   string
	Kit     string
	Line    int
}

// DynamicOnly reports whether the page can only be judged in the browser
// (its notes say "[dynamic-only]": a gateway that only redirects, an alert
// that is a picture of text); static evaluations leave it out.
func (e Entry) DynamicOnly() bool { return strings.Contains(e.Notes, "[dynamic-only]") }

// IsPage reports whether the row is a page to analyse: not a kit's asset
// (family "asset-of:…") and not a derived list under lists/.
func (e Entry) IsPage() bool {
	return !strings.HasPrefix(e.Family, "asset-of:") && !strings.HasPrefix(e.File, "lists/")
}

// HasManifest reports whether dir holds a manifest.
func HasManifest(dir string) bool {
	st, err := os.Stat(filepath.Join(dir, ManifestName))
	return err == nil && st.Mode().IsRegular()
}

// ReadManifest reads dir/MANIFEST.tsv. The first row is the header; rows
// need at least the first three columns.
func ReadManifest(dir string) ([]Entry, error) {
	f, err := os.Open(filepath.Join(dir, ManifestName))
	if err != nil {
		return nil, fmt.Errorf("read manifest: %w", err)
	}
	defer f.Close()
	var out []Entry
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	line := 0
	for sc.Scan() {
		line++
		text := strings.TrimRight(sc.Text(), "\r")
		if line == 1 || strings.TrimSpace(text) == "" || strings.HasPrefix(text, "#") {
			continue
		}
		col := strings.Split(text, "\t")
		if len(col) < 3 {
			return nil, fmt.Errorf("%s line %d: want at least 3 tab-separated columns (file, label, family), have %d", ManifestName, line, len(col))
		}
		for len(col) < 9 {
			col = append(col, "")
		}
		e := Entry{File: col[0], Label: col[1], Family: col[2], Repo: col[3], Path: col[4], Commit: col[5], License: col[6], Notes: col[7], Kit: col[8], Line: line}
		if e.Label != "scam" && e.Label != "benign" {
			return nil, fmt.Errorf("%s line %d: label %q: want scam or benign", ManifestName, line, e.Label)
		}
		if filepath.IsAbs(e.File) || strings.Contains(e.File, "..") {
			return nil, fmt.Errorf("%s line %d: file %q must be a relative path inside the collection", ManifestName, line, e.File)
		}
		out = append(out, e)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("read manifest: %w", err)
	}
	if len(out) == 0 {
		return nil, errors.New("manifest has no rows")
	}
	return out, nil
}

// Resolve returns where a page's relative references resolve (base) and
// the directory reads are confined to (root).
//
// Collected kits keep their scripts apart from the page: a page file
// "scam/<short>__index.html" has its files under "scam/assets/<short>/",
// laid out as in the source repository, so references resolve against
// "scam/assets/<short>/" + the directory of the page's path in the
// repository. Pages without such an assets folder resolve beside themselves.
// Both are absolute and clean, whichever form dir is written in.
func Resolve(dir string, e Entry) (base, root string) {
	dir = absPath(dir)
	pageDir := filepath.Dir(filepath.Join(dir, e.File))
	name := filepath.Base(e.File)
	short, _, found := strings.Cut(name, "__")
	if found && short != "" {
		assets := filepath.Join(pageDir, "assets", short)
		if st, err := os.Stat(assets); err == nil && st.IsDir() {
			repoDir := path.Dir(e.Path)
			if repoDir == "." || e.Path == "" {
				return assets, assets
			}
			return filepath.Join(assets, filepath.FromSlash(repoDir)), assets
		}
	}
	return pageDir, dir
}

// Alias maps a file a page references but its assets folder lacks to
// another page of the same repository, which the collection stores as
// "<short>__<path with / as _>" beside the page (a lure page that frames
// popup.html finds scam/<short>__popup.html). It returns nil when the page
// has no assets folder. Paths are compared absolute and clean, so the
// collection and the path asked about may each be written either way (a
// relative "../shared/corpus" against the absolute paths a reader asks
// about once aliased nothing, and kits lost their second page).
func Alias(dir string, e Entry) func(path string) (string, bool) {
	dir = absPath(dir)
	pageDir := filepath.Dir(filepath.Join(dir, e.File))
	short, _, found := strings.Cut(filepath.Base(e.File), "__")
	if !found || short == "" {
		return nil
	}
	assets := filepath.Join(pageDir, "assets", short)
	return func(p string) (string, bool) {
		rel, err := filepath.Rel(assets, absPath(p))
		if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
			return "", false
		}
		cand := filepath.Join(pageDir, short+"__"+strings.ReplaceAll(filepath.ToSlash(rel), "/", "_"))
		if st, err := os.Stat(cand); err == nil && st.Mode().IsRegular() {
			return cand, true
		}
		return "", false
	}
}

// absPath is p absolute and clean. Should the working directory be
// unreadable, p is only cleaned: relative paths then still agree with
// each other.
func absPath(p string) string {
	if a, err := filepath.Abs(p); err == nil {
		return a
	}
	return filepath.Clean(p)
}

// Served is a page of a collection laid out for a loopback server: the
// directory served (Root) and the page's path under it (File,
// slash-separated) put the page where its kit's relative references
// resolve; the page itself is read from Path, which may lie outside Root
// (collected kits keep their pages apart from their files): InPlace says
// whether Root/File is the page on disk. Alias maps missing kit files to
// other pages of the repository.
type Served struct {
	Entry   Entry
	Root    string
	File    string
	Path    string
	InPlace bool
	Alias   func(path string) (string, bool)
}

// Serve lays out one page of the collection in dir for a loopback server.
func Serve(dir string, e Entry) Served {
	base, root := Resolve(dir, e)
	p := filepath.Join(absPath(dir), e.File)
	file := ServedFile(base, root, p)
	_, err := os.Stat(filepath.Join(root, filepath.FromSlash(file)))
	return Served{Entry: e, Root: root, File: file, Path: p, InPlace: err == nil, Alias: Alias(dir, e)}
}

// ServedFile is where, under root, a page whose references resolve
// against base is served (slash-separated): beside its kit's files, or at
// the top when base lies outside root.
func ServedFile(base, root, page string) string {
	rel, err := filepath.Rel(root, filepath.Join(base, filepath.Base(page)))
	if err != nil || strings.HasPrefix(rel, "..") {
		rel = filepath.Base(page)
	}
	return filepath.ToSlash(rel)
}

// ServedPages lists the pages of the collections in dirs that have a
// manifest (others are skipped), each laid out by Serve.
func ServedPages(dirs ...string) []Served {
	var out []Served
	for _, dir := range dirs {
		entries, err := ReadManifest(dir)
		if err != nil {
			continue
		}
		for _, e := range entries {
			if e.IsPage() {
				out = append(out, Serve(dir, e))
			}
		}
	}
	return out
}
