// Package ood checks how well a network reads digits that do not look like
// the ones it learnt from: MNIST digits put through degradations that
// imitate other writers, pens and scanners, and that tegaki's training
// (package augment) never applies. It is the project's out-of-distribution
// check: a fixed sample of it is a test with floors, and tools/robustness
// prints the full figure.
//
// Every degradation starts from an MNIST image, makes a new picture or new
// pen strokes from it, and prepares that the way every front end does
// (digit.FromImage or digit.FromStrokes), so the network is measured on the
// inputs a person's file or drawing would give it, not on the 28×28 image.
// The check is optimistic: it moves MNIST's writers away from themselves,
// but they are still MNIST's writers.
//
// Keep the two sets apart: training with any of these would make the check
// measure what the network was taught. A test in package augment checks that
// it does not import this package, and each degradation here lies outside
// the range of its counterpart in augment.DefaultStyle: blocky pixels where
// training enlarges smoothly and never below 10×10, a disc where training
// blurs with a Gaussian, strokes grown by 2 pixels where training grows
// them by at most 1, and strokes redrawn along their skeleton, which
// training never does.
package ood

import (
	"fmt"
	"math"

	"github.com/tegaki/tegaki/nn/digit"
	"github.com/tegaki/tegaki/nn/digit/trace"
	"github.com/tegaki/tegaki/nn/internal/picture"
)

// A Degradation turns a 28×28 MNIST image (grey bytes, 255 ink) into a
// prepared network input, or an error if the front end would refuse it.
type Degradation struct {
	Name    string // short, for tables: "pixelated 8×8"
	About   string // what it imitates
	Prepare func(pix []byte) (*digit.Input, error)
}

// big is the side of the pictures the degradations draw: four times MNIST's
// field, the scale of a small photo or a scan at 100 dpi.
const big = 4 * digit.Size

// Degradations returns the check's degradations, mildest to harshest within
// each kind. The first, "none", is the MNIST image prepared as a file would
// be, the baseline the others are compared with.
func Degradations() []Degradation {
	return []Degradation{
		{"none", "the image as a file: FromImage of MNIST's own picture, enlarged 4×", prepareImage(func(g *picture.Gray) *picture.Gray { return g.Resize(big, big) })},
		{"pixelated 12×12", "a low-resolution scan: averaged onto 12×12 pixels, shown blocky", prepareImage(func(g *picture.Gray) *picture.Gray {
			return g.Pixelate(12, 12).Resize(big, big)
		})},
		{"pixelated 8×8", "a tiny thumbnail: averaged onto 8×8 pixels, shown blocky", prepareImage(func(g *picture.Gray) *picture.Gray {
			return g.Pixelate(8, 8).Resize(big, big)
		})},
		{"defocused", "a photo out of focus: averaged over a disc of 1.5 MNIST pixels", prepareImage(func(g *picture.Gray) *picture.Gray {
			return g.Resize(big, big).BoxBlur(1.5 * big / digit.Size)
		})},
		{"blobby", "a fat marker or ink that ran: strokes grown by 2 MNIST pixels, until small holes close", prepareImage(func(g *picture.Gray) *picture.Gray {
			return g.Resize(big, big).Dilate(2 * big / digit.Size)
		})},
		{"hairline", "a 1-pixel pen: the skeleton redrawn one pixel wide on a 112-pixel canvas", prepareRedrawn(func([]trace.Point, float64) float64 { return 1 })},
		{"thick pen", "the skeleton redrawn with a pen 1.8× as wide as the original strokes", prepareRedrawn(func(_ []trace.Point, pen float64) float64 { return 1.8 * pen * big / digit.Size })},
		{"traced strokes", "the browser tests' tracer: pen strokes drawn as the app draws them", prepareTraced},
	}
}

// prepareImage returns a Prepare that draws the MNIST image at its own size,
// applies f (if not nil) and prepares the result as a picture.
func prepareImage(f func(*picture.Gray) *picture.Gray) func([]byte) (*digit.Input, error) {
	return func(pix []byte) (*digit.Input, error) {
		g := picture.FromBytes(pix, digit.Size, digit.Size)
		if f != nil {
			g = f(g)
		}
		return digit.FromImage(g.Image())
	}
}

// prepareRedrawn returns a Prepare that traces the image's skeleton and
// draws it again, as a picture, with a round pen of the width that width
// gives for the traced pen width (both in pixels of the big canvas).
func prepareRedrawn(width func(stroke []trace.Point, pen float64) float64) func([]byte) (*digit.Input, error) {
	return func(pix []byte) (*digit.Input, error) {
		strokes, pen := trace.Strokes(pix, digit.Size, digit.Size)
		if len(strokes) == 0 {
			return nil, fmt.Errorf("ood: nothing to trace")
		}
		const s = float64(big) / digit.Size
		g := picture.New(big, big)
		for _, st := range strokes {
			w := width(st, pen)
			at := func(p trace.Point) picture.Point { return picture.Point{X: s * p.X, Y: s * p.Y} }
			if len(st) == 1 {
				g.Line(at(st[0]), at(st[0]), w)
			}
			for i := 1; i < len(st); i++ {
				g.Line(at(st[i-1]), at(st[i]), w)
			}
		}
		return digit.FromImage(g.Image())
	}
}

// prepareTraced draws the traced strokes with digit.FromStrokes at the
// browser tests' scale, as the end-to-end tests draw MNIST digits.
func prepareTraced(pix []byte) (*digit.Input, error) {
	const scale = 10 // the tests' 280-pixel canvas over MNIST's 28
	traced, width := trace.Strokes(pix, digit.Size, digit.Size)
	drawn := make([]digit.Stroke, len(traced))
	for j, s := range traced {
		for _, p := range s {
			drawn[j] = append(drawn[j], digit.Point{X: scale * p.X, Y: scale * p.Y})
		}
	}
	return digit.FromStrokes(drawn, scale*width)
}

// A Reader reads a prepared digit; *pretrained.Predictor is one, through
// ReaderFunc.
type Reader interface {
	Read(in *digit.Input) int
}

// ReaderFunc adapts a function to Reader.
type ReaderFunc func(in *digit.Input) int

// Read calls f.
func (f ReaderFunc) Read(in *digit.Input) int { return f(in) }

// A Result is one degradation's score.
type Result struct {
	Name           string
	Correct, Total int
	Refused        int // inputs the front end refused (counted as wrong)
}

// Accuracy returns the share read correctly, from 0 to 1.
func (r Result) Accuracy() float64 {
	if r.Total == 0 {
		return math.NaN()
	}
	return float64(r.Correct) / float64(r.Total)
}

// Check reads every image (28×28 grey bytes, images[i] labelled labels[i])
// through every degradation and returns one Result per degradation, in
// order. A refused input counts as a misread. Check panics if the two
// slices differ in length.
func Check(r Reader, images [][]byte, labels []int, ds []Degradation) []Result {
	if len(images) != len(labels) {
		panic(fmt.Sprintf("ood: Check: %d images and %d labels", len(images), len(labels)))
	}
	results := make([]Result, len(ds))
	for k, d := range ds {
		res := Result{Name: d.Name, Total: len(images)}
		for i, pix := range images {
			in, err := d.Prepare(pix)
			if err != nil {
				res.Refused++
				continue
			}
			if r.Read(in) == labels[i] {
				res.Correct++
			}
		}
		results[k] = res
	}
	return results
}

// Worst returns the result with the lowest accuracy.
func Worst(results []Result) Result {
	w := results[0]
	for _, r := range results[1:] {
		if r.Accuracy() < w.Accuracy() {
			w = r
		}
	}
	return w
}
