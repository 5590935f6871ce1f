//go:build browser

package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/dom"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	"golang.org/x/image/draw"

	"github.com/tegaki/tegaki/nn/digit"
	"github.com/tegaki/tegaki/nn/digit/trace"
	"github.com/tegaki/tegaki/nn/mnist/mnisttest"
	"github.com/tegaki/tegaki/nn/pretrained"
	"github.com/tegaki/tegaki/wasm/app/sketch"
)

// The page's JS API (window.tegaki, site/tegaki.js) and opening an image
// (the Open button's file input, drag and drop, paste).

// mnistTest returns n MNIST test digits, a fixed spread over the set, as
// 784 grey levels each (white on black, as MNIST stores them).
func mnistTest(t testing.TB, n int) (images [][]byte, labels []int) {
	t.Helper()
	_, test, err := mnisttest.Load()
	if err != nil {
		t.Fatal(err)
	}
	for i := range n {
		k := i*(test.Len()/n) + 3 // a fixed spread, not a chosen few (and not testDigits' own)
		images = append(images, test.Image(k))
		labels = append(labels, int(test.Labels[k]))
	}
	return images, labels
}

// float32s converts probabilities from JavaScript numbers.
func float32s(v []float64) []float32 {
	out := make([]float32, len(v))
	for i, x := range v {
		out[i] = float32(x)
	}
	return out
}

// paintPNG draws an MNIST digit as a person would in Paint: black on
// white, 280×280 pixels, smoothly scaled up from the 28×28 original.
func paintPNG(t testing.TB, grey []byte) []byte {
	t.Helper()
	src := image.NewGray(image.Rect(0, 0, 28, 28))
	for i, v := range grey {
		src.Pix[i] = 255 - v
	}
	dst := image.NewGray(image.Rect(0, 0, 280, 280))
	draw.CatmullRom.Scale(dst, dst.Bounds(), src, src.Bounds(), draw.Src, nil)
	return encodePNG(t, dst)
}

