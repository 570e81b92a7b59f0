package ui

import (
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/tssguard/tssguard/store"
)

type reportRow struct {
	store.UserReport
	FalsePositive bool
}

type listsView struct {
	Exports   ExportsInfo
	Allowlist []store.Allowed
	Reports   []reportRow
}

func (u *UI) lists(w http.ResponseWriter, r *http.Request) error {
	v := listsView{Exports: u.o.Actions.Exports()}
	var err error
	if v.Allowlist, err = u.o.Store.Allowlist(r.Context()); err != nil {
		return err
	}
	reps, err := u.o.Store.UserReports(r.Context(), 100)
	if err != nil {
		return err
	}
	for _, rep := range reps {
		v.Reports = append(v.Reports, reportRow{UserReport: rep, FalsePositive: strings.HasPrefix(rep.Comment, fpPrefix)})
	}
	// What the reporters' evidence makes urgent first (cloaking suspected,
	// then scam content), newest first within each.
	slices.SortStableFunc(v.Reports, func(a, b reportRow) int { return b.Priority - a.Priority })
	return u.render(w, r, http.StatusOK, "lists", "Lists", v)
}

func (u *UI) export(w http.ResponseWriter, r *http.Request) error {
	u.o.Actions.ServeExport(w, r, r.PathValue("format"))
	return nil
}

// flashes are the messages a redirect can ask a page to show: fixed
// texts by code, so that nobody can craft a link that makes this UI say
// what they like.
var flashes = map[string]string{
	"allowed":    "The domain is allowlisted.",
	"disallowed": "The domain is no longer allowlisted.",
	"fp":         "Reported as a false positive: it is in the queue on the Lists page.",
}

func back(w http.ResponseWriter, r *http.Request, to, flash string) {
	http.Redirect(w, r, to+"?flash="+url.QueryEscape(flash), http.StatusSeeOther)
}

func (u *UI) allow(w http.ResponseWriter, r *http.Request) error {
	_, err := u.o.Actions.Allow(r.Context(), r.PostForm.Get("domain"), strings.TrimSpace(r.PostForm.Get("note")), sessionOf(r).user())
	if err != nil {
		return err
	}
	back(w, r, "/lists", "allowed")
	return nil
}

func (u *UI) disallow(w http.ResponseWriter, r *http.Request) error {
	dom := r.PostForm.Get("domain")
	if err := store.CheckText("domain", dom, 253); err != nil {
		return err
	}
	if err := u.o.Actions.Disallow(r.Context(), dom); err != nil {
		return err
	}
	back(w, r, "/lists", "disallowed")
	return nil
}

// reportRescan scans the URL of a user report again, in one click.
func (u *UI) reportRescan(w http.ResponseWriter, r *http.Request) error {
	id := r.PathValue("id")
	reps, err := u.o.Store.UserReports(r.Context(), 1000)
	if err != nil {
		return err
	}
	for _, rep := range reps {
		if rep.ID != id {
			continue
		}
		if rep.URL == "" {
			return &Error{Status: http.StatusBadRequest, Message: "That report names a number, not a URL: there is nothing to scan."}
		}
		sc, err := u.o.Actions.Submit(r.Context(), store.Scan{URL: rep.URL, Dynamic: u.o.Dynamic}, "report")
		if err != nil {
			return err
		}
		http.Redirect(w, r, "/scans/"+sc.ID, http.StatusSeeOther)
		return nil
	}
	return &Error{Status: http.StatusNotFound, Message: "There is no report " + id + " among the latest 1000."}
}

func (u *UI) loginPage(w http.ResponseWriter, r *http.Request) error {
	return u.render(w, r, http.StatusOK, "login", "Log in", map[string]any{"Next": localPath(r.URL.Query().Get("next"))})
}

func (u *UI) login(w http.ResponseWriter, r *http.Request) error {
	token := strings.TrimSpace(r.PostForm.Get("key"))
	next := localPath(r.PostForm.Get("next"))
	bad := func() error {
		return u.render(w, r, http.StatusUnauthorized, "login", "Log in", map[string]any{"Next": next, "Error": "That key is not valid (or was revoked)."})
	}
	if !strings.HasPrefix(token, store.TokenPrefix) || len(token) > 128 {
		return bad()
	}
	k, err := u.o.Store.KeyByToken(r.Context(), token)
	if err != nil {
		return bad()
	}
	u.sessions.start(w, sessionOf(r), k)
	http.Redirect(w, r, next, http.StatusSeeOther)
	return nil
}

func (u *UI) logout(w http.ResponseWriter, r *http.Request) error {
	u.sessions.end(w, sessionOf(r))
	http.Redirect(w, r, "/", http.StatusSeeOther)
	return nil
}

// localPath keeps a redirect target on this site: a path, never
// "//other.host" or a full URL.
func localPath(p string) string {
	if u, err := url.Parse(p); err == nil && u.Scheme == "" && u.Host == "" && strings.HasPrefix(p, "/") && !strings.HasPrefix(p, "//") && !strings.Contains(p, `\`) {
		return p
	}
	return "/"
}
