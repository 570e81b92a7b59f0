package ui

import (
	"bytes"
	"encoding/json"
	"errors"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/tssguard/tssguard/intel"
	"github.com/tssguard/tssguard/store"
)

// numberLife is one number's use within a campaign.
type numberLife struct {
	E164        string
	First, Last time.Time
	Sightings   int
}

func (n numberLife) Life() time.Duration { return n.Last.Sub(n.First) }

func (n numberLife) Short() bool { return n.Life() < 24*time.Hour }

// lives groups sightings by campaign and number.
func lives(ss []store.Sighting) map[string][]numberLife {
	out := map[string][]numberLife{}
	idx := map[[2]string]int{}
	for _, s := range ss {
		if s.Campaign == "" {
			continue
		}
		k := [2]string{s.Campaign, s.E164}
		i, ok := idx[k]
		if !ok {
			idx[k] = len(out[s.Campaign])
			out[s.Campaign] = append(out[s.Campaign], numberLife{E164: s.E164, First: s.Seen, Last: s.Seen, Sightings: 1})
			continue
		}
		n := &out[s.Campaign][i]
		n.Sightings++
		if s.Seen.Before(n.First) {
			n.First = s.Seen
		}
		if s.Seen.After(n.Last) {
			n.Last = s.Seen
		}
	}
	return out
}

// shortShare charts, for every campaign, the share of its numbers used
// less than a day: the kits that burn numbers fastest stand out.
func shortShare(all map[string][]numberLife, current string) chart {
	var bars []bar
	for id, ns := range all {
		short := 0
		for _, n := range ns {
			if n.Short() {
				short++
			}
		}
		bars = append(bars, bar{Label: id, Value: float64(short) / float64(len(ns)), Note: plural(short, "number") + " of " + itoa(len(ns)), Current: id == current})
	}
	slices.SortFunc(bars, func(a, b bar) int { return strings.Compare(a.Label, b.Label) })
	return hbars(bars, "Share of numbers used less than a day, per campaign", true)
}

type campaignsView struct {
	Campaigns []store.Campaign
	Share     chart
}

func (u *UI) campaigns(w http.ResponseWriter, r *http.Request) error {
	cs, err := u.o.Store.Campaigns(r.Context())
	if err != nil {
		return err
	}
	all, err := u.o.Store.Sightings(r.Context(), "", "")
	if err != nil {
		return err
	}
	return u.render(w, r, http.StatusOK, "campaigns", "Campaigns", campaignsView{Campaigns: cs, Share: shortShare(lives(all), "")})
}

type campaignView struct {
	Campaign store.Campaign
	Pages    []store.Scan
	KitFiles []kitFile
	Numbers  []numberLife
	Chart    chart
	Share    chart
	Life     time.Duration
}

type kitFile struct {
	ID    string
	Pages int
}

func (u *UI) campaign(w http.ResponseWriter, r *http.Request) error {
	id := r.PathValue("id")
	ctx := r.Context()
	c, err := u.o.Store.Campaign(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return &Error{Status: http.StatusNotFound, Message: "There is no campaign " + id + ".", Err: err}
	}
	if err != nil {
		return err
	}
	v := campaignView{Campaign: c, Life: c.LastSeen.Sub(c.FirstSeen)}
	v.Pages, err = u.o.Store.FindScans(ctx, store.ScanFilter{Campaign: id, Limit: 60})
	if err != nil {
		return err
	}
	files := map[string]int{}
	var order []string
	for _, p := range v.Pages {
		fp, err := u.o.Store.ScanFingerprint(ctx, p.ID)
		if err != nil {
			continue
		}
		pg, err := intel.ParsePage(fp)
		if err != nil {
			continue
		}
		for _, f := range pg.Files {
			if files[f] == 0 {
				order = append(order, f)
			}
			files[f]++
		}
	}
	for _, f := range order {
		v.KitFiles = append(v.KitFiles, kitFile{ID: f, Pages: files[f]})
	}
	all, err := u.o.Store.Sightings(ctx, "", "")
	if err != nil {
		return err
	}
	ls := lives(all)
	v.Numbers = ls[id]
	v.Chart = perDay(v.Numbers, "New numbers per day")
	v.Share = shortShare(ls, id)
	return u.render(w, r, http.StatusOK, "campaign", "Campaign "+id, v)
}

var (
	hexPattern    = regexp.MustCompile(`^[0-9a-f]{8,64}$`)
	digitsPattern = regexp.MustCompile(`^\+?[0-9]{7,15}$`)
)

type foundFile struct {
	ScanID, URL, Kind, SHA256 string
	Size                      int
}

type searchView struct {
	Q         string
	Number    *store.Hotline
	NumberQ   string
	Campaigns []store.Campaign
	KitScans  []store.Scan
	KitMatch  string
	Files     []foundFile
	Scans     []store.Scan
	Domain    string
	Brand     []store.Scan
	Searched  bool
}

