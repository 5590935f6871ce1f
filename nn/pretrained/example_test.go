package pretrained_test

import (
	"fmt"
	"log"

	"github.com/tegaki/tegaki/nn"
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
