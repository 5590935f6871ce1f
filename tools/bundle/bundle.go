package main

import (
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"slices"
	"strings"
	"sync"
)

// Names of the page's files as index.html refers to them.
const (
	indexName    = "index.html"
	wasmName     = "main.wasm"    // the app, built with GOOS=js GOARCH=wasm
	wasmExecName = "wasm_exec.js" // Go's glue, from $(go env GOROOT)/lib/wasm
)

// input is what a bundle is made from.
type input struct {
	site     fs.FS  // the page's sources: index.html, sw.js and what index.html refers to
	wasm     []byte // main.wasm
	wasmExec []byte // wasm_exec.js
	brotli   brotliCache
}

// output is a built page.
type output struct {
	// files are the served folder's files by name: the hashed assets,
	// their .gz and .br siblings, index.html, the manifests, the service worker,
	// and the Worker's _headers and .assetsignore.
	files map[string][]byte
	// single is the page as one self-contained HTML file.
	single []byte
	// assets maps each file of the page, by the name index.html uses, to
	// its name in files.
	assets map[string]string
	// cache is the service worker's cache name for this build.
	cache string
}

// bundle turns the page's sources into the deployable folder and the single
// file:
//
//  1. index.html's local references (src, href, and data-* attributes that
//     name a file, as the loader's data-wasm does) are collected; each file is
//     main.wasm or wasm_exec.js (given), an icon (drawn, see icons), the
//     manifest (generated), or a file of the site's sources.
//  2. Every file but index.html, sw.js and the manifest is renamed by its
//     content hash, and index.html and the manifest are rewritten to match.
//  3. The service worker (site/sw.js) gets the build's cache name and the
//     list of every file to precache.
//  4. Compressible files of 1 KiB or more get a .gz sibling, gzip's best,
//     and a .br sibling, brotli's best (see brotliQuality), which
//     tools/serve sends to browsers that accept those.
//  5. _headers and .assetsignore tell Cloudflare's Worker how to serve
//     the folder as static assets (see edgeHeaders).
//  6. The single file inlines everything (see singleFile).
//
// It returns an error if a reference names a file that does not exist, or
// if index.html does not refer to main.wasm and wasm_exec.js, without which
// the page could not start.
func bundle(in input) (*output, error) {
	index, err := fs.ReadFile(in.site, indexName)
	if err != nil {
		return nil, err
	}
	swSrc, err := fs.ReadFile(in.site, swName)
	if err != nil {
		return nil, err
	}
	tags, err := parseTags(string(index))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", indexName, err)
	}

	// The files of the page by the names index.html uses.
	sources := map[string][]byte{wasmName: in.wasm, wasmExecName: in.wasmExec}
	for _, ic := range icons {
		b, err := encodeIcon(ic)
		if err != nil {
			return nil, fmt.Errorf("icon %s: %w", ic.name, err)
		}
		sources[ic.name] = b
	}
	known := func(name string) bool {
		if _, ok := sources[name]; ok || name == manifestName {
			return true
		}
		st, err := fs.Stat(in.site, name)
		return err == nil && st.Mode().IsRegular()
	}
	used := refs(tags, known)
	for _, name := range used {
		switch {
		case name == indexName || name == swName:
			return nil, fmt.Errorf("%s refers to %s, which must keep its name and cannot be an asset", indexName, name)
		case name == manifestName:
			continue
		case sources[name] != nil:
			continue
		}
		b, err := fs.ReadFile(in.site, name)
		if errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("%s refers to %s, which is neither in the site's sources nor made by the bundler (%s, %s, the icons, %s)",
				indexName, name, wasmName, wasmExecName, manifestName)
		}
		if err != nil {
			return nil, err
		}
		sources[name] = b
	}
	for _, name := range []string{wasmName, wasmExecName} {
		if !slices.Contains(used, name) {
			return nil, fmt.Errorf("%s does not refer to %s, so the page could not start (the loader's script tag names the wasm in data-wasm)", indexName, name)
		}
	}

	// Hashed names for every file index.html or the manifest refers to.
	out := &output{files: map[string][]byte{}, assets: map[string]string{}}
	for name, b := range sources {
		if !slices.Contains(used, name) && !isIcon(name) {
			continue
		}
		out.assets[name] = hashedName(name, b)
		out.files[out.assets[name]] = b
	}
	// A manifest per language of the page's words (site/i18n.js links
	// the page's language's).
	texts, err := readMessages(in.site)
	if err != nil {
		return nil, err
	}
	manifests := map[string][]byte{}
	for lang, t := range texts {
		if manifests[manifestFile(lang)], err = makeManifest(out.assets, lang, t); err != nil {
			return nil, err
		}
	}
	page, err := renameRefs(string(index), tags, out.assets)
	if err != nil {
		return nil, err
	}
	names := append(slices.Sorted(maps.Values(out.assets)), slices.Sorted(maps.Keys(manifests))...)
	var allManifests []byte
	for _, name := range slices.Sorted(maps.Keys(manifests)) {
		allManifests = append(allManifests, manifests[name]...)
	}
	build := makeBuild(page, names, allManifests)
	sw, err := serviceWorker(string(swSrc), build)
	if err != nil {
		return nil, err
	}
	out.cache = build.Cache
	out.files[indexName] = []byte(page)
	maps.Copy(out.files, manifests)
	out.files[swName] = []byte(sw)

	// Precompressed siblings, made once and reused by the single file.
	gz, br := precompress(out.files, in.brotli)
	for name, z := range gz {
		out.files[name+".gz"] = z
	}
	for name, z := range br {
		out.files[name+".br"] = z
	}
	// The Worker's metafiles (edge.go), which nothing precaches or serves.
	out.files[headersName] = edgeHeaders(slices.Collect(maps.Values(out.assets)), slices.Sorted(maps.Keys(manifests)))
	out.files[ignoreName] = edgeIgnore

	single, err := singleFile(string(index), tags, sources, func(name string) []byte {
		if z, ok := gz[out.assets[name]]; ok {
			return z
		}
		return gzipBest(sources[name])
	})
	if err != nil {
		return nil, err
	}
	out.single = []byte(single)
	return out, nil
}

