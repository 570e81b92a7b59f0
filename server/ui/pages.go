package ui

import (
	"encoding/json"
	"errors"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/tssguard/tssguard/analyze"
	"github.com/tssguard/tssguard/intel"
	"github.com/tssguard/tssguard/store"
	"github.com/tssguard/tssguard/urlx"
)

var (
	idPattern   = regexp.MustCompile(`^[0-9a-zA-Z-]{1,64}$`)
	e164Pattern = regexp.MustCompile(`^\+[1-9][0-9]{6,14}$`)
)

func (u *UI) home(w http.ResponseWriter, r *http.Request) error {
	recent, err := u.o.Store.FindScans(r.Context(), store.ScanFilter{Limit: 15})
	if err != nil {
		return err
	}
	return u.render(w, r, http.StatusOK, "home", "Scan a URL", map[string]any{"Recent": recent, "URL": r.URL.Query().Get("url")})
}

func (u *UI) submit(w http.ResponseWriter, r *http.Request) error {
	f := r.PostForm
	want := store.Scan{URL: f.Get("url"), Dynamic: f.Get("dynamic") != "", Visitor: store.Visitor{UA: f.Get("ua"),
		Lang: strings.TrimSpace(f.Get("lang")), Referrer: strings.TrimSpace(f.Get("referrer"))}}
	sc, err := u.o.Actions.Submit(r.Context(), want, "ui")
	if err != nil {
		return err
	}
	http.Redirect(w, r, "/scans/"+sc.ID, http.StatusSeeOther)
	return nil
}

// scanOf loads the scan named in the path.
func (u *UI) scanOf(r *http.Request) (store.Scan, error) {
	id := r.PathValue("id")
	if !idPattern.MatchString(id) {
		return store.Scan{}, &Error{Status: http.StatusBadRequest, Message: "A scan ID is letters, digits and dashes."}
	}
	sc, err := u.o.Store.Scan(r.Context(), id)
	if errors.Is(err, store.ErrNotFound) {
		return sc, &Error{Status: http.StatusNotFound, Message: "There is no scan " + id + ".", Err: err}
	}
	return sc, err
}

// captureSummary mirrors the capture.json artifact the scan job keeps.
type captureSummary struct {
	Redirects []string `json:"redirects"`
	Files     []struct {
		URL    string `json:"url"`
		Kind   string `json:"kind"`
		Frame  string `json:"frame"`
		Size   int    `json:"size"`
		SHA256 string `json:"sha256"`
		Error  string `json:"error"`
	} `json:"files"`
}

// shownEvidence is a finding's evidence with its snippet found in the
// page source, to show in context.
type shownEvidence struct {
	analyze.Evidence
	Before, Match, After string
	InSource             string // which source it was found in
}

type shownFinding struct {
	analyze.Finding
	About string // what the rule detects
	Shown []shownEvidence
}

type reportView struct {
	Scan       store.Scan
	Report     *analyze.Report
	Findings   []shownFinding
	Capture    *captureSummary
	Requests   []requestRow
	Screenshot bool
	Source     string
	SourceName string
	SourceCut  bool
	Template   string
	KitFiles   []string
	Hotlines   []hotlineRow
	Pending    bool
}

type hotlineRow struct {
	analyze.Hotline
	Sightings int
}

// requestRow joins a request the page made with the size and hash of what
// came back, where the capture kept it.
type requestRow struct {
	URL, Type, Reason, SHA256 string
	Status, Size              int
	Blocked, HaveSize         bool
}

const maxSourceShown = 256 << 10

