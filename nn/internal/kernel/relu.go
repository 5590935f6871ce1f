package kernel

import (
	"math"
	"runtime"
)

// A Rectifier runs the rectified linear unit over whole tensors, split
// across the processors when they are large. A layer keeps one, so that a
// warm layer allocates nothing.
type Rectifier struct {
	x, y, dy, dx []float32
}

// Forward sets y[i] = max(x[i], 0) for every element of x.
func (r *Rectifier) Forward(y, x []float32) {
	r.x, r.y = x, y[:len(x)]
	ParallelFor(len(x), 1, r, (*Rectifier).forward)
}

// Backward sets dx[i] = dy[i] where y[i], the output of Forward, is
// positive, and 0 elsewhere.
func (r *Rectifier) Backward(dx, dy, y []float32) {
	r.dx, r.dy, r.y = dx[:len(dy)], dy, y[:len(dy)]
	ParallelFor(len(dy), 1, r, (*Rectifier).backward)
}

func (r *Rectifier) forward(lo, hi int) {
	x, y := r.x[lo:hi], r.y[lo:hi]
	if v := active.vector; v != nil && len(x) >= 8 {
		n := len(x) &^ 7
		v.relu(n, y, x)
		x, y = x[n:], y[n:]
	}
	if runtime.GOARCH == "wasm" {
		// The wasm port calls into the runtime for the builtin max of two
		// floats, several times slower than the rest of the loop.
		for i, v := range x {
			y[i] = reluBits(v)
		}
		return
	}
	for i, v := range x {
		y[i] = max(v, 0)
	}
}

// backward masks the gradient without a branch: where the output is
// positive or not is as good as random, and a mispredicted branch per
// element cost more than the rest of the loop.
func (r *Rectifier) backward(lo, hi int) {
	dy, dx, y := r.dy[lo:hi], r.dx[lo:hi], r.y[lo:hi]
	if v := active.vector; v != nil && len(dy) >= 8 {
		n := len(dy) &^ 7
		v.reluBackward(n, dx, dy, y)
		dy, dx, y = dy[n:], dx[n:], y[n:]
	}
	for i, d := range dy {
		dx[i] = math.Float32frombits(math.Float32bits(d) & positiveMask(y[i]))
	}
}

// positiveMask returns all ones if v > 0 and zero otherwise (for zeros,
// negative numbers and NaNs), as the comparison would.
func positiveMask(v float32) uint32 {
	b := math.Float32bits(v)
	// 0 - b has its sign bit set for every b in [1, 2³¹]: v is +0 or
	// positive, or a NaN. b - (+Inf + 1) has it set for b up to +Inf's.
	return uint32(int32(-b)>>31) & uint32(int32(b-0x7f800001)>>31)
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
