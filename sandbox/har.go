package sandbox

import (
	"encoding/json"
	"fmt"
	"math"
	"net/url"
	"runtime/debug"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"

	"github.com/tssguard/tssguard/capture"
)

// HAR 1.2 (http://www.softwareishard.com/blog/har-12-spec/): the types
// hold the fields the format requires, filled from the Network domain's
// events as Chromium reports them.
type harLog struct {
	Version string     `json:"version"`
	Creator harCreator `json:"creator"`
	Pages   []harPage  `json:"pages"`
	Entries []harEntry `json:"entries"`
}

type harCreator struct {
	Name    string `json:"name"`
	Version string `json:"version"`
}

type harPage struct {
	StartedDateTime string         `json:"startedDateTime"`
	ID              string         `json:"id"`
	Title           string         `json:"title"`
	PageTimings     harPageTimings `json:"pageTimings"`
}

type harPageTimings struct {
	OnContentLoad float64 `json:"onContentLoad"`
	OnLoad        float64 `json:"onLoad"`
}

type harEntry struct {
	Pageref         string      `json:"pageref"`
	StartedDateTime string      `json:"startedDateTime"`
	Time            float64     `json:"time"`
	Request         harRequest  `json:"request"`
	Response        harResponse `json:"response"`
	Cache           struct{}    `json:"cache"`
	Timings         harTimings  `json:"timings"`
	ServerIPAddress string      `json:"serverIPAddress,omitempty"`
	ResourceType    string      `json:"_resourceType,omitempty"`
	Comment         string      `json:"comment,omitempty"`
}

type harPair struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

type harRequest struct {
	Method      string    `json:"method"`
	URL         string    `json:"url"`
	HTTPVersion string    `json:"httpVersion"`
	Cookies     []harPair `json:"cookies"`
	Headers     []harPair `json:"headers"`
	QueryString []harPair `json:"queryString"`
	HeadersSize int64     `json:"headersSize"`
	BodySize    int64     `json:"bodySize"`
}

type harResponse struct {
	Status      int64      `json:"status"`
	StatusText  string     `json:"statusText"`
	HTTPVersion string     `json:"httpVersion"`
	Cookies     []harPair  `json:"cookies"`
	Headers     []harPair  `json:"headers"`
	Content     harContent `json:"content"`
	RedirectURL string     `json:"redirectURL"`
	HeadersSize int64      `json:"headersSize"`
	BodySize    int64      `json:"bodySize"`
}

type harContent struct {
	Size     int64  `json:"size"`
	MimeType string `json:"mimeType"`
}

// harTimings are in milliseconds; -1 means "does not apply".
type harTimings struct {
	Blocked float64 `json:"blocked"`
	DNS     float64 `json:"dns"`
	Connect float64 `json:"connect"`
	Send    float64 `json:"send"`
	Wait    float64 `json:"wait"`
	Receive float64 `json:"receive"`
	SSL     float64 `json:"ssl"`
}

// maxHAREntries bounds the entries kept for one page.
const maxHAREntries = 2000

// harRecorder follows one tab's Network events. A redirect reuses its
// request ID: the hop ends with the next requestWillBeSent.
type harRecorder struct {
	mu      sync.Mutex
	entries []*harItem
	byID    map[network.RequestID]*harItem
	// start and startWall map the browser's monotonic clock to wall time.
	start     float64
	startWall time.Time
	onLoad    float64 // monotonic seconds; 0 until the load event
	onDOM     float64
}

type harItem struct {
	req      *network.Request
	typ      string
	at       float64 // monotonic seconds
	wall     time.Time
	resp     *network.Response
	data     int64   // decoded bytes received
	encoded  float64 // bytes on the wire when finished; -1 unknown
	end      float64 // monotonic seconds when finished or failed
	errText  string
	redirect string
}

func newHARRecorder() *harRecorder {
	return &harRecorder{byID: map[network.RequestID]*harItem{}}
}

