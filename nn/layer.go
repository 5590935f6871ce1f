package nn

import "math/rand/v2"

// Mode selects how layers behave: Dropout drops units and BatchNorm uses
// batch statistics only in Training mode (the book's train_flg).
type Mode int

const (
	// Inference is the mode for prediction: deterministic, no caching for
	// Backward beyond what Forward needs anyway.
	Inference Mode = iota
	// Training is the mode for learning: Dropout is active and BatchNorm
	// normalises with batch statistics and updates its running averages.
	Training
	// Explanation is Inference that keeps what Backward needs, so that a
	// prediction can be traced back to its input (Net.InputGradient):
	// layers compute as in Inference, and Backward after such a Forward
	// returns dL/dx only, leaving the parameters' gradients untouched.
	Explanation
)

// A Layer is one stage of a network. Forward maps a batch x to outputs and
// keeps what Backward needs; Backward takes dL/dout, returns dL/dx and
// stores the gradients of the layer's parameters in their Grad fields.
//
// The tensors a layer returns are owned by the layer and reused by its next
// call, so a warm network allocates nothing.
type Layer interface {
	Forward(x *Tensor, mode Mode) *Tensor
	Backward(dout *Tensor) *Tensor
}

// A Param is a named tensor of a layer. Trainable parameters have a Grad of
// the same shape; state that is saved but not learned by gradient descent,
// such as BatchNorm's running averages, has a nil Grad.
type Param struct {
	Name  string // key in the model file, for example "conv1.W"
	Value *Tensor
	Grad  *Tensor
	Decay bool // whether weight decay applies (weights, not biases)
}

// newParam returns a zeroed parameter with a gradient of the same shape.
func newParam(name string, decay bool, shape ...int) *Param {
	return &Param{Name: name, Value: NewTensor(shape...), Grad: NewTensor(shape...), Decay: decay}
}

// A Parameterized layer has parameters to train or save.
type Parameterized interface {
	Params() []*Param
}

// A Stochastic layer draws random numbers in Training mode, as Dropout
// draws its masks. Trainer gives every such layer its own generator, which
// it reseeds before each step, so that a run is reproducible and resumes
// exactly where it stopped.
type Stochastic interface {
	SetRand(rng *rand.Rand)
}
