package digit

import "testing"

// appSeven is the 7 that the browser benchmark draws (wasm/app/e2e,
// BenchmarkInference), as the app hands it to FromStrokes: on a 280-pixel
// raster, a point every 11 pixels or so, the pen 18.2 pixels wide.
var appSeven = func() []Stroke {
	var s Stroke
	corners := []Point{{70, 60}, {210, 60}, {120, 240}}
	s = append(s, corners[0])
	for i := 1; i < len(corners); i++ {
		a, b := corners[i-1], corners[i]
		const steps = 16
		for k := 1; k <= steps; k++ {
			f := float64(k) / steps
			s = append(s, Point{a.X + (b.X-a.X)*f, a.Y + (b.Y-a.Y)*f})
		}
	}
	return []Stroke{s}
}()

func benchmarkFromStrokes(b *testing.B, strokes []Stroke, width float64) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := FromStrokes(strokes, width); err != nil {
			b.Fatal(err)
		}
	}
}

// The app's 7 (no thinning or thickening).
func BenchmarkFromStrokesApp(b *testing.B) { benchmarkFromStrokes(b, appSeven, 0.065*280) }

// A 7 drawn small with the app's pen, which FromStrokes thins (erodes by 2).
func BenchmarkFromStrokesBold(b *testing.B) { benchmarkFromStrokes(b, scale(appSeven, 0.3), 0.065*280) }

// A 4 drawn with a fine pen, which FromStrokes thickens (dilates by 3).
func BenchmarkFromStrokesThin(b *testing.B) { benchmarkFromStrokes(b, four, 2) }
