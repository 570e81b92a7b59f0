package server

import (
	"bytes"
	"cmp"
	"context"
	"errors"
	"fmt"
	"image"
	_ "image/jpeg" // screenshots sent with reports
	_ "image/png"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/tssguard/tssguard/analyze"
	"github.com/tssguard/tssguard/capture"
	"github.com/tssguard/tssguard/store"
)

// Limits of the evidence a report can carry.
const (
	MaxReportDOM        = 2 << 20 // bytes of HTML
	MaxReportScreenshot = 1 << 20 // bytes of PNG or JPEG
	MaxScreenshotSide   = 8192    // pixels, each way
	// maxReportBody bounds a report's request body: the DOM as a JSON
	// string (quotes and backslashes double) and the screenshot in base64.
	maxReportBody = 2*MaxReportDOM + MaxReportScreenshot*4/3 + 64<<10
	// domAnalysisTime bounds the static analysis of a submitted DOM,
	// waiting for a turn included.
	domAnalysisTime = 10 * time.Second
	topDOMFindings  = 5
)

type reportRequest struct {
	URL     string `json:"url"`
	Number  string `json:"number"`
	Comment string `json:"comment"`
	// DOM is the page's HTML as the reporter's browser had it;
	// Screenshot a PNG or JPEG of it (base64 in JSON). Both are sent
	// only with the reporter's consent.
	DOM        string `json:"dom"`
	Screenshot []byte `json:"screenshot"`
	// The visitor (ua, lang, referrer) is who the reporter was when the
	// page showed the scam, for the scan of the reported URL to arrive as
	// them. ua and lang default to the report request's own User-Agent
	// (its device) and Accept-Language: the extension reports from the
	// victim's browser.
	store.Visitor
}

// submitReport records a user's report. A reported URL is scanned like any
// other; nothing is listed on the reporter's word alone, nor on the DOM
// they send: that is evidence for an analyst and raises the report's
// priority, nothing more (anyone can send a scam page's HTML with an
// innocent site's URL).
func (s *Server) submitReport(w http.ResponseWriter, r *http.Request) error {
	var req reportRequest
	if err := decode(r, &req); err != nil {
		return err
	}
	if req.URL == "" && req.Number == "" {
		return errorf(http.StatusBadRequest, "bad_report", "a report needs a url, a number, or both")
	}
	if err := store.CheckText("comment", req.Comment, store.MaxComment); err != nil {
		return errorf(http.StatusBadRequest, "bad_report", err.Error())
	}
	if req.Number != "" && !e164Pattern.MatchString(req.Number) {
		return errorf(http.StatusBadRequest, "bad_number", "give the number in E.164 form, like +18005551234")
	}
	if (req.DOM != "" || len(req.Screenshot) > 0) && req.URL == "" {
		return errorf(http.StatusBadRequest, "bad_report", "dom and screenshot are of a page: send them with its url")
	}
	rep := store.UserReport{URL: req.URL, Number: req.Number, Comment: req.Comment, KeyID: keyOf(r).ID, IP: s.clientIP(r)}
	if len(req.Screenshot) > 0 {
		typ, wd, ht, err := checkScreenshot(req.Screenshot)
		if err != nil {
			return err
		}
		rep.Screenshot, rep.ShotType, rep.ShotWidth, rep.ShotHeight = req.Screenshot, typ, wd, ht
	}
	var sc *store.Scan
	var enqueue func(store.Tx) error
	if req.URL != "" {
		u, dom, err := s.target(r.Context(), req.URL)
		if err != nil {
			return err
		}
		v, err := checkVisitor(store.Visitor{
			UA:       cmp.Or(req.UA, capture.ProfileOf(r.UserAgent())),
			Lang:     cmp.Or(req.Lang, capture.FirstLanguage(r.Header.Get("Accept-Language"))),
			Referrer: req.Referrer,
		})
		if err != nil {
			return err
		}
		sc = &store.Scan{ID: store.NewID(), URL: u.String(), Origin: "report", Visitor: v}
		enqueue = s.o.Queue.Enqueue(r.Context(), sc.ID, dom)
	}
	if req.DOM != "" {
		html, err := cleanDOM(req.DOM)
		if err != nil {
			return err
		}
		rep.DOM = []byte(html)
		if err := s.analyzeDOM(r.Context(), &rep, sc.URL); err != nil {
			return err
		}
	}
	rep, err := s.o.Store.AddReport(r.Context(), rep, sc, enqueue)
	if err != nil {
		return err
	}
	// The reporter is not told what the engine made of their DOM: the
	// endpoint is no oracle for tuning a page against the rules.
	resp := map[string]any{"id": rep.ID, "scan": rep.ScanID}
	if rep.DOMSize > 0 {
		resp["dom_size"] = rep.DOMSize
	}
	if rep.ShotType != "" {
		resp["screenshot_type"] = rep.ShotType
	}
	writeJSON(w, http.StatusAccepted, resp)
	return nil
}

