package main

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// siteTime is the modification time of every file in the test site, so that
// Last-Modified is predictable and precompressed siblings count as fresh.
var siteTime = time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)

// wasmMagic starts every WebAssembly module: "\0asm" and version 1.
const wasmMagic = "\x00asm\x01\x00\x00\x00"

// pngMagic starts every PNG file.
const pngMagic = "\x89PNG\r\n\x1a\n"

// siteFiles is the content of the test site. The files that may be gzipped
// are longer than minGzipSize; sw.js is shorter on purpose.
var siteFiles = map[string]string{
	"index.html":           "<!doctype html>\n<title>tegaki</title>\n" + strings.Repeat("<p>draw a digit</p>\n", 30),
	"main.wasm":            wasmMagic + strings.Repeat("\x01\x02\x03\x04 wasm code ", 400),
	"app.3f9a2c1b.js":      strings.Repeat("console.log('hashed');\n", 30),
	"app.3f9a2c1.js":       strings.Repeat("console.log('seven hex digits: not a hash');\n", 30),
	"mod.mjs":              "export const x = 1;\n",
	"sw.js":                "self.addEventListener('fetch', () => {});\n",
	"style.css":            strings.Repeat("body { touch-action: none; }\n", 30),
	"stale.css":            strings.Repeat("canvas { width: 100%; }\n", 30),
	"data.json":            `{"digits": [` + strings.Repeat("0, 1, 2, 3, 4, 5, 6, 7, 8, 9, ", 30) + "0]}",
	"manifest.webmanifest": strings.Repeat(`{"name": "tegaki", "display": "standalone"}`, 10),
	"icon.svg":             `<svg xmlns="http://www.w3.org/2000/svg"><circle r="1"/></svg>`,
	"favicon.ico":          "\x00\x00\x01\x00ico",
	"logo.png":             pngMagic + strings.Repeat("\x00png", 200),
	"notes.txt":            strings.Repeat("notes\n", 100),
	"LICENSE":              "Plain text with no extension, sniffed as text.\n",
	"blob":                 pngMagic + "no extension, sniffed as PNG",
	"sub/index.html":       "<!doctype html><title>sub</title>",
	"sub/page.txt":         "a page in a subdirectory",
	".env":                 "SECRET=dotfile",
	".git/config":          "SECRET=dot-directory",
	"sub/.hidden":          "SECRET=nested dotfile",
	"_headers":             "SECRET=Cloudflare's header rules",
	"_redirects":           "SECRET=Cloudflare's redirects",
	// Not real Brotli: the server sends siblings as they are, and the test
	// checks that these exact bytes arrive.
	"style.css.br": "brotli bytes of style.css",
	"stale.css.br": "SECRET=stale brotli bytes of an older stale.css",
}

// newSite writes the test site into a temporary directory and returns its
// path. Next to the site (outside it) lies secret.txt, which symbolic links
// inside the site point to.
func newSite(t *testing.T) string {
	t.Helper()
	parent := t.TempDir()
	dir := filepath.Join(parent, "site")
	for name, content := range siteFiles {
		write(t, filepath.Join(dir, name), []byte(content))
	}
	// data.json.gz is a real gzip file whose header names it, so its bytes
	// differ from what the server would make on the fly.
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Name = "precompressed data.json"
	zw.Write([]byte(siteFiles["data.json"]))
	zw.Close()
	write(t, filepath.Join(dir, "data.json.gz"), gz.Bytes())
	if err := os.Mkdir(filepath.Join(dir, "empty"), 0o755); err != nil {
		t.Fatal(err)
	}
	write(t, filepath.Join(parent, "secret.txt"), []byte("SECRET=outside the site"))

	for link, target := range map[string]string{
		"alias.css":      "style.css",                         // inside: allowed
		"escape-abs.txt": filepath.Join(parent, "secret.txt"), // absolute, outside
		"escape-rel.txt": "../secret.txt",                     // relative, outside
		"outdir":         "..",                                // a directory outside
	} {
		if err := os.Symlink(target, filepath.Join(dir, link)); err != nil {
			t.Fatal(err)
		}
	}
	// stale.css.br is older than stale.css: a rebuild that did not
	// recompress.
	if err := os.Chtimes(filepath.Join(dir, "stale.css.br"), siteTime.Add(-time.Hour), siteTime.Add(-time.Hour)); err != nil {
		t.Fatal(err)
	}
	return dir
}

