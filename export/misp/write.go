package misp

import (
	"archive/tar"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/tssguard/tssguard/export"
)

// Format is the MISP feed as one tar archive (manifest.json, hashes.csv and
// the event files at its root), for `tssguard export misp -o feed.tar`.
// Unpack it where MISP reads the feed, or use WriteFeed.
var Format = export.Format{
	Name:        "misp",
	Description: "MISP feed (manifest.json, hashes.csv, one event per campaign) as a tar archive",
	ContentType: "application/x-tar",
	Ext:         "tar",
	Write:       Write,
}

// Write writes the feed as a tar archive. Entries are in Names order and
// dated meta.Generated, so the same export gives the same bytes.
func Write(ctx context.Context, w io.Writer, src export.Source, meta export.Meta) error {
	feed, err := Build(ctx, src, meta)
	if err != nil {
		return err
	}
	mtime := meta.Generated
	if mtime.IsZero() {
		mtime = time.Now()
	}
	tw := tar.NewWriter(w)
	for _, name := range feed.Names() {
		b := feed.files[name]
		hdr := &tar.Header{Typeflag: tar.TypeReg, Name: name, Mode: 0o644, Size: int64(len(b)), ModTime: mtime.UTC().Truncate(time.Second), Format: tar.FormatUSTAR}
		if err := tw.WriteHeader(hdr); err != nil {
			return fmt.Errorf("misp: tar %s: %w", name, err)
		}
		if _, err := tw.Write(b); err != nil {
			return fmt.Errorf("misp: tar %s: %w", name, err)
		}
	}
	if err := tw.Close(); err != nil {
		return fmt.Errorf("misp: tar: %w", err)
	}
	return nil
}

// WriteFeed writes the feed into dir, creating it if needed. Each file is
// written to a temporary name and renamed, so a MISP pulling meanwhile sees
// whole files. Event files of
// events no longer in the feed are left in place: MISP only fetches the
// events manifest.json lists.
func WriteFeed(ctx context.Context, dir string, src export.Source, meta export.Meta) error {
	feed, err := Build(ctx, src, meta)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("misp: %w", err)
	}
	// Events first, then hashes.csv and manifest.json, so the manifest
	// never names an event file not yet written.
	names := feed.Names()
	for i := len(names) - 1; i >= 0; i-- {
		if err := writeFile(filepath.Join(dir, names[i]), feed.files[names[i]]); err != nil {
			return err
		}
	}
	return nil
}

func writeFile(path string, b []byte) error {
	f, err := os.CreateTemp(filepath.Dir(path), ".misp-*")
	if err != nil {
		return fmt.Errorf("misp: %w", err)
	}
	_, err = f.Write(b)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Chmod(f.Name(), 0o644)
	}
	if err == nil {
		err = os.Rename(f.Name(), path)
	}
	if err != nil {
		os.Remove(f.Name())
		return fmt.Errorf("misp: write %s: %w", path, err)
	}
	return nil
}
