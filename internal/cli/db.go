package cli

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/tssguard/tssguard/store"
)

func (e *env) dbCmd() *cobra.Command {
	var sf storeFlags
	cmd := &cobra.Command{
		Use:   "db",
		Short: "Check the database",
	}
	sf.register(cmd.PersistentFlags())
	cmd.AddCommand(&cobra.Command{
		Use:   "check",
		Short: "Check the database for damage (SQLite: PRAGMA quick_check)",
		Long: `check runs the database's own consistency check: PRAGMA quick_check on the
embedded SQLite database (serve runs it at start too, and refuses a damaged
file), a connection and schema check on PostgreSQL. It exits 0 when the
database is sound and 2 with what is wrong otherwise.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return sf.read(cmd, func(ctx context.Context, db *store.DB) error {
				if err := db.Check(ctx); err != nil {
					return err
				}
				fmt.Fprintf(e.stdout, "ok: the %s database is sound (schema version %d)\n", db.Backend(), store.SchemaVersion())
				return nil
			})
		},
	})
	return cmd
}
