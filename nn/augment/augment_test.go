package augment

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"
)

// grid turns rows of characters into an image: '.' is 0, '-' is 0.25, '+'
// is 0.5 and '#' is 1. It lets the tests draw their images.
func grid(rows ...string) (img []float32, h, w int) {
	h, w = len(rows), len(rows[0])
	for _, r := range rows {
		for _, c := range r {
			img = append(img, map[rune]float32{'.': 0, '-': 0.25, '+': 0.5, '#': 1}[c])
		}
	}
	return img, h, w
}

// show draws an image as rows of characters, the inverse of grid for its
// four values and '?' for any other.
func show(img []float32, h, w int) string {
	var b strings.Builder
	for y := range h {
		b.WriteByte('\n')
		for _, v := range img[y*w : (y+1)*w] {
			switch {
			case math.Abs(float64(v)) < 1e-6:
				b.WriteByte('.')
			case math.Abs(float64(v)-0.25) < 1e-6:
				b.WriteByte('-')
			case math.Abs(float64(v)-0.5) < 1e-6:
				b.WriteByte('+')
			case math.Abs(float64(v)-1) < 1e-6:
				b.WriteByte('#')
			default:
				b.WriteByte('?')
			}
		}
	}
	return b.String()
}

// randomImage returns an h×w image of uniform values in [0, 1).
func randomImage(h, w int, seed uint64) []float32 {
	rng := rand.New(rand.NewPCG(seed, 0))
	img := make([]float32, h*w)
	for i := range img {
		img[i] = rng.Float32()
	}
	return img
}

// drawDigit draws a 28×28 digit as thick anti-aliased strokes through the
// points of each polyline: full ink within 1 pixel of a stroke's centre
// line, fading to none at 2 pixels, so strokes are about 3 pixels wide,
// like MNIST's.
func drawDigit(lines ...[]float64) []float32 {
	img := make([]float32, 28*28)
	for _, l := range lines {
		for i := 0; i+3 < len(l); i += 2 {
			x0, y0, x1, y1 := l[i], l[i+1], l[i+2], l[i+3]
			for y := range 28 {
				for x := range 28 {
					px, py := float64(x)-x0, float64(y)-y0
					dx, dy := x1-x0, y1-y0
					t := max(0, min(1, (px*dx+py*dy)/(dx*dx+dy*dy)))
					d := math.Hypot(px-t*dx, py-t*dy)
					img[y*28+x] = max(img[y*28+x], float32(max(0, min(1, 2-d))))
				}
			}
		}
	}
	return img
}

var (
	one   = drawDigit([]float64{11, 7, 14, 4, 14, 23})
	seven = drawDigit([]float64{8, 5, 20, 5, 12, 23})
	four  = drawDigit([]float64{17, 23, 17, 4, 7, 17, 21, 17})
)

// inkStats returns the total ink of a 28×28 image and its centre of mass.
func inkStats(img []float32) (ink, cx, cy float64) {
	for i, v := range img {
		ink += float64(v)
		cx += float64(v) * float64(i%28)
		cy += float64(v) * float64(i/28)
	}
	return ink, cx / ink, cy / ink
}

func TestZeroOptionsIsIdentity(t *testing.T) {
	t.Parallel()
	for _, size := range [][2]int{{28, 28}, {5, 7}, {1, 1}} {
		h, w := size[0], size[1]
		src := randomImage(h, w, 1)
		dst := make([]float32, h*w)
		New(h, w, Options{}).Apply(dst, src, rand.New(rand.NewPCG(1, 2)))
		for i := range src {
			if dst[i] != src[i] {
				t.Errorf("%d×%d: Apply with zero Options: dst[%d] = %v, want %v", h, w, i, dst[i], src[i])
			}
		}
		// The general path, with the identity map and a zero elastic
		// field, must be exact too.
		applyTransform(dst, src, h, w, params{scale: 1}.inverse(h, w), make([]float64, 2*h*w))
		for i := range src {
			if dst[i] != src[i] {
				t.Errorf("%d×%d: identity transform: dst[%d] = %v, want %v", h, w, i, dst[i], src[i])
			}
		}
	}
}

