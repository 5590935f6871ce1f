// Serve serves the built tegaki site over HTTP, on this machine or to a phone
// on the same network.
//
// It sends the right types (application/wasm for main.wasm), compresses what
// is worth compressing (a precompressed file.br or file.gz if present, else
// gzip on the fly), lets browsers cache files with a content hash in their
// name for a year and revalidate everything else on each load, and refuses
// directory listings, dotfiles and paths or links that lead outside the site.
//
// Usage:
//
//	serve [flags]
//
// Examples:
//
//	serve                         # dist/site at http://localhost:8080, as make run does
//	serve -addr :8080             # also reachable from a phone on the same network
//	serve -addr 127.0.0.1:0       # any free port; the URL is printed
//
// Ctrl-C (or SIGTERM) lets requests in flight finish, then exits.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/tegaki/tegaki/tools/internal/cli"
)

// shutdownTimeout bounds how long Ctrl-C waits for requests in flight, such
// as a phone still downloading main.wasm.
const shutdownTimeout = 5 * time.Second

func main() {
	cli.Main("serve", func() error {
		ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
		defer stop()
		go func() {
			<-ctx.Done()
			stop() // a second Ctrl-C ends the program at once
		}()
		return run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	})
}

// config holds the settings of a run.
type config struct {
	dir   string // site directory
	addr  string // listen address, host:port
	csp   string // Content-Security-Policy; "" for none
	quiet bool   // no request log
}

// parseFlags parses the command line. Errors and -h print to stderr.
func parseFlags(args []string, stderr io.Writer) (config, error) {
	var cfg config
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		w := fs.Output()
		fmt.Fprint(w, `Usage: serve [flags]

Serves the built tegaki site (make site) over HTTP: application/wasm and the
other types set right, gzip or brotli compression, and cache headers.

Examples:

  serve                      dist/site at http://localhost:8080, as make run does
  serve -addr :8080          listen on all interfaces, so a phone on the same
                             network can open the page at one of the printed
                             http://192.168.x.y:8080 addresses (0.0.0.0:8080
                             works too; a firewall may need to allow the port)
  serve -addr 127.0.0.1:0    pick any free port; the real URL is printed

Flags:
`)
		fs.PrintDefaults()
		fmt.Fprint(w, `
Files named name.<8 or more hex digits>.ext (app.3f9a2c1b.js) are cached as
immutable for a year; all others (index.html, sw.js, main.wasm) are sent with
Cache-Control: no-cache and an ETag, so a reload revalidates cheaply and sees
a rebuild at once. A file.br or file.gz next to a file, and at least as new,
is sent when the browser accepts it; otherwise HTML, CSS, JS, JSON, SVG and
wasm are gzipped on the fly. Dotfiles, directory listings and paths or
symbolic links leading outside -dir are never served.
`)
	}
	fs.StringVar(&cfg.dir, "dir", "dist/site", "site `directory` to serve; it must hold index.html")
	fs.StringVar(&cfg.addr, "addr", "localhost:8080", "listen `address` host:port; use :8080 or 0.0.0.0:8080 to reach it from a phone on the same network, port 0 for any free port")
	fs.StringVar(&cfg.csp, "csp", defaultCSP, "Content-Security-Policy `policy` sent with every response (\"\" for none); the default allows WebAssembly ('wasm-unsafe-eval') and nothing inline")
	fs.BoolVar(&cfg.quiet, "quiet", false, "do not log requests to stderr")
	if err := cli.Parse(fs, args); err != nil {
		return cfg, err
	}
	if fs.NArg() > 0 {
		return cfg, cli.Usage(fs, fmt.Errorf("unexpected arguments %q (the directory is given with -dir)", fs.Args()))
	}
	return cfg, nil
}

// run serves the site described by the command-line args until ctx is done,
// then shuts down gracefully and returns nil. It prints the URLs it serves at
// to stdout and logs requests to stderr.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	cfg, err := parseFlags(args, stderr)
	if err != nil {
		return err
	}
	h, err := newHandler(cfg.dir)
	if err != nil {
		return err
	}
	h = withCSP(cfg.csp, h)
	if !cfg.quiet {
		h = logRequests(h, stderr)
	}

	ln, err := net.Listen("tcp", cfg.addr)
	if err != nil {
		if errors.Is(err, syscall.EADDRINUSE) {
			return fmt.Errorf("listen on %s: %w (is another server running? choose another port with -addr)", cfg.addr, err)
		}
		return fmt.Errorf("listen on %s: %w", cfg.addr, err)
	}
	srv := &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 10 * time.Second,
		ErrorLog:          log.New(stderr, "serve: ", 0),
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()

	host, _, _ := net.SplitHostPort(cfg.addr)
	local, lan := siteURLs(host, ln.Addr().(*net.TCPAddr), lanIPs)
	fmt.Fprintf(stdout, "serving %s at %s\n", cfg.dir, local)
	switch {
	case lan == nil:
		fmt.Fprintln(stdout, "only this machine can reach it; -addr :8080 serves the local network too")
	case len(lan) == 0:
		fmt.Fprintln(stdout, "found no network address for a phone to use")
	default:
		for _, u := range lan {
			fmt.Fprintf(stdout, "on the local network (a phone on the same Wi-Fi): %s\n", u)
		}
	}
	fmt.Fprintln(stdout, "press Ctrl-C to stop")

	select {
	case err := <-errc:
		return fmt.Errorf("serve on %s: %w", ln.Addr(), err)
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.Background(), shutdownTimeout)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		srv.Close()
		fmt.Fprintf(stderr, "serve: closed requests still running after %v\n", shutdownTimeout)
	}
	return nil
}

// siteURLs returns the URL to open on this machine and, when the server
// listens on all interfaces (host empty or unspecified), one URL for each
// address that lanIPs returns; lan is nil when the server is local only.
// addr is the address actually listened on, which has the real port.
func siteURLs(host string, addr *net.TCPAddr, lanIPs func() []net.IP) (local string, lan []string) {
	port := fmt.Sprint(addr.Port)
	ip := net.ParseIP(host)
	if host != "" && (ip == nil || !ip.IsUnspecified()) {
		return "http://" + net.JoinHostPort(host, port), nil
	}
	lan = []string{}
	for _, ip := range lanIPs() {
		lan = append(lan, "http://"+net.JoinHostPort(ip.String(), port))
	}
	return "http://" + net.JoinHostPort("localhost", port), lan
}

// lanIPs returns the machine's IPv4 addresses other than loopback and
// link-local ones: those another device on the network can reach.
func lanIPs() []net.IP {
	addrs, err := net.InterfaceAddrs()
	if err != nil {
		return nil
	}
	var ips []net.IP
	for _, a := range addrs {
		n, ok := a.(*net.IPNet)
		if !ok {
			continue
		}
		if ip := n.IP.To4(); ip != nil && !ip.IsLoopback() && !ip.IsLinkLocalUnicast() {
			ips = append(ips, ip)
		}
	}
	return ips
}
