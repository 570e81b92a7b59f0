package taxii

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/tssguard/tssguard/export/stix"
)

// Media types.
const (
	MediaType     = "application/taxii+json;version=2.1"
	STIXMediaType = "application/stix+json;version=2.1"
)

// TimeFormat is how the server writes date_added and the X-TAXII-Date-Added
// headers: RFC 3339, UTC, microsecond precision.
const TimeFormat = "2006-01-02T15:04:05.000000Z"

// Limits on a page of objects.
const (
	DefaultLimit = 100
	MaxLimit     = 1000
)

// Options configures a Server.
type Options struct {
	Title       string // discovery and API root title; "tssguard TAXII"
	Description string
	Contact     string

	// Prefix is the path the server is mounted at, e.g. "/taxii2". The
	// server strips it itself, and also accepts paths already stripped
	// (http.StripPrefix). API root URLs in discovery are relative to it.
	Prefix string

	Collections []Collection

	// Authorize, when set, is asked about every request; false answers
	// 401 with a Basic challenge.
	Authorize func(*http.Request) bool

	DefaultLimit int // page size without limit; DefaultLimit when 0
	MaxLimit     int // largest page; MaxLimit when 0
}

// Collection is one read-only collection of STIX objects.
type Collection struct {
	ID          string // an identifier: a UUID, e.g. DefaultCollectionID
	Title       string
	Description string
	Alias       string

	// Objects lists the collection's objects, in any order; Object.JSON
	// is copied. Give one version per id (the latest is kept).
	Objects func(ctx context.Context, fn func(stix.Object) error) error

	// Version names what Objects would list now. The server keeps a
	// snapshot while Version returns the same string; nil rebuilds the
	// snapshot on every request.
	Version func() string
}

// Server is a read-only TAXII 2.1 server: an http.Handler.
type Server struct {
	opts  Options
	colls []*collection
	byID  map[string]*collection
}

// NewServer returns a server for opts.
func NewServer(opts Options) *Server {
	if opts.Title == "" {
		opts.Title = "tssguard TAXII"
	}
	opts.Prefix = strings.TrimRight(opts.Prefix, "/")
	if opts.DefaultLimit <= 0 {
		opts.DefaultLimit = DefaultLimit
	}
	if opts.MaxLimit <= 0 {
		opts.MaxLimit = MaxLimit
	}
	opts.DefaultLimit = min(opts.DefaultLimit, opts.MaxLimit)
	s := &Server{opts: opts, byID: map[string]*collection{}}
	for _, c := range opts.Collections {
		cc := &collection{Collection: c}
		s.colls = append(s.colls, cc)
		s.byID[c.ID] = cc
	}
	return s
}

// Error is a TAXII error message.
type Error struct {
	Title       string `json:"title"`
	Description string `json:"description,omitempty"`
	HTTPStatus  string `json:"http_status,omitempty"`
	status      int
}

func (e *Error) Error() string { return e.Title + ": " + e.Description }

func newError(status int, title, desc string) *Error {
	return &Error{Title: title, Description: desc, HTTPStatus: strconv.Itoa(status), status: status}
}

func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if s.opts.Authorize != nil && !s.opts.Authorize(r) {
		w.Header().Set("WWW-Authenticate", `Basic realm="`+s.opts.Title+`"`)
		writeError(w, newError(http.StatusUnauthorized, "Unauthorized", "this TAXII server needs credentials"))
		return
	}
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		writeError(w, newError(http.StatusMethodNotAllowed, "Method not allowed", "this TAXII server is read-only: only GET and HEAD"))
		return
	}
	if !acceptable(r.Header.Values("Accept")) {
		writeError(w, newError(http.StatusNotAcceptable, "Not acceptable", "this server answers "+MediaType))
		return
	}
	var err error
	switch seg := s.segments(r.URL.Path); {
	case len(seg) == 0:
		err = s.discovery(w)
	case seg[0] != "api":
		err = errNotFound
	case len(seg) == 1:
		err = s.apiRoot(w)
	case seg[1] != "collections":
		err = errNotFound
	case len(seg) == 2:
		err = s.collections(w)
	default:
		c := s.byID[seg[2]]
		if c == nil {
			err = newError(http.StatusNotFound, "Collection not found", "no collection "+seg[2])
			break
		}
		switch rest := seg[3:]; {
		case len(rest) == 0:
			writeTAXII(w, http.StatusOK, c.resource())
		case len(rest) == 1 && rest[0] == "objects":
			err = s.objects(w, r, c, "", false)
		case len(rest) == 1 && rest[0] == "manifest":
			err = s.objects(w, r, c, "", true)
		case len(rest) == 2 && rest[0] == "objects":
			err = s.objects(w, r, c, rest[1], false)
		case len(rest) == 3 && rest[0] == "objects" && rest[2] == "versions":
			err = s.versions(w, r, c, rest[1])
		default:
			err = errNotFound
		}
	}
	if err != nil {
		writeError(w, err)
	}
}