// write writes a file with siteTime as its modification time, creating its
// directory as needed.
func write(t *testing.T, name string, data []byte) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(name, data, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Chtimes(name, siteTime, siteTime); err != nil {
		t.Fatal(err)
	}
}

// siteHandler returns newHandler for a fresh test site, and the site's path.
func siteHandler(t *testing.T) (http.Handler, string) {
	t.Helper()
	dir := newSite(t)
	h, err := newHandler(dir)
	if err != nil {
		t.Fatal(err)
	}
	return h, dir
}

// do sends a request with the given headers ("Name: value") to h and returns
// the response with its body read.
func do(t *testing.T, h http.Handler, method, target string, headers ...string) (*http.Response, []byte) {
	t.Helper()
	req := httptest.NewRequest(method, target, nil)
	for _, kv := range headers {
		k, v, ok := strings.Cut(kv, ":")
		if !ok {
			t.Fatalf("bad header %q", kv)
		}
		req.Header.Set(k, strings.TrimSpace(v))
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	resp := rec.Result()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, body
}

// gunzip returns the decompressed data, or fails the test.
func gunzip(t *testing.T, data []byte) []byte {
	t.Helper()
	zr, err := gzip.NewReader(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("gunzip: %v", err)
	}
	out, err := io.ReadAll(zr)
	if err != nil {
		t.Fatalf("gunzip: %v", err)
	}
	return out
}

// strongETag returns the ETag the server gives content.
func strongETag(content string) string {
	sum := sha256.Sum256([]byte(content))
	return `"` + hex.EncodeToString(sum[:]) + `"`
}

func TestContentType(t *testing.T) {
	h, _ := siteHandler(t)
	for _, tt := range []struct {
		path, want string
	}{
		{"/", "text/html; charset=utf-8"},
		{"/index.html", "text/html; charset=utf-8"},
		{"/main.wasm", "application/wasm"},
		{"/app.3f9a2c1b.js", "text/javascript; charset=utf-8"},
		{"/mod.mjs", "text/javascript; charset=utf-8"},
		{"/style.css", "text/css; charset=utf-8"},
		{"/data.json", "application/json"},
		{"/manifest.webmanifest", "application/manifest+json"},
		{"/icon.svg", "image/svg+xml"},
		{"/logo.png", "image/png"},
		{"/favicon.ico", "image/x-icon"},
		{"/notes.txt", "text/plain; charset=utf-8"},
		{"/LICENSE", "text/plain; charset=utf-8"}, // sniffed
		{"/blob", "image/png"},                    // sniffed
	} {
		t.Run(tt.path, func(t *testing.T) {
			resp, _ := do(t, h, "GET", tt.path)
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("GET %s: status %d, want 200", tt.path, resp.StatusCode)
			}
			if got := resp.Header.Get("Content-Type"); got != tt.want {
				t.Errorf("GET %s: Content-Type %q, want %q", tt.path, got, tt.want)
			}
			if got := resp.Header.Get("X-Content-Type-Options"); got != "nosniff" {
				t.Errorf("GET %s: X-Content-Type-Options %q, want nosniff", tt.path, got)
			}
		})
	}
}

