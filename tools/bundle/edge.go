package main

import (
	"slices"
	"strings"
)

// The deployable folder also serves as the Cloudflare Worker's static
// assets (wrangler.jsonc). Workers read two files from it that are not
// served: _headers, the response headers by path, and .assetsignore, the
// files not to upload. tools/serve sends the same headers itself and never
// serves these two files.
const (
	headersName = "_headers"
	ignoreName  = ".assetsignore"
)

// edgeCSP is the Content-Security-Policy of the deployed page: its own
// scripts, styles and WebAssembly, nothing inline, images also from data:
// and blob: URLs (opened pictures). It is tools/serve's default policy.
const edgeCSP = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; " +
	"img-src 'self' data: blob:; object-src 'none'; base-uri 'none'; form-action 'self'"

// edgeHeaders returns the _headers file for a build whose content-hashed
// files are hashed and whose manifests are manifests: every response gets
// the security headers; hashed files never change under their name, so
// browsers may keep them for a year; the page, the manifests and the
// service worker must be revalidated, or a redeploy would go unseen.
func edgeHeaders(hashed, manifests []string) []byte {
	var b strings.Builder
	b.WriteString("/*\n  Content-Security-Policy: " + edgeCSP + "\n  X-Content-Type-Options: nosniff\n")
	for _, name := range append([]string{indexName, swName}, manifests...) {
		if name == indexName {
			b.WriteString("/\n  Cache-Control: no-cache\n")
		}
		b.WriteString("/" + name + "\n  Cache-Control: no-cache\n")
	}
	for _, name := range slices.Sorted(slices.Values(hashed)) {
		b.WriteString("/" + name + "\n  Cache-Control: public, max-age=31536000, immutable\n")
	}
	return []byte(b.String())
}

// edgeIgnore is the .assetsignore file: the .gz and .br siblings are for
// tools/serve; Cloudflare compresses on its own.
var edgeIgnore = []byte("*.gz\n*.br\n")
