package why

import (
	"testing"

	"github.com/tegaki/tegaki/nn/digit"
	"github.com/tegaki/tegaki/nn/pretrained"
	"github.com/tegaki/tegaki/wasm/app/sketch"
)

// counter is an Explainer that counts its passes and answers 7 with a map
// whose every weight is the digit explained, so a test can see which.
type counter struct{ predicts, explains int }

func (c *counter) Predict(*digit.Input) pretrained.Prediction {
	c.predicts++
	return pretrained.Prediction{Digit: 7}
}

func (c *counter) Explain(_ *digit.Input, d int) (pretrained.Prediction, pretrained.Map) {
	c.explains++
	if d == pretrained.Top {
		d = 7
	}
	var m pretrained.Map
	for i := range m {
		m[i] = float32(d)
	}
	return pretrained.Prediction{Digit: 7}, m
}

// shows returns the digit the view's map explains, checking that the map
// is that digit's, or -1 for no map.
func shows(t *testing.T, v *View) int {
	t.Helper()
	m, d := v.Map()
	if m == nil {
		if d != -1 {
			t.Errorf("Map() = nil, %d; want -1 with no map", d)
		}
		return -1
	}
	if int(m[0]) != d {
		t.Errorf("Map() explains %d but holds the map of %v", d, m[0])
	}
	return d
}

func TestView(t *testing.T) {
	c := &counter{}
	v := New(c)
	a, b := new(digit.Input), new(digit.Input)

	v.Predict(a)
	v.Sync(a)
	if shows(t, v) != -1 || c.predicts != 1 || c.explains != 0 {
		t.Errorf("closed: map of %d, %d predictions, %d explanations; want none, 1, 0", shows(t, v), c.predicts, c.explains)
	}
	v.Toggle() // open: the input shown is explained once
	v.Sync(a)
	v.Sync(a)
	if shows(t, v) != 7 || c.explains != 1 {
		t.Errorf("opened: map of %d after %d explanations, want 7 after 1", shows(t, v), c.explains)
	}
	v.Predict(b) // a new drawing: explained in its prediction, not again
	v.Sync(b)
	if shows(t, v) != 7 || c.predicts != 1 || c.explains != 2 {
		t.Errorf("new input: map of %d, %d predictions, %d explanations; want 7, 1, 2", shows(t, v), c.predicts, c.explains)
	}
	v.Choose(3, 7)
	v.Sync(b)
	if shows(t, v) != 3 || !v.Chosen() {
		t.Errorf("chose 3: map of %d, chosen %v; want 3, true", shows(t, v), v.Chosen())
	}
	v.Predict(a) // the choice holds while drawing
	if shows(t, v) != 3 {
		t.Errorf("drawing on: map of %d, want 3", shows(t, v))
	}
	v.Choose(7, 7) // the answer: follow the answer again
	v.Sync(a)
	if shows(t, v) != 7 || v.Chosen() {
		t.Errorf("chose the answer: map of %d, chosen %v; want 7, false", shows(t, v), v.Chosen())
	}
	v.Choose(2, 7)
	v.Sync(nil) // cleared: nothing to explain, and the choice is forgotten
	if shows(t, v) != -1 || v.Chosen() {
		t.Errorf("cleared: map of %d, chosen %v; want none, false", shows(t, v), v.Chosen())
	}
	v.Toggle()
	before := c.explains
	v.Predict(a)
	v.Sync(a)
	if shows(t, v) != -1 || c.explains != before {
		t.Errorf("closed again: map of %d, %d more explanations; want none, 0", shows(t, v), c.explains-before)
	}
	// Choosing opens the view.
	v.Choose(4, 7)
	v.Sync(a)
	if !v.Open() || shows(t, v) != 4 {
		t.Errorf("Choose(4) on a closed view: open %v, map of %d; want true, 4", v.Open(), shows(t, v))
	}
}

func TestViewVersion(t *testing.T) {
	v := New(&counter{})
	in := new(digit.Input)
	steps := []struct {
		name   string
		do     func()
		change bool
	}{
		{"predict closed", func() { v.Predict(in) }, false},
		{"open", v.Toggle, true},
		{"sync", func() { v.Sync(in) }, true},
		{"sync again", func() { v.Sync(in) }, false},
		{"choose", func() { v.Choose(1, 7) }, true},
		{"clear", func() { v.Sync(nil) }, true},
		{"clear again", func() { v.Sync(nil) }, false},
	}
	for _, s := range steps {
		before := v.Version()
		s.do()
		if changed := v.Version() != before; changed != s.change {
			t.Errorf("%s: version changed %v, want %v", s.name, changed, s.change)
		}
	}
}

func TestHold(t *testing.T) {
	const slop = 10
	// A step presses, moves or releases pointer id at (x, y), or asks
	// whether a long press is due at tick, wanting one pressed at (x, y).
	type step struct {
		op   string // press, move, release or due
		id   sketch.PointerID
		x, y float64
		tick int
		want bool // for due
	}
	tests := []struct {
		name  string
		steps []step
	}{
		{"long press", []step{{"press", 1, 5, 5, 0, false}, {"due", 0, 5, 5, HoldTicks - 1, false}, {"due", 0, 5, 5, HoldTicks, true}, {"due", 0, 5, 5, HoldTicks + 5, false}}},
		{"tap", []step{{"press", 1, 5, 5, 0, false}, {"release", 1, 0, 0, 3, false}, {"due", 0, 5, 5, HoldTicks, false}}},
		{"wobble within slop", []step{{"press", 1, 5, 5, 0, false}, {"move", 1, 11, 11, 1, false}, {"due", 0, 5, 5, HoldTicks, true}}},
		{"drag", []step{{"press", 1, 5, 5, 0, false}, {"move", 1, 5, 16, 1, false}, {"due", 0, 5, 5, HoldTicks, false}}},
		{"second finger ignored", []step{{"press", 1, 5, 5, 0, false}, {"press", 2, 50, 50, 10, false}, {"move", 2, 90, 90, 11, false}, {"release", 2, 0, 0, 12, false}, {"due", 0, 5, 5, HoldTicks, true}}},
		{"press again after release", []step{{"press", 1, 5, 5, 0, false}, {"release", 1, 0, 0, 2, false}, {"press", 2, 7, 7, 40, false}, {"due", 0, 7, 7, 40 + HoldTicks, true}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var h Hold
			for i, s := range tt.steps {
				switch s.op {
				case "press":
					h.Press(s.id, s.x, s.y, s.tick)
				case "move":
					h.Move(s.id, s.x, s.y, slop)
				case "release":
					h.Release(s.id)
				case "due":
					x, y, ok := h.Due(s.tick)
					if ok != s.want || (ok && (x != s.x || y != s.y)) {
						t.Errorf("step %d: Due(%d) = %v, %v, %v; want %v at (%v, %v)", i, s.tick, x, y, ok, s.want, s.x, s.y)
					}
				}
			}
		})
	}
}
