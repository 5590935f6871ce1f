package digit

import (
	"image"
	"math"
	"slices"
)

// Geometry of the working canvas and of the field (steps 4 to 6 of the
// recipe).
const (
	work   = 80 // longer side of the drawing on the working canvas: 4× MNIST's box
	margin = 16 // blank border around it: room to thicken strokes, and for the kernel
	box    = 20 // MNIST's box: the longer side of the digit in the 28×28 field

	// centre is where the centre of mass goes, in continuous coordinates
	// (pixel (x, y) covers [x, x+1)×[y, y+1)): the middle of pixel
	// (14, 14). MNIST's own digits have their centres of mass, in pixel
	// indices, within half a pixel of (14, 14), not of (13.5, 13.5).
	centre = Size/2 + 0.5
)

// Stroke widths, as fractions of the longer side of the digit's bounding
// box, measured on the working canvas as twice the area over the perimeter
// of the ink at half coverage. On MNIST's test digits this measure has a
// 5th percentile of 0.053, a median of 0.082, a 95th percentile of 0.133
// and a 99th of 0.160. Strokes thinner than thinWidth are thickened to
// thinTarget, bolder ones than boldWidth thinned to boldTarget. (Thinning
// the boldest digits to MNIST's 95th percentile gains a fifth of a point
// of accuracy on digits drawn with a marker, see TestRealImages; thinning
// more starts to thin MNIST's own bold digits.)
const (
	thinWidth  = 0.05
	thinTarget = 0.08
	boldWidth  = 0.17
	boldTarget = 0.13

	// A mark whose extent is under minExtent stroke widths is a dot or a
	// blot, not a digit: a disc measures 2.5, a square 2, MNIST's digits
	// at least 5.
	minExtent = 3.0
)

// canvas is the working image: ink coverage (0 background, 1 full ink) of
// w×h pixels, row-major.
type canvas struct {
	w, h int
	v    []float32
}

// newCanvas returns a blank canvas with room for a drawing of iw×ih pixels
// and the margin around it.
func newCanvas(iw, ih int) *canvas {
	w, h := iw+2*margin, ih+2*margin
	return &canvas{w: w, h: h, v: make([]float32, w*h)}
}

// fitWork returns the size on the working canvas of a drawing of w×h
// pixels: the longer side becomes work pixels and the aspect ratio is kept.
func fitWork(w, h int) (iw, ih int) {
	long := max(w, h)
	return max(1, (w*work+long/2)/long), max(1, (h*work+long/2)/long)
}

// scaleInk scales the rectangle r of the ink map, w pixels a row, onto a
// new canvas (step 4).
func scaleInk(ink []uint8, w int, r image.Rectangle) *canvas {
	iw, ih := fitWork(r.Dx(), r.Dy())
	c := newCanvas(iw, ih)
	scaleGray(c.v[margin*c.w+margin:], c.w, ink, w, r, iw, ih)
	return c
}

// normalize scales the ink so that a stroke's core is 1, and reports
// whether there is any ink. The level that becomes 1 is the 90th
// percentile of the ink (pixels over 5% of the peak), not the peak itself:
// a thin line scaled down is fainter along its length than where it
// crosses another, and should not stay faint. Levels above it clip to 1.
//
// Here and in the other loops over the canvas, the builtin min and max of
// floats give way to comparisons: under WebAssembly each is a call into the
// runtime, costlier than the rest of the loop. The levels are never NaN or
// -0, where the two would differ.
func (c *canvas) normalize() bool {
	var peak float32
	for _, v := range c.v {
		if v > peak {
			peak = v
		}
	}
	if !(peak > 0) {
		return false
	}
	const bins = 1024
	var hist [bins + 1]int
	n := 0
	for _, v := range c.v {
		if f := v / peak; f > 0.05 {
			hist[int(f*bins)]++
			n++
		}
	}
	level := peak
	for b, k := bins, 0; b >= 0; b-- {
		if k += hist[b]; 10*k >= n {
			level = float32(b+1) / bins * peak
			break
		}
	}
	for i, v := range c.v {
		// v/level is at least 0: v is, and level is positive.
		if v = v / level; v > 1 {
			v = 1
		}
		c.v[i] = v
	}
	return true
}

