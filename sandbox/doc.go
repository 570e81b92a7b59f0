// Package sandbox loads a page in headless Chromium and records what it
// does: call-scheme navigations (the auto-dial of click-to-call scams),
// dialogs, beforeunload traps, history floods, full screen, keyboard and
// pointer lock, print, pop-ups and downloads, audio and spoken text, the
// redirect chain, every request, the console, the final DOM of each frame,
// the visible text and a screenshot. The result is a capture.Capture with a
// Runtime, analysed by the same engine as static captures.
//
// # Design
//
// A Pool keeps a few long-lived browsers (a browser starts in about half a
// second) and loads each page in a fresh browser context, the equivalent of
// an incognito window, which is disposed of afterwards. Browsers restart
// after RecycleAfter pages, and when one breaks.
//
// Containment: each page's browser context gets its own proxy
// (Target.createBrowserContext with proxyServer), an in-process HTTP proxy
// bound to 127.0.0.1. Loopback is not bypassed (<-loopback>), so every
// request of the page — documents, scripts, frames, images, fetch, beacons,
// WebSockets, https through CONNECT — reaches the proxy and nothing else.
// The proxy serves a local target's folder as https://site.tssguard.test/
// (and frame.tssguard.test, a second origin for cross-origin frames); for a
// URL target it fetches GET and HEAD requests with capture.Fetcher under the
// capture policy (no private or loopback destinations unless allowed,
// size caps) and hands redirects back to the browser. Everything else is
// refused and logged, and the report lists it (Request.Blocked). TLS is
// terminated in the proxy with a throw-away certificate that only this
// browser accepts (--ignore-certificate-errors); the proxy verifies real
// certificates upstream. The browser-wide proxy points at a closed port, so
// traffic outside a page context goes nowhere. Inside a page's context,
// Chromium's own traffic (background services the flags do not already
// stop) reaches the page's proxy too: the tab tags its requests (a
// Content-Language token set with Network.setExtraHTTPHeaders, which the
// proxy removes), and the proxy refuses what is neither tagged, nor a CORS
// preflight, nor from a worker of the page (its Referer), and notes it
// apart from the page's requests. The Fetch domain alone would
// not do: it misses WebSockets and the browser's own traffic.
//
// The browser runs with an empty PATH, so Chromium cannot hand a tel: link to
// xdg-open; with WebRTC limited to proxied UDP (so none); the popup blocker
// on; audio muted but autoplay allowed; a capped JavaScript heap; and site
// isolation off, so cross-origin frames share the page's renderer and the
// instrumentation and events cover them without per-frame sessions (the
// analysis browser holds no user data that site isolation would protect).
//
// Instrumentation: a script added with Page.addScriptToEvaluateOnNewDocument
// runs in every frame before the page's scripts and reports through a
// binding (Runtime.addBinding) that it hides from the page first. Call-scheme
// navigations come from Page.frameRequestedNavigation and Page.windowOpen,
// dialogs from Page.javascriptDialogOpening; dialogs are dismissed from a
// goroutine, and a dialog storm or a page that never finishes loading is
// stopped with Runtime.terminateExecution and
// Emulation.setScriptExecutionDisabled. A crashed tab (Inspector.targetCrashed,
// e.g. a page that exhausts its heap) is reported as Runtime.Crashed and the
// pool goes on. The JavaScript heap cap does not bound canvases and images,
// so a watchdog reads the browser's process tree from /proc: a renderer
// (one per page, each page having its own browser context) over
// Options.RendererMemoryMB is killed and its page reported as
// Runtime.MemoryCapped with a memory-cap event; a browser whose whole tree
// passes its cap is killed and restarted for the next page.
//
// The watch: after load (waited for 6 s; a page that has not loaded by then
// has its scripts stopped and is analysed as it is), the page is watched
// for PageOptions.Observe at most, and the watch ends sooner once the page
// is quiet: watched 300 ms at least, nothing new reported for 400 ms, no
// request it made in the last 2 s still in flight, no interval running,
// and every timer it set up to 10 s ahead due (the instrumentation reports
// each setTimeout and setInterval), so a locker that starts after a delay
// is still seen. Tabs run with background timer throttling off, so their
// timers fire when set, as in the victim's visible tab.
//
// HTTPS-Upgrades is off: an http:// scam page loads over http, as it does
// for its victims, instead of being upgraded to an https:// that its host
// does not serve.
//
// Gestures: every event says whether it answered a user gesture — the
// instrumentation reads transient user activation
// (navigator.userActivation.isActive, through the native getters taken
// before the page runs, so a page cannot fake it) at each call, and the
// sandbox's own trusted click (PageOptions.Click) marks what follows it.
// The analyzer gives no locker evidence for full screen, keyboard or
// pointer lock that answered a gesture (a game's Play button).
//
// Text outside the DOM: the instrumentation records text drawn with
// fillText/strokeText on canvases and OffscreenCanvas (with positions, so a
// message drawn letter by letter is put back together); at the end of the
// watch an isolated world reads CSS generated content (attr() resolved),
// SVG text, title/alt/aria-label and open shadow roots, within 20,000
// elements and 400 ms. When the page shows little text beside images or
// canvases, or a locker was seen on a page without plenty of text, the
// screenshot is read by OCR with tesseract (ocr.go: one thread, at most
// half the cores at once, 3 s of processor time and 15 s in all, its
// process group killed at the limit; skipped with a note when tesseract is
// missing). Each reaches the rules as
// page text with its source: canvas, css-content, svg, attribute, shadow,
// ocr (capture.Runtime.Texts).
//
// Redirects: the main frame's chain — HTTP redirects and documents that
// sent the browser on by script or meta refresh (a gateway) — is
// Capture.Redirects; the analysed documents are the final page's.
//
// Victim profiles set the user agent, platform, viewport, device scale and
// touch: windows and mac desktops, android and iphone phones.
package sandbox
