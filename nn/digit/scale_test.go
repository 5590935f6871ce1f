package digit

import (
	"image"
	"math"
	"math/rand/v2"
	"testing"

	"golang.org/x/image/draw"
)

// TestScaleGrayMatchesDraw checks that scaleGray computes what x/image/draw's
// CatmullRom.Scale computes into a Gray16, bit for bit, on random sparse and
// dense images with origins other than zero, over random source
// rectangles, shrunk a lot or a little, enlarged, and with sides of one
// pixel.
func TestScaleGrayMatchesDraw(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	side := func() int {
		switch rng.IntN(8) {
		case 0:
			return 1
		case 1:
			return 1 + rng.IntN(4)
		case 2:
			return 100 + rng.IntN(400)
		}
		return 1 + rng.IntN(100)
	}
	for i := range 2000 {
		w, h := side(), side()
		if i%50 == 0 {
			w = 1000 + rng.IntN(2000) // shrunk by up to a few hundred times
		}
		if i%100 == 0 {
			h = 1000 + rng.IntN(1000) // a photo
		}
		ox, oy := rng.IntN(41)-20, rng.IntN(41)-20
		src := image.NewGray(image.Rect(ox, oy, ox+w, oy+h))
		density := []float64{0, 0.01, 0.1, 0.5, 1}[rng.IntN(5)]
		for j := range src.Pix {
			if rng.Float64() < density {
				src.Pix[j] = uint8(1 + rng.IntN(255))
			}
		}
		if rng.IntN(3) == 0 {
			// A stroke: one long run of full ink per row, as drawings have.
			for y := range h {
				x0 := rng.IntN(w)
				for x := x0; x < min(w, x0+10); x++ {
					src.Pix[y*w+x] = 255
				}
			}
		}
		// A random rectangle of src, or all of it.
		sr := src.Rect
		if i%3 != 0 {
			x0, y0 := rng.IntN(w), rng.IntN(h)
			x1, y1 := x0+1+rng.IntN(w-x0), y0+1+rng.IntN(h-y0)
			sr = image.Rect(ox+x0, oy+y0, ox+x1, oy+y1)
		}
		dw, dh := side()%130, side()%130
		dw, dh = max(dw, 1), max(dh, 1)
		if i%4 == 0 {
			dw, dh = fitWork(sr.Dx(), sr.Dy()) // as scaleInk does
		}
		// dst holds dr with room around it, and an origin other than zero.
		mx, my := rng.IntN(5), rng.IntN(5)
		dr := image.Rect(3+mx, -2+my, 3+mx+dw, -2+my+dh)
		want := image.NewGray16(image.Rect(3, -2, dr.Max.X+rng.IntN(5), dr.Max.Y+rng.IntN(5)))
		draw.CatmullRom.Scale(want, dr, src, sr, draw.Src, nil)

		stride := want.Rect.Dx()
		got := make([]float32, stride*want.Rect.Dy())
		for j := range got {
			got[j] = float32(math.NaN()) // every pixel of dr must be written
		}
		off := (dr.Min.Y-want.Rect.Min.Y)*stride + dr.Min.X - want.Rect.Min.X
		scaleGray(got[off:], stride, src.Pix, src.Stride, sr.Sub(src.Rect.Min), dw, dh)
		for y := dr.Min.Y; y < dr.Max.Y; y++ {
			for x := dr.Min.X; x < dr.Max.X; x++ {
				v := float32(want.Gray16At(x, y).Y) / 0xffff
				g := got[(y-want.Rect.Min.Y)*stride+x-want.Rect.Min.X]
				if math.Float32bits(g) != math.Float32bits(v) {
					t.Fatalf("case %d (%v of %v, density %v, to %d×%d): pixel (%d, %d) = %v, want %v",
						i, sr, src.Rect, density, dw, dh, x-dr.Min.X, y-dr.Min.Y, g, v)
				}
			}
		}
	}
}

// TestCatmullRom checks the copy of the kernel against x/image/draw's.
func TestCatmullRom(t *testing.T) {
	if catmullRomSupport != draw.CatmullRom.Support {
		t.Fatalf("support %v, want %v", catmullRomSupport, draw.CatmullRom.Support)
	}
	rng := rand.New(rand.NewPCG(9, 10))
	for i := range 100000 {
		x := float64(i) / 100000 * catmullRomSupport
		if i%2 == 1 {
			x = rng.Float64() * catmullRomSupport
		}
		if got, want := catmullRom(x), draw.CatmullRom.At(x); math.Float64bits(got) != math.Float64bits(want) {
			t.Fatalf("catmullRom(%v) = %v, want %v", x, got, want)
		}
	}
}

// BenchmarkScaleGray compares scaleGray with x/image/draw on a 12-megapixel
// photo's ink, as FromImage scales it.
func BenchmarkScaleGray(b *testing.B) {
	img := paintLarge()
	g, w, h, err := grey(img)
	if err != nil {
		b.Fatal(err)
	}
	if err := inkMap(g, w, h); err != nil {
		b.Fatal(err)
	}
	r, err := inkBox(g, w, h)
	if err != nil {
		b.Fatal(err)
	}
	iw, ih := fitWork(r.Dx(), r.Dy())
	b.Run("draw", func(b *testing.B) {
		src := &image.Gray{Pix: g, Stride: w, Rect: image.Rect(0, 0, w, h)}
		for b.Loop() {
			dst := image.NewGray16(image.Rect(0, 0, iw+2*margin, ih+2*margin))
			draw.CatmullRom.Scale(dst, image.Rect(margin, margin, margin+iw, margin+ih), src, r, draw.Src, nil)
		}
	})
	b.Run("scaleGray", func(b *testing.B) {
		for b.Loop() {
			scaleInk(g, w, r)
		}
	})
}
