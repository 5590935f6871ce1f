// Command worker is tegaki's Cloudflare Worker: the API of package api
// (POST /api/predict, GET /api/model) in Go compiled to WebAssembly and
// run with github.com/syumai/workers. The page itself (dist/site) is served
// by Workers static assets, configured in wrangler.jsonc at the top of the
// repository, without running this program.
//
// Build it with `make worker` and run it locally with `make worker-dev`.
// Built natively, it serves the API on :9900 (or $PORT), which is handy
// for debugging.
package main

import (
	"log"

	"github.com/syumai/workers"

	"github.com/tegaki/tegaki/wasm/worker/api"
)

func main() {
	h, err := api.New()
	if err != nil {
		log.Fatal(err)
	}
	workers.Serve(h)
}
