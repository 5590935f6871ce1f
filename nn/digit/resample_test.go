package digit

import (
	"image"
	"math/rand/v2"
	"testing"

	"golang.org/x/image/draw"
	"golang.org/x/image/math/f64"
)

// TestResamplerMatchesDraw checks that a resampler draws what x/image/draw's
// CatmullRom.Transform draws, byte for byte, on random sparse and dense
// images, shrunk and enlarged, inside the field and partly or wholly
// outside it.
func TestResamplerMatchesDraw(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	for i := range 2000 {
		w, h := 1+rng.IntN(130), 1+rng.IntN(130)
		src := image.NewGray(image.Rect(0, 0, w, h))
		density := []float64{0, 0.05, 0.3, 1}[i%4]
		for j := range src.Pix {
			if rng.Float64() < density {
				src.Pix[j] = uint8(1 + rng.IntN(255))
			}
		}
		if i%8 == 1 {
			// A stroke: one long run per row, as drawings have.
			for y := range h {
				x0 := rng.IntN(w)
				for x := x0; x < min(w, x0+10); x++ {
					src.Pix[y*w+x] = 255
				}
			}
		}
		s := 0.05 + rng.Float64()*(float64(Size)/float64(max(w, h))) // most of the image in the field
		if i%5 == 0 {
			s = 0.2 + 2*rng.Float64() // also enlarged
		}
		tx := Size/2 - s*float64(w)/2 + (rng.Float64()-0.5)*Size
		ty := Size/2 - s*float64(h)/2 + (rng.Float64()-0.5)*Size
		if i%7 == 0 {
			tx += 3 * Size // outside the field
		}

		want := image.NewRGBA(image.Rect(0, 0, Size, Size))
		draw.CatmullRom.Transform(want, f64.Aff3{s, 0, tx, 0, s, ty}, src, src.Bounds(), draw.Src, nil)
		var got [Size * Size]uint8
		newResampler(src.Pix, w, h).transform(&got, s, tx, ty)
		for j, v := range got {
			if v != want.Pix[4*j] {
				t.Fatalf("case %d (%d×%d, scale %v, move %v, %v): pixel (%d, %d) = %d, want %d",
					i, w, h, s, tx, ty, j%Size, j/Size, v, want.Pix[4*j])
			}
		}
	}
}

// BenchmarkResampler compares the resampler with x/image/draw on the
// working canvas of BenchmarkFromStrokes.
func BenchmarkResampler(b *testing.B) {
	c := strokesCanvas(b, seven, 18)
	src := image.NewGray(image.Rect(0, 0, c.w, c.h))
	for i, v := range c.v {
		src.Pix[i] = uint8(float32(v*255) + 0.5)
	}
	s, tx, ty := 0.25, 1.5, 0.5
	b.Run("draw", func(b *testing.B) {
		dst := image.NewRGBA(image.Rect(0, 0, Size, Size))
		for b.Loop() {
			draw.CatmullRom.Transform(dst, f64.Aff3{s, 0, tx, 0, s, ty}, src, src.Bounds(), draw.Src, nil)
		}
	})
	b.Run("resampler", func(b *testing.B) {
		var dst [Size * Size]uint8
		for b.Loop() {
			newResampler(src.Pix, c.w, c.h).transform(&dst, s, tx, ty)
		}
	})
}

// strokesCanvas returns the working canvas of the strokes, as FromStrokes
// draws it.
func strokesCanvas(tb testing.TB, strokes []Stroke, width float64) *canvas {
	tb.Helper()
	c, err := drawStrokes(strokes, width)
	if err != nil {
		tb.Fatal(err)
	}
	return c
}
