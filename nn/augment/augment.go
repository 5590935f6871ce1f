// Package augment makes randomly distorted copies of digit images, so that
// a network trained on them sees a new variant of every digit in every
// epoch. It follows Simard, Steinkraus and Platt, "Best practices for
// convolutional neural networks applied to visual document analysis"
// (ICDAR 2003): small affine distortions plus an elastic distortion.
//
// # Images
//
// An image is a float32 slice of h×w values, row-major, background 0 and
// ink 1 (MNIST is 28×28). Pixel (x, y) is at index y*w+x and its centre is
// at the point (x, y); x grows to the right and y grows downwards.
//
// # The transform
//
// Apply draws one random transform per call and samples the source image
// through it in a single pass:
//
//  1. An affine map about the image centre ((w-1)/2, (h-1)/2): scale,
//     then shear, then rotation, then shift. Apply uses its inverse, so for
//     every output pixel it knows which point of the source to read.
//  2. An elastic displacement added to that point (Simard et al., section
//     2): every pixel gets a random displacement, uniform in [-1, 1] on each
//     axis, the two displacement fields are smoothed by a Gaussian of
//     standard deviation σ (ElasticSigma) and multiplied by α
//     (ElasticAlpha). The smoothing is circular (the field wraps around at
//     the image border), so the distortion is equally strong everywhere.
//  3. Bilinear interpolation of the source at the resulting point, with
//     zero outside the image.
//
// Each output value is a convex combination of source values and zeros, so
// an image in [0, 1] stays in [0, 1], and with the zero Options the output
// equals the input exactly.
//
// # How strong is the elastic distortion?
//
// The smoothing averages the noise away: each displacement has a standard
// deviation of about 0.163·α/σ pixels on each axis (1/√3 for the uniform
// noise times 1/(2√π·σ) for the Gaussian). Simard's α = 34, σ = 4 thus
// moves pixels by about 1.4 pixels (rms), and Default's α = 12, σ = 4 by
// about 0.5 pixels.
//
// # Reproducibility and concurrency
//
// Apply takes all its randomness from the *rand.Rand it is given, so a
// fixed seed reproduces the same images on every platform that does not
// fuse multiplications and additions (amd64 and wasm agree). An Augmenter
// keeps scratch buffers and allocates nothing per call; it must not be used
// by two goroutines at once, so give each worker its own.
package augment

import (
	"fmt"
	"math"
	"math/rand/v2"
)

// Options configures the random transforms. Each value is drawn uniformly
// from the range a field gives, independently for each image. The zero
// value of a field disables its transform, and the zero Options make Apply
// a copy.
type Options struct {
	// MaxShift is the largest shift in pixels, drawn from
	// [-MaxShift, MaxShift] separately for x and y.
	MaxShift float64
	// MaxRotate is the largest rotation in degrees, drawn from
	// [-MaxRotate, MaxRotate]; positive angles turn the digit
	// counter-clockwise as displayed.
	MaxRotate float64
	// MaxScale is the largest relative change of size: the scale factor is
	// drawn from [1-MaxScale, 1+MaxScale]. It must be less than 1.
	MaxScale float64
	// MaxShear is the largest horizontal shear (the tangent of the slant
	// angle), drawn from [-MaxShear, MaxShear]; positive values lean the
	// digit to the right, like italics.
	MaxShear float64
	// ElasticAlpha is the strength α of the elastic distortion in pixels
	// (Simard et al. use 34); 0 disables it.
	ElasticAlpha float64
	// ElasticSigma is the standard deviation σ in pixels of the Gaussian
	// that smooths the elastic displacement field (Simard et al. use 4).
	// It must be positive when ElasticAlpha is, and at most 1000 (a wider
	// Gaussian averages the whole field to a tiny uniform shift anyway).
	ElasticSigma float64
}

// Default returns the options tegaki trains with: shifts up to 2 pixels,
// rotations up to 10°, scaling by up to ±10%, shear up to 0.1 (about 6°) and
// a mild elastic distortion, α = 12 and σ = 4 (about 0.5 pixels rms).
//
// The affine ranges follow what is left to vary after MNIST's own
// normalisation, which scales each digit to fit a 20×20 box and centres its
// centre of mass in the 28×28 image: a little in position and size, more in
// angle and slant. They are close to the ranges in common use for MNIST
// (rotation 10°, zoom 10%, shift of a tenth of the image); the shift is a
// little smaller because the test digits are centred too.
//
// The elastic distortion is a third of the one Simard et al. chose (α = 34,
// σ = 4, about 1.4 pixels rms), which squeezes and stretches strokes hard:
// on its own it changes the total ink of a digit by up to a factor of 2. At
// α = 12 that stays within ±27%, and with the affine part the ink of 99% of
// draws stays within ±35% and the centre of mass moves by at most about 4
// pixels: the strokes change shape, but each digit keeps its weight and
// place, which suits a network as small as tegaki's.
func Default() Options {
	return Options{
		MaxShift:     2,
		MaxRotate:    10,
		MaxScale:     0.1,
		MaxShear:     0.1,
		ElasticAlpha: 12,
		ElasticSigma: 4,
	}
}

