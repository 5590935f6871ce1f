// Package atomicfile writes files so that a reader sees the old file or the
// new one, never a part: the data goes to a temporary file beside the
// target, which is synced, given mode 0644 and renamed over it; then the
// directory is synced so that the rename itself survives a crash.
//
// Every tool in tegaki that writes a file the user keeps (tools/train's
// model, checkpoint and plot, tools/bundle's single page, tools/classify's
// -debug images) writes it through this package, so they all make the same
// promise.
package atomicfile

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// Mode is the permission of every file written: readable by all, as a
// model, a plot or a web page is meant to be. (os.CreateTemp alone would
// make it private to its owner.)
const Mode = 0o644

// WriteFile writes data to name atomically. The directory must exist. On
// any error, a file already at name is left as it was and no temporary file
// remains; the error names the file and wraps the cause (fs.ErrNotExist
// for a missing directory, for example).
func WriteFile(name string, data []byte) error {
	return Write(name, func(w io.Writer) error {
		_, err := w.Write(data)
		return err
	})
}

// Write writes name atomically with what write writes to w, which is
// buffered. An error from write is returned wrapped, and leaves name as it
// was, as WriteFile does.
func Write(name string, write func(w io.Writer) error) (err error) {
	tmp, err := os.CreateTemp(filepath.Dir(name), "."+filepath.Base(name)+".*.tmp")
	if err != nil {
		return fmt.Errorf("write %s: %w", name, err)
	}
	defer func() {
		if err != nil {
			tmp.Close() // may be closed already; the error says nothing new
			os.Remove(tmp.Name())
			err = fmt.Errorf("write %s: %w", name, err)
		}
	}()
	bw := bufio.NewWriterSize(tmp, 64<<10)
	if err := write(bw); err != nil {
		return err
	}
	if err := bw.Flush(); err != nil {
		return err
	}
	// Some systems (GOOS=js, for one) support neither Chmod nor Sync; the
	// file is still whole once renamed.
	if err := tmp.Chmod(Mode); err != nil && !errors.Is(err, errors.ErrUnsupported) {
		return err
	}
	if err := tmp.Sync(); err != nil && !errors.Is(err, errors.ErrUnsupported) {
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Rename(tmp.Name(), name); err != nil {
		return err
	}
	// Make the rename durable. Not every system can sync a directory, and
	// the file is in place either way, so a failure here is not reported.
	if d, err := os.Open(filepath.Dir(name)); err == nil {
		d.Sync()
		d.Close()
	}
	return nil
}
