// Command growth measures how campaign intelligence and the exports grow
// with the number of scam pages: time and memory per page at each size,
// which should stay flat from 1 k to 100 k to 1 M pages.
//
// Each size runs in a child process of its own (so that its peak RSS is
// its own) over a fresh SQLite store. The pages are synthetic and
// deterministic: a few page shapes, filled in per kit with words, numbers
// and domains. Kits have a skewed size (one kit holds a tenth of all pages,
// as the biggest kits in the wild do), pages of one kit share kit files and
// look alike, and one page in a hundred also carries a file of another kit,
// so campaigns merge. The phases, each timed on its own:
//
//	fingerprint  intel.FingerprintHTML of each page
//	link         intel.Linker.Link of each page (campaign linking)
//	store        recording each page as the service does (CreateScan, FinishScan)
//	rebuild      linking every stored page again, as serve does at start
//	campaigns    the store's campaign list (Campaigns)
//	export:NAME  each export format, from the store, to io.Discard
//
//	go run ./bench/growth [-quick] [-sizes 1000,10000,100000] [-full]
//
// It prints a table, then lines figure<TAB>tssguard<TAB>reference<TAB>ratio<TAB>unit
// where a figure is a phase's time (or peak heap) per page at the largest
// size, the reference is the same at the smallest, and a ratio near 1 means
// linear growth.
package main

import (
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log"
	"math/rand/v2"
	"os"
	"os/exec"
	"runtime"
	"runtime/metrics"
	"runtime/pprof"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/tssguard/tssguard/capture"
	"github.com/tssguard/tssguard/export"
	_ "github.com/tssguard/tssguard/export/misp" // registers the misp format
	_ "github.com/tssguard/tssguard/export/stix" // registers the stix format
	"github.com/tssguard/tssguard/intel"
	"github.com/tssguard/tssguard/internal/feed"
	"github.com/tssguard/tssguard/internal/scanjob"
	"github.com/tssguard/tssguard/store"
)

// phase is one measured step at one size.
type phase struct {
	Name      string  `json:"name"`
	Seconds   float64 `json:"seconds"`   // wall clock
	CPU       float64 `json:"cpu"`       // user+system CPU seconds of the process (GC included)
	PeakHeap  uint64  `json:"peak_heap"` // bytes of live heap objects at most during the phase
	BaseHeap  uint64  `json:"base_heap"` // the same at its start
	Pages     int     `json:"pages"`
	Campaigns int     `json:"campaigns,omitempty"`
}

type sizeResult struct {
	Pages   int     `json:"pages"`
	Phases  []phase `json:"phases"`
	PeakRSS uint64  `json:"peak_rss"` // bytes
}

