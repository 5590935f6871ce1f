package sketch

import (
	"fmt"
	"testing"

	"github.com/tegaki/tegaki/nn/digit"

	"github.com/tegaki/tegaki/nn/pretrained"
)

func pt(x, y float64) digit.Point { return digit.Point{X: x, Y: y} }

func TestOnePointerDraws(t *testing.T) {
	var s Sketch
	const finger, second PointerID = 0, 1
	if !s.Press(finger, pt(0.1, 0.1)) {
		t.Fatal("first press did not start a stroke")
	}
	s.Move(finger, pt(0.2, 0.2))
	if s.Press(second, pt(0.9, 0.9)) {
		t.Error("a second finger started a stroke while the first was drawing")
	}
	s.Move(second, pt(0.8, 0.1)) // must not smear into the first stroke
	s.Move(finger, pt(0.3, 0.3))
	s.Release(second) // must not end the first finger's stroke
	if !s.Drawing() {
		t.Error("releasing the second finger ended the first finger's stroke")
	}
	s.Move(finger, pt(0.4, 0.4))
	s.Release(finger)
	want := []digit.Stroke{{pt(0.1, 0.1), pt(0.2, 0.2), pt(0.3, 0.3), pt(0.4, 0.4)}}
	if got := s.Strokes(); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("strokes = %v, want %v", got, want)
	}
	if !s.Press(second, pt(0.5, 0.5)) {
		t.Error("after the first finger lifted, the second could not draw")
	}
}

func TestSmallMovesAndClamping(t *testing.T) {
	var s Sketch
	s.Press(Mouse, pt(-0.5, 0.5))
	s.Move(Mouse, pt(0.001, 0.5)) // within minStep of (0, 0.5)
	s.Move(Mouse, pt(0.5, 2))
	s.Release(Mouse)
	want := digit.Stroke{pt(0, 0.5), pt(0.5, 1)}
	if got := s.Strokes()[0]; fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("stroke = %v, want %v (clamped to the area, tiny moves dropped)", got, want)
	}
}

func TestUndoClearVersion(t *testing.T) {
	var s Sketch
	v := s.Version()
	for i := range 3 {
		s.Press(Mouse, pt(0.1*float64(i), 0))
		s.Move(Mouse, pt(0.1*float64(i), 0.5))
		s.Release(Mouse)
	}
	if s.Version() == v || len(s.Strokes()) != 3 {
		t.Fatalf("after three strokes: version %d (was %d), %d strokes", s.Version(), v, len(s.Strokes()))
	}
	v = s.Version()
	if !s.Undo() || len(s.Strokes()) != 2 || s.Version() == v {
		t.Errorf("Undo: %d strokes, version %d→%d; want 2 and a new version", len(s.Strokes()), v, s.Version())
	}
	s.Press(Mouse, pt(0.5, 0.5))
	s.Undo() // undo while drawing removes and ends the stroke in progress
	if s.Drawing() || len(s.Strokes()) != 2 {
		t.Errorf("Undo during a stroke: drawing %v, %d strokes; want false, 2", s.Drawing(), len(s.Strokes()))
	}
	s.Clear()
	if !s.Empty() || s.Undo() {
		t.Error("Clear left strokes, or Undo after Clear found one")
	}
	v = s.Version()
	s.Clear()
	if s.Version() != v {
		t.Error("clearing an empty sketch changed its version")
	}
}

func TestScaled(t *testing.T) {
	var s Sketch
	s.Press(Mouse, pt(0.5, 0.25))
	strokes, width := s.Scaled(280)
	if strokes[0][0] != pt(140, 70) || width != PenWidth*280 {
		t.Errorf("Scaled(280) = %v, %v", strokes, width)
	}
}

func TestScheduler(t *testing.T) {
	var s Scheduler
	steps := []struct {
		tick, version int
		drawing       bool
		want          bool
	}{
		{0, 1, true, true},   // the first touch predicts at once
		{1, 2, true, false},  // then at most every PredictEvery ticks
		{5, 3, true, false},  //
		{6, 4, true, true},   //
		{7, 4, true, false},  // nothing new
		{8, 5, false, true},  // the stroke ended: at once
		{9, 5, false, false}, // nothing new
		{10, 6, false, true}, // undo or clear: at once
	}
	for _, st := range steps {
		if got := s.Due(st.tick, st.version, st.drawing); got != st.want {
			t.Errorf("Due(tick %d, version %d, drawing %v) = %v, want %v", st.tick, st.version, st.drawing, got, st.want)
		}
	}
}

