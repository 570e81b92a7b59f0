package stix

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"time"

	"github.com/google/uuid"
	"github.com/tssguard/tssguard/export"
)

// Format is the STIX 2.1 bundle, for `tssguard export stix`.
var Format = export.Format{
	Name:        "stix",
	Description: "STIX 2.1 bundle: indicators, phone numbers, campaigns and their relationships",
	ContentType: "application/stix+json;version=2.1",
	Ext:         "json",
	Write:       WriteBundle,
}

// BundleID returns the bundle's id: a UUIDv5 over the generation time and
// title, so writing the same export twice gives the same bytes.
func BundleID(meta export.Meta) string {
	name := "bundle:" + meta.Generated.UTC().Format(time.RFC3339Nano) + ":" + meta.Title
	return "bundle--" + uuid.NewSHA1(Namespace, []byte(name)).String()
}

// WriteBundle writes a STIX 2.1 bundle (section 8) of Objects to w,
// streaming: each object is written as it is built, one per line.
func WriteBundle(ctx context.Context, w io.Writer, src export.Source, meta export.Meta) error {
	bw := bufio.NewWriterSize(w, 64<<10)
	if _, err := fmt.Fprintf(bw, `{"type":"bundle","id":%q,"objects":[`, BundleID(meta)); err != nil {
		return fmt.Errorf("stix: write: %w", err)
	}
	sep := []byte("\n")
	err := Objects(ctx, src, meta, func(o Object) error {
		bw.Write(sep)
		if _, err := bw.Write(o.JSON); err != nil {
			return fmt.Errorf("stix: write: %w", err)
		}
		sep = []byte(",\n")
		return nil
	})
	if err != nil {
		return err
	}
	bw.WriteString("\n]}\n")
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("stix: write: %w", err)
	}
	return nil
}
