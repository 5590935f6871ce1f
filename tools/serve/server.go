package main

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log"
	"mime"
	"net/http"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"
)

// defaultCSP is the Content-Security-Policy sent with every response unless
// -csp changes it. Scripts, styles, fetches, the service worker and the
// manifest may come from the page's own origin only; 'wasm-unsafe-eval'
// lets WebAssembly.instantiate compile main.wasm without allowing eval of
// JavaScript; nothing inline is allowed (styles that scripts set through the
// DOM, as ebiten does, are not inline styles and still work). Images may also
// be data: and blob: URLs, as canvas snapshots are.
const defaultCSP = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; " +
	"img-src 'self' data: blob:; object-src 'none'; base-uri 'none'; form-action 'self'"

// immutable is the Cache-Control of files whose names carry a content hash:
// a new version gets a new name, so the old one may be cached for a year
// without being asked about again.
const immutable = "public, max-age=31536000, immutable"

// minGzipSize is the smallest file compressed on the fly: below about this
// size the gzip header and the extra work cost more than they save.
const minGzipSize = 256

// hashedName matches base names with a content hash before the extension,
// name.<8 or more hex digits>.ext, as in app.3f9a2c1b.js.
var hashedName = regexp.MustCompile(`^[^.].*\.[0-9a-fA-F]{8,}\.[0-9A-Za-z]+$`)

// contentTypes are the types the site needs, set explicitly so they do not
// depend on the machine's MIME database; other extensions fall back to
// mime.TypeByExtension and then to sniffing the content.
var contentTypes = map[string]string{
	".css":         "text/css; charset=utf-8",
	".html":        "text/html; charset=utf-8",
	".ico":         "image/x-icon",
	".js":          "text/javascript; charset=utf-8",
	".json":        "application/json",
	".map":         "application/json",
	".mjs":         "text/javascript; charset=utf-8",
	".png":         "image/png",
	".svg":         "image/svg+xml",
	".txt":         "text/plain; charset=utf-8",
	".wasm":        "application/wasm",
	".webmanifest": "application/manifest+json",
	".woff2":       "font/woff2",
}

// compressible lists the media types worth compressing; images other than
// SVG and fonts are compressed already.
var compressible = map[string]bool{
	"application/javascript":    true,
	"application/json":          true,
	"application/manifest+json": true,
	"application/wasm":          true,
	"application/xml":           true,
	"image/svg+xml":             true,
	"text/css":                  true,
	"text/html":                 true,
	"text/javascript":           true,
	"text/plain":                true,
	"text/xml":                  true,
}

// precompressed are the content codings that may sit next to a file as a
// sibling with the coding's extension, in order of preference.
var precompressed = []struct{ coding, ext string }{
	{"br", ".br"},
	{"gzip", ".gz"},
}

// newHandler returns a handler that serves the static site in the directory
// root. It answers GET and HEAD only (405 otherwise), never lists
// directories, never serves dotfiles or anything outside root (symbolic links
// included), and sets X-Content-Type-Options: nosniff on every response. See
// files for types, compression and caching.
//
// newHandler returns an error if root is not a directory or has no
// index.html, with a hint to build the site first.
func newHandler(root string) (http.Handler, error) {
	st, err := os.Stat(root)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil, fmt.Errorf("%s does not exist: run `make site` first", root)
	case err != nil:
		return nil, err
	case !st.IsDir():
		return nil, fmt.Errorf("%s is not a directory", root)
	}
	if st, err := os.Stat(filepath.Join(root, "index.html")); err != nil || !st.Mode().IsRegular() {
		return nil, fmt.Errorf("%s has no index.html: run `make site` first", root)
	}
	abs, err := filepath.Abs(root)
	if err != nil {
		return nil, err
	}
	return noSniff(allowMethods(&files{root: abs}, http.MethodGet, http.MethodHead)), nil
}

// noSniff tells browsers to trust the Content-Type of every response, so that
// no file is ever run as a script or a style it was not sent as.
func noSniff(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Content-Type-Options", "nosniff")
		next.ServeHTTP(w, r)
	})
}

