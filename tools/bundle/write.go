package main

import (
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"
)

// writeDir replaces the directory dir with one holding files (by
// slash-separated name). The new directory is written beside dir under a
// temporary name and then swapped in with two renames, so a server sees
// the old site or the new one, and a failure leaves the old one as it was.
// Every file gets the same modification time, so that tools/serve, which
// only sends a .gz sibling at least as new as its file, sends them all.
func writeDir(dir string, files map[string][]byte) error {
	if st, err := os.Stat(dir); err == nil && !st.IsDir() {
		return fmt.Errorf("%s exists and is not a directory", dir)
	}
	parent := filepath.Dir(filepath.Clean(dir))
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return err
	}
	tmp, err := os.MkdirTemp(parent, "."+filepath.Base(dir)+".new*")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp) // after a successful swap, it no longer exists
	if err := os.Chmod(tmp, 0o755); err != nil {
		return err
	}
	now := time.Now()
	for _, name := range slices.Sorted(maps.Keys(files)) {
		if !fs.ValidPath(name) || strings.Contains(name, "\\") {
			return fmt.Errorf("bad output file name %q", name)
		}
		path := filepath.Join(tmp, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(path, files[name], 0o644); err != nil {
			return err
		}
		if err := os.Chtimes(path, now, now); err != nil {
			return err
		}
	}
	old := ""
	if _, err := os.Stat(dir); err == nil {
		old = tmp + ".old"
		if err := os.Rename(dir, old); err != nil {
			return err
		}
	} else if !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	if err := os.Rename(tmp, dir); err != nil {
		if old != "" {
			os.Rename(old, dir) // put the old site back
		}
		return err
	}
	if old != "" {
		return os.RemoveAll(old)
	}
	return nil
}
