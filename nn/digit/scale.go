package digit

import (
	"image"
	"math"
)

// scaleGray scales the rectangle sr of the grey levels pix (row-major, stride
// stride, pixel (x, y) at pix[y*stride+x], sr inside them) to dw×dh levels in
// [0, 1], which it writes to dst[y*dstStride+x]. It computes what
//
//	draw.CatmullRom.Scale(dst16, dr, src, sr, draw.Src, nil)
//
// computes for a *image.Gray src and a *image.Gray16 dst16 that holds the
// dw×dh rectangle dr, bit for bit, level l of dst16 becoming float32(l)/0xffff
// (TestScaleGrayMatchesDraw). That call links x/image/draw's scalers for
// every pair of image types into the program, over 300 KB of WebAssembly
// (70 KB gzipped); this is the one pair step 4 of the recipe needs.
//
// The algorithm is x/image/draw v0.48.0's (draw/scale.go,
// kernelScaler.Scale, and draw/impl.go, scaleX_Gray and
// scaleY_RGBA64Image_Src, where the dispatch goes): it scales each row
// of sr to dw columns into a temporary buffer, then each column of that to
// dh rows, with the weights of newDistrib. The red, green and blue sums of
// x/image/draw are one grey sum here, as they are equal, and Gray16's
// SetRGBA64 turns three equal levels into that level ((19595 + 38470 + 7471)
// is 1<<16). The alpha sum, against which the grey sum is clamped, is just
// the sum of the vertical weights, as the buffer's alpha is 1.
//
// Two things make it faster without changing a bit. Each row is scaled by
// going through its nonzero pixels, left to right, adding each one's share
// to the columns it weighs in: each column gets the same terms in the same
// order as in x/image/draw, less the zero ones. And rows of the buffer that
// are all zero are left out of the vertical sums. Leaving out zero terms is
// exact, as explained at resampler; the weights are values of the kernel,
// which are finite, and a zero row of the buffer is left out only if its
// inverse total weights are finite too, so that it holds zeros, not NaNs.
func scaleGray(dst []float32, dstStride int, pix []uint8, stride int, sr image.Rectangle, dw, dh int) {
	sw, sh := sr.Dx(), sr.Dy()
	if sw <= 0 || sh <= 0 || dw <= 0 || dh <= 0 {
		return
	}
	horizontal := newDistrib(dw, sw)
	vertical := newDistrib(dh, sh)

	// For each column x of sr, the columns of the buffer it weighs in,
	// in increasing order, and their weights: byCol[at[x]:at[x+1]].
	type share struct {
		col    int
		weight float64
	}
	at := make([]int, sw+1)
	for _, c := range horizontal.contribs {
		at[c.coord+1]++
	}
	for x := range sw {
		at[x+1] += at[x]
	}
	byCol := make([]share, len(horizontal.contribs))
	next := append([]int(nil), at[:sw]...)
	finite := true
	for k, s := range horizontal.sources {
		for _, c := range horizontal.contribs[s.i:s.j] {
			byCol[next[c.coord]] = share{k, c.weight}
			next[c.coord]++
		}
		if math.IsInf(s.invTotalWeightFFFF, 0) || math.IsNaN(s.invTotalWeightFFFF) {
			finite = false
		}
	}

	// scaleX_Gray.
	tmp := make([]float64, dw*sh)
	inked := make([]bool, sh) // whether row y of tmp may be other than zero
	for y := range sh {
		line := pix[(sr.Min.Y+y)*stride+sr.Min.X:][:sw]
		acc := tmp[y*dw : (y+1)*dw]
		for x, v := range line {
			if v == 0 {
				continue
			}
			inked[y] = true
			pru := float64(uint32(v) * 0x101)
			for _, c := range byCol[at[x]:at[x+1]] {
				acc[c.col] += float64(pru * c.weight)
			}
		}
		if !inked[y] && finite {
			// 0 times each inverse total weight is a zero.
			continue
		}
		inked[y] = true
		for k, s := range horizontal.sources {
			acc[k] *= s.invTotalWeightFFFF
		}
	}

	// scaleY_RGBA64Image_Src, a row of dst at a time.
	acc := make([]float64, dw)
	for dy, s := range vertical.sources {
		clear(acc)
		var pa float64
		for _, c := range vertical.contribs[s.i:s.j] {
			pa += float64(1 * c.weight)
			if !inked[c.coord] {
				continue
			}
			for dx, p := range tmp[c.coord*dw : (c.coord+1)*dw] {
				acc[dx] += float64(p * c.weight)
			}
		}
		out := dst[dy*dstStride:][:dw]
		for dx, pr := range acc {
			if pr > pa {
				pr = pa
			}
			out[dx] = float32(ftou(pr*s.invTotalWeight)) / 0xffff
		}
	}
}