func main() {
	quick := flag.Bool("quick", false, "sizes 1000 and 10000 only")
	full := flag.Bool("full", false, "add 1,000,000 pages to the sizes (takes long; check free memory first)")
	sizes := flag.String("sizes", "1000,10000,100000", "comma-separated page counts")
	one := flag.Int("one", 0, "internal: measure one size and print it as JSON")
	cpuprofile := flag.String("cpuprofile", "", "with -one: write a CPU profile here")
	flag.Parse()
	if *one > 0 {
		measureOne(*one, *cpuprofile)
		return
	}
	list := *sizes
	if *quick {
		list = "1000,10000"
	}
	if *full {
		list += ",1000000"
	}
	var ns []int
	for _, f := range strings.Split(list, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || n <= 0 {
			log.Fatalf("bad size %q", f)
		}
		ns = append(ns, n)
	}
	self, err := os.Executable()
	if err != nil {
		log.Fatal(err)
	}
	load, _ := os.ReadFile("/proc/loadavg")
	fmt.Printf("# growth of campaign intelligence and exports, %d cores, load average %s", runtime.NumCPU(), load)
	fmt.Printf("# times are CPU time of the process (user+system, GC included); wall is the elapsed time\n")
	fmt.Printf("# %-19s %9s %9s %9s %10s %9s %12s %9s\n", "phase", "pages", "wall s", "CPU s", "CPU µs/pg", "peak MB", "heap B/page", "campaigns")
	var results []sizeResult
	for _, n := range ns {
		cmd := exec.Command(self, "-one", strconv.Itoa(n))
		cmd.Stderr = os.Stderr
		out, err := cmd.Output()
		if err != nil {
			log.Fatalf("size %d: %v", n, err)
		}
		var r sizeResult
		if err := json.Unmarshal(out, &r); err != nil {
			log.Fatalf("size %d: %v: %s", n, err, out)
		}
		for _, p := range r.Phases {
			fmt.Printf("# %-19s %9d %9.2f %9.2f %10.2f %9.1f %12.0f %9s\n", p.Name, p.Pages, p.Seconds, p.CPU,
				p.CPU*1e6/float64(p.Pages), float64(p.PeakHeap)/1e6,
				float64(p.PeakHeap-min(p.BaseHeap, p.PeakHeap))/float64(p.Pages), campaigns(p))
		}
		fmt.Printf("# %-19s %9d peak RSS %.0f MB (%.0f B/page)\n", "process", n, float64(r.PeakRSS)/1e6, float64(r.PeakRSS)/float64(n))
		results = append(results, r)
	}
	if len(results) < 2 {
		return
	}
	small, large := results[0], results[len(results)-1]
	fmt.Println("figure\ttssguard\treference\tratio\tunit")
	for i, p := range large.Phases {
		q := small.Phases[i]
		t, ref := p.CPU*1e6/float64(p.Pages), q.CPU*1e6/float64(q.Pages)
		fmt.Printf("growth %s CPU per page, %d vs %d pages\t%.2f\t%.2f\t%.2f\tµs/page\n", p.Name, p.Pages, q.Pages, t, ref, t/ref)
	}
	t, ref := float64(large.PeakRSS)/float64(large.Pages), float64(small.PeakRSS)/float64(small.Pages)
	fmt.Printf("growth peak RSS per page, %d vs %d pages\t%.0f\t%.0f\t%.2f\tB/page\n", large.Pages, small.Pages, t, ref, t/ref)
}

func campaigns(p phase) string {
	if p.Campaigns == 0 {
		return ""
	}
	return strconv.Itoa(p.Campaigns)
}

// heapWatch samples the live heap while a phase runs.
type heapWatch struct {
	peak atomic.Uint64
	stop chan struct{}
	done chan struct{}
}

func liveHeap() uint64 {
	s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	metrics.Read(s)
	return s[0].Value.Uint64()
}

func watchHeap() *heapWatch {
	w := &heapWatch{stop: make(chan struct{}), done: make(chan struct{})}
	w.peak.Store(liveHeap())
	go func() {
		defer close(w.done)
		t := time.NewTicker(10 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-w.stop:
				return
			case <-t.C:
				if h := liveHeap(); h > w.peak.Load() {
					w.peak.Store(h)
				}
			}
		}
	}()
	return w
}

func (w *heapWatch) end() uint64 {
	close(w.stop)
	<-w.done
	return max(w.peak.Load(), liveHeap())
}

// measure runs fn as one phase. The heap is collected first so that each
// phase starts from what the earlier ones left live.
func measure(name string, pages int, fn func() int) phase {
	runtime.GC()
	base := liveHeap()
	w := watchHeap()
	start, cpu0 := time.Now(), cpuSeconds()
	camps := fn()
	took, cpu := time.Since(start), cpuSeconds()-cpu0
	return phase{Name: name, Seconds: took.Seconds(), CPU: cpu, PeakHeap: w.end(), BaseHeap: base, Pages: pages, Campaigns: camps}
}

