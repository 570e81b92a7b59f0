package sandbox

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"

	cdpbrowser "github.com/chromedp/cdproto/browser"
	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/cdproto/inspector"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/cdproto/target"
	"github.com/chromedp/chromedp"

	"github.com/tssguard/tssguard/capture"
)

// Limits of one page.
const (
	loadWait     = 6 * time.Second // for the load event before scripts are cut off
	dialogStorm  = 30              // dialogs before script execution is stopped
	maxConsole   = 200
	maxDOMBytes  = 4 << 20
	maxTextBytes = 256 << 10
	maxFrames    = 8
	bindingName  = "__tssReport"
	// timerHorizonMS: timers set further ahead than this are not waited
	// for (the instrumentation reports only shorter ones).
	timerHorizonMS = 10000
)

var callSchemeRe = regexp.MustCompile(`(?i)^\s*(tel|callto|facetime|facetime-audio|sip|sips|skype):`)

// recorder collects what a page does from the browser's events. Its listen
// method runs on chromedp's event goroutine: it only records and hands off.
// maxEventsPerKind bounds the distinct events a capture keeps of one kind.
const maxEventsPerKind = 128

type recorder struct {
	mu       sync.Mutex
	start    time.Time
	clicked  time.Time
	events   capture.EventLog[evKey] // maxEventsPerKind distinct events of each kind
	reqs     []*capture.Request
	byID     map[network.RequestID]*capture.Request
	console  []string
	crashed  bool
	dialogs  int
	mainURL  string
	mainID   cdp.FrameID
	redirect []string // the main frame's chain: HTTP redirects and documents it left
	texts    textAcc  // text drawn on canvases, reported by the instrumentation
	loaded   chan struct{}
	loadOnce sync.Once
	crash    chan struct{} // closed when the tab crashes or is killed
	dialogCh chan struct{}
	storm    chan struct{}
	stormed  sync.Once
	har      *harRecorder

	// For ending the watch early: when the page last did something the
	// instrumentation reports, until when its short timers are due, and
	// its requests in flight (by when they started).
	lastActivity time.Time
	timersDue    time.Time
	intervals    int // set and not cleared
	inflight     map[network.RequestID]time.Time
}

// The quiet page: the watch ends once the page has been watched for
// minWatch, no timer it set (up to timerHorizon ahead, see the
// instrumentation) is still due, no request it made in the last
// stalledRequest is in flight, and nothing new has happened for
// quietWindow. Otherwise it lasts the whole observation window.
const (
	minWatch       = 300 * time.Millisecond
	quietWindow    = 400 * time.Millisecond
	timerSlack     = 200 * time.Millisecond // for a due timer's callback to show its effects
	stalledRequest = 2 * time.Second
	quietPoll      = 50 * time.Millisecond
)

// quiet reports whether the page has settled, watched since begin.
func (r *recorder) quiet(now, begin time.Time) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	if now.Sub(begin) < minWatch || now.Sub(r.lastActivity) < quietWindow || now.Before(r.timersDue.Add(timerSlack)) || r.intervals > 0 {
		return false
	}
	for _, started := range r.inflight {
		if now.Sub(started) < stalledRequest {
			return false
		}
	}
	return true
}

type evKey struct {
	kind            capture.EventKind
	detail, reason  string
	gesture, active bool
}

func newRecorder() *recorder {
	return &recorder{
		start: time.Now(), lastActivity: time.Now(), events: capture.EventLog[evKey]{PerKind: maxEventsPerKind}, byID: map[network.RequestID]*capture.Request{}, inflight: map[network.RequestID]time.Time{},
		loaded: make(chan struct{}), crash: make(chan struct{}), dialogCh: make(chan struct{}, 64), storm: make(chan struct{}), har: newHARRecorder(),
	}
}

func (r *recorder) add(kind capture.EventKind, detail, reason, frame string) {
	r.addEvent(kind, detail, reason, frame, false, false)
}

