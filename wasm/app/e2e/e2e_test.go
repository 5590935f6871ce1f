//go:build browser

// Package e2e tests the browser app end to end: it builds the site as `make
// site` does (tools/bundle), serves it with tools/serve, and drives Debian's
// headless Chromium with chromedp, drawing real MNIST test digits as a
// person would, with a mouse on a desktop and with a finger on an emulated
// phone. offline_test.go checks the page without a network: the service
// worker, updates, the single-file page and installability.
//
// Chromium must be installed (.ci/run installs Debian's chromium); the tests
// fail, rather than skip, when it is missing. They carry the build tag
// "browser", so that `go test ./...` needs no browser, and `make test` runs
// them after the other tests (`make test-browser` alone): drawing 100
// digits through software-rendered WebGL takes about 5 minutes on a 2-core
// machine.
package e2e

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/chromedp"

	"github.com/tegaki/tegaki/nn/digit/trace"
	"github.com/tegaki/tegaki/nn/mnist/mnisttest"
	"github.com/tegaki/tegaki/wasm/app/sketch"
)

// The site under test, set by TestMain: the address where tools/serve
// serves it, its folder, the single-file page, and the folder holding the
// tools (serve, bundle) built for the tests.
var (
	siteURL    string
	siteDir    string
	singlePage string
	toolDir    string
)

// ScreenshotDir is where the tests write screenshots of the layouts, for
// people to look at (README names it).
const ScreenshotDir = "../../../dist/screenshots"

func TestMain(m *testing.M) {
	code, err := serveSite(m)
	if err != nil {
		fmt.Fprintln(os.Stderr, "e2e:", err)
		os.Exit(1)
	}
	os.Exit(code)
}

// serveSite builds tools/serve and tools/bundle, then the site as `make
// site` does, all into a temporary folder, serves the site on a free
// loopback port and runs the tests.
func serveSite(m *testing.M) (int, error) {
	dir, err := os.MkdirTemp("", "tegaki-e2e")
	if err != nil {
		return 0, err
	}
	defer os.RemoveAll(dir)
	toolDir = filepath.Join(dir, "bin")
	for _, tool := range []string{"serve", "bundle"} {
		out, err := exec.Command("go", "build", "-o", filepath.Join(toolDir, tool), "github.com/tegaki/tegaki/tools/"+tool).CombinedOutput()
		if err != nil {
			return 0, fmt.Errorf("build %s: %v\n%s", tool, err, out)
		}
	}
	if siteDir, singlePage, err = buildSite(filepath.Join(dir, "build"), ""); err != nil {
		return 0, err
	}
	url, stop, err := startServer(siteDir)
	if err != nil {
		return 0, err
	}
	defer stop()
	siteURL = url
	return m.Run(), nil
}

// buildSite builds the app and the site into dir as `make site` does: the
// wasm, then tools/bundle, which writes dir/site and dir/tegaki.html.
// overlay, if not empty, is a `go build -overlay` file, which can replace
// the embedded model.
func buildSite(dir, overlay string) (site, single string, err error) {
	wasm := filepath.Join(dir, "main.wasm")
	args := []string{"build", "-trimpath", "-ldflags=-s -w", "-o", wasm}
	if overlay != "" {
		args = append(args, "-overlay", overlay)
	}
	build := exec.Command("go", append(args, "github.com/tegaki/tegaki/wasm/app")...)
	build.Env = append(os.Environ(), "GOOS=js", "GOARCH=wasm")
	if out, err := build.CombinedOutput(); err != nil {
		return "", "", fmt.Errorf("build app: %v\n%s", err, out)
	}
	site, single = filepath.Join(dir, "site"), filepath.Join(dir, "tegaki.html")
	wasmExec := filepath.Join(runtime.GOROOT(), "lib", "wasm", "wasm_exec.js")
	bundle := exec.Command(filepath.Join(toolDir, "bundle"), "-site", "../../../site", "-wasm", wasm, "-wasm-exec", wasmExec, "-o", site, "-single", single)
	if out, err := bundle.CombinedOutput(); err != nil {
		return "", "", fmt.Errorf("bundle: %v\n%s", err, out)
	}
	return site, single, nil
}

