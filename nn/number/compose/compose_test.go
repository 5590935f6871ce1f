package compose

import (
	"math/rand/v2"
	"testing"

	"github.com/tegaki/tegaki/nn/mnist/mnisttest"
)

// TestWrite checks that a written number has the digits it says, each
// where it says, inside the picture, with strokes for every digit, and
// that the options' gaps set the space between neighbours.
func TestWrite(t *testing.T) {
	_, test, err := mnisttest.Load()
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name  string
		opt   Options
		apart bool
	}{{"separated", Separated, true}, {"touching", Touching, false}} {
		rng := rand.New(rand.NewPCG(1, 2))
		overlaps := 0
		for range 50 {
			n := Write(rng, test, tc.opt)
			if len(n.Digits) < tc.opt.MinDigits || len(n.Digits) > tc.opt.MaxDigits || len(n.Boxes) != len(n.Digits) {
				t.Fatalf("%s: %q with %d boxes", tc.name, n.Digits, len(n.Boxes))
			}
			seen := make([]bool, len(n.Digits))
			for i, s := range n.Strokes {
				seen[n.Of[i]] = true
				for _, p := range s {
					if !(p.X >= 0 && p.Y >= 0 && p.X <= float64(n.Picture.Rect.Dx()) && p.Y <= float64(n.Picture.Rect.Dy())) {
						t.Fatalf("%s: stroke point %v outside the %v picture", tc.name, p, n.Picture.Rect)
					}
				}
			}
			for i, b := range n.Boxes {
				if !seen[i] || !b.In(n.Picture.Rect) || b.Empty() {
					t.Fatalf("%s: digit %d has box %v in %v, strokes %v", tc.name, i, b, n.Picture.Rect, seen[i])
				}
				if i == 0 {
					continue
				}
				overlap := b.Min.X < n.Boxes[i-1].Max.X
				if tc.apart && overlap {
					t.Fatalf("%s: digits %d and %d overlap: %v %v", tc.name, i-1, i, n.Boxes[i-1], b)
				}
				if overlap {
					overlaps++
				}
			}
		}
		if !tc.apart && overlaps == 0 {
			t.Errorf("%s: no neighbours overlap", tc.name)
		}
	}
}