// addEvent records one event. afterGesture and active come from the page
// (a trusted input event was seen; transient user activation at the call);
// the sandbox's own click marks everything after it as after a gesture.
func (r *recorder) addEvent(kind capture.EventKind, detail, reason, frame string, afterGesture, active bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.lastActivity = time.Now()
	gesture := afterGesture || active || !r.clicked.IsZero()
	if len(detail) > 500 {
		detail = detail[:500]
	}
	k := evKey{kind, detail, reason, gesture, active}
	if kind == capture.EventHistory {
		k.detail = ""
	}
	r.events.Add(k, capture.Event{Kind: kind, Detail: k.detail, Reason: reason, Frame: frame, Count: 1, At: time.Since(r.start), AfterGesture: gesture, UserActivation: active})
}

var bindingKinds = map[string]capture.EventKind{
	"history": capture.EventHistory, "fullscreen": capture.EventFullscreen, "pointer-lock": capture.EventPointerLock,
	"keyboard-lock": capture.EventKeyboardLock, "print": capture.EventPrint, "audio": capture.EventAudio,
	"speech": capture.EventSpeech, "beforeunload": capture.EventBeforeUnload, "download": capture.EventDownload,
	"worker": capture.EventWorker,
}

func (r *recorder) listen(ev any) {
	r.har.observe(ev)
	switch e := ev.(type) {
	case *page.EventFrameRequestedNavigation:
		if callSchemeRe.MatchString(e.URL) {
			r.add(capture.EventCallNavigation, e.URL, string(e.Reason), string(e.FrameID))
		} else if e.Reason == page.ClientNavigationReasonScriptInitiated || e.Reason == page.ClientNavigationReasonMetaTagRefresh {
			r.add(capture.EventNavigation, e.URL, string(e.Reason), string(e.FrameID))
		}
	case *page.EventWindowOpen:
		if callSchemeRe.MatchString(e.URL) {
			r.add(capture.EventCallNavigation, e.URL, "window.open", "")
		} else {
			r.add(capture.EventPopup, e.URL, "window.open", "")
		}
	case *page.EventJavascriptDialogOpening:
		r.add(capture.EventDialog, e.Message, string(e.Type), e.URL)
		r.mu.Lock()
		r.dialogs++
		n := r.dialogs
		r.mu.Unlock()
		select {
		case r.dialogCh <- struct{}{}:
		default:
		}
		if n >= dialogStorm {
			r.stormed.Do(func() { close(r.storm) })
		}
	case *page.EventLoadEventFired:
		r.loadOnce.Do(func() { close(r.loaded) })
	case *page.EventFrameNavigated:
		if e.Frame != nil && e.Frame.ParentID == "" {
			r.mu.Lock()
			// A gateway's document gives way to its target: the page
			// left is a hop of the redirect chain.
			if next := e.Frame.URL + e.Frame.URLFragment; r.mainURL != "" && r.mainURL != "about:blank" && r.mainURL != next && len(r.redirect) < 32 {
				r.redirect = append(r.redirect, r.mainURL)
			}
			r.mainURL = e.Frame.URL + e.Frame.URLFragment
			r.mainID = e.Frame.ID
			r.mu.Unlock()
		}
	case *page.EventFrameStoppedLoading:
		// A call-scheme navigation aborts the pending load event; the
		// main frame stopping is as good a sign that the page is in.
		r.mu.Lock()
		main := e.FrameID == r.mainID && r.mainID != ""
		r.mu.Unlock()
		if main {
			r.loadOnce.Do(func() { close(r.loaded) })
		}
	case *network.EventRequestWillBeSent:
		r.mu.Lock()
		if e.RedirectResponse != nil && e.Type == network.ResourceTypeDocument && (r.mainID == "" || e.FrameID == r.mainID) && len(r.redirect) < 32 {
			r.redirect = append(r.redirect, e.RedirectResponse.URL)
		}
		if e.Request != nil && !strings.HasPrefix(e.Request.URL, "data:") {
			r.lastActivity = time.Now()
			if len(r.inflight) < 2000 {
				r.inflight[e.RequestID] = r.lastActivity
			}
		}
		if e.Request != nil && len(r.reqs) < 2000 && !strings.HasPrefix(e.Request.URL, "data:") {
			q := &capture.Request{URL: e.Request.URL, Method: e.Request.Method, Type: string(e.Type)}
			r.reqs = append(r.reqs, q)
			r.byID[e.RequestID] = q
		}
		r.mu.Unlock()
	case *network.EventResponseReceived:
		r.mu.Lock()
		if q := r.byID[e.RequestID]; q != nil && e.Response != nil {
			q.Status = int(e.Response.Status)
		}
		r.mu.Unlock()
	case *network.EventLoadingFinished:
		r.mu.Lock()
		delete(r.inflight, e.RequestID)
		r.mu.Unlock()
	case *network.EventLoadingFailed:
		r.mu.Lock()
		delete(r.inflight, e.RequestID)
		if q := r.byID[e.RequestID]; q != nil && q.Reason == "" {
			q.Reason = e.ErrorText
		}
		r.mu.Unlock()
	case *network.EventWebSocketCreated:
		r.mu.Lock()
		if len(r.reqs) < 2000 {
			q := &capture.Request{URL: e.URL, Method: "GET", Type: "WebSocket"}
			r.reqs = append(r.reqs, q)
			r.byID[e.RequestID] = q
		}
		r.mu.Unlock()
	case *runtime.EventBindingCalled:
		if e.Name != bindingName {
			return
		}
		var m struct {
			K, D, R, S string
			G, A       bool
			X, Y, W    float64
		}
		if json.Unmarshal([]byte(e.Payload), &m) != nil {
			return
		}
		if m.K == "text" {
			r.mu.Lock()
			r.texts.add(m.S, m.D, m.X, m.Y, m.W)
			r.lastActivity = time.Now()
			r.mu.Unlock()
			return
		}
		if m.K == "intervals" {
			if n, err := strconv.Atoi(m.D); err == nil && n >= 0 {
				r.mu.Lock()
				r.intervals = n
				r.mu.Unlock()
			}
			return
		}
		if m.K == "timer" {
			// A timer the page set: the watch lasts until it is due.
			if ms, err := strconv.ParseFloat(m.D, 64); err == nil && ms >= 0 && ms <= timerHorizonMS {
				due := time.Now().Add(time.Duration(ms * float64(time.Millisecond)))
				r.mu.Lock()
				if due.After(r.timersDue) {
					r.timersDue = due
				}
				r.mu.Unlock()
			}
			return
		}
		if k, ok := bindingKinds[m.K]; ok {
			r.addEvent(k, m.D, m.R, "", m.G, m.A)
		}
	case *runtime.EventConsoleAPICalled:
		var parts []string
		for _, a := range e.Args {
			if a == nil {
				continue
			}
			if a.Description != "" {
				parts = append(parts, a.Description)
			} else if len(a.Value) > 0 {
				parts = append(parts, strings.Trim(string(a.Value), `"`))
			}
		}
		r.addConsole(string(e.Type) + ": " + strings.Join(parts, " "))
	case *runtime.EventExceptionThrown:
		if d := e.ExceptionDetails; d != nil {
			msg := d.Text
			if d.Exception != nil && d.Exception.Description != "" {
				msg = d.Exception.Description
			}
			r.addConsole("exception: " + msg)
		}
	case *inspector.EventTargetCrashed:
		r.mu.Lock()
		if !r.crashed {
			close(r.crash)
		}
		r.crashed = true
		r.mu.Unlock()
		r.loadOnce.Do(func() { close(r.loaded) })
	}
}