func TestCompression(t *testing.T) {
	h, dir := siteHandler(t)
	gzSibling, err := os.ReadFile(filepath.Join(dir, "data.json.gz"))
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name, path, acceptEncoding string
		rangeHeader                string
		wantEncoding               string // "" for none
		wantRaw                    string // if set, the exact bytes sent
		file                       string // the file the decoded body must equal
	}{
		{"gzip on the fly", "/style.css", "gzip", "", "gzip", "", "style.css"},
		{"brotli sibling preferred", "/style.css", "gzip, deflate, br, zstd", "", "br", siteFiles["style.css.br"], "style.css"},
		{"brotli refused with q=0", "/style.css", "br;q=0, gzip", "", "gzip", "", "style.css"},
		{"wildcard takes brotli", "/style.css", "*", "", "br", siteFiles["style.css.br"], "style.css"},
		{"wildcard but not brotli", "/style.css", "*, br;q=0", "", "gzip", "", "style.css"},
		{"identity only", "/style.css", "identity", "", "", "", "style.css"},
		{"no Accept-Encoding", "/style.css", "", "", "", "", "style.css"},
		{"gzip refused", "/style.css", "gzip;q=0", "", "", "", "style.css"},
		{"wasm gzipped", "/main.wasm", "gzip, br", "", "gzip", "", "main.wasm"},
		{"hashed js gzipped", "/app.3f9a2c1b.js", "gzip", "", "gzip", "", "app.3f9a2c1b.js"},
		{"json and manifest gzipped", "/manifest.webmanifest", "gzip", "", "gzip", "", "manifest.webmanifest"},
		{"gzip sibling", "/data.json", "gzip, br", "", "gzip", string(gzSibling), "data.json"},
		{"stale brotli sibling ignored", "/stale.css", "br, gzip", "", "gzip", "", "stale.css"},
		{"directory index gzipped", "/", "gzip", "", "gzip", "", "index.html"},
		{"png not compressed", "/logo.png", "gzip", "", "", "", "logo.png"},
		{"small file not compressed", "/sw.js", "gzip", "", "", "", "sw.js"},
		{"range uncompressed", "/style.css", "gzip, br", "bytes=0-3", "", siteFiles["style.css"][:4], ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			headers := []string{"Accept-Encoding: " + tt.acceptEncoding}
			if tt.rangeHeader != "" {
				headers = append(headers, "Range: "+tt.rangeHeader)
			}
			resp, body := do(t, h, "GET", tt.path, headers...)
			if resp.StatusCode/100 != 2 {
				t.Fatalf("status %d, want 2xx", resp.StatusCode)
			}
			if got := resp.Header.Get("Content-Encoding"); got != tt.wantEncoding {
				t.Errorf("Content-Encoding %q, want %q", got, tt.wantEncoding)
			}
			if got := resp.Header.Get("Vary"); got != "Accept-Encoding" {
				t.Errorf("Vary %q, want Accept-Encoding", got)
			}
			if tt.wantRaw != "" && string(body) != tt.wantRaw {
				t.Errorf("body %q, want %q", body, tt.wantRaw)
			}
			if tt.file == "" {
				return
			}
			want := siteFiles[tt.file]
			decoded := body
			if tt.wantEncoding == "gzip" {
				decoded = gunzip(t, body)
			}
			if tt.wantEncoding != "br" && string(decoded) != want {
				t.Errorf("decoded body differs from %s (%d bytes, want %d)", tt.file, len(decoded), len(want))
			}
			xdl := resp.Header.Get("X-Decoded-Length")
			switch {
			case tt.wantEncoding == "" && xdl != "":
				t.Errorf("X-Decoded-Length %q on an uncompressed response", xdl)
			case tt.wantEncoding != "" && xdl != strconv.Itoa(len(want)):
				t.Errorf("X-Decoded-Length %q, want %d", xdl, len(want))
			}
			if cl := resp.Header.Get("Content-Length"); cl != strconv.Itoa(len(body)) {
				t.Errorf("Content-Length %q, body has %d bytes", cl, len(body))
			}
		})
	}
}

