//go:build worker

// The Worker end to end: these tests start `wrangler dev` (workerd from
// npm, local mode, no Cloudflare account) on free loopback ports, with the
// Worker built by `make worker` and the site by `make site`, and talk to it
// over HTTP. Run them with `make test-worker`, or after those builds with
//
//	go test -tags worker -v ./wasm/worker
//
// BenchmarkLoad is `make bench-worker`'s load check.
package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"image"
	"image/color"
	"io"
	"io/fs"
	"math"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/tegaki/tegaki/nn/mnist/mnisttest"
	"github.com/tegaki/tegaki/nn/pretrained"
	"github.com/tegaki/tegaki/wasm/worker/digitapi"
	"github.com/tegaki/tegaki/wasm/worker/digitapi/digitapitest"
)

// root is the top of the repository, where wrangler.jsonc is.
const root = "../.."

// startTimeout bounds wrangler's start: it runs the build command (make
// worker) first, and the machine may be busy with other tests.
const startTimeout = 4 * time.Minute

func TestMain(m *testing.M) {
	code := m.Run()
	if err := dev.stop(); err != nil {
		fmt.Fprintln(os.Stderr, "stopping wrangler dev:", err)
		code = 1
	}
	// TEGAKI_WRANGLER_LOG names a file for wrangler's output (the Worker's
	// console output among it), which is otherwise shown only on failure.
	if path := os.Getenv("TEGAKI_WRANGLER_LOG"); path != "" {
		if err := os.WriteFile(path, []byte(dev.out.String()), 0o644); err != nil {
			fmt.Fprintln(os.Stderr, err)
		}
	}
	os.Exit(code)
}

// dev is the one wrangler dev that the tests share.
var dev wrangler

type wrangler struct {
	once   sync.Once
	url    string
	err    error
	cmd    *exec.Cmd
	exited chan struct{}
	out    syncBuffer
	config string // a fresh folder for wrangler's own settings and logs
}

// syncBuffer collects wrangler's output for error messages.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}

// worker returns the base URL of the running Worker, starting it first.
func worker(tb testing.TB) string {
	tb.Helper()
	dev.once.Do(func() { dev.err = dev.start() })
	if dev.err != nil {
		tb.Fatal(dev.err)
	}
	return dev.url
}

// freePort returns a loopback port that nothing listens on just now.
func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

func (w *wrangler) start() error {
	for _, need := range []struct{ path, fix string }{
		{"node_modules/.bin/wrangler", "npm ci"},
		{"dist/site/index.html", "make site"},
		{"dist/worker/app.wasm", "make worker"},
		{"dist/worker/entry.mjs", "make worker"},
	} {
		if _, err := os.Stat(filepath.Join(root, need.path)); err != nil {
			return fmt.Errorf("%s is missing: run `%s` at the top of the repository (or `make test-worker`)", need.path, need.fix)
		}
	}
	port, err := freePort()
	if err != nil {
		return err
	}
	inspector, err := freePort()
	if err != nil {
		return err
	}
	if w.config, err = os.MkdirTemp("", "tegaki-wrangler-"); err != nil {
		return err
	}
	config, err := testConfig(w.config)
	if err != nil {
		return err
	}
	w.url = "http://127.0.0.1:" + strconv.Itoa(port)
	w.cmd = exec.Command(filepath.Join("node_modules", ".bin", "wrangler"), "dev", "--config", config,
		"--ip", "127.0.0.1", "--port", strconv.Itoa(port),
		"--inspector-port", strconv.Itoa(inspector),
		"--show-interactive-dev-session=false", "--log-level", "log")
	w.cmd.Dir = root
	// Local mode asks nothing of Cloudflare: no metrics, no prompts, no
	// fetch of the Request.cf placeholder, settings in a fresh folder.
	w.cmd.Env = append(os.Environ(),
		"CI=1", "NO_COLOR=1", "WRANGLER_SEND_METRICS=false",
		"CLOUDFLARE_CF_FETCH_ENABLED=false", "XDG_CONFIG_HOME="+w.config)
	w.cmd.Stdout, w.cmd.Stderr = &w.out, &w.out
	// Its own process group, so that stop ends wrangler, workerd and the
	// build it runs together.
	w.cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := w.cmd.Start(); err != nil {
		return fmt.Errorf("starting wrangler dev: %v", err)
	}
	w.exited = make(chan struct{})
	go func() { w.cmd.Wait(); close(w.exited) }()

	// Ready once the API answers.
	client := &http.Client{Timeout: 10 * time.Second}
	deadline := time.Now().Add(startTimeout)
	for {
		res, err := client.Get(w.url + "/api/model")
		if err == nil {
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				return nil
			}
		}
		select {
		case <-w.exited:
			return fmt.Errorf("wrangler dev exited before it answered (%v):\n%s", w.cmd.ProcessState, w.out.String())
		case <-time.After(250 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("wrangler dev did not answer GET %s/api/model within %v (last: %v):\n%s", w.url, startTimeout, err, w.out.String())
		}
	}
}

