package mnisttest

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// errAny in a test case accepts any error.
var errAny = errors.New("any error")

// TestDir checks each place Dir looks. It empties PATH so the
// go command cannot run, as under WebAssembly, and points GOMODCACHE at a
// temporary module cache. Not parallel: it sets environment variables.
func TestDir(t *testing.T) {
	tmp := t.TempDir()
	file := filepath.Join(tmp, "file")
	if err := os.WriteFile(file, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	cache := filepath.Join(tmp, "cache")
	data := filepath.Join(cache, filepath.FromSlash(moduleCachePath), "data")
	if err := os.MkdirAll(data, 0o755); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name       string
		env, cache string
		want       string
		wantErr    error // errAny for any error
	}{
		{name: "env", env: tmp, cache: cache, want: tmp},
		{name: "env wins over the cache", env: tmp, cache: filepath.Join(tmp, "none"), want: tmp},
		{name: "env names no folder", env: filepath.Join(tmp, "none"), cache: cache, wantErr: fs.ErrNotExist},
		{name: "env names a file", env: file, cache: cache, wantErr: errAny},
		{name: "module cache", cache: cache, want: data},
		{name: "nowhere", cache: filepath.Join(tmp, "none"), wantErr: errAny},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv("PATH", "")
			t.Setenv(EnvDir, tt.env)
			t.Setenv("GOMODCACHE", tt.cache)
			got, err := Dir()
			switch {
			case tt.wantErr == errAny:
				if err == nil {
					t.Errorf("Dir() = %q; want an error", got)
				}
			case tt.wantErr != nil:
				if !errors.Is(err, tt.wantErr) {
					t.Errorf("Dir() = %q, %v; want %v", got, err, tt.wantErr)
				}
			case err != nil || got != tt.want:
				t.Errorf("Dir() = %q, %v; want %q", got, err, tt.want)
			}
			if err != nil && !strings.Contains(err.Error(), EnvDir) {
				t.Errorf("Dir() err = %q; want it to mention %s", err, EnvDir)
			}
		})
	}
}