var errNotFound = newError(http.StatusNotFound, "Not found", "no such TAXII resource")

// segments returns the path below the prefix, split on "/", without empty
// segments (so trailing slashes are optional).
func (s *Server) segments(p string) []string {
	if s.opts.Prefix != "" && (p == s.opts.Prefix || strings.HasPrefix(p, s.opts.Prefix+"/")) {
		p = p[len(s.opts.Prefix):]
	}
	var out []string
	for _, x := range strings.Split(p, "/") {
		if x != "" {
			out = append(out, x)
		}
	}
	return out
}

// acceptable reports whether the Accept header allows TAXII 2.1 JSON: it
// is absent, or lists application/taxii+json (version 2.1 or none),
// application/* or */* with a non-zero q.
func acceptable(values []string) bool {
	if len(values) == 0 {
		return true
	}
	for _, v := range values {
		for _, r := range strings.Split(v, ",") {
			parts := strings.Split(r, ";")
			mt := strings.ToLower(strings.TrimSpace(parts[0]))
			version, q := "", "1"
			for _, p := range parts[1:] {
				k, val, _ := strings.Cut(strings.TrimSpace(p), "=")
				switch strings.ToLower(strings.TrimSpace(k)) {
				case "version":
					version = strings.TrimSpace(val)
				case "q":
					q = strings.TrimSpace(val)
				}
			}
			if f, err := strconv.ParseFloat(q, 64); err != nil || f <= 0 {
				continue
			}
			switch mt {
			case "*/*", "application/*":
				return true
			case "application/taxii+json":
				if version == "" || version == "2.1" {
					return true
				}
			}
		}
	}
	return false
}

func writeTAXII(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", MediaType)
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(v)
}

func writeError(w http.ResponseWriter, err error) {
	var e *Error
	if !errors.As(err, &e) {
		e = newError(http.StatusInternalServerError, "Internal error", "the collection could not be read; the server log has the details")
	}
	writeTAXII(w, e.status, e)
}

// discovery is the Discovery resource.
func (s *Server) discovery(w http.ResponseWriter) error {
	root := s.opts.Prefix + "/api/"
	writeTAXII(w, http.StatusOK, struct {
		Title       string   `json:"title"`
		Description string   `json:"description,omitempty"`
		Contact     string   `json:"contact,omitempty"`
		Default     string   `json:"default"`
		APIRoots    []string `json:"api_roots"`
	}{s.opts.Title, s.opts.Description, s.opts.Contact, root, []string{root}})
	return nil
}

// apiRoot is the API Root resource. Nothing can be
// posted, so max_content_length is 0.
func (s *Server) apiRoot(w http.ResponseWriter) error {
	writeTAXII(w, http.StatusOK, struct {
		Title            string   `json:"title"`
		Description      string   `json:"description,omitempty"`
		Versions         []string `json:"versions"`
		MaxContentLength int      `json:"max_content_length"`
	}{s.opts.Title, s.opts.Description, []string{MediaType}, 0})
	return nil
}

// collectionResource is the Collection resource.
type collectionResource struct {
	ID          string   `json:"id"`
	Title       string   `json:"title"`
	Description string   `json:"description,omitempty"`
	Alias       string   `json:"alias,omitempty"`
	CanRead     bool     `json:"can_read"`
	CanWrite    bool     `json:"can_write"`
	MediaTypes  []string `json:"media_types"`
}

func (c *collection) resource() collectionResource {
	return collectionResource{ID: c.ID, Title: c.Title, Description: c.Description, Alias: c.Alias,
		CanRead: true, CanWrite: false, MediaTypes: []string{STIXMediaType}}
}

func (s *Server) collections(w http.ResponseWriter) error {
	var out struct {
		Collections []collectionResource `json:"collections,omitempty"`
	}
	for _, c := range s.colls {
		out.Collections = append(out.Collections, c.resource())
	}
	writeTAXII(w, http.StatusOK, out)
	return nil
}

// manifestRecord is one entry of a manifest.
type manifestRecord struct {
	ID        string `json:"id"`
	DateAdded string `json:"date_added"`
	Version   string `json:"version"`
	MediaType string `json:"media_type"`
}

