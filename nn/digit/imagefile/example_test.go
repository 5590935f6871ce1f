package imagefile_test

import (
	"fmt"
	"log"
	"os"

	"github.com/tegaki/tegaki/nn/digit/imagefile"
	"github.com/tegaki/tegaki/nn/pretrained"
)

// An image file of a 7 drawn in Paint, read and classified by the
// embedded model.
func ExampleInput() {
	f, err := os.Open("../testdata/seven.png")
	if err != nil {
		log.Fatal(err)
	}
	defer f.Close()
	in, err := imagefile.Input(f, 0)
	if err != nil {
		log.Fatal(err)
	}
	c, err := pretrained.NewPredictor()
	if err != nil {
		log.Fatal(err)
	}
	p := c.Predict(in)
	fmt.Printf("%d (%.0f%% sure)\n", p.Digit, 100*p.Probabilities[p.Digit])
	// Output: 7 (100% sure)
}