func encodePNG(t testing.TB, img image.Image) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// writeFile writes b into the test's temporary folder and returns its path.
func writeFile(t testing.TB, name string, b []byte) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// jsValue returns v as a JavaScript literal.
func jsValue(t testing.TB, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// ints converts bytes to ints, so that JSON writes numbers, not base64.
func ints(b []byte) []int {
	out := make([]int, len(b))
	for i, v := range b {
		out[i] = int(v)
	}
	return out
}

// waitPrediction waits until #prediction shows digit (or "" for none) and
// is not busy, and fails the test if it does not within timeout.
func waitPrediction(t *testing.T, ctx context.Context, what, digit string, timeout time.Duration) {
	t.Helper()
	wait, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	sel := fmt.Sprintf(`#prediction[data-digit=%q][aria-busy="false"]`, digit)
	if err := chromedp.Do(wait, chromedp.WaitReady(chromedp.CSS(sel))); err != nil {
		got, _, _ := prediction(t, ctx)
		text := eval[string](t, ctx, `document.getElementById("prediction").textContent`)
		t.Fatalf("%s: data-digit = %q (%q), want %q", what, got, text, digit)
	}
}

// thrown is what classify threw.
type thrown struct {
	Name, Message, Code string
}

// classifyError calls tegaki.classify(arg), arg a JavaScript expression,
// and returns what it threw.
func classifyError(t *testing.T, ctx context.Context, arg string) thrown {
	t.Helper()
	return eval[thrown](t, ctx, `(() => {
		try {
			const r = tegaki.classify(`+arg+`);
			return {name: "none", message: JSON.stringify(r), code: ""};
		} catch (e) {
			return {name: e.name, message: e.message, code: e.code || ""};
		}
	})()`)
}

// TestAPI checks window.tegaki: ready, model, classify of ImageData and of
// grey levels, its errors, the tegaki:prediction event and clear().
func TestAPI(t *testing.T) {
	start := time.Now()
	ctx := newBrowser(t, desktop)
	// Listen from the start: tegaki.ready exists before the wasm has
	// arrived, and resolves to window.tegaki.
	if err := chromedp.Do(ctx, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(ctx, tg, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: `
			window.__early = [];
			document.addEventListener("DOMContentLoaded", () => {
				window.__early.push(typeof window.tegaki, window.tegaki && window.tegaki.ready instanceof Promise,
					typeof (window.tegaki && window.tegaki.classify));
				window.tegaki.ready.then((api) => { window.__resolved = api === window.tegaki; });
			});
			window.__events = [];
			window.addEventListener("tegaki:prediction", (e) => window.__events.push(e.detail));`})
		return err
	})); err != nil {
		t.Fatal(err)
	}
	open(t, ctx, siteURL)
	t.Logf("ready after %s", time.Since(start).Round(time.Millisecond))
	if early := eval[[]any](t, ctx, `window.__early`); fmt.Sprint(early) != "[object true undefined]" {
		t.Errorf("at DOMContentLoaded: typeof tegaki, ready is a Promise, typeof classify = %v, want [object true undefined]", early)
	}
	if !eval[bool](t, ctx, `tegaki.ready.then((api) => api === window.tegaki && window.__resolved === true)`) {
		t.Error("tegaki.ready does not resolve to window.tegaki")
	}

	t.Run("model", func(t *testing.T) {
		info, err := pretrained.Describe()
		if err != nil {
			t.Fatal(err)
		}
		m := eval[struct {
			Name, SHA256 string
			TestAccuracy float64
			Params       int
		}](t, ctx, `({Name: tegaki.model.name, SHA256: tegaki.model.sha256, TestAccuracy: tegaki.model.testAccuracy, Params: tegaki.model.params})`)
		if m.Name != info.Name || m.SHA256 != info.SHA256 || m.TestAccuracy != info.TestAccuracy || m.Params != info.Params {
			t.Errorf("tegaki.model = %+v, want %+v", m, info)
		}
	})

	images, labels := mnistTest(t, 20)
	t.Run("ImageData", func(t *testing.T) {
		began := time.Now()
		got := eval[[]int](t, ctx, `(() => {
			return `+jsValue(t, func() [][]int {
			var all [][]int
			for _, img := range images {
				all = append(all, ints(img))
			}
			return all
		}())+`.map((grey) => {
				const d = new ImageData(28, 28);
				grey.forEach((v, i) => { d.data.set([v, v, v, 255], 4 * i); });
				const r = tegaki.classify(d);
				if (r.probabilities.length !== 10 || typeof r.probabilities[0] !== "number") {
					throw new Error("probabilities: " + JSON.stringify(r.probabilities));
				}
				return r.digit;
			});
		})()`)
		right := 0
		for i, d := range got {
			if d == labels[i] {
				right++
			} else {
				t.Logf("MNIST test digit %d: a %d read as %d", i, labels[i], d)
			}
		}
		t.Logf("%d of %d MNIST test digits as ImageData read right (%s)", right, len(labels), time.Since(began).Round(time.Millisecond))
		if len(got) != len(labels) || right < 19 {
			t.Errorf("%d of %d right, want at least 19", right, len(labels))
		}
	})

	// The page answers as the native Predictor does (the Worker's and
	// classify's same-answer tests compare them with it too): the same
	// digits, and probabilities equal but for the rounding of a different
	// summation order in gonum's native assembly.
	t.Run("same answer", func(t *testing.T) {
		p, err := pretrained.NewPredictor()
		if err != nil {
			t.Fatal(err)
		}
		var all [][]int
		for _, img := range images {
			all = append(all, ints(img))
		}
		got := eval[[][]float64](t, ctx, jsValue(t, all)+`.map((grey) => tegaki.classify(new Uint8Array(grey)).probabilities)`)
		maxDiff := 0.0
		for i, img := range images {
			g := image.NewGray(image.Rect(0, 0, 28, 28))
			copy(g.Pix, img)
			in, err := digit.FromImage(g)
			if err != nil {
				t.Fatal(err)
			}
			native := p.Predict(in)
			if len(got[i]) != 10 {
				t.Fatalf("digit %d: %d probabilities from the page", i, len(got[i]))
			}
			if page := pretrained.NewPrediction(float32s(got[i])); page.Digit != native.Digit {
				t.Errorf("MNIST test digit %d: the page says %d, native %d", i, page.Digit, native.Digit)
			}
			for d, v := range got[i] {
				maxDiff = max(maxDiff, math.Abs(v-float64(native.Probabilities[d])))
			}
		}
		t.Logf("%d digits: largest difference from native %.2g", len(images), maxDiff)
		if maxDiff > 1e-4 {
			t.Errorf("probabilities differ from native by up to %g", maxDiff)
		}
	})

	t.Run("grey levels", func(t *testing.T) {
		want := labels[0]
		for _, arg := range []string{
			"new Uint8Array(" + jsValue(t, ints(images[0])) + ")",
			"new Uint8ClampedArray(" + jsValue(t, ints(images[0])) + ")",
			jsValue(t, ints(images[0])),
			jsValue(t, ints(images[0])) + ".map((v) => 255 - v)", // black on white
		} {
			got := eval[struct {
				Digit int
				Sum   float64
				N     int
			}](t, ctx, `(() => { const r = tegaki.classify(`+arg+`); return {Digit: r.digit, Sum: r.probabilities.reduce((a, b) => a + b), N: r.probabilities.length}; })()`)
			if got.Digit != want || got.N != 10 || got.Sum < 0.999 || got.Sum > 1.001 {
				t.Errorf("classify(%.40s…) = digit %d, %d probabilities summing to %v; want %d, 10, 1", arg, got.Digit, got.N, got.Sum, want)
			}
		}
	})

	t.Run("canvas and image", func(t *testing.T) {
		// The digit as a 28×28 canvas, drawn large (black on white) onto a
		// 3000×3000 canvas, which classify scales down to 2048 first, and
		// as a PNG in an <img>.
		b64 := jsValue(t, paintPNG(t, images[1]))
		got := eval[[]int](t, ctx, `(async () => {
			const small = document.createElement("canvas");
			small.width = small.height = 28;
			const d = new ImageData(28, 28);
			`+jsValue(t, ints(images[1]))+`.forEach((v, i) => { d.data.set([255 - v, 255 - v, 255 - v, 255], 4 * i); });
			small.getContext("2d").putImageData(d, 0, 0);
			const big = new OffscreenCanvas(3000, 3000);
			const ctx = big.getContext("2d");
			ctx.fillStyle = "#fff";
			ctx.fillRect(0, 0, 3000, 3000);
			ctx.drawImage(small, 500, 500, 2000, 2000);
			const img = new Image();
			img.src = "data:image/png;base64," + `+b64+`;
			await img.decode();
			const bitmap = await createImageBitmap(img);
			return [small, big, img, bitmap].map((x) => tegaki.classify(x).digit);
		})()`)
		if want := labels[1]; fmt.Sprint(got) != fmt.Sprint([]int{want, want, want, want}) {
			t.Errorf("a %d as a canvas, a 3000×3000 OffscreenCanvas, an <img> and an ImageBitmap read as %v", want, got)
		}
	})

	t.Run("errors", func(t *testing.T) {
		for _, c := range []struct {
			arg, name, code, msg string
		}{
			{"new Uint8Array(100)", "RangeError", "bad-input", "100 grey levels, want 784"},
			{"new Array(784).fill(300)", "RangeError", "bad-input", "is 300, want an integer from 0 to 255"},
			{`"seven"`, "TypeError", "bad-input", "not a string"},
			{"undefined", "TypeError", "bad-input", "not undefined"},
			{"{width: 28, height: 28}", "TypeError", "bad-input", "want an ImageData, a canvas, an image or 784 grey levels"},
			{"new ImageData(28, 28)", "Error", "no-digit", "no digit found"},
			{"(() => { const d = new ImageData(280, 280); d.data.fill(255); return d; })()", "Error", "no-digit", "no digit found"},
			{"new Uint8Array(784)", "Error", "no-digit", "no digit found"},
			{"Object.assign(document.createElement('canvas'), {width: 9000, height: 1})", "Error", "too-large", "image too large: 9000×1 pixels"},
			{"new Image()", "Error", "bad-input", "has not loaded"},
		} {
			got := classifyError(t, ctx, c.arg)
			if got.Name != c.name || got.Code != c.code || !strings.HasPrefix(got.Message, "tegaki.classify: ") || !strings.Contains(got.Message, c.msg) {
				t.Errorf("classify(%s) threw %s %q (code %q), want a %s with code %q saying %q", c.arg, got.Name, got.Message, got.Code, c.name, c.code, c.msg)
			}
		}
	})

	t.Run("event and clear", func(t *testing.T) {
		l := layout(desktop)
		seven := [][]trace.Point{{{X: 7, Y: 6}, {X: 21, Y: 6}, {X: 12, Y: 24}}}
		if err := chromedp.Do(ctx, pointer{}.draw(l.Canvas, seven)...); err != nil {
			t.Fatal(err)
		}
		waitPrediction(t, ctx, "drawing a 7", "7", 10*time.Second)
		last := eval[struct {
			N     int
			Digit int
			Probs []float64
		}](t, ctx, `({N: __events.length, Digit: __events.at(-1)?.digit ?? -1, Probs: __events.at(-1)?.probabilities ?? []})`)
		if last.N == 0 || last.Digit != 7 || len(last.Probs) != 10 || last.Probs[7] < 0.5 {
			t.Errorf("tegaki:prediction after drawing a 7: %d events, the last %+v", last.N, last)
		}
		_, probs, _ := prediction(t, ctx)
		if p := strings.Split(probs, ","); len(last.Probs) == 10 && len(p) == 10 && p[7] != strconv.FormatFloat(last.Probs[7], 'f', 4, 32) {
			t.Errorf("event's probability of 7 is %v, #prediction's %s", last.Probs[7], p[7])
		}
		n := last.N
		eval[any](t, ctx, `tegaki.clear()`)
		waitPrediction(t, ctx, "tegaki.clear()", "", 5*time.Second)
		if after := eval[int](t, ctx, `__events.length`); after != n {
			t.Errorf("clear() dispatched %d tegaki:prediction events, want none", after-n)
		}
	})
}