func TestCacheControl(t *testing.T) {
	h, _ := siteHandler(t)
	for _, tt := range []struct {
		path, acceptEncoding, want string
	}{
		{"/app.3f9a2c1b.js", "", immutable},
		{"/app.3f9a2c1b.js", "gzip", immutable},
		{"/app.3f9a2c1.js", "", "no-cache"}, // seven hex digits: not a hash
		{"/", "", "no-cache"},
		{"/index.html", "gzip", "no-cache"},
		{"/main.wasm", "", "no-cache"},
		{"/main.wasm", "gzip", "no-cache"},
		{"/sw.js", "", "no-cache"},
		{"/manifest.webmanifest", "", "no-cache"},
		{"/style.css", "br", "no-cache"},
	} {
		t.Run(tt.path+" "+tt.acceptEncoding, func(t *testing.T) {
			resp, _ := do(t, h, "GET", tt.path, "Accept-Encoding: "+tt.acceptEncoding)
			if got := resp.Header.Get("Cache-Control"); got != tt.want {
				t.Errorf("Cache-Control %q, want %q", got, tt.want)
			}
			if etag := resp.Header.Get("ETag"); !strings.HasPrefix(etag, `"`) {
				t.Errorf("ETag %q, want a strong entity tag", etag)
			}
		})
	}
}

func TestHashedName(t *testing.T) {
	for _, tt := range []struct {
		name string
		want bool
	}{
		{"app.3f9a2c1b.js", true},
		{"main.0123456789abcdef0123456789abcdef.wasm", true},
		{"style.DEADBEEF.css", true},
		{"app.3f9a2c1.js", false},  // too short
		{"app.3f9a2c1g.js", false}, // not hex
		{"app-3f9a2c1b.js", false}, // the hash must sit between dots
		{"3f9a2c1b.js", false},     // no name before it
		{"app.3f9a2c1b", false},    // no extension after it
		{".3f9a2c1b.js", false},
		{"main.wasm", false},
		{"index.html", false},
	} {
		if got := hashedName.MatchString(tt.name); got != tt.want {
			t.Errorf("hashedName.MatchString(%q) = %v, want %v", tt.name, got, tt.want)
		}
	}
}

func TestETag(t *testing.T) {
	h, _ := siteHandler(t)
	plain := strongETag(siteFiles["index.html"])
	gzipped := strings.TrimSuffix(plain, `"`) + `-gzip"`
	br := strongETag(siteFiles["style.css.br"])
	for _, tt := range []struct {
		name, path, acceptEncoding, ifNoneMatch string
		wantETag                                string
		wantStatus                              int
	}{
		{"no condition", "/index.html", "", "", plain, http.StatusOK},
		{"match", "/index.html", "", plain, plain, http.StatusNotModified},
		{"match via directory", "/", "", plain, plain, http.StatusNotModified},
		{"match in a list", "/index.html", "", `"other", ` + plain, plain, http.StatusNotModified},
		{"weak match", "/index.html", "", "W/" + plain, plain, http.StatusNotModified},
		{"star", "/index.html", "", "*", plain, http.StatusNotModified},
		{"no match", "/index.html", "", `"other"`, plain, http.StatusOK},
		{"gzip has its own tag", "/index.html", "gzip", "", gzipped, http.StatusOK},
		{"gzip match", "/index.html", "gzip", gzipped, gzipped, http.StatusNotModified},
		{"identity tag does not match gzip", "/index.html", "gzip", plain, gzipped, http.StatusOK},
		{"brotli sibling's tag", "/style.css", "br", br, br, http.StatusNotModified},
		{"hashed file", "/app.3f9a2c1b.js", "", strongETag(siteFiles["app.3f9a2c1b.js"]),
			strongETag(siteFiles["app.3f9a2c1b.js"]), http.StatusNotModified},
	} {
		t.Run(tt.name, func(t *testing.T) {
			headers := []string{"Accept-Encoding: " + tt.acceptEncoding}
			if tt.ifNoneMatch != "" {
				headers = append(headers, "If-None-Match: "+tt.ifNoneMatch)
			}
			resp, body := do(t, h, "GET", tt.path, headers...)
			if resp.StatusCode != tt.wantStatus {
				t.Fatalf("status %d, want %d", resp.StatusCode, tt.wantStatus)
			}
			if got := resp.Header.Get("ETag"); got != tt.wantETag {
				t.Errorf("ETag %s, want %s", got, tt.wantETag)
			}
			if resp.StatusCode == http.StatusNotModified {
				if len(body) != 0 {
					t.Errorf("304 with a %d-byte body", len(body))
				}
				if resp.Header.Get("Cache-Control") == "" || resp.Header.Get("Vary") == "" {
					t.Errorf("304 lacks Cache-Control or Vary: %v", resp.Header)
				}
			}
		})
	}
}

