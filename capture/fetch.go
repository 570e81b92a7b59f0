package capture

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"mime"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"
	"sync"
	"time"

	"golang.org/x/net/publicsuffix"
)

// Fetcher gets pages and their scripts over http(s) under a Policy: every
// connection, after every redirect, is checked against the policy's
// destination rules, and every body is capped after decompression.
// A Fetcher is safe for concurrent use; make it with NewFetcher and do not
// change Policy afterwards.
type Fetcher struct {
	Policy Policy
	client *http.Client
}

// Response is one fetched resource.
type Response struct {
	URL         string   // final URL
	Redirects   []string // the chain, requested URL first, final URL last
	Status      int
	Header      http.Header
	Body        []byte // decompressed, capped, as served (not converted to UTF-8)
	Truncated   bool   // Body was cut at the size cap
	ContentType string
	// Incomplete is set when the body broke off before its end (a
	// Content-Length that lied, a corrupt gzip stream, a reset connection);
	// Body holds what arrived.
	Incomplete bool
}

// Accept headers of Chromium for a page, a script and a style sheet:
// cloaking kits look at them.
const (
	acceptPage       = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,image/apng,*/*;q=0.8"
	acceptScript     = "*/*"
	acceptStylesheet = "text/css,*/*;q=0.1"
	acceptLanguage   = "en-US,en;q=0.9"
)

// subresourceConcurrency bounds the scripts and style sheets of one page
// fetched at once.
const subresourceConcurrency = 4

// NewFetcher returns a Fetcher for the policy; zero fields of p take
// DefaultPolicy's values.
func NewFetcher(p Policy) *Fetcher {
	o := Options{Policy: p}
	o.defaults()
	p = o.Policy
	tr := &http.Transport{
		Proxy:                  nil, // never an environment proxy: the policy decides destinations
		DialContext:            p.DialContext,
		TLSHandshakeTimeout:    10 * time.Second,
		ResponseHeaderTimeout:  15 * time.Second,
		ExpectContinueTimeout:  time.Second,
		MaxIdleConns:           16,
		MaxIdleConnsPerHost:    subresourceConcurrency,
		IdleConnTimeout:        30 * time.Second,
		MaxResponseHeaderBytes: 64 << 10,
		ForceAttemptHTTP2:      true,
		// DisableCompression stays false: the transport asks for gzip and
		// decompresses it, and readCapped caps the decompressed bytes.
	}
	f := &Fetcher{Policy: p}
	f.client = &http.Client{
		Transport: tr,
		CheckRedirect: func(req *http.Request, via []*http.Request) error {
			if len(via) > p.MaxRedirects {
				chain := make([]string, 0, len(via)+1)
				for _, v := range via {
					chain = append(chain, clip(v.URL.String()))
				}
				chain = append(chain, clip(req.URL.String()))
				return fmt.Errorf("%w (more than %d): %s", ErrTooManyRedirects, p.MaxRedirects, strings.Join(chain, " -> "))
			}
			return checkScheme(req.URL)
		},
	}
	return f
}

// ErrScheme is returned for URLs other than http and https.
var ErrScheme = errors.New("only http and https URLs can be fetched")

// ErrTooManyRedirects is returned when a redirect chain passes Policy.MaxRedirects.
var ErrTooManyRedirects = errors.New("too many redirects")

// ErrCredentials is returned for a page URL with a user name or password in
// it (http://user:pass@host/): such URLs are refused, as the API refuses
// them, rather than sent with credentials the scan has no business using.
var ErrCredentials = errors.New("URL carries a user name or password before its host: remove it to scan the page")

// CheckPageURL checks a URL given to be scanned: http or https, with a
// host, and without a user name or password.
func CheckPageURL(rawURL string) error {
	u, err := url.Parse(strings.TrimSpace(rawURL))
	if err != nil {
		return fmt.Errorf("%q: %w", rawURL, unwrapURLError(err))
	}
	if err := checkScheme(u); err != nil {
		return err
	}
	if u.User != nil {
		return ErrCredentials
	}
	return nil
}

