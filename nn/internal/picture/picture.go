// Package picture holds the few grey-level image operations that the
// training augmentation (package augment) and the out-of-distribution check
// (package ood) both need to make a digit look like another writer's: resize,
// blur, grow or shrink the strokes, draw and erase pen marks.
//
// An image is ink from 0 (background) to 1 (full ink), as MNIST's are once
// divided by 255; outside the image there is background. Every operation
// keeps values in [0, 1] and uses plain float32 arithmetic with no fused
// multiply-adds in its results' path that could differ between amd64 and
// wasm: the same seed makes the same pictures everywhere.
package picture

import (
	"image"
	"math"
)

// A Gray is a W×H grey image, row-major, ink from 0 to 1.
type Gray struct {
	W, H int
	Pix  []float32
}

// New returns a blank w×h image.
func New(w, h int) *Gray { return &Gray{W: w, H: h, Pix: make([]float32, w*h)} }

// FromBytes returns the w×h image of grey bytes pix (0 background, 255 ink).
func FromBytes(pix []byte, w, h int) *Gray {
	g := New(w, h)
	for i, v := range pix {
		g.Pix[i] = float32(v) / 255
	}
	return g
}

// FromFloats returns the w×h image of the ink values pix, which it keeps.
func FromFloats(pix []float32, w, h int) *Gray { return &Gray{W: w, H: h, Pix: pix} }

// at returns the ink at (x, y), or 0 outside the image.
func (g *Gray) at(x, y int) float32 {
	if x < 0 || y < 0 || x >= g.W || y >= g.H {
		return 0
	}
	return g.Pix[y*g.W+x]
}

// Image returns g as white ink on black, the way MNIST's files are.
func (g *Gray) Image() *image.Gray {
	img := image.NewGray(image.Rect(0, 0, g.W, g.H))
	for i, v := range g.Pix {
		img.Pix[i] = uint8(math.Round(float64(clamp01(v)) * 255))
	}
	return img
}

// Bytes returns g as grey bytes, 0 background and 255 full ink.
func (g *Gray) Bytes() []byte { return g.Image().Pix }

// Resize returns g scaled to w×h. Shrinking averages the source pixels that
// each destination pixel covers (area sampling, as a scanner's sensor
// does); enlarging interpolates bilinearly.
func (g *Gray) Resize(w, h int) *Gray {
	if w <= g.W && h <= g.H {
		return g.shrink(w, h)
	}
	out := New(w, h)
	sx, sy := float64(g.W)/float64(w), float64(g.H)/float64(h)
	for y := range h {
		fy := (float64(y)+0.5)*sy - 0.5
		y0 := int(math.Floor(fy))
		ty := float32(fy - float64(y0))
		for x := range w {
			fx := (float64(x)+0.5)*sx - 0.5
			x0 := int(math.Floor(fx))
			tx := float32(fx - float64(x0))
			top := float32(g.at(x0, y0)*(1-tx)) + float32(g.at(x0+1, y0)*tx)
			bottom := float32(g.at(x0, y0+1)*(1-tx)) + float32(g.at(x0+1, y0+1)*tx)
			out.Pix[y*w+x] = float32(top*(1-ty)) + float32(bottom*ty)
		}
	}
	return out
}

// shrink is Resize by area sampling, for w ≤ g.W and h ≤ g.H.
func (g *Gray) shrink(w, h int) *Gray {
	out := New(w, h)
	sx, sy := float64(g.W)/float64(w), float64(g.H)/float64(h)
	for y := range h {
		y0, y1 := float64(y)*sy, float64(y+1)*sy
		for x := range w {
			x0, x1 := float64(x)*sx, float64(x+1)*sx
			var sum float64
			for py := int(y0); float64(py) < y1 && py < g.H; py++ {
				hy := math.Min(y1, float64(py+1)) - math.Max(y0, float64(py))
				for px := int(x0); float64(px) < x1 && px < g.W; px++ {
					wx := math.Min(x1, float64(px+1)) - math.Max(x0, float64(px))
					sum += float64(g.Pix[py*g.W+px]) * (hy * wx)
				}
			}
			out.Pix[y*w+x] = clamp01(float32(sum / (sx * sy)))
		}
	}
	return out
}

// Pixelate returns g shrunk to w×h by area sampling and enlarged back to its
// own size by repeating pixels: a low-resolution scan shown without
// smoothing.
func (g *Gray) Pixelate(w, h int) *Gray {
	small := g.shrink(w, h)
	out := New(g.W, g.H)
	for y := range g.H {
		sy := y * h / g.H
		for x := range g.W {
			out.Pix[y*g.W+x] = small.Pix[sy*w+x*w/g.W]
		}
	}
	return out
}

// Blur returns g smoothed by a Gaussian of standard deviation sigma pixels,
// cut at 3σ.
func (g *Gray) Blur(sigma float64) *Gray {
	r := int(math.Ceil(3 * sigma))
	k := make([]float32, 2*r+1)
	var sum float64
	for i := range k {
		d := float64(i - r)
		v := math.Exp(-d * d / (2 * sigma * sigma))
		k[i] = float32(v)
		sum += v
	}
	for i := range k {
		k[i] = float32(float64(k[i]) / sum)
	}
	return g.convolve(k, true).convolve(k, false)
}

