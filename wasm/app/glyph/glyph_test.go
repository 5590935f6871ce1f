package glyph

import (
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/tegaki/tegaki/wasm/app/msg"
)

// charset is the character set the package documents, besides the
// catalog's.
const charset = " 0123456789.%?"

// op is one recorded Path call: kind is 'M', 'L', 'Q', 'C' or 'Z' (Close),
// and p holds its points as x, y pairs.
type op struct {
	kind byte
	n    int // number of points
	p    [6]float32
}

// recorder is a Path that records the calls made on it.
type recorder struct{ ops []op }

func (r *recorder) MoveTo(x, y float32) { r.add('M', x, y, 0, 0, 0, 0, 1) }
func (r *recorder) LineTo(x, y float32) { r.add('L', x, y, 0, 0, 0, 0, 1) }
func (r *recorder) QuadTo(x1, y1, x2, y2 float32) {
	r.add('Q', x1, y1, x2, y2, 0, 0, 2)
}
func (r *recorder) CubicTo(x1, y1, x2, y2, x3, y3 float32) {
	r.add('C', x1, y1, x2, y2, x3, y3, 3)
}
func (r *recorder) Close() { r.add('Z', 0, 0, 0, 0, 0, 0, 0) }

func (r *recorder) add(kind byte, x1, y1, x2, y2, x3, y3 float32, n int) {
	r.ops = append(r.ops, op{kind, n, [6]float32{x1, y1, x2, y2, x3, y3}})
}

// box is an axis-aligned bounding box.
type box struct{ minX, minY, maxX, maxY float32 }

func (b box) centerX() float32 { return (b.minX + b.maxX) / 2 }
func (b box) centerY() float32 { return (b.minY + b.maxY) / 2 }

// bounds returns the box around every recorded point, control points
// included. TrueType outlines put on-curve points at the extremes, so
// this is the ink box.
func (r *recorder) bounds() box {
	inf := float32(math.Inf(1))
	b := box{inf, inf, -inf, -inf}
	for _, o := range r.ops {
		for i := range o.n {
			x, y := o.p[2*i], o.p[2*i+1]
			b.minX, b.maxX = min(b.minX, x), max(b.maxX, x)
			b.minY, b.maxY = min(b.minY, y), max(b.maxY, y)
		}
	}
	return b
}

// contours returns the number of contours recorded, or -1 if the calls
// do not form a sequence of MoveTo, at least one segment, Close.
func (r *recorder) contours() int {
	n := 0
	open, segs := false, 0
	for _, o := range r.ops {
		switch {
		case o.kind == 'M' && !open:
			open, segs = true, 0
		case o.kind == 'Z' && open && segs > 0:
			open = false
			n++
		case o.kind != 'M' && o.kind != 'Z' && open:
			segs++
		default:
			return -1
		}
	}
	if open {
		return -1
	}
	return n
}

func near(a, b, tol float32) bool { return abs(a-b) <= tol }

func abs(x float32) float32 { return max(x, -x) }

// canvasText returns the text of every message the catalog draws on the
// canvas, in every language.
func canvasText() string {
	var b strings.Builder
	for _, m := range msg.Messages() {
		if m.Place == msg.Canvas {
			for _, l := range msg.Langs {
				b.WriteString(l.Text(m.Key))
			}
		}
	}
	return b.String()
}

// TestCharset checks that the package draws every character of charset
// and of the catalog's canvas messages, so that no label shows a '?', and
// no other: only what the catalog uses is baked.
func TestCharset(t *testing.T) {
	if !slices.IsSortedFunc(glyphs[:], func(a, b glyphData) int { return int(a.r - b.r) }) {
		t.Error("glyphs are not sorted by rune")
	}
	want := charset + canvasText()
	for _, r := range want {
		if g := find(r); g == nil || g.r != r {
			t.Errorf("find(%q) = %v, want the glyph for %q (go generate ./wasm/app/glyph after changing the catalog)", r, g, r)
		}
	}
	for _, g := range glyphs {
		if !strings.ContainsRune(want, g.r) {
			t.Errorf("glyph %q is baked but neither charset nor the catalog uses it", g.r)
		}
	}
}