// precompress returns the gzip and brotli siblings of the compressible
// files of 1 KiB or more, each by the file's name, where it is smaller
// than the file. Brotli, the slow one, runs a file per goroutine beside
// gzip.
func precompress(files map[string][]byte, cache brotliCache) (gz, br map[string][]byte) {
	var names []string
	for _, name := range slices.Sorted(maps.Keys(files)) {
		if compressible(name) && len(files[name]) >= minCompress {
			names = append(names, name)
		}
	}
	brs := make([][]byte, len(names))
	var wg sync.WaitGroup
	for i, name := range names {
		wg.Go(func() { brs[i] = cache.compress(files[name]) })
	}
	gz, br = map[string][]byte{}, map[string][]byte{}
	for _, name := range names {
		if z := gzipBest(files[name]); len(z) < len(files[name]) {
			gz[name] = z
		}
	}
	wg.Wait()
	for i, name := range names {
		if len(brs[i]) < len(files[name]) {
			br[name] = brs[i]
		}
	}
	return gz, br
}

func isIcon(name string) bool {
	for _, ic := range icons {
		if ic.name == name {
			return true
		}
	}
	return false
}

// sizeReport describes the files of a bundle, one line each with its size
// and, for those that have one, the size of its .gz sibling, largest first.
func sizeReport(files map[string][]byte) string {
	var b strings.Builder
	names := slices.Collect(maps.Keys(files))
	slices.SortFunc(names, func(x, y string) int {
		if d := len(files[y]) - len(files[x]); d != 0 {
			return d
		}
		return strings.Compare(x, y)
	})
	for _, name := range names {
		if strings.HasSuffix(name, ".gz") || strings.HasSuffix(name, ".br") {
			continue
		}
		fmt.Fprintf(&b, "  %-34s %10d bytes", name, len(files[name]))
		if z, ok := files[name+".gz"]; ok {
			fmt.Fprintf(&b, ", %9d gzipped", len(z))
		}
		if z, ok := files[name+".br"]; ok {
			fmt.Fprintf(&b, ", %9d brotli", len(z))
		}
		b.WriteByte('\n')
	}
	return b.String()
}
