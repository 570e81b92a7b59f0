package main

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"golang.org/x/net/html"
)

// obfSources are hand-written scam fixtures whose pages are rebuilt as one
// obfuscated script (see makeObfuscatedFixtures).
var obfSources = []string{
	"norton-infected-scan", "fake-bsod", "chrome-critical-error", "apple-icloud-locked",
	"autodial-dispatchevent", "alert-recursion-de",
}

// makeObfuscatedFixtures writes fixtures/scam/obf-jso-<preset>-<source>.html:
// each source page turned into a page whose only content is one script
// that writes the source's markup and runs its scripts, passed through
// javascript-obfuscator with each preset. It prints the manifest rows.
func makeObfuscatedFixtures(fixtures string, w io.Writer) error {
	o, err := obfuscatorWorker()
	if err != nil {
		return err
	}
	for i, src := range obfSources {
		raw, err := os.ReadFile(filepath.Join(fixtures, "scam", src+".html"))
		if err != nil {
			return err
		}
		for k, preset := range obfuscatorPresets {
			loader := pageAsScript(raw, (i+k)%3)
			code, err := o.Obfuscate(loader, preset, 1000+i*10+k)
			if err != nil {
				return fmt.Errorf("%s with %s: %w", src, preset, err)
			}
			name := "scam/obf-jso-" + preset + "-" + src + ".html"
			page := "<!doctype html>\n<html><head><meta charset=\"utf-8\"></head><body>\n<script>" + safeScriptText(code) + "</script>\n</body></html>\n"
			if err := os.WriteFile(filepath.Join(fixtures, name), []byte(page), 0o644); err != nil {
				return err
			}
			fmt.Fprintf(w, "%s\tscam\tobfuscated-page\ttssguard-fixture\t%s\t\tCC0-1.0\tgenerated with javascript-obfuscator %s (preset %s) from scam/%s.html: the page is one obfuscated script\t\n",
				name, name, o.version, preset, src)
		}
	}
	return nil
}

// pageAsScript turns a page into one script that puts the page's markup
// in place (document.write, body.innerHTML or nodes built one by one, by
// how) and then runs the page's inline scripts in order, at top level so
// their functions stay global for the markup's handler attributes.
func pageAsScript(page []byte, how int) string {
	title, bodyAttrs, markup, scripts := splitPage(page)
	var b strings.Builder
	for _, kv := range bodyAttrs {
		b.WriteString("document.body.setAttribute(" + quoteJS(kv[0]) + ", " + quoteJS(kv[1]) + ");\n")
	}
	if title != "" {
		b.WriteString("document.title = " + quoteJS(title) + ";\n")
	}
	switch how {
	case 0:
		b.WriteString("document.write(" + quoteJS(markup) + ");\n")
	case 1:
		b.WriteString("document.body.innerHTML = " + quoteJS(markup) + ";\n")
	default:
		b.WriteString("var __box = document.createElement('div');\n__box.innerHTML = " + quoteJS(markup) + ";\n")
		b.WriteString("while (__box.firstChild) document.body.appendChild(__box.firstChild);\n")
	}
	for _, s := range scripts {
		b.WriteString(s)
		b.WriteString("\n;\n")
	}
	return b.String()
}

// splitPage returns a page's title, the attributes of its body, the markup
// of its head styles and body without scripts, and its inline scripts.
func splitPage(page []byte) (title string, bodyAttrs [][2]string, markup string, scripts []string) {
	z := html.NewTokenizer(bytes.NewReader(page))
	var m strings.Builder
	inBody, inTitle, inScript, inStyle := false, false, false, false
	for {
		tt := z.Next()
		if tt == html.ErrorToken {
			break
		}
		name, more := z.TagName()
		tag := string(name)
		switch tt {
		case html.StartTagToken, html.SelfClosingTagToken:
			switch tag {
			case "body":
				inBody = true
				for more {
					var k, v []byte
					k, v, more = z.TagAttr()
					bodyAttrs = append(bodyAttrs, [2]string{string(k), string(v)})
				}
				continue
			case "title":
				inTitle = true
				continue
			case "script":
				inScript = tt == html.StartTagToken
				continue
			case "style":
				inStyle = true
			case "html", "head", "meta":
				continue
			}
		case html.EndTagToken:
			switch tag {
			case "title":
				inTitle = false
				continue
			case "script":
				inScript = false
				continue
			case "style":
				inStyle = false
				m.Write(z.Raw())
				continue
			case "body", "html", "head":
				continue
			}
		case html.TextToken:
			switch {
			case inTitle:
				title += string(z.Text())
				continue
			case inScript:
				scripts = append(scripts, string(z.Raw()))
				continue
			}
		case html.DoctypeToken, html.CommentToken:
			continue
		}
		if inBody || inStyle || tag == "style" {
			m.Write(z.Raw())
		}
	}
	return title, bodyAttrs, strings.TrimSpace(m.String()), scripts
}