// A distrib holds the weights with which the columns (or rows) of the
// source make up each column (or row) of the result: column x's are
// contribs[sources[x].i:sources[x].j]. It is x/image/draw's (draw/scale.go).
type distrib struct {
	sources  []source
	contribs []contrib
}

// A source is a column's range of contribs and the inverse of their total
// weight, also divided by 0xffff.
type source struct {
	i, j               int
	invTotalWeight     float64
	invTotalWeightFFFF float64
}

// A contrib is the weight of a source column or row.
type contrib struct {
	coord  int
	weight float64
}

// newDistrib distributes sw source columns (or rows) over dw, as
// x/image/draw's function of the same name does with draw.CatmullRom, in
// the same operations.
func newDistrib(dw, sw int) distrib {
	scale := float64(sw) / float64(dw)
	halfWidth, kernelArgScale := catmullRomSupport, 1.0
	// When shrinking, the kernel widens so that every source column counts.
	if scale > 1 {
		halfWidth *= scale
		kernelArgScale = 1 / scale
	}
	sources := make([]source, dw)
	n := 0
	for x := range sources {
		center := float64((float64(x)+0.5)*scale) - 0.5
		i := max(int(math.Floor(center-halfWidth)), 0)
		j := int(math.Ceil(center + halfWidth))
		if j > sw {
			j = max(sw, i)
		}
		// invTotalWeight holds the centre until the weights are known.
		sources[x] = source{i: i, j: j, invTotalWeight: center}
		n += j - i
	}
	contribs := make([]contrib, 0, n)
	for k, b := range sources {
		totalWeight := 0.0
		l := len(contribs)
		for coord := b.i; coord < b.j; coord++ {
			t := absf((b.invTotalWeight - float64(coord)) * kernelArgScale)
			if t >= catmullRomSupport {
				continue
			}
			weight := catmullRom(t)
			if weight == 0 {
				continue
			}
			totalWeight += weight
			contribs = append(contribs, contrib{coord, weight})
		}
		totalWeight = 1 / totalWeight
		sources[k] = source{
			i:                  l,
			j:                  len(contribs),
			invTotalWeight:     totalWeight,
			invTotalWeightFFFF: totalWeight / 0xffff,
		}
	}
	return distrib{sources, contribs}
}

// ftou converts [0, 1] to a 16-bit level, rounding and clamping, as
// x/image/draw's ftou does.
func ftou(f float64) uint16 {
	i := int32(float64(0xffff*f) + 0.5)
	if i > 0xffff {
		return 0xffff
	}
	if i > 0 {
		return uint16(i)
	}
	return 0
}

// catmullRom is the Catmull-Rom kernel for t in [0, catmullRomSupport):
// x/image/draw's draw.CatmullRom.At (draw/scale.go), copied in the same
// operations. Calling that instead would link package draw's variables and
// their initialisation into the program, 1.7 KB of WebAssembly, for these
// four lines.
func catmullRom(t float64) float64 {
	if t < 1 {
		return float64((float64(1.5*t)-2.5)*t*t) + 1
	}
	return float64((float64(float64(float64(-0.5*t)+2.5)*t)-4)*t) + 2
}

// catmullRomSupport is the kernel's support, draw.CatmullRom.Support.
const catmullRomSupport float64 = 2
