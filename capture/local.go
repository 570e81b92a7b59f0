package capture

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"strings"
	"time"
)

// Options apply to every source of a capture.
type Options struct {
	// Policy bounds sizes, time, redirects and destinations. Zero fields
	// take DefaultPolicy's values. Fetcher.Capture uses the Fetcher's policy.
	Policy Policy
	// BaseDir is where a local page's relative references resolve
	// (default: the page's own directory).
	BaseDir string
	// Root confines local reads: no reference may resolve outside it
	// (default: BaseDir). Hostile pages reference ../../../etc/passwd.
	// References starting with "/" resolve against Root, like a site root.
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
	// Parse, when set, lists a document's references in place of the
	// built-in scan (References), and returns what else it learnt, kept as
	// the Document's Parsed: a caller that parses every document anyway
	// (the analysis) then tokenizes it once, not twice. It must list them
	// as References does (RefFromAttrs); ok false falls back to the scan.
	Parse func(body []byte) (refs []Ref, base string, parsed any, ok bool)
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

// LocalMaxResources is FromFile's default cap on scripts and style sheets
// read per page. Reading a file costs no request, so it is higher than a
// fetch's (DefaultPolicy): a kit that put empty scripts before its payload
// hid the payload from a scan of its files (past 64, the cap then). The
// byte budget (4 x MaxPageBytes) still bounds what is read.
const LocalMaxResources = 1024

// FromFile captures a local page and the files it references: scripts,
// style sheets and frames (one level deep), read from BaseDir and never
// from outside Root. Remote references are recorded, not fetched.
func FromFile(ctx context.Context, path string, opts Options) (*Capture, error) {
	start := time.Now()
	if opts.Policy.MaxResources <= 0 {
		opts.Policy.MaxResources = LocalMaxResources
	}
	opts.defaults()
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("read page: %w", err)
	}
	defer f.Close()
	var size int64
	if st, err := f.Stat(); err == nil {
		if st.IsDir() {
			return nil, fmt.Errorf("read page %s: is a directory", path)
		}
		if st.Mode().IsRegular() {
			size = st.Size()
		}
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, fmt.Errorf("read page %s: %w", path, err)
	}
	if opts.BaseDir == "" {
		opts.BaseDir = filepath.Dir(abs)
	}
	c, err := fromReader(ctx, f, fileURL(abs), size, "", opts)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	c.Took = time.Since(start)
	return c, nil
}

// FromReader captures a page read from r (standard input); name labels it
// in errors. Relative references resolve against opts.BaseDir when it is
// set; otherwise they are recorded as not read. Reading r is not
// interruptible: ctx is checked between references.
func FromReader(ctx context.Context, r io.Reader, name string, opts Options) (*Capture, error) {
	start := time.Now()
	opts.defaults()
	u := "stdin:" + name
	why := ""
	if opts.BaseDir != "" {
		abs, err := filepath.Abs(opts.BaseDir)
		if err != nil {
			return nil, fmt.Errorf("%s: base directory: %w", name, err)
		}
		u = fileURL(filepath.Join(abs, "stdin.html"))
	} else {
		why = "relative reference of a page read from standard input (use --base-dir)"
	}
	c, err := fromReader(ctx, r, u, 0, why, opts)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	c.Took = time.Since(start)
	return c, nil
}

// fromReader reads a local page. why, when set, is why relative
// references cannot be resolved.
func fromReader(ctx context.Context, r io.Reader, pageURL string, sizeHint int64, why string, opts Options) (*Capture, error) {
	raw, truncated, incomplete, err := readCapped(r, opts.Policy.MaxPageBytes, sizeHint)
	if err != nil {
		return nil, err
	}
	if err := sniff(raw, ""); err != nil {
		return nil, err
	}
	c := &Capture{URL: pageURL, FinalURL: pageURL}
	if opts.PageURL != "" {
		c.URL, c.FinalURL = opts.PageURL, opts.PageURL
	}
	b := newBuilder(c, opts.Policy)
	defer b.finish()
	if incomplete {
		b.note("page could not be read to the end; analysing what was read")
	}
	doc := b.addDocument(c.URL, "main", raw, "", truncated, "page")
	if opts.NoResources {
		return c, nil
	}
	b.parse = opts.Parse
	l := &localReader{b: b, opts: opts}
	if why == "" {
		if l.root, err = filepath.Abs(cmp.Or(opts.Root, opts.BaseDir)); err != nil {
			return nil, fmt.Errorf("root directory: %w", err)
		}
		if l.realRoot, err = filepath.EvalSymlinks(l.root); err != nil {
			l.realRoot = l.root
		}
		if opts.BaseDir, err = filepath.Abs(opts.BaseDir); err != nil {
			return nil, fmt.Errorf("base directory: %w", err)
		}
	}
	l.readRefs(ctx, doc, opts.BaseDir, why, true)
	if l.remoteFrames > 0 {
		b.note("%d remote frames not fetched (local pages are read offline)", l.remoteFrames)
	}
	return c, nil
}

