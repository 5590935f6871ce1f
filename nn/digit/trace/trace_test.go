package trace_test

import (
	"math"
	"slices"
	"testing"

	"github.com/tegaki/tegaki/nn/digit/trace"
)

// picture turns rows of '#' (full ink) and '.' (background) into a grey
// image, so that a test's shape reads like the picture it is.
func picture(rows ...string) (pix []byte, w, h int) {
	w, h = len(rows[0]), len(rows)
	pix = make([]byte, 0, w*h)
	for _, r := range rows {
		if len(r) != w {
			panic("picture: rows of different lengths")
		}
		for _, c := range r {
			if c == '#' {
				pix = append(pix, 255)
			} else {
				pix = append(pix, 0)
			}
		}
	}
	return pix, w, h
}

var (
	bar = []string{
		"..............",
		".############.",
		".############.",
		".############.",
		"..............",
	}
	ring = []string{
		"....######....",
		"..##########..",
		".####....####.",
		".###......###.",
		"###........###",
		"###........###",
		"###........###",
		"###........###",
		".###......###.",
		".####....####.",
		"..##########..",
		"....######....",
	}
	ell = []string{
		"###.......",
		"###.......",
		"###.......",
		"###.......",
		"###.......",
		"###.......",
		"##########",
		"##########",
		"##########",
	}
	plus = []string{
		".....###.....",
		".....###.....",
		".....###.....",
		".....###.....",
		".....###.....",
		"#############",
		"#############",
		"#############",
		".....###.....",
		".....###.....",
		".....###.....",
		".....###.....",
		".....###.....",
	}
	nine = []string{
		"....######....",
		"..##########..",
		".####....####.",
		".###......###.",
		"###........###",
		"###........###",
		"###........###",
		"###........###",
		".###......###.",
		".####....####.",
		"..###########.",
		"....#########.",
		"...........###",
		"...........###",
		"...........###",
		"...........###",
		"...........###",
	}
	diagonal = []string{
		"##........",
		".##.......",
		"..##......",
		"...##.....",
		"....##....",
		".....##...",
		"......##..",
		".......##.",
	}
)

// near reports whether p lies within 1.5 pixels of one of the strokes:
// the pen passes there, give or take the pixel grid.
func near(p trace.Point, strokes [][]trace.Point) bool {
	const tol = 1.5
	for _, s := range strokes {
		for i := range s {
			a, b := s[i], s[max(i-1, 0)]
			dx, dy := b.X-a.X, b.Y-a.Y
			t := 0.0
			if l2 := dx*dx + dy*dy; l2 > 0 {
				t = min(1, max(0, ((p.X-a.X)*dx+(p.Y-a.Y)*dy)/l2))
			}
			if math.Hypot(p.X-a.X-t*dx, p.Y-a.Y-t*dy) <= tol {
				return true
			}
		}
	}
	return false
}

// revisits reports whether the stroke s comes back to one of its earlier
// points at least three points later: whether it goes round a loop.
func revisits(s []trace.Point) bool {
	for i := range s {
		for j := i + 3; j < len(s); j++ {
			if math.Hypot(s[i].X-s[j].X, s[i].Y-s[j].Y) < 1 {
				return true
			}
		}
	}
	return false
}