// allowMethods answers requests whose method is not one of methods with 405
// Method Not Allowed and an Allow header, and passes the others to next.
func allowMethods(next http.Handler, methods ...string) http.Handler {
	allow := strings.Join(methods, ", ")
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		for _, m := range methods {
			if r.Method == m {
				next.ServeHTTP(w, r)
				return
			}
		}
		w.Header().Set("Allow", allow)
		http.Error(w, "405 method not allowed", http.StatusMethodNotAllowed)
	})
}

// withCSP sets the Content-Security-Policy header to policy on every
// response; an empty policy sets none.
func withCSP(policy string, next http.Handler) http.Handler {
	if policy == "" {
		return next
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Security-Policy", policy)
		next.ServeHTTP(w, r)
	})
}

// logRequests writes one line per request to w: method, path, status, bytes
// of body sent and duration.
func logRequests(next http.Handler, w io.Writer) http.Handler {
	l := log.New(w, "", log.Ltime)
	return http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		start := time.Now()
		rec := &recorder{ResponseWriter: rw}
		next.ServeHTTP(rec, r)
		if rec.status == 0 {
			rec.status = http.StatusOK
		}
		l.Printf("%s %s %d %dB %v", r.Method, r.URL.EscapedPath(), rec.status, rec.bytes,
			time.Since(start).Round(10*time.Microsecond))
	})
}

// recorder is a ResponseWriter that remembers the status and counts the body
// bytes written.
type recorder struct {
	http.ResponseWriter
	status int
	bytes  int64
}

func (r *recorder) WriteHeader(code int) {
	if r.status == 0 {
		r.status = code
	}
	r.ResponseWriter.WriteHeader(code)
}

func (r *recorder) Write(p []byte) (int, error) {
	if r.status == 0 {
		r.status = http.StatusOK
	}
	n, err := r.ResponseWriter.Write(p)
	r.bytes += int64(n)
	return n, err
}

// Unwrap gives http.ResponseController the underlying ResponseWriter.
func (r *recorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }

// files serves the regular files under root.
//
// Types: the extension decides (contentTypes, then mime.TypeByExtension),
// then the first 512 bytes.
//
// Compression: if the request accepts br (or gzip) and a sibling file.br (or
// file.gz) at least as new as the file exists, the sibling is sent with that
// Content-Encoding; a stale sibling is ignored, so a rebuild without
// recompression never serves old content. Otherwise compressible types are
// gzipped on the fly, once per version of a file (see gzipped). Range
// requests are always answered uncompressed. Every response varies on
// Accept-Encoding, and compressed ones carry X-Decoded-Length, the size of
// the file itself, for download progress bars (site/main.js reads it).
//
// Caching: names matching hashedName are immutable for a year; everything
// else is no-cache, to be revalidated on each use. Every file has a strong
// ETag, the SHA-256 of the bytes sent ("<hex>-gzip" when gzipped on the fly),
// so revalidation costs a 304 and a redeploy is seen at once.
type files struct {
	root string // absolute path of the site

	mu        sync.Mutex
	etags     map[string]etagEntry // by name relative to root
	gzips     map[string]gzipEntry // by name relative to root
	gzipTotal int64                // bytes of data in gzips
}

// etagEntry is a file's ETag and the modification time and size it was
// computed for.
type etagEntry struct {
	modTime time.Time
	size    int64
	etag    string
}

