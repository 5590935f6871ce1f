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
	c, err := pretrained.NewClassifierFor(net)
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(file)))
	b.ReportAllocs()
	for b.Loop() {
		img, err := imagefile.Decode(bytes.NewReader(file), 0)
		if err != nil {
			b.Fatal(err)
		}
		if p, _, err := c.Image(img); err != nil || p.Digit != 7 {
			b.Fatalf("got %+v, %v; want a 7", p, err)
		}
	}
}
