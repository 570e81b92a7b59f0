package export

import (
	"context"
	"io"
	"strconv"
	"strings"
	"time"
)

// ABP is an Adblock Plus 2.0 filter list, as loaded by Adblock Plus,
// uBlock Origin and AdGuard: "||domain^$document" blocks the domain, its
// subdomains and any page on them (uBlock Origin shows its strict-blocking
// warning page), and "||host/path^$document" a URL (at its default port,
// as filter lists write URLs). A URL pattern
// ("host/path?phone=": a trusted page that shows the number its URL
// carries) is a regular-expression filter,
// "/^https?:\/\/host(?::[0-9]+)?\/path\?(?:[^#]*&)?(?:phone)=[^&#]/$document",
// so that the parameter matches anywhere in the query and at any port, as
// the index does. Each rule follows a "!" comment with the evidence.
//
// Values are normalised (NormalizeDomain, NormalizeURL), which rejects
// '$', '^', '|', '#' in paths and anything with whitespace, so a rule
// never carries an option separator, an element-hiding marker or a
// pattern anchor the URL did not mean.
var ABP = Format{
	Name:        "abp",
	Description: "Adblock Plus / uBlock Origin filter list (||domain^$document)",
	ContentType: "text/plain; charset=utf-8",
	Ext:         "txt",
	Write:       writeABP,
}

// abpExpires is the "! Expires:" value for a refresh interval: whole days
// rounded up, or hours under a day, never less than 1 hour.
func abpExpires(d time.Duration) string {
	if d <= 0 {
		d = 24 * time.Hour
	}
	if d < 24*time.Hour {
		h := int64((d + time.Hour - 1) / time.Hour)
		if h < 1 {
			h = 1
		}
		if h == 1 {
			return "1 hour"
		}
		return strconv.FormatInt(h, 10) + " hours"
	}
	days := int64((d + 24*time.Hour - 1) / (24 * time.Hour))
	if days == 1 {
		return "1 day"
	}
	return strconv.FormatInt(days, 10) + " days"
}

// filterPattern is the ABP / DNR urlFilter pattern for a normalised URL:
// "||host/path", ending with the separator anchor '^' unless the path
// already ends where a prefix match is meant ('/', '?', '=', '&').
func filterPattern(u string) string {
	p := "||" + u
	switch p[len(p)-1] {
	case '/', '?', '=', '&':
		return p
	}
	return p + "^"
}

func writeABP(ctx context.Context, w io.Writer, src Source, meta Meta) error {
	s := newSink(w)
	var st stats
	g := generated(meta)
	s.str("[Adblock Plus 2.0]\n")
	s.str("! Title: ")
	s.str(title(meta))
	s.str("\n! Expires: ")
	s.str(abpExpires(refresh(meta)))
	s.byte('\n')
	if h := cleanText(meta.Homepage, 500); h != "" {
		s.str("! Homepage: ")
		s.str(h)
		s.byte('\n')
	}
	s.str("! Last modified: ")
	s.str(g.Format("02 Jan 2006 15:04 UTC"))
	s.str("\n! Version: ")
	s.str(g.Format("200601021504"))
	s.str("\n! Entry count is in the last line; a list without it is truncated.\n")
	seen := hashSet{}
	err := targets(ctx, src, meta, &st, seen, nil, func(v string, it Indicator) error {
		st.written++
		s.str("! ")
		s.str(evidence(it))
		s.byte('\n')
		if it.Kind == Domain {
			s.str("||")
			s.str(v)
			s.str("^$document\n")
		} else if hostPath, params, ok := urlPattern(v); ok {
			s.byte('/')
			s.str(patternRegex(hostPath, params))
			s.str("/$document\n")
		} else {
			s.str(filterPattern(v))
			s.str("$document\n")
		}
		return s.err
	})
	if err != nil {
		return err
	}
	trailer(s, "! ", &st)
	return s.flush()
}

// evidence is the one-line comment for an indicator:
// "<verdict> <brand> <evidence> (seen first..last)".
func evidence(it Indicator) string {
	var b strings.Builder
	add := func(v string, max int) {
		if v = cleanText(v, max); v != "" {
			if b.Len() > 0 {
				b.WriteByte(' ')
			}
			b.WriteString(v)
		}
	}
	v := it.Verdict
	if v == "" {
		v = "listed"
	}
	add(v, 20)
	add(it.Brand, 60)
	add(it.Evidence, 300)
	if !it.FirstSeen.IsZero() || !it.LastSeen.IsZero() {
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		b.WriteString("(seen ")
		b.WriteString(day(it.FirstSeen))
		b.WriteString("..")
		b.WriteString(day(it.LastSeen))
		b.WriteByte(')')
	}
	return b.String()
}

func day(t time.Time) string {
	if t.IsZero() {
		return "?"
	}
	return t.UTC().Format("2006-01-02")
}
