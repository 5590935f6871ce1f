package main

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"path"
	"strings"
)

// hashLen is the number of hex digits of SHA-256 put in a file name: 32 bits
// tell a site's few dozen versions of a file apart, and tools/serve caches
// names with 8 or more hex digits as immutable.
const hashLen = 8

// hashedName returns name with the content hash of data before its
// extension: main.wasm becomes main.3f2a9c1b.wasm.
func hashedName(name string, data []byte) string {
	sum := sha256.Sum256(data)
	h := hex.EncodeToString(sum[:])[:hashLen]
	ext := path.Ext(name)
	if ext == "" || ext == name || strings.HasSuffix(name, "/"+ext) {
		return name + "." + h
	}
	return strings.TrimSuffix(name, ext) + "." + h + ext
}

// mediaTypes are the types of the files a page is made of, for data: URLs.
var mediaTypes = map[string]string{
	".css":         "text/css",
	".html":        "text/html",
	".ico":         "image/x-icon",
	".js":          "text/javascript",
	".json":        "application/json",
	".mjs":         "text/javascript",
	".png":         "image/png",
	".svg":         "image/svg+xml",
	".txt":         "text/plain",
	".wasm":        "application/wasm",
	".webmanifest": "application/manifest+json",
	".webp":        "image/webp",
	".woff2":       "font/woff2",
}

// mediaType returns the media type of a file from its extension, or
// application/octet-stream.
func mediaType(name string) string {
	if t, ok := mediaTypes[strings.ToLower(path.Ext(name))]; ok {
		return t
	}
	return "application/octet-stream"
}

// compressible reports whether a file is worth compressing: text and wasm,
// not images (other than SVG) or fonts, which are compressed already.
func compressible(name string) bool {
	switch strings.ToLower(path.Ext(name)) {
	case ".css", ".html", ".js", ".json", ".mjs", ".svg", ".txt", ".wasm", ".webmanifest":
		return true
	}
	return false
}

// minCompress is the smallest file given a precompressed .gz sibling: below
// it the gzip header and the extra request for a file cost more than the
// bytes saved.
const minCompress = 1024

// gzipBest returns data gzipped at the best compression level.
func gzipBest(data []byte) []byte {
	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression) // the level is valid
	zw.Write(data)                                           // a bytes.Buffer does not fail
	zw.Close()
	return buf.Bytes()
}