func TestStrokes(t *testing.T) {
	type P = trace.Point
	for _, tt := range []struct {
		name      string
		pic       []string
		strokes   int        // how many
		maxPoints int        // at most this many points in a stroke, if not 0
		closed    bool       // every stroke ends where it starts
		loop      bool       // a stroke goes round a loop
		through   []P        // the pen passes near each of these
		pen       [2]float64 // range of the pen width
	}{
		// The bar is 3 pixels thick; a pen 3 wide draws it from x = 2.5 to
		// 11.5, and a straight line needs only its two ends.
		{name: "bar", pic: bar, strokes: 1, maxPoints: 2,
			through: []P{{2.5, 2.5}, {11.5, 2.5}}, pen: [2]float64{2.5, 3.5}},
		// The ring's centre line has radius 5 around (7, 6).
		{name: "ring", pic: ring, strokes: 1, closed: true, loop: true,
			through: []P{{7, 1}, {2, 6}, {12, 6}, {7, 11}}, pen: [2]float64{2, 3.5}},
		// The corner is cut by the pixel grid, but is still a bend: three or
		// four points.
		{name: "L", pic: ell, strokes: 1, maxPoints: 4,
			through: []P{{1.5, 1.5}, {1.5, 7.5}, {8.5, 7.5}}, pen: [2]float64{2.5, 3.5}},
		// At the junction the pen goes straight on: two straight strokes.
		{name: "plus", pic: plus, strokes: 2, maxPoints: 2,
			through: []P{{6.5, 1.5}, {1.5, 6.5}, {11.5, 6.5}, {6.5, 11.5}}, pen: [2]float64{2.5, 3.5}},
		// A 9: the loop and the tail in one stroke.
		{name: "nine", pic: nine, strokes: 1, loop: true,
			through: []P{{7, 1}, {2, 6}, {7, 11}, {12.5, 15.5}}, pen: [2]float64{2, 3.5}},
		// Zhang–Suen's own test would erase this line from both ends.
		{name: "diagonal", pic: diagonal, strokes: 1,
			through: []P{{1, 1}, {8, 7.5}}, pen: [2]float64{1.5, 2}},
		{name: "dot", pic: []string{"...", ".#.", "..."}, strokes: 1, maxPoints: 1,
			through: []P{{1.5, 1.5}}, pen: [2]float64{1.5, 1.5}},
		// Zhang–Suen would erase a 2×2 square.
		{name: "square", pic: []string{"....", ".##.", ".##.", "...."}, strokes: 1, maxPoints: 1,
			through: []P{{2, 2}}, pen: [2]float64{1.5, 2.5}},
		{name: "empty", pic: []string{"....", "...."}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			pix, w, h := picture(tt.pic...)
			strokes, pen := trace.Strokes(pix, w, h)
			if len(strokes) != tt.strokes {
				t.Fatalf("Strokes(%s) = %v: %d strokes; want %d", tt.name, strokes, len(strokes), tt.strokes)
			}
			loop := false
			for _, s := range strokes {
				if tt.maxPoints > 0 && len(s) > tt.maxPoints {
					t.Errorf("stroke %v has %d points; want at most %d", s, len(s), tt.maxPoints)
				}
				if tt.closed && s[0] != s[len(s)-1] {
					t.Errorf("stroke %v is open; want it closed", s)
				}
				loop = loop || revisits(s)
				for _, p := range s {
					if x, y := int(p.X), int(p.Y); x < 0 || y < 0 || x >= w || y >= h || pix[y*w+x] == 0 {
						t.Errorf("point %v of stroke %v is off the ink", p, s)
					}
				}
			}
			if loop != tt.loop {
				t.Errorf("strokes %v go round a loop: %t; want %t", strokes, loop, tt.loop)
			}
			for _, p := range tt.through {
				if !near(p, strokes) {
					t.Errorf("strokes %v do not pass near %v", strokes, p)
				}
			}
			if pen < tt.pen[0] || pen > tt.pen[1] {
				t.Errorf("pen width %.2f; want %.1f to %.1f", pen, tt.pen[0], tt.pen[1])
			}
		})
	}
}

func TestStrokesPanics(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("Strokes(3 bytes, 2, 2) did not panic")
		}
	}()
	trace.Strokes(make([]byte, 3), 2, 2)
}

// FuzzStrokes checks that any image traces without a panic into strokes
// that stay on the image, and into none exactly when there is no ink.
func FuzzStrokes(f *testing.F) {
	for _, pic := range [][]string{bar, ring, ell, plus, nine, diagonal} {
		pix, w, _ := picture(pic...)
		f.Add(byte(w), pix)
	}
	f.Fuzz(func(t *testing.T, w byte, pix []byte) {
		if w == 0 || len(pix) > 64*64 {
			return
		}
		h := len(pix) / int(w)
		pix = pix[:int(w)*h]
		strokes, pen := trace.Strokes(pix, int(w), h)
		ink := slices.ContainsFunc(pix, func(v byte) bool { return v >= 128 })
		if ink != (len(strokes) > 0) {
			t.Fatalf("%d strokes from an image with ink %t", len(strokes), ink)
		}
		if ink && (pen < 1.5 || pen > 4) {
			t.Errorf("pen width %v; want 1.5 to 4", pen)
		}
		for _, s := range strokes {
			if len(s) == 0 {
				t.Fatal("an empty stroke")
			}
			for _, p := range s {
				if !(p.X >= 0 && p.Y >= 0 && p.X <= float64(w) && p.Y <= float64(h)) {
					t.Errorf("point %v is outside the %d×%d image", p, w, h)
				}
			}
		}
	})
}
