package capture

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"
)

// Options apply to every source of a capture.
type Options struct {
	// Policy bounds sizes, time, redirects and destinations.
	Policy Policy
	// BaseDir is where a local page's relative references resolve
	// (default: the page's own directory).
	BaseDir string
	// Root confines local reads: no reference may resolve outside it
	// (default: BaseDir). Hostile pages reference ../../../etc/passwd.
	Root string
	// PageURL overrides the URL recorded for a local page, e.g. to give it
	// the query parameters the victim saw (templates read ?phone=).
	PageURL string
	// NoResources skips external scripts, style sheets and frames.
	NoResources bool
	// Alias maps a local file a page references but that does not exist
	// to another file (a collection's own storage layout). Set by the
	// program, never by page content; an alias may lie outside Root.
	Alias func(path string) (string, bool)
}

func (o *Options) defaults() {
	d := DefaultPolicy()
	if o.Policy.MaxPageBytes <= 0 {
		o.Policy.MaxPageBytes = d.MaxPageBytes
	}
	if o.Policy.MaxResourceBytes <= 0 {
		o.Policy.MaxResourceBytes = d.MaxResourceBytes
	}
	if o.Policy.MaxResources <= 0 {
		o.Policy.MaxResources = d.MaxResources
	}
	if o.Policy.Timeout <= 0 {
		o.Policy.Timeout = d.Timeout
	}
	if o.Policy.MaxRedirects <= 0 {
		o.Policy.MaxRedirects = d.MaxRedirects
	}
	if o.Policy.UserAgent == "" {
		o.Policy.UserAgent = d.UserAgent
	}
}

// maxFrames bounds the frame documents loaded per page (one level deep).
const maxFrames = 8

// FromFile captures a local page and the files it references.
func FromFile(ctx context.Context, path string, opts Options) (*Capture, error) {
	start := time.Now()
	opts.defaults()
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("read page: %w", err)
	}
	defer f.Close()
	if st, err := f.Stat(); err == nil && st.IsDir() {
		return nil, fmt.Errorf("read page %s: is a directory", path)
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, err
	}
	if opts.BaseDir == "" {
		opts.BaseDir = filepath.Dir(abs)
	}
	c, err := fromReader(ctx, f, fileURL(abs), opts)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	c.Took = time.Since(start)
	return c, nil
}

// FromReader captures a page read from r (standard input). Relative
// references resolve against opts.BaseDir when it is set; otherwise they
// are noted as not read.
func FromReader(ctx context.Context, r io.Reader, name string, opts Options) (*Capture, error) {
	start := time.Now()
	opts.defaults()
	u := "stdin:" + name
	if opts.BaseDir != "" {
		if abs, err := filepath.Abs(filepath.Join(opts.BaseDir, "stdin.html")); err == nil {
			u = fileURL(abs)
		}
	}
	c, err := fromReader(ctx, r, u, opts)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	c.Took = time.Since(start)
	return c, nil
}

func fromReader(ctx context.Context, r io.Reader, pageURL string, opts Options) (*Capture, error) {
	body, truncated, err := readCapped(r, opts.Policy.MaxPageBytes)
	if err != nil {
		return nil, err
	}
	if err := sniff(body); err != nil {
		return nil, err
	}
	c := &Capture{URL: pageURL, FinalURL: pageURL}
	if opts.PageURL != "" {
		c.URL, c.FinalURL = opts.PageURL, opts.PageURL
	}
	body, cs := toUTF8(body, "")
	if cs != "" {
		c.Notes = append(c.Notes, fmt.Sprintf("page converted from %s to UTF-8", cs))
	}
	if truncated {
		c.Notes = append(c.Notes, fmt.Sprintf("page truncated at %d bytes", opts.Policy.MaxPageBytes))
	}
	c.Documents = append(c.Documents, Document{URL: c.URL, Frame: "main", Body: body, Truncated: truncated})
	if opts.NoResources {
		return c, nil
	}
	l := localReader{opts: opts, c: c}
	if opts.BaseDir == "" {
		l.noBase = true
	}
	l.readRefs(ctx, 0, body, opts.BaseDir, true)
	return c, nil
}

// localReader reads a local page's references, confined to a root.
type localReader struct {
	opts   Options
	c      *Capture
	noBase bool
	count  int
}

func (l *localReader) root() string {
	if l.opts.Root != "" {
		return l.opts.Root
	}
	return l.opts.BaseDir
}

func (l *localReader) readRefs(ctx context.Context, doc int, body []byte, base string, frames bool) {
	for _, ref := range References(body) {
		if ctx.Err() != nil {
			l.c.Notes = append(l.c.Notes, "capture interrupted: "+ctx.Err().Error())
			return
		}
		if ref.Kind == KindFrame {
			if frames {
				l.readFrame(ctx, ref, base)
			}
			continue
		}
		if l.count >= l.opts.Policy.MaxResources {
			l.c.Notes = append(l.c.Notes, fmt.Sprintf("only the first %d scripts and style sheets were read", l.opts.Policy.MaxResources))
			return
		}
		l.count++
		res := Resource{Kind: ref.Kind, Ref: ref.Ref, Doc: doc, Order: ref.Order}
		if strings.HasPrefix(strings.ToLower(ref.Ref), "data:") {
			res.URL = clipURL(ref.Ref)
			b, err := decodeDataURL(ref.Ref, l.opts.Policy.MaxResourceBytes)
			if err != nil {
				res.Err = err.Error()
			} else {
				res.Body = b
			}
			l.c.Resources = append(l.c.Resources, res)
			continue
		}
		path, err := l.resolve(ref.Ref, base)
		if err != nil {
			res.URL = ref.Ref
			res.Err = err.Error()
			l.c.Resources = append(l.c.Resources, res)
			continue
		}
		path = l.alias(path)
		res.URL = fileURL(path)
		res.Body, res.Truncated, res.Err = l.readFile(path)
		l.c.Resources = append(l.c.Resources, res)
	}
}

