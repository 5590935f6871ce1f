package main

import (
	"bytes"
	"image"
	"image/png"
	"math"
	"testing"
)

func TestIcons(t *testing.T) {
	for _, spec := range icons {
		t.Run(spec.name, func(t *testing.T) {
			b, err := encodeIcon(spec)
			if err != nil {
				t.Fatal(err)
			}
			img, err := png.Decode(bytes.NewReader(b))
			if err != nil {
				t.Fatal(err)
			}
			if got := img.Bounds(); got != image.Rect(0, 0, spec.size, spec.size) {
				t.Fatalf("bounds %v, want %dx%d", got, spec.size, spec.size)
			}
			s := spec.size
			// Corners: transparent on a rounded tile, the tile's colour on a
			// maskable one, which the launcher crops.
			_, _, _, a := img.At(0, 0).RGBA()
			if spec.maskable != (a == 0xffff) || (!spec.maskable && a != 0) {
				t.Errorf("corner alpha %#x (maskable %v)", a, spec.maskable)
			}
			// Some ink, and all of it inside the area a launcher keeps:
			// the circle of 80% diameter for a maskable icon.
			ink := 0
			for y := range s {
				for x := range s {
					r, g, b, _ := img.At(x, y).RGBA()
					if r < 0xf000 || g < 0xf000 || b < 0xf000 {
						continue // tile or anti-aliasing
					}
					ink++
					if d := math.Hypot(float64(x)+0.5-float64(s)/2, float64(y)+0.5-float64(s)/2); spec.maskable && d > 0.4*float64(s) {
						t.Errorf("ink at (%d, %d), outside the maskable safe zone", x, y)
						return
					}
				}
			}
			// The stroke covers a few percent of the icon, not none or all.
			if f := float64(ink) / float64(s*s); f < 0.03 || f > 0.3 {
				t.Errorf("ink covers %.1f%% of the icon", 100*f)
			}
		})
	}
}

// A stroke is one connected shape: its pixels, with the pen's width, leave
// no gap between the flattened points, however the segments are oriented.
func TestStrokePolyline(t *testing.T) {
	dst := image.NewAlpha(image.Rect(0, 0, 40, 40))
	strokePolyline(dst, []pt{{5, 5}, {35, 5}, {35, 35}, {5, 20}}, 3)
	for _, p := range []image.Point{{20, 5}, {35, 20}, {20, 27}, {5, 5}, {5, 20}} {
		if a := dst.AlphaAt(p.X, p.Y).A; a != 0xff {
			t.Errorf("alpha at %v = %d, want 255 (on the line)", p, a)
		}
	}
	for _, p := range []image.Point{{20, 20}, {0, 39}, {39, 0}} {
		if a := dst.AlphaAt(p.X, p.Y).A; a != 0 {
			t.Errorf("alpha at %v = %d, want 0 (off the line)", p, a)
		}
	}
	// Round caps: just past the ends along the line, but inside the pen.
	if a := dst.AlphaAt(3, 5).A; a == 0 {
		t.Error("no round cap at the start")
	}
}
