package nn

import (
	"math/rand/v2"
	"slices"
	"testing"
)

// TestInputGradient checks InputGradient against a central difference of
// the class's score in Inference mode, on networks with every kind of
// layer, a convolution or an affine layer first (the layer whose input
// gradient training skips), and batch norms with running averages away
// from their initial 0 and 1. It also checks that the parameters'
// gradients are left as they were. Tolerances as in gradcheck_test.go.
func TestInputGradient(t *testing.T) {
	tests := []struct {
		name string
		spec Spec
	}{
		{"conv", Spec{
			Name: "conv", Input: []int{1, 6, 6}, Classes: 3,
			Layers: []LayerSpec{
				{Type: "conv", Out: 2, Kernel: 3, Pad: 1}, {Type: "batchnorm"}, {Type: "sigmoid"}, {Type: "maxpool", Kernel: 2},
				{Type: "conv", Out: 3, Kernel: 2}, {Type: "sigmoid"}, {Type: "flatten"},
				{Type: "affine", Out: 5}, {Type: "batchnorm"}, {Type: "relu"}, {Type: "dropout", Rate: 0.2},
				{Type: "affine", Out: 3},
			},
		}},
		{"affine", Spec{
			Name: "affine", Input: []int{7}, Classes: 4,
			Layers: []LayerSpec{
				{Type: "affine", Out: 6}, {Type: "batchnorm"}, {Type: "sigmoid"}, {Type: "dropout", Rate: 0.5},
				{Type: "affine", Out: 4},
			},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			net, err := tt.spec.Build(3)
			if err != nil {
				t.Fatal(err)
			}
			rng := rand.New(rand.NewPCG(4, 5))
			for _, l := range net.Layers {
				if bn, ok := l.(*BatchNorm); ok {
					initBN(bn, rng)
					for i := range bn.Mean.Value.Data {
						bn.Mean.Value.Data[i] = rng.Float32() - 0.5
						bn.Var.Value.Data[i] = 0.5 + rng.Float32()
					}
				}
			}
			var grads [][]float32
			for _, p := range net.Params() {
				if p.Grad != nil {
					for i := range p.Grad.Data {
						p.Grad.Data[i] = float32(i) + 0.5
					}
					grads = append(grads, slices.Clone(p.Grad.Data))
				}
			}
			x := randomTensor(rng, append([]int{2}, tt.spec.Input...)...)
			for class := range tt.spec.Classes {
				probs := slices.Clone(net.Explain(x).Data)
				dx := slices.Clone(net.InputGradient(class).Data)
				if want := net.Predict(x).Data; !slices.Equal(probs, want) {
					t.Errorf("class %d: Explain(x) = %v, want Predict(x) = %v", class, probs, want)
				}
				// The samples do not interact in Inference mode, so the
				// gradient of the sum of their scores holds each one's.
				score := func() float64 {
					out := net.Forward(x, Inference)
					k := out.Shape[1]
					var s float64
					for i := range out.Shape[0] {
						s += float64(out.Data[i*k+class])
					}
					return s
				}
				compareGrad(t, "dscore/dx", dx, numericalGrad(x.Data, score))
			}
			i := 0
			for _, p := range net.Params() {
				if p.Grad != nil {
					if !slices.Equal(p.Grad.Data, grads[i]) {
						t.Errorf("InputGradient changed %s's gradient", p.Name)
					}
					i++
				}
			}
		})
	}
}

func TestInputGradientPanics(t *testing.T) {
	net, err := mlp("m", 5).Build(1)
	if err != nil {
		t.Fatal(err)
	}
	x := NewTensor(1, 784)
	tests := []struct {
		name string
		run  func()
	}{
		{"after Predict", func() { net.Predict(x); net.InputGradient(0) }},
		{"class -1", func() { net.Explain(x); net.InputGradient(-1) }},
		{"class 10", func() { net.Explain(x); net.InputGradient(10) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			defer func() {
				if recover() == nil {
					t.Errorf("InputGradient did not panic")
				}
			}()
			tt.run()
		})
	}
}
