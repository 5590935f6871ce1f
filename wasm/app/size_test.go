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
// before it can draw, as tools/serve sends it.
const (
	maxWasmGzip        = 2_900_000 // main.wasm at gzip's best
	maxFirstLoadBrotli = 2_200_000 // everything the first visit fetches, to a browser that takes brotli
	maxFirstLoadGzip   = 3_000_000 // the same, to one that takes gzip only
)

// TestSize builds the app and the site as `make site` does and checks them
// against the budget. Builds are deterministic, so this is a test, not a
// benchmark. The first visit fetches every file of the site (the service
// worker precaches them all, both manifests included), each as served: to
// a browser that accepts brotli, its .br sibling if it has one, else its
// .gz; to one that accepts only gzip, its .gz sibling if it has one.
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
	var totalGzip, totalBrotli int
	for _, e := range entries {
		name := e.Name()
		if strings.HasSuffix(name, ".gz") || strings.HasSuffix(name, ".br") || name == "_headers" || name == ".assetsignore" {
			continue // a sibling, or the Worker's metafiles, never downloaded
		}
		b, err := os.ReadFile(filepath.Join(site, name))
		if err != nil {
			t.Fatal(err)
		}
		gzipped, brotli := len(b), len(b)
		if st, err := os.Stat(filepath.Join(site, name+".gz")); err == nil {
			gzipped, brotli = int(st.Size()), int(st.Size())
		}
		if st, err := os.Stat(filepath.Join(site, name+".br")); err == nil {
			brotli = int(st.Size())
		}
		totalGzip += gzipped
		totalBrotli += brotli
		t.Logf("%-32s %10d bytes, %9d served gzipped, %9d brotli", name, len(b), gzipped, brotli)
		if gz := gzipSize(t, b); strings.HasSuffix(name, ".wasm") && gz > maxWasmGzip {
			t.Errorf("%s is %d bytes gzipped, over the budget of %d", name, gz, maxWasmGzip)
		}
	}
	t.Logf("first load: %d bytes to a brotli browser, %d gzipped", totalBrotli, totalGzip)
	if totalBrotli > maxFirstLoadBrotli {
		t.Errorf("the first load is %d bytes to a brotli browser, over the budget of %d", totalBrotli, maxFirstLoadBrotli)
	}
	if totalGzip > maxFirstLoadGzip {
		t.Errorf("the first load is %d bytes gzipped, over the budget of %d", totalGzip, maxFirstLoadGzip)
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