func checkScheme(u *url.URL) error {
	if u.Scheme != "http" && u.Scheme != "https" {
		return fmt.Errorf("%w (got %q)", ErrScheme, u.Scheme+":")
	}
	if u.Host == "" {
		return errors.New("URL has no host")
	}
	return nil
}

// getOpts are the request details that differ between a page and its
// scripts.
type getOpts struct {
	accept  string
	referer string         // "" for none
	jar     http.CookieJar // shared by the requests of one capture
}

func newJar() http.CookieJar {
	j, _ := cookiejar.New(&cookiejar.Options{PublicSuffixList: publicsuffix.List})
	return j
}

// Get fetches one resource, following redirects, reading at most max bytes
// of (decompressed) body (Policy.MaxPageBytes when max <= 0). An HTTP error
// status is not an error: see Response.Status.
func (f *Fetcher) Get(ctx context.Context, rawURL string, max int64) (*Response, error) {
	if max <= 0 {
		max = f.Policy.MaxPageBytes
	}
	return f.get(ctx, rawURL, max, getOpts{accept: acceptPage})
}

// sizeHint pre-sizes a body buffer from a Content-Length, which may lie:
// never more than 1 MiB up front, the rest grows as bytes arrive.
func sizeHint(contentLength int64) int64 {
	return min(contentLength, 1<<20)
}

// request checks rawURL and builds a request bounded by the policy's
// timeout; the caller runs cancel when done with the response.
func (f *Fetcher) request(ctx context.Context, method, rawURL string) (*http.Request, context.CancelFunc, error) {
	if f.client == nil {
		return nil, nil, errors.New("capture: Fetcher not made with NewFetcher")
	}
	u, err := url.Parse(rawURL)
	if err != nil {
		return nil, nil, fmt.Errorf("fetch %q: %w", rawURL, unwrapURLError(err))
	}
	if err := checkScheme(u); err != nil {
		return nil, nil, fmt.Errorf("fetch %s: %w", rawURL, err)
	}
	ctx, cancel := context.WithTimeout(ctx, f.Policy.Timeout)
	req, err := http.NewRequestWithContext(ctx, method, u.String(), nil)
	if err != nil {
		cancel()
		return nil, nil, fmt.Errorf("fetch %s: %w", rawURL, err)
	}
	return req, cancel, nil
}

func (f *Fetcher) get(ctx context.Context, rawURL string, max int64, o getOpts) (*Response, error) {
	rawURL = strings.TrimSpace(rawURL)
	req, cancel, err := f.request(ctx, http.MethodGet, rawURL)
	if err != nil {
		return nil, err
	}
	defer cancel()
	req.Header.Set("User-Agent", f.Policy.UserAgent)
	req.Header.Set("Accept", o.accept)
	req.Header.Set("Accept-Language", cmp.Or(f.Policy.AcceptLanguage, acceptLanguage))
	if o.referer != "" {
		req.Header.Set("Referer", o.referer)
	}
	var chain []string
	client := *f.client
	if o.jar == nil {
		o.jar = newJar() // cookies set by one hop reach the next, as in a browser
	}
	client.Jar = o.jar
	inner := f.client.CheckRedirect
	client.CheckRedirect = func(r *http.Request, via []*http.Request) error {
		if err := inner(r, via); err != nil {
			return err
		}
		// A browser keeps the original referrer across redirects; the
		// client would send the redirecting URL.
		if o.referer == "" {
			r.Header.Del("Referer")
		}
		chain = append(chain, via[len(via)-1].URL.String())
		return nil
	}
	resp, err := client.Do(req)
	if err != nil {
		return nil, fetchErr(redact(rawURL), req.URL, err)
	}
	defer resp.Body.Close()
	body, truncated, incomplete, err := readCapped(resp.Body, max, sizeHint(resp.ContentLength))
	if err != nil {
		return nil, fetchErr(redact(rawURL), req.URL, err)
	}
	final := resp.Request.URL.String()
	return &Response{
		URL:         final,
		Redirects:   append(chain, final),
		Status:      resp.StatusCode,
		Header:      resp.Header,
		Body:        body,
		Truncated:   truncated,
		ContentType: resp.Header.Get("Content-Type"),
		Incomplete:  incomplete,
	}, nil
}