// BoxBlur returns g averaged over a disc of radius r pixels: the blur of a
// lens out of focus, unlike Blur's Gaussian.
func (g *Gray) BoxBlur(r float64) *Gray {
	n := int(math.Ceil(r))
	type tap struct {
		dx, dy int
		w      float32
	}
	var taps []tap
	var sum float64
	for dy := -n; dy <= n; dy++ {
		for dx := -n; dx <= n; dx++ {
			if w := coverage(r - math.Hypot(float64(dx), float64(dy))); w > 0 {
				taps = append(taps, tap{dx, dy, float32(w)})
				sum += w
			}
		}
	}
	out := New(g.W, g.H)
	for y := range g.H {
		for x := range g.W {
			var v float32
			for _, t := range taps {
				v += float32(g.at(x+t.dx, y+t.dy) * t.w)
			}
			out.Pix[y*g.W+x] = clamp01(float32(float64(v) / sum))
		}
	}
	return out
}

// convolve returns g convolved with the odd kernel k along rows or columns.
func (g *Gray) convolve(k []float32, rows bool) *Gray {
	r := len(k) / 2
	out := New(g.W, g.H)
	for y := range g.H {
		for x := range g.W {
			var v float32
			for i, w := range k {
				if rows {
					v += float32(g.at(x+i-r, y) * w)
				} else {
					v += float32(g.at(x, y+i-r) * w)
				}
			}
			out.Pix[y*g.W+x] = clamp01(v)
		}
	}
	return out
}

// Dilate returns g with its strokes grown by r pixels on every side: each
// pixel takes the most ink of a disc of radius r around it, with the disc's
// edge anti-aliased so that r may be fractional.
func (g *Gray) Dilate(r float64) *Gray { return g.morph(r, false) }

// Erode returns g with its strokes shrunk by r pixels on every side, the
// dual of Dilate.
func (g *Gray) Erode(r float64) *Gray { return g.morph(r, true) }

func (g *Gray) morph(r float64, erode bool) *Gray {
	// A pixel at distance d from the ink gets a share r+1-d of it: full
	// ink up to r pixels away, fading over the next.
	n := int(math.Ceil(r))
	type tap struct {
		dx, dy int
		w      float32
	}
	var taps []tap
	for dy := -n; dy <= n; dy++ {
		for dx := -n; dx <= n; dx++ {
			if w := coverage(r + 1 - math.Hypot(float64(dx), float64(dy))); w > 0 {
				taps = append(taps, tap{dx, dy, float32(w)})
			}
		}
	}
	out := New(g.W, g.H)
	for y := range g.H {
		for x := range g.W {
			var best float32
			for _, t := range taps {
				v := g.at(x+t.dx, y+t.dy)
				if erode {
					v = 1 - v
				}
				best = max(best, float32(v*t.w))
			}
			if erode {
				best = 1 - best
			}
			out.Pix[y*g.W+x] = best
		}
	}
	return out
}

// A Point is a position in pixel space: pixel (x, y) covers
// [x, x+1)×[y, y+1).
type Point struct{ X, Y float64 }

// Line draws a stroke of a round pen of the given width from a to b,
// anti-aliased, keeping the most ink where it crosses what is there.
func (g *Gray) Line(a, b Point, width float64) {
	g.paint(a, b, width/2, func(old, cover float32) float32 { return max(old, cover) })
}

// Erase rubs out the ink under a round eraser of the given width moved from
// a to b.
func (g *Gray) Erase(a, b Point, width float64) {
	g.paint(a, b, width/2, func(old, cover float32) float32 { return float32(old * (1 - cover)) })
}

// paint calls f on every pixel near the segment ab with the share of the
// pixel that a capsule of radius r around the segment covers.
func (g *Gray) paint(a, b Point, r float64, f func(old, cover float32) float32) {
	x0 := max(0, int(math.Floor(math.Min(a.X, b.X)-r-1)))
	x1 := min(g.W-1, int(math.Ceil(math.Max(a.X, b.X)+r+1)))
	y0 := max(0, int(math.Floor(math.Min(a.Y, b.Y)-r-1)))
	y1 := min(g.H-1, int(math.Ceil(math.Max(a.Y, b.Y)+r+1)))
	for y := y0; y <= y1; y++ {
		for x := x0; x <= x1; x++ {
			p := Point{float64(x) + 0.5, float64(y) + 0.5}
			if c := coverage(r + 0.5 - segmentDistance(p, a, b)); c > 0 {
				i := y*g.W + x
				g.Pix[i] = f(g.Pix[i], float32(c))
			}
		}
	}
}

// Bounds returns the smallest rectangle that holds every pixel with at
// least the given ink, and false if there is none.
func (g *Gray) Bounds(level float32) (image.Rectangle, bool) {
	r := image.Rectangle{Min: image.Pt(g.W, g.H)}
	for y := range g.H {
		for x := range g.W {
			if g.Pix[y*g.W+x] >= level {
				r.Min.X, r.Min.Y = min(r.Min.X, x), min(r.Min.Y, y)
				r.Max.X, r.Max.Y = max(r.Max.X, x+1), max(r.Max.Y, y+1)
			}
		}
	}
	return r, !r.Empty()
}

// Ink returns the total ink of g.
func (g *Gray) Ink() float64 {
	var s float64
	for _, v := range g.Pix {
		s += float64(v)
	}
	return s
}

// segmentDistance is the distance from p to the segment ab.
func segmentDistance(p, a, b Point) float64 {
	dx, dy := b.X-a.X, b.Y-a.Y
	t := 0.0
	if l := dx*dx + dy*dy; l > 0 {
		t = math.Max(0, math.Min(1, ((p.X-a.X)*dx+(p.Y-a.Y)*dy)/l))
	}
	return math.Hypot(p.X-(a.X+t*dx), p.Y-(a.Y+t*dy))
}

// coverage turns a signed distance inside an edge into the share of a
// pixel covered: 0 outside, 1 a pixel or more inside.
func coverage(d float64) float64 { return math.Max(0, math.Min(1, d)) }

func clamp01(v float32) float32 { return max(0, min(1, v)) }
