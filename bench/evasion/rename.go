package main

import (
	"fmt"
	"math/rand/v2"
	"regexp"
	"strings"

	"github.com/evanw/esbuild/pkg/api"
	"golang.org/x/net/html"
)

// renameIdentifiers renames what a detector could key on in the code and
// the markup: the local identifiers of every script (esbuild's identifier
// minification: globals, which handler attributes and other scripts may
// use, keep their names), and every class and id, consistently in the
// markup, style sheets and script strings.
func renameIdentifiers(p *Page, rng *rand.Rand) (string, error) {
	names := map[string]string{}
	for _, d := range p.Docs {
		collectNames(d, names, rng)
	}
	minify := func(code string) string {
		r := api.Transform(code, api.TransformOptions{MinifyIdentifiers: true, Loader: api.LoaderJS, LogLevel: api.LogLevelSilent})
		if len(r.Errors) > 0 {
			return code
		}
		return string(r.Code)
	}
	inScript := func(code string, _ bool) string {
		return renameInStrings(minify(code), names)
	}
	p.rewrite(nil, inScript)
	for i, d := range p.Docs {
		p.Docs[i] = renameInMarkup(d, names)
	}
	return "", nil
}

var classOrID = regexp.MustCompile(`^[A-Za-z_][\w-]*$`)

// collectNames gives each class and id of doc a new random name.
func collectNames(doc []byte, names map[string]string, rng *rand.Rand) {
	z := html.NewTokenizer(strings.NewReader(string(doc)))
	for {
		tt := z.Next()
		if tt == html.ErrorToken {
			return
		}
		if tt != html.StartTagToken && tt != html.SelfClosingTagToken {
			continue
		}
		_, more := z.TagName()
		for more {
			var k, v []byte
			k, v, more = z.TagAttr()
			if string(k) != "class" && string(k) != "id" {
				continue
			}
			for _, n := range strings.Fields(string(v)) {
				if _, ok := names[n]; !ok && classOrID.MatchString(n) {
					names[n] = fmt.Sprintf("%c%x", 'a'+rng.IntN(26), rng.Uint32())
				}
			}
		}
	}
}

// renameInMarkup renames classes and ids in attributes (class, id, for,
// href="#…") and in <style> sheets and style attributes.
func renameInMarkup(doc []byte, names map[string]string) []byte {
	if len(names) == 0 {
		return doc
	}
	z := html.NewTokenizer(strings.NewReader(string(doc)))
	var out strings.Builder
	inStyle := false
	for {
		tt := z.Next()
		if tt == html.ErrorToken {
			break
		}
		raw := string(z.Raw())
		switch tt {
		case html.StartTagToken, html.SelfClosingTagToken:
			name, more := z.TagName()
			tag := string(name)
			inStyle = tag == "style"
			if !more {
				out.WriteString(raw)
				continue
			}
			out.WriteString("<" + tag)
			for more {
				var k, v []byte
				k, v, more = z.TagAttr()
				val := string(v)
				switch string(k) {
				case "class", "id", "for":
					f := strings.Fields(val)
					for i, n := range f {
						if m, ok := names[n]; ok {
							f[i] = m
						}
					}
					val = strings.Join(f, " ")
				case "href":
					if m, ok := names[strings.TrimPrefix(val, "#")]; ok && strings.HasPrefix(val, "#") {
						val = "#" + m
					}
				case "style":
					val = renameInCSS(val, names)
				}
				out.WriteString(" " + string(k) + `="` + html.EscapeString(val) + `"`)
			}
			if tt == html.SelfClosingTagToken {
				out.WriteString("/")
			}
			out.WriteString(">")
		case html.TextToken:
			if inStyle {
				out.WriteString(renameInCSS(raw, names))
			} else {
				out.WriteString(raw)
			}
		case html.EndTagToken:
			inStyle = false
			out.WriteString(raw)
		default:
			out.WriteString(raw)
		}
	}
	return []byte(out.String())
}

var cssName = regexp.MustCompile(`([.#])([A-Za-z_][\w-]*)`)

// renameInCSS renames .class and #id selectors of known names.
func renameInCSS(css string, names map[string]string) string {
	return cssName.ReplaceAllStringFunc(css, func(m string) string {
		if n, ok := names[m[1:]]; ok {
			return m[:1] + n
		}
		return m
	})
}

// renameInStrings renames known names in script strings: a string that is
// a name (getElementById('x')), or selectors (.x, #x) inside one.
func renameInStrings(code string, names map[string]string) string {
	if len(names) == 0 {
		return code
	}
	return rewriteStrings(code, func(s string) string {
		if n, ok := names[s]; ok {
			return n
		}
		if looksMarkup(s) {
			return string(renameInMarkup([]byte(s), names))
		}
		if strings.ContainsAny(s, ".#") && !strings.Contains(s, " ") || strings.HasPrefix(s, ".") || strings.HasPrefix(s, "#") {
			return renameInCSS(s, names)
		}
		return s
	})
}
