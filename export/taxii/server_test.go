package taxii

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/tssguard/tssguard/export"
	"github.com/tssguard/tssguard/export/stix"
)

var base = time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)

// fake is n objects; three share each date_added, and ids do not follow it.
type fake struct {
	id, typ string
	added   time.Time
}

func fakes(n int) []fake {
	var out []fake
	for i := range n {
		typ := "indicator"
		if i%4 == 0 {
			typ = "relationship"
		}
		out = append(out, fake{
			id:    fmt.Sprintf("%s--00000000-0000-4000-8000-%012d", typ, (i*7919)%n),
			typ:   typ,
			added: base.Add(time.Duration(i/3) * time.Second),
		})
	}
	return out
}

func list(objs []fake, builds *atomic.Int32) func(context.Context, func(stix.Object) error) error {
	return func(ctx context.Context, fn func(stix.Object) error) error {
		if builds != nil {
			builds.Add(1)
		}
		for _, o := range slices.Backward(objs) { // any order in, TAXII order out
			js := fmt.Sprintf(`{"type":%q,"spec_version":"2.1","id":%q,"modified":%q}`, o.typ, o.id, o.added.Format(stix.TimeFormat))
			if err := fn(stix.Object{Type: o.typ, ID: o.id, Modified: o.added, Added: o.added, JSON: []byte(js)}); err != nil {
				return err
			}
		}
		return nil
	}
}

const collID = "91a7b528-80eb-42ed-a74d-c6fbd5a26116"

func newTestServer(t *testing.T, objs []fake, opts Options) (*httptest.Server, *atomic.Int32) {
	t.Helper()
	builds := &atomic.Int32{}
	opts.Prefix = "/taxii2"
	opts.Collections = append(opts.Collections, Collection{ID: collID, Title: "test", Objects: list(objs, builds), Version: func() string { return "v1" }})
	mux := http.NewServeMux()
	mux.Handle("/taxii2/", NewServer(opts))
	ts := httptest.NewServer(mux)
	t.Cleanup(ts.Close)
	return ts, builds
}

type response struct {
	status int
	header http.Header
	body   map[string]any
}

func get(t *testing.T, ts *httptest.Server, path string, hdr ...string) response {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, ts.URL+path, nil)
	req.Header.Set("Accept", MediaType)
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	res, err := ts.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var body map[string]any
	if err := json.NewDecoder(res.Body).Decode(&body); err != nil {
		t.Fatalf("GET %s: body is not JSON: %v", path, err)
	}
	if ct := res.Header.Get("Content-Type"); ct != MediaType {
		t.Errorf("GET %s: Content-Type %q", path, ct)
	}
	return response{res.StatusCode, res.Header, body}
}

func wantError(t *testing.T, r response, status int) {
	t.Helper()
	if r.status != status || r.body["title"] == nil || r.body["http_status"] != fmt.Sprint(status) {
		t.Errorf("got %d %v, want a TAXII error %d", r.status, r.body, status)
	}
}

func TestDiscoveryAndCollections(t *testing.T) {
	ts, _ := newTestServer(t, fakes(10), Options{Title: "tssguard", Contact: "abuse@tssguard.example"})
	for _, p := range []string{"/taxii2/", "/taxii2"} {
		r := get(t, ts, p)
		if r.status != 200 || r.body["title"] != "tssguard" || r.body["default"] != "/taxii2/api/" ||
			fmt.Sprint(r.body["api_roots"]) != "[/taxii2/api/]" {
			t.Errorf("discovery %s: %d %v", p, r.status, r.body)
		}
	}
	r := get(t, ts, "/taxii2/api/")
	if r.status != 200 || fmt.Sprint(r.body["versions"]) != "["+MediaType+"]" || r.body["max_content_length"] == nil {
		t.Errorf("api root: %d %v", r.status, r.body)
	}
	r = get(t, ts, "/taxii2/api/collections/")
	cs, _ := r.body["collections"].([]any)
	if r.status != 200 || len(cs) != 1 {
		t.Fatalf("collections: %d %v", r.status, r.body)
	}
	c := cs[0].(map[string]any)
	if c["id"] != collID || c["can_read"] != true || c["can_write"] != false || fmt.Sprint(c["media_types"]) != "["+STIXMediaType+"]" {
		t.Errorf("collection: %v", c)
	}
	r = get(t, ts, "/taxii2/api/collections/"+collID+"/")
	if r.status != 200 || r.body["id"] != collID || r.body["title"] != "test" {
		t.Errorf("one collection: %d %v", r.status, r.body)
	}
	wantError(t, get(t, ts, "/taxii2/api/collections/nope/"), 404)
	wantError(t, get(t, ts, "/taxii2/api/collections/nope/objects/"), 404)
	wantError(t, get(t, ts, "/taxii2/other/"), 404)
	wantError(t, get(t, ts, "/taxii2/api/collections/"+collID+"/objects/indicator--x/"), 404)
	wantError(t, get(t, ts, "/taxii2/api/collections/"+collID+"/bogus/"), 404)
}

