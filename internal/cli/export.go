package cli

import (
	"context"
	"fmt"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/tssguard/tssguard/export"
	"github.com/tssguard/tssguard/export/misp"
	_ "github.com/tssguard/tssguard/export/stix" // registers the stix format
	"github.com/tssguard/tssguard/internal/feed"
	"github.com/tssguard/tssguard/server"
	"github.com/tssguard/tssguard/store"
)

func (e *env) exportCmd() *cobra.Command {
	var sf storeFlags
	var out string
	meta := server.ExportMeta
	cmd := &cobra.Command{
		Use:   "export FORMAT",
		Short: "Write the live indicators for DNS filters, proxies, ad blockers, browsers and TI platforms",
		Long: `export writes what tssguard knows — live scam domains, URLs and hotline
numbers, never an allowlisted domain, never an expired indicator — in a
format the blocking side already loads. 'tssguard export' alone lists the
formats. With -o the file is written whole or not at all (a temporary file
renamed into place), so a DNS server never loads half a list.

The same lists are served by 'tssguard serve' under /api/v1/export/FORMAT
(with ETag and Last-Modified), the STIX objects over TAXII 2.1 at /taxii2/,
and the MISP feed at /api/v1/export/misp/manifest.json.`,
		Example: `  tssguard export                          # the formats
  tssguard export rpz -o /etc/bind/tssguard.rpz
  tssguard export abp -o tssguard.txt
  tssguard export stix --tlp green -o bundle.json
  tssguard export misp -o feed/                # a MISP feed directory (or feed.tar)`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 0 {
				tw := tabwriter.NewWriter(e.stdout, 2, 4, 2, ' ', 0)
				for _, f := range export.Formats() {
					fmt.Fprintf(tw, "%s\t%s\n", f.Name, f.Description)
				}
				return tw.Flush()
			}
			f, ok := export.Lookup(args[0])
			if !ok {
				var names []string
				for _, f := range export.Formats() {
					names = append(names, f.Name)
				}
				return fmt.Errorf("%w: unknown format %q; formats: %s", errUsage, args[0], strings.Join(names, ", "))
			}
			return sf.read(cmd, func(ctx context.Context, db *store.DB) error {
				meta.Generated = time.Now().UTC()
				src := feed.Source{DB: db, Now: meta.Generated}
				if f.Name == "misp" && (strings.HasSuffix(out, "/") || isDir(out)) {
					return misp.WriteFeed(ctx, out, src, meta)
				}
				w, done, err := createOutput(e.stdout, out)
				if err != nil {
					return err
				}
				if err := f.Write(ctx, w, src, meta); err != nil {
					_ = done(false)
					return fmt.Errorf("export %s: %w", f.Name, err)
				}
				return done(true)
			})
		},
	}
	sf.register(cmd.Flags())
	fl := cmd.Flags()
	fl.StringVarP(&out, "output", "o", "", "write to `FILE` (default: standard output); for misp, a directory")
	fl.StringVar(&meta.Title, "title", meta.Title, "the list's title")
	fl.StringVar(&meta.Homepage, "homepage", meta.Homepage, "the list's homepage")
	fl.DurationVar(&meta.Refresh, "refresh", meta.Refresh, "how often consumers should fetch the list again (ABP '! Expires')")
	fl.StringVar(&meta.WarningURL, "warning-url", "", "dnr: redirect blocked pages to this URL (default: the extension's warning page)")
	fl.StringVar(&meta.TLP, "tlp", meta.TLP, "stix, misp: TLP 2.0 marking: clear, green, amber, amber+strict, red")
	fl.StringVar(&meta.RPZOrigin, "rpz-origin", "", "rpz: the zone's name (default "+export.DefaultRPZOrigin+")")
	return cmd
}

func isDir(p string) bool {
	st, err := os.Stat(p)
	return err == nil && st.IsDir()
}
