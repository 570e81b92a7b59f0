// Package ui is tssguard's web UI for analysts, served by `tssguard serve`
// at /: submit a URL and watch it scanned, read a report (screenshot,
// verdict, findings with their evidence, numbers, requests), follow a
// number or a campaign, search, and keep the allowlist and the report
// queue.
//
// Everything a scanned page wrote is data here, never markup: templates
// escape it, the page source is shown as text, and screenshots are served
// as sandboxed images. Pages carry a strict Content-Security-Policy with a
// per-response nonce; every form carries a CSRF token; writes need a
// session opened with an API key.
package ui

import (
	"bytes"
	"context"
	"crypto/rand"
	"embed"
	"encoding/base64"
	"errors"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/tssguard/tssguard/store"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// Actions are the writes the UI makes. The server implements them with
// the same checks as its API (target validation, queueing, the index).
type Actions interface {
	// Submit queues a scan of want's URL, arriving as its visitor (UA,
	// Lang, Referrer), in the browser too when want.Dynamic.
	Submit(ctx context.Context, want store.Scan, origin string) (store.Scan, error)
	Report(ctx context.Context, rep store.UserReport) (store.UserReport, error)
	Allow(ctx context.Context, domain, note, by string) (string, error)
	Disallow(ctx context.Context, domain string) error
	Exports() ExportsInfo
	ServeExport(w http.ResponseWriter, r *http.Request, format string)
}

// ExportsInfo is what the block lists hold.
type ExportsInfo struct {
	URLs, Domains, Numbers int
	Changed                time.Time
	Formats                []ExportFormat
}

// ExportFormat is one downloadable list.
type ExportFormat struct{ Name, Description string }

// Error is an error to show the analyst, with its HTTP status.
type Error struct {
	Status  int
	Message string
	Err     error
}

func (e *Error) Error() string { return e.Message }
func (e *Error) Unwrap() error { return e.Err }

// Options configure the UI.
type Options struct {
	Store        *store.DB
	Actions      Actions
	ReadNeedsKey bool // pages need a session, like the API's --read-key
	Dynamic      bool // the server can run dynamic scans
	Logger       *slog.Logger
	// RuleAbout says what a rule detects (its description in the rule
	// pack), shown under each finding of a report; nil shows nothing.
	RuleAbout func(id string) string
}

// UI is the web UI's handler.
type UI struct {
	o        Options
	log      *slog.Logger
	mux      *http.ServeMux
	pages    map[string]*template.Template
	sessions *sessions
	static   http.Handler
}

// New builds the UI.
func New(o Options) *UI {
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	u := &UI{o: o, log: o.Logger, mux: http.NewServeMux(), sessions: newSessions(), pages: map[string]*template.Template{}}
	base := template.Must(template.New("layout.html").Funcs(funcs).ParseFS(templateFS, "templates/layout.html", "templates/partials.html"))
	names, _ := fs.Glob(templateFS, "templates/*.html")
	for _, n := range names {
		name := strings.TrimSuffix(strings.TrimPrefix(n, "templates/"), ".html")
		if name == "layout" || name == "partials" {
			continue
		}
		u.pages[name] = template.Must(template.Must(base.Clone()).ParseFS(templateFS, n))
	}
	sub, _ := fs.Sub(staticFS, "static")
	u.static = http.StripPrefix("/static/", http.FileServerFS(sub))
	u.routes()
	return u
}

func (u *UI) routes() {
	u.mux.HandleFunc("GET /static/", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "public, max-age=3600")
		u.static.ServeHTTP(w, r)
	})
	u.page("GET /{$}", u.home)
	u.page("GET /login", u.loginPage)
	u.action("POST /login", false, u.login)
	u.action("POST /logout", false, u.logout)
	u.action("POST /scans", true, u.submit)
	u.page("GET /scans", u.scanList)
	u.page("GET /scans/{id}", u.report)
	u.page("GET /scans/{id}/status", u.status)
	u.page("GET /scans/{id}/screenshot.png", u.screenshot)
	u.page("GET /scans/{id}/report.json", u.reportJSON)
	u.page("GET /scans/{id}/har", u.har)
	u.action("POST /scans/{id}/rescan", true, u.rescan)
	u.action("POST /scans/{id}/false-positive", true, u.falsePositive)
	u.page("GET /numbers/{e164}", u.number)
	u.page("GET /campaigns", u.campaigns)
	u.page("GET /campaigns/{id}", u.campaign)
	u.page("GET /search", u.search)
	u.page("GET /lists", u.lists)
	u.page("GET /lists/export/{format}", u.export)
	u.action("POST /lists/allow", true, u.allow)
	u.action("POST /lists/disallow", true, u.disallow)
	u.action("POST /reports/{id}/rescan", true, u.reportRescan)
	u.evidence("GET /reports/{id}", u.userReport)
	u.evidence("GET /reports/{id}/screenshot", u.reportScreenshot)
	u.evidence("GET /reports/{id}/dom", u.reportDOM)
	u.mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		u.fail(w, r, &Error{Status: http.StatusNotFound, Message: "There is no such page."})
	})
}

