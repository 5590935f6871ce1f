package digit

import (
	"image"
	"testing"
)

func benchmarkFromImage(b *testing.B, img image.Image) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := FromImage(img); err != nil {
			b.Fatal(err)
		}
	}
}

// A canvas snapshot: 280×280, black on white.
func BenchmarkFromImage280(b *testing.B) {
	benchmarkFromImage(b, paint(280, 280, seven, 18, 0, 255))
}

// The same canvas with a transparent background, as RGBA.
func BenchmarkFromImage280Alpha(b *testing.B) {
	img := inkAlpha(paint(280, 280, seven, 18, 0, 255))
	rgba := image.NewRGBA(img.Rect)
	for i := 0; i < len(img.Pix); i += 4 {
		rgba.Pix[i+3] = img.Pix[i+3] // black: the colour premultiplied is 0
	}
	benchmarkFromImage(b, rgba)
}

// A 12-megapixel phone photo.
func BenchmarkFromImage4000(b *testing.B) {
	benchmarkFromImage(b, paintLarge())
}

func BenchmarkFromStrokes(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := FromStrokes(seven, 18); err != nil {
			b.Fatal(err)
		}
	}
}
