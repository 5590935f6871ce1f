//go:build !(js && wasm)

package main

import (
	"net/http"

	"github.com/syumai/workers"
)

// serve serves h as an ordinary HTTP server, for debugging.
func serve(h http.Handler) { workers.Serve(h) }
