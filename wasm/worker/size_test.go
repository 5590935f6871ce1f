//go:build !(js && wasm)

package main

import (
	"bytes"
	"compress/gzip"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// maxWasmGzip is the most the Worker's wasm may weigh, gzipped at gzip's
// best: the free plan's historical 3 MB limit on a Worker, which is
// measured compressed. Wrangler uploads the module as it is; the limit
// counts its compressed size.
const maxWasmGzip = 3_000_000

// TestSize builds the Worker as `make worker` does and checks its size.
// Builds are deterministic, so this is a test, not a benchmark.
func TestSize(t *testing.T) {
	wasm := filepath.Join(t.TempDir(), "app.wasm")
	cmd := exec.Command("go", "build", "-trimpath", "-ldflags=-s -w", "-o", wasm, ".")
	cmd.Env = append(os.Environ(), "GOOS=js", "GOARCH=wasm")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	b, err := os.ReadFile(wasm)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	zw.Write(b)
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	t.Logf("app.wasm: %d bytes, %d gzipped (limit %d)", len(b), buf.Len(), maxWasmGzip)
	if buf.Len() > maxWasmGzip {
		t.Errorf("app.wasm is %d bytes gzipped, over the limit of %d", buf.Len(), maxWasmGzip)
	}
}
