// Package scanjob is what a queued scan does: capture the page (statically,
// and in the sandbox when asked), analyse it, and turn the report into the
// store's result: sightings of numbers, listings of domains and URLs with
// their expiry, the template fingerprint and the campaign.
package scanjob

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/tssguard/tssguard/analyze"
	"github.com/tssguard/tssguard/capture"
	"github.com/tssguard/tssguard/intel"
	"github.com/tssguard/tssguard/internal/queue"
	"github.com/tssguard/tssguard/phone"
	"github.com/tssguard/tssguard/reputation"
	"github.com/tssguard/tssguard/sandbox"
	"github.com/tssguard/tssguard/store"
	"github.com/tssguard/tssguard/urlx"
)

// Runner runs scans. It is safe for concurrent use.
type Runner struct {
	Engine  *analyze.Engine
	Policy  capture.Policy
	Sandbox *sandbox.Pool // nil: dynamic scans fail
	// Allowed reports whether a registrable domain is allowlisted; a page
	// there that shows a number from its URL is listed by URL pattern.
	Allowed func(domain string) bool
	Now     func() time.Time

	campaigns *intel.Linker
	// analysis holds a slot for each analysis running (nil: no limit), so
	// that jobs waiting on the network do not count against the CPU.
	analysis chan struct{}
	dynamic  chan struct{} // reserved by Admit
}

// LimitDynamic lets at most n dynamic scans hold the sandbox at once (its
// tabs); Admit reserves one.
func (r *Runner) LimitDynamic(n int) {
	if n > 0 {
		r.dynamic = make(chan struct{}, n)
	}
}

// Admit reserves a tab for a dynamic scan, waiting a moment for one; ok
// false when all stay taken. Other scans need nothing reserved.
func (r *Runner) Admit(ctx context.Context, s store.Scan) (release func(), ok bool) {
	if !s.Dynamic || r.dynamic == nil {
		return func() {}, true
	}
	wait := time.NewTimer(admitWait)
	defer wait.Stop()
	select {
	case r.dynamic <- struct{}{}:
		return func() { <-r.dynamic }, true
	case <-wait.C:
	case <-ctx.Done():
	}
	return nil, false
}

// admitWait is how long a dynamic scan waits for a tab before its job
// steps back: about the time a tab takes to come free when all are busy.
const admitWait = 3 * time.Second

// LimitAnalysis lets at most n analyses run at once: a queue may hold
// more jobs than that, fetching while others analyse.
func (r *Runner) LimitAnalysis(n int) {
	if n > 0 {
		r.analysis = make(chan struct{}, n)
	}
}

