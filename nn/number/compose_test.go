package number

import (
	"math/rand/v2"
	"sync"
	"testing"

	"github.com/tegaki/tegaki/nn/digit"
	"github.com/tegaki/tegaki/nn/mnist"
	"github.com/tegaki/tegaki/nn/mnist/mnisttest"
	"github.com/tegaki/tegaki/nn/number/compose"
	"github.com/tegaki/tegaki/nn/pretrained"
)

var mnistSets = sync.OnceValues(func() ([2]*mnist.Set, error) {
	train, test, err := mnisttest.Load()
	return [2]*mnist.Set{train, test}, err
})

// sets returns MNIST's training digits after the first 55,000 (the
// validation split tools/train holds out, on which the reader's weights
// were chosen) and its test digits.
func sets(t testing.TB) (validation, test *mnist.Set) {
	t.Helper()
	s, err := mnistSets()
	if err != nil {
		t.Fatal(err)
	}
	_, validation = s[0].Split(55_000)
	return validation, s[1]
}

func newReader(t testing.TB) *Reader {
	t.Helper()
	p, err := pretrained.NewPredictor()
	if err != nil {
		t.Fatal(err)
	}
	return NewReader(p)
}

// drawing returns a composed number's strokes as digit.Strokes.
func drawing(n compose.Number) []digit.Stroke {
	out := make([]digit.Stroke, len(n.Strokes))
	for i, s := range n.Strokes {
		out[i] = make(digit.Stroke, len(s))
		for j, p := range s {
			out[i][j] = digit.Point{X: p.X, Y: p.Y}
		}
	}
	return out
}

// score reads count numbers composed with opt from set, by their strokes
// or their pictures, and returns the share read fully right.
func score(t testing.TB, r *Reader, set *mnist.Set, opt compose.Options, count int, seed uint64, strokes bool) float64 {
	rng := rand.New(rand.NewPCG(seed, 1))
	right := 0
	for i := range count {
		n := compose.Write(rng, set, opt)
		var got Reading
		var err error
		if strokes {
			got, err = r.ReadStrokes(drawing(n), n.Pen)
		} else {
			got, err = r.ReadImage(n.Picture)
		}
		if err == nil && got.Number == n.Digits {
			right++
		} else if testing.Verbose() && i < 400 {
			t.Logf("number %d: %s read as %q (%v)", i, n.Digits, got.Number, err)
		}
	}
	return float64(right) / float64(count)
}

func TestComposedStrokes(t *testing.T) {
	val, _ := sets(t)
	r := newReader(t)
	for _, tc := range []struct {
		name string
		opt  compose.Options
	}{{"separated", compose.Separated}, {"touching", compose.Touching}} {
		acc := score(t, r, val, tc.opt, 200, 1, true)
		t.Logf("%s: %.1f%%", tc.name, 100*acc)
	}
}

func TestComposedImages(t *testing.T) {
	val, _ := sets(t)
	r := newReader(t)
	for _, tc := range []struct {
		name string
		opt  compose.Options
	}{{"separated", compose.Separated}, {"touching", compose.Touching}} {
		acc := score(t, r, val, tc.opt, 200, 1, false)
		t.Logf("%s: %.1f%%", tc.name, 100*acc)
	}
}