// testConfig writes wrangler.jsonc into dir as plain JSON without its
// build command, with absolute paths. The tests run on what `make
// test-worker` built: wrangler dev would run the build command once more
// as its file watcher starts, and reload the Worker when that is done,
// answering 503 to requests in between.
func testConfig(dir string) (string, error) {
	src, err := os.ReadFile(filepath.Join(root, "wrangler.jsonc"))
	if err != nil {
		return "", err
	}
	// The file's comments are whole lines.
	var lines []string
	for _, l := range strings.Split(string(src), "\n") {
		if !strings.HasPrefix(strings.TrimSpace(l), "//") {
			lines = append(lines, l)
		}
	}
	var c map[string]any
	if err := json.Unmarshal([]byte(strings.Join(lines, "\n")), &c); err != nil {
		return "", fmt.Errorf("wrangler.jsonc: %v", err)
	}
	abs := func(rel any) string {
		p, _ := filepath.Abs(filepath.Join(root, fmt.Sprint(rel)))
		return p
	}
	assets, ok := c["assets"].(map[string]any)
	if !ok || c["main"] == nil || assets["directory"] == nil {
		return "", fmt.Errorf("wrangler.jsonc has no main or assets.directory")
	}
	delete(c, "build")
	delete(c, "$schema")
	c["main"] = abs(c["main"])
	assets["directory"] = abs(assets["directory"])
	b, err := json.MarshalIndent(c, "", "  ")
	if err != nil {
		return "", err
	}
	path := filepath.Join(dir, "wrangler.json")
	return path, os.WriteFile(path, b, 0o644)
}

