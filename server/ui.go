package server

import (
	"context"
	"errors"
	"net/http"
	"slices"

	"github.com/tssguard/tssguard/export"
	"github.com/tssguard/tssguard/server/ui"
	"github.com/tssguard/tssguard/store"
)

// mountUI serves the analysts' web UI (package server/ui) at /, behind the
// per-address rate limit; unknown API paths still answer JSON.
func (s *Server) mountUI() {
	s.mux.HandleFunc("/api/", func(w http.ResponseWriter, r *http.Request) {
		writeError(w, errorf(http.StatusNotFound, "not_found", "no such endpoint: see /openapi.json"))
	})
	h := ui.New(ui.Options{Store: s.o.Store, Actions: uiActions{s}, ReadNeedsKey: s.o.ReadNeedsKey,
		Dynamic: s.o.Dynamic, Logger: s.log, RuleAbout: s.ruleAbout})
	s.mux.Handle("/", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if ok, wait := s.ips.allow(s.clientIP(r)); !ok {
			writeError(w, rateLimited(w, wait))
			return
		}
		r.Body = http.MaxBytesReader(w, r.Body, s.o.MaxBody)
		h.ServeHTTP(w, r)
	}))
}

// uiActions are the writes the UI makes, through the same checks as the API.
type uiActions struct{ s *Server }

func uiError(err error) error {
	if err == nil {
		return nil
	}
	ae := asAPIError(err)
	return &ui.Error{Status: ae.Status, Message: ae.Message, Err: err}
}

func (a uiActions) Submit(ctx context.Context, want store.Scan, origin string) (store.Scan, error) {
	sc, err := a.s.newScan(ctx, scanRequest{URL: want.URL, Dynamic: want.Dynamic, Visitor: want.Visitor}, origin)
	return sc, uiError(err)
}

func (a uiActions) Report(ctx context.Context, rep store.UserReport) (store.UserReport, error) {
	rep, err := a.s.o.Store.AddReport(ctx, rep, nil, nil)
	return rep, uiError(err)
}

func (a uiActions) Allow(ctx context.Context, domain, note, by string) (string, error) {
	dom, err := store.AllowlistDomain(domain)
	if err != nil {
		return "", &ui.Error{Status: http.StatusBadRequest, Message: err.Error(), Err: err}
	}
	if err := a.s.o.Store.Allow(ctx, store.Allowed{Domain: dom, Note: note, AddedBy: by}); err != nil {
		return "", uiError(err)
	}
	a.s.o.Index.Allow(dom)
	a.s.Changed()
	return dom, nil
}

func (a uiActions) Disallow(ctx context.Context, domain string) error {
	err := a.s.o.Store.Disallow(ctx, domain)
	if errors.Is(err, store.ErrNotFound) {
		return &ui.Error{Status: http.StatusNotFound, Message: domain + " is not allowlisted", Err: err}
	}
	if err != nil {
		return uiError(err)
	}
	a.s.o.Index.Disallow(domain)
	a.s.Changed()
	return nil
}

func (a uiActions) Exports() ui.ExportsInfo {
	urls, domains, numbers := a.s.o.Index.Len()
	info := ui.ExportsInfo{URLs: urls, Domains: domains, Numbers: numbers, Changed: a.s.changes.lastModified()}
	for _, f := range export.Formats() {
		info.Formats = append(info.Formats, ui.ExportFormat{Name: f.Name, Description: f.Description})
	}
	slices.SortFunc(info.Formats, func(x, y ui.ExportFormat) int {
		switch {
		case x.Name < y.Name:
			return -1
		case x.Name > y.Name:
			return 1
		}
		return 0
	})
	return info
}

// ServeExport serves one export to a UI session, which the UI has already
// let read.
func (a uiActions) ServeExport(w http.ResponseWriter, r *http.Request, format string) {
	r.SetPathValue("format", format)
	if err := a.s.exportFormat(w, r); err != nil {
		writeError(w, err)
	}
}

// ruleAbout is what rule id detects, from the rule pack of the server's
// engine (domEngine: the default pack when it was given none); "" for an
// unknown rule.
func (s *Server) ruleAbout(id string) string {
	e, err := s.domEngine()
	if err != nil {
		return ""
	}
	for _, r := range e.Pack().Rules {
		if r.ID == id {
			return r.Description
		}
	}
	return ""
}
