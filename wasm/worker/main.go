// Command worker is tegaki's Cloudflare Worker: the API of package digitapi
// (POST /api/predict, GET /api/model) in Go compiled to WebAssembly and
// run with github.com/syumai/workers. The page itself (dist/site) is served
// by Workers static assets, configured in wrangler.jsonc at the top of the
// repository, without running this program.
//
// Build it with `make worker` and run it locally with `make worker-dev`.
// Built natively, it serves the API on :9900 (or $PORT), which is handy
// for debugging.
//
// # One program for many requests
//
// syumai/workers' own entry module (worker.mjs) starts the Go program
// afresh for every request: a new WebAssembly instance, the Go runtime's
// start and the model parsed again, some 15 ms each time. entry.mjs, this
// Worker's entry module, starts it once per isolate instead and hands it
// every request; the program parses the model once (digitapi.New) and never
// exits. See serve_js.go for what that takes on the Go side.
package main

import (
	"log"

	"github.com/tegaki/tegaki/wasm/worker/digitapi"
)

func main() {
	h, err := digitapi.New()
	if err != nil {
		log.Fatal(err)
	}
	serve(h)
}
