package nn_test

import (
	"fmt"
	"math/rand/v2"
	"strings"

	"github.com/tegaki/tegaki/nn"
)

// The book's TwoLayerNet, built by name, learns a toy problem: which half
// of a 4×4 image is brighter.
func ExampleNet_Gradient() {
	spec := nn.Spec{
		Name: "toy", Input: []int{1, 4, 4}, Classes: 2,
		Layers: []nn.LayerSpec{{Type: "affine", Out: 8}, {Type: "relu"}, {Type: "affine", Out: 2}},
	}
	net, err := spec.Build(1)
	if err != nil {
		fmt.Println(err)
		return
	}
	rng := rand.New(rand.NewPCG(1, 2))
	batch := func(n int) (*nn.Tensor, []int) {
		x, labels := nn.NewTensor(n, 1, 4, 4), make([]int, n)
		for i := range n {
			labels[i] = rng.IntN(2)
			for j := range 16 {
				v := rng.Float32() * 0.5
				if (j%4 < 2) == (labels[i] == 0) {
					v += 0.5 // the labelled half is brighter
				}
				x.Data[i*16+j] = v
			}
		}
		return x, labels
	}
	opt := &nn.Adam{LR: 0.01, Beta1: 0.9, Beta2: 0.999}
	for range 200 {
		x, labels := batch(32)
		net.Gradient(x, labels)
		opt.Update(net.Params())
	}
	x, labels := batch(1000)
	fmt.Printf("accuracy %.2f\n", net.Accuracy(x, labels, 100))
	// Output: accuracy 1.00
}

// Every architecture is a plain Spec; this prints the default one.
func ExampleArchitecture() {
	spec, err := nn.Architecture(nn.DefaultArchitecture)
	if err != nil {
		fmt.Println(err)
		return
	}
	net, err := spec.Build(1)
	if err != nil {
		fmt.Println(err)
		return
	}
	var types []string
	for _, l := range spec.Layers {
		types = append(types, l.Type)
	}
	fmt.Println(strings.Join(types, " "))
	fmt.Printf("%d trainable parameters\n", net.NumParams())
	// Output:
	// conv batchnorm relu maxpool conv batchnorm relu maxpool conv batchnorm relu affine batchnorm relu dropout affine
	// 126762 trainable parameters
}
