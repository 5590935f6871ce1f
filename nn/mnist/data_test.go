package mnist_test

import (
	"testing"

	"github.com/tegaki/tegaki/nn/mnist"
	"github.com/tegaki/tegaki/nn/mnist/mnisttest"
)

// loadMNIST loads the real data set, from the GoMNIST module unless
// $TEGAKI_MNIST says otherwise.
func loadMNIST(tb testing.TB) (train, test *mnist.Set) {
	tb.Helper()
	dir, err := mnisttest.Dir()
	if err != nil {
		tb.Fatal(err)
	}
	train, test, err = mnist.Load(dir)
	if err != nil {
		tb.Fatal(err)
	}
	return train, test
}

// TestMNIST checks the real data set against its published description
// (http://yann.lecun.com/exdb/mnist/).
func TestMNIST(t *testing.T) {
	train, test := loadMNIST(t)
	for _, s := range []struct {
		name string
		set  *mnist.Set
		n    int
	}{{"train", train, 60000}, {"test", test, 10000}} {
		if s.set.Len() != s.n || s.set.Rows != 28 || s.set.Cols != 28 || len(s.set.Images) != s.n*28*28 {
			t.Errorf("%s: %d images of %dx%d in %d bytes; want %d of 28x28", s.name, s.set.Len(), s.set.Rows, s.set.Cols, len(s.set.Images), s.n)
		}
	}
	if train.Labels[0] != 5 || test.Labels[0] != 7 {
		t.Errorf("first labels: train %d, test %d; want 5 and 7", train.Labels[0], test.Labels[0])
	}
	// The least common digit in the training set is 5 (5421 images) and the
	// most common 1 (6742).
	var counts [10]int
	for _, l := range train.Labels {
		counts[l]++
	}
	for d, c := range counts {
		if c < 5000 || c > 7000 {
			t.Errorf("train: %d images of digit %d; want 5000 to 7000", c, d)
		}
	}
	// MNIST digits sit on a background of 0 and use the full range for ink.
	var hist [256]int
	for _, p := range train.Image(0) {
		hist[p]++
	}
	if hist[0] < 28*28/2 || hist[255] == 0 {
		t.Errorf("train image 0 has %d background and %d full-ink pixels; want a mostly 0 image with some 255", hist[0], hist[255])
	}
}

// BenchmarkLoad loads both sets from the gzipped files: 70000 images,
// 55 MB unpacked.
func BenchmarkLoad(b *testing.B) {
	dir, err := mnisttest.Dir()
	if err != nil {
		b.Skip(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, _, err := mnist.Load(dir); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(70000*b.N)/b.Elapsed().Seconds(), "images/s")
}

func TestFloat32(t *testing.T) {
	s := &mnist.Set{Rows: 1, Cols: 3, Images: []byte{0, 51, 255}, Labels: []byte{4}}
	got := s.Float32()
	if len(got) != 3 || got[0] != 0 || got[1] != 0.2 || got[2] != 1 {
		t.Errorf("Float32() = %v, want [0 0.2 1]", got)
	}
}