// TestRedeploy checks that a changed file is served at once, with a new ETag,
// although the old ETag and gzipped body were cached.
func TestRedeploy(t *testing.T) {
	h, dir := siteHandler(t)
	for _, ae := range []string{"", "gzip"} {
		do(t, h, "GET", "/index.html", "Accept-Encoding: "+ae) // fill the caches
	}
	const redeployed = "<!doctype html><title>tegaki, redeployed</title>" +
		"<p>long enough to be gzipped, long enough to be gzipped, long enough to be gzipped, " +
		"long enough to be gzipped, long enough to be gzipped, long enough to be gzipped, " +
		"long enough to be gzipped, long enough to be gzipped, long enough to be gzipped.</p>"
	name := filepath.Join(dir, "index.html")
	if err := os.WriteFile(name, []byte(redeployed), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Chtimes(name, siteTime.Add(time.Minute), siteTime.Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	old := strongETag(siteFiles["index.html"])
	resp, body := do(t, h, "GET", "/", "If-None-Match: "+old)
	if resp.StatusCode != http.StatusOK || string(body) != redeployed {
		t.Errorf("after redeploy: status %d, body %q; want 200 and the new page", resp.StatusCode, body)
	}
	if got, want := resp.Header.Get("ETag"), strongETag(redeployed); got != want {
		t.Errorf("after redeploy: ETag %s, want %s", got, want)
	}
	resp, body = do(t, h, "GET", "/", "Accept-Encoding: gzip")
	if got := string(gunzip(t, body)); got != redeployed {
		t.Errorf("after redeploy: gzipped body %q, want the new page", got)
	}
	if resp.Header.Get("X-Decoded-Length") != strconv.Itoa(len(redeployed)) {
		t.Errorf("after redeploy: X-Decoded-Length %s, want %d", resp.Header.Get("X-Decoded-Length"), len(redeployed))
	}
}

func TestHead(t *testing.T) {
	h, _ := siteHandler(t)
	for _, tt := range []struct {
		path, acceptEncoding string
		wantEncoding         string
		wantLength           int // -1: no Content-Length check
	}{
		{"/main.wasm", "", "", len(siteFiles["main.wasm"])},
		{"/", "", "", len(siteFiles["index.html"])},
		{"/main.wasm", "gzip", "gzip", -1},
		{"/style.css", "br", "br", len(siteFiles["style.css.br"])},
	} {
		t.Run(tt.path+" "+tt.acceptEncoding, func(t *testing.T) {
			resp, body := do(t, h, "HEAD", tt.path, "Accept-Encoding: "+tt.acceptEncoding)
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("HEAD %s: status %d, want 200", tt.path, resp.StatusCode)
			}
			if len(body) != 0 {
				t.Errorf("HEAD %s: %d-byte body, want none", tt.path, len(body))
			}
			if got := resp.Header.Get("Content-Encoding"); got != tt.wantEncoding {
				t.Errorf("HEAD %s: Content-Encoding %q, want %q", tt.path, got, tt.wantEncoding)
			}
			if tt.wantLength >= 0 && resp.Header.Get("Content-Length") != strconv.Itoa(tt.wantLength) {
				t.Errorf("HEAD %s: Content-Length %q, want %d", tt.path, resp.Header.Get("Content-Length"), tt.wantLength)
			}
			if resp.Header.Get("ETag") == "" || resp.Header.Get("Content-Type") == "" {
				t.Errorf("HEAD %s: headers lack ETag or Content-Type: %v", tt.path, resp.Header)
			}
		})
	}
}

func TestRange(t *testing.T) {
	h, _ := siteHandler(t)
	wasm := siteFiles["main.wasm"]
	for _, tt := range []struct {
		rangeHeader, acceptEncoding string
		wantStatus                  int
		wantBody                    string
	}{
		{"bytes=0-3", "", http.StatusPartialContent, wasm[:4]},
		{"bytes=4-7", "gzip, br", http.StatusPartialContent, wasm[4:8]},
		{"bytes=-5", "gzip", http.StatusPartialContent, wasm[len(wasm)-5:]},
		{"bytes=100000-", "", http.StatusRequestedRangeNotSatisfiable, ""},
	} {
		t.Run(tt.rangeHeader, func(t *testing.T) {
			resp, body := do(t, h, "GET", "/main.wasm", "Range: "+tt.rangeHeader, "Accept-Encoding: "+tt.acceptEncoding)
			if resp.StatusCode != tt.wantStatus {
				t.Fatalf("Range %s: status %d, want %d", tt.rangeHeader, resp.StatusCode, tt.wantStatus)
			}
			if tt.wantStatus == http.StatusPartialContent && string(body) != tt.wantBody {
				t.Errorf("Range %s: body %q, want %q", tt.rangeHeader, body, tt.wantBody)
			}
			if got := resp.Header.Get("Content-Encoding"); got != "" {
				t.Errorf("Range %s: Content-Encoding %q, want none", tt.rangeHeader, got)
			}
		})
	}
}

func TestNotFound(t *testing.T) {
	h, _ := siteHandler(t)
	for _, path := range []string{
		"/missing.js",
		"/sub/missing.txt",
		"/.env",
		"/.git/config",
		"/.git/",
		"/sub/.hidden",
		"/_headers",
		"/_redirects",
		"/sub/../.env",
		"/../secret.txt",
		"/sub/../../secret.txt",
		"/%2e%2e/secret.txt",
		"/..%2fsecret.txt",
		"/escape-abs.txt",
		"/escape-rel.txt",
		"/outdir/secret.txt",
		"/outdir/",
		"/empty/",           // a directory without index.html is not listed
		"/style.css/",       // a file is not a directory
		"/index.html%00.js", // NUL
	} {
		t.Run(path, func(t *testing.T) {
			resp, body := do(t, h, "GET", path)
			if resp.StatusCode != http.StatusNotFound {
				t.Errorf("GET %s: status %d, want 404", path, resp.StatusCode)
			}
			if bytes.Contains(body, []byte("SECRET")) {
				t.Errorf("GET %s: body reveals %q", path, body)
			}
			if got := resp.Header.Get("X-Content-Type-Options"); got != "nosniff" {
				t.Errorf("GET %s: X-Content-Type-Options %q, want nosniff", path, got)
			}
		})
	}
}

func TestDirectories(t *testing.T) {
	h, _ := siteHandler(t)
	for _, tt := range []struct {
		path         string
		wantStatus   int
		wantBody     string // for 200
		wantLocation string // for 301
	}{
		{"/", http.StatusOK, siteFiles["index.html"], ""},
		{"/index.html", http.StatusOK, siteFiles["index.html"], ""},
		{"/sub/", http.StatusOK, siteFiles["sub/index.html"], ""},
		{"/sub/page.txt", http.StatusOK, siteFiles["sub/page.txt"], ""},
		{"/sub", http.StatusMovedPermanently, "", "/sub/"},
		{"/sub?lang=ja", http.StatusMovedPermanently, "", "/sub/?lang=ja"},
		{"/empty", http.StatusMovedPermanently, "", "/empty/"},
		{"/alias.css", http.StatusOK, siteFiles["style.css"], ""}, // a link inside the site
	} {
		t.Run(tt.path, func(t *testing.T) {
			resp, body := do(t, h, "GET", tt.path)
			if resp.StatusCode != tt.wantStatus {
				t.Fatalf("GET %s: status %d, want %d", tt.path, resp.StatusCode, tt.wantStatus)
			}
			if tt.wantStatus == http.StatusOK && string(body) != tt.wantBody {
				t.Errorf("GET %s: body %q, want %q", tt.path, body, tt.wantBody)
			}
			if got := resp.Header.Get("Location"); got != tt.wantLocation {
				t.Errorf("GET %s: Location %q, want %q", tt.path, got, tt.wantLocation)
			}
		})
	}
}

func TestMethodNotAllowed(t *testing.T) {
	h, _ := siteHandler(t)
	for _, method := range []string{"POST", "PUT", "DELETE", "PATCH", "OPTIONS"} {
		t.Run(method, func(t *testing.T) {
			resp, _ := do(t, h, method, "/index.html")
			if resp.StatusCode != http.StatusMethodNotAllowed {
				t.Errorf("%s: status %d, want 405", method, resp.StatusCode)
			}
			if got := resp.Header.Get("Allow"); got != "GET, HEAD" {
				t.Errorf("%s: Allow %q, want %q", method, got, "GET, HEAD")
			}
		})
	}
}

func TestWithCSP(t *testing.T) {
	for _, forbidden := range []string{"'unsafe-inline'", "'unsafe-eval'", "*"} {
		if strings.Contains(defaultCSP, forbidden) {
			t.Errorf("defaultCSP allows %s: %s", forbidden, defaultCSP)
		}
	}
	if !strings.Contains(defaultCSP, "script-src 'self' 'wasm-unsafe-eval'") {
		t.Errorf("defaultCSP does not let the page's scripts compile WebAssembly: %s", defaultCSP)
	}
	site, _ := siteHandler(t)
	for _, tt := range []struct {
		name, policy, path string
	}{
		{"default", defaultCSP, "/"},
		{"default on 404", defaultCSP, "/missing"},
		{"custom", "default-src 'none'", "/"},
		{"none", "", "/"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			resp, _ := do(t, withCSP(tt.policy, site), "GET", tt.path)
			got, ok := resp.Header["Content-Security-Policy"]
			switch {
			case tt.policy == "" && ok:
				t.Errorf("Content-Security-Policy %q, want none", got)
			case tt.policy != "" && resp.Header.Get("Content-Security-Policy") != tt.policy:
				t.Errorf("Content-Security-Policy %q, want %q", got, tt.policy)
			}
		})
	}
}

