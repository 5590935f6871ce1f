//go:build browser

package e2e

import (
	"bytes"
	"image"
	"math"
	"strings"
	"testing"

	"github.com/tegaki/tegaki/nn/digit"
	"github.com/tegaki/tegaki/nn/digit/imagefile"
	"github.com/tegaki/tegaki/nn/pretrained"
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
