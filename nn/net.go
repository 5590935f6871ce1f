package nn

import "fmt"

// A Net is an ordered stack of layers ending in a loss layer, as the book's
// networks are (ch05/two_layer_net.py): Forward runs the layers in order,
// Gradient runs the loss forward and then Backward over the reversed layers.
type Net struct {
	Spec        Spec // the architecture the net was built from
	Layers      []Layer
	LossLayer   LossLayer
	WeightDecay float64 // λ: adds 0.5·λ·ΣW² to the loss and λ·W to the gradients of weights

	params []*Param
	probs  *Tensor
	batch  Tensor  // a view of part of an input, for Accuracy
	mode   Mode    // of the last Forward
	scores *Tensor // the output of the last Forward
	seed   *Tensor // dscore/dscores for InputGradient
}

// Forward runs x through every layer and returns the scores (before
// softmax). The result is reused by the next call.
func (n *Net) Forward(x *Tensor, mode Mode) *Tensor {
	n.mode = mode
	for _, l := range n.Layers {
		x = l.Forward(x, mode)
	}
	n.scores = x
	return x
}

// Predict returns the class probabilities for the batch x, one row per
// sample, in Inference mode. Once warmed up with a batch of the same size it
// allocates nothing; the result is reused by the next call.
func (n *Net) Predict(x *Tensor) *Tensor { return n.predict(x, Inference) }

func (n *Net) predict(x *Tensor, mode Mode) *Tensor {
	scores := n.Forward(x, mode)
	n.probs = ensure(n.probs, scores.Shape...)
	softmax(n.probs.Data, scores.Data, scores.Shape[1])
	return n.probs
}

// Loss returns the loss of the batch in the given mode, including weight
// decay.
func (n *Net) Loss(x *Tensor, labels []int, mode Mode) float64 {
	loss := n.LossLayer.Forward(n.Forward(x, mode), labels)
	if n.WeightDecay != 0 {
		var sq float64
		for _, p := range n.Params() {
			if p.Decay {
				for _, w := range p.Value.Data {
					sq += float64(w) * float64(w)
				}
			}
		}
		loss += 0.5 * n.WeightDecay * sq
	}
	return loss
}

// Gradient computes the gradient of the loss over the batch with respect to
// every parameter by backpropagation, stores it in the parameters' Grad
// fields, and returns the loss.
func (n *Net) Gradient(x *Tensor, labels []int) float64 {
	loss := n.Loss(x, labels, Training)
	n.backward(n.LossLayer.Backward())
	if n.WeightDecay != 0 {
		lambda := float32(n.WeightDecay)
		for _, p := range n.Params() {
			if p.Decay {
				for i, w := range p.Value.Data {
					p.Grad.Data[i] += lambda * w
				}
			}
		}
	}
	return loss
}

// backward runs d, the gradient with respect to the scores of the last
// Forward, back through the reversed layers and returns the gradient with
// respect to that Forward's input.
func (n *Net) backward(d *Tensor) *Tensor {
	for i := len(n.Layers) - 1; i >= 0; i-- {
		d = n.Layers[i].Backward(d)
	}
	return d
}

// Params returns every parameter of every layer, in layer order: the
// trainable ones and saved state such as BatchNorm's running averages.
func (n *Net) Params() []*Param {
	if n.params == nil {
		for _, l := range n.Layers {
			if p, ok := l.(Parameterized); ok {
				n.params = append(n.params, p.Params()...)
			}
		}
	}
	return n.params
}

// NumParams returns the number of trainable values.
func (n *Net) NumParams() int {
	total := 0
	for _, p := range n.Params() {
		if p.Grad != nil {
			total += len(p.Value.Data)
		}
	}
	return total
}

// Classify returns, for each sample of x, the most probable class.
func (n *Net) Classify(dst []int, x *Tensor) []int {
	probs := n.Predict(x)
	k := probs.Shape[1]
	for i := range probs.Shape[0] {
		dst = append(dst, Argmax(probs.Data[i*k:(i+1)*k]))
	}
	return dst
}

// Accuracy returns the fraction of samples of x classified as their label,
// predicting batch samples at a time. It panics if the lengths disagree.
func (n *Net) Accuracy(x *Tensor, labels []int, batch int) float64 {
	total := x.Shape[0]
	if total != len(labels) {
		panic(fmt.Sprintf("nn: Accuracy: %d samples, %d labels", total, len(labels)))
	}
	if total == 0 {
		return 0
	}
	per := len(x.Data) / total
	shape := append([]int(nil), x.Shape...)
	correct := 0
	var pred []int
	for lo := 0; lo < total; lo += batch {
		hi := min(lo+batch, total)
		shape[0] = hi - lo
		xb := view(&n.batch, x.Data[lo*per:hi*per], shape...)
		pred = n.Classify(pred[:0], xb)
		for i, p := range pred {
			if p == labels[lo+i] {
				correct++
			}
		}
	}
	return float64(correct) / float64(total)
}

// Argmax returns the index of the largest value of s (the first on ties):
// the class a network predicts from its probabilities. It is the one
// argmax of tegaki; every front end reads its answer through it.
func Argmax(s []float32) int {
	best := 0
	for i, v := range s {
		if v > s[best] {
			best = i
		}
	}
	return best
}