func (s *files) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Vary", "Accept-Encoding")
	name, ok := relName(r.URL.Path)
	if !ok {
		http.NotFound(w, r)
		return
	}
	f, st, err := s.open(name)
	if err != nil {
		openError(w, r, err)
		return
	}
	defer func() { f.Close() }() // f may be reopened below
	if st.IsDir() {
		if !strings.HasSuffix(r.URL.Path, "/") {
			// Relative links in the index must resolve inside the directory.
			loc := path.Clean("/"+name) + "/"
			if loc == "//" {
				loc = "/"
			}
			if r.URL.RawQuery != "" {
				loc += "?" + r.URL.RawQuery
			}
			http.Redirect(w, r, loc, http.StatusMovedPermanently)
			return
		}
		f.Close()
		name = path.Join(name, "index.html")
		if f, st, err = s.open(name); err != nil {
			openError(w, r, err)
			return
		}
	} else if strings.HasSuffix(r.URL.Path, "/") {
		http.NotFound(w, r) // a file is not a directory
		return
	}
	if !st.Mode().IsRegular() {
		http.NotFound(w, r)
		return
	}

	ctype, err := contentType(name, f)
	if err != nil {
		serverError(w)
		return
	}
	h := w.Header()
	h.Set("Content-Type", ctype)
	if hashedName.MatchString(path.Base(name)) {
		h.Set("Cache-Control", immutable)
	} else {
		h.Set("Cache-Control", "no-cache")
	}

	if r.Header.Get("Range") == "" {
		ae := r.Header.Get("Accept-Encoding")
		for _, p := range precompressed {
			if !accepts(ae, p.coding) {
				continue
			}
			if served := s.servePrecompressed(w, r, name, st, p.coding, p.ext); served {
				return
			}
		}
		if accepts(ae, "gzip") && compressible[baseType(ctype)] && st.Size() >= minGzipSize {
			etag, err := s.etag(name, f, st)
			if err != nil {
				serverError(w)
				return
			}
			s.serveGzip(w, r, name, f, st, strings.TrimSuffix(etag, `"`)+`-gzip"`)
			return
		}
	}

	etag, err := s.etag(name, f, st)
	if err != nil {
		serverError(w)
		return
	}
	h.Set("ETag", etag)
	http.ServeContent(w, r, name, st.ModTime(), f)
}

// relName turns a URL path into a slash-separated name relative to the site
// root ("." for the root). It reports false for dotfiles, for anything
// inside a dot-directory, and for _headers and _redirects, which configure
// Cloudflare's static assets (tools/bundle writes them) and are not pages.
func relName(urlPath string) (string, bool) {
	name := strings.TrimPrefix(path.Clean("/"+urlPath), "/")
	if name == "" {
		return ".", true
	}
	for seg := range strings.SplitSeq(name, "/") {
		if strings.HasPrefix(seg, ".") || seg == "_headers" || seg == "_redirects" {
			return "", false
		}
	}
	return name, true
}

// open opens name inside the root. Symbolic links are followed only while
// they stay inside the root. The root is opened afresh on every call, so
// that a site directory deleted and rebuilt while serving is still served.
func (s *files) open(name string) (*os.File, fs.FileInfo, error) {
	f, err := os.OpenInRoot(s.root, filepath.FromSlash(name))
	if err != nil {
		return nil, nil, err
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, nil, err
	}
	return f, st, nil
}

// openError answers a request whose file could not be opened: 403 if
// permission was denied, and otherwise 404, which also covers names that
// escape the root, so that nothing about the outside is revealed.
func openError(w http.ResponseWriter, r *http.Request, err error) {
	if errors.Is(err, fs.ErrPermission) {
		http.Error(w, "403 forbidden", http.StatusForbidden)
		return
	}
	http.NotFound(w, r)
}

// serverError answers 500 Internal Server Error for a file that was opened
// but could not be read, without the headers that describe the file: an
// error must not be cached, least of all as immutable.
func serverError(w http.ResponseWriter) {
	h := w.Header()
	for _, k := range []string{"Cache-Control", "Content-Encoding", "ETag", "Last-Modified", "X-Decoded-Length"} {
		delete(h, k)
	}
	http.Error(w, "500 internal server error", http.StatusInternalServerError)
}

// servePrecompressed sends the sibling name+ext with Content-Encoding coding
// and reports whether it did; it reports false if there is no usable sibling
// (missing, not a regular file, or older than the file itself).
func (s *files) servePrecompressed(w http.ResponseWriter, r *http.Request, name string, orig fs.FileInfo, coding, ext string) bool {
	sib, st, err := s.open(name + ext)
	if err != nil {
		return false
	}
	defer sib.Close()
	if !st.Mode().IsRegular() || st.ModTime().Before(orig.ModTime()) {
		return false
	}
	etag, err := s.etag(name+ext, sib, st)
	if err != nil {
		return false
	}
	h := w.Header()
	h.Set("Content-Encoding", coding)
	h.Set("X-Decoded-Length", strconv.FormatInt(orig.Size(), 10))
	h.Set("ETag", etag)
	h.Set("Last-Modified", st.ModTime().UTC().Format(http.TimeFormat))
	if notModified(r, etag, st.ModTime()) {
		writeNotModified(w)
		return true
	}
	h.Set("Content-Length", strconv.FormatInt(st.Size(), 10))
	w.WriteHeader(http.StatusOK)
	if r.Method != http.MethodHead {
		io.Copy(w, sib) // an error here is the client going away
	}
	return true
}