func ids(r response) (out []string) {
	objs, _ := r.body["objects"].([]any)
	for _, o := range objs {
		out = append(out, o.(map[string]any)["id"].(string))
	}
	return out
}

// taxiiOrder is objs sorted as the server must: date_added, then id.
func taxiiOrder(objs []fake) []fake {
	objs = slices.Clone(objs)
	slices.SortFunc(objs, func(a, b fake) int {
		if c := a.added.Compare(b.added); c != 0 {
			return c
		}
		return strings.Compare(a.id, b.id)
	})
	return objs
}

// pages follows next from path until more is false.
func pages(t *testing.T, ts *httptest.Server, path string) (all []string, n int) {
	t.Helper()
	next := ""
	for n = 1; ; n++ {
		p := path
		if next != "" {
			p += "&next=" + url.QueryEscape(next)
		}
		r := get(t, ts, p)
		if r.status != 200 {
			t.Fatalf("GET %s: %d %v", p, r.status, r.body)
		}
		got := ids(r)
		if len(got) > 0 {
			objs := r.body["objects"].([]any)
			first, ok1 := objs[0].(map[string]any)["modified"].(string)
			last, ok2 := objs[len(objs)-1].(map[string]any)["modified"].(string)
			if !ok1 || !ok2 {
				first, last = r.header.Get("X-TAXII-Date-Added-First"), r.header.Get("X-TAXII-Date-Added-Last") // SCOs and markings have no modified
			}
			if h := r.header.Get("X-TAXII-Date-Added-First"); !sameTime(h, first) {
				t.Errorf("X-TAXII-Date-Added-First %s, first object added %s", h, first)
			}
			if h := r.header.Get("X-TAXII-Date-Added-Last"); !sameTime(h, last) {
				t.Errorf("X-TAXII-Date-Added-Last %s, last object added %s", h, last)
			}
		}
		all = append(all, got...)
		if r.body["more"] != true {
			if r.body["next"] != nil {
				t.Errorf("last page has next %v", r.body["next"])
			}
			return all, n
		}
		next, _ = r.body["next"].(string)
		if next == "" {
			t.Fatal("more without next")
		}
	}
}

func sameTime(a, b string) bool {
	x, err1 := time.Parse(time.RFC3339Nano, a)
	y, err2 := time.Parse(time.RFC3339Nano, b)
	return err1 == nil && err2 == nil && x.Equal(y)
}

func TestObjectsPagination(t *testing.T) {
	objs := fakes(250)
	ts, builds := newTestServer(t, objs, Options{})
	var want []string
	for _, o := range taxiiOrder(objs) {
		want = append(want, o.id)
	}
	got, n := pages(t, ts, "/taxii2/api/collections/"+collID+"/objects/?limit=7")
	if !slices.Equal(got, want) {
		t.Errorf("paged %d objects (%d pages), want %d in TAXII order", len(got), n, len(want))
	}
	if n != 36 {
		t.Errorf("%d pages of 7 for 250 objects", n)
	}
	if b := builds.Load(); b != 1 {
		t.Errorf("snapshot built %d times for one version", b)
	}

	// Default and maximum limits.
	r := get(t, ts, "/taxii2/api/collections/"+collID+"/objects/")
	if len(ids(r)) != DefaultLimit || r.body["more"] != true {
		t.Errorf("default page: %d objects, more %v", len(ids(r)), r.body["more"])
	}
	r = get(t, ts, "/taxii2/api/collections/"+collID+"/objects/?limit=100000")
	if len(ids(r)) != 250 || r.body["more"] != false {
		t.Errorf("big limit: %d objects, more %v", len(ids(r)), r.body["more"])
	}
}

func TestMaxLimit(t *testing.T) {
	ts, _ := newTestServer(t, fakes(1500), Options{})
	r := get(t, ts, "/taxii2/api/collections/"+collID+"/objects/?limit=5000")
	if len(ids(r)) != MaxLimit || r.body["more"] != true {
		t.Errorf("limit=5000: %d objects", len(ids(r)))
	}
}

