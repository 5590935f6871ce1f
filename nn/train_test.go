package nn_test

import (
	"context"
	"testing"

	"github.com/tegaki/tegaki/nn"
	"github.com/tegaki/tegaki/nn/mnist"
	"github.com/tegaki/tegaki/nn/mnist/mnisttest"
)

// mnistSubset returns the first n training images and the first m test
// images as network input.
func mnistSubset(t *testing.T, n, m int) (x *nn.Tensor, y []int, tx *nn.Tensor, ty []int) {
	t.Helper()
	train, test, err := mnisttest.Load()
	if err != nil {
		t.Fatal(err)
	}
	convert := func(s *mnist.Set, n int) (*nn.Tensor, []int) {
		x := &nn.Tensor{Shape: []int{n, 1, s.Rows, s.Cols}, Data: s.Slice(0, n).Float32()}
		y := make([]int, n)
		for i := range y {
			y[i] = int(s.Labels[i])
		}
		return x, y
	}
	x, y = convert(train, n)
	tx, ty = convert(test, m)
	return x, y, tx, ty
}

// TestTrainMNIST trains networks on a subset of MNIST and checks their
// accuracy on real test digits: the layers, backpropagation, optimizers and
// Trainer together must learn. 6,000 images and a few hundred steps give
// TwoLayerNet 88-92% and one epoch of the default CNN about 95%; the floors
// sit two or three points lower, so that they fail when learning is broken,
// not when the random order changes.
func TestTrainMNIST(t *testing.T) {
	if testing.Short() {
		t.Skip("trains on MNIST")
	}
	x, y, tx, ty := mnistSubset(t, 6000, 2000)
	tests := []struct {
		arch   string
		opt    nn.Optimizer
		epochs int
		floor  float64
	}{
		{"twolayernet", &nn.SGD{LR: 0.1}, 10, 0.86},
		{"twolayernet", &nn.Momentum{LR: 0.05, Momentum: 0.9}, 10, 0.88},
		{"twolayernet", &nn.AdaGrad{LR: 0.05}, 10, 0.89},
		{"twolayernet", &nn.RMSProp{LR: 0.002, Decay: 0.99}, 10, 0.89},
		{"twolayernet", &nn.Adam{LR: 0.003, Beta1: 0.9, Beta2: 0.999}, 10, 0.89},
		{"tegaki", &nn.Adam{LR: 0.003, Beta1: 0.9, Beta2: 0.999}, 1, 0.93},
	}
	for _, tt := range tests {
		t.Run(tt.arch+"/"+optimizerName(tt.opt), func(t *testing.T) {
			spec, err := nn.Architecture(tt.arch)
			if err != nil {
				t.Fatal(err)
			}
			net, err := spec.Build(1)
			if err != nil {
				t.Fatal(err)
			}
			tr := &nn.Trainer{Net: net, Optimizer: tt.opt, BatchSize: 100, Seed: 1}
			for range tt.epochs {
				if _, err := tr.RunEpoch(context.Background(), x, y); err != nil {
					t.Fatal(err)
				}
			}
			acc := net.Accuracy(tx, ty, 500)
			t.Logf("%s with %s: %.2f%% on %d test digits", tt.arch, optimizerName(tt.opt), 100*acc, len(ty))
			if acc < tt.floor {
				t.Errorf("accuracy %.4f, want at least %.2f", acc, tt.floor)
			}
		})
	}
}

func optimizerName(o nn.Optimizer) string {
	switch o.(type) {
	case *nn.SGD:
		return "SGD"
	case *nn.Momentum:
		return "Momentum"
	case *nn.AdaGrad:
		return "AdaGrad"
	case *nn.RMSProp:
		return "RMSProp"
	case *nn.Adam:
		return "Adam"
	}
	return "?"
}
