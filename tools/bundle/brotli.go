package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"os"
	"path/filepath"

	"github.com/andybalholm/brotli"

	"github.com/tegaki/tegaki/tools/internal/atomicfile"
)

// Brotli's settings for the .br siblings: its best quality, and a 16 MiB
// window, which reaches across all of main.wasm; on tegaki's 11.5 MB
// main.wasm that is 2.11 MB, against 2.14 with the default 4 MiB window,
// 2.20 at quality 10 and 2.90 for gzip's best.
const (
	brotliQuality = 11
	brotliWindow  = 24 // log2 of the window's size
)

// A brotliCache keeps brotli's output by the SHA-256 of its input, in a
// folder: its best quality takes more than a minute for main.wasm on a
// 2-core machine, and make test bundles the same app several times over.
// The output depends on the input and the settings alone, so a hit is the
// same bytes as compressing again. The zero value (no folder) keeps
// nothing.
type brotliCache struct {
	dir string
}

// defaultBrotliCache returns the cache in the user's cache folder
// ($XDG_CACHE_HOME/tegaki/brotli or ~/.cache/tegaki/brotli on Linux), or
// one that keeps nothing if there is no such folder.
func defaultBrotliCache() brotliCache {
	dir, err := os.UserCacheDir()
	if err != nil {
		return brotliCache{}
	}
	return brotliCache{filepath.Join(dir, "tegaki", "brotli")}
}

// decodesTo reports whether z is brotli for data: a cached file that is
// not (damaged, or written by hand) is compressed again.
func decodesTo(z, data []byte) bool {
	got, err := io.ReadAll(brotli.NewReader(bytes.NewReader(z)))
	return err == nil && bytes.Equal(got, data)
}

// compress returns data compressed with brotli at brotliQuality and
// brotliWindow, from the cache if it is there. A cache that cannot be read
// or written only costs the time.
func (c brotliCache) compress(data []byte) []byte {
	var path string
	if c.dir != "" {
		key := sha256.Sum256(data)
		path = filepath.Join(c.dir, hex.EncodeToString(key[:])+"-q11w24.br")
		if b, err := os.ReadFile(path); err == nil && decodesTo(b, data) {
			return b
		}
	}
	var buf bytes.Buffer
	bw := brotli.NewWriterOptions(&buf, brotli.WriterOptions{Quality: brotliQuality, LGWin: brotliWindow})
	bw.Write(data) // a bytes.Buffer does not fail
	bw.Close()
	if path != "" && os.MkdirAll(c.dir, 0o755) == nil {
		atomicfile.WriteFile(path, buf.Bytes()) // a failure costs the next build the time
	}
	return buf.Bytes()
}
