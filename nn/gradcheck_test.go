package nn

import (
	"math"
	"math/rand/v2"
	"testing"
)

// Gradient checks: every layer's Backward is compared with a central
// difference of its Forward, as the book's ch05/gradient_check.py does.
//
// Tolerances: the layers compute in float32, whose relative precision is
// about 6e-8. A central difference with step h = 1e-2 on a loss of order 1
// has a rounding error of about 6e-8/h ≈ 1e-5 (accumulated in float64 it
// stays near that) and a truncation error of order h² ≈ 1e-4 times the third
// derivative. A tolerance of 2e-3 on |numerical - analytical| / max(1,
// |analytical|) is therefore tight: a wrong factor, sign, transpose or index
// in Backward gives errors of order 1.

var (
	gradStep = 1e-2
	gradTol  = 2e-3
)

// numericalGrad returns the central-difference gradient of loss with
// respect to every element of v.
func numericalGrad(v []float32, loss func() float64) []float64 {
	g := make([]float64, len(v))
	for i := range v {
		old := v[i]
		h := float32(gradStep)
		v[i] = old + h
		fp := loss()
		v[i] = old - h
		fm := loss()
		v[i] = old
		g[i] = (fp - fm) / (2 * float64(h))
	}
	return g
}

// compareGrad reports the elements where analytical and numerical gradients
// differ by more than gradTol, relative to max(1, |analytical|).
func compareGrad(t *testing.T, what string, analytical []float32, numerical []float64) {
	t.Helper()
	if len(analytical) != len(numerical) {
		t.Fatalf("%s: %d analytical values, %d numerical", what, len(analytical), len(numerical))
	}
	worst, at := 0.0, -1
	for i, a := range analytical {
		d := math.Abs(float64(a)-numerical[i]) / math.Max(1, math.Abs(float64(a)))
		if d > worst {
			worst, at = d, i
		}
	}
	if worst > gradTol {
		t.Errorf("%s: max relative difference %.2e at %d (analytical %v, numerical %v), want ≤ %v",
			what, worst, at, analytical[at], numerical[at], gradTol)
	}
}

// randomTensor returns a tensor of values in ±[0.1, 1) with random signs:
// away from zero so that ReLU's kink is never within gradStep of an input.
func randomTensor(rng *rand.Rand, shape ...int) *Tensor {
	t := NewTensor(shape...)
	for i := range t.Data {
		v := 0.1 + 0.9*rng.Float32()
		if rng.IntN(2) == 0 {
			v = -v
		}
		t.Data[i] = v
	}
	return t
}

func TestLayerGradients(t *testing.T) {
	tests := []struct {
		name  string
		layer func(rng *rand.Rand) Layer
		input []int
	}{
		{"Affine", func(rng *rand.Rand) Layer { return initLayer(NewAffine("a", 6, 4), rng) }, []int{3, 6}},
		{"Affine4D", func(rng *rand.Rand) Layer { return initLayer(NewAffine("a", 12, 5), rng) }, []int{2, 3, 2, 2}},
		{"ReLU", func(*rand.Rand) Layer { return &ReLU{} }, []int{3, 7}},
		{"Sigmoid", func(*rand.Rand) Layer { return &Sigmoid{} }, []int{3, 7}},
		{"Flatten", func(*rand.Rand) Layer { return &Flatten{} }, []int{2, 3, 2, 2}},
		{"Conv", func(rng *rand.Rand) Layer { return initLayer(NewConv("c", 2, 3, 3, 1, 0), rng) }, []int{2, 2, 5, 5}},
		{"ConvPad", func(rng *rand.Rand) Layer { return initLayer(NewConv("c", 2, 3, 3, 1, 1), rng) }, []int{2, 2, 5, 4}},
		{"ConvStride", func(rng *rand.Rand) Layer { return initLayer(NewConv("c", 1, 2, 3, 2, 1), rng) }, []int{2, 1, 7, 6}},
		{"Conv5x5", func(rng *rand.Rand) Layer { return initLayer(NewConv("c", 3, 2, 5, 1, 2), rng) }, []int{1, 3, 6, 6}},
		{"MaxPool", func(*rand.Rand) Layer { return NewMaxPool(2, 2) }, []int{2, 2, 4, 6}},
		{"MaxPoolOverlap", func(*rand.Rand) Layer { return NewMaxPool(3, 2) }, []int{1, 2, 7, 7}},
		{"BatchNorm2D", func(rng *rand.Rand) Layer { return initBN(NewBatchNorm("bn", 4), rng) }, []int{5, 4}},
		{"BatchNorm4D", func(rng *rand.Rand) Layer { return initBN(NewBatchNorm("bn", 3), rng) }, []int{2, 3, 3, 2}},
		{"Dropout", func(rng *rand.Rand) Layer { return NewDropout(0.4, rng) }, []int{4, 5}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rng := rand.New(rand.NewPCG(1, 2))
			layer := tt.layer(rng)
			x := randomTensor(rng, tt.input...)
			if _, ok := layer.(*MaxPool); ok {
				spreadValues(x, rng)
			}
			// L = Σ r ⊙ Forward(x) for a fixed random r, so dL/dout = r.
			var r *Tensor
			loss := func() float64 {
				reseed(layer)
				out := layer.Forward(x, Training)
				if r == nil {
					r = randomTensor(rand.New(rand.NewPCG(3, 4)), out.Shape...)
				}
				var s float64
				for i, v := range out.Data {
					s += float64(v) * float64(r.Data[i])
				}
				return s
			}
			loss()
			dx := layer.Backward(r)
			// Copy the analytical gradients before numericalGrad calls
			// Forward again, which may reuse the buffers.
			dxCopy := append([]float32(nil), dx.Data...)
			var grads [][]float32
			var params []*Param
			if p, ok := layer.(Parameterized); ok {
				for _, p := range p.Params() {
					if p.Grad != nil {
						params = append(params, p)
						grads = append(grads, append([]float32(nil), p.Grad.Data...))
					}
				}
			}
			compareGrad(t, "dx", dxCopy, numericalGrad(x.Data, loss))
			for i, p := range params {
				compareGrad(t, p.Name, grads[i], numericalGrad(p.Value.Data, loss))
			}
		})
	}
}