func (u *UI) report(w http.ResponseWriter, r *http.Request) error {
	sc, err := u.scanOf(r)
	if err != nil {
		return err
	}
	ctx := r.Context()
	v := reportView{Scan: sc, Pending: sc.Status == store.Pending || sc.Status == store.Running}
	if len(sc.Report) > 0 {
		var rep analyze.Report
		if err := json.Unmarshal(sc.Report, &rep); err == nil {
			v.Report = &rep
		}
	}
	if a, err := u.o.Store.Artifact(ctx, sc.ID, "capture.json"); err == nil {
		var c captureSummary
		if json.Unmarshal(a.Data, &c) == nil {
			v.Capture = &c
		}
	}
	if _, err := u.o.Store.Artifact(ctx, sc.ID, "screenshot.png"); err == nil {
		v.Screenshot = true
	}
	for _, name := range []string{"dom.html", "source.html"} {
		if a, err := u.o.Store.Artifact(ctx, sc.ID, name); err == nil {
			v.Source, v.SourceName = string(a.Data), name
			break
		}
	}
	if v.Report != nil {
		for _, f := range v.Report.Findings {
			sf := shownFinding{Finding: f}
			if u.o.RuleAbout != nil {
				sf.About = u.o.RuleAbout(f.Rule)
			}
			for _, e := range f.Evidence {
				sf.Shown = append(sf.Shown, inContext(e, v.Source, v.SourceName))
			}
			v.Findings = append(v.Findings, sf)
		}
		for _, h := range v.Report.Hotlines {
			row := hotlineRow{Hotline: h}
			if hl, err := u.o.Store.Hotline(ctx, h.E164); err == nil {
				row.Sightings = hl.Sightings
			}
			v.Hotlines = append(v.Hotlines, row)
		}
		v.Requests = requestRows(v.Report, v.Capture)
	}
	if len(v.Source) > maxSourceShown {
		v.Source, v.SourceCut = strings.ToValidUTF8(v.Source[:maxSourceShown], ""), true
	}
	if fp, err := u.o.Store.ScanFingerprint(ctx, sc.ID); err == nil {
		if p, err := intel.ParsePage(fp); err == nil {
			v.Template, v.KitFiles = p.Template.ID(), p.Files
		}
	}
	title := "Scan of " + shorten(sc.URL, 60)
	return u.render(w, r, http.StatusOK, "report", title, v)
}

// inContext finds an evidence snippet in the page source and cuts a
// window around it; the template escapes all three parts.
func inContext(e analyze.Evidence, src, name string) shownEvidence {
	se := shownEvidence{Evidence: e}
	snip := strings.TrimSpace(e.Snippet)
	if snip == "" || src == "" {
		return se
	}
	i, j := locate(src, snip)
	if i < 0 {
		return se
	}
	const around = 160
	start, end := max(0, i-around), min(len(src), j+around)
	se.Before = strings.ToValidUTF8(src[start:i], "")
	se.Match = strings.ToValidUTF8(src[i:j], "")
	se.After = strings.ToValidUTF8(src[j:end], "")
	se.InSource = name
	return se
}

// locate finds a snippet in the source. Text evidence is normalised
// (lower case, spaces collapsed, tags gone), so the words are matched in
// order, in any case, across white space and tags; the first and last
// words may be cut and are left out.
func locate(src, snip string) (int, int) {
	if i := strings.Index(src, snip); i >= 0 {
		return i, i + len(snip)
	}
	part := ""
	for _, p := range strings.Split(snip, "…") {
		if len(p) > len(part) {
			part = p
		}
	}
	words := strings.Fields(part)
	if len(words) > 4 {
		words = words[1 : len(words)-1]
	}
	if len(words) > 12 {
		mid := len(words)/2 - 6
		words = words[mid : mid+12]
	}
	if len(words) == 0 {
		return -1, -1
	}
	for k, w := range words {
		words[k] = regexp.QuoteMeta(w)
	}
	re, err := regexp.Compile(`(?i)` + strings.Join(words, `(?:\s|<[^>]{0,200}>|&nbsp;)+`))
	if err != nil {
		return -1, -1
	}
	if m := re.FindStringIndex(src[:min(len(src), 2<<20)]); m != nil {
		return m[0], m[1]
	}
	return -1, -1
}

