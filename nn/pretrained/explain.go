package pretrained

import (
	"fmt"

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
