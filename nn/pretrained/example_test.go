package pretrained_test

import (
	"fmt"
	"log"

	"github.com/tegaki/tegaki/nn"
	"github.com/tegaki/tegaki/nn/digit"
	"github.com/tegaki/tegaki/nn/mnist"
	"github.com/tegaki/tegaki/nn/mnist/mnisttest"
	"github.com/tegaki/tegaki/nn/pretrained"
)

// Classify the first MNIST test digit with the embedded model.
func ExampleNet() {
	net, err := pretrained.Net()
	if err != nil {
		log.Fatal(err)
	}
	dir, err := mnisttest.Dir()
	if err != nil {
		log.Fatal(err)
	}
	_, test, err := mnist.Load(dir)
	if err != nil {
		log.Fatal(err)
	}
	x := nn.NewTensor(1, 1, 28, 28)
	for i, v := range test.Image(0) {
		x.Data[i] = float32(v) / 255 // MNIST input: 0 background, 1 ink
	}
	best := nn.Argmax(net.Predict(x).Data)
	fmt.Printf("label %d, predicted %d\n", test.Labels[0], best)
	// Output: label 7, predicted 7
}

// Ask why the network reads the first MNIST test digit as it does, and why
// not as its second choice: the maps' weights toward each digit.
func ExamplePredictor_Explain() {
	_, test, err := mnisttest.Load()
	if err != nil {
		log.Fatal(err)
	}
	var in digit.Input
	for i, v := range test.Image(0) {
		in[i] = float32(v) / 255
	}
	p, err := pretrained.NewPredictor()
	if err != nil {
		log.Fatal(err)
	}
	pred, m := p.Explain(&in, pretrained.Top)
	second := pred.Top(2)[1]
	_, n := p.Explain(&in, second)
	var onInk, toward float32
	for i, v := range m {
		if v > 0 {
			toward += v
			if in[i] >= 0.5 {
				onInk += v
			}
		}
	}
	fmt.Printf("a %d, then %d\n", pred.Digit, second)
	fmt.Printf("most weight toward %d on the strokes: %v\n", pred.Digit, onInk > toward/2)
	fmt.Printf("the map of %d differs: %v\n", second, m != n)
	// Output:
	// a 7, then 2
	// most weight toward 7 on the strokes: true
	// the map of 2 differs: true
}
