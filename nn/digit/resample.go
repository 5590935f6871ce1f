package digit

import (
	"image"
	"math"
)

// A resampler draws a grey image into the Size×Size field with a map that
// scales by s and then moves by (tx, ty) (step 6 of the recipe). It computes
// what
//
//	draw.CatmullRom.Transform(dst, f64.Aff3{s, 0, tx, 0, s, ty}, src, src.Bounds(), draw.Src, nil)
//
// computes for a *image.Gray src and a Size×Size *image.RGBA dst, bit for bit
// (TestResamplerMatchesDraw), in a fraction of the time. x/image/draw
// (draw/impl.go, transform_RGBA_Gray_Src) works out the kernel's weights
// again for every pixel of dst and then visits the 17×17 or so pixels of src
// under it. A resampler works the weights out once for each column and each
// row of dst, then goes once through the nonzero pixels of src, in order,
// and adds each one's share to the dst pixels it is under: each dst pixel
// gets the same terms in the same order, less the zero ones.
//
// Leaving out zero terms is exact. The sum starts at +0 and so is never -0
// (x + y is -0 only if both are), and adding ±0 to such a sum leaves it as
// it is. The exception is a kernel weight that is not finite (0·∞ is NaN),
// for which the resampler visits every pixel, as x/image/draw does.
type resampler struct {
	pix  []uint8 // w×h grey levels, row-major
	w, h int
	runs []span // the runs of nonzero pixels, row by row, left to right
	row  []int  // row y's runs are runs[row[y]:row[y+1]]
}

// A span is a range [x0, x1) of columns, or of coordinates along an axis.
type span struct{ x0, x1 int }

// newResampler returns a resampler for the w×h grey levels pix, which it
// keeps.
func newResampler(pix []uint8, w, h int) *resampler {
	r := &resampler{pix: pix, w: w, h: h, row: make([]int, h+1)}
	for y := range h {
		line := pix[y*w : (y+1)*w]
		for x := 0; x < w; x++ {
			if line[x] == 0 {
				continue
			}
			x0 := x
			for x < w && line[x] != 0 {
				x++
			}
			r.runs = append(r.runs, span{x0, x})
		}
		r.row[y+1] = len(r.runs)
	}
	return r
}

// taps holds the kernel's weights along one axis, by src coordinate: src
// column (or row) x is under the dst columns first+cover[x].x0 to
// first+cover[x].x1-1, with the normalised weights weight[x], one for each.
// Only dst columns [first, last) are drawn: their sample points fall inside
// src.
type taps struct {
	first, last int
	cover       []span
	weight      [][]float64
	finite      bool // whether every weight is finite
}

