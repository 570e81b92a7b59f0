package cli

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/tssguard/tssguard/analyze"
)

// renderText prints a report for people, the verdict and severities in
// pal's colours. Clean pages get one line unless full is set.
func renderText(w io.Writer, pal palette, name string, r *analyze.Report, full bool) {
	verdict := pal.verdict(r.Verdict, fmt.Sprintf("%-10s", strings.ToUpper(string(r.Verdict))))
	fmt.Fprintf(w, "%s score %5.1f  %s\n", verdict, r.Score, name)
	if r.Verdict == analyze.Clean && !full {
		return
	}
	fmt.Fprintf(w, "  why:      %s\n", r.Reason)
	if r.FinalURL != "" && r.FinalURL != r.URL {
		fmt.Fprintf(w, "  final:    %s\n", r.FinalURL)
	}
	if len(r.Redirects) > 1 {
		fmt.Fprintf(w, "  via:      %s\n", strings.Join(r.Redirects, " → "))
	}
	if len(r.Brands) > 0 {
		fmt.Fprintf(w, "  brands:   %s\n", strings.Join(r.Brands, ", "))
	}
	for i, h := range r.Hotlines {
		label := "hotlines:"
		if i > 0 {
			label = ""
		}
		kind := h.Type
		if h.Region != "" && h.RegionSource != "" { // "toll-free, FR from lang-attr"
			kind += ", " + h.Region + " from " + h.RegionSource
		}
		fmt.Fprintf(w, "  %-9s %s  %s  (%s) found in %s\n", label, h.E164, h.Raw, kind, strings.Join(h.Where, ", "))
	}
	if t := r.Template; t != nil {
		def := "no default number"
		if t.DefaultNumber {
			def = "has a default number"
		}
		conf := ""
		if t.Confirmed {
			conf = ", confirmed by emulation"
		}
		fmt.Fprintf(w, "  template: number from ?%s= (%s%s)\n", strings.Join(t.Params, "=, ?"), def, conf)
	}
	if len(r.Findings) > 0 {
		fmt.Fprintf(w, "  findings:\n")
	}
	for _, f := range r.Findings {
		sev := pal.severity(f.Severity, fmt.Sprintf("%-9s", "["+string(f.Severity)+"]"))
		fmt.Fprintf(w, "    %s %-26s %+5.1f  %s\n", sev, f.Rule, f.Weight, f.Message)
		for i, ev := range f.Evidence {
			if i == 3 {
				fmt.Fprintf(w, "              … %d more\n", len(f.Evidence)-3)
				break
			}
			loc := shortLocation(ev.Location)
			if ev.Offset >= 0 && loc != "" {
				loc = fmt.Sprintf("%s @%d", loc, ev.Offset)
			}
			if loc != "" {
				loc = " " + loc
			}
			fmt.Fprintf(w, "              %s%s: %s\n", ev.Source, loc, oneLine(ev.Snippet))
		}
	}
	for _, n := range r.Notes {
		fmt.Fprintf(w, "  note: %s\n", n)
	}
	if r.Dynamic {
		blocked := 0
		for _, q := range r.Requests {
			if q.Blocked {
				blocked++
			}
		}
		fmt.Fprintf(w, "  requests: %d made at run time, %d blocked by containment\n", len(r.Requests), blocked)
	}
	fmt.Fprintln(w)
}

// shortLocation shows local files relative to the working directory.
func shortLocation(loc string) string {
	if wd, err := os.Getwd(); err == nil {
		loc = strings.Replace(loc, "file://"+filepath.ToSlash(wd)+"/", "", 1)
	}
	return loc
}

func oneLine(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > 160 {
		s = s[:157] + "…"
	}
	return s
}