func TestLogRequests(t *testing.T) {
	site, _ := siteHandler(t)
	var log bytes.Buffer
	h := logRequests(site, &log)
	do(t, h, "GET", "/sub/page.txt")
	do(t, h, "GET", "/missing")
	do(t, h, "GET", "/", "If-None-Match: *")
	lines := strings.Split(strings.TrimSpace(log.String()), "\n")
	want := []string{
		"GET /sub/page.txt 200 " + strconv.Itoa(len(siteFiles["sub/page.txt"])) + "B ",
		"GET /missing 404 ",
		"GET / 304 0B ",
	}
	if len(lines) != len(want) {
		t.Fatalf("log has %d lines, want %d:\n%s", len(lines), len(want), log.String())
	}
	for i, w := range want {
		if !strings.Contains(lines[i], w) {
			t.Errorf("log line %q, want it to contain %q", lines[i], w)
		}
	}
}

func TestNewHandlerErrors(t *testing.T) {
	dir := t.TempDir()
	noIndex := filepath.Join(dir, "noindex")
	if err := os.Mkdir(noIndex, 0o755); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(dir, "file")
	write(t, file, []byte("not a directory"))
	for _, tt := range []struct {
		name, root, want string
	}{
		{"missing", filepath.Join(dir, "missing"), "does not exist: run `make site` first"},
		{"no index", noIndex, "has no index.html: run `make site` first"},
		{"file", file, "is not a directory"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := newHandler(tt.root)
			if err == nil || !strings.Contains(err.Error(), tt.want) || !strings.Contains(err.Error(), tt.root) {
				t.Errorf("newHandler(%s) error %v, want it to name the directory and say %q", tt.root, err, tt.want)
			}
		})
	}
}

