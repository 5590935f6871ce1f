package nn

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"sort"

	"github.com/tegaki/tegaki/nn/internal/kernel"
)

// A Spec describes a network's architecture in plain values, so that it can
// be stored in a model file as JSON and rebuilt by Build.
type Spec struct {
	Name    string      `json:"name"`
	Input   []int       `json:"input"`          // channels, height, width of one sample
	Classes int         `json:"classes"`        // outputs of the last layer
	Init    string      `json:"init,omitempty"` // "he" (the default) or "xavier"
	Loss    string      `json:"loss,omitempty"` // "softmax_cross_entropy" (the default) or "sum_squares"
	Layers  []LayerSpec `json:"layers"`
}

// A LayerSpec describes one layer of a Spec.
type LayerSpec struct {
	// Type is one of "conv", "affine", "relu", "sigmoid", "maxpool",
	// "batchnorm", "dropout" and "flatten".
	Type   string  `json:"type"`
	Out    int     `json:"out,omitempty"`    // conv filters or affine units
	Kernel int     `json:"kernel,omitempty"` // conv or maxpool window size
	Stride int     `json:"stride,omitempty"` // default 1 for conv and Kernel for maxpool
	Pad    int     `json:"pad,omitempty"`    // conv zero padding
	Rate   float64 `json:"rate,omitempty"`   // dropout probability
}

// Limits on what Build accepts, so that a hostile model file cannot make it
// allocate without bound.
const (
	maxLayers = 64
	maxWidth  = 4096     // channels, units, height or width
	maxParams = 64 << 20 // trainable and saved values in all
)

// ErrSpec is wrapped by every error that Build returns.
var ErrSpec = errors.New("invalid architecture")

// Build returns a network with the architecture of s, its weights
// initialised from seed. It returns an error wrapping ErrSpec if s is not a
// valid architecture.
func (s Spec) Build(seed uint64) (*Net, error) {
	net, err := s.build(rand.New(rand.NewPCG(seed, seed^0x7465_6761_6b69)), maxParams)
	if err != nil {
		return nil, fmt.Errorf("nn: %s: %w: %v", s.Name, ErrSpec, err)
	}
	return net, nil
}

// buildLimited builds s, refusing architectures of more than limit values.
func (s Spec) buildLimited(limit int) (*Net, error) {
	return s.build(rand.New(rand.NewPCG(0, 0)), min(limit, maxParams))
}

// build builds s with weights drawn from rng. It checks the parameter count
// against maxValues before allocating each layer.
func (s Spec) build(rng *rand.Rand, maxValues int) (*Net, error) {
	if len(s.Input) != 3 && len(s.Input) != 1 {
		return nil, fmt.Errorf("input %v is neither (c, h, w) nor (features)", s.Input)
	}
	for _, d := range s.Input {
		if d < 1 || d > maxWidth {
			return nil, fmt.Errorf("input dimension %d outside [1, %d]", d, maxWidth)
		}
	}
	if s.Classes < 2 || s.Classes > maxWidth {
		return nil, fmt.Errorf("classes %d outside [2, %d]", s.Classes, maxWidth)
	}
	if len(s.Layers) == 0 || len(s.Layers) > maxLayers {
		return nil, fmt.Errorf("%d layers, want 1 to %d", len(s.Layers), maxLayers)
	}
	initW := He
	switch s.Init {
	case "", "he":
	case "xavier":
		initW = Xavier
	default:
		return nil, fmt.Errorf("unknown init %q", s.Init)
	}
	net := &Net{Spec: s}
	switch s.Loss {
	case "", "softmax_cross_entropy":
		net.LossLayer = &SoftmaxCrossEntropy{}
	case "sum_squares":
		net.LossLayer = &SumSquares{}
	default:
		return nil, fmt.Errorf("unknown loss %q", s.Loss)
	}

	shape := slices.Clone(s.Input) // one sample: (c, h, w) or (features)
	count := map[string]int{}
	params := 0
	for i, ls := range s.Layers {
		kind, ok := layerKinds[ls.Type]
		if !ok {
			return nil, fmt.Errorf("layer %d (%s): unknown layer type", i+1, ls.Type)
		}
		out, values, err := kind.describe(ls, shape)
		if err == nil && params+values > maxValues {
			err = fmt.Errorf("more than %d parameters", maxValues)
		}
		if err != nil {
			return nil, fmt.Errorf("layer %d (%s): %w", i+1, ls.Type, err)
		}
		params += values
		count[ls.Type]++
		name := fmt.Sprintf("%s%d", kind.prefix, count[ls.Type])
		net.Layers = append(net.Layers, kind.build(ls, shape, name, initW, rng))
		shape = out
	}
	if len(shape) != 1 || shape[0] != s.Classes {
		return nil, fmt.Errorf("output %v, want %d classes", shape, s.Classes)
	}
	// The first layer's input gradient feeds nothing: skip computing it.
	switch l := net.Layers[0].(type) {
	case *Conv:
		l.skipInputGrad = true
	case *Affine:
		l.skipInputGrad = true
	}
	return net, nil
}

