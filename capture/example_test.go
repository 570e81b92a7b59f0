package capture_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"

	"github.com/tssguard/tssguard/capture"
)

// A fake alert page and its script, served on loopback. The default policy
// refuses loopback addresses (they are what a hostile URL would use to
// reach the scanner's own network), so the example allows them.
func ExampleFetcher_Capture() {
	mux := http.NewServeMux()
	mux.HandleFunc("/alert", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, `<html><head><script src="js/lock.js"></script><script src="js/gone.js"></script></head>
<body><h1>Windows Defender Security Warning</h1><p>Call support: <span id=n></span></p>
<script>n.textContent = new URLSearchParams(location.search).get("phone")</script></body></html>`)
	})
	mux.HandleFunc("/js/lock.js", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, `onbeforeunload = () => "Your computer is locked";`)
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()

	policy := capture.DefaultPolicy()
	policy.AllowPrivate = true
	c, err := capture.NewFetcher(policy).Capture(context.Background(), srv.URL+"/alert?phone=18445550142", capture.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("final URL:", strings.TrimPrefix(c.FinalURL, srv.URL))
	fmt.Println("documents:", len(c.Documents))
	for _, r := range c.Resources {
		if r.Err != "" {
			fmt.Printf("%s #%d %s: %s\n", r.Kind, r.Order, r.Ref, r.Err)
			continue
		}
		fmt.Printf("%s #%d %s: %s\n", r.Kind, r.Order, r.Ref, r.Body)
	}
	// Output:
	// final URL: /alert?phone=18445550142
	// documents: 1
	// script #1 js/lock.js: onbeforeunload = () => "Your computer is locked";
	// script #2 js/gone.js: HTTP 404
}

// Under the default policy a URL that leads to a private, loopback or
// link-local address is refused before any connection is made.
func ExampleNewFetcher() {
	f := capture.NewFetcher(capture.DefaultPolicy())
	_, err := f.Get(context.Background(), "http://169.254.169.254/latest/meta-data/", 1<<20)
	fmt.Println(err)
	// Output:
	// fetch http://169.254.169.254/latest/meta-data/: destination address not allowed: 169.254.169.254 is not a public address (use --allow-private to permit it)
}

// A page read from standard input has no directory of its own: its relative
// references are reported, not read, unless Options.BaseDir is set.
func ExampleFromReader() {
	page := `<script src="js/alert.js"></script><script src="data:text/javascript,alert('Virus%20detected')"></script>`
	c, err := capture.FromReader(context.Background(), strings.NewReader(page), "stdin", capture.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, r := range c.Resources {
		fmt.Printf("%s: body %q, error %q\n", r.Ref[:min(len(r.Ref), 16)], r.Body, r.Err)
	}
	// Output:
	// js/alert.js: body "", error "relative reference of a page read from standard input (use --base-dir)"
	// data:text/javasc: body "alert('Virus detected')", error ""
}

func ExampleReferences() {
	page := []byte(`<link rel="stylesheet" href="css/bsod.css"><script>var n = 1</script><script src="js/audio.js"></script><iframe src="tel:+18445550142"></iframe>`)
	for _, r := range capture.References(page) {
		fmt.Println(r.Kind, r.Ref, "order", r.Order, "at", r.Offset)
	}
	// Output:
	// stylesheet css/bsod.css order 0 at 0
	// script js/audio.js order 2 at 69
	// frame tel:+18445550142 order 0 at 104
}