func (r *recorder) addConsole(s string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if len(s) > 300 {
		s = s[:300]
	}
	if len(r.console) < maxConsole {
		r.console = append(r.console, s)
	}
}

// runPage loads one target in a fresh browser context of bctx.
func runPage(ctx context.Context, bctx context.Context, p *Pool, b *browser, t Target, o PageOptions) (*capture.Capture, error) {
	start := time.Now()
	loc := capture.LocaleFor(o.Language)
	prof, ua, err := profileFor(o.Profile)
	if err != nil {
		return nil, err
	}
	if o.Observe <= 0 {
		o.Observe = 2 * time.Second
	}
	pageURL, err := targetURL(t)
	if err != nil {
		return nil, err
	}
	px, err := newProxy(t, p.opts.Policy, p.cert)
	if err != nil {
		return nil, err
	}

	rec := newRecorder()
	tabCtx, cancelTab := chromedp.NewContext(bctx,
		chromedp.WithNewBrowserContext(func(cp *target.CreateBrowserContextParams) {
			cp.ProxyServer = "http://" + px.addr()
			cp.ProxyBypassList = "<-loopback>"
		}),
		chromedp.WithListener(rec.listen))
	// Closing the tab and disposing of its browser context take a few
	// hundred milliseconds; they happen while the next page loads.
	defer func() {
		go func() {
			cancelTab()
			px.close()
		}()
	}()
	// The page's deadline; tabCtx itself must outlive it so the tab closes cleanly.
	pctx, cancel := context.WithTimeout(tabCtx, p.opts.PageTimeout)
	defer cancel()
	// The caller's cancellation ends the page too.
	go func() {
		select {
		case <-ctx.Done():
			cancel()
		case <-pctx.Done():
		}
	}()
	// Set the tab up before anything loads.
	if err := chromedp.Do(pctx, chromedp.Action[chromedp.Void](func(ctx context.Context, tg *chromedp.Target) (chromedp.Void, error) {
		steps := []func() error{
			func() error { _, err := cdp.Call(ctx, tg, network.Enable, network.EnableParams{}); return err },
			func() error {
				// Tags the tab's requests, so the proxy can refuse the rest.
				_, err := cdp.Call(ctx, tg, network.SetExtraHTTPHeaders, network.SetExtraHTTPHeadersParams{Headers: network.Headers{tagHeader: px.tag()}})
				return err
			},
			func() error { _, err := cdp.Call(ctx, tg, inspector.Enable, cdp.Empty{}); return err },
			func() error {
				_, err := cdp.Call(ctx, tg, runtime.AddBinding, runtime.AddBindingParams{Name: bindingName})
				return err
			},
			func() error {
				_, err := cdp.Call(ctx, tg, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: instrumentJS, RunImmediately: ptr(true)})
				return err
			},
			func() error {
				_, err := cdp.Call(ctx, tg, emulation.SetDeviceMetricsOverride, emulation.SetDeviceMetricsOverrideParams{Width: prof.width, Height: prof.height, DeviceScaleFactor: prof.scale, Mobile: prof.mobile})
				return err
			},
			func() error {
				_, err := cdp.Call(ctx, tg, emulation.SetTouchEmulationEnabled, emulation.SetTouchEmulationEnabledParams{Enabled: prof.touch, MaxTouchPoints: touchPoints(prof)})
				return err
			},
			func() error {
				_, err := cdp.Call(ctx, tg, emulation.SetUserAgentOverride, emulation.SetUserAgentOverrideParams{UserAgent: ua, Platform: prof.platform, AcceptLanguage: capture.AcceptLanguage(loc.Language)})
				return err
			},
			// The visitor's locale and time zone (a headless browser in a
			// container says UTC, which no visitor's does).
			func() error {
				_, err := cdp.Call(ctx, tg, emulation.SetLocaleOverride, emulation.SetLocaleOverrideParams{Locale: loc.Language})
				return err
			},
			func() error {
				_, err := cdp.Call(ctx, tg, emulation.SetTimezoneOverride, emulation.SetTimezoneOverrideParams{TimezoneID: loc.TimeZone})
				return err
			},
		}
		for _, s := range steps {
			if err := s(); err != nil {
				return chromedp.Void{}, err
			}
		}
		return chromedp.Void{}, nil
	})); err != nil {
		return nil, fmt.Errorf("sandbox: set up tab: %w", err)
	}
	// Nothing is ever saved; the instrumentation records download attempts.
	if c := chromedp.FromContext(pctx); c != nil && c.BrowserContextID != "" {
		chromedp.CallBrowser(pctx, cdpbrowser.SetDownloadBehavior, cdpbrowser.SetDownloadBehaviorParams{Behavior: cdpbrowser.SetDownloadBehaviorBehaviorDeny, BrowserContextID: c.BrowserContextID, EventsEnabled: ptr(true)})
	}
	if p.pageSetUp != nil {
		p.pageSetUp(pctx)
	}

	// Dialogs block the page until answered: dismiss each from here.
	var wg sync.WaitGroup
	wg.Add(1)
	dialogsDone := make(chan struct{})
	go func() {
		defer wg.Done()
		for {
			select {
			case <-rec.dialogCh:
				cctx, c := context.WithTimeout(pctx, 2*time.Second)
				select {
				case <-rec.storm:
					// Terminate first: the script loop resumes the moment
					// its dialog closes, and must meet the termination.
					chromedp.Call(cctx, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true})
					chromedp.Call(cctx, runtime.TerminateExecution, cdp.Empty{})
				default:
				}
				chromedp.Call(cctx, page.HandleJavaScriptDialog, page.HandleJavaScriptDialogParams{Accept: false})
				c()
			case <-dialogsDone:
				return
			case <-pctx.Done():
				return
			}
		}
	}()
	defer func() { close(dialogsDone); wg.Wait() }()

	c := &capture.Capture{URL: pageURL, Runtime: &capture.Runtime{Profile: prof.name, Observed: o.Observe}}
	if _, err := chromedp.Call(pctx, page.Navigate, page.NavigateParams{URL: pageURL, Referrer: o.Referrer}); err != nil && !errors.Is(err, context.DeadlineExceeded) {
		c.Notes = append(c.Notes, "navigation: "+err.Error())
	}
	interrupted := false
	interrupt := func(why string) {
		if interrupted {
			return
		}
		interrupted = true
		c.Notes = append(c.Notes, "scripts stopped: "+why)
		ictx, ic := context.WithTimeout(pctx, 3*time.Second)
		defer ic()
		chromedp.Call(ictx, runtime.TerminateExecution, cdp.Empty{})
		chromedp.Call(ictx, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true})
	}
	select {
	case <-rec.loaded:
	case <-rec.storm:
		interrupt("dialog storm")
	case <-time.After(loadWait):
		interrupt("page did not finish loading (endless loop?)")
	case <-pctx.Done():
	}
	// observe watches the page for up to d, less once it is quiet.
	var watched time.Duration
	observe := func(d time.Duration) {
		begin := time.Now()
		defer func() { watched += time.Since(begin) }()
		window := time.NewTimer(d)
		defer window.Stop()
		tick := time.NewTicker(quietPoll)
		defer tick.Stop()
		for {
			select {
			case <-window.C:
				return
			case <-rec.storm:
				interrupt("dialog storm")
				return
			case <-rec.crash: // nothing more to watch
				return
			case <-pctx.Done():
				return
			case now := <-tick.C:
				if !o.FullWatch && rec.quiet(now, begin) {
					return
				}
			}
		}
	}
	observe(o.Observe)
	if o.Click && !rec.isCrashed() && pctx.Err() == nil {
		x, y := float64(prof.width)/2, float64(prof.height)/2
		rec.mu.Lock()
		mainID := rec.mainID
		rec.mu.Unlock()
		px, py := plainPoint(pctx, mainID, prof)
		if !prof.touch {
			// The visitor's mouse crosses the page before the click: kits
			// start audio, full screen or their chat on the first
			// mousemove. Moving grants no user activation, and what it
			// starts comes before the click.
			mctx, mc := context.WithTimeout(pctx, 2*time.Second)
			for _, f := range []float64{0.25, 0.6, 1} {
				chromedp.Call(mctx, input.DispatchMouseEvent, input.DispatchMouseEventParams{Type: input.DispatchMouseEventTypeMouseMoved, X: x * f, Y: y * f})
			}
			// Then it heads for the tab's close button, out through the
			// top edge (the document's mouseleave: kits wait for that exit
			// intent), and comes back to click.
			for _, top := range []float64{1, -1, y} {
				chromedp.Call(mctx, input.DispatchMouseEvent, input.DispatchMouseEventParams{Type: input.DispatchMouseEventTypeMouseMoved, X: x, Y: top})
			}
			mc()
		}
		rec.mu.Lock()
		rec.clicked = time.Now()
		rec.mu.Unlock()
		c.Runtime.Clicked = true
		cctx, cc := context.WithTimeout(pctx, 3*time.Second)
		if prof.touch {
			chromedp.Call(cctx, input.DispatchTouchEvent, input.DispatchTouchEventParams{Type: input.DispatchTouchEventTypeTouchStart, TouchPoints: []*input.TouchPoint{{X: px, Y: py}}})
			chromedp.Call(cctx, input.DispatchTouchEvent, input.DispatchTouchEventParams{Type: input.DispatchTouchEventTypeTouchEnd, TouchPoints: []*input.TouchPoint{}})
		} else {
			chromedp.Call(cctx, input.DispatchMouseEvent, input.DispatchMouseEventParams{Type: input.DispatchMouseEventTypeMouseMoved, X: px, Y: py})
			chromedp.Call(cctx, input.DispatchMouseEvent, input.DispatchMouseEventParams{Type: input.DispatchMouseEventTypeMousePressed, X: px, Y: py, Button: input.MouseButtonLeft, ClickCount: 1})
			chromedp.Call(cctx, input.DispatchMouseEvent, input.DispatchMouseEventParams{Type: input.DispatchMouseEventTypeMouseReleased, X: px, Y: py, Button: input.MouseButtonLeft, ClickCount: 1})
		}
		cc()
		observe(o.Observe)
	}
	if rec.storm != nil {
		select {
		case <-rec.storm:
			interrupt("dialog storm")
		default:
		}
	}

	c.Runtime.Observed = watched

	// Collect.
	if !rec.isCrashed() && pctx.Err() == nil {
		collect(pctx, c, o, rec, prof)
	}
	rec.mu.Lock()
	c.Runtime.Events = rec.events.Events
	c.Runtime.Console = rec.console
	c.Runtime.Crashed = rec.crashed
	c.FinalURL = rec.mainURL
	if len(rec.redirect) > 0 {
		c.Redirects = append(append([]string{}, rec.redirect...), rec.mainURL)
	}
	reqs := rec.reqs
	rec.mu.Unlock()
	c.Runtime.Interrupted = interrupted
	c.Runtime.Requests = mergeRequests(reqs, px.requests())
	if c.FinalURL == "" {
		c.FinalURL = pageURL
	}
	if o.HAR {
		if b, err := rec.har.build(c.FinalURL, buildVersion(), c.Runtime.Requests); err == nil {
			c.Runtime.HAR = b
		}
	}
	if bg := px.refusedBackground(); len(bg) > 0 {
		c.Notes = append(c.Notes, fmt.Sprintf("refused %d requests the page did not cause (the browser's own traffic), e.g. %s", len(bg), bg[0].URL))
		p.logf("page %s: refused %d requests of the browser's own: %+v", pageURL, len(bg), bg)
	}
	if rec.isCrashed() {
		if k, ok := b.memoryKillSince(start); ok {
			// Exhausting memory is what browser lockers do: evidence.
			c.Runtime.MemoryCapped = true
			detail := fmt.Sprintf("the page's renderer used %d MB (cap %d MB) and was killed", k.rss>>20, p.opts.RendererMemoryMB)
			c.Runtime.Events = append(c.Runtime.Events, capture.Event{Kind: capture.EventMemoryCap, Detail: detail, Count: 1, At: k.at.Sub(start)})
			c.Notes = append(c.Notes, detail)
		} else {
			c.Notes = append(c.Notes, "the tab crashed (or was killed for exceeding its memory limit)")
		}
	}
	if pctx.Err() != nil && ctx.Err() == nil {
		c.Notes = append(c.Notes, fmt.Sprintf("page time limit (%v) reached", p.opts.PageTimeout))
	}
	if ctx.Err() != nil {
		return c, ctx.Err()
	}
	c.Took = time.Since(start)
	return c, nil
}

