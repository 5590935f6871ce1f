package digit

import (
	"bytes"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"image"
	"image/color"
	"io"
	"math/rand/v2"
	"testing"
)

// pngHeader returns the start of a PNG file: the signature and an IHDR
// chunk for a w×h 8-bit grey image, and no pixels.
func pngHeader(w, h uint32) []byte {
	b := []byte("\x89PNG\r\n\x1a\n")
	ihdr := binary.BigEndian.AppendUint32([]byte("IHDR"), w)
	ihdr = binary.BigEndian.AppendUint32(ihdr, h)
	ihdr = append(ihdr, 8, 0, 0, 0, 0) // depth 8, grey, deflate, no filter, no interlace
	b = binary.BigEndian.AppendUint32(b, 13)
	b = append(b, ihdr...)
	return binary.BigEndian.AppendUint32(b, crc32.ChecksumIEEE(ihdr))
}

// gifHeader returns the start of a GIF file with a w×h logical screen and
// a w×h image descriptor, and no pixels.
func gifHeader(w, h uint16) []byte {
	b := []byte("GIF89a")
	b = binary.LittleEndian.AppendUint16(b, w)
	b = binary.LittleEndian.AppendUint16(b, h)
	b = append(b, 0x80, 0, 0)             // global colour table of 2 entries
	b = append(b, 0, 0, 0, 255, 255, 255) // black, white
	b = append(b, ',', 0, 0, 0, 0)        // image descriptor at (0, 0)
	b = binary.LittleEndian.AppendUint16(b, w)
	b = binary.LittleEndian.AppendUint16(b, h)
	return append(b, 0)
}

// bmpHeader returns the headers of a w×h 24-bit BMP file, and no pixels.
func bmpHeader(w, h int32) []byte {
	b := []byte("BM")
	b = binary.LittleEndian.AppendUint32(b, 0) // file size: unchecked
	b = binary.LittleEndian.AppendUint32(b, 0)
	b = binary.LittleEndian.AppendUint32(b, 14+40)
	b = binary.LittleEndian.AppendUint32(b, 40)
	b = binary.LittleEndian.AppendUint32(b, uint32(w))
	b = binary.LittleEndian.AppendUint32(b, uint32(h))
	b = binary.LittleEndian.AppendUint16(b, 1)  // planes
	b = binary.LittleEndian.AppendUint16(b, 24) // bits per pixel
	return append(b, make([]byte, 24)...)
}

// countingReader counts the bytes read through it.
type countingReader struct {
	r io.Reader
	n int
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += n
	return n, err
}

// Images over the limits are refused from their header, before any pixel
// is decoded: the files here have no pixels, so decoding them would fail
// with a different error.
func TestDecodeTooLarge(t *testing.T) {
	for _, tt := range []struct {
		name string
		file []byte
	}{
		{"PNG 9000×10", pngHeader(9000, 10)},
		{"PNG 10×9000", pngHeader(10, 9000)},
		{"PNG 8000×8000", pngHeader(8000, 8000)},
		{"PNG 9000×9000", pngHeader(9000, 9000)},
		{"GIF 60000×2", gifHeader(60000, 2)},
		{"GIF 7000×7000", gifHeader(7000, 7000)},
		{"BMP 9000×10", bmpHeader(9000, 10)},
		{"BMP 8000×-8000", bmpHeader(8000, -8000)}, // top-down
	} {
		t.Run(tt.name, func(t *testing.T) {
			r := &countingReader{r: bytes.NewReader(tt.file)}
			_, err := FromReader(r)
			if !errors.Is(err, ErrTooLarge) {
				t.Fatalf("FromReader = %v, want an error wrapping ErrTooLarge", err)
			}
			t.Logf("%v (read %d bytes)", err, r.n)
		})
	}
}

// Images just within the limits are decoded.
func TestDecodeLimits(t *testing.T) {
	if testing.Short() {
		t.Skip("decodes a 40-megapixel image")
	}
	m := image.NewGray(image.Rect(0, 0, MaxSide, MaxPixels/MaxSide))
	b := encode(t, "png", m)
	img, err := Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("Decode of a %v image: %v", m.Rect.Size(), err)
	}
	if img.Bounds() != m.Rect {
		t.Errorf("Decode: bounds %v, want %v", img.Bounds(), m.Rect)
	}
	if _, err := FromImage(img); !errors.Is(err, ErrNoInk) {
		t.Errorf("FromImage(black %v) = %v, want ErrNoInk", m.Rect.Size(), err)
	}
}

// Damaged and foreign files are errors, never panics.
func TestDecodeCorrupt(t *testing.T) {
	good := map[string][]byte{}
	img := paint(64, 64, scale(seven, 64.0/280), 6, 0, 255)
	for _, f := range []string{"png", "jpeg", "gif", "bmp"} {
		good[f] = encode(t, f, img)
	}
	var cases []struct {
		name string
		file []byte
	}
	add := func(name string, b []byte) {
		cases = append(cases, struct {
			name string
			file []byte
		}{name, b})
	}
	add("empty", nil)
	add("text", []byte("this is not an image\n"))
	add("PNG signature only", []byte("\x89PNG\r\n\x1a\n"))
	add("PNG header, no pixels", pngHeader(64, 64))
	add("PNG header, zero size", pngHeader(0, 0))
	add("GIF header, no pixels", gifHeader(64, 64))
	add("BMP header, no pixels", bmpHeader(64, 64))
	add("BMP header, zero size", bmpHeader(0, 0))
	rng := rand.New(rand.NewPCG(3, 4))
	for f, b := range good {
		add(f+" truncated", b[:len(b)/2])
		add(f+" header only", b[:min(len(b), 40)])
		for i := range 5 {
			c := bytes.Clone(b)
			for range 1 + i*3 {
				c[rng.IntN(len(c))] ^= byte(1 + rng.IntN(255))
			}
			add(f+" flipped", c)
		}
	}
	for _, tt := range cases {
		t.Run(tt.name, func(t *testing.T) {
			in, err := FromReader(bytes.NewReader(tt.file))
			if err == nil && in == nil {
				t.Fatal("FromReader returned neither an input nor an error")
			}
		})
	}
	// The damage above must not be silently accepted where it is fatal.
	for _, name := range []string{"empty", "text", "PNG header, no pixels", "png truncated"} {
		for _, tt := range cases {
			if tt.name == name {
				if _, err := FromReader(bytes.NewReader(tt.file)); err == nil {
					t.Errorf("%s: FromReader succeeded", name)
				}
			}
		}
	}
}

func TestDecodeFormats(t *testing.T) {
	img := paint(64, 64, scale(four, 64.0/280), 6, 0, 255)
	want, err := FromImage(img)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"png", "jpeg", "gif", "bmp"} {
		t.Run(f, func(t *testing.T) {
			got, err := FromReader(bytes.NewReader(encode(t, f, img)))
			if err != nil {
				t.Fatal(err)
			}
			if d := diff(want, got); d > 0.05 {
				t.Errorf("differs from the original by %.4f, want under 0.05", d)
			}
		})
	}
}

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
