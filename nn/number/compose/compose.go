// Package compose writes numbers with MNIST's digits, as pictures and as
// pen strokes, so that a number reader can be tested on handwriting whose
// every digit is known: digits of uneven sizes on an uneven baseline, with
// gaps between them that may be negative, so that neighbours touch.
//
// The strokes are the digits' traces (package trace), placed as the
// digits are in the picture, in the order a person writes: digit by digit,
// left to right.
package compose

import (
	"image"
	"math/rand/v2"

	"github.com/tegaki/tegaki/nn/digit/trace"
	"github.com/tegaki/tegaki/nn/mnist"
)

// Options says how to write the numbers. Lengths are in MNIST pixels: a
// digit is about 20 of them tall.
type Options struct {
	MinDigits, MaxDigits int        // how many digits, uniformly
	Gap                  [2]float64 // the space between neighbours' ink, uniformly in [Gap[0], Gap[1]]
	Scale                [2]float64 // each digit's size, as a factor, uniformly
	Baseline             float64    // each digit's bottom moves up or down by up to this
	Pixel                float64    // picture pixels to an MNIST pixel
}

// Separated is a usual number, its digits apart.
var Separated = Options{MinDigits: 2, MaxDigits: 8, Gap: [2]float64{2, 8}, Scale: [2]float64{0.8, 1.2}, Baseline: 2, Pixel: 3}

// Touching is a number written tightly: neighbours touch or overlap by up
// to 3 MNIST pixels.
var Touching = Options{MinDigits: 2, MaxDigits: 8, Gap: [2]float64{-3, 1}, Scale: [2]float64{0.8, 1.2}, Baseline: 2, Pixel: 3}

// A Number is a number written with MNIST's digits.
type Number struct {
	Digits  string            // what it reads, "2026"
	Picture *image.Gray       // dark ink on white paper
	Strokes [][]trace.Point   // in the picture's pixels
	Pen     float64           // the pen's width for the strokes, in the picture's pixels
	Of      []int             // for each stroke, the index of its digit
	Boxes   []image.Rectangle // each digit's ink in the picture
}

// inkLevel is the MNIST grey level from which a pixel counts towards a
// digit's extent.
const inkLevel = 32

// Write writes a number with digits drawn at random from set.
func Write(rng *rand.Rand, set *mnist.Set, opt Options) Number {
	n := opt.MinDigits + rng.IntN(opt.MaxDigits-opt.MinDigits+1)
	picks := make([]int, n)
	for i := range picks {
		picks[i] = rng.IntN(set.Len())
	}
	return WriteDigits(rng, set, picks, opt)
}

// WriteDigits writes the number made of the digits of set at the given
// indices.
func WriteDigits(rng *rand.Rand, set *mnist.Set, picks []int, opt Options) Number {
	type placed struct {
		pix   []byte
		ink   image.Rectangle // in MNIST pixels
		scale float64
		x, y  float64 // where the ink's top left corner lands, in MNIST pixels
	}
	uniform := func(r [2]float64) float64 { return r[0] + rng.Float64()*(r[1]-r[0]) }
	var ds []placed
	var num Number
	x, top, bottom := 0.0, 0.0, 0.0
	for i, k := range picks {
		pix := set.Image(k)
		ink := inkBox(pix, set.Cols, set.Rows)
		if ink.Empty() {
			continue
		}
		s := uniform(opt.Scale)
		if i > 0 {
			x += uniform(opt.Gap)
		}
		y := -float64(ink.Dy())*s + (rng.Float64()*2-1)*opt.Baseline
		ds = append(ds, placed{pix, ink, s, x, y})
		num.Digits += string(rune('0' + set.Labels[k]))
		x += float64(ink.Dx()) * s
		top, bottom = min(top, y), max(bottom, y+float64(ink.Dy())*s)
	}
	const margin = 6 // MNIST pixels of paper around the number
	p := opt.Pixel
	w, h := int((x+2*margin)*p), int((bottom-top+2*margin)*p)
	ink := image.NewGray(image.Rect(0, 0, w, h))
	var pens float64
	for _, d := range ds {
		// The digit's ink rectangle maps onto the picture by scale·p,
		// its corner to (d.x+margin, d.y-top+margin)·p.
		f := d.scale * p
		ox, oy := (d.x+margin)*p, (d.y-top+margin)*p
		box := image.Rect(int(ox), int(oy), int(ox+float64(d.ink.Dx())*f+0.999), int(oy+float64(d.ink.Dy())*f+0.999)).Intersect(ink.Rect)
		num.Boxes = append(num.Boxes, box)
		r := box.Inset(-int(f) - 1).Intersect(ink.Rect)
		for py := r.Min.Y; py < r.Max.Y; py++ {
			for px := r.Min.X; px < r.Max.X; px++ {
				// Bilinear interpolation of the digit at the pixel's centre.
				sx := (float64(px)+0.5-ox)/f + float64(d.ink.Min.X) - 0.5
				sy := (float64(py)+0.5-oy)/f + float64(d.ink.Min.Y) - 0.5
				v := bilinear(d.pix, set.Cols, set.Rows, sx, sy)
				if o := &ink.Pix[py*ink.Stride+px]; v > *o {
					*o = v
				}
			}
		}
		strokes, pen := trace.Strokes(d.pix, set.Cols, set.Rows)
		pens += pen * f
		for _, s := range strokes {
			out := make([]trace.Point, len(s))
			for j, q := range s {
				out[j] = trace.Point{X: (q.X-float64(d.ink.Min.X))*f + ox, Y: (q.Y-float64(d.ink.Min.Y))*f + oy}
			}
			num.Strokes = append(num.Strokes, out)
			num.Of = append(num.Of, len(num.Boxes)-1)
		}
	}
	if len(ds) > 0 {
		num.Pen = pens / float64(len(ds))
	}
	for i, v := range ink.Pix {
		ink.Pix[i] = 255 - v
	}
	num.Picture = ink
	return num
}

// inkBox returns the extent of a digit's ink.
func inkBox(pix []byte, w, h int) image.Rectangle {
	var r image.Rectangle
	for y := range h {
		for x := range w {
			if pix[y*w+x] >= inkLevel {
				r = r.Union(image.Rect(x, y, x+1, y+1))
			}
		}
	}
	return r
}

// bilinear returns the digit's grey level at (x, y) in pixel indices, 0
// outside it.
func bilinear(pix []byte, w, h int, x, y float64) uint8 {
	at := func(i, j int) float64 {
		if i < 0 || j < 0 || i >= w || j >= h {
			return 0
		}
		return float64(pix[j*w+i])
	}
	x0, y0 := floor(x), floor(y)
	fx, fy := x-float64(x0), y-float64(y0)
	v := (at(x0, y0)*(1-fx)+at(x0+1, y0)*fx)*(1-fy) + (at(x0, y0+1)*(1-fx)+at(x0+1, y0+1)*fx)*fy
	return uint8(v + 0.5)
}

func floor(v float64) int {
	i := int(v)
	if float64(i) > v {
		i--
	}
	return i
}