func (u *UI) search(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	q := strings.TrimSpace(r.URL.Query().Get("q"))
	v := searchView{Q: q}
	if q == "" || len(q) > 2048 {
		return u.render(w, r, http.StatusOK, "search", "Search", v)
	}
	v.Searched = true
	lq := strings.ToLower(q)
	if n := strings.NewReplacer(" ", "", "-", "", "(", "", ")", "", ".", "").Replace(q); digitsPattern.MatchString(n) {
		if !strings.HasPrefix(n, "+") {
			n = "+" + n
		}
		v.NumberQ = n
		if h, err := u.o.Store.Hotline(ctx, n); err == nil {
			v.Number = &h
		}
	}
	cs, err := u.o.Store.Campaigns(ctx)
	if err != nil {
		return err
	}
	for _, c := range cs {
		if strings.Contains(strings.ToLower(c.ID), lq) || strings.EqualFold(c.Brand, q) {
			v.Campaigns = append(v.Campaigns, c)
		}
	}
	if hexPattern.MatchString(lq) {
		// A kit file (a truncated SHA-256: a full one matches by prefix)
		// or a template ID.
		want := map[string]bool{}
		err := u.o.Store.Fingerprints(ctx, func(scanID, _ string, fp []byte) error {
			p, err := intel.ParsePage(fp)
			if err != nil {
				return nil
			}
			if p.Template.ID() == lq {
				want[scanID], v.KitMatch = true, "template"
			}
			for _, f := range p.Files {
				if strings.HasPrefix(lq, f) || strings.HasPrefix(f, lq) {
					want[scanID], v.KitMatch = true, "kit file"
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
		// Any file of any page (documents too), by its full SHA-256.
		err = u.o.Store.WalkArtifacts(ctx, "capture.json", 5000, func(scanID string, data []byte) error {
			if !bytes.Contains(data, []byte(lq)) {
				return nil
			}
			var c captureSummary
			if json.Unmarshal(data, &c) != nil {
				return nil
			}
			for _, f := range c.Files {
				if f.SHA256 != "" && strings.HasPrefix(f.SHA256, lq) {
					want[scanID] = true
					if v.KitMatch == "" {
						v.KitMatch = "file"
					}
					if len(v.Files) < 50 {
						v.Files = append(v.Files, foundFile{ScanID: scanID, URL: f.URL, Kind: f.Kind, Size: f.Size, SHA256: f.SHA256})
					}
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
		for id := range want {
			if sc, err := u.o.Store.Scan(ctx, id); err == nil {
				sc.Report = nil
				v.KitScans = append(v.KitScans, sc)
			}
		}
		slices.SortFunc(v.KitScans, func(a, b store.Scan) int { return b.Submitted.Compare(a.Submitted) })
	}
	v.Scans, err = u.o.Store.FindScans(ctx, store.ScanFilter{URL: q, Limit: 50})
	if err != nil {
		return err
	}
	if !strings.ContainsAny(q, "/ ") && strings.Contains(q, ".") {
		v.Domain = registrable(q)
		more, err := u.o.Store.FindScans(ctx, store.ScanFilter{Domain: v.Domain, Limit: 50})
		if err != nil {
			return err
		}
		for _, s := range more {
			if !slices.ContainsFunc(v.Scans, func(x store.Scan) bool { return x.ID == s.ID }) {
				v.Scans = append(v.Scans, s)
			}
		}
	}
	v.Brand, err = u.o.Store.FindScans(ctx, store.ScanFilter{Brand: q, Limit: 50})
	if err != nil {
		return err
	}
	return u.render(w, r, http.StatusOK, "search", "Search: "+shorten(q, 40), v)
}

// families are the kinds of evidence the scan list filters on: finding
// categories that tell scam pages apart by what they do.
var families = []string{"locker", "call", "media", "gateway", "cloak", "conversion", "obfuscation", "template", "content", "hotline"}

func hasCategory(report []byte, category string) bool {
	var rep struct {
		Findings []struct {
			Category string `json:"category"`
		} `json:"findings"`
	}
	if json.Unmarshal(report, &rep) != nil {
		return false
	}
	for _, f := range rep.Findings {
		if f.Category == category {
			return true
		}
	}
	return false
}

type scanListView struct {
	Filter   store.ScanFilter
	Family   string
	Families []string
	From, To string
	Scans    []store.Scan
}

func (u *UI) scanList(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	f := store.ScanFilter{Verdict: q.Get("verdict"), Brand: q.Get("brand"), Campaign: q.Get("campaign"), Domain: q.Get("domain"), URL: q.Get("url"), Limit: 100}
	if f.Verdict != "" && !slices.Contains([]string{"scam", "suspicious", "clean"}, f.Verdict) {
		return &Error{Status: http.StatusBadRequest, Message: "The verdict is scam, suspicious or clean."}
	}
	v := scanListView{Filter: f, Family: q.Get("family"), Families: families, From: q.Get("from"), To: q.Get("to")}
	for _, d := range []struct {
		s   string
		t   *time.Time
		add time.Duration
	}{{v.From, &f.Since, 0}, {v.To, &f.Until, 24 * time.Hour}} {
		if d.s == "" {
			continue
		}
		t, err := time.Parse("2006-01-02", d.s)
		if err != nil {
			return &Error{Status: http.StatusBadRequest, Message: "Dates are written like 2026-11-30."}
		}
		*d.t = t.Add(d.add)
	}
	if v.Family != "" && !slices.Contains(families, v.Family) {
		return &Error{Status: http.StatusBadRequest, Message: "The family is one of " + strings.Join(families, ", ") + "."}
	}
	if v.Family != "" {
		// The family is the kind of evidence: read the latest reports.
		f.Reports, f.Limit = true, 500
	}
	scans, err := u.o.Store.FindScans(r.Context(), f)
	if err != nil {
		return err
	}
	for _, s := range scans {
		if v.Family != "" && !hasCategory(s.Report, v.Family) {
			continue
		}
		s.Report = nil
		if v.Scans = append(v.Scans, s); len(v.Scans) == 100 {
			break
		}
	}
	return u.render(w, r, http.StatusOK, "scans", "Scans", v)
}