func TestApplyTransform(t *testing.T) {
	t.Parallel()
	// An F has no symmetry, so every rotation, mirror or shift of it is
	// different from the others.
	f := []string{
		".###.",
		".#...",
		".##..",
		".#...",
		".#...",
	}
	dot := []string{
		".....",
		".....",
		"..#..",
		".....",
		".....",
	}
	for _, test := range []struct {
		name string
		p    params
		src  []string
		want []string
	}{
		{"identity", params{scale: 1}, f, f},
		{"right 1", params{scale: 1, dx: 1}, f, []string{
			"..###",
			"..#..",
			"..##.",
			"..#..",
			"..#..",
		}},
		{"left 1 up 2", params{scale: 1, dx: -1, dy: -2}, f, []string{
			"##...",
			"#....",
			"#....",
			".....",
			".....",
		}},
		{"out of the image", params{scale: 1, dx: 5}, f, []string{
			".....",
			".....",
			".....",
			".....",
			".....",
		}},
		{"rotate 90 counter-clockwise", params{scale: 1, rotate: 90}, f, []string{
			".....",
			"#....",
			"#.#..",
			"#####",
			".....",
		}},
		{"rotate 90 clockwise", params{scale: 1, rotate: -90}, f, []string{
			".....",
			"#####",
			"..#.#",
			"....#",
			".....",
		}},
		{"rotate 180", params{scale: 1, rotate: 180}, f, []string{
			"...#.",
			"...#.",
			"..##.",
			"...#.",
			".###.",
		}},
		{"rotate 90, then right 1", params{scale: 1, rotate: 90, dx: 1}, f, []string{
			".....",
			".#...",
			".#.#.",
			".####",
			".....",
		}},
		{"shear 1 leans right", params{scale: 1, shear: 1}, f, []string{
			"...##",
			"..#..",
			".##..",
			"#....",
			".....",
		}},
		// Halving the size samples every other source pixel around the
		// centre.
		{"scale 0.5", params{scale: 0.5}, f, []string{
			".....",
			"..#..",
			"..#..",
			".....",
			".....",
		}},
		// Doubling the size samples between pixels: bilinear weights of
		// 1/2 next to the dot and 1/4 on its diagonals.
		{"scale 2", params{scale: 2}, dot, []string{
			".....",
			".-+-.",
			".+#+.",
			".-+-.",
			".....",
		}},
	} {
		t.Run(test.name, func(t *testing.T) {
			src, h, w := grid(test.src...)
			dst := make([]float32, h*w)
			applyTransform(dst, src, h, w, test.p.inverse(h, w), nil)
			// show allows 1e-6 for the rounding of cos 90° and sin 180°.
			if got, want := show(dst, h, w), show(grid(test.want...)); got != want {
				t.Errorf("applyTransform(%+v) = %s\nwant %s", test.p, got, want)
			}
		})
	}
}

// TestApplyTransformElastic checks that the displacement field adds to the
// affine map: a constant field of (1, 2) reads the source 1 pixel right and
// 2 down, which moves the image 1 left and 2 up.
func TestApplyTransformElastic(t *testing.T) {
	t.Parallel()
	src, h, w := grid(
		".....",
		".....",
		"..#..",
		"...#.",
		".....",
	)
	field := make([]float64, 2*h*w)
	for i := 0; i < len(field); i += 2 {
		field[i], field[i+1] = 1, 2
	}
	dst := make([]float32, h*w)
	applyTransform(dst, src, h, w, params{scale: 1}.inverse(h, w), field)
	want := show(grid(
		".#...",
		"..#..",
		".....",
		".....",
		".....",
	))
	if got := show(dst, h, w); got != want {
		t.Errorf("applyTransform with field (1, 2) = %s\nwant %s", got, want)
	}
}

func TestApplyStaysInRange(t *testing.T) {
	t.Parallel()
	binary := randomImage(28, 28, 3)
	for i, v := range binary {
		binary[i] = float32(math.Round(float64(v)))
	}
	for _, test := range []struct {
		name string
		opts Options
	}{
		{"default", Default()},
		{"Simard", Options{ElasticAlpha: 34, ElasticSigma: 4}},
		{"wide Gaussian", Options{ElasticAlpha: 1000, ElasticSigma: 1000}},
		{"extreme", Options{MaxShift: 10, MaxRotate: 180, MaxScale: 0.9, MaxShear: 2, ElasticAlpha: 100, ElasticSigma: 2}},
	} {
		t.Run(test.name, func(t *testing.T) {
			a := New(28, 28, test.opts)
			rng := rand.New(rand.NewPCG(4, 5))
			dst := make([]float32, 28*28)
			for _, src := range [][]float32{randomImage(28, 28, 1), binary, seven} {
				for range 200 {
					a.Apply(dst, src, rng)
					for i, v := range dst {
						if !(v >= 0 && v <= 1) {
							t.Fatalf("Apply: dst[%d] = %v, want a value in [0, 1]", i, v)
						}
					}
				}
			}
		})
	}
}

