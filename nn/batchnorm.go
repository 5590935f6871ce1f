package nn

import (
	"fmt"
	"math"

	"github.com/tegaki/tegaki/nn/internal/kernel"
)

// BatchNorm normalises each channel to zero mean and unit variance over the
// batch, then scales by Gamma and shifts by Beta (Ioffe and Szegedy 2015,
// arXiv:1502.03167; the book's BatchNormalization).
//
// Shapes: x is (n, c) after an Affine layer or (n, c, h, w) after a Conv
// layer; statistics are taken per channel over n (and h, w). In Training
// mode it uses the batch statistics and updates running averages; in
// Inference and Explanation mode it uses the running averages.
type BatchNorm struct {
	Gamma, Beta *Param
	Mean, Var   *Param // running averages, saved with the model
	Momentum    float32
	Eps         float32

	n, c, s int // batch, channels, spatial size of the last Forward
	x       *Tensor
	xhat    []float32
	invStd  []float32
	mode    Mode
	out, dx *Tensor
	dout    *Tensor
}

// NewBatchNorm returns a batch normalisation over c channels with Gamma = 1,
// Beta = 0, running variance 1, momentum 0.9 (the book's; PyTorch's 0.1
// means the same) and eps 1e-5.
func NewBatchNorm(name string, c int) *BatchNorm {
	l := &BatchNorm{
		Gamma:    newParam(name+".gamma", false, c),
		Beta:     newParam(name+".beta", false, c),
		Mean:     &Param{Name: name + ".running_mean", Value: NewTensor(c)},
		Var:      &Param{Name: name + ".running_var", Value: NewTensor(c)},
		Momentum: 0.9,
		Eps:      1e-5,
	}
	for i := range c {
		l.Gamma.Value.Data[i] = 1
		l.Var.Value.Data[i] = 1
	}
	return l
}

// Params returns Gamma, Beta and the running mean and variance (which have
// no gradient).
func (l *BatchNorm) Params() []*Param { return []*Param{l.Gamma, l.Beta, l.Mean, l.Var} }

// Forward normalises x. It panics if x's second dimension is not the
// layer's channel count.
func (l *BatchNorm) Forward(x *Tensor, mode Mode) *Tensor {
	c := len(l.Gamma.Value.Data)
	if len(x.Shape) < 2 || x.Shape[1] != c {
		panic(fmt.Sprintf("nn: BatchNorm: input %v, want (n, %d, ...)", x.Shape, c))
	}
	l.x, l.mode = x, mode
	l.n, l.c = x.Shape[0], c
	l.s = len(x.Data) / max(l.n*c, 1)
	l.out = ensure(l.out, x.Shape...)
	if mode == Training {
		l.xhat = grow(l.xhat, len(x.Data))
		l.invStd = grow(l.invStd, c)
	}
	kernel.ParallelFor(c, l.n*l.s, l, (*BatchNorm).forward)
	return l.out
}

func (l *BatchNorm) forward(lo, hi int) {
	n, c, s := l.n, l.c, l.s
	x, y := l.x.Data, l.out.Data
	// seg returns channel ch's values in sample i.
	seg := func(t []float32, i, ch int) []float32 { return t[(i*c+ch)*s : (i*c+ch+1)*s] }
	for ch := lo; ch < hi; ch++ {
		g, b := l.Gamma.Value.Data[ch], l.Beta.Value.Data[ch]
		if l.mode != Training {
			// y = γ·(x - running mean)/√(running var + ε) + β
			inv := float32(1 / math.Sqrt(float64(l.Var.Value.Data[ch]+l.Eps)))
			scale, shift := g*inv, b-g*inv*l.Mean.Value.Data[ch]
			for i := range n {
				kernel.ScaleShift(seg(y, i, ch), seg(x, i, ch), scale, shift)
			}
			continue
		}
		// The batch's mean and variance, then x̂ = (x - mean)/√(var + ε)
		// and y = γ·x̂ + β.
		var sum float64
		for i := range n {
			sum += kernel.SumF64(seg(x, i, ch))
		}
		m := float64(n * s)
		mean := sum / m
		var sq float64
		for i := range n {
			sq += kernel.SquaredDeviationsF64(seg(x, i, ch), mean)
		}
		variance := sq / m
		inv := 1 / math.Sqrt(variance+float64(l.Eps))
		l.invStd[ch] = float32(inv)
		mean32, inv32 := float32(mean), float32(inv)
		for i := range n {
			kernel.Normalize(seg(y, i, ch), seg(l.xhat, i, ch), seg(x, i, ch), mean32, inv32, g, b)
		}
		mom := l.Momentum
		l.Mean.Value.Data[ch] = mom*l.Mean.Value.Data[ch] + (1-mom)*mean32
		l.Var.Value.Data[ch] = mom*l.Var.Value.Data[ch] + (1-mom)*float32(variance)
	}
}

// Backward returns dx and, after a Training Forward, stores the gradients
// of Gamma and Beta. It must follow a Forward in Training or Explanation
// mode.
func (l *BatchNorm) Backward(dout *Tensor) *Tensor {
	if l.mode == Inference {
		panic("nn: BatchNorm: Backward after an Inference Forward")
	}
	l.dout = dout
	l.dx = ensure(l.dx, l.x.Shape...)
	if l.mode == Explanation {
		kernel.ParallelFor(l.c, l.n*l.s, l, (*BatchNorm).backwardFixed)
		return l.dx
	}
	kernel.ParallelFor(l.c, l.n*l.s, l, (*BatchNorm).backward)
	return l.dx
}

// backwardFixed is backward for the running averages, which do not depend
// on x: the layer is then y = γ·x/√(var + ε) + const, so dx = dout·γ/√(var + ε).
func (l *BatchNorm) backwardFixed(lo, hi int) {
	n, c, s := l.n, l.c, l.s
	for ch := lo; ch < hi; ch++ {
		k := l.Gamma.Value.Data[ch] * float32(1/math.Sqrt(float64(l.Var.Value.Data[ch]+l.Eps)))
		for i := range n {
			kernel.ScaleShift(l.dx.Data[(i*c+ch)*s:(i*c+ch+1)*s], l.dout.Data[(i*c+ch)*s:(i*c+ch+1)*s], k, 0)
		}
	}
}

func (l *BatchNorm) backward(lo, hi int) {
	n, c, s := l.n, l.c, l.s
	dout, dx := l.dout.Data, l.dx.Data
	seg := func(t []float32, i, ch int) []float32 { return t[(i*c+ch)*s : (i*c+ch+1)*s] }
	m := float32(n * s)
	for ch := lo; ch < hi; ch++ {
		// dβ = Σ dout, dγ = Σ dout·x̂
		var dbeta, dgamma float64
		for i := range n {
			db, dg := kernel.GradSumsF64(seg(dout, i, ch), seg(l.xhat, i, ch))
			dbeta, dgamma = dbeta+db, dgamma+dg
		}
		l.Beta.Grad.Data[ch] = float32(dbeta)
		l.Gamma.Grad.Data[ch] = float32(dgamma)
		// dx = γ/σ · (dout - mean(dout) - x̂·mean(dout·x̂))
		k := l.Gamma.Value.Data[ch] * l.invStd[ch]
		mb, mg := float32(dbeta)/m, float32(dgamma)/m
		for i := range n {
			kernel.BatchNormDx(seg(dx, i, ch), seg(dout, i, ch), seg(l.xhat, i, ch), k, mb, mg)
		}
	}
}
