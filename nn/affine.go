package nn

import (
	"fmt"

	"github.com/tegaki/tegaki/nn/internal/kernel"
)

// Affine is a fully connected layer: out = x·W + b (the book's Affine).
//
// Shapes: x is (n, in) or any (n, ...) whose trailing dimensions multiply to
// in; W is (in, out); b is (out); the output is (n, out). Backward returns
// dx in x's original shape.
type Affine struct {
	W, B *Param

	x             *Tensor // the input of the last Forward
	mode          Mode    // of the last Forward
	out, dx       *Tensor
	skipInputGrad bool // set on a network's first layer, whose dx feeds nothing
}

// NewAffine returns an affine layer with zero weights named name.W and
// name.b; initialise W with He or Xavier before training.
func NewAffine(name string, in, out int) *Affine {
	return &Affine{
		W: newParam(name+".W", true, in, out),
		B: newParam(name+".b", false, out),
	}
}

// Params returns W and b.
func (l *Affine) Params() []*Param { return []*Param{l.W, l.B} }

// Forward computes x·W + b. It panics if x does not have in features.
func (l *Affine) Forward(x *Tensor, mode Mode) *Tensor {
	in, out := l.W.Value.Shape[0], l.W.Value.Shape[1]
	n := x.Shape[0]
	if n*in != len(x.Data) {
		panic(fmt.Sprintf("nn: Affine: input %v does not have %d features", x.Shape, in))
	}
	l.x, l.mode = x, mode
	l.out = ensure(l.out, n, out)
	y := l.out.Data
	for i := range n {
		copy(y[i*out:(i+1)*out], l.B.Value.Data)
	}
	kernel.Gemm(false, false, n, out, in, x.Data, in, l.W.Value.Data, out, y, out, true)
	return l.out
}

// Backward computes dW = xᵀ·dout, db = Σ dout and dx = dout·Wᵀ; after an
// Explanation Forward, dx only.
func (l *Affine) Backward(dout *Tensor) *Tensor {
	in, out := l.W.Value.Shape[0], l.W.Value.Shape[1]
	n := dout.Shape[0]
	explain := l.mode == Explanation
	if !explain {
		kernel.Gemm(true, false, in, out, n, l.x.Data, in, dout.Data, out, l.W.Grad.Data, out, false)
		db := l.B.Grad.Data
		clear(db)
		for i := range n {
			for j, v := range dout.Data[i*out : (i+1)*out] {
				db[j] += v
			}
		}
	}
	l.dx = ensure(l.dx, l.x.Shape...)
	if l.skipInputGrad && !explain {
		return l.dx
	}
	kernel.Gemm(false, true, n, in, out, dout.Data, out, l.W.Value.Data, out, l.dx.Data, in, false)
	return l.dx
}
