package pretrained

import (
	"fmt"
	"testing"

	"github.com/tegaki/tegaki/nn/digit"
)

// TestWritingStyles draws, as pen strokes on a 280-pixel canvas, the digits
// that a network trained on MNIST's (mostly American) writers tends to
// misread: the 1 with a flag and a base, the 7 with a bar, the open 0, the
// closed 4, in a few proportions, slants and pen widths. The shipped model
// must read every one.
func TestWritingStyles(t *testing.T) {
	type sample struct {
		name    string
		want    int
		strokes []digit.Stroke
	}
	var samples []sample
	for _, slant := range []float64{-0.15, 0, 0.2} {
		for _, flag := range []float64{40, 60} {
			// x runs right; a slant leans the digit's top to the right.
			at := func(x, y float64) digit.Point { return digit.Point{X: x + slant*(240-y), Y: y} }
			stem := digit.Stroke{at(140-flag, 40+0.9*flag), at(140, 40), at(140, 240)}
			samples = append(samples,
				sample{fmt.Sprintf("1 flagged %.0f, slant %.2f", flag, slant), 1, []digit.Stroke{stem}},
				sample{fmt.Sprintf("1 flagged %.0f with a base, slant %.2f", flag, slant), 1, []digit.Stroke{stem, {at(95, 240), at(185, 240)}}},
			)
		}
		at := func(x, y float64) digit.Point { return digit.Point{X: x + slant*(240-y), Y: y} }
		samples = append(samples,
			sample{fmt.Sprintf("7 with a bar, slant %.2f", slant), 7, []digit.Stroke{{at(70, 50), at(210, 50), at(130, 240)}, {at(120, 145), at(200, 145)}}},
			sample{fmt.Sprintf("7 with a hooked top and a bar, slant %.2f", slant), 7, []digit.Stroke{{at(70, 80), at(80, 50), at(210, 50), at(130, 240)}, {at(115, 140), at(195, 140)}}},
			sample{fmt.Sprintf("open 0, slant %.2f", slant), 0, []digit.Stroke{{at(150, 45), at(105, 60), at(85, 140), at(105, 225), at(140, 238), at(180, 220), at(198, 140), at(185, 75), at(165, 55)}}},
			sample{fmt.Sprintf("closed 4, slant %.2f", slant), 4, []digit.Stroke{{at(160, 40), at(70, 170), at(210, 170)}, {at(160, 40), at(160, 240)}}},
		)
	}
	p, err := NewPredictor()
	if err != nil {
		t.Fatal(err)
	}
	for _, width := range []float64{10, 18, 30} {
		for _, s := range samples {
			in, err := digit.FromStrokes(s.strokes, width)
			if err != nil {
				t.Fatalf("%s: %v", s.name, err)
			}
			if got := p.Predict(in); got.Digit != s.want {
				t.Errorf("%s, pen %.0f: read as %d (%.2f), want %d", s.name, width, got.Digit, got.Probabilities[got.Digit], s.want)
			}
		}
	}
}
