package main

import (
	"fmt"
	"log"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
)

// Example shows what a browser that accepts gzip and Brotli gets for the
// page, for main.wasm and for a script with a content hash in its name.
func Example() {
	dir, err := os.MkdirTemp("", "site")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	for name, content := range map[string]string{
		"index.html":      "<!doctype html><title>tegaki</title>",
		"main.wasm":       "\x00asm\x01\x00\x00\x00" + strings.Repeat("code", 1000),
		"app.3f9a2c1b.js": strings.Repeat("console.log(1);\n", 100),
	} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			log.Fatal(err)
		}
	}

	h, err := newHandler(dir)
	if err != nil {
		log.Fatal(err)
	}
	for _, path := range []string{"/", "/main.wasm", "/app.3f9a2c1b.js", "/.env", "/../etc/passwd"} {
		req := httptest.NewRequest("GET", path, nil)
		req.Header.Set("Accept-Encoding", "gzip, deflate, br")
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		fmt.Printf("%-16s %d %s", path, rec.Code, rec.Header().Get("Content-Type"))
		if rec.Code == 200 {
			fmt.Printf(" | %s | encoding %q", rec.Header().Get("Cache-Control"), rec.Header().Get("Content-Encoding"))
		}
		fmt.Println()
	}
	// Output:
	// /                200 text/html; charset=utf-8 | no-cache | encoding ""
	// /main.wasm       200 application/wasm | no-cache | encoding "gzip"
	// /app.3f9a2c1b.js 200 text/javascript; charset=utf-8 | public, max-age=31536000, immutable | encoding "gzip"
	// /.env            404 text/plain; charset=utf-8
	// /../etc/passwd   404 text/plain; charset=utf-8
}
