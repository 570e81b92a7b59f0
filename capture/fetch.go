package capture

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"
)

// Fetcher gets pages and their scripts over http(s) under a Policy: every
// connection, after every redirect, is checked against the policy's
// destination rules, and every body is capped after decompression.
// A Fetcher is safe for concurrent use.
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
	Body        []byte // decompressed, capped
	Truncated   bool
	ContentType string
}

// NewFetcher returns a Fetcher for the policy.
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
		IdleConnTimeout:        30 * time.Second,
		MaxResponseHeaderBytes: 64 << 10,
		ForceAttemptHTTP2:      true,
	}
	f := &Fetcher{Policy: p}
	f.client = &http.Client{
		Transport: tr,
		CheckRedirect: func(req *http.Request, via []*http.Request) error {
			if len(via) > p.MaxRedirects {
				chain := make([]string, 0, len(via)+1)
				for _, v := range via {
					chain = append(chain, v.URL.String())
				}
				return fmt.Errorf("more than %d redirects: %s -> %s", p.MaxRedirects, strings.Join(chain, " -> "), req.URL)
			}
			if err := checkScheme(req.URL); err != nil {
				return fmt.Errorf("redirect to %s: %w", req.URL, err)
			}
			return nil
		},
	}
	return f
}

// ErrScheme is returned for URLs other than http and https.
var ErrScheme = errors.New("only http and https URLs can be fetched")

func checkScheme(u *url.URL) error {
	if u.Scheme != "http" && u.Scheme != "https" {
		return fmt.Errorf("%w (got %q)", ErrScheme, u.Scheme+":")
	}
	if u.Host == "" {
		return errors.New("URL has no host")
	}
	return nil
}