// ServeHTTP serves the UI.
func (u *UI) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("Cross-Origin-Opener-Policy", "same-origin")
	h.Set("Cross-Origin-Resource-Policy", "same-origin")
	u.mux.ServeHTTP(w, r)
}

type ctxKey int

const (
	nonceKey ctxKey = iota
	sessionKey
)

// handler is a UI page or action; an error it returns is shown as a page.
type handler func(w http.ResponseWriter, r *http.Request) error

// page serves reads: with --read-key they need a session.
func (u *UI) page(pattern string, h handler) {
	public := pattern == "GET /login"
	u.mux.HandleFunc(pattern, func(w http.ResponseWriter, r *http.Request) {
		r = u.prepare(w, r)
		if !public && u.o.ReadNeedsKey && !sessionOf(r).LoggedIn() {
			http.Redirect(w, r, "/login?next="+urlEscape(r.URL.RequestURI()), http.StatusSeeOther)
			return
		}
		if err := h(w, r); err != nil {
			u.fail(w, r, err)
		}
	})
}

// action serves a form post: the CSRF token first (403 without it), then,
// for writes, a logged-in session.
func (u *UI) action(pattern string, needsLogin bool, h handler) {
	cop := http.NewCrossOriginProtection()
	u.mux.Handle(pattern, cop.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r = u.prepare(w, r)
		s := sessionOf(r)
		if err := r.ParseForm(); err != nil {
			u.fail(w, r, &Error{Status: http.StatusBadRequest, Message: "The form could not be read.", Err: err})
			return
		}
		if !u.sessions.validCSRF(s, r.PostForm.Get("csrf")) {
			u.fail(w, r, &Error{Status: http.StatusForbidden, Message: "The form's security token is missing or stale: reload the page and try again."})
			return
		}
		if needsLogin && !u.sessions.active(r.Context(), u.o.Store, s) {
			http.Redirect(w, r, "/login?next="+urlEscape(r.Referer()), http.StatusSeeOther)
			return
		}
		if err := h(w, r); err != nil {
			u.fail(w, r, err)
		}
	})))
}

// prepare gives the request its CSP nonce and session.
func (u *UI) prepare(w http.ResponseWriter, r *http.Request) *http.Request {
	var b [18]byte
	_, _ = rand.Read(b[:])
	nonce := base64.RawURLEncoding.EncodeToString(b[:]) // no character that HTML escaping changes
	w.Header().Set("Content-Security-Policy", "default-src 'none'; script-src 'nonce-"+nonce+"'; style-src 'self'; img-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
	s := u.sessions.get(w, r)
	ctx := context.WithValue(context.WithValue(r.Context(), nonceKey, nonce), sessionKey, s)
	return r.WithContext(ctx)
}

// view is what every template gets.
type view struct {
	Title   string
	Nonce   string
	CSRF    string
	User    string
	Path    string
	Dynamic bool
	Flash   string
	Data    any
}

func (u *UI) render(w http.ResponseWriter, r *http.Request, status int, name, title string, data any) error {
	t := u.pages[name]
	if t == nil {
		return errors.New("ui: no template " + name)
	}
	s := sessionOf(r)
	v := view{Title: title, Nonce: nonceOf(r), CSRF: u.sessions.csrf(s), User: s.user(), Path: r.URL.Path, Dynamic: u.o.Dynamic,
		Flash: flashes[r.URL.Query().Get("flash")], Data: data}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout.html", v); err != nil {
		return err
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, err := w.Write(buf.Bytes())
	return err
}

func (u *UI) fail(w http.ResponseWriter, r *http.Request, err error) {
	var e *Error
	if !errors.As(err, &e) {
		switch {
		case errors.Is(err, store.ErrNotFound):
			e = &Error{Status: http.StatusNotFound, Message: "Nothing is stored under that name.", Err: err}
		case errors.Is(err, store.ErrUnavailable), errors.Is(err, store.ErrFull):
			e = &Error{Status: http.StatusServiceUnavailable, Message: "The database is unavailable: try again in a moment.", Err: err}
		default:
			var invalid *store.InvalidError
			if errors.As(err, &invalid) {
				e = &Error{Status: http.StatusBadRequest, Message: invalid.Error(), Err: err}
			} else {
				e = &Error{Status: http.StatusInternalServerError, Message: "Something went wrong on our side; it has been logged.", Err: err}
			}
		}
	}
	if e.Status >= 500 {
		u.log.Error("ui request failed", "path", r.URL.Path, "err", err)
	}
	if r.Context().Value(nonceKey) == nil {
		r = u.prepare(w, r)
	}
	if rerr := u.render(w, r, e.Status, "error", "Error", e); rerr != nil {
		http.Error(w, e.Message, e.Status)
	}
}

func nonceOf(r *http.Request) string {
	n, _ := r.Context().Value(nonceKey).(string)
	return n
}