func TestAddedAfterAndMatch(t *testing.T) {
	objs := fakes(90)
	ts, _ := newTestServer(t, objs, Options{})
	after := base.Add(10 * time.Second) // objects 0..32 are at or before it
	var want []string
	for _, o := range taxiiOrder(objs) {
		if o.added.After(after) && o.typ == "indicator" {
			want = append(want, o.id)
		}
	}
	got, _ := pages(t, ts, "/taxii2/api/collections/"+collID+"/objects/?limit=4&match[type]=indicator&added_after="+url.QueryEscape(after.Format(time.RFC3339)))
	if !slices.Equal(got, want) {
		t.Errorf("added_after+type: %d objects, want %d", len(got), len(want))
	}

	a, b := objs[5].id, objs[60].id
	r := get(t, ts, "/taxii2/api/collections/"+collID+"/objects/?match[id]="+a+","+b+",indicator--absent")
	if got := ids(r); !slices.Equal(got, []string{a, b}) {
		t.Errorf("match[id]: %v", got)
	}
	r = get(t, ts, "/taxii2/api/collections/"+collID+"/objects/?match[type]=relationship,campaign&limit=1000")
	for _, id := range ids(r) {
		if !strings.HasPrefix(id, "relationship--") {
			t.Errorf("match[type]=relationship returned %s", id)
		}
	}
	if len(ids(r)) != 23 {
		t.Errorf("%d relationships, want 23", len(ids(r)))
	}
	r = get(t, ts, "/taxii2/api/collections/"+collID+"/objects/?match[spec_version]=2.0")
	if len(ids(r)) != 0 || r.body["more"] != false {
		t.Errorf("spec_version 2.0: %v", r.body)
	}
	v := objs[5].added.Format(stix.TimeFormat)
	r = get(t, ts, "/taxii2/api/collections/"+collID+"/objects/"+a+"/?match[version]="+v)
	if got := ids(r); !slices.Equal(got, []string{a}) {
		t.Errorf("match[version]=%s: %v", v, got)
	}
	r = get(t, ts, "/taxii2/api/collections/"+collID+"/objects/"+a+"/?match[version]=2020-01-01T00:00:00Z")
	if got := ids(r); len(got) != 0 {
		t.Errorf("match[version] elsewhere: %v", got)
	}
}

func TestObjectVersionsManifest(t *testing.T) {
	objs := fakes(20)
	ts, _ := newTestServer(t, objs, Options{})
	o := objs[7]
	r := get(t, ts, "/taxii2/api/collections/"+collID+"/objects/"+o.id+"/")
	if got := ids(r); r.status != 200 || !slices.Equal(got, []string{o.id}) || r.body["more"] != false {
		t.Errorf("object: %d %v", r.status, r.body)
	}
	if !sameTime(r.header.Get("X-TAXII-Date-Added-First"), o.added.Format(time.RFC3339)) {
		t.Errorf("object date header %q", r.header.Get("X-TAXII-Date-Added-First"))
	}
	r = get(t, ts, "/taxii2/api/collections/"+collID+"/objects/"+o.id+"/versions/")
	if r.status != 200 || fmt.Sprint(r.body["versions"]) != "["+o.added.Format(stix.TimeFormat)+"]" || r.body["more"] != false {
		t.Errorf("versions: %d %v", r.status, r.body)
	}
	wantError(t, get(t, ts, "/taxii2/api/collections/"+collID+"/objects/indicator--absent/versions/"), 404)

	r = get(t, ts, "/taxii2/api/collections/"+collID+"/manifest/?limit=5")
	recs, _ := r.body["objects"].([]any)
	if r.status != 200 || len(recs) != 5 || r.body["more"] != true || r.body["next"] == nil {
		t.Fatalf("manifest: %d %v", r.status, r.body)
	}
	first := taxiiOrder(objs)[0]
	rec := recs[0].(map[string]any)
	if rec["id"] != first.id || !sameTime(rec["date_added"].(string), first.added.Format(time.RFC3339)) ||
		rec["version"] != first.added.Format(stix.TimeFormat) || rec["media_type"] != STIXMediaType {
		t.Errorf("manifest record %v, want %v", rec, first)
	}
	if r.header.Get("X-TAXII-Date-Added-Last") == "" {
		t.Error("manifest without X-TAXII-Date-Added-Last")
	}
}