// measure returns the bounding box of the ink at half coverage or more,
// its area, and the width of its strokes: twice the area over the
// perimeter (the number of sides between an inked and a blank pixel),
// which is exact for a long band and close for any stroke.
func (c *canvas) measure() (b image.Rectangle, area int, width float64) {
	x0, y0, x1, y1 := c.w, c.h, -1, -1
	// Each side between an inked and a blank pixel, or between an inked
	// pixel and the edge, is one where the inkedness of the two pixels on
	// either side differs (outside the canvas is blank).
	perim := 0
	var above []float32
	for y := range c.h {
		row := c.v[y*c.w : (y+1)*c.w]
		left, n := 0, 0
		for x, v := range row {
			in, up := 0, 0
			if v >= 0.5 {
				in = 1
			}
			if above != nil && above[x] >= 0.5 {
				up = 1
			}
			perim += (in ^ left) + (in ^ up)
			if in != 0 {
				x0, x1 = min(x0, x), max(x1, x)
			}
			left = in
			n += in
		}
		perim += left
		if n > 0 {
			y0, y1 = min(y0, y), y
			area += n
		}
		above = row
	}
	for _, v := range above {
		if v >= 0.5 {
			perim++
		}
	}
	if area == 0 {
		return image.Rectangle{}, 0, 0
	}
	return image.Rect(x0, y0, x1+1, y1+1), area, float64(2*area) / float64(perim)
}

// morph replaces each pixel by the largest (dilate) or smallest (erode)
// value within a disc of radius r around it: grey-level dilation or
// erosion with a flat disc. Outside the canvas is background.
//
// The disc is taken row by row: each of its rows is a run of 2k+1 pixels,
// and the extremum over runs of 2k+1 pixels comes from the one over 2k-1
// with one more pixel at each end. That is 3r+1 passes over the canvas
// instead of one for each of the disc's pixels (29 for r = 3, 81 for 5).
//
// The levels, never negative or NaN, are compared as their bits, which
// order the same and compare without branches (a float comparison is a
// branch under WebAssembly). Erosion is dilation of the complemented bits.
func (c *canvas) morph(r int, dilate bool) {
	var flip uint32 // complements the bits for erosion
	if !dilate {
		flip = ^uint32(0)
	}
	// u is the canvas with r pixels of background around it.
	w, h, pw := c.w, c.h, c.w+2*r
	u := make([]uint32, pw*(h+2*r))
	for i := range u {
		u[i] = flip // math.Float32bits(0) ^ flip
	}
	for y := range h {
		row := u[(y+r)*pw+r:][:w]
		for x, v := range c.v[y*w : (y+1)*w] {
			row[x] = math.Float32bits(v) ^ flip
		}
	}
	// The disc's row dy has the pixels |dx| ≤ half[|dy|].
	half := make([]int, r+1)
	for dy := range half {
		k := r
		for k*k+dy*dy > r*r {
			k--
		}
		half[dy] = k
	}
	run := slices.Clone(u) // the extremum over the run of 2k+1 pixels centred on each
	out := make([]uint32, w*h)
	// merge takes into out the runs of the row dy below (above if negative).
	merge := func(dy int) {
		for y := range h {
			o, src := out[y*w:(y+1)*w], run[(y+dy+r)*pw+r:][:w]
			for x, m := range o {
				o[x] = max(m, src[x])
			}
		}
	}
	for k := 0; k <= r; k++ {
		if k > 0 {
			for y := r; y < r+h; y++ {
				line, src := run[y*pw+r:][:w], u[y*pw+r-k:][:w+2*k]
				for x, m := range line {
					line[x] = max(m, src[x], src[x+2*k])
				}
			}
		}
		for dy, hk := range half {
			if hk == k {
				merge(dy)
				if dy > 0 {
					merge(-dy)
				}
			}
		}
	}
	for i, b := range out {
		c.v[i] = math.Float32frombits(b ^ flip)
	}
}