func TestContours(t *testing.T) {
	const size = 1 // font units normalised to an em of 1
	ascent, descent, _ := Metrics(size)
	for _, r := range charset + canvasText() {
		var rec recorder
		Append(&rec, string(r), 0, 0, size)
		n := rec.contours()
		if r == ' ' {
			if len(rec.ops) != 0 {
				t.Errorf("space: got %d path calls, want none", len(rec.ops))
			}
			continue
		}
		if n < 1 {
			t.Errorf("%q: got contours %d, want at least one well-formed contour", r, n)
			continue
		}
		// Every glyph's ink lies within the font's ascent and descent and
		// roughly within its advance. The 0.1 em of slack on x allows for
		// glyphs such as 'j' whose ink overhangs their side bearings.
		b := rec.bounds()
		w := Width(string(r), size)
		if b.minY < -ascent || b.maxY > descent || b.minX < -0.1 || b.maxX > w+0.1 {
			t.Errorf("%q: ink %+v outside x [0, %g] y [%g, %g]", r, b, w, -ascent, descent)
		}
	}
}

func TestWidth(t *testing.T) {
	for _, test := range []struct {
		a, b string
	}{
		{"", ""},
		{"0", "1"},
		{"12", "345"},
		{"no digit ", "found"},
		{"99.5", "%"},
		{"wait…", "·?"},
	} {
		for _, size := range []float32{1, 13, 32.5, 200} {
			got := Width(test.a+test.b, size)
			want := Width(test.a, size) + Width(test.b, size)
			if !near(got, want, 1e-5*size) {
				t.Errorf("Width(%q, %g) = %g, want Width(%q)+Width(%q) = %g", test.a+test.b, size, got, test.a, test.b, want)
			}
			if got, want := Width(test.a+test.b, 2*size), 2*want; !near(got, want, 1e-5*size) {
				t.Errorf("Width(%q, %g) = %g, want twice Width at %g = %g", test.a+test.b, 2*size, got, size, want)
			}
		}
	}
	// Go Regular's digits are tabular: all 1139 units of 2048 wide.
	if got, want := Width("0123456789", 2048), float32(10*1139); got != want {
		t.Errorf("Width(digits, 2048) = %g, want %g", got, want)
	}
}

func TestFit(t *testing.T) {
	for _, test := range []struct {
		s           string
		size, width float32
		want        float32
	}{
		{"0", 20, 100, 20},                        // fits as it is
		{"0000", 100, Width("0000", 100) / 2, 50}, // twice too wide
		{"消す", 40, Width("消す", 40), 40},           // exactly
		{"0〜9の数字を1つ書いてください", 30, 300, 300 / Width("0〜9の数字を1つ書いてください", 1)},
		{"", 12, 0, 12},
	} {
		got := Fit(test.s, test.size, test.width)
		if !near(got, test.want, 1e-4*test.want) {
			t.Errorf("Fit(%q, %g, %g) = %g, want %g", test.s, test.size, test.width, got, test.want)
		}
		if w := Width(test.s, got); w > test.width*(1+1e-5) && test.s != "" {
			t.Errorf("Fit(%q, %g, %g): %g wide at %g", test.s, test.size, test.width, w, got)
		}
	}
}

