//go:build browser

package e2e

import (
	"bytes"
	"context"
	"image"
	"image/color"
	"image/png"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/tegaki/tegaki/nn/digit"
	"github.com/tegaki/tegaki/nn/digit/imagefile"
	"github.com/tegaki/tegaki/nn/digit/trace"
	"github.com/tegaki/tegaki/nn/pretrained"
	"github.com/tegaki/tegaki/wasm/app/sketch"
)

// The why view: tegaki.explain in the JS API, and the view in the page.

// mapTolerance bounds how far the page's map may be from the native one:
// the sum of the differences, relative to the sum of the native map's
// weights. The page runs the network on the blocked plain-Go kernels of
// WebAssembly, natively it runs on SIMD assembly, and the two sum in
// different orders: most maps agree to about 1e-7 (float32 rounding), but
// where two values of a max-pool window are equal but for that rounding,
// the two break the tie differently and send that window's gradient to a
// neighbouring pixel. Measured on 5 MNIST digits: 9 of 10 maps within
// 2e-7, one 0.5% apart.
const mapTolerance = 0.01

// mapDiff returns the sum of the differences between got and want relative
// to the sum of want's weights.
func mapDiff(t *testing.T, got []float64, want *pretrained.Map) float64 {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%d numbers from tegaki.explain, want %d", len(got), len(want))
	}
	var sum, diff float64
	for i, v := range want {
		sum += math.Abs(float64(v))
		diff += math.Abs(got[i] - float64(v))
	}
	return diff / sum
}

// minOnStroke is the share of a drawn 7's positive weight that must lie on
// its strokes: nn/pretrained's floor for MNIST digits (measured on training
// digits there), here on the preview's colours.
const minOnStroke = 0.88

// TestAPIExplain checks that tegaki.explain gives the native map (the one
// classify -why draws) for grey levels and for a PNG in an <img>, of the
// answer and of another digit, and that it reports bad input as classify
// does.
func TestAPIExplain(t *testing.T) {
	ctx := newBrowser(t, desktop)
	open(t, ctx, siteURL)
	p, err := pretrained.NewPredictor()
	if err != nil {
		t.Fatal(err)
	}
	images, _ := mnistTest(t, 5)

	t.Run("grey levels", func(t *testing.T) {
		worst := 0.0
		for _, img := range images {
			g := image.NewGray(image.Rect(0, 0, 28, 28))
			copy(g.Pix, img)
			in, err := digit.FromImage(g)
			if err != nil {
				t.Fatal(err)
			}
			pred, top := p.Explain(in, pretrained.Top)
			other := pred.Top(2)[1]
			_, second := p.Explain(in, other)
			got := eval[[][]float64](t, ctx, `(() => { const g = new Uint8Array(`+jsValue(t, ints(img))+`);
				return [tegaki.explain(g), tegaki.explain(g, `+jsValue(t, other)+`)]; })()`)
			worst = max(worst, mapDiff(t, got[0], &top), mapDiff(t, got[1], &second))
		}
		t.Logf("%d digits, their answers and second choices: largest difference from native %.2g", len(images), worst)
		if worst > mapTolerance {
			t.Errorf("maps differ from native by up to %.2g, want at most %g", worst, mapTolerance)
		}
	})

	t.Run("PNG", func(t *testing.T) {
		file := paintPNG(t, images[2])
		in, err := imagefile.Input(bytes.NewReader(file), 0) // as classify reads it
		if err != nil {
			t.Fatal(err)
		}
		_, want := p.Explain(in, 3)
		got := eval[[]float64](t, ctx, `(async () => {
			const img = new Image();
			img.src = "data:image/png;base64," + `+jsValue(t, file)+`;
			await img.decode();
			return tegaki.explain(img, 3);
		})()`)
		if d := mapDiff(t, got, &want); d > mapTolerance {
			t.Errorf("map of a PNG differs from classify's by %.2g, want at most %g", d, mapTolerance)
		}
	})

	t.Run("errors", func(t *testing.T) {
		seven := "new Uint8Array(" + jsValue(t, ints(images[0])) + ")"
		for _, c := range []struct {
			call, name, code, msg string
		}{
			{"tegaki.explain(" + seven + ", 10)", "RangeError", "bad-input", "digit 10, want an integer from 0 to 9"},
			{"tegaki.explain(" + seven + ", 2.5)", "RangeError", "bad-input", "digit 2.5"},
			{"tegaki.explain(" + seven + ", '7')", "RangeError", "bad-input", `digit "7"`},
			{"tegaki.explain(new Uint8Array(784))", "Error", "no-digit", "no digit found"},
			{"tegaki.explain(new Uint8Array(100))", "RangeError", "bad-input", "100 grey levels, want 784"},
			{"tegaki.explain({})", "TypeError", "bad-input", "want an ImageData, a canvas, an image or 784 grey levels"},
		} {
			got := eval[thrown](t, ctx, `(() => {
				try {
					return {name: "none", message: JSON.stringify(`+c.call+`).slice(0, 80), code: ""};
				} catch (e) {
					return {name: e.name, message: e.message, code: e.code || ""};
				}
			})()`)
			if got.Name != c.name || got.Code != c.code || !strings.HasPrefix(got.Message, "tegaki.explain: ") || !strings.Contains(got.Message, c.msg) {
				t.Errorf("%s threw %s %q (code %q), want a %s with code %q saying %q", c.call, got.Name, got.Message, got.Code, c.name, c.code, c.msg)
			}
		}
		// classify's errors still name classify.
		if got := classifyError(t, ctx, "new Uint8Array(784)"); !strings.HasPrefix(got.Message, "tegaki.classify: ") {
			t.Errorf("classify after explain threw %q, want it to start with tegaki.classify: ", got.Message)
		}
	})
}