func TestApplySeed(t *testing.T) {
	t.Parallel()
	a := New(28, 28, Default())
	apply := func(seed uint64) []float32 {
		dst := make([]float32, 28*28)
		a.Apply(dst, seven, rand.New(rand.NewPCG(seed, 0)))
		return dst
	}
	first := apply(1)
	other := apply(2)
	again := apply(1) // after other, so the scratch buffers hold its state
	fresh := make([]float32, 28*28)
	New(28, 28, Default()).Apply(fresh, seven, rand.New(rand.NewPCG(1, 0)))
	for i := range first {
		if again[i] != first[i] || fresh[i] != first[i] {
			t.Fatalf("Apply with seed 1: pixel %d is %v, then %v, and %v from a new Augmenter", i, first[i], again[i], fresh[i])
		}
	}
	differ := 0
	for i := range first {
		if other[i] != first[i] {
			differ++
		}
	}
	// A different transform changes most of the ink's pixels; the
	// background far from the digit stays 0 in both.
	if differ < 50 {
		t.Errorf("Apply with seeds 1 and 2: %d pixels differ, want at least 50", differ)
	}
}

// TestDefaultKeepsDigits checks that Default distorts digits without
// losing them. Over 1000 draws of each digit:
//
//   - the total ink is unbiased: its mean stays within 3% of the original;
//   - it changes by less than 35% in 99% of the draws and less than 50% in
//     all of them. Scaling by 1±0.1 alone changes it by up to ±21%, and
//     the elastic distortion squeezes or stretches the strokes locally,
//     so the rare draw that combines both goes past 35%;
//   - the centre of mass moves by at most MaxShift+2 pixels: up to
//     √2·MaxShift for the shift, and up to about 1 pixel for the nearly
//     uniform part of the elastic field and for rotating and scaling a
//     digit whose centre of mass is not exactly the image centre.
func TestDefaultKeepsDigits(t *testing.T) {
	t.Parallel()
	const draws = 1000
	opts := Default()
	a := New(28, 28, opts)
	rng := rand.New(rand.NewPCG(6, 7))
	dst := make([]float32, 28*28)
	for _, test := range []struct {
		name string
		img  []float32
	}{
		{"1", one},
		{"4", four},
		{"7", seven},
	} {
		ink0, cx0, cy0 := inkStats(test.img)
		var sum, lo, hi, move float64 = 0, 2, 0, 0
		within := 0
		for range draws {
			a.Apply(dst, test.img, rng)
			ink, cx, cy := inkStats(dst)
			r := ink / ink0
			sum += r
			lo, hi = min(lo, r), max(hi, r)
			if math.Abs(r-1) < 0.35 {
				within++
			}
			move = max(move, math.Hypot(cx-cx0, cy-cy0))
		}
		if mean := sum / draws; math.Abs(mean-1) > 0.03 {
			t.Errorf("digit %s: mean ink ratio %.3f, want 1±0.03", test.name, mean)
		}
		if within < draws*99/100 {
			t.Errorf("digit %s: ink ratio within 1±0.35 in %d of %d draws, want 99%%", test.name, within, draws)
		}
		if lo < 0.5 || hi > 1.5 {
			t.Errorf("digit %s: ink ratio in [%.3f, %.3f], want within [0.5, 1.5]", test.name, lo, hi)
		}
		if move > opts.MaxShift+2 {
			t.Errorf("digit %s: centre of mass moved by up to %.2f pixels, want at most %v", test.name, move, opts.MaxShift+2)
		}
		t.Logf("digit %s: ink ratio in [%.3f, %.3f], within 1±0.35 in %d of %d draws; centre of mass moved by up to %.2f pixels",
			test.name, lo, hi, within, draws, move)
	}
}

// TestElasticStrength checks the rule of thumb in the package
// documentation: each displacement has a mean of 0 and a standard
// deviation of 0.163·α/σ pixels. The estimate pools 400 fields; its
// tolerance of 10% is several times the spread of the estimate, which
// comes mostly from the low frequencies that a 28×28 field holds few of.
func TestElasticStrength(t *testing.T) {
	t.Parallel()
	for _, test := range []struct {
		alpha, sigma float64
	}{
		{34, 4},
		{12, 4},
		{8, 3},
		{3, 1},
	} {
		a := New(28, 28, Options{ElasticAlpha: test.alpha, ElasticSigma: test.sigma})
		rng := rand.New(rand.NewPCG(8, 9))
		var sum, sum2 float64
		n := 0
		for range 400 {
			a.elastic(rng)
			for _, d := range a.field {
				sum += d
				sum2 += d * d
				n++
			}
		}
		mean, rms := sum/float64(n), math.Sqrt(sum2/float64(n))
		want := test.alpha / test.sigma / (2 * math.Sqrt(3*math.Pi))
		if math.Abs(rms-want) > 0.1*want || math.Abs(mean) > 0.1*want {
			t.Errorf("α = %v, σ = %v: displacement mean %.3f and rms %.3f, want 0 and %.3f", test.alpha, test.sigma, mean, rms, want)
		}
	}
}