// gzipWriters recycles gzip writers, which are costly to allocate.
var gzipWriters = sync.Pool{New: func() any { return gzip.NewWriter(io.Discard) }}

// Limits of the cache of gzipped files: main.wasm takes about half a second
// to compress, which is worth doing once per build rather than once per load.
// Larger files are compressed while they are sent, and so are all files once
// the cache is full. They are variables so that tests can lower them.
var (
	gzipCacheMaxFile  int64 = 64 << 20  // largest file, before compression
	gzipCacheMaxTotal int64 = 256 << 20 // all compressed bodies together
)

// gzipEntry is a file's gzipped content and the modification time and size
// of the file it was made from.
type gzipEntry struct {
	modTime time.Time
	size    int64
	data    []byte
}

// serveGzip sends f gzipped: from the cache, or compressed now and cached,
// or, if the cache cannot hold it, compressed while it is sent (and then the
// response has no Content-Length).
func (s *files) serveGzip(w http.ResponseWriter, r *http.Request, name string, f *os.File, st fs.FileInfo, etag string) {
	h := w.Header()
	h.Set("Content-Encoding", "gzip")
	h.Set("X-Decoded-Length", strconv.FormatInt(st.Size(), 10))
	h.Set("ETag", etag)
	h.Set("Last-Modified", st.ModTime().UTC().Format(http.TimeFormat))
	if notModified(r, etag, st.ModTime()) {
		writeNotModified(w)
		return
	}
	if data, ok := s.gzipped(name, f, st); ok {
		h.Set("Content-Length", strconv.Itoa(len(data)))
		w.WriteHeader(http.StatusOK)
		if r.Method != http.MethodHead {
			w.Write(data) // an error here is the client going away
		}
		return
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		serverError(w)
		return
	}
	w.WriteHeader(http.StatusOK)
	if r.Method == http.MethodHead {
		return
	}
	gzipTo(w, f) // an error here is the client going away, or a failed read
}