// cleanDOM checks a submitted DOM's size and takes out NUL characters,
// which no database keeps in text and HTML parsers drop anyway. (JSON
// decoding has already replaced invalid UTF-8.)
func cleanDOM(dom string) (string, error) {
	if len(dom) > MaxReportDOM {
		return "", errorf(http.StatusRequestEntityTooLarge, "dom_too_large", fmt.Sprintf("dom is %d bytes, over the %d this server takes: cut it", len(dom), MaxReportDOM))
	}
	dom = strings.ReplaceAll(dom, "\x00", "")
	if !utf8.ValidString(dom) {
		dom = strings.ToValidUTF8(dom, "\uFFFD")
	}
	return dom, nil
}

// checkScreenshot reads a screenshot's header: a PNG or JPEG of sensible
// size, or a 400 that says what is wrong. The pixels are not decoded.
func checkScreenshot(b []byte) (contentType string, width, height int, err error) {
	if len(b) > MaxReportScreenshot {
		return "", 0, 0, errorf(http.StatusRequestEntityTooLarge, "screenshot_too_large", fmt.Sprintf("screenshot is %d bytes, over the %d this server takes", len(b), MaxReportScreenshot))
	}
	cfg, format, err := image.DecodeConfig(bytes.NewReader(b))
	if err != nil {
		return "", 0, 0, errorf(http.StatusBadRequest, "bad_screenshot", "screenshot is not a PNG or JPEG image: "+err.Error())
	}
	switch format {
	case "png", "jpeg":
	default:
		return "", 0, 0, errorf(http.StatusBadRequest, "bad_screenshot", "screenshot must be PNG or JPEG, not "+format)
	}
	if cfg.Width < 1 || cfg.Height < 1 || cfg.Width > MaxScreenshotSide || cfg.Height > MaxScreenshotSide {
		return "", 0, 0, errorf(http.StatusBadRequest, "bad_screenshot", fmt.Sprintf("screenshot is %d×%d pixels: each side must be 1 to %d", cfg.Width, cfg.Height, MaxScreenshotSide))
	}
	return "image/" + format, cfg.Width, cfg.Height, nil
}

// analyzeDOM runs the static engine on a submitted DOM as the HTML of the
// reported URL: nothing is fetched or read but the DOM itself (its inline
// scripts are analysed, its external ones and frames are not), and the
// usual page budgets apply. Analyses run a few at a time;
// one that cannot start or end within domAnalysisTime leaves the report
// without a verdict rather than failing it.
func (s *Server) analyzeDOM(ctx context.Context, rep *store.UserReport, pageURL string) error {
	engine, err := s.domEngine()
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, domAnalysisTime)
	defer cancel()
	select {
	case s.domSlots <- struct{}{}:
		defer func() { <-s.domSlots }()
	case <-ctx.Done():
		s.log.Warn("report DOM not analysed: no turn in time", "bytes", len(rep.DOM))
		return nil
	}
	c, err := capture.FromReader(ctx, bytes.NewReader(rep.DOM), "report", capture.Options{PageURL: pageURL, NoResources: true, Parse: analyze.ParseForCapture})
	if err != nil {
		s.log.Warn("report DOM not analysed", "err", err)
		return nil
	}
	res := engine.Analyze(ctx, c)
	rep.DOMVerdict, rep.DOMScore = string(res.Verdict), res.Score
	fs := slices.Clone(res.Findings)
	slices.SortStableFunc(fs, func(a, b analyze.Finding) int { return cmp.Compare(b.Weight, a.Weight) })
	for _, f := range fs[:min(len(fs), topDOMFindings)] {
		df := store.DOMFinding{Rule: f.Rule, Severity: string(f.Severity), Message: f.Message, Weight: f.Weight}
		if len(f.Evidence) > 0 {
			df.Snippet = shortText(f.Evidence[0].Snippet, 200)
		}
		rep.DOMFindings = append(rep.DOMFindings, df)
	}
	return nil
}