func (r *recorder) isCrashed() bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.crashed
}

func touchPoints(p profile) int64 {
	if p.touch {
		return 5
	}
	return 1
}

func ptr[T any](v T) *T { return &v }

// targetURL is the URL the browser loads.
func targetURL(t Target) (string, error) {
	if t.URL != "" {
		u, err := url.Parse(t.URL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return "", fmt.Errorf("sandbox: %q is not an http(s) URL", t.URL)
		}
		if err := capture.CheckPageURL(t.URL); err != nil {
			return "", fmt.Errorf("sandbox: %s: %w", u.Redacted(), err)
		}
		return u.String(), nil
	}
	u := url.URL{Scheme: "https", Host: localHost, Path: "/" + strings.TrimPrefix(t.File, "/"), RawQuery: t.Query}
	return u.String(), nil
}

// plainPointExpr finds where to click the page "anywhere": the first of
// a few points, the centre first, whose element is no link, button or
// control (nor inside one). A legitimate page's call button at the centre
// would otherwise be clicked as if the visitor chose to call, and read as a
// page that dials on any click. A page covered by one link (a kit's
// invisible full-page call link) has no such point: it is clicked at the
// centre, as before.
const plainPointExpr = `(function(){
  var pts = [[.5,.5],[.5,.85],[.15,.5],[.85,.5],[.5,.15],[.15,.85],[.85,.15],[.15,.15],[.85,.85]];
  var w = innerWidth, h = innerHeight;
  var busy = 'a[href],area[href],button,input,select,textarea,label,summary,details,iframe,object,embed,video,audio,[onclick],[role=button],[role=link],[contenteditable=""],[contenteditable=true]';
  for (var i = 0; i < pts.length; i++) {
    var x = Math.round(pts[i][0] * w), y = Math.round(pts[i][1] * h);
    var el = document.elementFromPoint(x, y);
    if (el && !el.closest(busy)) return pts[i][0] + "," + pts[i][1];
  }
  return "";
})()`