// startServer serves dir with tools/serve on a free loopback port and
// returns its URL and a function that stops it.
func startServer(dir string) (url string, stop func(), err error) {
	srv := exec.Command(filepath.Join(toolDir, "serve"), "-dir", dir, "-addr", "127.0.0.1:0", "-quiet")
	stdout, err := srv.StdoutPipe()
	if err != nil {
		return "", nil, err
	}
	srv.Stderr = os.Stderr
	if err := srv.Start(); err != nil {
		return "", nil, err
	}
	stop = func() {
		srv.Process.Signal(os.Interrupt)
		srv.Wait()
	}
	// The first line says where it serves: "serving DIR at http://...".
	line, err := bufio.NewReader(stdout).ReadString('\n')
	if err != nil {
		stop()
		return "", nil, fmt.Errorf("serve: %v", err)
	}
	i := strings.Index(line, "http://")
	if i < 0 {
		stop()
		return "", nil, fmt.Errorf("serve printed %q, want its URL", line)
	}
	go io.Copy(io.Discard, stdout)
	return strings.TrimSpace(line[i:]), stop, nil
}

// device is a browser viewport.
type device struct {
	name          string
	width, height int64
	scale         float64
	mobile        bool // phone: touch input, mobile viewport
}

var (
	desktop = device{"desktop", 1280, 800, 1, false}
	phone   = device{"phone", 412, 915, 2, true}
)

// browser starts headless Chromium showing the app on d and waits until the
// app is ready.
func browser(t testing.TB, d device) context.Context {
	t.Helper()
	ctx := newBrowser(t, d)
	open(t, ctx, siteURL)
	return ctx
}

// open navigates to url and waits until the app is ready.
func open(t testing.TB, ctx context.Context, url string) {
	t.Helper()
	ready, cancelReady := context.WithTimeout(ctx, 60*time.Second)
	defer cancelReady()
	if err := chromedp.Do(ready, chromedp.Navigate(url), chromedp.WaitVisible(chromedp.CSS(`body[data-ready="true"]`))); err != nil {
		t.Fatalf("app not ready: %v", err)
	}
}

// newBrowser starts headless Chromium with a fresh profile and the viewport
// of d, showing a blank page. extra adds to Chromium's options.
func newBrowser(t testing.TB, d device, extra ...chromedp.ExecAllocatorOption) context.Context {
	t.Helper()
	if _, err := exec.LookPath("chromium"); err != nil {
		t.Fatal("chromium is not installed (apt-get install chromium; .ci/run does it)")
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath("chromium"), chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.Flag("enable-unsafe-swiftshader", true),
		chromedp.Flag("disable-quic", true),
		chromedp.UserDataDir(t.TempDir()))
	opts = append(opts, extra...)
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(actx)
	t.Cleanup(func() { cancel(); cancelAlloc() })
	viewport := []chromedp.EmulateViewportOption{chromedp.EmulateScale(d.scale)}
	if d.mobile {
		viewport = append(viewport, chromedp.EmulateMobile, chromedp.EmulateTouch, chromedp.EmulatePortrait)
	}
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(d.width, d.height, viewport...)); err != nil {
		t.Fatal(err)
	}
	return ctx
}

// layout returns the app's layout on d in CSS pixels, computed by the same
// code the app uses.
func layout(d device) sketch.Layout {
	l := sketch.NewPageLayout(float64(d.width)*d.scale, float64(d.height)*d.scale, d.scale)
	for _, r := range []*sketch.Rect{&l.Canvas, &l.Result, &l.Preview, &l.PreviewLabel, &l.Bars, &l.Open, &l.Clear, &l.Undo} {
		r.X, r.Y, r.W, r.H = r.X/d.scale, r.Y/d.scale, r.W/d.scale, r.H/d.scale
	}
	return l
}

