package augment

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/tegaki/tegaki/nn/digit"
	"github.com/tegaki/tegaki/nn/internal/picture"
)

// Style configures a Restyler: how far a training digit may be made to look
// like another writer's, pen's or scanner's. Sizes are in MNIST pixels (the
// 28×28 field); the zero value of a field disables its change.
//
// The changes imitate what a network trained on MNIST alone misreads in
// other people's digits: strokes much bolder or thinner than MNIST's, the
// blur and resolution loss of scans and small photos, strokes that do not
// meet (an open 0, a broken 4), and the 1 with a flag and a base and the 7
// with a bar that many Europeans and Japanese write. The digit is then
// prepared again as every front end prepares a picture (digit.FromImage),
// so the network learns from what it will be given, not from the picture.
type Style struct {
	// P is the probability that a digit is restyled at all. A restyled
	// digit gets each of the changes below with probability one half (and
	// at least one of them).
	P float64
	// Stroke is the largest change of stroke width on each side: strokes
	// grow or shrink by up to this much.
	Stroke float64
	// Blur is the largest standard deviation of a Gaussian blur.
	Blur float64
	// LowRes is the smallest side, in pixels, onto which the 28×28 field
	// is averaged and from which it is enlarged again (smoothly); it must
	// be 0 or from 4 to 27.
	LowRes int
	// Gaps is the largest number of gaps rubbed out of the strokes.
	Gaps int
	// Serifs is the probability that a 1 gets a flag, that it gets a base,
	// and that a 7 gets a bar across its stem, each drawn independently of
	// P and of each other.
	Serifs float64
}

// DefaultStyle returns the style tegaki trains with: half the digits
// restyled, strokes up to 1 pixel bolder or thinner, blur up to σ = 1.2,
// resolution down to 10×10, up to two gaps; a third of the 1s flagged, a
// third given a base, a third of the 7s barred.
func DefaultStyle() Style {
	return Style{P: 0.5, Stroke: 1, Blur: 1.2, LowRes: 10, Gaps: 2, Serifs: 1.0 / 3}
}

// scale is how much larger than MNIST's field a Restyler draws: enough for
// fractional stroke changes and clean serifs, small enough to be cheap.
const scale = 2

// A Restyler makes digits look like other writers'. It holds no state
// between calls and may be used by several goroutines at once.
type Restyler struct {
	style Style
}

// NewRestyler returns a Restyler for s. It panics if a field of s is
// negative or not finite, if P or Serifs is more than 1, or if LowRes is not
// 0 and outside 4 to 27.
func NewRestyler(s Style) *Restyler {
	for _, f := range []struct {
		name string
		v    float64
	}{{"P", s.P}, {"Stroke", s.Stroke}, {"Blur", s.Blur}, {"Serifs", s.Serifs}} {
		if !(f.v >= 0) || math.IsInf(f.v, 1) {
			panic(fmt.Sprintf("augment: NewRestyler: bad %s %v, want a finite value >= 0", f.name, f.v))
		}
	}
	switch {
	case s.P > 1 || s.Serifs > 1:
		panic(fmt.Sprintf("augment: NewRestyler: P %v and Serifs %v must be probabilities", s.P, s.Serifs))
	case s.LowRes != 0 && (s.LowRes < 4 || s.LowRes >= digit.Size):
		panic(fmt.Sprintf("augment: NewRestyler: bad LowRes %d, want 0 or 4 to %d", s.LowRes, digit.Size-1))
	case s.Gaps < 0:
		panic(fmt.Sprintf("augment: NewRestyler: bad Gaps %d", s.Gaps))
	}
	return &Restyler{style: s}
}

// Apply writes to dst a restyled copy of the 28×28 digit src of class
// label, drawing all randomness from rng, or src itself when the draw
// leaves it alone or the restyled picture holds no digit any more (every
// stroke rubbed out). It panics if dst or src does not hold 28×28 values.
func (r *Restyler) Apply(dst, src []float32, label int, rng *rand.Rand) {
	const n = digit.Size * digit.Size
	if len(dst) != n || len(src) != n {
		panic(fmt.Sprintf("augment: Restyler.Apply: len(dst) = %d, len(src) = %d, want %d", len(dst), len(src), n))
	}
	s := r.style
	// Every draw is made whether or not it is used, so that each keeps
	// its place in the random stream.
	restyle := rng.Float64() < s.P
	var use [4]bool
	for i := range use {
		use[i] = rng.Float64() < 0.5
	}
	if use == [4]bool{} {
		use[rng.IntN(len(use))] = true
	}
	flag, base, bar := rng.Float64() < s.Serifs, rng.Float64() < s.Serifs, rng.Float64() < s.Serifs
	serif := (label == 1 && (flag || base)) || (label == 7 && bar)
	if !restyle && !serif {
		copy(dst, src)
		return
	}

	g := picture.FromFloats(append([]float32(nil), src...), digit.Size, digit.Size).Resize(scale*digit.Size, scale*digit.Size)
	switch {
	case label == 1 && (flag || base):
		serifOne(g, flag, base, rng)
	case label == 7 && bar:
		barSeven(g, rng)
	}
	if restyle {
		if use[0] && s.Gaps > 0 {
			rubOut(g, 1+rng.IntN(s.Gaps), rng)
		}
		if use[1] && s.Stroke > 0 {
			if d := scale * s.Stroke * uniform(rng); d > 0 {
				g = g.Dilate(d)
			} else {
				g = g.Erode(-d)
			}
		}
		if use[2] && s.Blur > 0 {
			g = g.Blur(scale * (0.3 + (s.Blur-0.3)*rng.Float64()))
		}
		if use[3] && s.LowRes > 0 {
			side := s.LowRes + rng.IntN(digit.Size-s.LowRes)
			g = g.Resize(side, side).Resize(g.W, g.H)
		}
	}
	in, err := digit.FromImage(g.Image())
	if err != nil {
		copy(dst, src)
		return
	}
	copy(dst, in[:])
}

