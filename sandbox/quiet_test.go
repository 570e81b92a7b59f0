package sandbox

import (
	"testing"
	"time"

	"github.com/tssguard/tssguard/capture"
)

// lateLockers start after a delay, the way kits wait out a sandbox's first
// look. The watch may end early on a quiet page, never before a timer the
// page set is due.
var lateLockers = []struct {
	name, script string
}{
	{"timeout 1s", `setTimeout(function () { location.href = "tel:+18885550147"; }, 1000);`},
	{"timeout 2.5s", `setTimeout(function () { location.href = "tel:+18885550147"; }, 2500);`},
	{"timeout as a string", `setTimeout("location.href = 'tel:+18885550147'", 1800);`},
	{"timeout chain", `setTimeout(function () { setTimeout(function () { location.href = "tel:+18885550147"; }, 1200); }, 900);`},
	{"interval", `var n = 0, t = setInterval(function () { if (++n === 3) { clearInterval(t); location.href = "tel:+18885550147"; } }, 600);`},
	{"after a fetch", `fetch("data.json").then(function () { setTimeout(function () { location.href = "tel:+18885550147"; }, 700); });`},
}

func TestLateLockersAreSeen(t *testing.T) {
	for _, tc := range lateLockers {
		t.Run(tc.name, func(t *testing.T) {
			page := `<!doctype html><title>Alert</title><p>Windows Defender alert</p><script>` + tc.script + `</script>`
			c := load(t, map[string]string{"p.html": page, "data.json": "{}"}, "p.html", PageOptions{Observe: 5 * time.Second})
			if len(events(c, capture.EventCallNavigation)) == 0 {
				t.Fatalf("the delayed call navigation was not seen (watched %v); events %+v", c.Runtime.Observed, c.Runtime.Events)
			}
		})
	}
}

// TestQuietPageEndsWatchEarly: a page that does nothing more after load
// is not watched for the whole window; FullWatch keeps the window.
func TestQuietPageEndsWatchEarly(t *testing.T) {
	page := `<!doctype html><title>Shop</title><p>Opening hours: 9 to 5.</p><script>document.title = "Shop";</script>`
	c := load(t, map[string]string{"p.html": page}, "p.html", PageOptions{Observe: 4 * time.Second, Click: true})
	if c.Runtime.Observed > 2*time.Second {
		t.Errorf("quiet page watched %v of two 4 s windows", c.Runtime.Observed)
	}
	c = load(t, map[string]string{"p.html": page}, "p.html", PageOptions{Observe: 1500 * time.Millisecond, FullWatch: true})
	if c.Runtime.Observed < 1500*time.Millisecond {
		t.Errorf("FullWatch page watched only %v", c.Runtime.Observed)
	}
}

// TestBusyPageWatchedWholeWindow: a page that keeps changing (an animation
// on short timers) is watched for the whole window.
func TestBusyPageWatchedWholeWindow(t *testing.T) {
	page := `<!doctype html><p id=c>0</p><script>var n = 0; (function tick() { document.getElementById("c").textContent = ++n; setTimeout(tick, 100); })();</script>`
	c := load(t, map[string]string{"p.html": page}, "p.html", PageOptions{Observe: 1500 * time.Millisecond})
	if c.Runtime.Observed < 1400*time.Millisecond {
		t.Errorf("busy page watched only %v of 1.5 s", c.Runtime.Observed)
	}
}
