package capture

import (
	"fmt"
	"io/fs"
	"path/filepath"
	"sort"
	"strings"
)

// pageExts are the file name extensions of pages: HTML and the server
// templates kits ship as (a PHP kit's index.php is mostly HTML). Not .txt,
// .md, .js, .css, .json or images: kits carry READMEs, scripts and data
// that are not pages, and scanning them as pages gives noise.
var pageExts = map[string]bool{
	".html": true, ".htm": true, ".xhtml": true, ".xht": true, ".shtml": true,
	".php": true, ".phtml": true, ".asp": true, ".aspx": true, ".jsp": true, ".cfm": true,
}

// IsPage reports whether a file name is a page to scan (HTML and server
// templates; not scripts, style sheets, images, text or data).
func IsPage(name string) bool {
	return pageExts[strings.ToLower(filepath.Ext(name))]
}

// skipDirs are never walked: dependency trees and archive litter, which
// hold library test pages, not kits.
var skipDirs = map[string]bool{"node_modules": true, "bower_components": true, "vendor": true, "__MACOSX": true}

// WalkPages lists the pages under dir (see IsPage), sorted.
//
// Hidden directories (".git") and dependency trees (node_modules, vendor,
// bower_components, __MACOSX) are skipped. Asset folders (js/, css/,
// images/) are walked: only page files are listed anyway, and a kit's
// second-stage page often lives in such a folder. Symbolic links are not
// followed, so a walk cannot leave dir or loop. A dir that is itself a
// page file is listed alone.
func WalkPages(dir string) ([]string, error) {
	var out []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if p != dir && (strings.HasPrefix(d.Name(), ".") || skipDirs[d.Name()]) {
				return filepath.SkipDir
			}
			return nil
		}
		if d.Type().IsRegular() && IsPage(d.Name()) {
			out = append(out, p)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("walk %s: %w", dir, err)
	}
	sort.Strings(out)
	return out, nil
}
