package extension_test

import (
	"strings"
	"testing"
	"time"
)

// TestCallsAfterAClick: the browser counts a click's activation for a few
// seconds, and kits dial in that window from a timer or a meta refresh.
// Only a call the visitor's click or key makes while it is dispatched (a
// "Call us" button's handler) or a link they activate goes through.
func TestCallsAfterAClick(t *testing.T) {
	pages := map[string]string{
		// A kit that waits for any click, then dials from a timer.
		"/timer": `<title>Security Center</title><body style="height:100vh">
<p id="x">Click to continue</p>
<script>document.addEventListener('click', () => setTimeout(() => { location.href = 'tel:+18445550123'; }, 300));</script></body>`,
		// One that polls for the activation and keeps the click to itself.
		"/poll": `<body style="height:100vh"><p id="x">Click to continue</p>
<script>document.addEventListener('click', (e) => e.stopPropagation(), true);
setInterval(() => { if (navigator.userActivation.isActive) location.href = 'tel:+18445550127'; }, 5);</script></body>`,
		// A meta refresh to a call URL that fires a moment after the click.
		"/refresh": `<meta http-equiv="refresh" content="1;url=tel:+18445550124"><body style="height:100vh"><p id="x">Loading…</p></body>`,
		// A support page's button whose handler dials.
		"/button": `<title>Contact</title><body><button id="x" onclick="location.href='tel:+18005550125'">Call us</button></body>`,
		// A call link the visitor clicks.
		"/link": `<title>Contact</title><body><a id="x" href="tel:+18005550126">+1 800 555 0126</a></body>`,
	}
	base := servePages(t, pages)
	cases := []struct {
		path  string
		delay time.Duration // from load to the click
		call  bool          // the call goes through with the extension
	}{
		{"/timer", 400 * time.Millisecond, false},
		{"/poll", 400 * time.Millisecond, false},
		{"/refresh", 400 * time.Millisecond, false},
		{"/button", 400 * time.Millisecond, true},
		{"/link", 400 * time.Millisecond, true},
	}
	run := func(t *testing.T, b *browser, path string, delay time.Duration) (calls int, prompt bool) {
		tb := b.open(t, base+path, delay)
		defer tb.close()
		tb.click(t, "#x")
		time.Sleep(1500 * time.Millisecond)
		tb.eval(t, `!!document.querySelector('tssguard-overlay#tssguard-call-prompt')`, &prompt)
		return len(tb.v.Calls()), prompt
	}
	plain := startBrowser(t, false)
	ext := startBrowser(t, true)
	for _, c := range cases {
		t.Run(strings.TrimPrefix(c.path, "/"), func(t *testing.T) {
			if n, _ := run(t, plain, c.path, c.delay); n == 0 {
				t.Fatal("no call without the extension (control failed)")
			}
			n, prompt := run(t, ext, c.path, c.delay)
			if c.call && (n == 0 || prompt) {
				t.Errorf("the visitor's own call: %d calls, prompt %v; want it through, no prompt", n, prompt)
			}
			if !c.call && (n > 0 || !prompt) {
				t.Errorf("a call after the click: %d calls, prompt %v; want it stopped with the prompt", n, prompt)
			}
		})
	}
}