func requestRows(rep *analyze.Report, c *captureSummary) []requestRow {
	files := map[string]int{}
	if c != nil {
		for i, f := range c.Files {
			// The bytes served, not the DOM the browser ended with.
			if _, ok := files[f.URL]; !ok && f.Kind != "dom" && f.Kind != "evaluated" {
				files[f.URL] = i
			}
		}
	}
	var out []requestRow
	seen := map[string]bool{}
	add := func(row requestRow) {
		if i, ok := files[row.URL]; ok && c.Files[i].Size > 0 {
			row.Size, row.SHA256, row.HaveSize = c.Files[i].Size, c.Files[i].SHA256, true
		}
		out = append(out, row)
		seen[row.URL] = true
	}
	for _, q := range rep.Requests {
		add(requestRow{URL: q.URL, Type: q.Type, Status: q.Status, Blocked: q.Blocked, Reason: q.Reason})
	}
	// A static scan has no request log: list the files it fetched.
	if c != nil {
		for _, f := range c.Files {
			if seen[f.URL] || f.Kind == "dom" || f.Kind == "evaluated" {
				continue
			}
			add(requestRow{URL: f.URL, Type: f.Kind, Reason: f.Error})
		}
	}
	return out
}

func (u *UI) status(w http.ResponseWriter, r *http.Request) error {
	sc, err := u.scanOf(r)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	return json.NewEncoder(w).Encode(map[string]any{"status": sc.Status, "verdict": sc.Verdict, "attempts": sc.Attempts})
}

var pngMagic = []byte("\x89PNG\r\n\x1a\n")

func (u *UI) screenshot(w http.ResponseWriter, r *http.Request) error {
	sc, err := u.scanOf(r)
	if err != nil {
		return err
	}
	a, err := u.o.Store.Artifact(r.Context(), sc.ID, "screenshot.png")
	if err != nil {
		return err
	}
	if len(a.Data) < len(pngMagic) || string(a.Data[:len(pngMagic)]) != string(pngMagic) {
		return &Error{Status: http.StatusNotFound, Message: "The stored screenshot is not a PNG image."}
	}
	h := w.Header()
	h.Set("Content-Type", "image/png")
	h.Set("Content-Security-Policy", "sandbox; default-src 'none'")
	h.Set("Cache-Control", "private, max-age=86400")
	_, err = w.Write(a.Data)
	return err
}

func download(w http.ResponseWriter, name, contentType string, body any) error {
	w.Header().Set("Content-Type", contentType)
	w.Header().Set("Content-Disposition", `attachment; filename="`+name+`"`)
	w.Header().Set("Content-Security-Policy", "sandbox; default-src 'none'")
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(body)
}

func (u *UI) reportJSON(w http.ResponseWriter, r *http.Request) error {
	sc, err := u.scanOf(r)
	if err != nil {
		return err
	}
	out := map[string]any{"scan": sc}
	if len(sc.Report) > 0 {
		out["report"] = json.RawMessage(sc.Report)
	}
	return download(w, "tssguard-"+sc.ID+".json", "application/json", out)
}

// har writes the scan's requests as a HAR 1.2 log: the requests the page
// made (blocked ones with status 0 and the reason) with the sizes and
// hashes the capture kept. Headers and bodies are not kept, so not given.
func (u *UI) har(w http.ResponseWriter, r *http.Request) error {
	sc, err := u.scanOf(r)
	if err != nil {
		return err
	}
	var rep analyze.Report
	if len(sc.Report) > 0 {
		_ = json.Unmarshal(sc.Report, &rep)
	}
	var c *captureSummary
	if a, err := u.o.Store.Artifact(r.Context(), sc.ID, "capture.json"); err == nil {
		c = &captureSummary{}
		if json.Unmarshal(a.Data, c) != nil {
			c = nil
		}
	}
	started := sc.Started
	if started.IsZero() {
		started = sc.Submitted
	}
	entries := []map[string]any{}
	for _, q := range requestRows(&rep, c) {
		size := -1
		if q.HaveSize {
			size = q.Size
		}
		e := map[string]any{
			"startedDateTime": started.UTC().Format(time.RFC3339Nano), "time": 0,
			"request": map[string]any{"method": "GET", "url": q.URL, "httpVersion": "", "headers": []any{}, "queryString": []any{},
				"cookies": []any{}, "headersSize": -1, "bodySize": -1},
			"response": map[string]any{"status": q.Status, "statusText": q.Reason, "httpVersion": "", "headers": []any{}, "cookies": []any{},
				"content": map[string]any{"size": max(size, 0), "mimeType": q.Type}, "redirectURL": "", "headersSize": -1, "bodySize": size},
			"cache": map[string]any{}, "timings": map[string]any{"send": 0, "wait": 0, "receive": 0},
			"_blocked": q.Blocked, "_sha256": q.SHA256,
		}
		entries = append(entries, e)
	}
	log := map[string]any{"log": map[string]any{
		"version": "1.2", "creator": map[string]any{"name": "tssguard", "version": "1"},
		"pages":   []any{map[string]any{"id": sc.ID, "title": sc.URL, "startedDateTime": started.UTC().Format(time.RFC3339Nano), "pageTimings": map[string]any{}}},
		"entries": entries,
	}}
	return download(w, "tssguard-"+sc.ID+".har", "application/json", log)
}

