package ui

import (
	"errors"
	"net/http"

	"github.com/tssguard/tssguard/store"
)

// evidence serves the pages of what users sent with their reports. They
// need a logged-in session with a live key whatever --read-key says: a
// reporter's DOM and screenshot may show their name or e-mail address.
func (u *UI) evidence(pattern string, h handler) {
	u.mux.HandleFunc(pattern, func(w http.ResponseWriter, r *http.Request) {
		r = u.prepare(w, r)
		if !u.sessions.active(r.Context(), u.o.Store, sessionOf(r)) {
			http.Redirect(w, r, "/login?next="+urlEscape(r.URL.RequestURI()), http.StatusSeeOther)
			return
		}
		if err := h(w, r); err != nil {
			u.fail(w, r, err)
		}
	})
}

func (u *UI) userReportOf(r *http.Request) (store.UserReport, error) {
	id := r.PathValue("id")
	if !idPattern.MatchString(id) {
		return store.UserReport{}, &Error{Status: http.StatusBadRequest, Message: "A report ID is letters, digits and dashes."}
	}
	rep, err := u.o.Store.UserReport(r.Context(), id)
	if errors.Is(err, store.ErrNotFound) {
		return rep, &Error{Status: http.StatusNotFound, Message: "There is no report " + id + ".", Err: err}
	}
	return rep, err
}

// userReport shows one user report: what was reported, the screenshot
// and what the static engine made of the DOM sent with it (never the DOM
// rendered: it is linked as text), and whether cloaking is suspected.
func (u *UI) userReport(w http.ResponseWriter, r *http.Request) error {
	rep, err := u.userReportOf(r)
	if err != nil {
		return err
	}
	title := "Report"
	if rep.URL != "" {
		title += " of " + shorten(rep.URL, 60)
	}
	return u.render(w, r, http.StatusOK, "userreport", title, rep)
}

func (u *UI) reportEvidence(w http.ResponseWriter, r *http.Request, name string) error {
	rep, err := u.userReportOf(r)
	if err != nil {
		return err
	}
	a, err := u.o.Store.ReportEvidence(r.Context(), rep.ID, name)
	if errors.Is(err, store.ErrNotFound) {
		return &Error{Status: http.StatusNotFound, Message: "This report came without a " + name + ".", Err: err}
	}
	if err != nil {
		return err
	}
	contentType := "text/plain; charset=utf-8" // the DOM is attacker-written HTML: text, never markup
	if name == store.EvidenceScreenshot {
		if a.ContentType != "image/png" && a.ContentType != "image/jpeg" {
			return &Error{Status: http.StatusNotFound, Message: "The stored screenshot is not a PNG or JPEG image."}
		}
		contentType = a.ContentType
	}
	h := w.Header()
	h.Set("Content-Type", contentType)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Security-Policy", "sandbox; default-src 'none'")
	h.Set("Cache-Control", "private, max-age=3600")
	_, err = w.Write(a.Data)
	return err
}

func (u *UI) reportScreenshot(w http.ResponseWriter, r *http.Request) error {
	return u.reportEvidence(w, r, store.EvidenceScreenshot)
}

func (u *UI) reportDOM(w http.ResponseWriter, r *http.Request) error {
	return u.reportEvidence(w, r, store.EvidenceDOM)
}
