//go:build !(js && wasm)

package main

import (
	"bytes"
	"compress/gzip"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"testing"
)

// The download budget of the page: what a phone on a slow link fetches
// before it can draw. Sizes are gzip's at its best compression, as served.
const (
	maxWasmGzip      = 3_000_000 // main.wasm
	maxFirstLoadGzip = 3_500_000 // everything the first visit fetches
)

// TestSize builds the app as `make site` does and checks it against the
// budget. Builds are deterministic, so this is a test, not a benchmark.
func TestSize(t *testing.T) {
	dir := t.TempDir()
	wasm := filepath.Join(dir, "main.wasm")
	cmd := exec.Command("go", "build", "-trimpath", "-ldflags=-s -w", "-o", wasm, ".")
	cmd.Env = append(os.Environ(), "GOOS=js", "GOARCH=wasm")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	files := map[string]string{
		"main.wasm":    wasm,
		"wasm_exec.js": filepath.Join(runtime.GOROOT(), "lib", "wasm", "wasm_exec.js"),
		"index.html":   "../../site/index.html",
		"main.js":      "../../site/main.js",
	}
	// Whatever else index.html links to is part of the first load too.
	html, err := os.ReadFile(files["index.html"])
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range regexp.MustCompile(`(?:src|href)="([^":]+)"`).FindAllSubmatch(html, -1) {
		if name := string(m[1]); files[name] == "" {
			files[name] = filepath.Join("../../site", name)
		}
	}
	var total int
	for name, path := range files {
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		gz := gzipSize(t, b)
		total += gz
		t.Logf("%-14s %10d bytes, %9d gzipped", name, len(b), gz)
		if name == "main.wasm" && gz > maxWasmGzip {
			t.Errorf("main.wasm is %d bytes gzipped, over the budget of %d", gz, maxWasmGzip)
		}
	}
	t.Logf("first load: %d bytes gzipped", total)
	if total > maxFirstLoadGzip {
		t.Errorf("the first load is %d bytes gzipped, over the budget of %d", total, maxFirstLoadGzip)
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