// A layerKind is what Build knows of one LayerSpec.Type: whether a spec of
// it fits its input, what it outputs and holds, and how to make it.
type layerKind struct {
	prefix string // of its parameters' names, numbered: conv1.W, bn2.gamma
	// describe checks ls against the shape of one input sample and returns
	// the shape of one output sample and the number of values the layer
	// holds (trainable and saved), before anything is allocated.
	describe func(ls LayerSpec, in []int) (out []int, values int, err error)
	// build makes the layer, with weights drawn by initW from rng.
	build func(ls LayerSpec, in []int, name string, initW func([]float32, int, *rand.Rand), rng *rand.Rand) Layer
}

// layerKinds holds every layer type a Spec may name.
var layerKinds = map[string]layerKind{
	"conv": {
		prefix: "conv",
		describe: func(ls LayerSpec, in []int) ([]int, int, error) {
			if len(in) != 3 {
				return nil, 0, fmt.Errorf("needs (c, h, w) input, have %v", in)
			}
			if ls.Out < 1 || ls.Out > maxWidth || ls.Kernel < 1 || ls.Kernel > 32 || ls.Stride < 0 || ls.Stride > 32 || ls.Pad < 0 || ls.Pad > 32 {
				return nil, 0, fmt.Errorf("out %d, kernel %d, stride %d or pad %d out of range", ls.Out, ls.Kernel, ls.Stride, ls.Pad)
			}
			if in[1]+2*ls.Pad < ls.Kernel || in[2]+2*ls.Pad < ls.Kernel {
				return nil, 0, fmt.Errorf("kernel %d larger than padded input %v", ls.Kernel, in)
			}
			stride := max(ls.Stride, 1)
			out := []int{ls.Out, kernel.OutputSize(in[1], ls.Kernel, stride, ls.Pad), kernel.OutputSize(in[2], ls.Kernel, stride, ls.Pad)}
			return out, ls.Out * (in[0]*ls.Kernel*ls.Kernel + 1), nil
		},
		build: func(ls LayerSpec, in []int, name string, initW func([]float32, int, *rand.Rand), rng *rand.Rand) Layer {
			c := NewConv(name, in[0], ls.Out, ls.Kernel, max(ls.Stride, 1), ls.Pad)
			initW(c.W.Value.Data, in[0]*ls.Kernel*ls.Kernel, rng)
			return c
		},
	},
	"affine": {
		prefix: "affine",
		describe: func(ls LayerSpec, in []int) ([]int, int, error) {
			if ls.Out < 1 || ls.Out > maxWidth {
				return nil, 0, fmt.Errorf("out %d outside [1, %d]", ls.Out, maxWidth)
			}
			return []int{ls.Out}, (numElements(in) + 1) * ls.Out, nil
		},
		build: func(ls LayerSpec, in []int, name string, initW func([]float32, int, *rand.Rand), rng *rand.Rand) Layer {
			a := NewAffine(name, numElements(in), ls.Out)
			initW(a.W.Value.Data, numElements(in), rng)
			return a
		},
	},
	"maxpool": {
		describe: func(ls LayerSpec, in []int) ([]int, int, error) {
			if len(in) != 3 {
				return nil, 0, fmt.Errorf("needs (c, h, w) input, have %v", in)
			}
			stride := poolStride(ls)
			if ls.Kernel < 1 || ls.Kernel > in[1] || ls.Kernel > in[2] || stride < 1 || stride > 32 {
				return nil, 0, fmt.Errorf("kernel %d or stride %d does not fit input %v", ls.Kernel, stride, in)
			}
			return []int{in[0], kernel.OutputSize(in[1], ls.Kernel, stride, 0), kernel.OutputSize(in[2], ls.Kernel, stride, 0)}, 0, nil
		},
		build: func(ls LayerSpec, _ []int, _ string, _ func([]float32, int, *rand.Rand), _ *rand.Rand) Layer {
			return NewMaxPool(ls.Kernel, poolStride(ls))
		},
	},
	"batchnorm": {
		prefix: "bn",
		describe: func(_ LayerSpec, in []int) ([]int, int, error) {
			return in, 4 * in[0], nil
		},
		build: func(_ LayerSpec, in []int, name string, _ func([]float32, int, *rand.Rand), _ *rand.Rand) Layer {
			return NewBatchNorm(name, in[0])
		},
	},
	"dropout": {
		describe: func(ls LayerSpec, in []int) ([]int, int, error) {
			if ls.Rate < 0 || ls.Rate >= 1 {
				return nil, 0, fmt.Errorf("rate %v outside [0, 1)", ls.Rate)
			}
			return in, 0, nil
		},
		build: func(ls LayerSpec, _ []int, _ string, _ func([]float32, int, *rand.Rand), rng *rand.Rand) Layer {
			return NewDropout(ls.Rate, rng)
		},
	},
	"relu": {
		describe: sameShape0,
		build:    func(LayerSpec, []int, string, func([]float32, int, *rand.Rand), *rand.Rand) Layer { return &ReLU{} },
	},
	"sigmoid": {
		describe: sameShape0,
		build:    func(LayerSpec, []int, string, func([]float32, int, *rand.Rand), *rand.Rand) Layer { return &Sigmoid{} },
	},
	"flatten": {
		describe: func(_ LayerSpec, in []int) ([]int, int, error) { return []int{numElements(in)}, 0, nil },
		build:    func(LayerSpec, []int, string, func([]float32, int, *rand.Rand), *rand.Rand) Layer { return &Flatten{} },
	},
}