// fetchErr words a client error for a user: "fetch URL: [redirect to URL2:]
// cause", where a refused destination reads "destination address not
// allowed: 10.0.0.1 is not a public address (...)" rather than the dialer's
// "dial tcp 10.0.0.1:80: ...". reqURL is the URL as requested, to tell a
// failed redirect hop from the first request.
func fetchErr(rawURL string, reqURL *url.URL, err error) error {
	var ue *url.Error
	hop := ""
	if errors.As(err, &ue) {
		if !sameURL(ue.URL, reqURL) && !errors.Is(ue.Err, ErrTooManyRedirects) {
			hop = "redirect to " + clip(ue.URL) + ": "
		}
		err = ue.Err
	}
	var op *net.OpError
	if errors.Is(err, ErrForbiddenAddress) && errors.As(err, &op) {
		err = op.Err
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return fmt.Errorf("fetch %s: %stimed out: %w", rawURL, hop, err)
	}
	return fmt.Errorf("fetch %s: %s%w", rawURL, hop, err)
}

// sameURL reports whether the URL of a client error is req: the client
// writes a password in it as "***".
func sameURL(errURL string, req *url.URL) bool {
	if errURL == req.String() {
		return true
	}
	if req.User == nil {
		return false
	}
	s := req.String()
	return errURL == strings.Replace(s, req.User.String()+"@", req.User.Username()+":***@", 1)
}

// redact hides the password of a URL for messages.
func redact(rawURL string) string {
	if u, err := url.Parse(rawURL); err == nil {
		return u.Redacted()
	}
	return rawURL
}

// unwrapURLError drops net/url's "Get "…": " prefix; the caller names the URL.
func unwrapURLError(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err
	}
	return err
}

// Capture fetches a page and its external scripts, style sheets and frames
// (one level deep), all under the Fetcher's policy (opts.Policy is
// ignored). Scripts and style sheets are fetched concurrently; each
// failure is recorded in its Resource.Err, not as an error of the page. A
// page answering with an HTTP error status is still captured, with a note.
// <meta refresh> and script redirects are not followed: that is the
// sandbox's job.
func (f *Fetcher) Capture(ctx context.Context, rawURL string, opts Options) (*Capture, error) {
	start := time.Now()
	rawURL = strings.TrimSpace(rawURL)
	if err := CheckPageURL(rawURL); err != nil {
		return nil, fmt.Errorf("fetch %s: %w", redact(rawURL), err)
	}
	ctx, cancel := context.WithTimeout(ctx, f.Policy.Timeout)
	defer cancel()
	jar := newJar()
	resp, err := f.get(ctx, rawURL, f.Policy.MaxPageBytes, getOpts{accept: acceptPage, referer: f.Policy.Referrer, jar: jar})
	if err != nil {
		return nil, err
	}
	if err := sniff(resp.Body, resp.ContentType); err != nil {
		if resp.Status >= 400 {
			return nil, fmt.Errorf("fetch %s: HTTP %d, and %w", rawURL, resp.Status, err)
		}
		return nil, fmt.Errorf("fetch %s: %w", rawURL, err)
	}
	c := &Capture{URL: rawURL, FinalURL: resp.URL}
	if len(resp.Redirects) > 1 {
		c.Redirects = resp.Redirects
	}
	b := newBuilder(c, f.Policy)
	b.parse = opts.Parse
	defer b.finish()
	if resp.Status < 200 || resp.Status >= 300 {
		b.note("page answered HTTP %d; its content is analysed anyway", resp.Status)
	}
	if mt, _, err := mime.ParseMediaType(resp.ContentType); err == nil && mt != "text/html" && mt != "application/xhtml+xml" {
		b.note("page served as %s", mt)
	}
	if resp.Incomplete {
		b.note("page body ended early; analysing what arrived")
	}
	doc := b.addDocument(resp.URL, "main", resp.Body, resp.ContentType, resp.Truncated, "page")
	if !opts.NoResources {
		f.fetchRefs(ctx, b, doc, resp.URL, true, jar)
	}
	c.Took = time.Since(start)
	return c, nil
}

