package mnist_test

import (
	"fmt"
	"log"

	"github.com/tegaki/tegaki/nn/mnist"
)

func ExampleLoad() {
	dir, err := mnist.DefaultDir()
	if err != nil {
		log.Fatal(err)
	}
	train, test, err := mnist.Load(dir)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%d training and %d test images of %dx%d; the first is a %d\n", train.Len(), test.Len(), train.Rows, train.Cols, train.Labels[0])
	// Output: 60000 training and 10000 test images of 28x28; the first is a 5
}
