package picture

import (
	"math"
	"testing"
)

// bar returns a w×w image with a vertical bar of full ink, width pixels
// wide, in the middle.
func bar(w, width int) *Gray {
	g := New(w, w)
	for y := 2; y < w-2; y++ {
		for x := (w - width) / 2; x < (w+width)/2; x++ {
			g.Pix[y*w+x] = 1
		}
	}
	return g
}

// rowInk is the ink across the middle row: the bar's width in pixels.
func rowInk(g *Gray) float64 {
	var s float64
	for x := range g.W {
		s += float64(g.Pix[g.H/2*g.W+x])
	}
	return s
}

func inRange(t *testing.T, name string, g *Gray) {
	t.Helper()
	for i, v := range g.Pix {
		if !(v >= 0 && v <= 1) {
			t.Fatalf("%s: pixel %d is %v, want [0, 1]", name, i, v)
		}
	}
}

func TestStrokeWidth(t *testing.T) {
	tests := []struct {
		name string
		op   func(*Gray) *Gray
		want float64 // width of the 6-pixel bar afterwards
	}{
		{"dilate 1", func(g *Gray) *Gray { return g.Dilate(1) }, 8},
		{"dilate 2.5", func(g *Gray) *Gray { return g.Dilate(2.5) }, 11},
		{"erode 1", func(g *Gray) *Gray { return g.Erode(1) }, 4},
		{"erode 2", func(g *Gray) *Gray { return g.Erode(2) }, 2},
		{"blur keeps the ink", func(g *Gray) *Gray { return g.Blur(1.5) }, 6},
		{"box blur keeps the ink", func(g *Gray) *Gray { return g.BoxBlur(2) }, 6},
		{"enlarge 2×", func(g *Gray) *Gray { return g.Resize(2*g.W, 2*g.H) }, 12},
		{"shrink 2×", func(g *Gray) *Gray { return g.Resize(g.W/2, g.H/2) }, 3},
		{"pixelate keeps the ink", func(g *Gray) *Gray { return g.Pixelate(g.W/4, g.H/4) }, 6},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g := tt.op(bar(32, 6))
			inRange(t, tt.name, g)
			if got := rowInk(g); math.Abs(got-tt.want) > 0.5 {
				t.Errorf("bar is %.2f pixels wide, want %v", got, tt.want)
			}
		})
	}
}

func TestResizeKeepsFlatInk(t *testing.T) {
	g := New(10, 10)
	for i := range g.Pix {
		g.Pix[i] = 0.25
	}
	for _, size := range []int{3, 7, 10, 23} {
		r := g.Resize(size, size)
		// Enlarging fades into the background at the border; the
		// middle keeps the level.
		if v := r.Pix[size/2*size+size/2]; math.Abs(float64(v)-0.25) > 1e-6 {
			t.Errorf("Resize to %d: middle %v, want 0.25", size, v)
		}
	}
}

func TestLineAndErase(t *testing.T) {
	g := New(20, 20)
	g.Line(Point{2, 10}, Point{18, 10}, 3)
	inRange(t, "line", g)
	// 16 pixels long and 3 wide, plus two half-disc caps.
	want := 16*3 + math.Pi*1.5*1.5
	if got := g.Ink(); math.Abs(got-want) > 3 {
		t.Errorf("line has ink %.1f, want about %.1f", got, want)
	}
	if g.Pix[10*20+10] != 1 || g.Pix[2*20+10] != 0 {
		t.Errorf("line: centre %v, far pixel %v; want 1 and 0", g.Pix[10*20+10], g.Pix[2*20+10])
	}
	g.Erase(Point{10, 5}, Point{10, 15}, 4)
	inRange(t, "erase", g)
	if g.Pix[10*20+10] != 0 || g.Pix[10*20+4] != 1 {
		t.Errorf("erase: centre %v, kept pixel %v; want 0 and 1", g.Pix[10*20+10], g.Pix[10*20+4])
	}
}

func TestBounds(t *testing.T) {
	g := New(8, 6)
	if _, ok := g.Bounds(0.5); ok {
		t.Error("Bounds of a blank image: ok, want false")
	}
	g.Pix[1*8+2], g.Pix[4*8+5] = 1, 0.6
	r, ok := g.Bounds(0.5)
	if !ok || r.Min.X != 2 || r.Min.Y != 1 || r.Max.X != 6 || r.Max.Y != 5 {
		t.Errorf("Bounds = %v, %v; want (2,1)-(6,5), true", r, ok)
	}
}

func TestBytesRoundTrip(t *testing.T) {
	pix := []byte{0, 1, 128, 254, 255, 7}
	g := FromBytes(pix, 3, 2)
	if got := g.Bytes(); string(got) != string(pix) {
		t.Errorf("Bytes(FromBytes(%v)) = %v", pix, got)
	}
}
