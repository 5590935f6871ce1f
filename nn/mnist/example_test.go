package mnist_test

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"log"

	"github.com/tegaki/tegaki/nn/mnist"
	"github.com/tegaki/tegaki/nn/mnist/mnisttest"
)

func ExampleLoad() {
	dir, err := mnisttest.Dir()
	if err != nil {
		log.Fatal(err)
	}
	train, test, err := mnist.Load(dir)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("train: %d images of %dx%d, the first a %d\n", train.Len(), train.Rows, train.Cols, train.Labels[0])
	fmt.Printf("test: %d images of %dx%d, the first a %d\n", test.Len(), test.Rows, test.Cols, test.Labels[0])

	// Hold out the last 5000 training images for validation.
	train, val := train.Split(55000)
	fmt.Println("split:", train.Len(), val.Len())
	// Output:
	// train: 60000 images of 28x28, the first a 5
	// test: 10000 images of 28x28, the first a 7
	// split: 55000 5000
}

func ExampleReadImages() {
	// An IDX file of two 2x3 images: the magic, the count, rows and
	// columns, then the pixels.
	var file []byte
	for _, v := range []uint32{0x00000803, 2, 2, 3} {
		file = binary.BigEndian.AppendUint32(file, v)
	}
	file = append(file,
		0, 255, 0,
		0, 255, 0,

		255, 255, 255,
		0, 0, 0,
	)
	images, n, rows, cols, err := mnist.ReadImages(bytes.NewReader(file))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(n, rows, cols, images[rows*cols:])

	// A header that claims more than the file holds fails at once.
	file[7] = 200
	_, _, _, _, err = mnist.ReadImages(bytes.NewReader(file))
	fmt.Println(err)
	// Output:
	// 2 2 3 [255 255 255 0 0 0]
	// mnist: read images: 200 images of 2x3: file truncated: 12 of 1200 bytes
}
