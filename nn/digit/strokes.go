package digit

import (
	"math"
)

// A Point is a position on a drawing surface, in any unit (CSS pixels,
// say) as long as the pen width is in the same unit.
type Point struct{ X, Y float64 }

// A Stroke is one line as drawn, from pen down to pen up. A stroke of one
// point is a dot.
type Stroke []Point

// maxPoints limits the work FromStrokes does for one drawing: at worst
// (every segment as long as the drawing and the pen as wide) about a
// second. A digit drawn at 120 pointer events a second for 5 seconds has
// 600 points.
const maxPoints = 10_000

// FromStrokes returns the network input for a digit drawn as strokes with a
// round pen of the given width (round caps and joins). The strokes are
// rasterised, anti-aliased, straight onto the working canvas of the recipe
// in the package documentation and follow it from there, so a drawing and a
// picture of it give nearly the same input. Only the shape matters: the
// position and scale of the drawing do not.
//
// It returns an error wrapping ErrNoInk for no points or a dot, one
// wrapping ErrTooLarge for more than 10,000 points, and an error for a
// width that is not positive and finite or a coordinate that is not finite.
func FromStrokes(strokes []Stroke, width float64) (*Input, error) {
	c, err := drawStrokes(strokes, width)
	if err != nil {
		return nil, err
	}
	return c.input()
}

// CheckStrokes returns the error FromStrokes would return for strokes
// whose points or pen width are wrong, or that have no points or too many,
// without drawing them. A drawing that passes may still hold no digit (a
// dot), which only FromStrokes can tell.
func CheckStrokes(strokes []Stroke, width float64) error {
	_, err := checkStrokes(strokes, width)
	return err
}

// checkStrokes checks the strokes as FromStrokes documents and returns the
// box of their points.
func checkStrokes(strokes []Stroke, width float64) (box [4]float64, err error) {
	if !(width > 0) || math.IsInf(width, 1) {
		return box, errorf(nil, "pen width %v: want a positive number", width)
	}
	n := 0
	minX, minY := math.Inf(1), math.Inf(1)
	maxX, maxY := math.Inf(-1), math.Inf(-1)
	for _, s := range strokes {
		n += len(s)
		for _, p := range s {
			if math.IsNaN(p.X) || math.IsInf(p.X, 0) || math.IsNaN(p.Y) || math.IsInf(p.Y, 0) {
				return box, errorf(nil, "stroke point (%v, %v) is not finite", p.X, p.Y)
			}
			minX, maxX = min(minX, p.X), max(maxX, p.X)
			minY, maxY = min(minY, p.Y), max(maxY, p.Y)
		}
	}
	if n == 0 {
		return box, errorf(ErrNoInk, "no strokes")
	}
	if n > maxPoints {
		return box, errorf(ErrTooLarge, "%d points, over %d", n, maxPoints)
	}
	return [4]float64{minX, minY, maxX, maxY}, nil
}

// drawStrokes checks the strokes as FromStrokes documents and draws them on
// a working canvas.
func drawStrokes(strokes []Stroke, width float64) (*canvas, error) {
	b, err := checkStrokes(strokes, width)
	if err != nil {
		return nil, err
	}
	minX, minY, maxX, maxY := b[0], b[1], b[2], b[3]
	// The drawing with its pen width fills work pixels along its longer
	// side, as a cropped picture does in FromImage.
	bw, bh := float64(maxX-minX)+width, float64(maxY-minY)+width
	long := max(bw, bh)
	if math.IsInf(long, 0) {
		return nil, errorf(nil, "strokes span %v×%v: too far apart", bw, bh)
	}
	f := work / long
	iw, ih := max(1, int(math.Ceil(bw*f))), max(1, int(math.Ceil(bh*f)))
	c := newCanvas(min(iw, work), min(ih, work))
	ox, oy := minX-width/2, minY-width/2
	at := func(p Point) (float64, float64) {
		return float64((p.X-ox)*f) + margin, float64((p.Y-oy)*f) + margin
	}
	r := float64(width*f) / 2
	for _, s := range strokes {
		for i := range s {
			if i == 0 && len(s) > 1 {
				continue
			}
			ax, ay := at(s[max(i-1, 0)])
			bx, by := at(s[i])
			c.segment(ax, ay, bx, by, r)
		}
	}
	return c, nil
}

// segment draws the segment from (ax, ay) to (bx, by) with a round pen of
// radius r. A pixel whose centre is at a distance d from the segment is
// covered by the overlap of [d−r, d+r] and [−½, ½]: exact for a pixel on
// the edge of a band parallel to its side, and right on average for a pen
// thinner than a pixel. Overlaps take the larger coverage, so joins are
// round and do not darken.
func (c *canvas) segment(ax, ay, bx, by, r float64) {
	x0 := max(0, int(math.Floor(min(ax, bx)-r-1)))
	x1 := min(c.w-1, int(math.Ceil(max(ax, bx)+r+1)))
	y0 := max(0, int(math.Floor(min(ay, by)-r-1)))
	y1 := min(c.h-1, int(math.Ceil(max(ay, by)+r+1)))
	dx, dy := bx-ax, by-ay
	l2 := float64(dx*dx) + float64(dy*dy)
	// The builtin min and max of floats are written out as comparisons:
	// under WebAssembly each is a call into the runtime. The values are
	// never NaN, and the comparisons give +0 where the builtins do.
	for y := y0; y <= y1; y++ {
		py := float64(y) + 0.5
		row := c.v[y*c.w : (y+1)*c.w]
		for x := x0; x <= x1; x++ {
			px := float64(x) + 0.5
			t := 0.0
			if l2 > 0 {
				// min(1, max(0, u)); max(0, -0) is +0.
				if t = (float64((px-ax)*dx) + float64((py-ay)*dy)) / l2; t <= 0 {
					t = 0
				} else if t > 1 {
					t = 1
				}
			}
			qx, qy := px-float64(ax+float64(t*dx)), py-float64(ay+float64(t*dy))
			d := math.Sqrt(float64(qx*qx) + float64(qy*qy)) // correctly rounded everywhere
			// max(0, min(d+r, 0.5) - max(d-r, -0.5))
			hi, lo := d+r, d-r
			if hi > 0.5 {
				hi = 0.5
			}
			if lo < -0.5 {
				lo = -0.5
			}
			cov := 0.0
			if v := hi - lo; v > 0 {
				cov = v
			}
			if f := float32(cov); f > row[x] {
				row[x] = f
			}
		}
	}
}