// sameShape0 describes a layer without parameters whose output has its
// input's shape.
func sameShape0(_ LayerSpec, in []int) ([]int, int, error) { return in, 0, nil }

// poolStride returns a maxpool spec's stride, which defaults to its window.
func poolStride(ls LayerSpec) int {
	if ls.Stride == 0 {
		return ls.Kernel
	}
	return ls.Stride
}

// architectures maps the name of each built-in architecture to its Spec:
// the book's networks, the three fixed benchmark networks, and tegaki's own.
var architectures = map[string]Spec{
	// TwoLayerNet is the book's ch05 network: affine 50, ReLU, affine 10.
	"twolayernet": mlp("twolayernet", 50),
	// MLP50 is the same shape, named for the benchmarks against PyTorch.
	"mlp50": mlp("mlp50", 50),
	// MLP is a wider multilayer perceptron with batch normalisation.
	"mlp": {
		Name: "mlp", Input: []int{1, 28, 28}, Classes: 10,
		Layers: []LayerSpec{
			{Type: "affine", Out: 256}, {Type: "batchnorm"}, {Type: "relu"}, {Type: "dropout", Rate: 0.2},
			{Type: "affine", Out: 128}, {Type: "batchnorm"}, {Type: "relu"}, {Type: "dropout", Rate: 0.2},
			{Type: "affine", Out: 10},
		},
	},
	// SimpleConvNet is the book's ch07 network: conv 30 5×5, ReLU, pool,
	// affine 100, ReLU, affine 10.
	"simpleconvnet": {
		Name: "simpleconvnet", Input: []int{1, 28, 28}, Classes: 10,
		Layers: []LayerSpec{
			{Type: "conv", Out: 30, Kernel: 5}, {Type: "relu"}, {Type: "maxpool", Kernel: 2},
			{Type: "affine", Out: 100}, {Type: "relu"}, {Type: "affine", Out: 10},
		},
	},
	// DeepConvNet is the book's ch08 network: six 3×3 convolutions
	// 16-16-32-32-64-64 with ReLU and pooling after each pair, affine 50,
	// dropout, affine 10, dropout. The book's Dropout is not inverted.
	"deepconvnet": {
		Name: "deepconvnet", Input: []int{1, 28, 28}, Classes: 10,
		Layers: []LayerSpec{
			{Type: "conv", Out: 16, Kernel: 3, Pad: 1}, {Type: "relu"},
			{Type: "conv", Out: 16, Kernel: 3, Pad: 1}, {Type: "relu"}, {Type: "maxpool", Kernel: 2},
			{Type: "conv", Out: 32, Kernel: 3, Pad: 1}, {Type: "relu"},
			{Type: "conv", Out: 32, Kernel: 3, Pad: 2}, {Type: "relu"}, {Type: "maxpool", Kernel: 2},
			{Type: "conv", Out: 64, Kernel: 3, Pad: 1}, {Type: "relu"},
			{Type: "conv", Out: 64, Kernel: 3, Pad: 1}, {Type: "relu"}, {Type: "maxpool", Kernel: 2},
			{Type: "affine", Out: 50}, {Type: "relu"}, {Type: "dropout", Rate: 0.5},
			{Type: "affine", Out: 10}, {Type: "dropout", Rate: 0.5},
		},
	},
	// LeNet32 is a benchmark network: conv 16 5×5 pad 2, ReLU, pool; conv 32
	// 5×5, ReLU, pool; affine 128, ReLU; affine 10.
	"lenet32": {
		Name: "lenet32", Input: []int{1, 28, 28}, Classes: 10,
		Layers: []LayerSpec{
			{Type: "conv", Out: 16, Kernel: 5, Pad: 2}, {Type: "relu"}, {Type: "maxpool", Kernel: 2},
			{Type: "conv", Out: 32, Kernel: 5}, {Type: "relu"}, {Type: "maxpool", Kernel: 2},
			{Type: "affine", Out: 128}, {Type: "relu"}, {Type: "affine", Out: 10},
		},
	},
	// Tegaki is the default, embedded model: three 3×3 convolutions with
	// batch normalisation, small enough to classify a digit in well under a
	// millisecond, and trained with augmentation to reach MNIST's 99.5%.
	"tegaki": {
		Name: "tegaki", Input: []int{1, 28, 28}, Classes: 10,
		Layers: []LayerSpec{
			{Type: "conv", Out: 16, Kernel: 3, Pad: 1}, {Type: "batchnorm"}, {Type: "relu"}, {Type: "maxpool", Kernel: 2},
			{Type: "conv", Out: 32, Kernel: 3, Pad: 1}, {Type: "batchnorm"}, {Type: "relu"}, {Type: "maxpool", Kernel: 2},
			{Type: "conv", Out: 64, Kernel: 3}, {Type: "batchnorm"}, {Type: "relu"},
			{Type: "affine", Out: 64}, {Type: "batchnorm"}, {Type: "relu"}, {Type: "dropout", Rate: 0.2},
			{Type: "affine", Out: 10},
		},
	},
}

// DefaultArchitecture is the name of the architecture tegaki ships.
const DefaultArchitecture = "tegaki"

// Architecture returns the built-in architecture called name (see
// ArchitectureNames), or an error wrapping ErrSpec.
func Architecture(name string) (Spec, error) {
	s, ok := architectures[name]
	if !ok {
		return Spec{}, fmt.Errorf("nn: unknown architecture %q (have %v): %w", name, ArchitectureNames(), ErrSpec)
	}
	// Copy the slices so that callers may edit their Spec.
	s.Input = slices.Clone(s.Input)
	s.Layers = slices.Clone(s.Layers)
	return s, nil
}

// ArchitectureNames returns the names of the built-in architectures, sorted:
// twolayernet and mlp50 (784-50-10), mlp, simpleconvnet and deepconvnet (the
// book's), lenet32 and tegaki (the default).
func ArchitectureNames() []string {
	names := make([]string, 0, len(architectures))
	for n := range architectures {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

func mlp(name string, hidden int) Spec {
	return Spec{
		Name: name, Input: []int{1, 28, 28}, Classes: 10,
		Layers: []LayerSpec{{Type: "affine", Out: hidden}, {Type: "relu"}, {Type: "affine", Out: 10}},
	}
}
