package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"flag"
	"io"
	"net"
	"net/http"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tegaki/tegaki/tools/internal/cli"
)

// lockedBuffer is a bytes.Buffer safe for the server's goroutines to write
// while the test reads it.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// TestRun runs the command on a free port, fetches pages from it over real
// HTTP, and stops it the way Ctrl-C does, by cancelling its context.
func TestRun(t *testing.T) {
	dir := newSite(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	stdoutR, stdoutW := io.Pipe()
	var stderr lockedBuffer
	done := make(chan error, 1)
	go func() {
		err := run(ctx, []string{"-dir", dir, "-addr", "127.0.0.1:0"}, stdoutW, &stderr)
		stdoutW.CloseWithError(err)
		done <- err
	}()

	lines := bufio.NewScanner(stdoutR)
	if !lines.Scan() {
		t.Fatalf("no output: %v; stderr:\n%s", lines.Err(), stderr.String())
	}
	first := lines.Text()
	prefix := "serving " + dir + " at "
	if !strings.HasPrefix(first, prefix) {
		t.Fatalf("first line %q, want it to start with %q", first, prefix)
	}
	base := strings.TrimPrefix(first, prefix)
	if !strings.HasPrefix(base, "http://127.0.0.1:") || strings.HasSuffix(base, ":0") {
		t.Fatalf("URL %q, want http://127.0.0.1 with the real port", base)
	}
	go io.Copy(io.Discard, stdoutR) // let run print the rest

	for _, tt := range []struct {
		path, wantType string
		wantBody       string
	}{
		{"/", "text/html; charset=utf-8", siteFiles["index.html"]},
		{"/main.wasm", "application/wasm", siteFiles["main.wasm"]},
	} {
		resp, err := http.Get(base + tt.path) // the client asks for gzip and decodes it
		if err != nil {
			t.Fatal(err)
		}
		body, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil {
			t.Fatal(err)
		}
		if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != tt.wantType || string(body) != tt.wantBody {
			t.Errorf("GET %s: status %d, type %q, %d bytes; want 200, %q, %d bytes",
				tt.path, resp.StatusCode, resp.Header.Get("Content-Type"), len(body), tt.wantType, len(tt.wantBody))
		}
		if got := resp.Header.Get("Content-Security-Policy"); got != defaultCSP {
			t.Errorf("GET %s: Content-Security-Policy %q, want the default", tt.path, got)
		}
	}

	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("run after cancel: %v, want nil", err)
		}
	case <-time.After(shutdownTimeout + 5*time.Second):
		t.Fatal("run did not return after its context was cancelled")
	}
	if !strings.Contains(stderr.String(), "GET /main.wasm 200 ") {
		t.Errorf("request log lacks GET /main.wasm:\n%s", stderr.String())
	}
	if _, err := http.Get(base + "/"); err == nil {
		t.Errorf("server still answers after shutdown")
	}
}

func TestRunErrors(t *testing.T) {
	dir := newSite(t)
	busy, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer busy.Close()
	missing := filepath.Join(t.TempDir(), "site")
	for _, tt := range []struct {
		name  string
		args  []string
		check func(error) bool
		want  string
	}{
		{"help", []string{"-h"}, func(err error) bool { return errors.Is(err, flag.ErrHelp) }, "flag.ErrHelp"},
		{"unknown flag", []string{"-port", "80"}, isUsage, "a usage error"},
		{"argument", []string{dir}, isUsage, "a usage error"},
		{"missing dir", []string{"-dir", missing}, contains(missing + " does not exist: run `make site` first"), "a hint to build"},
		{"bad address", []string{"-dir", dir, "-addr", "localhost:http-alt-nope"}, contains("listen on localhost:http-alt-nope"), "a listen error"},
		{"port in use", []string{"-dir", dir, "-addr", busy.Addr().String()}, contains("another server"), "a hint about the port"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			err := run(context.Background(), tt.args, &stdout, &stderr)
			if err == nil || !tt.check(err) {
				t.Errorf("run(%q) = %v, want %s", tt.args, err, tt.want)
			}
		})
	}
}

func isUsage(err error) bool {
	var u cli.UsageError
	return errors.As(err, &u)
}

func contains(s string) func(error) bool {
	return func(err error) bool { return strings.Contains(err.Error(), s) }
}

func TestHelp(t *testing.T) {
	var stderr bytes.Buffer
	run(context.Background(), []string{"-h"}, io.Discard, &stderr)
	for _, want := range []string{"Usage: serve", "-addr :8080", "phone", "-dir", "-quiet", "-csp", "wasm-unsafe-eval", "immutable"} {
		if !strings.Contains(stderr.String(), want) {
			t.Errorf("-h output lacks %q:\n%s", want, stderr.String())
		}
	}
}

func TestSiteURLs(t *testing.T) {
	lan := func() []net.IP { return []net.IP{net.IPv4(192, 168, 1, 23), net.IPv4(10, 0, 0, 5)} }
	none := func() []net.IP { return nil }
	addr := &net.TCPAddr{IP: net.IPv4zero, Port: 8080}
	for _, tt := range []struct {
		host      string
		lanIPs    func() []net.IP
		wantLocal string
		wantLAN   []string
	}{
		{"localhost", lan, "http://localhost:8080", nil},
		{"127.0.0.1", lan, "http://127.0.0.1:8080", nil},
		{"::1", lan, "http://[::1]:8080", nil},
		{"192.168.1.23", lan, "http://192.168.1.23:8080", nil},
		{"", lan, "http://localhost:8080", []string{"http://192.168.1.23:8080", "http://10.0.0.5:8080"}},
		{"0.0.0.0", lan, "http://localhost:8080", []string{"http://192.168.1.23:8080", "http://10.0.0.5:8080"}},
		{"::", lan, "http://localhost:8080", []string{"http://192.168.1.23:8080", "http://10.0.0.5:8080"}},
		{"", none, "http://localhost:8080", []string{}},
	} {
		local, gotLAN := siteURLs(tt.host, addr, tt.lanIPs)
		if local != tt.wantLocal || !slices.Equal(gotLAN, tt.wantLAN) || (gotLAN == nil) != (tt.wantLAN == nil) {
			t.Errorf("siteURLs(%q) = %q, %q; want %q, %q", tt.host, local, gotLAN, tt.wantLocal, tt.wantLAN)
		}
	}
}

func TestLANIPs(t *testing.T) {
	for _, ip := range lanIPs() {
		if ip.To4() == nil || ip.IsLoopback() || ip.IsLinkLocalUnicast() {
			t.Errorf("lanIPs() returned %v, want IPv4 addresses another device can reach", ip)
		}
	}
}
