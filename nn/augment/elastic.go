package augment

import (
	"math"
	"math/rand/v2"
)

// The elastic distortion of Simard et al. (2003), section 2: uniform noise
// in [-1, 1] for each pixel and axis, smoothed by a Gaussian of standard
// deviation σ and multiplied by α.
//
// The Gaussian is separable, so the smoothing is two 1-D passes: along the
// rows, then along the columns. Both are circular: the field of an h×w
// image is periodic, with no border where the smoothing would see less
// noise. A kernel wider than the image is folded onto one period, which is
// what the circular convolution would do with it anyway.
//
// Shapes: noise, tmp, field (h, w, 2), the x and y displacements of a pixel
// side by side, so that every loop does both at once; tmp (w, h, 2).

// initElastic allocates the scratch buffers and computes the kernels.
func (a *Augmenter) initElastic() {
	h, w := a.h, a.w
	// The noise is stored as int32 values, so that one rng.Uint64 makes
	// both displacements of a pixel: fold the scale 2⁻³¹ into the row
	// kernel and α into the column kernel.
	a.kx = gaussian(a.opts.ElasticSigma, w, 0x1p-31)
	a.ky = gaussian(a.opts.ElasticSigma, h, a.opts.ElasticAlpha)
	a.noise = make([]float64, 2*h*w)
	a.pad = make([]float64, 2*max(w+2*len(a.kx), h+2*len(a.ky)))
	a.tmp = make([]float64, 2*h*w)
	a.field = make([]float64, 2*h*w)
}

// gaussian returns one half of the Gaussian kernel of standard deviation
// sigma, cut at radius r = ⌈3σ⌉ and normalised to sum to scale, for a
// circular convolution over a period of n samples: k[d] weighs the two
// samples at distance d, so the convolution at i is
//
//	k[0]·x[i] + Σ k[d]·(x[(i-d) mod n] + x[(i+d) mod n]),  d = 1 … len(k)-1.
//
// A kernel wider than the period is folded onto it, which is what the
// circular convolution would do with it anyway; then len(k)-1 = n/2, and
// for even n the last weight is halved, as it counts twice.
func gaussian(sigma float64, n int, scale float64) []float64 {
	r := int(math.Ceil(3 * sigma))
	g := make([]float64, r+1)
	sum := 0.0
	for d := range g {
		g[d] = math.Exp(-float64(d*d) / (2 * sigma * sigma))
		sum += g[d]
		if d > 0 {
			sum += g[d]
		}
	}
	if 2*r+1 <= n {
		for d := range g {
			g[d] *= scale / sum
		}
		return g
	}
	// Fold the taps at offsets -r … r onto their residues mod n.
	f := make([]float64, n)
	for o := -r; o <= r; o++ {
		f[mod(o, n)] += g[abs(o)] * scale / sum
	}
	k := f[:n/2+1]
	if n%2 == 0 {
		k[n/2] /= 2
	}
	return k
}

// mod returns i modulo n in [0, n).
func mod(i, n int) int {
	i %= n
	if i < 0 {
		i += n
	}
	return i
}

// abs returns the absolute value of i.
func abs(i int) int {
	if i < 0 {
		return -i
	}
	return i
}

// elastic draws a new displacement field into a.field.
func (a *Augmenter) elastic(rng *rand.Rand) {
	noise := a.noise
	for i := 0; i+1 < len(noise); i += 2 {
		v := rng.Uint64()
		noise[i] = float64(int32(v))
		noise[i+1] = float64(int32(v >> 32))
	}
	// Smooth along the rows into tmp (w, h, 2), then along the columns of
	// the original, which are the rows of tmp, back into field (h, w, 2).
	smooth(a.tmp, noise, a.pad, a.kx, a.h, a.w)
	smooth(a.field, a.tmp, a.pad, a.ky, a.w, a.h)
}

// smooth convolves each row of src (rows, n, 2) circularly with the
// symmetric kernel of half k (see gaussian), and writes the result
// transposed to dst (n, rows, 2). pad is scratch for at least n+2·len(k)
// pairs. The transposition lets both passes of the separable Gaussian read
// consecutive memory.
func smooth(dst, src, pad, k []float64, rows, n int) {
	c := len(k) - 1
	// pad holds a row wrapped around, pad[i] = row[(i-c) mod n], so that
	// output i reads pad[i … i+2c]. c <= n/2, so one copy of the row on
	// either side is enough.
	pad = pad[:2*(n+2*c)]
	for r := range rows {
		copy(pad[2*c:], src[2*r*n:2*(r+1)*n])
		copy(pad[:2*c], pad[2*n:])
		copy(pad[2*(c+n):], pad[2*c:])

		// Three outputs at a time: six independent sums, each adding
		// pairs of samples at the same distance from the centre.
		i := 0
		for ; i+2 < n; i += 3 {
			p := pad[2*i : 2*(i+2*c)+6]
			mid := p[2*c : 2*c+6]
			k0 := k[0]
			s0x, s0y, s1x, s1y, s2x, s2y := k0*mid[0], k0*mid[1], k0*mid[2], k0*mid[3], k0*mid[4], k0*mid[5]
			for d := 1; d <= c; d++ {
				kd := k[d]
				lo := p[2*(c-d) : 2*(c-d)+6]
				hi := p[2*(c+d) : 2*(c+d)+6]
				s0x += kd * (lo[0] + hi[0])
				s0y += kd * (lo[1] + hi[1])
				s1x += kd * (lo[2] + hi[2])
				s1y += kd * (lo[3] + hi[3])
				s2x += kd * (lo[4] + hi[4])
				s2y += kd * (lo[5] + hi[5])
			}
			o := 2 * (i*rows + r)
			dst[o], dst[o+1] = s0x, s0y
			o += 2 * rows
			dst[o], dst[o+1] = s1x, s1y
			o += 2 * rows
			dst[o], dst[o+1] = s2x, s2y
		}
		for ; i < n; i++ {
			p := pad[2*i : 2*(i+2*c)+2]
			sx, sy := k[0]*p[2*c], k[0]*p[2*c+1]
			for d := 1; d <= c; d++ {
				sx += k[d] * (p[2*(c-d)] + p[2*(c+d)])
				sy += k[d] * (p[2*(c-d)+1] + p[2*(c+d)+1])
			}
			o := 2 * (i*rows + r)
			dst[o], dst[o+1] = sx, sy
		}
	}
}