// TestAPIReadyRejects starts the page in a browser without WebGL 2: the
// app cannot start, and tegaki.ready must reject rather than wait forever.
func TestAPIReadyRejects(t *testing.T) {
	ctx := newBrowser(t, desktop)
	if err := chromedp.Do(ctx, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(ctx, tg, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: `
			const getContext = HTMLCanvasElement.prototype.getContext;
			HTMLCanvasElement.prototype.getContext = function (kind, ...rest) {
				return kind === "webgl2" ? null : getContext.call(this, kind, ...rest);
			};`})
		return err
	}), chromedp.Navigate(siteURL)); err != nil {
		t.Fatal(err)
	}
	got := eval[string](t, ctx, `tegaki.ready.then(() => "resolved", (err) => "rejected: " + err.message)`)
	if !strings.HasPrefix(got, "rejected: ") || !strings.Contains(got, "WebGL") {
		t.Errorf("without WebGL 2, tegaki.ready %s; want it rejected, saying why", got)
	}
}

// TestOpen opens pictures of digits through the Open button (a tap that
// opens the file chooser), the file input, drag and drop, and paste.
func TestOpen(t *testing.T) {
	start := time.Now()
	ctx := browser(t, desktop)
	t.Logf("ready after %s", time.Since(start).Round(time.Millisecond))
	l := layout(desktop)
	images, labels := mnistTest(t, 5)
	pngs := make([]string, len(images))
	for i, img := range images {
		pngs[i] = writeFile(t, fmt.Sprintf("digit%d.png", i), paintPNG(t, img))
	}

	// Tapping Open opens the file chooser (intercepted here), and the
	// chosen file is read.
	chooser := make(chan cdp.BackendNodeID, 1)
	if err := chromedp.Listen(ctx, func(ev any) {
		if ev, ok := ev.(*page.EventFileChooserOpened); ok {
			select {
			case chooser <- ev.BackendNodeID:
			default:
			}
		}
	}); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(ctx, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(ctx, tg, page.SetInterceptFileChooserDialog, page.SetInterceptFileChooserDialogParams{Enabled: true})
		return err
	})); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(ctx, pointer{}.tap(l.Open)...); err != nil {
		t.Fatal(err)
	}
	select {
	case node := <-chooser:
		if err := chromedp.Do(ctx, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
			_, err := cdp.Call(ctx, tg, dom.SetFileInputFiles, dom.SetFileInputFilesParams{Files: []string{pngs[0]}, BackendNodeID: node})
			return err
		})); err != nil {
			t.Fatal(err)
		}
		waitPrediction(t, ctx, "opening a Paint-style PNG through the Open button", strconv.Itoa(labels[0]), 10*time.Second)
	case <-time.After(5 * time.Second):
		t.Fatal("tapping Open opened no file chooser")
	}
	if ink := darkPixels(t, ctx, l.Canvas); ink < 500 {
		t.Errorf("the opened picture is not shown: %d dark pixels in the drawing area", ink)
	}
	screenshot(t, ctx, "open-desktop")

	upload := func(name, path string) {
		t.Helper()
		if err := chromedp.Do(ctx, chromedp.SetUploadFiles(chromedp.CSS("#open-file"), []string{path})); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
	}
	t.Run("file input", func(t *testing.T) {
		upload("digit 1", pngs[1])
		waitPrediction(t, ctx, "uploading a Paint-style PNG", strconv.Itoa(labels[1]), 10*time.Second)
	})

	t.Run("draw after", func(t *testing.T) {
		// A stroke on the picture starts a fresh drawing.
		one := [][]trace.Point{{{X: 14, Y: 4}, {X: 14, Y: 24}}}
		if err := chromedp.Do(ctx, pointer{}.draw(l.Canvas, one)...); err != nil {
			t.Fatal(err)
		}
		waitPrediction(t, ctx, "drawing a 1 on the picture", "1", 10*time.Second)
		if err := chromedp.Do(ctx, pointer{}.tap(l.Clear)...); err != nil {
			t.Fatal(err)
		}
		waitPrediction(t, ctx, "Clear", "", 5*time.Second)
		if ink := darkPixels(t, ctx, l.Canvas); ink != 0 {
			t.Errorf("after Clear, %d dark pixels in the drawing area, want none", ink)
		}
	})

	t.Run("no digit", func(t *testing.T) {
		upload("digit 2", pngs[2])
		waitPrediction(t, ctx, "uploading a digit", strconv.Itoa(labels[2]), 10*time.Second)
		blank := image.NewGray(image.Rect(0, 0, 280, 280))
		draw.Draw(blank, blank.Bounds(), image.NewUniform(color.Gray{Y: 250}), image.Point{}, draw.Src)
		upload("blank", writeFile(t, "blank.png", encodePNG(t, blank)))
		waitPrediction(t, ctx, "uploading a blank picture", "", 10*time.Second)
		if text := eval[string](t, ctx, `document.getElementById("prediction").textContent`); text != "No digit found in the picture." {
			t.Errorf("blank picture: #prediction says %q", text)
		}
		screenshot(t, ctx, "open-no-digit")
		upload("text", writeFile(t, "notes.txt", []byte("not a picture")))
		waitFor(t, ctx, "a message for a file that is not an image",
			`document.getElementById("prediction").textContent.startsWith("Could not open notes.txt")`, 10*time.Second)
	})

	t.Run("phone", func(t *testing.T) {
		// A finger on the phone layout's Open button opens the chooser.
		ctx := browser(t, phone)
		l := layout(phone)
		got := make(chan cdp.BackendNodeID, 1)
		if err := chromedp.Listen(ctx, func(ev any) {
			if ev, ok := ev.(*page.EventFileChooserOpened); ok {
				select {
				case got <- ev.BackendNodeID:
				default:
				}
			}
		}); err != nil {
			t.Fatal(err)
		}
		acts := append([]chromedp.Action[chromedp.Void]{chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
			_, err := cdp.Call(ctx, tg, page.SetInterceptFileChooserDialog, page.SetInterceptFileChooserDialogParams{Enabled: true})
			return err
		})}, pointer{touch: true}.tap(l.Open)...)
		if err := chromedp.Do(ctx, acts...); err != nil {
			t.Fatal(err)
		}
		select {
		case node := <-got:
			if err := chromedp.Do(ctx, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
				_, err := cdp.Call(ctx, tg, dom.SetFileInputFiles, dom.SetFileInputFilesParams{Files: []string{pngs[0]}, BackendNodeID: node})
				return err
			})); err != nil {
				t.Fatal(err)
			}
			waitPrediction(t, ctx, "opening a PNG with a tap on the phone", strconv.Itoa(labels[0]), 10*time.Second)
			screenshot(t, ctx, "open-phone")
		case <-time.After(5 * time.Second):
			t.Fatal("a tap on Open opened no file chooser on the phone")
		}
	})

	// Drop and paste go through the same handlers as a person's: the
	// events carry a File made from the PNG's bytes.
	b64 := func(path string) string {
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		return jsValue(t, b) // base64
	}
	file := func(path string) string {
		return `new File([Uint8Array.from(atob(` + b64(path) + `), (c) => c.charCodeAt(0))], "digit.png", {type: "image/png"})`
	}
	t.Run("drop", func(t *testing.T) {
		eval[bool](t, ctx, `(() => {
			const dt = new DataTransfer();
			dt.items.add(`+file(pngs[3])+`);
			document.querySelector("canvas").dispatchEvent(new DragEvent("dragover", {dataTransfer: dt, bubbles: true, cancelable: true}));
			return document.querySelector("canvas").dispatchEvent(new DragEvent("drop", {dataTransfer: dt, bubbles: true, cancelable: true}));
		})()`)
		waitPrediction(t, ctx, "dropping a PNG", strconv.Itoa(labels[3]), 10*time.Second)
	})
	t.Run("paste", func(t *testing.T) {
		eval[bool](t, ctx, `(() => {
			const dt = new DataTransfer();
			dt.items.add(`+file(pngs[4])+`);
			return document.querySelector("canvas").dispatchEvent(new ClipboardEvent("paste", {clipboardData: dt, bubbles: true, cancelable: true}));
		})()`)
		waitPrediction(t, ctx, "pasting a PNG", strconv.Itoa(labels[4]), 10*time.Second)
	})
}

// darkPixels counts the pixels of r (CSS pixels) on the screen that are
// darker than the "draw a digit" prompt: ink.
func darkPixels(t *testing.T, ctx context.Context, r sketch.Rect) int {
	t.Helper()
	b, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for y := int(r.Y) + 2; y < int(r.Y+r.H)-2; y++ {
		for x := int(r.X) + 2; x < int(r.X+r.W)-2; x++ {
			if g := color.GrayModel.Convert(img.At(x, y)).(color.Gray); g.Y < 0x60 {
				n++
			}
		}
	}
	return n
}
