package pretrained

import (
	"fmt"
	"image"
	"image/color"
	"math"

	"github.com/tegaki/tegaki/nn/digit"
)

// A Map says, for each pixel of a 28×28 input (row-major, as digit.Input),
// how much it pushed the network toward one digit (positive) or against it
// (negative), in units of that digit's score (the network's output before
// softmax).
//
// A pixel's value is its ink times the gradient of the score with respect
// to it: gradient × input (Shrikumar et al. 2016, arXiv:1605.01713). For a
// network of ReLUs and max-pools the score is piecewise linear in the
// input, and gradient × input shares the score's linear part out among the
// pixels in proportion to their ink; blank pixels get nothing, since
// nothing drawn there pushed anything. The gradient alone would also mark
// blank pixels, wherever ink would change the score, and answers "what
// would change the answer" rather than "why this answer". Integrated
// gradients (Sundararajan et al. 2017, arXiv:1703.01365) share out the
// score exactly but take 20 to 300 passes, and SmoothGrad tens; gradient ×
// input takes one backward pass, so the map follows the drawing as live as
// the answer does.
type Map [digit.Size * digit.Size]float32

// Top, given to Explain as the digit, explains the predicted digit.
const Top = -1

// Explain classifies in, as Predict does, and returns with the prediction
// the map of digit d, or of the predicted digit if d is Top. It costs
// Predict's forward pass and one backward pass that computes no parameter
// gradients. It allocates nothing, and panics unless d is Top or 0 to 9.
func (p *Predictor) Explain(in *digit.Input, d int) (Prediction, Map) {
	if d < Top || d > 9 {
		panic(fmt.Sprintf("pretrained: Explain: digit %d, want Top or 0 to 9", d))
	}
	copy(p.x.Data, in[:])
	pred := NewPrediction(p.net.Explain(p.x).Data)
	if d == Top {
		d = pred.Digit
	}
	var m Map
	for i, g := range p.net.InputGradient(d).Data {
		m[i] = in[i] * g
	}
	return pred, m
}

// The heat map's colours are the app's: its accent blue for the pixels
// that pushed toward the digit, its amber (the colour of an unsure answer)
// for those that pushed against it, fading to its paper white for none.
var (
	Toward  = color.RGBA{0x2e, 0x6b, 0xd8, 0xff}
	Against = color.RGBA{0xd8, 0x7b, 0x2e, 0xff}
	Neutral = color.RGBA{0xff, 0xff, 0xff, 0xff}
)

// Image draws m as a heat map, each pixel a scale×scale square: Neutral
// where a pixel weighs nothing, shading to Toward or Against at the largest
// weight of either sign, so that every map uses the whole range. The shade
// goes with the square root of the weight: a few pixels weigh much more
// than the rest, and linear shading would leave the rest all but white. It
// panics if scale is less than 1.
func (m *Map) Image(scale int) *image.RGBA {
	if scale < 1 {
		panic(fmt.Sprintf("pretrained: Map.Image: scale %d", scale))
	}
	var peak float32
	for _, v := range m {
		peak = max(peak, v, -v)
	}
	img := image.NewRGBA(image.Rect(0, 0, digit.Size*scale, digit.Size*scale))
	for i, v := range m {
		c := heat(v, peak)
		x0, y0 := i%digit.Size*scale, i/digit.Size*scale
		for y := y0; y < y0+scale; y++ {
			for x := x0; x < x0+scale; x++ {
				img.SetRGBA(x, y, c)
			}
		}
	}
	return img
}

// heat returns the heat map's colour for weight v of a map whose largest
// weight in magnitude is peak.
func heat(v, peak float32) color.RGBA {
	if peak == 0 || v == 0 {
		return Neutral
	}
	to, t := Toward, float32(math.Sqrt(float64(v/peak)))
	if v < 0 {
		to, t = Against, float32(math.Sqrt(float64(-v/peak)))
	}
	mix := func(a, b uint8) uint8 { return uint8(float32(a) + t*(float32(b)-float32(a)) + 0.5) }
	return color.RGBA{mix(Neutral.R, to.R), mix(Neutral.G, to.G), mix(Neutral.B, to.B), 0xff}
}
