package digit

import (
	"math/rand/v2"
	"slices"
	"testing"
)

// morphDisc is morph by its definition: for each pixel, the extremum over
// every pixel of the disc, with background outside the canvas.
func morphDisc(c *canvas, r int, dilate bool) []float32 {
	out := make([]float32, len(c.v))
	for y := range c.h {
		for x := range c.w {
			best := c.v[y*c.w+x]
			for dy := -r; dy <= r; dy++ {
				for dx := -r; dx <= r; dx++ {
					if dx*dx+dy*dy > r*r {
						continue
					}
					v := float32(0)
					if nx, ny := x+dx, y+dy; nx >= 0 && ny >= 0 && nx < c.w && ny < c.h {
						v = c.v[ny*c.w+nx]
					}
					if dilate {
						best = max(best, v)
					} else {
						best = min(best, v)
					}
				}
			}
			out[y*c.w+x] = best
		}
	}
	return out
}

// TestMorph checks morph against its definition on random canvases, with
// ink up to the edges, for both operations and the radii input uses.
func TestMorph(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	for i := range 60 {
		c := &canvas{w: 1 + rng.IntN(40), h: 1 + rng.IntN(40)}
		c.v = make([]float32, c.w*c.h)
		for j := range c.v {
			switch rng.IntN(3) {
			case 0:
				c.v[j] = 1
			case 1:
				c.v[j] = rng.Float32()
			}
		}
		r, dilate := i%(margin-3), i%2 == 0
		want := morphDisc(c, r, dilate)
		c.morph(r, dilate)
		if !slices.Equal(c.v, want) {
			t.Fatalf("case %d: %d×%d, r %d, dilate %v: morph differs from its definition", i, c.w, c.h, r, dilate)
		}
	}
}