func TestAccepts(t *testing.T) {
	for _, tt := range []struct {
		header, coding string
		want           bool
	}{
		{"gzip, deflate, br, zstd", "br", true},
		{"gzip, deflate, br, zstd", "gzip", true},
		{"gzip, deflate", "br", false},
		{"", "gzip", false},
		{"identity", "gzip", false},
		{"GZIP", "gzip", true},
		{"gzip;q=0", "gzip", false},
		{"gzip; q=0.0", "gzip", false},
		{"gzip;q=0.5", "gzip", true},
		{"*", "br", true},
		{"*;q=0", "br", false},
		{"*, br;q=0", "br", false},
		{"br;q=0, *", "br", false},
		{"*, br;q=0", "gzip", true},
		{"gzip;q=bad", "gzip", true}, // an unreadable q counts as 1
	} {
		if got := accepts(tt.header, tt.coding); got != tt.want {
			t.Errorf("accepts(%q, %q) = %v, want %v", tt.header, tt.coding, got, tt.want)
		}
	}
}

func TestETagListMatch(t *testing.T) {
	const etag = `"abc"`
	for _, tt := range []struct {
		list string
		want bool
	}{
		{`"abc"`, true},
		{`W/"abc"`, true},
		{`"x", "abc"`, true},
		{`"a,b", "abc"`, true}, // a comma inside a tag
		{`*`, true},
		{`"abcd"`, false},
		{`"ab"`, false},
		{`abc`, false},
		{`"abc`, false},
		{``, false},
	} {
		if got := etagListMatch(tt.list, etag); got != tt.want {
			t.Errorf("etagListMatch(%q, %q) = %v, want %v", tt.list, etag, got, tt.want)
		}
	}
}