func measureOne(n int, cpuprofile string) {
	ctx := context.Background()
	dir, err := os.MkdirTemp("", "growth")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	db, err := store.OpenSQLite(ctx, dir, true)
	if err != nil {
		log.Fatal(err)
	}
	defer db.Close()
	// One commit per page, as the service does; without an fsync per
	// commit, so that the disk does not hide the growth being measured.
	if _, err := db.SQL().ExecContext(ctx, `PRAGMA synchronous = NORMAL`); err != nil {
		log.Fatal(err)
	}
	if cpuprofile != "" {
		f, err := os.Create(cpuprofile)
		if err != nil {
			log.Fatal(err)
		}
		if err := pprof.StartCPUProfile(f); err != nil {
			log.Fatal(err)
		}
		defer pprof.StopCPUProfile()
	}

	g := newGen(n)
	var res sizeResult
	res.Pages = n

	sigs := make([]intel.Signature, n)
	res.Phases = append(res.Phases, measure("fingerprint", n, func() int {
		for i := range n {
			sigs[i] = intel.FingerprintHTML(g.html(i))
		}
		return 0
	}))

	linker := intel.NewLinker(intel.LinkOptions{TemplateThreshold: intel.DefaultTemplateLink})
	linked := make([]struct {
		campaign string
		merged   []string
	}, n)
	ids := make([]string, n)
	for i := range ids {
		ids[i] = store.NewID()
	}
	res.Phases = append(res.Phases, measure("link", n, func() int {
		for i := range n {
			p := intel.Page{ID: ids[i], Site: g.domain(i), Files: g.files(i), Template: sigs[i]}
			linked[i].campaign, linked[i].merged = linker.Link(p)
		}
		return countLive(linker, ids)
	}))

	res.Phases = append(res.Phases, measure("store", n, func() int {
		exp := time.Now().Add(14 * 24 * time.Hour)
		for i := range n {
			p := intel.Page{ID: ids[i], Site: g.domain(i), Files: g.files(i), Template: sigs[i]}
			fp, err := p.MarshalBinary()
			if err != nil {
				log.Fatal(err)
			}
			u := g.url(i)
			if _, err := db.CreateScan(ctx, store.Scan{ID: ids[i], URL: u, Origin: "bench"}, nil); err != nil {
				log.Fatal(err)
			}
			r := store.Result{FinalURL: u, Domain: g.domain(i), Verdict: "scam", Score: 0.9, Report: []byte(`{}`),
				Fingerprint: fp, Campaign: linked[i].campaign, MergedCampaigns: linked[i].merged, Template: sigs[i].ID(),
				Brand: g.brand(i), Evidence: "synthetic page",
				Hotlines: []store.HotlineSighting{{E164: g.number(i), Type: "toll_free", Region: "US", How: []string{"text"}, Expires: exp}},
				Domains:  []store.Listing{{Value: g.domain(i), Domain: g.domain(i), Expires: exp}},
				URLs:     []store.Listing{{Value: strings.TrimPrefix(u, "https://"), Domain: g.domain(i), Expires: exp}},
			}
			if err := db.FinishScan(ctx, ids[i], r, nil); err != nil {
				log.Fatal(err)
			}
		}
		return 0
	}))
	sigs, linked = nil, nil

	res.Phases = append(res.Phases, measure("rebuild", n, func() int {
		r := scanjob.New(nil, capture.Policy{}, nil)
		if err := r.Rebuild(ctx, db); err != nil {
			log.Fatal(err)
		}
		return 0
	}))

	res.Phases = append(res.Phases, measure("campaigns", n, func() int {
		cs, err := db.Campaigns(ctx)
		if err != nil {
			log.Fatal(err)
		}
		return len(cs)
	}))

	src := feed.Source{DB: db, Now: time.Now()}
	meta := export.Meta{Title: "growth", Generated: time.Now(), Refresh: time.Hour, WarningURL: "https://warning.example/", TLP: "clear"}
	for _, f := range export.Formats() {
		res.Phases = append(res.Phases, measure("export:"+f.Name, n, func() int {
			if err := f.Write(ctx, io.Discard, src, meta); err != nil {
				log.Fatalf("export %s: %v", f.Name, err)
			}
			return 0
		}))
	}
	res.PeakRSS = peakRSS()
	if err := json.NewEncoder(os.Stdout).Encode(res); err != nil {
		log.Fatal(err)
	}
}

func countLive(l *intel.Linker, ids []string) int {
	seen := map[string]bool{}
	for _, id := range ids {
		seen[l.Campaign(id)] = true
	}
	return len(seen)
}

// cpuSeconds is the CPU time the process has used: on a shared machine a
// phase's CPU time says more about its cost than its wall-clock time.
func cpuSeconds() float64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return float64(ru.Utime.Nano()+ru.Stime.Nano()) / 1e9
}

// peakRSS is the process's peak resident set (VmHWM), in bytes.
func peakRSS() uint64 {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "VmHWM:"); ok {
			kb, _ := strconv.ParseUint(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			return kb << 10
		}
	}
	return 0
}

// gen makes page i of n deterministically.
type gen struct {
	n, kits int
}

func newGen(n int) gen { return gen{n: n, kits: max(4, n/50)} }

func (g gen) rand(i int, salt uint64) *rand.Rand {
	return rand.New(rand.NewPCG(uint64(i), salt))
}