// input finishes the recipe from the working canvas (steps 4 to 6).
func (c *canvas) input() (*Input, error) {
	if !c.normalize() {
		return nil, errorf(ErrNoInk, "no ink after scaling")
	}
	b, _, width := c.measure()
	if b.Empty() {
		return nil, errorf(ErrNoInk, "no ink after scaling")
	}
	ext := float64(max(b.Dx(), b.Dy()))
	if ext < minExtent*width {
		return nil, errorf(ErrNoInk, "a dot or a blot (%.0f pixels across, strokes %.1f wide)", ext, width)
	}

	// Step 5: bring the stroke width into MNIST's range. Dilating by r
	// widens a stroke by 2r; eroding narrows it by 2r.
	switch rel := width / ext; {
	case rel < thinWidth:
		if r := int(float64(float64(thinTarget*ext)-width)/2 + 0.5); r > 0 {
			c.morph(min(r, margin-4), true)
		}
	case rel > boldWidth:
		if r := int(float64(width-float64(boldTarget*ext))/2 + 0.5); r > 0 {
			c.morph(min(r, margin-4), false)
		}
	}
	if b, _, _ = c.measure(); b.Empty() {
		return nil, errorf(ErrNoInk, "no ink after thinning")
	}

	// Step 6: one affine map scales the box's longer side to box pixels and
	// moves the centre of mass to the centre of the field, with
	// x/image/draw's Catmull-Rom filter (see resampler); 8 bits a pixel is
	// what MNIST has.
	src := make([]uint8, c.w*c.h)
	for i, v := range c.v {
		src[i] = uint8(float32(v*255) + 0.5)
	}
	cx, cy, _ := massCentre(src, c.w)
	s := float64(box) / float64(max(b.Dx(), b.Dy()))
	tx, ty := centre-float64(s*cx), centre-float64(s*cy)
	rs := newResampler(src, c.w, c.h)
	var dst [Size * Size]uint8
	// The kernel's negative lobes and the clipping at 0 move the centre of
	// mass a little; up to two corrections bring it within 0.02 pixels.
	for range 3 {
		clear(dst[:])
		rs.transform(&dst, s, tx, ty)
		ox, oy, ok := massCentre(dst[:], Size)
		if !ok {
			return nil, errorf(ErrNoInk, "no ink after scaling")
		}
		dx, dy := centre-ox, centre-oy
		if dx < 0.02 && dx > -0.02 && dy < 0.02 && dy > -0.02 {
			break
		}
		tx, ty = tx+dx, ty+dy
	}

	// As in MNIST, the fullest pixel is full ink.
	var peak uint8
	for _, v := range dst {
		peak = max(peak, v)
	}
	var in Input
	for i, v := range dst {
		in[i] = float32(v) / float32(peak)
	}
	return &in, nil
}

// massCentre returns the centre of mass, in continuous coordinates, of the
// 8-bit grey image pix, w pixels wide, and whether it has any mass. The sums
// are integers, exact everywhere.
func massCentre(pix []uint8, w int) (x, y float64, ok bool) {
	var mass, mx, my uint64
	for r := 0; r*w < len(pix); r++ {
		var m, sx uint64
		for i, q := range pix[r*w : (r+1)*w] {
			m += uint64(q)
			sx += uint64(q) * uint64(2*i+1) // twice the pixel's centre
		}
		mass, mx, my = mass+m, mx+sx, my+m*uint64(2*r+1)
	}
	if mass == 0 {
		return 0, 0, false
	}
	return float64(mx) / float64(2*mass), float64(my) / float64(2*mass), true
}