// TestElasticSmoothing checks the fast separable smoothing against a
// direct circular 2-D convolution of the same noise with the Gaussian cut
// at radius ⌈3σ⌉, including kernels folded because they are wider than the
// image.
func TestElasticSmoothing(t *testing.T) {
	t.Parallel()
	for _, test := range []struct {
		h, w  int
		sigma float64
	}{
		{28, 28, 4},
		{7, 5, 1},   // odd sizes, not square
		{6, 9, 2},   // kernel of 13 taps, folded on both axes
		{28, 28, 6}, // kernel of 37 taps, folded
		{3, 2, 0.3},
		{1, 1, 1},
	} {
		const alpha = 5
		h, w := test.h, test.w
		a := New(h, w, Options{ElasticAlpha: alpha, ElasticSigma: test.sigma})
		a.elastic(rand.New(rand.NewPCG(10, 11)))

		r := int(math.Ceil(3 * test.sigma))
		g := make([]float64, 2*r+1)
		var sum float64
		for i := range g {
			g[i] = math.Exp(-float64((i-r)*(i-r)) / (2 * test.sigma * test.sigma))
			sum += g[i]
		}
		for y := range h {
			for x := range w {
				for c := range 2 {
					var want float64
					for v := -r; v <= r; v++ {
						for u := -r; u <= r; u++ {
							want += g[u+r] * g[v+r] * a.noise[2*(mod(y+v, h)*w+mod(x+u, w))+c]
						}
					}
					want *= alpha * 0x1p-31 / (sum * sum)
					got := a.field[2*(y*w+x)+c]
					if math.Abs(got-want) > 1e-9*alpha {
						t.Errorf("%d×%d, σ = %v: field[%d][%d][%d] = %v, want %v", h, w, test.sigma, y, x, c, got, want)
					}
				}
			}
		}
	}
}

func TestApplyAllocs(t *testing.T) {
	a := New(28, 28, Default())
	rng := rand.New(rand.NewPCG(1, 2))
	dst := make([]float32, 28*28)
	if n := testing.AllocsPerRun(10, func() { a.Apply(dst, seven, rng) }); n != 0 {
		t.Errorf("Apply allocates %v times per call, want 0", n)
	}
}

// panics reports whether f panics.
func panics(f func()) (panicked bool) {
	defer func() {
		if recover() != nil {
			panicked = true
		}
	}()
	f()
	return false
}

func TestNewPanics(t *testing.T) {
	t.Parallel()
	for _, test := range []struct {
		h, w int
		opts Options
	}{
		{0, 28, Options{}},
		{28, -1, Options{}},
		{28, 28, Options{MaxShift: -1}},
		{28, 28, Options{MaxRotate: math.NaN()}},
		{28, 28, Options{MaxShear: math.Inf(1)}},
		{28, 28, Options{MaxScale: 1}},
		{28, 28, Options{ElasticAlpha: 34}},
		{28, 28, Options{ElasticAlpha: 34, ElasticSigma: -4}},
		{28, 28, Options{ElasticAlpha: 34, ElasticSigma: 1e300}},
	} {
		if !panics(func() { New(test.h, test.w, test.opts) }) {
			t.Errorf("New(%d, %d, %+v) did not panic", test.h, test.w, test.opts)
		}
	}
	if panics(func() { New(28, 28, Options{ElasticSigma: 4}) }) {
		t.Error("New with ElasticSigma and no ElasticAlpha panicked")
	}
}

func TestApplyPanics(t *testing.T) {
	t.Parallel()
	a := New(28, 28, Default())
	rng := rand.New(rand.NewPCG(1, 2))
	img := make([]float32, 28*28)
	for _, test := range []struct {
		name     string
		dst, src []float32
	}{
		{"short dst", make([]float32, 27*28), img},
		{"long src", make([]float32, 28*28), make([]float32, 29*28)},
		{"nil", nil, nil},
		{"same slice", img, img},
	} {
		if !panics(func() { a.Apply(test.dst, test.src, rng) }) {
			t.Errorf("Apply with %s did not panic", test.name)
		}
	}
}