// fetchRefs fetches the scripts and style sheets of document doc
// concurrently (bounded), then its frames one by one when frames is set.
// pageURL is the document's URL; "" for a data: document, whose relative
// references resolve nowhere.
func (f *Fetcher) fetchRefs(ctx context.Context, b *builder, doc int, pageURL string, frames bool, jar http.CookieJar) {
	refs, baseHref := b.refs(doc)
	base, err := url.Parse(pageURL)
	if err != nil {
		return
	}
	docURL := base // the Referer names the document, not its <base>
	if baseHref != "" && pageURL != "" {
		if bu, err := base.Parse(fixPercent(cleanRef(baseHref))); err == nil && checkScheme(bu) == nil {
			base = bu
		}
	}
	type job struct {
		i           int
		url         string
		accept      string
		raw         []byte
		contentType string
		err         string
		incomplete  bool
	}
	out := make([]Resource, 0, len(refs))
	var jobs []*job
	var frameRefs []Ref
	for _, r := range refs {
		if r.Kind == KindFrame {
			if frames {
				frameRefs = append(frameRefs, r)
			}
			continue
		}
		if !b.take() {
			continue
		}
		res := Resource{Kind: r.Kind, Ref: r.Ref, Doc: doc, Order: r.Order}
		switch {
		case hasScheme(r.Ref, "data"):
			b.dataResource(&res)
		case pageURL == "" && !isAbsolute(r.Ref):
			res.URL, res.Err = r.Ref, "relative reference in a data: document"
		default:
			ru, err := base.Parse(fixPercent(cleanRef(r.Ref)))
			if err != nil {
				res.URL, res.Err = r.Ref, errMalformed.Error()
				break
			}
			ru.Fragment, ru.RawFragment = "", ""
			res.URL = ru.String()
			if checkScheme(ru) != nil {
				res.Err = "not an http(s) URL, not fetched"
				break
			}
			accept := acceptScript
			if r.Kind == KindStylesheet {
				accept = acceptStylesheet
			}
			jobs = append(jobs, &job{i: len(out), url: res.URL, accept: accept})
		}
		out = append(out, res)
	}
	var wg sync.WaitGroup
	sem := make(chan struct{}, subresourceConcurrency)
	for _, j := range jobs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			if !b.hasBudget() {
				j.err = b.budgetErr()
				return
			}
			resp, err := f.get(ctx, j.url, b.policy.MaxResourceBytes, getOpts{accept: j.accept, referer: referrer(docURL, j.url), jar: jar})
			switch {
			case err != nil:
				j.err = err.Error()
			case resp.Status < 200 || resp.Status >= 300:
				j.err = fmt.Sprintf("HTTP %d", resp.Status)
			default:
				b.spend(int64(len(resp.Body)))
				j.raw, j.contentType, j.incomplete = resp.Body, resp.ContentType, resp.Incomplete
				out[j.i].Truncated = resp.Truncated
			}
		}()
	}
	wg.Wait()
	for _, j := range jobs {
		r := &out[j.i]
		if j.err != "" {
			r.Err = j.err
			continue
		}
		if j.incomplete {
			b.note("%s %s ended early; keeping what arrived", r.Kind, clip(r.Ref))
		}
		b.finishResource(r, j.raw, j.contentType)
	}
	b.c.Resources = append(b.c.Resources, out...)
	for _, r := range frameRefs {
		f.fetchFrame(ctx, b, r, base, docURL, jar)
	}
}