func (u *UI) rescan(w http.ResponseWriter, r *http.Request) error {
	sc, err := u.scanOf(r)
	if err != nil {
		return err
	}
	n, err := u.o.Actions.Submit(r.Context(), store.Scan{URL: sc.URL, Dynamic: sc.Dynamic, Visitor: sc.Visitor}, "ui")
	if err != nil {
		return err
	}
	http.Redirect(w, r, "/scans/"+n.ID, http.StatusSeeOther)
	return nil
}

func (u *UI) falsePositive(w http.ResponseWriter, r *http.Request) error {
	sc, err := u.scanOf(r)
	if err != nil {
		return err
	}
	note := strings.TrimSpace(r.PostForm.Get("note"))
	comment := fpPrefix + "scan " + sc.ID + " (" + sc.Verdict + ")"
	if note != "" {
		comment += ": " + note
	}
	comment = shorten(comment, store.MaxComment)
	if _, err := u.o.Actions.Report(r.Context(), store.UserReport{URL: sc.URL, Comment: comment, KeyID: sessionOf(r).login.keyID}); err != nil {
		return err
	}
	back(w, r, "/scans/"+sc.ID, "fp")
	return nil
}

// fpPrefix marks the user reports that say a verdict was wrong.
const fpPrefix = "false positive: "

type numberView struct {
	E164      string
	Hotline   *store.Hotline
	Sightings []store.Sighting
	Campaigns []string
	Chart     chart
}

func (u *UI) number(w http.ResponseWriter, r *http.Request) error {
	n := strings.NewReplacer(" ", "", "-", "", "(", "", ")", "", ".", "").Replace(r.PathValue("e164"))
	if !strings.HasPrefix(n, "+") {
		n = "+" + n
	}
	if !e164Pattern.MatchString(n) {
		return &Error{Status: http.StatusBadRequest, Message: "Give the number in E.164 form, like +18005551234."}
	}
	v := numberView{E164: n}
	h, err := u.o.Store.Hotline(r.Context(), n)
	switch {
	case errors.Is(err, store.ErrNotFound):
	case err != nil:
		return err
	default:
		v.Hotline = &h
	}
	v.Sightings, err = u.o.Store.Sightings(r.Context(), n, "")
	if err != nil {
		return err
	}
	var times []time.Time
	for _, s := range v.Sightings {
		v.Campaigns = appendNew(v.Campaigns, s.Campaign)
		times = append(times, s.Seen)
	}
	v.Chart = timeline(times, "sightings of "+n)
	return u.render(w, r, http.StatusOK, "number", "Number "+n, v)
}

func appendNew(list []string, s string) []string {
	if s == "" || slices.Contains(list, s) {
		return list
	}
	return append(list, s)
}

func shorten(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n-1]) + "…"
	}
	return s
}

func registrable(host string) string {
	if d, err := urlx.RegistrableDomain(host); err == nil {
		return d
	}
	return strings.ToLower(host)
}