// readFrame loads a local iframe document (one level deep) with its own
// scripts: kits hide the scare page in a full-window iframe.
func (l *localReader) readFrame(ctx context.Context, ref Ref, base string) {
	if len(l.c.Documents) > maxFrames || callSchemeURL(ref.Ref) {
		return
	}
	path, err := l.resolve(ref.Ref, base)
	if err != nil {
		return
	}
	path = l.alias(path)
	if !IsPage(path) {
		return
	}
	body, truncated, errText := l.readFile(path)
	if errText != "" || sniff(body) != nil {
		return
	}
	doc := len(l.c.Documents)
	l.c.Documents = append(l.c.Documents, Document{URL: fileURL(path), Frame: fmt.Sprintf("main/frame[%d]", doc), Body: body, Truncated: truncated})
	l.readRefs(ctx, doc, body, filepath.Dir(path), false)
}

// alias applies Options.Alias to a path that does not exist.
func (l *localReader) alias(p string) string {
	if l.opts.Alias == nil {
		return p
	}
	if _, err := os.Stat(p); err == nil {
		return p
	}
	if a, ok := l.opts.Alias(p); ok {
		return a
	}
	return p
}

// resolve maps a reference to a local path inside the root.
func (l *localReader) resolve(ref, base string) (string, error) {
	u, err := url.Parse(strings.TrimSpace(ref))
	if err != nil {
		return "", errors.New("malformed reference")
	}
	if u.Scheme != "" || u.Host != "" || strings.HasPrefix(ref, "//") {
		if u.Scheme == "file" {
			return "", errors.New("file: URL not followed")
		}
		return "", errors.New("remote, not fetched")
	}
	if l.noBase {
		return "", errors.New("relative reference of a page read from standard input (use --base-dir)")
	}
	p := filepath.FromSlash(u.Path)
	if p == "" {
		return "", errors.New("empty reference")
	}
	var full string
	if strings.HasPrefix(u.Path, "/") {
		full = filepath.Join(l.root(), p)
	} else {
		full = filepath.Join(base, p)
	}
	root, err := filepath.Abs(l.root())
	if err != nil {
		return "", err
	}
	full, err = filepath.Abs(full)
	if err != nil {
		return "", err
	}
	if !within(root, full) {
		return "", errors.New("outside root, not read")
	}
	// A symbolic link must not lead out of the root either.
	if real, err := filepath.EvalSymlinks(full); err == nil {
		realRoot, rerr := filepath.EvalSymlinks(root)
		if rerr == nil && !within(realRoot, real) {
			return "", errors.New("outside root (symbolic link), not read")
		}
	}
	return full, nil
}

func within(root, p string) bool {
	rel, err := filepath.Rel(root, p)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator))
}

func (l *localReader) readFile(path string) ([]byte, bool, string) {
	f, err := os.Open(path)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, false, "not found"
		}
		return nil, false, err.Error()
	}
	defer f.Close()
	if st, err := f.Stat(); err != nil || !st.Mode().IsRegular() {
		return nil, false, "not a regular file"
	}
	b, truncated, err := readCapped(f, l.opts.Policy.MaxResourceBytes)
	if err != nil {
		return nil, false, err.Error()
	}
	b, _ = toUTF8(b, "")
	return b, truncated, ""
}

// readCapped reads at most max bytes and says whether there was more.
func readCapped(r io.Reader, max int64) ([]byte, bool, error) {
	b, err := io.ReadAll(io.LimitReader(r, max+1))
	if err != nil {
		return nil, false, fmt.Errorf("read: %w", err)
	}
	if int64(len(b)) > max {
		return b[:max], true, nil
	}
	return b, false, nil
}

func fileURL(abs string) string {
	return (&url.URL{Scheme: "file", Path: filepath.ToSlash(abs)}).String()
}

func clipURL(s string) string {
	if len(s) > 80 {
		return s[:80] + "…"
	}
	return s
}

func callSchemeURL(s string) bool {
	l := strings.ToLower(strings.TrimSpace(s))
	for _, p := range []string{"tel:", "callto:", "facetime", "sip:", "sips:", "skype:", "javascript:", "about:"} {
		if strings.HasPrefix(l, p) {
			return true
		}
	}
	return false
}

// pageExts are the file name extensions of pages.
var pageExts = map[string]bool{
	".html": true, ".htm": true, ".xhtml": true, ".shtml": true, ".php": true, ".phtml": true,
	".asp": true, ".aspx": true, ".jsp": true, ".cfm": true,
}

// IsPage reports whether a file name is a page to scan (HTML and server
// templates; not scripts, style sheets, images or data).
func IsPage(name string) bool {
	return pageExts[strings.ToLower(filepath.Ext(name))]
}

// skipDirs are never walked: version control and dependency trees.
var skipDirs = map[string]bool{"node_modules": true, "vendor": true, "__MACOSX": true}

// WalkPages lists the pages under dir, sorted. Hidden directories and
// dependency trees are skipped; pages in a kit's asset folders are still
// pages.
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
