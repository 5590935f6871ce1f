// Bundle turns the built app and the page's sources into the deployable
// site: the folder that `make run` serves and the Worker deploys, and a
// single self-contained HTML file that works opened from disk.
//
// In the folder (-o), every file the page uses is renamed by its content
// hash (main.3f2a9c1b.wasm, style.0c1d2e3f.css, icon-192.5a6b7c8d.png), so
// it can be cached for a year, and index.html is rewritten to match: every
// local src and href, and data-* attributes that name a file, such as the
// loader's data-wasm. These files keep their names: index.html, the web app
// manifests (manifest.webmanifest in English and manifest.ja.webmanifest in
// Japanese, with the words of site/messages.js, generated here with their
// icons, which are drawn by code) and the service worker (sw.js, from
// site/sw.js with this build's cache name and precache list written in).
// Text and wasm files of 1 KiB or more get a .gz sibling at gzip's best
// compression and a .br sibling at brotli's, which tools/serve sends to
// browsers that accept them. Brotli's best takes over a minute for
// main.wasm, so its results are kept in the user's cache folder
// (~/.cache/tegaki/brotli) by the SHA-256 of what they compress: bundling
// an unchanged app again costs nothing.
//
// The single file (-single) has the scripts and styles inline, the icons as
// data: URLs and the wasm gzipped and base64-encoded in the loader's
// data-wasm, decompressed by the browser; it registers no service worker.
//
// Outputs are written to temporary files and renamed into place, so a
// server never sees a half-written site, and a failed build leaves the
// previous one as it was.
//
// Usage:
//
//	bundle -wasm main.wasm [flags]
//
// Example (what make site does):
//
//	GOOS=js GOARCH=wasm go build -trimpath -ldflags="-s -w" -o dist/main.wasm ./wasm/app
//	go run ./tools/bundle -wasm dist/main.wasm -o dist/site -single dist/tegaki.html
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/tegaki/tegaki/tools/internal/atomicfile"
	"github.com/tegaki/tegaki/tools/internal/cli"
)

func main() {
	cli.Main("bundle", func() error { return run(os.Args[1:], os.Stdout, os.Stderr) })
}

// config holds the settings of a run.
type config struct {
	site     string // page sources
	wasm     string // the built app
	wasmExec string // Go's wasm_exec.js; "" for GOROOT's
	out      string // deployable folder
	single   string // single-file page; "" for none
}

// parseFlags parses the command line. Errors and -h print to stderr.
func parseFlags(args []string, stderr io.Writer) (config, error) {
	var cfg config
	fs := flag.NewFlagSet("bundle", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), `Usage: bundle -wasm main.wasm [flags]

Builds the deployable tegaki site from the app's wasm and the page's sources:
assets renamed by content hash, index.html rewritten to match, a service
worker that precaches the build, the web app manifests (one per language)
and their icons (drawn by code), .gz and .br siblings for tools/serve (brotli
results are cached in ~/.cache/tegaki/brotli), and a single self-contained
HTML file that works opened from disk.

Example (make site):

  GOOS=js GOARCH=wasm go build -trimpath -ldflags="-s -w" -o dist/main.wasm ./wasm/app
  go run ./tools/bundle -wasm dist/main.wasm -o dist/site -single dist/tegaki.html

Flags:
`)
		fs.PrintDefaults()
	}
	fs.StringVar(&cfg.site, "site", "site", "`directory` of the page's sources: index.html, sw.js and the files index.html refers to")
	fs.StringVar(&cfg.wasm, "wasm", "", "the app's `file`, built with GOOS=js GOARCH=wasm (required)")
	fs.StringVar(&cfg.wasmExec, "wasm-exec", "", "Go's wasm_exec.js `file` (default: $(go env GOROOT)/lib/wasm/wasm_exec.js); it must come from the Go that built -wasm")
	fs.StringVar(&cfg.out, "o", "dist/site", "output `directory`, replaced as a whole")
	fs.StringVar(&cfg.single, "single", "dist/tegaki.html", "single-file page `file` to write (\"\" for none)")
	if err := cli.Parse(fs, args); err != nil {
		return cfg, err
	}
	var problem error
	switch {
	case fs.NArg() > 0:
		problem = fmt.Errorf("unexpected arguments %q", fs.Args())
	case cfg.wasm == "":
		problem = errors.New("-wasm is required: the app built with GOOS=js GOARCH=wasm go build -o main.wasm ./wasm/app")
	case cfg.out == "":
		problem = errors.New("-o must name the output directory")
	}
	if problem != nil {
		return cfg, cli.Usage(fs, problem)
	}
	return cfg, nil
}

// run builds the site described by the command-line args and reports what
// it wrote to stdout.
func run(args []string, stdout, stderr io.Writer) error {
	cfg, err := parseFlags(args, stderr)
	if err != nil {
		return err
	}
	if err := checkPaths(cfg); err != nil {
		return err
	}
	if cfg.wasmExec == "" {
		goroot, err := exec.Command("go", "env", "GOROOT").Output()
		if err != nil {
			return fmt.Errorf("find wasm_exec.js: go env GOROOT: %w (or give -wasm-exec)", err)
		}
		cfg.wasmExec = filepath.Join(strings.TrimSpace(string(goroot)), "lib", "wasm", "wasm_exec.js")
	}
	in := input{site: os.DirFS(cfg.site), brotli: defaultBrotliCache()}
	if in.wasm, err = os.ReadFile(cfg.wasm); err != nil {
		return err
	}
	if !isWasm(in.wasm) {
		return fmt.Errorf("%s is not a WebAssembly module (build it with GOOS=js GOARCH=wasm)", cfg.wasm)
	}
	if in.wasmExec, err = os.ReadFile(cfg.wasmExec); err != nil {
		return err
	}
	out, err := bundle(in)
	if err != nil {
		return fmt.Errorf("%s: %w", cfg.site, err)
	}
	if err := writeDir(cfg.out, out.files); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "wrote %s (cache %s):\n%s", cfg.out, out.cache, sizeReport(out.files))
	if cfg.single != "" {
		if err := os.MkdirAll(filepath.Dir(cfg.single), 0o755); err != nil {
			return err
		}
		if err := atomicfile.WriteFile(cfg.single, out.single); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "wrote %s: %d bytes, works opened from disk\n", cfg.single, len(out.single))
	}
	return nil
}

// checkPaths refuses outputs that would overwrite the sources.
func checkPaths(cfg config) error {
	site, err := filepath.Abs(cfg.site)
	if err != nil {
		return err
	}
	out, err := filepath.Abs(cfg.out)
	if err != nil {
		return err
	}
	if out == site || strings.HasPrefix(site, out+string(filepath.Separator)) {
		return fmt.Errorf("-o %s would replace the sources in -site %s", cfg.out, cfg.site)
	}
	if cfg.single != "" {
		single, err := filepath.Abs(cfg.single)
		if err != nil {
			return err
		}
		if strings.HasPrefix(single, site+string(filepath.Separator)) {
			return fmt.Errorf("-single %s is inside the sources in -site %s", cfg.single, cfg.site)
		}
	}
	return nil
}

// isWasm reports whether b starts with WebAssembly's magic number.
func isWasm(b []byte) bool { return len(b) >= 4 && string(b[:4]) == "\x00asm" }
