package nn

import "fmt"

// Explaining a prediction: which inputs pushed a network toward a class
// and which against it. The gradient of a class's score with respect to
// the input says how much each input value moves that score; backpropagation
// gives it for the price of one backward pass, the same pass as the book's
// gradient (ch05) but started from the score instead of the loss, and with
// the parameters held fixed.
//
// The score is the class's output before softmax. Softmax's derivative is
// p·(1-p) times the score's, less the other classes' share: for a confident
// answer (p = 0.999) it all but vanishes and what remains mixes in every
// other class, whereas the score's gradient stays the evidence for that one
// class however sure the network is.

// Explain returns the class probabilities of the batch x, as Predict does,
// and keeps what InputGradient needs: the layers run in Explanation mode,
// which computes as Inference. The result is reused by the next call.
func (n *Net) Explain(x *Tensor) *Tensor { return n.predict(x, Explanation) }

// InputGradient returns, for each sample of the last Explain, the gradient
// of the score of class (its output before softmax) with respect to the
// sample's input, in the shape of the input. It leaves the parameters'
// gradients untouched. The result is owned by the network and valid until
// its next Forward or InputGradient. InputGradient panics unless the last
// Forward was in Explanation mode (Explain runs one) or if class is out of
// range.
func (n *Net) InputGradient(class int) *Tensor {
	if n.mode != Explanation {
		panic("nn: InputGradient without Explain")
	}
	shape := n.scores.Shape
	k := shape[1]
	if class < 0 || class >= k {
		panic(fmt.Sprintf("nn: InputGradient: class %d outside [0, %d)", class, k))
	}
	n.seed = ensure(n.seed, shape...)
	clear(n.seed.Data)
	for i := range shape[0] {
		n.seed.Data[i*k+class] = 1
	}
	return n.backward(n.seed)
}