// analyze runs the engine within an analysis slot.
func (r *Runner) analyze(ctx context.Context, c *capture.Capture) (*analyze.Report, error) {
	if r.analysis != nil {
		select {
		case r.analysis <- struct{}{}:
			defer func() { <-r.analysis }()
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	return r.Engine.Analyze(ctx, c), nil
}

// New makes a runner; Rebuild loads the campaigns found so far.
func New(engine *analyze.Engine, policy capture.Policy, pool *sandbox.Pool) *Runner {
	return &Runner{Engine: engine, Policy: policy, Sandbox: pool, Now: time.Now,
		Allowed: func(string) bool { return false }, campaigns: intel.NewLinker(intel.LinkOptions{TemplateThreshold: intel.DefaultTemplateLink})}
}

// Rebuild links the stored scam pages again, oldest first, and relabels
// the stored campaigns whose IDs the linking now gives differently
// (campaigns that merged since, or a new linking version).
func (r *Runner) Rebuild(ctx context.Context, db store.Store) error {
	relabel := map[string]string{}
	err := db.Fingerprints(ctx, func(scanID, stored string, raw []byte) error {
		p, err := intel.ParsePage(raw)
		if err != nil || stored == "" {
			return nil // suspicious pages keep a fingerprint but join no campaign
		}
		p.ID = scanID
		if now := r.campaigns.Add(p); now != stored {
			relabel[stored] = now
		}
		return nil
	})
	if err != nil {
		return err
	}
	for from, to := range relabel {
		if err := db.RenameCampaign(ctx, from, to); err != nil {
			return err
		}
	}
	return nil
}

// policyFor is the runner's policy for fetches as visitor v: its device's
// user agent, its language's Accept-Language and its referrer. Kits aimed
// at one device or country, or that cloak by referrer, show the scam only
// to that visitor.
func (r *Runner) policyFor(v store.Visitor) (capture.Policy, error) {
	policy := r.Policy
	if v.UA != "" {
		ua, err := capture.UserAgentFor(v.UA)
		if err != nil {
			return policy, queue.Permanent{Err: err}
		}
		policy.UserAgent = ua
	}
	return policy.Visiting(v.Lang, v.Referrer), nil
}

// Run scans one page.
func (r *Runner) Run(ctx context.Context, s store.Scan) (store.Result, error) {
	policy, err := r.policyFor(s.Visitor)
	if err != nil {
		return store.Result{}, err
	}
	c, err := capture.NewFetcher(policy).Capture(ctx, s.URL, capture.Options{Policy: policy, Parse: analyze.ParseForCapture})
	if err != nil {
		return store.Result{}, classify(err)
	}
	c.Language = s.Lang // the emulator's visitor speaks it
	if s.Dynamic {
		if r.Sandbox == nil {
			return store.Result{}, queue.Permanent{Err: errors.New("dynamic scans are not available: this worker runs without Chromium")}
		}
		dyn, err := Rendered(ctx, r.Sandbox, sandbox.Target{URL: s.URL}, sandbox.PageOptions{Profile: s.UA, Click: true, Screenshot: true, Language: s.Lang, Referrer: s.Referrer}, c)
		if err != nil {
			return store.Result{}, fmt.Errorf("sandbox: %w", err)
		}
		c = dyn
	}
	rep, err := r.analyze(ctx, c)
	if err != nil {
		return store.Result{}, err
	}
	rep.URL = s.URL
	return r.result(s, c, rep)
}

// Rendered loads a page in the sandbox as o says, after it was read as
// served (served; nil when that failed): static evidence and runtime
// evidence then go through the same engine (AddServed), and the browser
// speaks the language the served page declares unless o names one, as the
// emulator's visitor does: a kit aimed at one country may dial only for a
// browser in its language. The CLI's dynamic scans and the service's
// both load pages this way.
func Rendered(ctx context.Context, pool *sandbox.Pool, t sandbox.Target, o sandbox.PageOptions, served *capture.Capture) (*capture.Capture, error) {
	if o.Language == "" && served != nil {
		o.Language = analyze.DeclaredLanguage(served)
	}
	c, err := pool.Capture(ctx, t, o)
	if err != nil {
		return nil, err
	}
	if served != nil {
		c.AddServed(served)
		c.Language = served.Language // the visitor it was read as
	}
	return c, nil
}

// classify marks the capture errors that no retry can fix.
func classify(err error) error {
	switch {
	case errors.Is(err, capture.ErrForbiddenAddress), errors.Is(err, capture.ErrScheme),
		errors.Is(err, capture.ErrTooManyRedirects), errors.Is(err, capture.ErrNotHTML):
		return queue.Permanent{Err: err}
	}
	return err
}

func (r *Runner) result(s store.Scan, c *capture.Capture, rep *analyze.Report) (store.Result, error) {
	// Expiry: numbers live days, domains weeks, unless seen again.
	now := r.Now()
	final := c.FinalURL
	if final == "" {
		final = s.URL
	}
	host, _ := urlx.Host(final)
	domain, err := urlx.RegistrableDomain(host)
	if err != nil {
		domain = host
	}
	raw, err := json.Marshal(rep)
	if err != nil {
		return store.Result{}, err
	}
	res := store.Result{FinalURL: final, Domain: domain, Verdict: string(rep.Verdict), Score: rep.Score, Report: raw}
	res.Artifacts = captureArtifacts(c)
	if s.Dynamic && c.Runtime != nil {
		if len(c.Runtime.Screenshot) > 0 {
			res.Artifacts = append(res.Artifacts, store.Artifact{Name: "screenshot.png", ContentType: "image/png", Data: c.Runtime.Screenshot})
		}
		for _, d := range c.Documents {
			if d.Rendered {
				res.Artifacts = append(res.Artifacts, store.Artifact{Name: "dom.html", ContentType: "text/html", Data: d.Body})
				break
			}
		}
	}
	if rep.Verdict == analyze.Clean {
		return res, nil
	}
	if len(rep.Brands) > 0 {
		res.Brand = rep.Brands[0]
	}
	res.Evidence = evidence(rep)

	page := intel.Page{ID: s.ID, Site: domain, Files: intel.KitFiles(c), Template: intel.Fingerprint(c)}
	if b, err := page.MarshalBinary(); err == nil {
		res.Fingerprint = b
	}
	res.Template = page.Template.ID()
	if rep.Template != nil {
		res.TemplateParams = slices.Clone(rep.Template.Params)
	}
	// A number in the URL may be written by the server, out of sight of
	// the page's scripts: the watch tries those parameters too.
	for _, pn := range phone.FromURL(s.URL, phone.Options{}) {
		if pn.Param != "" && !slices.Contains(res.TemplateParams, pn.Param) {
			res.TemplateParams = append(res.TemplateParams, pn.Param)
		}
	}
	// Only a confident verdict lists anything: "suspicious" means worth an
	// analyst's look, and block lists must not carry a real business's
	// number or domain on a hunch.
	if rep.Verdict != analyze.Scam {
		return res, nil
	}
	res.Campaign, res.MergedCampaigns = r.campaigns.Link(page)

	reflected := false
	for _, h := range rep.Hotlines {
		if !pageUses(h, rep, s.URL, final) {
			continue
		}
		res.Hotlines = append(res.Hotlines, store.HotlineSighting{E164: h.E164, Type: h.Type, Region: h.Region, How: h.Where,
			Expires: now.Add(reputation.DefaultTTL(reputation.Number))})
		reflected = reflected || slices.Contains(h.Where, "url-param")
	}
	// A real site made to show a scam number from its URL: list the URL
	// pattern, never the site.
	if reflected && rep.Template != nil && len(rep.Template.Params) > 0 {
		if p, ok := intel.ReflectedPattern(final, rep.Template.Params); ok {
			res.URLs = append(res.URLs, store.Listing{Value: p, Domain: domain, Pattern: true, Expires: now.Add(reputation.DefaultTTL(reputation.URL))})
		}
	}
	if r.Allowed(domain) {
		return res, nil
	}
	if expr, ok := urlExpression(final); ok {
		res.URLs = append(res.URLs, store.Listing{Value: expr, Domain: domain, Expires: now.Add(reputation.DefaultTTL(reputation.URL))})
	}
	if domain != "" {
		res.Domains = append(res.Domains, store.Listing{Value: domain, Domain: domain, Expires: now.Add(reputation.DefaultTTL(reputation.Domain))})
	}
	return res, nil
}

// pageUses reports whether the page itself presents a number: found in the
// page (text, a call link, a script, a dialog …), or taken from a URL
// parameter that the page's template evidence says it reads and writes or
// dials. Whoever submits a scan chooses the URL, so a number that is only
// in the URL, in a parameter the page ignores, says nothing about the page:
// listing it would let anyone put any number on the block lists by
// scanning a scam page with "?phone=" set to it.
func pageUses(h analyze.Hotline, rep *analyze.Report, urls ...string) bool {
	for _, w := range h.Where {
		if w != "url-param" {
			return true
		}
	}
	t := rep.Template
	if t == nil {
		return false
	}
	opts := phone.Options{Regions: []string{h.Region}}
	for _, u := range urls {
		for _, pn := range phone.FromURL(u, opts) {
			if pn.Number.E164 == h.E164 && slices.Contains(t.Params, pn.Param) {
				return true
			}
		}
	}
	return false
}

// urlExpression is the page's canonical host/path (query dropped: scammers
// rotate it), the form the index and the exports list.
func urlExpression(raw string) (string, bool) {
	canon, err := urlx.Canonicalize(raw)
	if err != nil {
		return "", false
	}
	u, err := url.Parse(canon)
	if err != nil || u.Host == "" {
		return "", false
	}
	return u.Host + u.EscapedPath(), true
}

// evidence is a one-line summary for list comments: the strongest rules.
func evidence(rep *analyze.Report) string {
	fs := slices.Clone(rep.Findings)
	slices.SortStableFunc(fs, func(a, b analyze.Finding) int {
		switch {
		case a.Weight > b.Weight:
			return -1
		case a.Weight < b.Weight:
			return 1
		}
		return 0
	})
	var ids []string
	for _, f := range fs {
		if len(ids) == 4 {
			break
		}
		if !slices.Contains(ids, f.Rule) {
			ids = append(ids, f.Rule)
		}
	}
	return strings.Join(ids, ", ")
}