// plainPoint is where the visitor clicks (plainPointExpr), read in an
// isolated world of the main frame; the centre when none is found or the
// page cannot be read.
func plainPoint(ctx context.Context, frame cdp.FrameID, prof profile) (float64, float64) {
	x, y := float64(prof.width)/2, float64(prof.height)/2
	if frame == "" {
		return x, y
	}
	wctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	world, ok := isolatedWorld(wctx, frame)
	if !ok {
		return x, y
	}
	at, ok := evalString(wctx, world, plainPointExpr, time.Second)
	if !ok {
		return x, y
	}
	// The point comes back as fractions of the page's viewport, which may
	// be laid out wider than the screen (a phone's page without a viewport
	// tag).
	var fx, fy float64
	if n, _ := fmt.Sscanf(at, "%g,%g", &fx, &fy); n != 2 || fx <= 0 || fy <= 0 || fx >= 1 || fy >= 1 {
		return x, y
	}
	return fx * float64(prof.width), fy * float64(prof.height)
}

// isolatedWorld makes an isolated world in frame, where scripts see the
// DOM without the page's own (possibly overridden) globals.
func isolatedWorld(ctx context.Context, frame cdp.FrameID) (runtime.ExecutionContextID, bool) {
	w, err := chromedp.Call(ctx, page.CreateIsolatedWorld, page.CreateIsolatedWorldParams{FrameID: frame, WorldName: "tssguard"})
	if err != nil {
		return 0, false
	}
	return w.ExecutionContextID, true
}

