package augment

import (
	"go/build"
	"math/rand/v2"
	"runtime"
	"slices"
	"testing"
)

// plainOne is a 1 as a single upright stroke.
var plainOne = drawDigit([]float64{14, 4, 14, 23})

// widestRun returns the longest run of pixels with half ink or more in the
// rows y0 to y1 of a 28×28 image.
func widestRun(img []float32, y0, y1 int) int {
	best := 0
	for y := y0; y < y1; y++ {
		run := 0
		for x := range 28 {
			if img[y*28+x] >= 0.5 {
				run++
				best = max(best, run)
			} else {
				run = 0
			}
		}
	}
	return best
}

func TestRestylerSerifs(t *testing.T) {
	serifs := NewRestyler(Style{Serifs: 1})
	// The input's field lays the digit out afresh, so the tests look for
	// the new strokes by their shape: a flag and a base make wide rows at
	// the top and the foot of a 1, a bar a wide row across a 7's stem.
	tests := []struct {
		name   string
		src    []float32
		label  int
		y0, y1 int // rows where a wide run must appear
	}{
		{"1's flag", plainOne, 1, 3, 10},
		{"1's base", plainOne, 1, 19, 25},
		{"7's bar", seven, 7, 11, 19},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dst := make([]float32, 28*28)
			serifs.Apply(dst, tt.src, tt.label, rand.New(rand.NewPCG(1, 2)))
			before, after := widestRun(tt.src, tt.y0, tt.y1), widestRun(dst, tt.y0, tt.y1)
			if after < before+3 {
				t.Errorf("widest run of ink in rows %d to %d: %d pixels before, %d after; want a new stroke there%s", tt.y0, tt.y1, before, after, show(dst, 28, 28))
			}
		})
	}
	// Other digits never get serifs.
	dst := make([]float32, 28*28)
	serifs.Apply(dst, seven, 4, rand.New(rand.NewPCG(1, 2)))
	if !slices.Equal(dst, seven) {
		t.Errorf("a 4 got serifs: %s", show(dst, 28, 28))
	}
}

func TestRestylerOff(t *testing.T) {
	src := randomImage(28, 28, 3)
	dst := make([]float32, len(src))
	NewRestyler(Style{Stroke: 1, Blur: 1, LowRes: 8, Gaps: 3, Serifs: 0}).Apply(dst, src, 1, rand.New(rand.NewPCG(1, 2)))
	if !slices.Equal(dst, src) {
		t.Error("with P = 0 and Serifs = 0, Apply changed the image")
	}
}

// TestRestylerChanges checks that every change leaves a digit to read: ink
// in range, and enough of it.
func TestRestylerChanges(t *testing.T) {
	for seed := range uint64(20) {
		for _, s := range []Style{
			{P: 1, Stroke: 1},
			{P: 1, Blur: 1.2},
			{P: 1, LowRes: 10},
			{P: 1, Gaps: 2},
			DefaultStyle(),
		} {
			dst := make([]float32, 28*28)
			NewRestyler(s).Apply(dst, seven, 7, rand.New(rand.NewPCG(seed, 1)))
			for i, v := range dst {
				if !(v >= 0 && v <= 1) {
					t.Fatalf("%+v seed %d: pixel %d is %v", s, seed, i, v)
				}
			}
			var ink float32
			for _, v := range dst {
				ink += v
			}
			if ink < 20 {
				t.Errorf("%+v seed %d: only %.1f ink left%s", s, seed, ink, show(dst, 28, 28))
			}
		}
	}
}

func TestRestylerSeed(t *testing.T) {
	r := NewRestyler(DefaultStyle())
	a, b := make([]float32, 28*28), make([]float32, 28*28)
	differ := 0
	for seed := range uint64(10) {
		r.Apply(a, seven, 7, rand.New(rand.NewPCG(seed, 9)))
		r.Apply(b, seven, 7, rand.New(rand.NewPCG(seed, 9)))
		if !slices.Equal(a, b) {
			t.Fatalf("seed %d: two calls differ", seed)
		}
		if !slices.Equal(a, seven) {
			differ++
		}
	}
	// Half the digits are restyled, and a third of the 7s barred.
	if differ < 3 || differ > 10 {
		t.Errorf("%d of 10 draws changed the 7, want about 6", differ)
	}
}

func TestNewRestylerPanics(t *testing.T) {
	for _, s := range []Style{{P: -1}, {P: 1.5}, {Serifs: 2}, {LowRes: 3}, {LowRes: 28}, {Gaps: -1}, {Blur: -0.5}} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("NewRestyler(%+v) did not panic", s)
				}
			}()
			NewRestyler(s)
		}()
	}
}

// TestNoOutOfDistributionCheck keeps training and its check apart: what
// the check measures must be what the network was not taught.
func TestNoOutOfDistributionCheck(t *testing.T) {
	if runtime.GOOS == "js" {
		t.Skip("go/build reads the source tree, which is the host's")
	}
	pkg, err := build.ImportDir(".", 0)
	if err != nil {
		t.Fatal(err)
	}
	if slices.Contains(pkg.Imports, "github.com/tegaki/tegaki/nn/ood") {
		t.Error("package augment imports nn/ood: training would learn the check's degradations")
	}
}