func TestLossGradients(t *testing.T) {
	tests := []struct {
		name string
		loss LossLayer
	}{
		{"SoftmaxCrossEntropy", &SoftmaxCrossEntropy{}},
		{"SumSquares", &SumSquares{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rng := rand.New(rand.NewPCG(5, 6))
			x := randomTensor(rng, 4, 10)
			labels := []int{3, 0, 9, 3}
			tt.loss.Forward(x, labels)
			dx := append([]float32(nil), tt.loss.Backward().Data...)
			compareGrad(t, "dx", dx, numericalGrad(x.Data, func() float64 { return tt.loss.Forward(x, labels) }))
		})
	}
}

// TestNetGradient checks backpropagation through a whole network with every
// kind of layer, the loss and weight decay: the sum of the parts. The first
// batch norm feeds a sigmoid, not a ReLU: batch norm centres its outputs on
// zero, so among 144 of them some lie within gradStep of ReLU's kink, where a
// finite difference is meaningless.
func TestNetGradient(t *testing.T) {
	spec := Spec{
		Name: "gradcheck", Input: []int{1, 6, 6}, Classes: 3,
		Layers: []LayerSpec{
			{Type: "conv", Out: 2, Kernel: 3, Pad: 1}, {Type: "batchnorm"}, {Type: "sigmoid"}, {Type: "maxpool", Kernel: 2},
			{Type: "conv", Out: 3, Kernel: 2}, {Type: "sigmoid"}, {Type: "flatten"},
			{Type: "affine", Out: 5}, {Type: "batchnorm"}, {Type: "relu"}, {Type: "dropout", Rate: 0.2},
			{Type: "affine", Out: 3},
		},
	}
	net, err := spec.Build(7)
	if err != nil {
		t.Fatal(err)
	}
	net.WeightDecay = 0.1
	rng := rand.New(rand.NewPCG(8, 9))
	x := randomTensor(rng, 4, 1, 6, 6)
	labels := []int{0, 2, 1, 2}
	loss := func() float64 {
		for _, l := range net.Layers {
			reseed(l)
		}
		return net.Loss(x, labels, Training)
	}
	for _, l := range net.Layers {
		reseed(l)
	}
	net.Gradient(x, labels)
	var grads [][]float32
	for _, p := range net.Params() {
		if p.Grad != nil {
			grads = append(grads, append([]float32(nil), p.Grad.Data...))
		}
	}
	i := 0
	for _, p := range net.Params() {
		if p.Grad != nil {
			compareGrad(t, p.Name, grads[i], numericalGrad(p.Value.Data, loss))
			i++
		}
	}
	if i != 12 {
		t.Errorf("checked %d trainable parameters, want 12", i)
	}
}

func initLayer[L Parameterized](l L, rng *rand.Rand) L {
	for _, p := range l.Params() {
		for i := range p.Value.Data {
			p.Value.Data[i] = float32(rng.NormFloat64() * 0.5)
		}
	}
	return l
}

func initBN(l *BatchNorm, rng *rand.Rand) *BatchNorm {
	for i := range l.Gamma.Value.Data {
		l.Gamma.Value.Data[i] = 0.5 + rng.Float32()
		l.Beta.Value.Data[i] = rng.Float32() - 0.5
	}
	return l
}

// reseed gives a Dropout layer the same masks on every Forward, so that the
// loss is a deterministic function of its inputs.
func reseed(l Layer) {
	if d, ok := l.(*Dropout); ok {
		d.Rand = rand.New(rand.NewPCG(10, 11))
	}
}

// spreadValues makes every value distinct by more than 2·gradStep, so that
// a finite difference never changes which input is a pooling maximum.
func spreadValues(x *Tensor, rng *rand.Rand) {
	perm := rng.Perm(len(x.Data))
	for i, p := range perm {
		x.Data[i] = float32(p)*0.05 - 1
	}
}