// domEngine is the engine that analyses submitted DOMs: the server's, or
// the default rule pack when it was given none.
func (s *Server) domEngine() (*analyze.Engine, error) {
	s.engineOnce.Do(func() {
		if s.o.Engine != nil {
			s.engine = s.o.Engine
			return
		}
		s.engine, s.engineErr = analyze.New(analyze.Options{})
	})
	return s.engine, s.engineErr
}

func shortText(s string, n int) string {
	s = strings.ToValidUTF8(s, "")
	if r := []rune(s); len(r) > n {
		return string(r[:n-1]) + "…"
	}
	return s
}

// reportView is a report as the API shows it: the store's fields and
// where its evidence is.
type reportView struct {
	store.UserReport
	DOMURL        string `json:"dom_url,omitempty"`
	ScreenshotURL string `json:"screenshot_url,omitempty"`
}

func viewOf(r store.UserReport) reportView {
	v := reportView{UserReport: r}
	if r.DOMSize > 0 {
		v.DOMURL = "/api/v1/reports/" + r.ID + "/dom"
	}
	if r.ShotType != "" {
		v.ScreenshotURL = "/api/v1/reports/" + r.ID + "/screenshot"
	}
	return v
}

// listReports lists the latest reports, newest first, with their DOM's
// verdict and priority but never the evidence itself.
func (s *Server) listReports(w http.ResponseWriter, r *http.Request) error {
	limit := 50
	if v := r.URL.Query().Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 1000 {
			return errorf(http.StatusBadRequest, "bad_limit", "limit is a number from 1 to 1000")
		}
		limit = n
	}
	reps, err := s.o.Store.UserReports(r.Context(), limit)
	if err != nil {
		return err
	}
	out := make([]reportView, 0, len(reps))
	for _, rep := range reps {
		out = append(out, viewOf(rep))
	}
	writeJSON(w, http.StatusOK, map[string]any{"reports": out})
	return nil
}

func (s *Server) report(r *http.Request) (store.UserReport, error) {
	id := r.PathValue("id")
	if !idPattern.MatchString(id) {
		return store.UserReport{}, errorf(http.StatusBadRequest, "bad_id", "a report ID is letters, digits and dashes")
	}
	rep, err := s.o.Store.UserReport(r.Context(), id)
	if errors.Is(err, store.ErrNotFound) {
		return rep, errorf(http.StatusNotFound, "not_found", "no report with ID "+id)
	}
	return rep, err
}

func (s *Server) getReport(w http.ResponseWriter, r *http.Request) error {
	rep, err := s.report(r)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, viewOf(rep))
	return nil
}

// evidence serves a report's DOM or screenshot. The DOM is attacker-written
// HTML: it goes out as text/plain, never sniffed, in a sandbox.
func (s *Server) evidence(w http.ResponseWriter, r *http.Request, name string) error {
	rep, err := s.report(r)
	if err != nil {
		return err
	}
	a, err := s.o.Store.ReportEvidence(r.Context(), rep.ID, name)
	if errors.Is(err, store.ErrNotFound) {
		return errorf(http.StatusNotFound, "not_found", "report "+rep.ID+" came without a "+name)
	}
	if err != nil {
		return err
	}
	contentType := "text/plain; charset=utf-8"
	if name == store.EvidenceScreenshot {
		contentType = a.ContentType
		if contentType != "image/png" && contentType != "image/jpeg" {
			return errorf(http.StatusNotFound, "not_found", "the stored screenshot is not a PNG or JPEG image")
		}
	}
	SetEvidenceHeaders(w.Header(), contentType)
	_, err = w.Write(a.Data)
	return err
}

// SetEvidenceHeaders are the headers of anything a scanned page or a
// reporter wrote: its own type, never sniffed, sandboxed, not cached by
// shared caches.
func SetEvidenceHeaders(h http.Header, contentType string) {
	h.Set("Content-Type", contentType)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Security-Policy", "sandbox; default-src 'none'")
	h.Set("Cache-Control", "private, max-age=3600")
}

func (s *Server) getReportDOM(w http.ResponseWriter, r *http.Request) error {
	return s.evidence(w, r, store.EvidenceDOM)
}

func (s *Server) getReportScreenshot(w http.ResponseWriter, r *http.Request) error {
	return s.evidence(w, r, store.EvidenceScreenshot)
}