func TestErrors(t *testing.T) {
	ts, _ := newTestServer(t, fakes(5), Options{})
	objects := "/taxii2/api/collections/" + collID + "/objects/"
	for _, accept := range []string{"application/json", "application/taxii+json;version=2.0", "text/html", "application/taxii+json;version=2.1;q=0"} {
		wantError(t, get(t, ts, objects, "Accept", accept), 406)
	}
	for _, accept := range []string{"*/*", "application/taxii+json", "text/html, application/taxii+json;version=2.1;q=0.5"} {
		if r := get(t, ts, objects, "Accept", accept); r.status != 200 {
			t.Errorf("Accept %q: %d", accept, r.status)
		}
	}
	for _, q := range []string{"limit=0", "limit=x", "next=%21%21", "added_after=yesterday", "match[version]=soon"} {
		wantError(t, get(t, ts, objects+"?"+q), 400)
	}
	res, err := ts.Client().Post(ts.URL+objects, MediaType, strings.NewReader("{}"))
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != 405 || res.Header.Get("Allow") == "" {
		t.Errorf("POST: %d", res.StatusCode)
	}
}

func TestAuthorize(t *testing.T) {
	ts, _ := newTestServer(t, fakes(5), Options{Authorize: func(r *http.Request) bool {
		u, p, ok := r.BasicAuth()
		return ok && u == "feed" && p == "secret"
	}})
	r := get(t, ts, "/taxii2/")
	wantError(t, r, 401)
	if !strings.HasPrefix(r.header.Get("WWW-Authenticate"), "Basic ") {
		t.Errorf("WWW-Authenticate %q", r.header.Get("WWW-Authenticate"))
	}
	req, _ := http.NewRequest(http.MethodGet, ts.URL+"/taxii2/", nil)
	req.SetBasicAuth("feed", "secret")
	res, err := ts.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != 200 {
		t.Errorf("authorised: %d", res.StatusCode)
	}
}

func TestSnapshotVersion(t *testing.T) {
	var builds atomic.Int32
	version := "a"
	srv := NewServer(Options{Collections: []Collection{{ID: collID, Objects: list(fakes(3), &builds), Version: func() string { return version }}}})
	do := func() {
		rec := httptest.NewRecorder()
		srv.ServeHTTP(rec, httptest.NewRequest("GET", "/api/collections/"+collID+"/objects/", nil))
		if rec.Code != 200 {
			t.Fatalf("%d %s", rec.Code, rec.Body)
		}
	}
	do()
	do()
	version = "b"
	do()
	if n := builds.Load(); n != 2 {
		t.Errorf("%d builds for two versions", n)
	}
	srv = NewServer(Options{Collections: []Collection{{ID: collID, Objects: list(fakes(3), &builds)}}})
	builds.Store(0)
	do()
	do()
	if n := builds.Load(); n != 2 {
		t.Errorf("%d builds without Version, want one per request", n)
	}
}

// TestFromExport serves the real STIX objects and pages through them.
func TestFromExport(t *testing.T) {
	var items []export.Indicator
	for i := range 40 {
		items = append(items, export.Indicator{Kind: export.Number, Value: fmt.Sprintf("+1800555%04d", i), Verdict: "scam",
			FirstSeen: base, LastSeen: base.Add(time.Duration(i%5) * time.Hour), Campaign: "c1"})
	}
	src := export.Slice{Items: items, Camps: []export.Campaign{{ID: "c1", Name: "c1", FirstSeen: base, LastSeen: base}}}
	meta := func() export.Meta { return export.Meta{Generated: base.Add(24 * time.Hour), TLP: "green"} }
	mux := http.NewServeMux()
	mux.Handle("/taxii2/", NewServer(Options{Prefix: "/taxii2/", Collections: []Collection{Indicators(src, meta, func() string { return "1" })}}))
	ts := httptest.NewServer(mux)
	defer ts.Close()

	var want int
	_ = stix.Objects(context.Background(), src, meta(), func(stix.Object) error { want++; return nil })
	got, _ := pages(t, ts, "/taxii2/api/collections/"+DefaultCollectionID+"/objects/?limit=9")
	if len(got) != want || len(slices.Compact(slices.Sorted(slices.Values(got)))) != want {
		t.Errorf("%d objects (distinct or not), want %d", len(got), want)
	}
	r := get(t, ts, "/taxii2/api/collections/"+DefaultCollectionID+"/objects/?match[type]=phone-number&limit=1000")
	if len(ids(r)) != 40 {
		t.Errorf("%d phone numbers", len(ids(r)))
	}
}