// objects answers Get Objects and Get an Object and, with manifest,
// Get Object Manifests: one page in TAXII order, with the
// envelope's more and next and the X-TAXII-Date-Added headers.
func (s *Server) objects(w http.ResponseWriter, r *http.Request, c *collection, id string, manifest bool) error {
	f, err := s.filter(r, id)
	if err != nil {
		return err
	}
	snap, err := c.snapshot(r.Context())
	if err != nil {
		return err
	}
	if id != "" {
		if _, ok := snap.byID[id]; !ok {
			return newError(http.StatusNotFound, "Object not found", "no object "+id+" in collection "+c.ID)
		}
	}
	page, more := snap.page(f)
	var env struct {
		More    bool   `json:"more"`
		Next    string `json:"next,omitempty"`
		Objects any    `json:"objects,omitempty"`
	}
	env.More = more
	if more {
		last := page[len(page)-1]
		env.Next = cursor{added: last.added, id: last.id}.String()
	}
	if manifest {
		recs := make([]manifestRecord, len(page))
		for i, e := range page {
			recs[i] = manifestRecord{ID: e.id, DateAdded: e.added.Format(TimeFormat), Version: e.version.Format(stix.TimeFormat), MediaType: STIXMediaType}
		}
		if len(recs) > 0 {
			env.Objects = recs
		}
	} else if len(page) > 0 {
		objs := make([]json.RawMessage, len(page))
		for i, e := range page {
			objs[i] = e.json
		}
		env.Objects = objs
	}
	dateHeaders(w, page)
	writeTAXII(w, http.StatusOK, env)
	return nil
}

// versions answers Get Object Versions. Objects here have one
// version each.
func (s *Server) versions(w http.ResponseWriter, r *http.Request, c *collection, id string) error {
	f, err := s.filter(r, id)
	if err != nil {
		return err
	}
	f.anyVersion = true
	snap, err := c.snapshot(r.Context())
	if err != nil {
		return err
	}
	if _, ok := snap.byID[id]; !ok {
		return newError(http.StatusNotFound, "Object not found", "no object "+id+" in collection "+c.ID)
	}
	page, _ := snap.page(f)
	out := struct {
		More     bool     `json:"more"`
		Versions []string `json:"versions,omitempty"`
	}{}
	for _, e := range page {
		out.Versions = append(out.Versions, e.version.Format(stix.TimeFormat))
	}
	dateHeaders(w, page)
	writeTAXII(w, http.StatusOK, out)
	return nil
}

func dateHeaders(w http.ResponseWriter, page []*entry) {
	if len(page) == 0 {
		return
	}
	w.Header().Set("X-TAXII-Date-Added-First", page[0].added.Format(TimeFormat))
	w.Header().Set("X-TAXII-Date-Added-Last", page[len(page)-1].added.Format(TimeFormat))
}

// param returns the values of a query parameter, each split on commas.
func param(r *http.Request, name string) []string {
	var out []string
	for _, v := range r.URL.Query()[name] {
		for _, x := range strings.Split(v, ",") {
			if x = strings.TrimSpace(x); x != "" {
				out = append(out, x)
			}
		}
	}
	return out
}

func badRequest(desc string) *Error { return newError(http.StatusBadRequest, "Bad request", desc) }

// filter reads the filtering and pagination URL parameters: added_after, limit, next,
// match[id], match[type], match[version] and match[spec_version].
func (s *Server) filter(r *http.Request, id string) (*filter, error) {
	q := r.URL.Query()
	f := &filter{limit: s.opts.DefaultLimit, spec: true, anyVersion: true}
	if v := q.Get("added_after"); v != "" {
		t, err := time.Parse(time.RFC3339Nano, v)
		if err != nil {
			return nil, badRequest("added_after is not an RFC 3339 timestamp: " + v)
		}
		f.addedAfter = t.UTC()
	}
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			return nil, badRequest("limit must be a positive integer")
		}
		f.limit = min(n, s.opts.MaxLimit)
	}
	if v := q.Get("next"); v != "" {
		c, err := parseCursor(v)
		if err != nil {
			return nil, badRequest(err.Error())
		}
		f.cursor = c
	}
	if id != "" {
		f.ids = []string{id}
	} else if ids := param(r, "match[id]"); ids != nil {
		f.ids = ids
	}
	if types := param(r, "match[type]"); types != nil {
		f.types = map[string]bool{}
		for _, t := range types {
			f.types[t] = true
		}
	}
	if vs := param(r, "match[version]"); vs != nil {
		f.anyVersion = false
		for _, v := range vs {
			switch v {
			case "last", "first", "all":
				f.anyVersion = true
			default:
				t, err := time.Parse(time.RFC3339Nano, v)
				if err != nil {
					return nil, badRequest("match[version] takes last, first, all or timestamps: " + v)
				}
				f.versions = append(f.versions, t.UTC())
			}
		}
	}
	if sv := param(r, "match[spec_version]"); sv != nil {
		f.spec = false
		for _, v := range sv {
			if v == stix.SpecVersion {
				f.spec = true
			}
		}
	}
	return f, nil
}