// previewCells reads the 28×28 preview at r (CSS pixels) from a
// screenshot (device pixels, scale to a CSS pixel): each cell's colour at
// its centre (the preview is drawn with nearest filtering).
func previewCells(t *testing.T, ctx context.Context, r sketch.Rect, scale float64) [digit.Size * digit.Size]color.RGBA {
	t.Helper()
	b, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	var cells [digit.Size * digit.Size]color.RGBA
	for i := range cells {
		x := r.X + (float64(i%digit.Size)+0.5)*r.W/digit.Size
		y := r.Y + (float64(i/digit.Size)+0.5)*r.H/digit.Size
		cells[i] = color.RGBAModel.Convert(img.At(int(x*scale), int(y*scale))).(color.RGBA)
	}
	return cells
}

// weights reads a heat map back from its colours: the weight toward and
// against the digit of each cell, up to the map's scale. Image shades
// with the square root of the weight, from white to Toward (whose red is
// far from white's) or to Against (whose blue is).
func weights(cells *[digit.Size * digit.Size]color.RGBA) (toward, against [digit.Size * digit.Size]float64) {
	for i, c := range cells {
		switch {
		case c.B > c.R:
			s := float64(0xff-int(c.R)) / float64(0xff-int(pretrained.Toward.R))
			toward[i] = s * s
		case c.R > c.B:
			s := float64(0xff-int(c.B)) / float64(0xff-int(pretrained.Against.B))
			against[i] = s * s
		}
	}
	return toward, against
}

// captionRows is where the preview's caption ("why?", "why 7") is drawn,
// which the tests leave out: the bottom seventh.
const captionRows = digit.Size / 7

// TestWhyView draws a 7, opens the why view by tapping the 28×28 input,
// checks that the map appears there with most of its positive weight on
// the strokes, then long-presses the bar of 3 for the map of 3, and logs
// the page's inference time with the view closed and open: with the mouse
// on a desktop and by touch on a phone.
func TestWhyView(t *testing.T) {
	for _, d := range []device{desktop, phone} {
		t.Run(d.name, func(t *testing.T) { whyView(t, d) })
	}
}