func TestNewResult(t *testing.T) {
	tests := []struct {
		probs []float32
		digit int
		sure  bool
	}{
		{[]float32{0, 0, 0, 0, 0, 0, 0, 0.98, 0.01, 0.01}, 7, true},
		{[]float32{0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1}, 0, false},
		{[]float32{0, 0.45, 0, 0, 0, 0, 0, 0.55, 0, 0}, 7, false},
		{[]float32{0, 0, 0, 0, 0, 0, 0.6, 0.4, 0, 0}, 6, true},
	}
	for _, tt := range tests {
		r := NewResult(pretrained.NewPrediction(tt.probs))
		if r.Digit != tt.digit || r.Sure != tt.sure {
			t.Errorf("NewResult(%v) = digit %d sure %v, want %d %v", tt.probs, r.Digit, r.Sure, tt.digit, tt.sure)
		}
	}
	if Blank().Digit != -1 {
		t.Error("Blank().Digit != -1")
	}
}

func TestLayout(t *testing.T) {
	screens := []struct {
		name          string
		w, h, scale   float64
		wantPortrait  bool
		minCanvasFrac float64 // of the shorter side
	}{
		{"iPhone SE portrait", 750, 1334, 2, true, 0.9},
		{"Pixel 7 portrait", 1080, 2400, 2.625, true, 0.9},
		{"phone landscape", 1334, 750, 2, false, 0.75},
		{"laptop", 1440, 900, 1, false, 0.9},
		{"4K", 3840, 2160, 2, false, 0.9},
		{"small window", 400, 300, 1, false, 0.7},
		{"narrow portrait", 320, 640, 1, true, 0.85},
		{"tiny portrait", 180, 640, 1, true, 0.85}, // Open above Clear and Undo
	}
	for _, sc := range screens {
		t.Run(sc.name, func(t *testing.T) {
			l := NewLayout(sc.w, sc.h, sc.scale)
			if l.Portrait != sc.wantPortrait {
				t.Errorf("Portrait = %v, want %v", l.Portrait, sc.wantPortrait)
			}
			if l.Canvas.W != l.Canvas.H {
				t.Errorf("canvas %v is not square", l.Canvas)
			}
			if short := min(sc.w, sc.h); l.Canvas.W < sc.minCanvasFrac*short {
				t.Errorf("canvas side %.0f is under %.0f%% of the screen's %.0f", l.Canvas.W, 100*sc.minCanvasFrac, short)
			}
			parts := map[string]Rect{"canvas": l.Canvas, "result": l.Result, "preview": l.Preview, "preview label": l.PreviewLabel, "bars": l.Bars, "open": l.Open, "clear": l.Clear, "undo": l.Undo}
			for name, r := range parts {
				if r.X < 0 || r.Y < 0 || r.X+r.W > sc.w+0.5 || r.Y+r.H > sc.h+0.5 || r.W <= 0 || r.H <= 0 {
					t.Errorf("%s %v is not inside the %vx%v screen", name, r, sc.w, sc.h)
				}
				for other, q := range parts {
					if name < other && overlap(r, q) {
						t.Errorf("%s %v overlaps %s %v", name, r, other, q)
					}
				}
			}
			for _, b := range []Rect{l.Open, l.Clear, l.Undo} {
				if b.H < MinTarget*sc.scale || b.W < MinTarget*sc.scale {
					t.Errorf("button %v smaller than %v CSS px", b, MinTarget)
				}
			}
			if l.Portrait && !(l.Canvas.Y+l.Canvas.H <= l.Result.Y) {
				t.Error("portrait: results are not below the drawing")
			}
			if !l.Portrait && !(l.Canvas.X+l.Canvas.W <= l.Result.X) {
				t.Error("landscape: results are not beside the drawing")
			}
			cx, cy := l.ToCanvas(l.Canvas.X+l.Canvas.W/2, l.Canvas.Y+l.Canvas.H)
			if cx != 0.5 || cy != 1 {
				t.Errorf("ToCanvas of the bottom middle = %v, %v", cx, cy)
			}
		})
	}
}

