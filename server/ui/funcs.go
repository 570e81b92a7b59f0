package ui

import (
	"fmt"
	"html/template"
	"math"
	"net/url"
	"strings"
	"time"
)

var funcs = template.FuncMap{
	"when": func(t time.Time) string {
		if t.IsZero() {
			return "—"
		}
		return t.UTC().Format("2006-01-02 15:04 UTC")
	},
	"day": func(t time.Time) string {
		if t.IsZero() {
			return ""
		}
		return t.UTC().Format("2006-01-02")
	},
	"span": func(d time.Duration) string {
		switch {
		case d < time.Minute:
			return "under a minute"
		case d < time.Hour:
			return fmt.Sprintf("%d min", int(d.Minutes()))
		case d < 48*time.Hour:
			return fmt.Sprintf("%.1f h", d.Hours())
		}
		return fmt.Sprintf("%.1f days", d.Hours()/24)
	},
	"score": func(f float64) string { return fmt.Sprintf("%.1f", math.Round(f*10)/10) },
	"size": func(n int) string {
		switch {
		case n < 1024:
			return fmt.Sprintf("%d B", n)
		case n < 1<<20:
			return fmt.Sprintf("%.1f KiB", float64(n)/1024)
		}
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	},
	"short":  shorten,
	"join":   strings.Join,
	"pathq":  url.PathEscape,
	"query":  url.QueryEscape,
	"hash12": func(s string) string { return shorten(s, 13) },
	"verdictClass": func(v string) string {
		switch v {
		case "scam", "suspicious", "clean":
			return "v-" + v
		}
		return "v-none"
	},
	"sevClass": func(v any) string { return "sev-" + strings.ToLower(fmt.Sprint(v)) },
}