// fetchFrame adds one frame document and its scripts.
func (f *Fetcher) fetchFrame(ctx context.Context, b *builder, r Ref, base, docURL *url.URL, jar http.CookieJar) {
	if r.Srcdoc == "" && notLoadable(r.Ref) {
		return // call-scheme and javascript: frames are evidence for analysis, not documents
	}
	if !b.canAddFrame() {
		b.note("frame %s not fetched: more than %d frames", clip(r.Ref), maxFrames)
		return
	}
	if handled, doc := b.inlineFrame(r); handled {
		if doc >= 0 {
			frameBase := "" // a data: document resolves relative references nowhere
			if r.Srcdoc != "" {
				frameBase = base.String() // srcdoc documents use their parent's base
			}
			f.fetchRefs(ctx, b, doc, frameBase, false, jar)
		}
		return
	}
	if docURL.String() == "" && !isAbsolute(r.Ref) {
		return // relative in a data: document
	}
	fu, err := base.Parse(fixPercent(cleanRef(r.Ref)))
	if err != nil || checkScheme(fu) != nil {
		b.note("frame %s not fetched: not an http(s) URL", clip(r.Ref))
		return
	}
	fu.Fragment, fu.RawFragment = "", ""
	resp, err := f.get(ctx, fu.String(), b.policy.MaxPageBytes, getOpts{accept: acceptPage, referer: referrer(docURL, fu.String()), jar: jar})
	if err != nil {
		b.note("frame not fetched: %v", err)
		return
	}
	if err := sniff(resp.Body, resp.ContentType); err != nil {
		b.note("frame %s not used: HTTP %d, %v", clip(resp.URL), resp.Status, err)
		return
	}
	what := "frame " + clip(resp.URL)
	if resp.Status < 200 || resp.Status >= 300 {
		b.note("%s answered HTTP %d; its content is analysed anyway", what, resp.Status)
	}
	if resp.Incomplete {
		b.note("%s ended early; analysing what arrived", what)
	}
	doc := b.addDocument(resp.URL, b.frameName(), resp.Body, resp.ContentType, resp.Truncated, what)
	f.fetchRefs(ctx, b, doc, resp.URL, false, jar)
}

// isAbsolute reports whether a reference names its scheme or host.
func isAbsolute(ref string) bool {
	u, err := url.Parse(fixPercent(cleanRef(ref)))
	return err == nil && (u.Scheme != "" || u.Host != "")
}

// referrer is the Referer a browser sends for a subresource under the
// default policy (strict-origin-when-cross-origin): the full page URL to
// the same origin, the origin elsewhere, nothing from https to http.
func referrer(page *url.URL, target string) string {
	t, err := url.Parse(target)
	if err != nil || page == nil || (page.Scheme != "http" && page.Scheme != "https") {
		return ""
	}
	if page.Scheme == "https" && t.Scheme == "http" {
		return ""
	}
	if page.Scheme == t.Scheme && strings.EqualFold(page.Host, t.Host) {
		p := *page
		p.User, p.Fragment, p.RawFragment = nil, "", ""
		return p.String()
	}
	return page.Scheme + "://" + page.Host + "/"
}

// Once makes one GET or HEAD request under the policy without following
// redirects: the sandbox proxy hands redirects to the browser so that the
// browser records the chain. Header carries the browser's request headers
// worth forwarding (Accept, Accept-Language, Referer, User-Agent).
func (f *Fetcher) Once(ctx context.Context, method, rawURL string, header http.Header, max int64) (*Response, error) {
	if method != http.MethodGet && method != http.MethodHead {
		return nil, fmt.Errorf("fetch %s: method %s not allowed", rawURL, method)
	}
	req, cancel, err := f.request(ctx, method, rawURL)
	if err != nil {
		return nil, err
	}
	defer cancel()
	for _, k := range []string{"Accept", "Accept-Language", "Referer", "User-Agent"} {
		if v := header.Get(k); v != "" {
			req.Header.Set(k, v)
		}
	}
	if req.Header.Get("User-Agent") == "" {
		req.Header.Set("User-Agent", f.Policy.UserAgent)
	}
	client := *f.client
	client.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	resp, err := client.Do(req)
	if err != nil {
		return nil, fetchErr(rawURL, req.URL, err)
	}
	defer resp.Body.Close()
	body, truncated, incomplete, err := readCapped(resp.Body, max, sizeHint(resp.ContentLength))
	if err != nil {
		return nil, fetchErr(rawURL, req.URL, err)
	}
	return &Response{URL: rawURL, Redirects: []string{rawURL}, Status: resp.StatusCode, Header: resp.Header,
		Body: body, Truncated: truncated, ContentType: resp.Header.Get("Content-Type"), Incomplete: incomplete}, nil
}