// drawingArea reads where the page says its drawing area is (the element
// with data-drawing-area), in CSS pixels, once the app has placed it, and
// checks its accessible name.
func drawingArea(t *testing.T, ctx context.Context) sketch.Rect {
	t.Helper()
	waitFor(t, ctx, "the drawing area", `!document.querySelector("[data-drawing-area]").hidden`, 10*time.Second)
	a := eval[struct {
		X, Y, W, H float64
		Label      string
	}](t, ctx, `(() => {
		const e = document.querySelector("[data-drawing-area]"), r = e.getBoundingClientRect();
		return {X: r.x, Y: r.y, W: r.width, H: r.height, Label: e.getAttribute("aria-label")};
	})()`)
	if a.Label != "drawing area: draw one digit" {
		t.Errorf("drawing area's accessible name %q, want %q", a.Label, "drawing area: draw one digit")
	}
	return sketch.Rect{X: a.X, Y: a.Y, W: a.W, H: a.H}
}

// near reports whether two rectangles agree to within rounding (the page
// places elements to a hundredth of a CSS pixel).
func near(a, b sketch.Rect) bool {
	close := func(x, y float64) bool { return x-y < 0.05 && y-x < 0.05 }
	return close(a.X, b.X) && close(a.Y, b.Y) && close(a.W, b.W) && close(a.H, b.H)
}

// TestDrawingArea checks that the page publishes its drawing area where
// the app draws, and keeps it there when a phone turns to landscape.
func TestDrawingArea(t *testing.T) {
	ctx := browser(t, phone)
	if got, want := drawingArea(t, ctx), layout(phone).Canvas; !near(got, want) {
		t.Errorf("portrait: drawing area %+v, want the canvas's %+v", got, want)
	}
	turned := device{"phone, landscape", phone.height, phone.width, phone.scale, true}
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(turned.width, turned.height,
		chromedp.EmulateScale(turned.scale), chromedp.EmulateMobile, chromedp.EmulateTouch, chromedp.EmulateLandscape)); err != nil {
		t.Fatal(err)
	}
	want := layout(turned).Canvas
	cond := fmt.Sprintf(`(() => { const r = document.querySelector("[data-drawing-area]").getBoundingClientRect(); return Math.abs(r.x - %g) < 0.05 && Math.abs(r.width - %g) < 0.05; })()`, want.X, want.W)
	waitFor(t, ctx, "the drawing area to follow the rotation", cond, 10*time.Second)
	if got := drawingArea(t, ctx); !near(got, want) {
		t.Errorf("landscape: drawing area %+v, want the canvas's %+v", got, want)
	}
}

// prediction reads the DOM mirror of the result.
func prediction(t testing.TB, ctx context.Context) (digit, probs, ms string) {
	t.Helper()
	var vals [3]string
	for i, name := range []string{"data-digit", "data-probs", "data-ms"} {
		r, err := chromedp.Run(ctx, chromedp.AttributeValue(chromedp.CSS("#prediction"), name))
		if err != nil {
			t.Fatal(err)
		}
		vals[i] = r.Value
	}
	return vals[0], vals[1], vals[2]
}

// pointer replays strokes as mouse or touch events.
type pointer struct {
	touch bool
}

func (p pointer) event(kind string, x, y float64) chromedp.Action[chromedp.Void] {
	if !p.touch {
		typ := map[string]input.DispatchMouseEventType{"down": chromedp.MousePressed, "move": chromedp.MouseMoved, "up": chromedp.MouseReleased}[kind]
		opts := []chromedp.MouseOption{chromedp.ButtonLeft}
		if kind != "move" {
			opts = append(opts, chromedp.ClickCount(1))
		}
		return chromedp.MouseEvent(typ, x, y, opts...)
	}
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		params := input.DispatchTouchEventParams{Type: input.DispatchTouchEventTypeTouchStart}
		switch kind {
		case "move":
			params.Type = input.DispatchTouchEventTypeTouchMove
		case "up":
			params.Type = input.DispatchTouchEventTypeTouchEnd
		}
		if kind != "up" {
			params.TouchPoints = []*input.TouchPoint{{X: x, Y: y}}
		} else {
			params.TouchPoints = []*input.TouchPoint{}
		}
		_, err := cdp.Call(ctx, t, input.DispatchTouchEvent, params)
		return err
	})
}

// tap presses and releases at the centre of r.
func (p pointer) tap(r sketch.Rect) []chromedp.Action[chromedp.Void] {
	x, y := r.X+r.W/2, r.Y+r.H/2
	return []chromedp.Action[chromedp.Void]{p.event("down", x, y), chromedp.Sleep(40 * time.Millisecond), p.event("up", x, y), chromedp.Sleep(60 * time.Millisecond)}
}

