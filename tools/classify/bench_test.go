package main

import (
	"bytes"
	"os"
	"testing"

	"github.com/tegaki/tegaki/nn/digit/imagefile"
	"github.com/tegaki/tegaki/nn/pretrained"
)

// BenchmarkClassify is the whole path for one picture: decode a 280×280
// PNG, prepare it, and run the embedded network.
func BenchmarkClassify(b *testing.B) {
	file, err := os.ReadFile("testdata/seven.png")
	if err != nil {
		b.Fatal(err)
	}
	net, err := pretrained.Net()
	if err != nil {
		b.Fatal(err)
	}
	c, err := pretrained.NewPredictorFor(net)
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(file)))
	b.ReportAllocs()
	for b.Loop() {
		in, err := imagefile.Input(bytes.NewReader(file), 0)
		if err != nil {
			b.Fatal(err)
		}
		if p := c.Predict(in); p.Digit != 7 {
			b.Fatalf("got %+v; want a 7", p)
		}
	}
}