// TestEight checks that "8" sits on the baseline and reaches the cap height.
func TestEight(t *testing.T) {
	const x, y, size = 10, 100, 64
	_, _, capHeight := Metrics(size)
	var rec recorder
	Append(&rec, "8", x, y, size)
	b := rec.bounds()
	// Round glyphs overshoot the baseline and cap height slightly so
	// they look as tall as flat ones; Go Regular overshoots by about 1%
	// of an em, so allow 2%.
	tol := float32(0.02 * size)
	if !near(b.maxY, y, tol) || !near(b.minY, y-capHeight, tol) {
		t.Errorf("8: ink y [%g, %g], want [%g, %g] within %g", b.minY, b.maxY, y-capHeight, float32(y), tol)
	}
	if w := Width("8", size); b.minX < x || b.maxX > x+w {
		t.Errorf("8: ink x [%g, %g], want within advance [%g, %g]", b.minX, b.maxX, float32(x), x+w)
	}
}

func TestAppendCentered(t *testing.T) {
	const cx, cy = 200, 150
	for _, test := range []struct {
		s    string
		size float32
	}{
		{"8", 20},
		{"0", 48},
		{"0123456789", 32},
		{"Clear", 100},
		{"97%", 64},
	} {
		var rec recorder
		AppendCentered(&rec, test.s, cx, cy, test.size)
		b := rec.bounds()
		// The box centres the advance and the cap band, not the ink:
		// uneven side bearings and overshoot move the ink a little.
		tol := 0.03 * test.size
		if !near(b.centerX(), cx, tol) || !near(b.centerY(), cy, tol) {
			t.Errorf("AppendCentered(%q, %g): ink centre (%g, %g), want (%d, %d) within %g",
				test.s, test.size, b.centerX(), b.centerY(), cx, cy, tol)
		}
	}
}

// TestAppendJoins checks that drawing a string equals drawing its halves,
// the second one Width of the first further along.
func TestAppendJoins(t *testing.T) {
	for _, test := range []struct {
		a, b string
	}{
		{"1", "2"},
		{"not sure · ", "98.7%"},
		{"数字を", "書いてください"},
	} {
		const x, y, size = 3, 40, 24
		var whole, parts recorder
		Append(&whole, test.a+test.b, x, y, size)
		Append(&parts, test.a, x, y, size)
		Append(&parts, test.b, x+Width(test.a, size), y, size)
		if !equalOps(whole.ops, parts.ops, 1e-4) {
			t.Errorf("Append(%q) differs from Append(%q) then Append(%q)", test.a+test.b, test.a, test.b)
		}
	}
}

// TestUnknown checks that characters outside the set draw as '?'.
func TestUnknown(t *testing.T) {
	const size = 16
	var want recorder
	Append(&want, "?", 0, 0, size)
	for _, s := range []string{"é", "\n", "\t", "\xff", "€", "漢", "ぬ"} {
		var got recorder
		Append(&got, s, 0, 0, size)
		if !equalOps(got.ops, want.ops, 0) {
			t.Errorf("Append(%q) does not draw '?'", s)
		}
		if got, want := Width(s, size), Width("?", size); got != want {
			t.Errorf("Width(%q) = %g, want Width(\"?\") = %g", s, got, want)
		}
	}
}

func TestAllocs(t *testing.T) {
	rec := &recorder{ops: make([]op, 0, 1024)}
	allocs := testing.AllocsPerRun(100, func() {
		rec.ops = rec.ops[:0]
		AppendCentered(rec, "97.5% · 8", 100, 100, 32)
	})
	if allocs != 0 {
		t.Errorf("AppendCentered: got %g allocations per run, want 0", allocs)
	}
}

func equalOps(a, b []op, tol float32) bool {
	return slices.EqualFunc(a, b, func(a, b op) bool {
		if a.kind != b.kind || a.n != b.n {
			return false
		}
		for i := range a.p {
			if !near(a.p[i], b.p[i], tol) {
				return false
			}
		}
		return true
	})
}

func BenchmarkAppend(b *testing.B) {
	rec := &recorder{ops: make([]op, 0, 1024)}
	for b.Loop() {
		rec.ops = rec.ops[:0]
		Append(rec, "not sure · 98.2%", 0, 0, 32)
	}
}