// axisTaps works out the taps along one axis, for dst coordinates [d0, d1)
// and src coordinates [0, size), as transform_RGBA_Gray_Src does for each
// pixel: dst coordinate d samples src at scale·(d + ½) + cross + offset,
// where cross is the other axis's term, and is drawn if that falls inside
// src (after adding bias, which makes it non-negative). When shrinking,
// the kernel is widened to halfWidth and its argument scaled by argScale.
func axisTaps(d0, d1, scaleMin int, scale, cross, offset float64, bias, size int, halfWidth, argScale float64) taps {
	t := taps{first: d1, last: d1, cover: make([]span, size), weight: make([][]float64, size), finite: true}
	// The weights of each drawn dst coordinate, all in one allocation.
	n := max(d1-d0, 0)
	lo, hi := make([]int, 0, n), make([]int, 0, n)
	weight := make([][]float64, 0, n)
	buf := make([]float64, n*(1+2*int(math.Ceil(halfWidth))))
	for d := d0; d < d1; d++ {
		sf := float64(scale*(float64(scaleMin+d)+0.5)) + cross + offset
		if p := int(sf) + bias; p < 0 || p >= size {
			if t.first < d1 {
				t.last = min(t.last, d)
			}
			continue
		}
		t.first = min(t.first, d)
		sf += float64(bias)
		sf -= 0.5
		l := max(int(math.Floor(sf-halfWidth)), 0)
		h := max(min(int(math.Ceil(sf+halfWidth)), size), l)
		w := buf[: h-l : h-l]
		buf = buf[h-l:]
		total := 0.0
		for k := l; k < h; k++ {
			v := 0.0
			if a := absf((sf - float64(k)) * argScale); a < catmullRomSupport {
				v = catmullRom(a)
			}
			w[k-l] = v
			total += v
		}
		for k := range w {
			w[k] /= total
			if math.IsInf(w[k], 0) || math.IsNaN(w[k]) {
				t.finite = false
			}
		}
		lo, hi, weight = append(lo, l), append(hi, h), append(weight, w)
	}
	if t.first == d1 {
		t.first = d0
	}
	// The sample points move right with d, so the drawn coordinates are
	// contiguous, and so are the dst coordinates over a src coordinate.
	t.last = min(t.last, t.first+len(lo))
	n = t.last - t.first
	for x := range size {
		t.cover[x] = span{n, 0}
	}
	for i := range n {
		for x := lo[i]; x < hi[i]; x++ {
			t.cover[x].x0 = min(t.cover[x].x0, i)
			t.cover[x].x1 = max(t.cover[x].x1, i+1)
		}
	}
	total := 0
	for _, c := range t.cover {
		total += max(c.x1-c.x0, 0)
	}
	flat := make([]float64, total)
	for x, c := range t.cover {
		if c.x0 >= c.x1 {
			continue
		}
		t.weight[x], flat = flat[:c.x1-c.x0], flat[c.x1-c.x0:]
		for i := c.x0; i < c.x1; i++ {
			t.weight[x][i-c.x0] = weight[i][x-lo[i]]
		}
	}
	return t
}

// transform draws the image into dst, which the caller has cleared: pixels
// of dst whose sample point falls outside the image are left as they are.
//
// It goes through the nonzero pixels of src in order, row by row, and adds
// each one's share to the dst pixels whose kernel covers it. Each dst pixel
// thus gets its terms in the order x/image/draw adds them.
func (r *resampler) transform(dst *[Size * Size]uint8, s, tx, ty float64) {
	sr := image.Rect(0, 0, r.w, r.h)
	s2d := aff3{s, 0, tx, 0, s, ty}
	dr := transformRect(&s2d, &sr)
	adr := image.Rect(0, 0, Size, Size).Intersect(dr)
	if adr.Empty() || sr.Empty() {
		return
	}
	d2s := invert(&s2d)
	// bias makes the src coordinates non-negative, as in x/image/draw.
	bias := transformRect(&d2s, &adr).Min
	bias.X--
	bias.Y--
	d2s[2] -= float64(bias.X)
	d2s[5] -= float64(bias.Y)
	adr = adr.Sub(dr.Min)

	xscale := absf(d2s[0])
	if a := absf(d2s[1]); xscale < a {
		xscale = a
	}
	yscale := absf(d2s[3])
	if a := absf(d2s[4]); yscale < a {
		yscale = a
	}
	xHalf, xArg := catmullRomSupport, 1.0
	if xscale > 1 {
		xHalf *= xscale
		xArg = 1 / xscale
	}
	yHalf, yArg := catmullRomSupport, 1.0
	if yscale > 1 {
		yHalf *= yscale
		yArg = 1 / yscale
	}
	// x/image/draw maps dst pixel (x, y) to src x as d2s[0]·x' + d2s[1]·y' +
	// d2s[2] (x' and y' the pixel's centre). For this map d2s[1] is -0 and
	// y' positive, so the middle term is -0, which adds nothing: src x
	// depends on the column only, and src y likewise on the row only.
	y0f := float64(dr.Min.Y+adr.Min.Y) + 0.5
	x0f := float64(dr.Min.X+adr.Min.X) + 0.5
	cols := axisTaps(adr.Min.X, adr.Max.X, dr.Min.X, d2s[0], float64(d2s[1]*y0f), d2s[2], bias.X, r.w, xHalf, xArg)
	rows := axisTaps(adr.Min.Y, adr.Max.Y, dr.Min.Y, d2s[4], float64(d2s[3]*x0f), d2s[5], bias.Y, r.h, yHalf, yArg)
	if cols.first >= cols.last || rows.first >= rows.last {
		return
	}

	runs, rowRuns := r.runs, r.row
	if !cols.finite || !rows.finite {
		// Visit every pixel, zeros included, so that NaNs come out as in
		// x/image/draw.
		runs, rowRuns = make([]span, r.h), make([]int, r.h+1)
		for y := range r.h {
			runs[y], rowRuns[y+1] = span{0, r.w}, y+1
		}
	}
	var sum [Size * Size]float64
	ncol := cols.last - cols.first
	for y := range r.h {
		rc, yws := rows.cover[y], rows.weight[y]
		line := r.pix[y*r.w : (y+1)*r.w]
		for _, run := range runs[rowRuns[y]:rowRuns[y+1]] {
			for x := run.x0; x < run.x1; x++ {
				v := float64(uint32(line[x]) * 0x101)
				cc, xws := cols.cover[x], cols.weight[x]
				for j, yw := range yws {
					if yw == 0 {
						continue
					}
					// x/image/draw skips a zero weight xw·yw; here its
					// term, ±0, adds nothing.
					acc := sum[(rc.x0+j)*ncol+cc.x0:][:len(xws)]
					for i, xw := range xws {
						acc[i] += float64(v * float64(xw*yw))
					}
				}
			}
		}
	}
	for j := range rows.last - rows.first {
		out := dst[(dr.Min.Y+rows.first+j)*Size+dr.Min.X+cols.first:]
		for i, v := range sum[j*ncol : (j+1)*ncol] {
			out[i] = uint8(fffftou(v) >> 8)
		}
	}
}