// localReader reads a local page's references, confined to a root.
type localReader struct {
	b              *builder
	opts           Options
	root, realRoot string // absolute; realRoot with symbolic links resolved
	remoteFrames   int
	interrupted    bool
}

// readRefs reads the references of document doc, resolving relative ones
// in dir; why, when set, says why relative references cannot resolve.
func (l *localReader) readRefs(ctx context.Context, doc int, dir, why string, frames bool) {
	b := l.b
	refs, base := b.refs(doc)
	if base != "" && why == "" {
		dir = l.baseDir(doc, base, dir)
	}
	for _, ref := range refs {
		if err := ctx.Err(); err != nil {
			if !l.interrupted {
				b.note("capture interrupted: %v", err)
				l.interrupted = true
			}
			return
		}
		if ref.Kind == KindFrame {
			if frames {
				l.readFrame(ctx, ref, dir, why)
			}
			continue
		}
		if ref.Kind == KindLoadedScript && isAbsolute(ref.Ref) {
			continue // another host's, read offline no more than a tag's is: not noted
		}
		if !b.take() {
			continue
		}
		res := Resource{Kind: ref.Kind, Ref: ref.Ref, Doc: doc, Order: ref.Order}
		switch {
		case hasScheme(ref.Ref, "data"):
			b.dataResource(&res)
		default:
			p, err := l.resolve(ref.Ref, dir, why)
			if err != nil {
				res.URL, res.Err = ref.Ref, err.Error()
				break
			}
			p = l.alias(p)
			res.URL = fileURL(p)
			if !b.hasBudget() {
				res.Err = b.budgetErr()
				break
			}
			raw, truncated, errText := readLocal(p, b.policy.MaxResourceBytes)
			if errText != "" {
				res.Err = errText
				break
			}
			b.spend(int64(len(raw)))
			res.Truncated = truncated
			b.finishResource(&res, raw, "")
		}
		b.c.Resources = append(b.c.Resources, res)
	}
}

// baseDir applies a document's <base href> to local resolution. A relative
// base moves the directory references resolve in; a remote one is noted
// and ignored (local pages are read offline, and a saved kit's base
// usually points at the host it was copied from).
func (l *localReader) baseDir(doc int, base, dir string) string {
	u, err := url.Parse(fixPercent(cleanRef(base)))
	if err != nil || u.Scheme != "" || u.Host != "" {
		l.b.note("document %d sets <base href=%q>: its references were read from the local directory instead", doc, clip(base))
		return dir
	}
	p := u.Path
	if p == "" {
		return dir
	}
	if !strings.HasSuffix(p, "/") {
		p = path.Dir(p)
	}
	var nd string
	if strings.HasPrefix(p, "/") {
		nd = filepath.Join(l.root, filepath.FromSlash(p))
	} else {
		nd = filepath.Join(dir, filepath.FromSlash(p))
	}
	if !within(l.root, nd) {
		l.b.note("document %d sets <base href=%q> outside the root: ignored", doc, clip(base))
		return dir
	}
	return nd
}

