package number

import (
	"flag"
	"image"
	"math/rand/v2"
	"testing"

	"github.com/tegaki/tegaki/nn/digit"
	"github.com/tegaki/tegaki/nn/number/compose"
)

var (
	tune       = flag.Bool("tune", false, "search the weights of the split on validation numbers")
	verbose    = flag.Bool("misread", false, "log the numbers misread")
	oracleTest = flag.Bool("oracle-test", false, "TestOracle on test digits: a bound, which chooses nothing")
)

// TestTuneStrokes searches the weights of the split of a drawing on
// numbers composed of MNIST validation digits, never test digits. It runs
// with -tune only.
func TestTuneStrokes(t *testing.T) {
	if !*tune {
		t.Skip("run with -tune")
	}
	val, _ := sets(t)
	r := newReader(t)
	maxCache = 1 << 20
	type number struct {
		digits string
		run    func() (Reading, error)
	}
	var nums []number
	for _, opt := range []compose.Options{compose.Separated, compose.Touching} {
		rng := rand.New(rand.NewPCG(2026, 1))
		for range 300 {
			n := compose.Write(rng, val, opt)
			d := drawing(n)
			nums = append(nums, number{n.Digits, func() (Reading, error) { return r.ReadStrokes(d, n.Pen) }})
		}
	}
	best := 0.0
	for _, g := range []float64{2} {
		for _, o := range []float64{1, 2, 3, 4} {
			for _, b := range []float64{0.25, 0.5, 0.75, 1} {
				for _, a := range []float64{0.25} {
					{
						gapWeight, overlapWeight, digitBonus, aspectWeight = g, o, b, a
						var right [2]int
						for i, n := range nums {
							if got, err := n.run(); err == nil && got.Number == n.digits {
								right[i/300]++
							}
						}
						acc := float64(right[0]+right[1]) / 600
						if acc >= best {
							best = acc
							t.Logf("gap %v overlap %v bonus %v aspect %v: separated %d, touching %d of 300", g, o, b, a, right[0], right[1])
						}
					}
				}
			}
		}
	}
}

// TestOracle reads composed numbers with the split known, which bounds
// what any split can reach.
func TestOracle(t *testing.T) {
	if !*tune {
		t.Skip("run with -tune")
	}
	val, test := sets(t)
	if *oracleTest {
		val = test
	}
	r := newReader(t)
	for _, opt := range []compose.Options{compose.Separated, compose.Touching} {
		rng := rand.New(rand.NewPCG(2026, 1))
		right, digits, digitsRight := 0, 0, 0
		for range 300 {
			n := compose.Write(rng, val, opt)
			d := drawing(n)
			groups := make([][]digit.Stroke, len(n.Digits))
			for i, s := range d {
				groups[n.Of[i]] = append(groups[n.Of[i]], s)
			}
			ok := true
			for i, g := range groups {
				in, err := digit.FromStrokes(g, n.Pen)
				digits++
				if err == nil && r.p.Predict(in).Digit == int(n.Digits[i]-'0') {
					digitsRight++
				} else {
					ok = false
				}
			}
			if ok {
				right++
			}
		}
		t.Logf("oracle: %d of 300 numbers, %d of %d digits", right, digitsRight, digits)
	}
}

// TestTuneImages searches the weights of the split of a picture on
// numbers composed of MNIST validation digits. It runs with -tune only.
func TestTuneImages(t *testing.T) {
	if !*tune {
		t.Skip("run with -tune")
	}
	val, _ := sets(t)
	r := newReader(t)
	maxCache = 1 << 20
	type number struct {
		digits string
		pic    *image.Gray
	}
	var nums []number
	for _, opt := range []compose.Options{compose.Separated, compose.Touching} {
		rng := rand.New(rand.NewPCG(7, 7))
		for range 150 {
			n := compose.Write(rng, val, opt)
			nums = append(nums, number{n.Digits, n.Picture})
		}
	}
	best := 0.0
	for _, b := range []float64{0.5, 1, 1.5} {
		for _, a := range []float64{0.25, 0.5} {
			for _, o := range []float64{0.5, 1, 2} {
				for _, c := range []float64{0.5, 1, 1.5} {
					imageBonus, imageAspect, imageOverlap, cutWeight = b, a, o, c
					var right [2]int
					for i, n := range nums {
						if got, err := r.ReadImage(n.pic); err == nil && got.Number == n.digits {
							right[i/150]++
						}
					}
					if acc := float64(right[0]+right[1]) / 300; acc >= best {
						best = acc
						t.Logf("bonus %v aspect %v overlap %v cut %v: separated %d, touching %d of 150", b, a, o, c, right[0], right[1])
					}
				}
			}
		}
	}
}