// evalString evaluates expr, which yields a string, in execution context
// id (an isolated world: the page's own globals cannot answer), the page's
// script stopped after timeout.
func evalString(ctx context.Context, id runtime.ExecutionContextID, expr string, timeout time.Duration) (string, bool) {
	res, err := chromedp.Call(ctx, runtime.Evaluate, runtime.EvaluateParams{Expression: expr, ContextID: id, ReturnByValue: ptr(true), Timeout: runtime.TimeDelta(timeout.Milliseconds())})
	if err != nil || res.Result == nil || len(res.Result.Value) == 0 {
		return "", false
	}
	var s string
	if json.Unmarshal([]byte(res.Result.Value), &s) != nil {
		return "", false
	}
	return s, true
}

// collect reads the final DOM of each frame, the visible text and, when
// asked, a screenshot. Each step has its own short deadline: a page that
// still fights (a dialog, a busy loop) must not stall the collection.
func collect(ctx context.Context, c *capture.Capture, o PageOptions, rec *recorder, prof profile) {
	eval := func(ctxID runtime.ExecutionContextID, expr string) (string, bool) {
		ectx, cancel := context.WithTimeout(ctx, 3*time.Second)
		defer cancel()
		return evalString(ectx, ctxID, expr, 2*time.Second)
	}
	texts := newTextSet()
	var mainTexts frameTexts
	haveMain := false
	const domExpr = `(function(){var d=document.documentElement;return d?d.outerHTML.slice(0,4194304):""})()`
	tctx, cancel := context.WithTimeout(ctx, 3*time.Second)
	tree, err := chromedp.Call(tctx, page.GetFrameTree, cdp.Empty{})
	cancel()
	var frames []*page.FrameTree
	if err == nil && tree.FrameTree != nil {
		frames = flatten(tree.FrameTree, nil)
	}
	for i, f := range frames {
		if i > maxFrames || f.Frame == nil {
			break
		}
		wctx, wc := context.WithTimeout(ctx, 3*time.Second)
		world, ok := isolatedWorld(wctx, f.Frame.ID)
		wc()
		if !ok {
			continue
		}
		html, ok := eval(world, domExpr)
		if !ok {
			continue
		}
		name := "main"
		if i > 0 {
			name = string(f.Frame.ID)
		}
		c.Documents = append(c.Documents, capture.Document{URL: f.Frame.URL, Frame: name, Body: []byte(html), Rendered: true})
		if i == 0 {
			if text, ok := eval(world, `(function(){return document.body?document.body.innerText.slice(0,262144):""})()`); ok {
				c.Runtime.VisibleText = text
			}
		}
		if raw, ok := eval(world, pageTextExpr); ok {
			if ft, err := parseFrameTexts(raw); err == nil {
				texts.addFrame(ft)
				if i == 0 {
					mainTexts, haveMain = ft, true
				}
			}
		}
	}
	rec.mu.Lock()
	canvas := joinCanvas(rec.texts.pieces)
	events := append([]capture.Event(nil), rec.events.Events...)
	rec.mu.Unlock()
	texts.add(capture.TextCanvas, canvas)
	if haveMain && mainTexts.Cut {
		c.Notes = append(c.Notes, "page text outside the DOM: read up to the element or time budget")
	}
	if why := ocrReason(mainTexts, events); haveMain && why != "" && !o.NoOCR {
		ocrScreenshot(ctx, c, texts, why, mainTexts, prof)
	}
	c.Runtime.Texts = texts.texts()
	if o.Screenshot {
		sctx, sc := context.WithTimeout(ctx, 5*time.Second)
		if res, err := chromedp.Call(sctx, page.CaptureScreenshot, page.CaptureScreenshotParams{Format: page.CaptureScreenshotFormatPng}); err == nil {
			c.Runtime.Screenshot = res.Data
		}
		sc()
	}
}