// TestGzipStreamed checks the responses gzipped while they are sent, when a
// file is too large for the cache or the cache is full: no Content-Length,
// and the same content.
func TestGzipStreamed(t *testing.T) {
	defer func(file, total int64) { gzipCacheMaxFile, gzipCacheMaxTotal = file, total }(gzipCacheMaxFile, gzipCacheMaxTotal)
	for _, tt := range []struct {
		name          string
		maxFile, max  int64
		wantLengthSet bool // only a cached body has a known length
	}{
		{"cached", 1 << 20, 1 << 20, true},
		{"file too large", 100, 1 << 20, false},
		{"cache full", 1 << 20, 0, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			gzipCacheMaxFile, gzipCacheMaxTotal = tt.maxFile, tt.max
			h, _ := siteHandler(t)
			for range 2 {
				resp, body := do(t, h, "GET", "/main.wasm", "Accept-Encoding: gzip")
				if got := string(gunzip(t, body)); got != siteFiles["main.wasm"] {
					t.Errorf("decoded body differs from main.wasm (%d bytes, want %d)", len(got), len(siteFiles["main.wasm"]))
				}
				if _, ok := resp.Header["Content-Length"]; ok != tt.wantLengthSet {
					t.Errorf("Content-Length set: %v, want %v", ok, tt.wantLengthSet)
				}
				resp, body = do(t, h, "HEAD", "/main.wasm", "Accept-Encoding: gzip")
				if len(body) != 0 || resp.Header.Get("Content-Encoding") != "gzip" {
					t.Errorf("HEAD: %d-byte body, Content-Encoding %q; want none and gzip", len(body), resp.Header.Get("Content-Encoding"))
				}
			}
		})
	}
}