func whyView(t *testing.T, dev device) {
	ctx := browser(t, dev)
	l := layout(dev)
	p := pointer{touch: dev.mobile}
	sevenStrokes := [][]trace.Point{{{X: 7, Y: 6}, {X: 21, Y: 6}, {X: 12, Y: 24}}}
	drawSeven := func() {
		t.Helper()
		if err := chromedp.Do(ctx, p.draw(l.Canvas, sevenStrokes)...); err != nil {
			t.Fatal(err)
		}
		waitPrediction(t, ctx, "drawing a 7", "7", 10*time.Second)
	}
	drawSeven()
	_, _, closedMS := prediction(t, ctx)
	if v := eval[string](t, ctx, `document.getElementById("prediction").dataset.why ?? "none"`); v != "" {
		t.Errorf("data-why = %q before the view is opened, want \"\"", v)
	}
	// Closed, the preview shows the input, white ink on black.
	input := previewCells(t, ctx, l.Preview, dev.scale)
	rows := digit.Size - captionRows
	stroke := func(i int) bool { return i < rows*digit.Size && input[i].G >= 0x80 }

	if err := chromedp.Do(ctx, p.tap(l.Preview)...); err != nil {
		t.Fatal(err)
	}
	waitFor(t, ctx, "the why view of 7", `document.getElementById("prediction").dataset.why === "7"`, 5*time.Second)
	time.Sleep(100 * time.Millisecond) // the frame after
	screenshot(t, ctx, "why-"+dev.name)
	seven := previewCells(t, ctx, l.Preview, dev.scale)
	toward, against := weights(&seven)
	var pos, neg, onStroke float64
	coloured := 0
	for i := range rows * digit.Size {
		pos += toward[i]
		neg += against[i]
		if stroke(i) {
			onStroke += toward[i]
		}
		if toward[i]+against[i] > 0.05 {
			coloured++
		}
	}
	t.Logf("why 7: %d coloured cells, %.0f%% of the weight toward 7, %.0f%% of that on the strokes", coloured, 100*pos/(pos+neg), 100*onStroke/pos)
	if coloured < 20 {
		t.Fatalf("the preview shows %d coloured cells, want the map's (at least 20)", coloured)
	}
	if pos <= neg {
		t.Errorf("weight toward 7 %.1f, against %.1f: want more toward", pos, neg)
	}
	if onStroke/pos < minOnStroke {
		t.Errorf("%.0f%% of the weight toward 7 on its strokes, want at least %.0f%%", 100*onStroke/pos, 100*minOnStroke)
	}

	// A long press on the bar of 3: the map of 3.
	bar := sketch.Rect{X: l.Bars.X, Y: l.Bars.Y + 3*l.Bars.H/10, W: l.Bars.W, H: l.Bars.H / 10}
	x, y := bar.X+bar.W/2, bar.Y+bar.H/2
	if err := chromedp.Do(ctx, p.event("down", x, y), chromedp.Sleep(800*time.Millisecond), p.event("up", x, y)); err != nil {
		t.Fatal(err)
	}
	waitFor(t, ctx, "the why view of 3", `document.getElementById("prediction").dataset.why === "3"`, 5*time.Second)
	time.Sleep(100 * time.Millisecond)
	if three := previewCells(t, ctx, l.Preview, dev.scale); three == seven {
		t.Error("the map of 3 looks like the map of 7")
	}
	// A tap on a bar is not a long press.
	if err := chromedp.Do(ctx, p.tap(sketch.Rect{X: l.Bars.X, Y: l.Bars.Y + 5*l.Bars.H/10, W: l.Bars.W, H: l.Bars.H / 10})...); err != nil {
		t.Fatal(err)
	}
	time.Sleep(700 * time.Millisecond)
	if v := eval[string](t, ctx, `document.getElementById("prediction").dataset.why`); v != "3" {
		t.Errorf("after a tap on the bar of 5, data-why = %q, want 3 still", v)
	}

	// Cleared, the view is empty; a new 7 is explained as it is read.
	if err := chromedp.Do(ctx, p.tap(l.Clear)...); err != nil {
		t.Fatal(err)
	}
	waitFor(t, ctx, "the why view emptied", `document.getElementById("prediction").dataset.why === ""`, 5*time.Second)
	drawSeven()
	waitFor(t, ctx, "the why view of the new 7", `document.getElementById("prediction").dataset.why === "7"`, 5*time.Second)
	_, _, openMS := prediction(t, ctx)
	t.Logf("in-page inference of the 7 (strokes to answer): %s ms with the view closed, %s ms open (with its map)", closedMS, openMS)

	// Tapping the input again closes the view.
	if err := chromedp.Do(ctx, p.tap(l.Preview)...); err != nil {
		t.Fatal(err)
	}
	waitFor(t, ctx, "the why view closed", `document.getElementById("prediction").dataset.why === ""`, 5*time.Second)
}
