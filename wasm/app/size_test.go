//go:build !(js && wasm)

package main

import (
	"bytes"
	"compress/gzip"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// The download budget of the page: what a phone on a slow link fetches
// before it can draw. Sizes are gzip's at its best compression, as served.
const (
	maxWasmGzip      = 3_000_000 // main.wasm
	maxFirstLoadGzip = 3_500_000 // everything the first visit fetches
)

// TestSize builds the app and the site as `make site` does and checks them
// against the budget. Builds are deterministic, so this is a test, not a
// benchmark. The first visit fetches every file of the site (the service
// worker precaches them all), each as served: its .gz sibling if it has one.
func TestSize(t *testing.T) {
	dir := t.TempDir()
	wasm := filepath.Join(dir, "main.wasm")
	cmd := exec.Command("go", "build", "-trimpath", "-ldflags=-s -w", "-o", wasm, ".")
	cmd.Env = append(os.Environ(), "GOOS=js", "GOARCH=wasm")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	site := filepath.Join(dir, "site")
	bundle := exec.Command("go", "run", "../../tools/bundle", "-site", "../../site", "-wasm", wasm,
		"-wasm-exec", filepath.Join(runtime.GOROOT(), "lib", "wasm", "wasm_exec.js"), "-o", site, "-single", "")
	if out, err := bundle.CombinedOutput(); err != nil {
		t.Fatalf("bundle: %v\n%s", err, out)
	}
	entries, err := os.ReadDir(site)
	if err != nil {
		t.Fatal(err)
	}
	var total int
	for _, e := range entries {
		name := e.Name()
		if strings.HasSuffix(name, ".gz") || name == "_headers" || name == ".assetsignore" {
			continue // a sibling, or the Worker's metafiles, never downloaded
		}
		b, err := os.ReadFile(filepath.Join(site, name))
		if err != nil {
			t.Fatal(err)
		}
		served := len(b)
		if st, err := os.Stat(filepath.Join(site, name+".gz")); err == nil {
			served = int(st.Size())
		}
		total += served
		t.Logf("%-32s %10d bytes, %9d served", name, len(b), served)
		if gz := gzipSize(t, b); strings.HasSuffix(name, ".wasm") && gz > maxWasmGzip {
			t.Errorf("%s is %d bytes gzipped, over the budget of %d", name, gz, maxWasmGzip)
		}
	}
	t.Logf("first load: %d bytes", total)
	if total > maxFirstLoadGzip {
		t.Errorf("the first load is %d bytes, over the budget of %d", total, maxFirstLoadGzip)
	}
}

func gzipSize(t *testing.T, b []byte) int {
	var buf bytes.Buffer
	zw, err := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	if err != nil {
		t.Fatal(err)
	}
	zw.Write(b)
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Len()
}
