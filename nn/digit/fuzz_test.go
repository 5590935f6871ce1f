package digit

import (
	"image"
	"image/color"
	"testing"
)

// fuzzImage makes an image from fuzz bytes: b[0] picks the pixel type, b[1]
// and b[2] the width and height (1 to 64), and the rest, repeated as
// needed, are the pixel bytes. It returns nil if b is too short.
func fuzzImage(b []byte) image.Image {
	if len(b) < 4 {
		return nil
	}
	kind, w, h, pix := b[0]%5, 1+int(b[1])%64, 1+int(b[2])%64, b[3:]
	r := image.Rect(0, 0, w, h)
	fill := func(dst []byte) {
		for i := range dst {
			dst[i] = pix[i%len(pix)]
		}
	}
	switch kind {
	case 0:
		m := image.NewGray(r)
		fill(m.Pix)
		return m
	case 1:
		m := image.NewNRGBA(r)
		fill(m.Pix)
		return m
	case 2:
		m := image.NewRGBA(r) // possibly invalid premultiplied colours
		fill(m.Pix)
		return m
	case 3:
		m := image.NewPaletted(r, color.Palette{color.White, color.Black, color.Transparent, color.Gray{128}})
		fill(m.Pix) // most indices are beyond the palette
		return m
	default:
		m := image.NewGray16(r)
		fill(m.Pix)
		return m
	}
}

// FuzzFromImage feeds arbitrary pixels of several types to FromImage, which
// file decoding rarely reaches with arbitrary content (PNG's checksums stop
// most mutations). The seeds in testdata/fuzz/FuzzFromImage are a digit of
// each type, a blank image and noise.
func FuzzFromImage(f *testing.F) {
	f.Fuzz(func(t *testing.T, b []byte) {
		img := fuzzImage(b)
		if img == nil {
			return
		}
		in, err := FromImage(img)
		checkInput(t, in, err)
	})
}

// FuzzFromStrokes feeds arbitrary drawings to FromStrokes: b[0] is the pen
// width, then each pair of bytes is a point (x, y) in [-128, 127], and a
// point (-128, -128) ends a stroke.
func FuzzFromStrokes(f *testing.F) {
	f.Fuzz(func(t *testing.T, b []byte) {
		if len(b) < 1 {
			return
		}
		width := float64(b[0]) / 8
		strokes := []Stroke{nil}
		for i := 1; i+1 < len(b); i += 2 {
			x, y := int8(b[i]), int8(b[i+1])
			if x == -128 && y == -128 {
				strokes = append(strokes, nil)
				continue
			}
			strokes[len(strokes)-1] = append(strokes[len(strokes)-1], Point{float64(x), float64(y)})
		}
		in, err := FromStrokes(strokes, width)
		checkInput(t, in, err)
	})
}

// checkInput fails if FromImage or FromStrokes returned both or neither of
// an input and an error, or an input with a value outside [0, 1].
func checkInput(t *testing.T, in *Input, err error) {
	t.Helper()
	if (in == nil) == (err == nil) {
		t.Fatalf("returned input %v and error %v: want exactly one", in != nil, err)
	}
	if in == nil {
		return
	}
	for i, v := range in {
		if !(v >= 0 && v <= 1) {
			t.Fatalf("value %d is %v, outside [0, 1]", i, v)
		}
	}
}
