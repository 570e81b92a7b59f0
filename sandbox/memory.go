package sandbox

import (
	"bytes"
	"os"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// The memory watchdog. The JavaScript heap cap does not bound canvases,
// images or DOM, so a page can make its renderer take gigabytes and starve
// the worker. Each page has a renderer of its own (every page gets its own
// browser context), so a renderer over the cap is that page: it is killed,
// the tab reports a crash, and the page is reported as memory capped. A
// browser whose whole process tree passes its own cap is restarted.

// watchInterval is how often the watchdog reads /proc.
const watchInterval = 200 * time.Millisecond

// proc is one process of a browser's tree.
type proc struct {
	pid      int
	rss      int64
	renderer bool
}

// browserTree lists the processes under (and including) pid, read from
// /proc. It returns nothing where /proc is not there.
func browserTree(pid int) []proc {
	entries, err := os.ReadDir("/proc")
	if err != nil {
		return nil
	}
	parent := map[int]int{}
	for _, e := range entries {
		id, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		if pp, ok := readPPid(id); ok {
			parent[id] = pp
		}
	}
	in := func(id int) bool {
		for depth := 0; id > 1 && depth < 16; depth++ {
			if id == pid {
				return true
			}
			id = parent[id]
		}
		return false
	}
	var out []proc
	for id := range parent {
		if !in(id) {
			continue
		}
		p := proc{pid: id, rss: readRSS(id)}
		if cmd, err := os.ReadFile("/proc/" + strconv.Itoa(id) + "/cmdline"); err == nil {
			p.renderer = bytes.Contains(cmd, []byte("--type=renderer"))
		}
		out = append(out, p)
	}
	return out
}

// treeRSS is the resident memory of a browser's whole process tree, in bytes.
func treeRSS(pid int) int64 {
	var n int64
	for _, p := range browserTree(pid) {
		n += p.rss
	}
	return n
}

// readPPid reads a process's parent from /proc/PID/stat; the command name
// in parentheses may hold spaces, so fields are counted after its end.
func readPPid(pid int) (int, bool) {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return 0, false
	}
	i := bytes.LastIndexByte(b, ')')
	if i < 0 {
		return 0, false
	}
	f := strings.Fields(string(b[i+1:]))
	if len(f) < 2 {
		return 0, false
	}
	pp, err := strconv.Atoi(f[1])
	return pp, err == nil
}

// readRSS reads the memory a process holds of its own, from
// /proc/PID/status: anonymous and shared-memory resident pages. Plain RSS
// would count the browser binary and libraries once per process.
func readRSS(pid int) int64 {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/status")
	if err != nil {
		return 0
	}
	var kb int64
	for _, line := range strings.Split(string(b), "\n") {
		name, v, ok := strings.Cut(line, ":")
		if !ok || (name != "RssAnon" && name != "RssShmem") {
			continue
		}
		f := strings.Fields(v)
		if len(f) > 0 {
			if n, err := strconv.ParseInt(f[0], 10, 64); err == nil {
				kb += n
			}
		}
	}
	return kb << 10
}

// memKill is a renderer killed over the cap.
type memKill struct {
	at  time.Time
	rss int64
}

// watch runs until stop is closed, killing renderers of the browser
// process pid that pass the renderer cap and, when the whole tree passes
// the browser cap, the browser itself (onBrowserOver).
func (b *browser) watch(pid int, stop <-chan struct{}, onBrowserOver func(rss int64)) {
	rendererCap := int64(b.pool.opts.RendererMemoryMB) << 20
	// The tree holds a browser, GPU and utility processes besides one
	// renderer per tab (about 300 MB together when idle).
	browserCap := rendererCap*int64(b.pool.opts.TabsPerBrowser) + 1<<30
	t := time.NewTicker(watchInterval)
	defer t.Stop()
	for {
		select {
		case <-stop:
			return
		case <-t.C:
		}
		var total int64
		for _, p := range browserTree(pid) {
			total += p.rss
			if p.renderer && p.rss > rendererCap {
				if syscall.Kill(p.pid, syscall.SIGKILL) == nil {
					b.pool.logf("browser %d: renderer %d killed at %d MB (cap %d MB)", b.id, p.pid, p.rss>>20, rendererCap>>20)
					b.mu.Lock()
					b.memKills = append(b.memKills, memKill{at: time.Now(), rss: p.rss})
					if len(b.memKills) > 64 {
						b.memKills = b.memKills[len(b.memKills)-64:]
					}
					b.mu.Unlock()
				}
			}
		}
		if total > browserCap {
			onBrowserOver(total)
			return
		}
	}
}

// memoryKillSince returns the first renderer kill for memory at or after t.
func (b *browser) memoryKillSince(t time.Time) (memKill, bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	for _, k := range b.memKills {
		if !k.at.Before(t) {
			return k, true
		}
	}
	return memKill{}, false
}