// An Augmenter applies random transforms to images of one size. It keeps
// scratch buffers, so one Augmenter must not be used by two goroutines at
// once; make one per worker.
type Augmenter struct {
	h, w int
	opts Options

	// Elastic distortion, all nil when it is disabled. Shapes: noise and
	// field are (h, w, 2), the two displacements of each pixel side by
	// side, tmp is (w, h, 2), and pad holds one row or column of pairs
	// wrapped around.
	kx, ky []float64 // halves of the Gaussian kernels along a row and along a column
	noise  []float64 // uniform noise, scaled by 2³¹
	pad    []float64 // scratch for the circular convolution
	tmp    []float64 // noise smoothed along the rows, transposed
	field  []float64 // displacement in pixels
}

// New returns an Augmenter for h×w images. It panics if h or w is not
// positive, or if an option is negative or not finite, if MaxScale is 1 or
// more, if ElasticSigma is more than 1000, or if ElasticAlpha is positive
// and ElasticSigma is not.
func New(h, w int, opts Options) *Augmenter {
	if h < 1 || w < 1 {
		panic(fmt.Sprintf("augment: New: bad image size %d×%d", h, w))
	}
	for _, o := range []struct {
		name string
		v    float64
	}{
		{"MaxShift", opts.MaxShift},
		{"MaxRotate", opts.MaxRotate},
		{"MaxScale", opts.MaxScale},
		{"MaxShear", opts.MaxShear},
		{"ElasticAlpha", opts.ElasticAlpha},
		{"ElasticSigma", opts.ElasticSigma},
	} {
		if !(o.v >= 0) || math.IsInf(o.v, 1) {
			panic(fmt.Sprintf("augment: New: bad %s %v, want a finite value >= 0", o.name, o.v))
		}
	}
	if opts.MaxScale >= 1 {
		panic(fmt.Sprintf("augment: New: bad MaxScale %v, want less than 1", opts.MaxScale))
	}
	if opts.ElasticSigma > 1000 {
		panic(fmt.Sprintf("augment: New: bad ElasticSigma %v, want at most 1000", opts.ElasticSigma))
	}
	if opts.ElasticAlpha > 0 && opts.ElasticSigma == 0 {
		panic("augment: New: ElasticAlpha is set but ElasticSigma is 0")
	}
	a := &Augmenter{h: h, w: w, opts: opts}
	if opts.ElasticAlpha > 0 {
		a.initElastic()
	}
	return a
}

// Apply writes to dst a randomly transformed copy of src, drawing all
// randomness from rng, so that a fixed seed reproduces the same output.
// It panics if dst or src does not hold h×w values or if they are the same
// slice; they must not overlap at all.
func (a *Augmenter) Apply(dst, src []float32, rng *rand.Rand) {
	n := a.h * a.w
	if len(dst) != n || len(src) != n {
		panic(fmt.Sprintf("augment: Apply: len(dst) = %d, len(src) = %d, want %d (%d×%d)", len(dst), len(src), n, a.h, a.w))
	}
	if &dst[0] == &src[0] {
		panic("augment: Apply: dst and src are the same slice")
	}
	if a.opts == (Options{}) {
		copy(dst, src)
		return
	}
	// Draw the five parameters whether or not their transform is enabled,
	// so that each keeps its place in the random stream.
	o := a.opts
	p := params{
		scale:  1 + o.MaxScale*uniform(rng),
		shear:  o.MaxShear * uniform(rng),
		rotate: o.MaxRotate * uniform(rng),
		dx:     o.MaxShift * uniform(rng),
		dy:     o.MaxShift * uniform(rng),
	}
	var field []float64
	if a.field != nil {
		a.elastic(rng)
		field = a.field
	}
	applyTransform(dst, src, a.h, a.w, p.inverse(a.h, a.w), field)
}

// uniform returns a number drawn uniformly from [-1, 1).
func uniform(rng *rand.Rand) float64 {
	return 2*rng.Float64() - 1
}