// observe records one browser event; it runs on the event goroutine.
func (h *harRecorder) observe(ev any) {
	h.mu.Lock()
	defer h.mu.Unlock()
	switch e := ev.(type) {
	case *network.EventRequestWillBeSent:
		if e.Request == nil || strings.HasPrefix(e.Request.URL, "data:") {
			return
		}
		ts := float64(e.Timestamp)
		if prev := h.byID[e.RequestID]; prev != nil && e.RedirectResponse != nil {
			prev.resp, prev.end, prev.redirect = e.RedirectResponse, ts, e.Request.URL
		}
		if len(h.entries) >= maxHAREntries {
			delete(h.byID, e.RequestID)
			return
		}
		wall := time.Unix(0, int64(float64(e.WallTime)*1e9))
		if h.start == 0 {
			h.start, h.startWall = ts, wall
		}
		it := &harItem{req: e.Request, typ: string(e.Type), at: ts, wall: wall, encoded: -1}
		h.entries = append(h.entries, it)
		h.byID[e.RequestID] = it
	case *network.EventResponseReceived:
		if it := h.byID[e.RequestID]; it != nil && e.Response != nil {
			it.resp = e.Response
		}
	case *network.EventDataReceived:
		if it := h.byID[e.RequestID]; it != nil {
			it.data += e.DataLength
		}
	case *network.EventLoadingFinished:
		if it := h.byID[e.RequestID]; it != nil {
			it.end, it.encoded = float64(e.Timestamp), e.EncodedDataLength
		}
	case *network.EventLoadingFailed:
		if it := h.byID[e.RequestID]; it != nil {
			it.end, it.errText = float64(e.Timestamp), e.ErrorText
		}
	case *page.EventLoadEventFired:
		if h.onLoad == 0 {
			h.onLoad = float64(e.Timestamp)
		}
	case *page.EventDomContentEventFired:
		if h.onDOM == 0 {
			h.onDOM = float64(e.Timestamp)
		}
	}
}

// build returns the page's HAR file; blocked tells which requests the
// containment refused, and why.
func (h *harRecorder) build(title, version string, reqs []capture.Request) ([]byte, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	blocked := map[string]string{}
	for _, r := range reqs {
		if r.Blocked {
			blocked[r.URL] = r.Reason
		}
	}
	start := h.startWall
	if start.IsZero() {
		start = time.Now()
	}
	since := func(mono float64) float64 {
		if mono == 0 || h.start == 0 {
			return -1
		}
		return ms((mono - h.start) * 1000)
	}
	lg := harLog{
		Version: "1.2",
		Creator: harCreator{Name: "tssguard", Version: version},
		Pages: []harPage{{StartedDateTime: harDate(start), ID: "page_1", Title: title,
			PageTimings: harPageTimings{OnContentLoad: since(h.onDOM), OnLoad: since(h.onLoad)}}},
		Entries: make([]harEntry, 0, len(h.entries)),
	}
	for _, it := range h.entries {
		e := it.entry()
		if reason, ok := blocked[it.req.URL]; ok {
			e.Comment = "blocked by tssguard containment: " + reason
		} else if it.errText != "" {
			e.Comment = "failed: " + it.errText
		}
		lg.Entries = append(lg.Entries, e)
	}
	return json.MarshalIndent(map[string]any{"log": lg}, "", "  ")
}

