package pretrained

import (
	"fmt"
	"sort"

	"github.com/tegaki/tegaki/nn"
	"github.com/tegaki/tegaki/nn/digit"
)

// Classifying a digit is two steps, the same in every front end:
//
//  1. Preparation turns what the user gave into a *digit.Input:
//     digit.FromImage for a picture, digit.FromStrokes for a drawing,
//     imagefile.Input for an image file with a pixel limit. It keeps no
//     state and is safe for concurrent use.
//  2. A Predictor runs the network on the input. It owns the network and
//     its buffers, so each goroutine owns one (NewPredictor is cheap: a
//     copy of the model parsed once).
//
// Errors from either step are matched with errors.Is and errors.As, and
// digit.Code gives the code every front end reports.

// A Prediction is the network's answer for one digit. The app's result,
// the Worker's JSON and classify's output all show it.
type Prediction struct {
	Digit         int         `json:"digit"`         // the most probable digit
	Probabilities [10]float32 `json:"probabilities"` // of each digit, summing to 1
}

// NewPrediction returns the prediction for ten probabilities, in the order
// of the digits 0 to 9.
func NewPrediction(probs []float32) Prediction {
	var p Prediction
	copy(p.Probabilities[:], probs)
	p.Digit = nn.Argmax(p.Probabilities[:])
	return p
}

// Top returns the k most probable digits, most probable first.
func (p Prediction) Top(k int) []int {
	order := []int{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}
	sort.SliceStable(order, func(i, j int) bool { return p.Probabilities[order[i]] > p.Probabilities[order[j]] })
	return order[:min(max(k, 0), 10)]
}

// A Predictor classifies prepared inputs with one network. It is not safe
// for concurrent use; make one per goroutine.
type Predictor struct {
	net   *nn.Net
	x     *nn.Tensor
	batch *nn.Tensor // PredictAll's input, kept for the next batch of its size
}

// NewPredictor returns a Predictor with its own copy of the embedded model.
func NewPredictor() (*Predictor, error) {
	net, err := Net()
	if err != nil {
		return nil, err
	}
	return NewPredictorFor(net)
}

// NewPredictorFor returns a Predictor with net, which must take one 28×28
// grey image (as (1, 28, 28), or 784 features for a perceptron) and give
// 10 classes: any model tools/train writes. The Predictor owns net from
// then on.
func NewPredictorFor(net *nn.Net) (*Predictor, error) {
	s := net.Spec
	n := 1
	for _, d := range s.Input {
		n *= d
	}
	if n != digit.Size*digit.Size || s.Classes != 10 {
		return nil, fmt.Errorf("pretrained: network %q takes %v and gives %d classes, want a %d×%d grey image and 10 digits", s.Name, s.Input, s.Classes, digit.Size, digit.Size)
	}
	return &Predictor{net: net, x: nn.NewTensor(append([]int{1}, s.Input...)...)}, nil
}

// Predict classifies a prepared 28×28 input. It allocates nothing.
func (p *Predictor) Predict(in *digit.Input) Prediction {
	copy(p.x.Data, in[:])
	return NewPrediction(p.net.Predict(p.x).Data)
}

// PredictAll classifies several prepared inputs in one pass of the
// network, which costs less than one Predict each: a number's candidate
// digits are read this way. The result has one prediction per input, in
// order.
func (p *Predictor) PredictAll(ins []*digit.Input) []Prediction {
	if len(ins) == 0 {
		return nil
	}
	shape := append([]int{len(ins)}, p.net.Spec.Input...)
	if p.batch == nil || p.batch.Shape[0] != len(ins) {
		p.batch = nn.NewTensor(shape...)
	}
	for i, in := range ins {
		copy(p.batch.Data[i*len(in):], in[:])
	}
	probs := p.net.Predict(p.batch).Data
	out := make([]Prediction, len(ins))
	for i := range out {
		out[i] = NewPrediction(probs[i*10 : (i+1)*10])
	}
	return out
}