// TestNewPageLayout checks that the page's layout keeps clear of its
// header and footer, and is NewLayout's in the band between them.
func TestNewPageLayout(t *testing.T) {
	for _, sc := range []struct {
		name        string
		w, h, scale float64
	}{
		{"390x844 phone", 1170, 2532, 3},
		{"844x390 phone, landscape", 2532, 1170, 3},
		{"412x915 phone", 824, 1830, 2},
		{"desktop", 1280, 800, 1},
	} {
		t.Run(sc.name, func(t *testing.T) {
			l := NewPageLayout(sc.w, sc.h, sc.scale)
			inner := NewLayout(sc.w, sc.h-(HeaderHeight+FooterHeight)*sc.scale, sc.scale)
			top, bottom := HeaderHeight*sc.scale, sc.h-FooterHeight*sc.scale
			in := inner.rects()
			for i, r := range l.rects() {
				if r.Y < top || r.Y+r.H > bottom+0.5 {
					t.Errorf("%v reaches outside the band y %v to %v between header and footer", *r, top, bottom)
				}
				if want := (Rect{in[i].X, in[i].Y + top, in[i].W, in[i].H}); *r != want {
					t.Errorf("%v, want NewLayout's %v moved down by the header", *r, want)
				}
			}
			if l.Preview.W != l.Preview.H || l.PreviewLabel.Y != l.Preview.Y+l.Preview.H {
				t.Errorf("preview %v is not a square with its label %v right below", l.Preview, l.PreviewLabel)
			}
		})
	}
}

func overlap(a, b Rect) bool {
	return a.X < b.X+b.W && b.X < a.X+a.W && a.Y < b.Y+b.H && b.Y < a.Y+a.H
}

// TestUnpainted follows a painter that paints once a frame: each frame
// gets only the new ink, joined to what was painted, and a full repaint
// after ink is removed.
func TestUnpainted(t *testing.T) {
	var (
		s Sketch
		m Mark
	)
	type want struct {
		restart bool
		tails   string
	}
	frames := []struct {
		name string
		do   func()
		want want
	}{
		{"nothing", func() {}, want{false, "[]"}},
		{"press", func() { s.Press(Mouse, pt(0.1, 0.1)) }, want{false, "[[{0.1 0.1}]]"}},
		{"move", func() { s.Move(Mouse, pt(0.2, 0.2)) }, want{false, "[[{0.1 0.1} {0.2 0.2}]]"}},
		{"two moves", func() { s.Move(Mouse, pt(0.3, 0.3)); s.Move(Mouse, pt(0.4, 0.4)) }, want{false, "[[{0.2 0.2} {0.3 0.3} {0.4 0.4}]]"}},
		{"release", func() { s.Release(Mouse) }, want{false, "[]"}},
		{"second stroke", func() { s.Press(Mouse, pt(0.5, 0.5)); s.Move(Mouse, pt(0.6, 0.5)) }, want{false, "[[{0.5 0.5} {0.6 0.5}]]"}},
		{"end and a third", func() { s.Release(Mouse); s.Press(Mouse, pt(0.9, 0.9)) }, want{false, "[[{0.9 0.9}]]"}},
		{"undo", func() { s.Undo() }, want{true, "[[{0.1 0.1} {0.2 0.2} {0.3 0.3} {0.4 0.4}] [{0.5 0.5} {0.6 0.5}]]"}},
		{"undo and draw", func() { s.Undo(); s.Press(Mouse, pt(0.7, 0.7)) }, want{true, "[[{0.1 0.1} {0.2 0.2} {0.3 0.3} {0.4 0.4}] [{0.7 0.7}]]"}},
		{"move after", func() { s.Move(Mouse, pt(0.8, 0.7)) }, want{false, "[[{0.7 0.7} {0.8 0.7}]]"}},
		{"clear", func() { s.Clear() }, want{true, "[]"}},
		{"after clear", func() { s.Press(Mouse, pt(0.2, 0.3)) }, want{false, "[[{0.2 0.3}]]"}},
	}
	for _, f := range frames {
		f.do()
		restart, tails := s.Unpainted(&m)
		if got := (want{restart, fmt.Sprint(tails)}); got != f.want {
			t.Errorf("%s: Unpainted = %v, %s; want %v, %s", f.name, got.restart, got.tails, f.want.restart, f.want.tails)
		}
	}
}

func TestSchedulerCurrent(t *testing.T) {
	var s Scheduler
	if s.Current(0, false) {
		t.Error("current before any prediction")
	}
	s.Due(1, 1, true)
	if s.Current(1, true) {
		t.Error("current while a stroke is in progress")
	}
	if s.Current(2, false) {
		t.Error("current after the drawing changed")
	}
	s.Due(2, 2, false)
	if !s.Current(2, false) {
		t.Error("not current after predicting the finished drawing")
	}
}