// draw replays strokes given in a 28×28 space on the canvas, moving in steps
// of at most 30 CSS pixels, as a quick finger or mouse does at 60 events a
// second. Each event waits for the browser to handle it, which paces the
// moves. After each press it waits until the app has seen the pen down
// (#prediction's aria-busy turns "true"), and after each release until the
// app has predicted the drawing so far (aria-busy "false"), so that a slow
// machine makes the test slower, not wrong.
func (p pointer) draw(canvas sketch.Rect, strokes [][]trace.Point) []chromedp.Action[chromedp.Void] {
	var acts []chromedp.Action[chromedp.Void]
	at := func(q trace.Point) (float64, float64) {
		return canvas.X + q.X/28*canvas.W, canvas.Y + q.Y/28*canvas.H
	}
	for _, st := range strokes {
		x, y := at(st[0])
		acts = append(acts, p.event("down", x, y), chromedp.WaitReady(chromedp.CSS(`#prediction[aria-busy="true"]`)))
		for _, q := range st[1:] {
			nx, ny := at(q)
			steps := int(max(abs(nx-x), abs(ny-y))/30) + 1
			for s := 1; s <= steps; s++ {
				f := float64(s) / float64(steps)
				acts = append(acts, p.event("move", x+(nx-x)*f, y+(ny-y)*f))
			}
			x, y = nx, ny
		}
		acts = append(acts, chromedp.Sleep(35*time.Millisecond), p.event("up", x, y), chromedp.WaitReady(chromedp.CSS(`#prediction[aria-busy="false"]`)))
	}
	return acts
}

func abs(x float64) float64 { return max(x, -x) }

// testDigits returns n MNIST test digits, spread over the set, traced into
// strokes.
func testDigits(t testing.TB, n int) (strokes [][][]trace.Point, labels []int) {
	t.Helper()
	_, test, err := mnisttest.Load()
	if err != nil {
		t.Fatal(err)
	}
	for i := range n {
		k := i * (test.Len() / n) // a fixed spread, not a chosen few
		s, _ := trace.Strokes(test.Image(k), test.Cols, test.Rows)
		strokes = append(strokes, s)
		labels = append(labels, int(test.Labels[k]))
	}
	return strokes, labels
}

// drawDigits draws MNIST digits one after another, clearing in between with
// the Clear button, and counts the ones the page reads correctly.
func drawDigits(t *testing.T, d device) {
	ctx := browser(t, d)
	l := layout(d)
	// Draw where the page says its drawing area is, as a script would.
	if area := drawingArea(t, ctx); !near(area, l.Canvas) {
		t.Errorf("drawing area %+v, want the canvas's %+v", area, l.Canvas)
	} else {
		l.Canvas = area
	}
	p := pointer{touch: d.mobile}
	if digit, _, _ := prediction(t, ctx); digit != "" {
		t.Errorf("blank canvas: data-digit = %q, want \"\"", digit)
	}
	strokes, labels := testDigits(t, 50)
	correct := 0
	for i, st := range strokes {
		acts := append(p.tap(l.Clear), p.draw(l.Canvas, st)...)
		if err := chromedp.Do(ctx, acts...); err != nil {
			t.Fatal(err)
		}
		got, _, _ := prediction(t, ctx)
		if got == strconv.Itoa(labels[i]) {
			correct++
		} else {
			t.Logf("digit %d: a %d read as %q", i, labels[i], got)
		}
		if i == 0 {
			screenshot(t, ctx, d.name)
		}
	}
	scroll, err := chromedp.Run(ctx, chromedp.Evaluate[float64](`window.scrollX + window.scrollY + document.scrollingElement.scrollTop`))
	if err != nil {
		t.Fatal(err)
	}
	if scroll != 0 {
		t.Errorf("the page scrolled by %v while drawing", scroll)
	}
	t.Logf("%s: %d of %d MNIST test digits read correctly", d.name, correct, len(labels))
	if correct < 46 {
		t.Errorf("%d of %d digits read correctly, want at least 46", correct, len(labels))
	}
}

