package nn

import (
	"math"

	"github.com/tegaki/tegaki/nn/internal/kernel"
)

// ReLU is the rectified linear unit, out = max(0, x).
type ReLU struct {
	out, dx *Tensor
	rect    kernel.Rectifier
}

// Forward returns max(0, x) element-wise.
func (l *ReLU) Forward(x *Tensor, mode Mode) *Tensor {
	l.out = ensure(l.out, x.Shape...)
	l.rect.Forward(l.out.Data, x.Data)
	return l.out
}

// Backward passes dout where the input was positive and zero elsewhere.
func (l *ReLU) Backward(dout *Tensor) *Tensor {
	l.dx = ensure(l.dx, dout.Shape...)
	l.rect.Backward(l.dx.Data, dout.Data, l.out.Data)
	return l.dx
}

// Sigmoid is the logistic function, out = 1 / (1 + exp(-x)).
type Sigmoid struct {
	out, dx *Tensor
}

// Forward returns the logistic function of x element-wise.
func (l *Sigmoid) Forward(x *Tensor, mode Mode) *Tensor {
	l.out = ensure(l.out, x.Shape...)
	y := l.out.Data
	for i, v := range x.Data {
		y[i] = float32(1 / (1 + math.Exp(-float64(v))))
	}
	return l.out
}

// Backward returns dout·out·(1-out).
func (l *Sigmoid) Backward(dout *Tensor) *Tensor {
	l.dx = ensure(l.dx, dout.Shape...)
	dx, y := l.dx.Data, l.out.Data
	for i, d := range dout.Data {
		dx[i] = d * y[i] * (1 - y[i])
	}
	return l.dx
}

// Flatten reshapes (n, c, h, w) to (n, c·h·w) without copying.
type Flatten struct {
	shape   []int
	out, dx Tensor
}

// Forward returns x viewed as a matrix with one row per sample.
func (l *Flatten) Forward(x *Tensor, mode Mode) *Tensor {
	l.shape = append(l.shape[:0], x.Shape...)
	n := x.Shape[0]
	return view(&l.out, x.Data, n, len(x.Data)/max(n, 1))
}

// Backward returns dout viewed in the input's shape.
func (l *Flatten) Backward(dout *Tensor) *Tensor {
	return view(&l.dx, dout.Data, l.shape...)
}