// stop ends wrangler dev's process group, politely and then not, and
// checks that nothing of it is left listening.
func (w *wrangler) stop() error {
	if w.cmd == nil || w.cmd.Process == nil {
		return nil
	}
	defer os.RemoveAll(w.config)
	pgid := w.cmd.Process.Pid
	syscall.Kill(-pgid, syscall.SIGTERM)
	select {
	case <-w.exited:
	case <-time.After(20 * time.Second):
		syscall.Kill(-pgid, syscall.SIGKILL)
		<-w.exited
	}
	// workerd may outlive wrangler by a moment.
	for range 100 {
		if syscall.Kill(-pgid, 0) != nil {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	if syscall.Kill(-pgid, 0) == nil {
		syscall.Kill(-pgid, syscall.SIGKILL)
		return errors.New("processes of wrangler dev outlived it by 10 s; killed")
	}
	if c, err := net.DialTimeout("tcp", strings.TrimPrefix(w.url, "http://"), time.Second); err == nil {
		c.Close()
		return fmt.Errorf("%s still accepts connections after wrangler dev stopped", w.url)
	}
	return nil
}

// post sends body to the Worker's /api/predict.
func post(tb testing.TB, url, contentType string, body []byte) (*http.Response, []byte) {
	tb.Helper()
	req, err := http.NewRequest("POST", url+"/api/predict", bytes.NewReader(body))
	if err != nil {
		tb.Fatal(err)
	}
	req.Header.Set("Content-Type", contentType)
	return send(tb, req)
}

var client = &http.Client{Timeout: time.Minute}

func send(tb testing.TB, req *http.Request) (*http.Response, []byte) {
	tb.Helper()
	res, err := client.Do(req)
	if err != nil {
		tb.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		tb.Fatalf("%s %s: reading the answer: %v", req.Method, req.URL, err)
	}
	return res, b
}

// TestMNIST posts MNIST test digits to the Worker as PNG scans (black on
// white, four times larger) and as pixels (white on black, as MNIST stores
// them), and checks the answers against the labels and against the same
// model run natively.
func TestMNIST(t *testing.T) {
	url := worker(t)
	_, test, err := mnisttest.Load()
	if err != nil {
		t.Fatal(err)
	}
	c, err := pretrained.NewPredictor()
	if err != nil {
		t.Fatal(err)
	}
	const n = 60
	var right [2]int
	var disagree int
	var maxDiff float64
	for _, i := range digitapitest.Spread(n) {
		label := int(test.Labels[i])
		for k, in := range []struct {
			contentType string
			body        []byte
			img         *image.Gray
		}{
			{"image/png", digitapitest.EncodePNG(t, digitapitest.Scanned(test, i, 4)), digitapitest.Scanned(test, i, 4)},
			{"application/json", digitapitest.PixelsJSON(digitapitest.Grey(test, i)), digitapitest.Grey(test, i)},
		} {
			res, b := post(t, url, in.contentType, in.body)
			var p digitapi.Prediction
			if res.StatusCode != http.StatusOK || json.Unmarshal(b, &p) != nil {
				t.Fatalf("digit %d as %s: %d %s", i, in.contentType, res.StatusCode, b)
			}
			if p.Digit == label {
				right[k]++
			}
			if p.Model.SHA256 != pretrained.SHA256() {
				t.Errorf("model %s, want the embedded %s", p.Model.SHA256, pretrained.SHA256())
			}
			// The Worker runs the same code as WebAssembly; gonum's native
			// assembly may sum in another order, so allow rounding.
			native := digitapitest.Predict(t, c, in.img)
			if native.Digit != p.Digit {
				disagree++
				t.Errorf("digit %d as %s: the Worker says %d, native %d", i, in.contentType, p.Digit, native.Digit)
			}
			for d := range 10 {
				maxDiff = max(maxDiff, math.Abs(float64(native.Probabilities[d]-p.Probabilities[d])))
			}
		}
	}
	t.Logf("%d MNIST test digits: %d right as PNG, %d as pixels; largest difference from native %.2g", n, right[0], right[1], maxDiff)
	for k, kind := range []string{"PNG", "pixels"} {
		if right[k]*100 < 98*n {
			t.Errorf("%d of %d right as %s, want at least 98%%", right[k], n, kind)
		}
	}
	if maxDiff > 1e-4 {
		t.Errorf("probabilities differ from native by up to %g", maxDiff)
	}

	// A drawing, as the page would send it.
	res, b := post(t, url, "application/json", []byte(`{"strokes": [[[60, 60], [220, 60], [120, 240]]], "width": 18}`))
	var p digitapi.Prediction
	if res.StatusCode != http.StatusOK || json.Unmarshal(b, &p) != nil || p.Digit != 7 {
		t.Errorf("strokes of a 7: %d %s", res.StatusCode, b)
	}
	if got := res.Header.Get("Access-Control-Allow-Origin"); got != "*" {
		t.Errorf("Access-Control-Allow-Origin %q, want *", got)
	}
}

// TestBadInput sends every kind of bad request through workerd.
func TestBadInput(t *testing.T) {
	url := worker(t)
	for _, in := range digitapitest.BadInputs(t) {
		req, err := http.NewRequest(in.Method, url+in.Path, bytes.NewReader(in.Body))
		if err != nil {
			t.Fatal(err)
		}
		if in.ContentType != "" {
			req.Header.Set("Content-Type", in.ContentType)
		}
		res, b := send(t, req)
		digitapitest.CheckBad(t, in, res, b)
	}

	// A body of unknown length (chunked) that goes past 1 MiB.
	req, err := http.NewRequest("POST", url+"/api/predict", io.MultiReader(bytes.NewReader(make([]byte, digitapi.MaxBody)), strings.NewReader("{}")))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	if req.ContentLength != 0 {
		t.Fatalf("ContentLength %d, want unknown", req.ContentLength)
	}
	res, b := send(t, req)
	if res.StatusCode != http.StatusRequestEntityTooLarge {
		t.Errorf("chunked body over 1 MiB: %d %s, want 413", res.StatusCode, b)
	}

	// A preflight, and HEAD.
	req, _ = http.NewRequest("OPTIONS", url+"/api/predict", nil)
	req.Header.Set("Origin", "https://example.org")
	req.Header.Set("Access-Control-Request-Method", "POST")
	req.Header.Set("Access-Control-Request-Headers", "content-type")
	res, _ = send(t, req)
	if res.StatusCode != http.StatusNoContent || res.Header.Get("Access-Control-Allow-Origin") != "*" ||
		!strings.Contains(res.Header.Get("Access-Control-Allow-Methods"), "POST") {
		t.Errorf("preflight: %d %v", res.StatusCode, res.Header)
	}
	req, _ = http.NewRequest("HEAD", url+"/api/model", nil)
	if res, b := send(t, req); res.StatusCode != http.StatusOK || len(b) != 0 {
		t.Errorf("HEAD /api/model: %d with %d bytes", res.StatusCode, len(b))
	}
}

// TestLargestImages posts images of the most pixels the Worker takes,
// four at once, in colour: each decodes to 16 MB and more, so they test
// the Worker's memory (128 MB) as well as its patience.
func TestLargestImages(t *testing.T) {
	url := worker(t)
	const side = 2048 // 2048×2048 is digitapi.MaxImagePixels
	seven := digitapitest.SevenImage()
	img := image.NewNRGBA(image.Rect(0, 0, side, side))
	for y := range side {
		for x := range side {
			v := seven.GrayAt(x*100/side, y*100/side).Y
			img.SetNRGBA(x, y, color.NRGBA{v, v, 255, 255})
		}
	}
	body := digitapitest.EncodePNG(t, img)
	if len(body) > digitapi.MaxBody {
		t.Fatalf("the test image is %d bytes, over the API's limit", len(body))
	}
	var wg sync.WaitGroup
	for k := range 4 {
		wg.Go(func() {
			start := time.Now()
			res, b := post(t, url, "image/png", body)
			var p digitapi.Prediction
			if res.StatusCode != http.StatusOK || json.Unmarshal(b, &p) != nil || p.Digit != 7 {
				t.Errorf("%d×%d PNG (%d bytes) #%d: %d %s", side, side, len(body), k, res.StatusCode, b)
			}
			t.Logf("%d×%d PNG (%d bytes) #%d: %v", side, side, len(body), k, time.Since(start).Round(time.Millisecond))
		})
	}
	wg.Wait()
}

// TestSite fetches every file of the built site through the Worker, the
// page and its wasm among them, and compares it with the file.
func TestSite(t *testing.T) {
	url := worker(t)
	site := filepath.Join(root, "dist", "site")
	var wasm, html int
	err := filepath.WalkDir(site, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(site, path)
		rel = filepath.ToSlash(rel)
		if rel == "_headers" || rel == ".assetsignore" || strings.HasSuffix(rel, ".gz") || strings.HasSuffix(rel, ".br") {
			// Configuration, and siblings for tools/serve: never served.
			if res, _ := send(t, mustGet(t, url+"/"+rel)); res.StatusCode == http.StatusOK {
				t.Errorf("GET /%s: %d, want it kept from the Worker's assets", rel, res.StatusCode)
			}
			return nil
		}
		res, got := send(t, mustGet(t, url+"/"+rel))
		want, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		switch {
		case res.StatusCode != http.StatusOK:
			t.Errorf("GET /%s: %d", rel, res.StatusCode)
		case !bytes.Equal(got, want):
			t.Errorf("GET /%s: %d bytes that differ from the file's %d (was the site rebuilt meanwhile?)", rel, len(got), len(want))
		}
		if csp := res.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "'wasm-unsafe-eval'") {
			t.Errorf("GET /%s: Content-Security-Policy %q, want the page's policy (_headers)", rel, csp)
		}
		switch filepath.Ext(rel) {
		case ".wasm":
			wasm++
			if ct := res.Header.Get("Content-Type"); ct != "application/wasm" {
				t.Errorf("GET /%s: Content-Type %q, want application/wasm", rel, ct)
			}
			// Its name holds its hash: browsers may keep it (_headers).
			if cc := res.Header.Get("Cache-Control"); !strings.Contains(cc, "immutable") {
				t.Errorf("GET /%s: Cache-Control %q, want immutable", rel, cc)
			}
		case ".html":
			html++
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if wasm == 0 || html == 0 {
		t.Errorf("the site has %d wasm and %d HTML files, want the page and its wasm", wasm, html)
	}
	res, b := send(t, mustGet(t, url+"/"))
	if res.StatusCode != http.StatusOK || !strings.Contains(res.Header.Get("Content-Type"), "text/html") || !bytes.Contains(b, []byte("<html")) {
		t.Errorf("GET /: %d %s, want the page", res.StatusCode, res.Header.Get("Content-Type"))
	}
	if res, _ := send(t, mustGet(t, url+"/no-such-file.txt")); res.StatusCode != http.StatusNotFound {
		t.Errorf("GET /no-such-file.txt: %d, want 404", res.StatusCode)
	}
}

func mustGet(tb testing.TB, url string) *http.Request {
	req, err := http.NewRequest("GET", url, nil)
	if err != nil {
		tb.Fatal(err)
	}
	return req
}

// BenchmarkLoad is the load check of `make bench-worker`: b.N requests
// (10,000 with -benchtime 10000x) from 16 clients at once, each a PNG of
// an MNIST test digit, none of which may fail. It reports requests per
// second and the median and 99th percentile latency.
func BenchmarkLoad(b *testing.B) {
	const clients = 16
	url := worker(b)
	_, test, err := mnisttest.Load()
	if err != nil {
		b.Fatal(err)
	}
	var bodies [][]byte
	for _, i := range digitapitest.Spread(50) {
		bodies = append(bodies, digitapitest.EncodePNG(b, digitapitest.Scanned(test, i, 4)))
	}
	tr := &http.Transport{MaxIdleConnsPerHost: clients}
	defer tr.CloseIdleConnections()
	c := &http.Client{Transport: tr, Timeout: time.Minute}

	latencies := make([]time.Duration, b.N)
	var next, failed atomic.Int64
	var firstErr atomic.Value
	var wg sync.WaitGroup
	b.ResetTimer()
	start := time.Now()
	for range clients {
		wg.Go(func() {
			for {
				k := next.Add(1) - 1
				if k >= int64(b.N) {
					return
				}
				t0 := time.Now()
				err := postOnce(c, url, bodies[k%int64(len(bodies))])
				latencies[k] = time.Since(t0)
				if err != nil {
					failed.Add(1)
					firstErr.CompareAndSwap(nil, err)
				}
			}
		})
	}
	wg.Wait()
	elapsed := time.Since(start)
	b.StopTimer()
	slices.Sort(latencies)
	ms := func(q float64) float64 {
		return float64(latencies[min(len(latencies)-1, int(q*float64(len(latencies))))].Microseconds()) / 1000
	}
	b.ReportMetric(float64(b.N)/elapsed.Seconds(), "req/s")
	b.ReportMetric(ms(0.50), "ms/p50")
	b.ReportMetric(ms(0.99), "ms/p99")
	b.ReportMetric(float64(failed.Load()), "failed")
	if n := failed.Load(); n > 0 {
		b.Fatalf("%d of %d requests failed; the first: %v", n, b.N, firstErr.Load())
	}
}

// postOnce posts one PNG and checks that the answer is a prediction.
func postOnce(c *http.Client, url string, body []byte) error {
	res, err := c.Post(url+"/api/predict", "image/png", bytes.NewReader(body))
	if err != nil {
		return err
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		return err
	}
	var p digitapi.Prediction
	if res.StatusCode != http.StatusOK || json.Unmarshal(b, &p) != nil {
		return fmt.Errorf("%d %s", res.StatusCode, b)
	}
	return nil
}