// The helpers below do what x/image/draw's of the same names do
// (draw/scale.go), in the same operations, since the results must match to
// the bit. The explicit float64 conversions keep compilers from fusing a
// multiply and an add, as there.

func absf(f float64) float64 {
	if f < 0 {
		f = -f
	}
	return f
}

// fffftou converts [0, 65535] to a 16-bit level, rounding and clamping.
func fffftou(f float64) uint16 {
	i := int32(f + 0.5)
	if i > 0xffff {
		return 0xffff
	}
	if i > 0 {
		return uint16(i)
	}
	return 0
}

// aff3 is a 3×3 affine matrix in row-major order, the bottom row implied
// to be [0, 0, 1]: the layout of x/image/math/f64's Aff3, which the code
// here follows, kept as a local type so that the package needs the
// standard library only.
type aff3 [6]float64

// invert returns the inverse of the affine map m.
func invert(m *aff3) aff3 {
	m00 := +m[3*1+1]
	m01 := -m[3*0+1]
	m02 := +float64(m[3*1+2]*m[3*0+1]) - float64(m[3*1+1]*m[3*0+2])
	m10 := -m[3*1+0]
	m11 := +m[3*0+0]
	m12 := +float64(m[3*1+0]*m[3*0+2]) - float64(m[3*1+2]*m[3*0+0])
	det := float64(m00*m11) - float64(m10*m01)
	return aff3{m00 / det, m01 / det, m02 / det, m10 / det, m11 / det, m12 / det}
}

// transformRect returns the smallest rectangle of whole pixels that holds
// the image of sr under m.
func transformRect(m *aff3, sr *image.Rectangle) (dr image.Rectangle) {
	for i, p := range [...]image.Point{sr.Min, {sr.Max.X, sr.Min.Y}, {sr.Min.X, sr.Max.Y}, sr.Max} {
		x, y := float64(p.X), float64(p.Y)
		dx := int(math.Floor(float64(m[0]*x) + float64(m[1]*y) + m[2]))
		dy := int(math.Floor(float64(m[3]*x) + float64(m[4]*y) + m[5]))
		if i == 0 {
			dr = image.Rect(dx, dy, dx+1, dy+1)
			continue
		}
		dr.Min.X, dr.Max.X = min(dr.Min.X, dx), max(dr.Max.X, dx+1)
		dr.Min.Y, dr.Max.Y = min(dr.Min.Y, dy), max(dr.Max.Y, dy+1)
	}
	return dr
}
