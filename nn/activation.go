package nn

import "math"

// ReLU is the rectified linear unit, out = max(0, x).
type ReLU struct {
	out, dx *Tensor
}

// Forward returns max(0, x) element-wise.
func (l *ReLU) Forward(x *Tensor, mode Mode) *Tensor {
	l.out = ensure(l.out, x.Shape...)
	y := l.out.Data
	for i, v := range x.Data {
		y[i] = relu(v)
	}
	return l.out
}

// relu returns max(v, 0). Under WebAssembly the builtin max of two floats is
// a call into the runtime, several times slower than the rest of the loop,
// so there it is reluBits.
func relu(v float32) float32 {
	if onWasm {
		return reluBits(v)
	}
	return max(v, 0)
}

// reluBits returns max(v, 0) without a branch or a call, by zeroing the bits
// of a negative number. It gives the builtin's results: -0 becomes +0 and a
// NaN stays a NaN.
func reluBits(v float32) float32 {
	b := math.Float32bits(v)
	neg := uint32(int32(b) >> 31)                         // all ones if the sign bit is set
	nan := uint32(int32(0x7f800000-(b&0x7fffffff)) >> 31) // all ones for a NaN
	return math.Float32frombits(b &^ (neg &^ nan))
}

// Backward passes dout where the input was positive and zero elsewhere.
func (l *ReLU) Backward(dout *Tensor) *Tensor {
	l.dx = ensure(l.dx, dout.Shape...)
	dx, y := l.dx.Data, l.out.Data
	for i, d := range dout.Data {
		if y[i] > 0 {
			dx[i] = d
		} else {
			dx[i] = 0
		}
	}
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