// Get fetches one resource, following redirects, reading at most max bytes
// of (decompressed) body.
func (f *Fetcher) Get(ctx context.Context, rawURL string, max int64) (*Response, error) {
	u, err := url.Parse(strings.TrimSpace(rawURL))
	if err != nil {
		return nil, fmt.Errorf("fetch %q: %w", rawURL, err)
	}
	if err := checkScheme(u); err != nil {
		return nil, fmt.Errorf("fetch %s: %w", rawURL, err)
	}
	ctx, cancel := context.WithTimeout(ctx, f.Policy.Timeout)
	defer cancel()
	var chain []string
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, fmt.Errorf("fetch %s: %w", rawURL, err)
	}
	req.Header.Set("User-Agent", f.Policy.UserAgent)
	req.Header.Set("Accept", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8")
	req.Header.Set("Accept-Language", "en-US,en;q=0.9")
	client := *f.client
	inner := f.client.CheckRedirect
	client.CheckRedirect = func(r *http.Request, via []*http.Request) error {
		if err := inner(r, via); err != nil {
			return err
		}
		r.Header.Set("User-Agent", f.Policy.UserAgent)
		chain = append(chain, via[len(via)-1].URL.String())
		return nil
	}
	resp, err := client.Do(req)
	if err != nil {
		return nil, fmt.Errorf("fetch %s: %w", rawURL, unwrapURLError(err))
	}
	defer resp.Body.Close()
	body, truncated, err := readCapped(resp.Body, max)
	if err != nil {
		return nil, fmt.Errorf("fetch %s: %w", rawURL, unwrapURLError(err))
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
	}, nil
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
// (one level deep), all under the policy.
func (f *Fetcher) Capture(ctx context.Context, rawURL string, opts Options) (*Capture, error) {
	start := time.Now()
	opts.Policy = f.Policy
	ctx, cancel := context.WithTimeout(ctx, f.Policy.Timeout)
	defer cancel()
	resp, err := f.Get(ctx, rawURL, f.Policy.MaxPageBytes)
	if err != nil {
		return nil, err
	}
	if err := sniff(resp.Body); err != nil {
		return nil, fmt.Errorf("%s: %w", rawURL, err)
	}
	c := &Capture{URL: rawURL, FinalURL: resp.URL, Redirects: resp.Redirects}
	if len(c.Redirects) <= 1 {
		c.Redirects = nil
	}
	if resp.Status >= 400 {
		c.Notes = append(c.Notes, fmt.Sprintf("page answered HTTP %d", resp.Status))
	}
	body, cs := toUTF8(resp.Body, resp.ContentType)
	if cs != "" {
		c.Notes = append(c.Notes, fmt.Sprintf("page converted from %s to UTF-8", cs))
	}
	if resp.Truncated {
		c.Notes = append(c.Notes, fmt.Sprintf("page truncated at %d bytes", f.Policy.MaxPageBytes))
	}
	c.Documents = append(c.Documents, Document{URL: resp.URL, Frame: "main", Body: body, Truncated: resp.Truncated})
	if !opts.NoResources {
		f.fetchRefs(ctx, c, 0, body, resp.URL, true)
	}
	c.Took = time.Since(start)
	return c, nil
}

// fetchRefs fetches a document's references concurrently (bounded).
func (f *Fetcher) fetchRefs(ctx context.Context, c *Capture, doc int, body []byte, base string, frames bool) {
	baseURL, err := url.Parse(base)
	if err != nil {
		return
	}
	refs := References(body)
	var frameRefs []Ref
	var jobs []Ref
	for _, r := range refs {
		if r.Kind == KindFrame {
			if frames && len(frameRefs) < maxFrames {
				frameRefs = append(frameRefs, r)
			}
			continue
		}
		jobs = append(jobs, r)
	}
	if room := f.Policy.MaxResources - len(c.Resources); len(jobs) > room {
		c.Notes = append(c.Notes, fmt.Sprintf("only the first %d scripts and style sheets were fetched", f.Policy.MaxResources))
		jobs = jobs[:max(room, 0)]
	}
	out := make([]Resource, len(jobs))
	var wg sync.WaitGroup
	sem := make(chan struct{}, 4)
	for i, r := range jobs {
		out[i] = Resource{Kind: r.Kind, Ref: r.Ref, Doc: doc, Order: r.Order}
		if strings.HasPrefix(strings.ToLower(r.Ref), "data:") {
			out[i].URL = clipURL(r.Ref)
			b, err := decodeDataURL(r.Ref, f.Policy.MaxResourceBytes)
			if err != nil {
				out[i].Err = err.Error()
			} else {
				out[i].Body = b
			}
			continue
		}
		ru, err := baseURL.Parse(strings.TrimSpace(r.Ref))
		if err != nil {
			out[i].URL, out[i].Err = r.Ref, "malformed reference"
			continue
		}
		out[i].URL = ru.String()
		if checkScheme(ru) != nil {
			out[i].Err = "not an http(s) URL, not fetched"
			continue
		}
		wg.Add(1)
		go func(res *Resource) {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			resp, err := f.Get(ctx, res.URL, f.Policy.MaxResourceBytes)
			switch {
			case err != nil:
				res.Err = err.Error()
			case resp.Status >= 400:
				res.Err = fmt.Sprintf("HTTP %d", resp.Status)
			default:
				res.Body, _ = toUTF8(resp.Body, resp.ContentType)
				res.Truncated = resp.Truncated
			}
		}(&out[i])
	}
	wg.Wait()
	c.Resources = append(c.Resources, out...)
	for _, r := range frameRefs {
		if callSchemeURL(r.Ref) || strings.HasPrefix(strings.ToLower(r.Ref), "data:") {
			continue
		}
		fu, err := baseURL.Parse(strings.TrimSpace(r.Ref))
		if err != nil || checkScheme(fu) != nil {
			continue
		}
		resp, err := f.Get(ctx, fu.String(), f.Policy.MaxPageBytes)
		if err != nil || resp.Status >= 400 || sniff(resp.Body) != nil {
			continue
		}
		fb, _ := toUTF8(resp.Body, resp.ContentType)
		d := len(c.Documents)
		c.Documents = append(c.Documents, Document{URL: resp.URL, Frame: fmt.Sprintf("main/frame[%d]", d), Body: fb, Truncated: resp.Truncated})
		f.fetchRefs(ctx, c, d, fb, resp.URL, false)
	}
}

// Once makes one GET or HEAD request under the policy without following
// redirects: the sandbox proxy hands redirects to the browser so that the
// browser records the chain. Header carries the browser's request headers
// worth forwarding (Accept, Accept-Language, Referer, User-Agent).
func (f *Fetcher) Once(ctx context.Context, method, rawURL string, header http.Header, max int64) (*Response, error) {
	if method != http.MethodGet && method != http.MethodHead {
		return nil, fmt.Errorf("fetch %s: method %s not allowed", rawURL, method)
	}
	u, err := url.Parse(rawURL)
	if err != nil {
		return nil, fmt.Errorf("fetch %q: %w", rawURL, err)
	}
	if err := checkScheme(u); err != nil {
		return nil, fmt.Errorf("fetch %s: %w", rawURL, err)
	}
	ctx, cancel := context.WithTimeout(ctx, f.Policy.Timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, method, u.String(), nil)
	if err != nil {
		return nil, fmt.Errorf("fetch %s: %w", rawURL, err)
	}
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
		return nil, fmt.Errorf("fetch %s: %w", rawURL, unwrapURLError(err))
	}
	defer resp.Body.Close()
	body, truncated, err := readCapped(resp.Body, max)
	if err != nil {
		return nil, fmt.Errorf("fetch %s: %w", rawURL, unwrapURLError(err))
	}
	return &Response{URL: rawURL, Redirects: []string{rawURL}, Status: resp.StatusCode, Header: resp.Header,
		Body: body, Truncated: truncated, ContentType: resp.Header.Get("Content-Type")}, nil
}
