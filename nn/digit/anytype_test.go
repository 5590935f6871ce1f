package digit

import (
	"errors"
	"image"
	"image/color"
	"testing"
)

// nilImage is an image whose At returns nil, which image.Image allows.
type nilImage struct{ image.Rectangle }

func (m nilImage) ColorModel() color.Model { return color.RGBAModel }
func (m nilImage) Bounds() image.Rectangle { return m.Rectangle }
func (nilImage) At(x, y int) color.Color   { return nil }

// FromImage takes any image.Image; odd ones are errors or inputs, never
// panics.
func TestFromImageAnyType(t *testing.T) {
	r := image.Rect(0, 0, 40, 40)
	ink := paint(40, 40, scale(seven, 40.0/280), 4, 0, 255)
	fill := func(set func(x, y int, v uint8)) {
		for y := range 40 {
			for x := range 40 {
				set(x, y, ink.Pix[y*40+x])
			}
		}
	}
	gray16 := image.NewGray16(r)
	fill(func(x, y int, v uint8) { gray16.SetGray16(x, y, color.Gray16{uint16(v) * 0x101}) })
	cmyk := image.NewCMYK(r)
	fill(func(x, y int, v uint8) { cmyk.Set(x, y, color.Gray{v}) })
	rgba64 := image.NewRGBA64(r)
	fill(func(x, y int, v uint8) { rgba64.Set(x, y, color.Gray{v}) })
	nrgba64 := image.NewNRGBA64(r)
	fill(func(x, y int, v uint8) { nrgba64.Set(x, y, color.NRGBA64{0, 0, 0, uint16(255-v) * 0x101}) })
	alpha := image.NewAlpha(r)
	fill(func(x, y int, v uint8) { alpha.SetAlpha(x, y, color.Alpha{255 - v}) })
	alpha16 := image.NewAlpha16(r)
	fill(func(x, y int, v uint8) { alpha16.SetAlpha16(x, y, color.Alpha16{uint16(255-v) * 0x101}) })
	paletted := image.NewPaletted(r, color.Palette{color.White, color.Black})
	fill(func(x, y int, v uint8) { paletted.SetColorIndex(x, y, uint8(1-int(v)/128)) })
	shortPalette := image.NewPaletted(r, color.Palette{color.White})
	fill(func(x, y int, v uint8) { shortPalette.SetColorIndex(x, y, uint8(200*(1-int(v)/128))) })
	nilPalette := image.NewPaletted(r, color.Palette{color.White, nil})
	fill(func(x, y int, v uint8) { nilPalette.SetColorIndex(x, y, uint8(1-int(v)/128)) })
	emptyPalette := image.NewPaletted(r, nil)
	fill(func(x, y int, v uint8) { emptyPalette.SetColorIndex(x, y, uint8(1-int(v)/128)) })
	var ycbcr []image.Image
	for _, s := range []image.YCbCrSubsampleRatio{image.YCbCrSubsampleRatio444, image.YCbCrSubsampleRatio422,
		image.YCbCrSubsampleRatio420, image.YCbCrSubsampleRatio440, image.YCbCrSubsampleRatio411, image.YCbCrSubsampleRatio410} {
		m := image.NewYCbCr(image.Rect(3, 5, 43, 45), s)
		for y := range 40 {
			copy(m.Y[m.YOffset(3, y+5):], ink.Pix[y*40:(y+1)*40])
		}
		ycbcr = append(ycbcr, m)
	}
	nycbcra := image.NewNYCbCrA(r, image.YCbCrSubsampleRatio420)
	for i := range nycbcra.A {
		nycbcra.A[i] = 255 - ink.Pix[i]
	}
	line := func(w, h int) *image.Gray {
		m := image.NewGray(image.Rect(0, 0, w, h))
		for i := range m.Pix {
			m.Pix[i] = 255
			if i%(w*h/3+1) > w*h/5 {
				m.Pix[i] = 0
			}
		}
		return m
	}
	for _, tt := range []struct {
		name string
		img  image.Image
		ok   bool // whether a digit should be found
	}{
		{"Gray16", gray16, true},
		{"CMYK", cmyk, true},
		{"RGBA64", rgba64, true},
		{"NRGBA64 with alpha", nrgba64, true},
		{"Alpha", alpha, true},
		{"Alpha16", alpha16, true},
		{"Paletted", paletted, true},
		{"Paletted, index beyond palette", shortPalette, false},
		{"Paletted, nil colour", nilPalette, false},
		{"Paletted, no palette", emptyPalette, false},
		{"YCbCr 4:4:4", ycbcr[0], true},
		{"YCbCr 4:2:2", ycbcr[1], true},
		{"YCbCr 4:2:0", ycbcr[2], true},
		{"YCbCr 4:4:0", ycbcr[3], true},
		{"YCbCr 4:1:1", ycbcr[4], true},
		{"YCbCr 4:1:0", ycbcr[5], true},
		{"NYCbCrA", nycbcra, true},
		{"NRGBA, alpha 0 everywhere", image.NewNRGBA(r), false},
		{"zero size", image.NewRGBA(image.Rect(5, 5, 5, 5)), false},
		{"negative size", &image.Gray{Rect: image.Rectangle{Min: image.Pt(5, 5)}}, false},
		{"too few pixels", &image.Gray{Rect: r, Pix: make([]uint8, 10), Stride: 40}, false},
		{"too few pixels, RGBA", &image.RGBA{Rect: r, Pix: make([]uint8, 10), Stride: 160}, false},
		{"negative stride", &image.Gray{Rect: r, Pix: make([]uint8, 1600), Stride: -40}, false},
		{"too few Y", &image.YCbCr{Rect: r, Y: make([]uint8, 10), YStride: 40}, false},
		{"1×1 NRGBA", image.NewNRGBA(image.Rect(0, 0, 1, 1)), false},
		{"1×5000", line(1, 5000), true},
		{"5000×1", line(5000, 1), true},
		{"2×1", line(2, 1), false},
		{"Uniform", image.NewUniform(color.Black), false},
		{"nil colours", nilImage{r}, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			in, err := FromImage(tt.img)
			if tt.ok && err != nil {
				t.Errorf("FromImage: %v", err)
			}
			if err == nil && in == nil {
				t.Error("FromImage returned neither an input nor an error")
			}
			if err != nil && !errors.Is(err, ErrNoInk) && !errors.Is(err, ErrTooLarge) && err != errMalformed {
				t.Errorf("FromImage: %v, want ErrNoInk or ErrTooLarge", err)
			}
		})
	}
}