// hostPort is the host:port a URL connects to (default ports filled in).
func hostPort(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return ""
	}
	if u.Port() != "" {
		return u.Host
	}
	switch u.Scheme {
	case "https", "wss":
		return u.Host + ":443"
	}
	return u.Host + ":80"
}

func flatten(t *page.FrameTree, out []*page.FrameTree) []*page.FrameTree {
	if t == nil || len(out) > 64 {
		return out
	}
	out = append(out, t)
	for _, ch := range t.ChildFrames {
		out = flatten(ch, out)
	}
	return out
}

// mergeRequests joins the browser's view of requests (types, statuses)
// with the proxy's (what was blocked and why). Attempts the browser did not
// report (the proxy saw them) are kept too.
func mergeRequests(browserReqs []*capture.Request, proxyLog []capture.Request) []capture.Request {
	blocked := map[string]capture.Request{}
	tunnels := map[string]capture.Request{} // refused CONNECTs, by host:port
	seen := map[string]bool{}
	for _, q := range proxyLog {
		if q.Blocked {
			blocked[q.URL] = q
			if hp, ok := strings.CutPrefix(q.URL, "connect://"); ok {
				tunnels[hp] = q
			}
		}
	}
	var out []capture.Request
	for _, q := range browserReqs {
		r := *q
		if b, ok := blocked[r.URL]; ok {
			r.Blocked, r.Reason = true, b.Reason
		} else if b, ok := blocked[strings.Replace(r.URL, "ws://", "http://", 1)]; ok {
			r.Blocked, r.Reason = true, b.Reason
		} else if b, ok := blocked[strings.Replace(r.URL, "wss://", "https://", 1)]; ok {
			r.Blocked, r.Reason = true, b.Reason
		} else if b, ok := tunnels[hostPort(r.URL)]; ok {
			r.Blocked, r.Reason = true, b.Reason
		}
		seen[r.URL] = true
		out = append(out, r)
	}
	for _, q := range proxyLog {
		if !seen[q.URL] {
			out = append(out, q)
			seen[q.URL] = true
		}
	}
	return out
}
