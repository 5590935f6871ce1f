package atomicfile

import (
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"testing"
)

// entries returns the sorted names in dir.
func entries(t *testing.T, dir string) []string {
	t.Helper()
	es, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range es {
		names = append(names, e.Name())
	}
	return names
}

func TestWriteFile(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	name := filepath.Join(dir, "m.safetensors")
	for _, content := range []string{"first", "second, longer than the first"} {
		if err := WriteFile(name, []byte(content)); err != nil {
			t.Fatal(err)
		}
		if b, err := os.ReadFile(name); err != nil || string(b) != content {
			t.Errorf("file holds %q (%v), want %q", b, err, content)
		}
		st, err := os.Stat(name)
		if err != nil {
			t.Fatal(err)
		}
		if runtime.GOOS != "windows" && st.Mode().Perm() != Mode {
			t.Errorf("mode %v, want %v", st.Mode().Perm(), fs.FileMode(Mode))
		}
	}
	if got := entries(t, dir); !slices.Equal(got, []string{"m.safetensors"}) {
		t.Errorf("%s holds %q, want only the file (no temporary files)", dir, got)
	}
}

// TestWriteFails checks every way a write can fail: each returns an error,
// leaves what was at the path (and beside it) as it was, and no temporary
// file behind. None of them depends on permission bits, which root ignores.
func TestWriteFails(t *testing.T) {
	t.Parallel()
	errWrite := errors.New("disk on fire")
	for _, tt := range []struct {
		name  string
		setup func(t *testing.T, dir string) string // returns the path to write
		write func(io.Writer) error
		is    error // the error wrapped, or nil for any
	}{
		{
			name: "write fails",
			setup: func(t *testing.T, dir string) string {
				return filepath.Join(dir, "old")
			},
			write: func(w io.Writer) error {
				w.Write([]byte("half"))
				return errWrite
			},
			is: errWrite,
		},
		{
			name: "over a directory",
			setup: func(t *testing.T, dir string) string {
				sub := filepath.Join(dir, "sub")
				if err := os.Mkdir(sub, 0o755); err != nil {
					t.Fatal(err)
				}
				return sub
			},
		},
		{
			name: "missing directory",
			setup: func(t *testing.T, dir string) string {
				return filepath.Join(dir, "missing", "m")
			},
			is: fs.ErrNotExist,
		},
		{
			// The temporary file cannot be created: the parent is a
			// regular file, whoever runs the test.
			name: "parent is a file",
			setup: func(t *testing.T, dir string) string {
				return filepath.Join(dir, "old", "m")
			},
		},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			if err := os.WriteFile(filepath.Join(dir, "old"), []byte("old"), 0o644); err != nil {
				t.Fatal(err)
			}
			path := tt.setup(t, dir)
			before := entries(t, dir)
			write := tt.write
			if write == nil {
				write = func(w io.Writer) error { _, err := w.Write([]byte("new")); return err }
			}
			err := Write(path, write)
			if err == nil {
				t.Fatalf("Write(%s) succeeded", path)
			}
			if tt.is != nil && !errors.Is(err, tt.is) {
				t.Errorf("Write(%s) = %v, want it to wrap %v", path, err, tt.is)
			}
			if b, err := os.ReadFile(filepath.Join(dir, "old")); err != nil || string(b) != "old" {
				t.Errorf("a failed write changed the file to %q (%v)", b, err)
			}
			if got := entries(t, dir); !slices.Equal(got, before) {
				t.Errorf("after a failed write %s holds %q, want %q", dir, got, before)
			}
		})
	}
}
