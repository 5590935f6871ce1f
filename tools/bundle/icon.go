package main

import (
	"bytes"
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"math"

	"golang.org/x/image/vector"
)

// The app's icon is a handwritten 2 in white, as a finger would draw it,
// on a tile of the app's accent blue. It is drawn here, at build time, in
// every size the manifest lists, so that no binary image is kept in the
// repository and a change of colour or shape is a change of code.

var (
	iconTile = color.RGBA{0x2e, 0x6b, 0xd8, 0xff} // the app's accent (wasm/app/draw.go)
	iconInk  = color.RGBA{0xff, 0xff, 0xff, 0xff}
)

// pt is a point in the unit square, y pointing down.
type pt struct{ x, y float64 }

// bezier is a cubic Bézier segment.
type bezier [4]pt

// at returns the point at parameter t in [0, 1].
func (b bezier) at(t float64) pt {
	u := 1 - t
	a, c, d, e := u*u*u, 3*u*u*t, 3*u*t*t, t*t*t
	return pt{
		a*b[0].x + c*b[1].x + d*b[2].x + e*b[3].x,
		a*b[0].y + c*b[1].y + d*b[2].y + e*b[3].y,
	}
}

// iconDigit is the 2, one stroke of three curves in the unit square: the
// hook at the top, the fall to the lower left, and the base drawn to the
// right, slightly rising, as a quick hand leaves it.
var iconDigit = []bezier{
	{{0.27, 0.33}, {0.29, 0.12}, {0.70, 0.10}, {0.70, 0.33}},
	{{0.70, 0.33}, {0.70, 0.50}, {0.46, 0.62}, {0.26, 0.82}},
	{{0.26, 0.82}, {0.42, 0.79}, {0.60, 0.79}, {0.76, 0.78}},
}

// iconStrokeWidth is the pen width as a fraction of the digit's box.
const iconStrokeWidth = 0.11

// polyline flattens curves into points, n per curve, in order.
func polyline(curves []bezier, n int) []pt {
	var pts []pt
	for i, c := range curves {
		start := 1
		if i == 0 {
			start = 0
		}
		for k := start; k <= n; k++ {
			pts = append(pts, c.at(float64(k)/float64(n)))
		}
	}
	return pts
}

// iconSpec says how one icon file is drawn.
type iconSpec struct {
	name     string  // file name before hashing
	size     int     // width and height in pixels
	maskable bool    // full-bleed tile for launchers that crop to their own shape
	scale    float64 // the digit's box as a fraction of the icon's side
}

// icons are the icons the manifest lists: 192 and 512 pixels are what
// Chromium and Android ask for; the maskable one keeps the digit inside the
// central circle of 80% diameter that any mask leaves visible.
var icons = []iconSpec{
	{name: "icon-192.png", size: 192, scale: 0.78},
	{name: "icon-512.png", size: 512, scale: 0.78},
	{name: "icon-maskable-512.png", size: 512, maskable: true, scale: 0.56},
}

// drawIcon draws the icon: a tile (rounded square, or full bleed if
// maskable) with the digit's strokes in round-capped, round-joined lines.
func drawIcon(spec iconSpec) *image.RGBA {
	s := float64(spec.size)
	img := image.NewRGBA(image.Rect(0, 0, spec.size, spec.size))

	tile := image.NewAlpha(img.Bounds())
	if spec.maskable {
		draw.Draw(tile, tile.Bounds(), image.Opaque, image.Point{}, draw.Src)
	} else {
		fillRoundRect(tile, 0, 0, s, s, 0.22*s)
	}
	draw.DrawMask(img, img.Bounds(), image.NewUniform(iconTile), image.Point{}, tile, image.Point{}, draw.Over)

	ink := image.NewAlpha(img.Bounds())
	box := spec.scale * s
	off := (s - box) / 2
	pts := polyline(iconDigit, 24)
	for i := range pts {
		pts[i] = pt{off + pts[i].x*box, off + pts[i].y*box}
	}
	strokePolyline(ink, pts, iconStrokeWidth*box/2)
	draw.DrawMask(img, img.Bounds(), image.NewUniform(iconInk), image.Point{}, ink, image.Point{}, draw.Over)
	return img
}

// strokePolyline paints the polyline pts into dst, r pixels either side of
// the line, with round caps and joins: the union of one capsule per segment.
// Each capsule is rasterised on its own and composited with Over, so that
// overlaps neither cancel nor double the anti-aliased edges.
func strokePolyline(dst *image.Alpha, pts []pt, r float64) {
	if len(pts) == 1 {
		pts = append(pts, pts[0])
	}
	for i := 1; i < len(pts); i++ {
		z := vector.NewRasterizer(dst.Bounds().Dx(), dst.Bounds().Dy())
		z.DrawOp = draw.Over
		capsule(z, pts[i-1], pts[i], r)
		z.Draw(dst, dst.Bounds(), image.Opaque, image.Point{})
	}
}

// capsule adds to z the closed path of the segment ab widened by r on each
// side, with a half circle at each end.
func capsule(z *vector.Rasterizer, a, b pt, r float64) {
	dx, dy := b.x-a.x, b.y-a.y
	angle := math.Atan2(dy, dx)
	// From a's left side, along to b, half round b, back to a, half round a.
	arc := func(c pt, from float64, first bool) {
		const steps = 16
		for k := 0; k <= steps; k++ {
			th := from + math.Pi*float64(k)/steps
			x, y := float32(c.x+r*math.Cos(th)), float32(c.y+r*math.Sin(th))
			if first && k == 0 {
				z.MoveTo(x, y)
			} else {
				z.LineTo(x, y)
			}
		}
	}
	arc(b, angle-math.Pi/2, true)
	arc(a, angle+math.Pi/2, false)
	z.ClosePath()
}

// fillRoundRect paints an opaque rectangle with corners of radius r into
// dst.
func fillRoundRect(dst *image.Alpha, x0, y0, x1, y1, r float64) {
	z := vector.NewRasterizer(dst.Bounds().Dx(), dst.Bounds().Dy())
	// k places the control points of a cubic that approximates a quarter
	// circle (the usual 4/3·(√2−1)).
	const k = 0.5522847498
	f := func(v float64) float32 { return float32(v) }
	z.MoveTo(f(x0+r), f(y0))
	z.LineTo(f(x1-r), f(y0))
	z.CubeTo(f(x1-r+k*r), f(y0), f(x1), f(y0+r-k*r), f(x1), f(y0+r))
	z.LineTo(f(x1), f(y1-r))
	z.CubeTo(f(x1), f(y1-r+k*r), f(x1-r+k*r), f(y1), f(x1-r), f(y1))
	z.LineTo(f(x0+r), f(y1))
	z.CubeTo(f(x0+r-k*r), f(y1), f(x0), f(y1-r+k*r), f(x0), f(y1-r))
	z.LineTo(f(x0), f(y0+r))
	z.CubeTo(f(x0), f(y0+r-k*r), f(x0+r-k*r), f(y0), f(x0+r), f(y0))
	z.ClosePath()
	z.Draw(dst, dst.Bounds(), image.Opaque, image.Point{})
}

// encodeIcon draws spec and returns it as a PNG at best compression.
func encodeIcon(spec iconSpec) ([]byte, error) {
	var buf bytes.Buffer
	enc := png.Encoder{CompressionLevel: png.BestCompression}
	if err := enc.Encode(&buf, drawIcon(spec)); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
