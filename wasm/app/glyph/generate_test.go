//go:build !js

package glyph

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// TestGenerated checks that outlines.go is what gen.go writes from the
// fonts and the catalog, so that a changed catalog is rebaked and nobody
// edits the outlines by hand. It needs Debian's fonts-noto-cjk, as go
// generate does (.ci/run installs it). (Not under js/wasm, which cannot
// run the go command.)
func TestGenerated(t *testing.T) {
	out := filepath.Join(t.TempDir(), "outlines.go")
	cmd := exec.Command("go", "run", "gen.go", "-o", out)
	cmd.Env = append(os.Environ(), "GOOS=", "GOARCH=")
	if msg, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go run gen.go: %v\n%s", err, msg)
	}
	got, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	want, err := os.ReadFile("outlines.go")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Error("outlines.go differs from what gen.go generates: run go generate ./wasm/app/glyph")
	}
}