// readFrame loads a frame document (one level deep) with its own scripts:
// kits hide the scare page in a full-window iframe.
func (l *localReader) readFrame(ctx context.Context, ref Ref, dir, why string) {
	b := l.b
	if ref.Srcdoc == "" && notLoadable(ref.Ref) {
		return // call-scheme and javascript: frames are evidence for analysis, not documents
	}
	if !b.canAddFrame() {
		b.note("frame %s not read: more than %d frames", clip(ref.Ref), maxFrames)
		return
	}
	if handled, doc := b.inlineFrame(ref); handled {
		if doc >= 0 {
			fwhy := why
			if ref.Srcdoc == "" {
				fwhy = "relative reference in a data: document" // its base is the data: URL
			}
			l.readRefs(ctx, doc, dir, fwhy, false)
		}
		return
	}
	p, err := l.resolve(ref.Ref, dir, why)
	if errors.Is(err, errRemote) {
		l.remoteFrames++ // one note for all: news pages have dozens of ad frames
		return
	}
	if err != nil {
		b.note("frame %s not read: %v", clip(ref.Ref), err)
		return
	}
	// The frame's own references resolve where the kit has the frame,
	// even when Alias says the collection stores it elsewhere.
	frameDir := filepath.Dir(p)
	p = l.alias(p)
	if ext := filepath.Ext(p); ext != "" && !IsPage(p) {
		b.note("frame %s not read: not a page", clip(ref.Ref))
		return
	}
	raw, truncated, errText := readLocal(p, b.policy.MaxPageBytes)
	if errText == "" {
		if err := sniff(raw, ""); err != nil {
			errText = err.Error()
		}
	}
	if errText != "" {
		b.note("frame %s not read: %s", clip(ref.Ref), errText)
		return
	}
	doc := b.addDocument(fileURL(p), b.frameName(), raw, "", truncated, "frame "+clip(ref.Ref))
	l.readRefs(ctx, doc, frameDir, "", false)
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

// Resource.Err texts of local references.
var (
	errRemote     = errors.New("remote, not fetched")
	errOutside    = errors.New("outside root, not read")
	errFileURL    = errors.New("file: URL not followed")
	errMalformed  = errors.New("malformed reference")
	errPageItself = errors.New("refers to the page itself")
)

// resolve maps a reference to a local path inside the root. References
// starting with "/" resolve against the root, others against dir.
func (l *localReader) resolve(ref, dir, why string) (string, error) {
	u, err := url.Parse(fixPercent(cleanRef(ref)))
	if err != nil {
		return "", errMalformed
	}
	switch {
	case u.Scheme == "http" || u.Scheme == "https" || (u.Scheme == "" && u.Host != ""):
		return "", errRemote
	case u.Scheme == "file":
		return "", errFileURL
	case u.Scheme != "":
		return "", fmt.Errorf("%s: URL not read", u.Scheme)
	case why != "":
		return "", errors.New(why)
	case u.Path == "":
		return "", errPageItself
	}
	p := filepath.FromSlash(u.Path)
	var full string
	if strings.HasPrefix(u.Path, "/") {
		full = filepath.Join(l.root, p)
	} else {
		full = filepath.Join(dir, p)
	}
	if !within(l.root, full) {
		return "", errOutside
	}
	// A symbolic link must not lead out of the root either.
	if real, err := filepath.EvalSymlinks(full); err == nil && !within(l.realRoot, real) {
		return "", fmt.Errorf("%w (symbolic link)", errOutside)
	}
	return full, nil
}

// fixPercent escapes "%" signs that do not start an escape, which browsers
// keep literally and url.Parse rejects.
func fixPercent(s string) string {
	if !strings.Contains(s, "%") {
		return s
	}
	var sb strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '%' && !(i+2 < len(s) && isHex(s[i+1]) && isHex(s[i+2])) {
			sb.WriteString("%25")
			continue
		}
		sb.WriteByte(s[i])
	}
	return sb.String()
}

// within reports whether the cleaned absolute path p is root or under it.
func within(root, p string) bool {
	rel, err := filepath.Rel(root, p)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator))
}

// readLocal reads at most max bytes of a regular file; errText is the
// Resource.Err when it cannot ("not found" like a 404).
func readLocal(p string, max int64) (body []byte, truncated bool, errText string) {
	f, err := os.Open(p)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, false, "not found"
		}
		return nil, false, err.Error()
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil || !st.Mode().IsRegular() {
		return nil, false, "not a regular file"
	}
	if st.Size() == 0 {
		return nil, false, "" // an empty script is read, and empty
	}
	body, truncated, _, err = readCapped(f, max, st.Size())
	if err != nil {
		return nil, false, err.Error()
	}
	return body, truncated, ""
}

func fileURL(abs string) string {
	return (&url.URL{Scheme: "file", Path: filepath.ToSlash(abs)}).String()
}
