package capture

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// nulScam is a scare page with NUL bytes early on: browsers render it as
// HTML, so it must not be able to opt out of analysis with them.
const nulScam = "<!DOCTYPE html>\x00<html><head><title>Security alert\x00</title></head>" +
	"<body><h1>Your computer is infected</h1><p>Call Microsoft support now: 1-844-555-0142</p>" +
	"<script>alert('virus\x00found')</script></body></html>"

// checkNULPage asserts the page was captured with its words and no NUL left.
func checkNULPage(t *testing.T, what string, c *Capture, err error) {
	t.Helper()
	if err != nil {
		t.Fatalf("%s: refused: %v", what, err)
	}
	body := c.Documents[0].Body
	if bytes.IndexByte(body, 0) >= 0 {
		t.Errorf("%s: a NUL byte reached the document", what)
	}
	if !bytes.Contains(body, []byte("1-844-555-0142")) || !bytes.Contains(body, []byte("virus\uFFFDfound")) {
		t.Errorf("%s: body %q, want the text with NULs as U+FFFD", what, body)
	}
}

func TestNULBytesDoNotHideAPage(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	for name, page := range map[string]string{
		"after doctype":   nulScam,
		"first byte":      "\x00" + nulScam,
		"no doctype":      "\x00\x00<div>Windows Defender alert</div>\x00<p>Call 1-844-555-0142</p><script>alert('virus\x00found')</script>",
		"leading spaces":  "  \n<script>alert('virus\x00found')</script><p>1-844-555-0142",
		"after a comment": "<!-- \x00 --><body><p>Call 1-844-555-0142<script>alert('virus\x00found')</script>",
	} {
		p := write(t, dir, strings.ReplaceAll(name, " ", "-")+".html", page)
		c, err := FromFile(ctx, p, Options{})
		checkNULPage(t, "file "+name, c, err)
		c, err = FromReader(ctx, strings.NewReader(page), "stdin", Options{})
		checkNULPage(t, "stdin "+name, c, err)
	}

	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/html":
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			fmt.Fprint(w, nulScam)
		case "/binary-as-html":
			// Served as HTML, a browser renders it whatever its bytes.
			w.Header().Set("Content-Type", "text/html")
			fmt.Fprint(w, "\x00\x01\x02\x03<p>Call 1-844-555-0142<script>alert('virus\x00found')</script>")
		case "/untyped":
			w.Header()["Content-Type"] = nil // no type at all: sniffed
			fmt.Fprint(w, "\x00"+nulScam)
		}
	}))
	defer srv.Close()
	f := NewFetcher(lab())
	for _, path := range []string{"/html", "/binary-as-html", "/untyped"} {
		c, err := f.Capture(ctx, srv.URL+path, Options{})
		checkNULPage(t, "URL "+path, c, err)
	}
}

// TestSniffUnknownType follows the WHATWG rules for an unknown MIME type:
// binary only when it has binary bytes and no HTML to analyse.
func TestSniffUnknownType(t *testing.T) {
	for _, tc := range []struct {
		body string
		ok   bool
	}{
		{"<!doctype html>\x00<p>x", true},
		{"\t\r\n <HTML>\x00", true},
		{"<!--\x00-->", true},
		{"\x00\x01\x02garbage\x03<script>alert(1)</script>", true}, // HTML clearly there
		{"\x00\x01\x02\x03 just bytes", false},
		{"text without tags", true},
		{"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR<script>", false}, // an image with a string in it
	} {
		err := sniff([]byte(tc.body), "")
		if (err == nil) != tc.ok {
			t.Errorf("sniff(%q) = %v, want ok=%v", tc.body, err, tc.ok)
		}
		if err != nil && !errors.Is(err, ErrNotHTML) {
			t.Errorf("sniff(%q) = %v, want ErrNotHTML", tc.body, err)
		}
	}
	// Served as HTML: HTML, whatever the bytes (only empty is refused).
	if err := sniff([]byte("\x00\x01\x02\x03"), "text/html; charset=utf-8"); err != nil {
		t.Errorf("served as text/html: %v", err)
	}
	if err := sniff([]byte(" \n"), "text/html"); !errors.Is(err, ErrNotHTML) {
		t.Errorf("empty text/html: %v", err)
	}
}

// TestRefuseUserinfo: a page URL carrying a user name or password is
// refused before anything is fetched, with an error that says why.
func TestRefuseUserinfo(t *testing.T) {
	hits := 0
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits++
		fmt.Fprint(w, "<p>page")
	}))
	defer srv.Close()
	f := NewFetcher(lab())
	for _, u := range []string{
		strings.Replace(srv.URL, "://", "://user:s3cret@", 1) + "/",
		strings.Replace(srv.URL, "://", "://support.microsoft.com@", 1) + "/",
	} {
		_, err := f.Capture(context.Background(), u, Options{})
		if !errors.Is(err, ErrCredentials) || strings.Contains(err.Error(), "redirect") || strings.Contains(err.Error(), "s3cret") {
			t.Errorf("%s: err = %v, want ErrCredentials without the password and no redirect", u, err)
		}
		if err := CheckPageURL(u); !errors.Is(err, ErrCredentials) {
			t.Errorf("CheckPageURL(%s) = %v", u, err)
		}
	}
	if hits != 0 {
		t.Errorf("%d requests reached the server", hits)
	}
	// A subresource URL with credentials is fetched (browsers do); a
	// failure of its first request is not a redirect.
	if _, err := f.Get(context.Background(), "http://user:s3cret@127.0.0.1:1/x.js", 100); err == nil || strings.Contains(err.Error(), "redirect") || strings.Contains(err.Error(), "s3cret") {
		t.Errorf("Get with credentials: err = %v", err)
	}
	if err := CheckPageURL(srv.URL + "/a@b"); err != nil {
		t.Errorf("an @ in the path is not userinfo: %v", err)
	}
}