// kit: a tenth of the pages belong to kit 0, the rest spread evenly.
func (g gen) kit(i int) int {
	if i%10 == 0 {
		return 0
	}
	return 1 + int(g.rand(i, 1).IntN(g.kits-1))
}

// domain: most pages have a site of their own; one in four shares its
// kit's site.
func (g gen) domain(i int) string {
	k := g.kit(i)
	if i%4 == 1 {
		return fmt.Sprintf("kit%d-help.example", k)
	}
	return fmt.Sprintf("%s-%s%d.example", words[k%len(words)], words[(i/7)%len(words)], i)
}

func (g gen) url(i int) string {
	return fmt.Sprintf("https://%s/%s/index.html", g.domain(i), words[g.kit(i)%len(words)])
}

func (g gen) brand(i int) string { return brands[g.kit(i)%len(brands)] }

// number: each kit rotates through a pool of numbers that grows with it.
func (g gen) number(i int) string {
	k := g.kit(i)
	return fmt.Sprintf("+1888%03d%04d", k%1000, (k/1000*37+i%23)%10000)
}

// files: each kit ships one file of its own; one page in a hundred also
// ships the file of another kit and so bridges two campaigns.
func (g gen) files(i int) []string {
	k := g.kit(i)
	out := []string{fileID(k)}
	if i%100 == 7 {
		out = append(out, fileID(int(g.rand(i, 2).IntN(g.kits))))
	}
	return out
}

func fileID(k int) string {
	sum := sha256.Sum256([]byte("kit file " + strconv.Itoa(k)))
	return hex.EncodeToString(sum[:12])
}

var (
	words = strings.Fields(`support help secure alert virus error warning security center service online
		call fix tech care desk update system protect account verify billing refund helpline official`)
	brands = []string{"microsoft", "apple", "norton", "mcafee", "amazon", "paypal"}
)

// html builds page i from one of four shapes, filled in with its kit's
// words and its own number and domain.
func (g gen) html(i int) []byte {
	k := g.kit(i)
	kr := g.rand(k, 3) // the kit's own choices
	var kw []string
	for range 24 {
		kw = append(kw, words[kr.IntN(len(words))])
	}
	num := g.number(i)
	var b strings.Builder
	b.WriteString("<!doctype html><html><head><title>")
	b.WriteString(strings.Join(kw[:4], " "))
	b.WriteString("</title><script src=\"/assets/kit" + strconv.Itoa(k) + ".js\"></script></head><body>")
	switch k % 4 {
	case 0: // a full-screen warning with a list of threats
		b.WriteString(`<div class="overlay"><h1>` + strings.Join(kw[4:8], " ") + `</h1><ul>`)
		for j := range 3 + kr.IntN(5) {
			b.WriteString("<li>" + kw[8+j%12] + " " + kw[(j*5)%24] + " detected</li>")
		}
		b.WriteString(`</ul><p>Call ` + num + ` now</p></div>`)
	case 1: // a fake system dialog
		b.WriteString(`<div id="dialog"><div class="title">` + strings.Join(kw[4:7], " ") + `</div><table>`)
		for j := range 2 + kr.IntN(4) {
			b.WriteString("<tr><td>" + kw[j+7] + "</td><td>" + kw[(j*3)%24] + "</td></tr>")
		}
		b.WriteString(`</table><button>` + kw[20] + `</button><span>` + num + `</span></div>`)
	case 2: // a help page with a chat box
		b.WriteString(`<header>` + kw[4] + `</header><main><article>`)
		for j := range 4 + kr.IntN(4) {
			b.WriteString("<p>" + strings.Join(kw[j:j+6], " ") + "</p>")
		}
		b.WriteString(`</article><aside class="chat">` + kw[10] + ` <a href="tel:` + num + `">` + num + `</a></aside></main>`)
	default: // a locked browser screen
		b.WriteString(`<canvas id="c"></canvas><div class="lock"><h2>` + strings.Join(kw[4:9], " ") + `</h2>`)
		for j := range 2 + kr.IntN(3) {
			b.WriteString("<div class=\"row\">" + kw[9+j] + "</div>")
		}
		b.WriteString(`<b>` + num + `</b></div>`)
	}
	b.WriteString("<footer>" + g.domain(i) + "</footer><script>var n='" + num + "';document.title+=n;</script></body></html>")
	return []byte(b.String())
}
