// Command checkhttp serves the real API with a reputation index of N listed
// URLs (synthesised) on loopback, for run.sh to load with wrk. The store is
// an empty SQLite database: GET /api/v1/check answers from the index alone.
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"net"
	"os"
	"os/signal"
	"runtime"
	"runtime/pprof"
	"time"

	"github.com/tssguard/tssguard/internal/queue"
	"github.com/tssguard/tssguard/reputation"
	"github.com/tssguard/tssguard/server"
	"github.com/tssguard/tssguard/store"
)

func main() {
	n := flag.Int("urls", 1_000_000, "listed URLs")
	addr := flag.String("listen", "127.0.0.1:18080", "address")
	urlsFile := flag.String("write-urls", "", "also write a sample of listed and unlisted URLs here, for wrk")
	cpuprofile := flag.String("cpuprofile", "", "write a CPU profile of the serving to this file")
	flag.Parse()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()

	dir, err := os.MkdirTemp("", "checkhttp")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	db, err := store.OpenSQLite(ctx, dir, true)
	if err != nil {
		log.Fatal(err)
	}
	defer db.Close()
	q, err := queue.New(ctx, db, nil, queue.Options{})
	if err != nil {
		log.Fatal(err)
	}

	ix := reputation.New()
	exp := time.Now().Add(24 * time.Hour)
	start := time.Now()
	var sample []string
	for i := range *n {
		u := fmt.Sprintf("http://alert-%d.scam%d.example/win/%d/index.html", i%9973, i/9973, i)
		if err := ix.Add(reputation.Entry{Kind: reputation.URL, Value: u, Verdict: reputation.Scam, Source: "scan", Expires: exp}); err != nil {
			log.Fatal(err)
		}
		if i%(max(1, *n/500)) == 0 {
			sample = append(sample, u, fmt.Sprintf("https://www.site%d.example/page/%d?q=%d", i, i, i))
		}
	}
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	log.Printf("index: %d URLs in %v, heap in use %.1f MB", *n, time.Since(start).Round(time.Millisecond), float64(ms.HeapInuse)/1e6)
	if *urlsFile != "" {
		f, err := os.Create(*urlsFile)
		if err != nil {
			log.Fatal(err)
		}
		for _, u := range sample {
			fmt.Fprintln(f, u)
		}
		f.Close()
	}
	srv := server.New(server.Options{Store: db, Queue: q, Index: ix})
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		log.Fatal(err)
	}
	if *cpuprofile != "" {
		f, err := os.Create(*cpuprofile)
		if err != nil {
			log.Fatal(err)
		}
		if err := pprof.StartCPUProfile(f); err != nil {
			log.Fatal(err)
		}
		defer pprof.StopCPUProfile()
	}
	log.Printf("listening on http://%s", ln.Addr())
	if err := srv.ListenAndServe(ctx, ln, time.Second); err != nil {
		log.Print(err)
	}
}