// entry converts one request to HAR.
func (it *harItem) entry() harEntry {
	e := harEntry{
		Pageref:         "page_1",
		StartedDateTime: harDate(it.wall),
		ResourceType:    it.typ,
		Request: harRequest{
			Method: it.req.Method, URL: it.req.URL + it.req.URLFragment, HTTPVersion: "HTTP/1.1",
			Cookies: []harPair{}, Headers: harHeaders(it.req.Headers), QueryString: queryPairs(it.req.URL),
			HeadersSize: -1, BodySize: 0,
		},
		Response: harResponse{Cookies: []harPair{}, Headers: []harPair{}, Content: harContent{MimeType: "x-unknown"}, HeadersSize: -1, BodySize: -1},
		Timings:  harTimings{Blocked: -1, DNS: -1, Connect: -1, SSL: -1},
	}
	if it.req.HasPostData {
		e.Request.BodySize = -1 // its size is not reported
	}
	total := 0.0
	if it.end > it.at {
		total = ms((it.end - it.at) * 1000)
	}
	r := it.resp
	if r == nil {
		// No response: refused or failed before one; all of it was waiting.
		e.Timings.Wait, e.Time = total, total
		return e
	}
	e.Response.Status = r.Status
	e.Response.StatusText = r.StatusText
	e.Response.HTTPVersion = httpVersion(r.Protocol)
	e.Request.HTTPVersion = e.Response.HTTPVersion
	e.Response.Headers = harHeaders(r.Headers)
	if len(r.RequestHeaders) > 0 {
		e.Request.Headers = harHeaders(r.RequestHeaders) // as sent, with what the network stack added
	}
	if r.MimeType != "" {
		e.Response.Content.MimeType = r.MimeType
	}
	e.Response.Content.Size = it.data
	e.Response.RedirectURL = it.redirect
	if e.Response.RedirectURL == "" {
		e.Response.RedirectURL = headerValue(r.Headers, "location")
	}
	if it.encoded >= 0 {
		e.Response.BodySize = max(0, int64(it.encoded)-int64(r.EncodedDataLength))
	}
	e.ServerIPAddress = r.RemoteIPAddress
	t := r.Timing
	if t == nil {
		e.Timings.Wait, e.Time = total, total
		return e
	}
	// ResourceTiming offsets are milliseconds after RequestTime; -1 when
	// a phase did not happen.
	phase := func(a, b float64) float64 {
		if a < 0 || b < a {
			return -1
		}
		return ms(b - a)
	}
	firstStart := t.SendStart
	for _, s := range []float64{t.ConnectStart, t.DNSStart, t.ProxyStart} {
		if s >= 0 && s < firstStart {
			firstStart = s
		}
	}
	e.Timings.Blocked = ms(max(0, firstStart))
	e.Timings.DNS = phase(t.DNSStart, t.DNSEnd)
	e.Timings.Connect = phase(t.ConnectStart, t.ConnectEnd)
	e.Timings.SSL = phase(t.SslStart, t.SslEnd)
	e.Timings.Send = ms(max(0, t.SendEnd-t.SendStart))
	e.Timings.Wait = ms(max(0, t.ReceiveHeadersEnd-t.SendEnd))
	if it.end > 0 {
		e.Timings.Receive = ms(max(0, (it.end-t.RequestTime)*1000-t.ReceiveHeadersEnd))
	}
	e.Time = e.Timings.Blocked + e.Timings.Send + e.Timings.Wait + e.Timings.Receive
	for _, v := range []float64{e.Timings.DNS, e.Timings.Connect} {
		if v > 0 {
			e.Time += v
		}
	}
	e.Time = ms(e.Time)
	return e
}

// buildVersion is the program's module version, for the HAR's creator.
func buildVersion() string {
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" {
		return bi.Main.Version
	}
	return "devel"
}

// ms rounds milliseconds to microseconds, for readable files.
func ms(v float64) float64 { return math.Round(v*1000) / 1000 }

func harDate(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000Z") }

func httpVersion(protocol string) string {
	switch strings.ToLower(protocol) {
	case "h2":
		return "HTTP/2"
	case "h3", "h3-29":
		return "HTTP/3"
	case "http/1.0":
		return "HTTP/1.0"
	}
	return "HTTP/1.1"
}

// harHeaders lists headers sorted by name; a value with newlines is
// several headers of that name (how Chromium folds them).
func harHeaders(h network.Headers) []harPair {
	out := []harPair{}
	for k, v := range h {
		for _, line := range strings.Split(fmt.Sprint(v), "\n") {
			if strings.EqualFold(k, tagHeader) && isTag(line) {
				continue // the sandbox's own tag is not the page's
			}
			out = append(out, harPair{Name: k, Value: line})
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return strings.ToLower(out[i].Name) < strings.ToLower(out[j].Name) })
	return out
}

func headerValue(h network.Headers, name string) string {
	for k, v := range h {
		if strings.EqualFold(k, name) {
			return fmt.Sprint(v)
		}
	}
	return ""
}

func queryPairs(raw string) []harPair {
	out := []harPair{}
	u, err := url.Parse(raw)
	if err != nil || u.RawQuery == "" {
		return out
	}
	for _, kv := range strings.Split(u.RawQuery, "&") {
		k, v, _ := strings.Cut(kv, "=")
		if uk, err := url.QueryUnescape(k); err == nil {
			k = uk
		}
		if uv, err := url.QueryUnescape(v); err == nil {
			v = uv
		}
		out = append(out, harPair{Name: k, Value: v})
	}
	return out
}