// gzipped returns the gzipped content of the file name, open as f with info
// st, from the cache or compressed now and cached. It reports false, having
// compressed nothing, if the cache has no room for it, and also if reading
// fails.
func (s *files) gzipped(name string, f *os.File, st fs.FileInfo) ([]byte, bool) {
	if st.Size() > gzipCacheMaxFile {
		return nil, false
	}
	s.mu.Lock()
	e, ok := s.gzips[name]
	full := s.gzipTotal >= gzipCacheMaxTotal
	s.mu.Unlock()
	if ok && e.size == st.Size() && e.modTime.Equal(st.ModTime()) {
		return e.data, true
	}
	if full && !ok {
		return nil, false
	}
	var buf bytes.Buffer
	if err := gzipTo(&buf, f); err != nil {
		return nil, false
	}
	data := buf.Bytes()
	if now, err := f.Stat(); err != nil || now.Size() != st.Size() || !now.ModTime().Equal(st.ModTime()) {
		return data, true // changed while read: good for this response only
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.gzips == nil {
		s.gzips = make(map[string]gzipEntry)
	}
	s.gzipTotal += int64(len(data)) - int64(len(s.gzips[name].data))
	s.gzips[name] = gzipEntry{modTime: st.ModTime(), size: st.Size(), data: data}
	return data, true
}

// gzipTo writes the rest of r to w, gzipped.
func gzipTo(w io.Writer, r io.Reader) error {
	zw := gzipWriters.Get().(*gzip.Writer)
	defer gzipWriters.Put(zw)
	zw.Reset(w)
	if _, err := io.Copy(zw, r); err != nil {
		return err
	}
	return zw.Close()
}

// etag returns the strong ETag of the file name, open as f with info st: the
// hex SHA-256 of its content in quotes. It is computed once and then reused
// while the file keeps its modification time and size. f is left at offset 0.
func (s *files) etag(name string, f *os.File, st fs.FileInfo) (string, error) {
	s.mu.Lock()
	e, ok := s.etags[name]
	s.mu.Unlock()
	if ok && e.size == st.Size() && e.modTime.Equal(st.ModTime()) {
		return e.etag, nil
	}
	hash := sha256.New()
	if _, err := io.Copy(hash, f); err != nil {
		return "", fmt.Errorf("hash %s: %w", name, err)
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return "", fmt.Errorf("hash %s: %w", name, err)
	}
	etag := `"` + hex.EncodeToString(hash.Sum(nil)) + `"`
	// Cache it only if the file did not change while it was read.
	if now, err := f.Stat(); err == nil && now.Size() == st.Size() && now.ModTime().Equal(st.ModTime()) {
		s.mu.Lock()
		if s.etags == nil {
			s.etags = make(map[string]etagEntry)
		}
		s.etags[name] = etagEntry{modTime: st.ModTime(), size: st.Size(), etag: etag}
		s.mu.Unlock()
	}
	return etag, nil
}

// contentType returns the media type of the file name, open as f: from its
// extension if known, else sniffed from its first 512 bytes. f is left at
// offset 0.
func contentType(name string, f io.ReadSeeker) (string, error) {
	ext := strings.ToLower(path.Ext(name))
	if t, ok := contentTypes[ext]; ok {
		return t, nil
	}
	if t := mime.TypeByExtension(ext); t != "" {
		return t, nil
	}
	var buf [512]byte
	n, err := io.ReadFull(f, buf[:])
	if err != nil && err != io.EOF && err != io.ErrUnexpectedEOF {
		return "", fmt.Errorf("read %s: %w", name, err)
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return "", fmt.Errorf("read %s: %w", name, err)
	}
	return http.DetectContentType(buf[:n]), nil
}

// baseType returns the media type without parameters, in lower case.
func baseType(ctype string) string {
	t, _, _ := strings.Cut(ctype, ";")
	return strings.ToLower(strings.TrimSpace(t))
}

// accepts reports whether an Accept-Encoding header value allows the content
// coding (RFC 9110, section 12.5.3): named with a non-zero q, or covered by
// "*" with a non-zero q and not named.
func accepts(header, coding string) bool {
	star := false
	for item := range strings.SplitSeq(header, ",") {
		name, params, _ := strings.Cut(item, ";")
		name = strings.ToLower(strings.TrimSpace(name))
		q := 1.0
		for p := range strings.SplitSeq(params, ";") {
			k, v, ok := strings.Cut(p, "=")
			if ok && strings.EqualFold(strings.TrimSpace(k), "q") {
				if f, err := strconv.ParseFloat(strings.TrimSpace(v), 64); err == nil {
					q = f
				}
			}
		}
		switch name {
		case coding:
			return q > 0
		case "*":
			star = q > 0
		}
	}
	return star
}

// notModified reports whether a conditional GET or HEAD may be answered with
// 304 Not Modified for a representation with this ETag and modification time.
// If-None-Match, when present, decides alone (RFC 9110, section 13.2.2).
func notModified(r *http.Request, etag string, modTime time.Time) bool {
	if inm := r.Header.Get("If-None-Match"); inm != "" {
		return etagListMatch(inm, etag)
	}
	ims := r.Header.Get("If-Modified-Since")
	if ims == "" || modTime.IsZero() {
		return false
	}
	t, err := http.ParseTime(ims)
	return err == nil && !modTime.Truncate(time.Second).After(t)
}

// etagListMatch reports whether the If-None-Match value list holds "*" or an
// entity tag weakly equal to etag (equal once any W/ prefixes are removed).
func etagListMatch(list, etag string) bool {
	etag = strings.TrimPrefix(etag, "W/")
	for {
		list = strings.TrimLeft(list, " \t,")
		switch {
		case list == "":
			return false
		case list[0] == '*':
			return true
		}
		list = strings.TrimPrefix(list, "W/")
		if len(list) < 2 || list[0] != '"' {
			return false // malformed: stop rather than guess
		}
		end := strings.IndexByte(list[1:], '"')
		if end < 0 {
			return false
		}
		if list[:end+2] == etag {
			return true
		}
		list = list[end+2:]
	}
}

// writeNotModified answers 304 Not Modified, keeping the validators and cache
// headers but none that describe a body.
func writeNotModified(w http.ResponseWriter) {
	h := w.Header()
	for _, k := range []string{"Content-Type", "Content-Length", "Content-Encoding", "X-Decoded-Length"} {
		delete(h, k)
	}
	w.WriteHeader(http.StatusNotModified)
}