func TestDrawMouseDesktop(t *testing.T) { drawDigits(t, desktop) }
func TestDrawTouchPhone(t *testing.T)   { drawDigits(t, phone) }

// screenshot saves the page as ScreenshotDir/<name>.png.
func screenshot(t testing.TB, ctx context.Context, name string) {
	t.Helper()
	png, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(ScreenshotDir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(ScreenshotDir, name+".png"), png, 0o644); err != nil {
		t.Fatal(err)
	}
}

// key sends one key event: key and code as in KeyboardEvent, vk the
// Windows virtual key code, modifiers as in the DevTools protocol (2 is
// Control).
func key(typ input.DispatchKeyEventType, key, code string, vk, modifiers int64) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := cdp.Call(ctx, t, input.DispatchKeyEvent, input.DispatchKeyEventParams{
			Type: typ, Key: key, Code: code, WindowsVirtualKeyCode: vk, NativeVirtualKeyCode: vk, Modifiers: modifiers,
		})
		return err
	})
}

// press holds keys down for a few frames, then releases them in reverse
// order, as fingers on a keyboard do; the app samples keys once a frame.
func press(keys ...[3]any) []chromedp.Action[chromedp.Void] {
	var acts []chromedp.Action[chromedp.Void]
	mods := int64(0)
	for _, k := range keys {
		if k[0] == "Control" {
			mods = 2
		}
		acts = append(acts, key(input.DispatchKeyEventTypeKeyDown, k[0].(string), k[1].(string), int64(k[2].(int)), mods), chromedp.Sleep(50*time.Millisecond))
	}
	for i := len(keys) - 1; i >= 0; i-- {
		k := keys[i]
		acts = append(acts, key(input.DispatchKeyEventTypeKeyUp, k[0].(string), k[1].(string), int64(k[2].(int)), mods), chromedp.Sleep(20*time.Millisecond))
	}
	return acts
}

var (
	escape  = [3]any{"Escape", "Escape", 27}
	control = [3]any{"Control", "ControlLeft", 17}
	keyZ    = [3]any{"z", "KeyZ", 90}
)

// TestClearUndo checks the buttons by tap and click, and the keys.
func TestClearUndo(t *testing.T) {
	for _, d := range []device{desktop, phone} {
		t.Run(d.name, func(t *testing.T) {
			start := time.Now()
			ctx := browser(t, d)
			t.Logf("ready after %s", time.Since(start).Round(time.Millisecond))
			l := layout(d)
			p := pointer{touch: d.mobile}
			one := [][]trace.Point{{{X: 14, Y: 4}, {X: 14, Y: 24}}}
			seven := [][]trace.Point{{{X: 7, Y: 6}, {X: 21, Y: 6}, {X: 12, Y: 24}}}
			step := func(name, want string, acts ...chromedp.Action[chromedp.Void]) {
				t.Helper()
				if err := chromedp.Do(ctx, acts...); err != nil {
					t.Fatal(err)
				}
				// The result changes a frame or two later.
				wait, cancel := context.WithTimeout(ctx, 5*time.Second)
				defer cancel()
				err := chromedp.Do(wait, chromedp.WaitReady(chromedp.CSS(fmt.Sprintf(`#prediction[data-digit=%q][aria-busy="false"]`, want))))
				t.Logf("%s: done at %s", name, time.Since(start).Round(time.Millisecond))
				if err != nil {
					got, _, _ := prediction(t, ctx)
					t.Errorf("after %s: data-digit = %q, want %q", name, got, want)
				}
			}
			step("drawing a 1", "1", p.draw(l.Canvas, one)...)
			step("tapping Clear", "", p.tap(l.Clear)...)
			step("drawing a 7", "7", p.draw(l.Canvas, seven)...)
			step("tapping Undo", "", p.tap(l.Undo)...)
			if d.mobile {
				return
			}
			step("drawing a 1", "1", p.draw(l.Canvas, one)...)
			step("pressing Escape", "", press(escape)...)
			step("drawing a 7", "7", p.draw(l.Canvas, seven)...)
			step("pressing Ctrl+Z", "", press(control, keyZ)...)
		})
	}
}
