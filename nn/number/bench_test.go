package number

import (
	"math/rand/v2"
	"testing"

	"github.com/tegaki/tegaki/nn/number/compose"
)

// eight returns a number of eight MNIST validation digits, written apart.
func eight(b *testing.B) compose.Number {
	val, _ := sets(b)
	opt := compose.Separated
	opt.MinDigits, opt.MaxDigits = 8, 8
	return compose.Write(rand.New(rand.NewPCG(8, 8)), val, opt)
}

// BenchmarkReadStrokes8 reads an 8-digit drawing from scratch, as
// tegaki.readNumber does.
func BenchmarkReadStrokes8(b *testing.B) {
	n := eight(b)
	strokes := drawing(n)
	p := newReader(b).p
	for b.Loop() {
		if _, err := NewReader(p).ReadStrokes(strokes, n.Pen); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkReadStrokes8Last reads an 8-digit drawing after its last
// stroke, as the page does: the candidates of the other strokes are known.
func BenchmarkReadStrokes8Last(b *testing.B) {
	n := eight(b)
	strokes := drawing(n)
	r := newReader(b)
	for b.Loop() {
		b.StopTimer()
		clear(r.cache)
		if _, err := r.ReadStrokes(strokes[:len(strokes)-1], n.Pen); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		if _, err := r.ReadStrokes(strokes, n.Pen); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkReadImage8 reads a picture of an 8-digit number.
func BenchmarkReadImage8(b *testing.B) {
	n := eight(b)
	r := newReader(b)
	for b.Loop() {
		clear(r.cache)
		if _, err := r.ReadImage(n.Picture); err != nil {
			b.Fatal(err)
		}
	}
}