// penWidth estimates the stroke width of g's digit from its ink and the
// height of its box, which suits the tall, thin digits that get serifs.
func penWidth(g *picture.Gray, box heightBox) float64 {
	return math.Max(scale, math.Min(3*scale, g.Ink()/float64(box.h)))
}

// heightBox is where a digit's ink starts and ends.
type heightBox struct {
	top, bottom, h int
	topX, botX     float64 // mean x of the ink in the top and bottom rows
}

func inkBox(g *picture.Gray) (heightBox, bool) {
	r, ok := g.Bounds(0.5)
	if !ok {
		return heightBox{}, false
	}
	b := heightBox{top: r.Min.Y, bottom: r.Max.Y - 1, h: r.Dy()}
	b.topX, b.botX = rowCentre(g, b.top), rowCentre(g, b.bottom)
	return b, true
}

// rowCentre returns the mean x of the ink on row y.
func rowCentre(g *picture.Gray, y int) float64 {
	var sum, w float64
	for x := range g.W {
		if v := float64(g.Pix[y*g.W+x]); v >= 0.5 {
			sum += v * (float64(x) + 0.5)
			w += v
		}
	}
	return sum / w
}

// serifOne draws the flag (a short stroke down to the left from the top)
// and the base (a horizontal stroke across the foot) of a 1.
func serifOne(g *picture.Gray, flag, base bool, rng *rand.Rand) {
	b, ok := inkBox(g)
	if !ok {
		return
	}
	pen := penWidth(g, b)
	h := float64(b.h)
	if flag {
		top := picture.Point{X: b.topX, Y: float64(b.top) + pen/2}
		l := h * (0.2 + 0.2*rng.Float64())
		angle := (25 + 35*rng.Float64()) * math.Pi / 180 // below the horizontal
		g.Line(top, picture.Point{X: top.X - l*math.Cos(angle), Y: top.Y + l*math.Sin(angle)}, pen)
	}
	if base {
		foot := picture.Point{X: b.botX, Y: float64(b.bottom) + 0.5 - pen/2}
		half := h * (0.15 + 0.15*rng.Float64())
		shift := half * 0.3 * uniform(rng)
		g.Line(picture.Point{X: foot.X - half + shift, Y: foot.Y}, picture.Point{X: foot.X + half + shift, Y: foot.Y}, pen)
	}
}

// barSeven draws a short bar across the stem of a 7, a little below the
// middle of its height.
func barSeven(g *picture.Gray, rng *rand.Rand) {
	b, ok := inkBox(g)
	if !ok {
		return
	}
	y := b.top + int(float64(b.h)*(0.5+0.1*uniform(rng)))
	var sum, n float64
	for x := range g.W {
		if g.Pix[y*g.W+x] >= 0.5 {
			sum += float64(x) + 0.5
			n++
		}
	}
	if n == 0 {
		return
	}
	pen := math.Max(scale, math.Min(3*scale, n))
	half := float64(b.h) * (0.12 + 0.1*rng.Float64())
	at := picture.Point{X: sum / n, Y: float64(y) + 0.5}
	tilt := half * 0.15 * uniform(rng)
	g.Line(picture.Point{X: at.X - half, Y: at.Y + tilt}, picture.Point{X: at.X + half, Y: at.Y - tilt}, pen)
}

// rubOut erases k short pieces of stroke, each centred on an inked pixel.
func rubOut(g *picture.Gray, k int, rng *rand.Rand) {
	var inked []int
	for i, v := range g.Pix {
		if v >= 0.5 {
			inked = append(inked, i)
		}
	}
	if len(inked) == 0 {
		return
	}
	for range k {
		i := inked[rng.IntN(len(inked))]
		c := picture.Point{X: float64(i%g.W) + 0.5, Y: float64(i/g.W) + 0.5}
		l := scale * (0.5 + rng.Float64())
		angle := math.Pi * rng.Float64()
		d := picture.Point{X: l * math.Cos(angle), Y: l * math.Sin(angle)}
		g.Erase(picture.Point{X: c.X - d.X, Y: c.Y - d.Y}, picture.Point{X: c.X + d.X, Y: c.Y + d.Y}, scale*(1.5+rng.Float64()))
	}
}
