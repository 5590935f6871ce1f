// Package sketch is the logic of tegaki's drawing app, kept free of ebiten
// and syscall/js so that it is tested natively and under WebAssembly: the
// strokes of a digit and their undo history, which pointer draws, when to
// predict, the layout of the screen, and how sure a prediction is.
//
// Coordinates are normalised to the square drawing area: (0, 0) is its
// top-left corner and (1, 1) its bottom-right. A digit drawn on a phone and
// on a 4K screen is therefore the same drawing, and the pen width is a
// fixed fraction of the area.
package sketch

import "github.com/tegaki/tegaki/nn/digit"

// PenWidth is the pen's width as a fraction of the drawing area's side. On
// a 280-pixel area it is 18 pixels: after the digit is scaled into MNIST's
// 20-pixel box, strokes are about 2 pixels wide, as MNIST's are.
const PenWidth = 0.065

// minStep is the smallest move, as a fraction of the area, that adds a
// point to a stroke: finer moves add nothing visible and cost work.
const minStep = 0.004

// A PointerID names a source of strokes: the mouse or one touch.
type PointerID int

// Mouse is the PointerID of the mouse (and of a pen reported as a mouse).
// Touches use their ebiten.TouchID, which is never negative.
const Mouse PointerID = -1

// A Sketch holds the strokes of one digit. One pointer draws at a time: a
// second finger that touches while the first is drawing is ignored, so it
// cannot smear a line across the drawing.
type Sketch struct {
	strokes []digit.Stroke
	drawing PointerID // the pointer drawing the last stroke, if pen is down
	down    bool
	version int
	erased  int // changes that removed ink: Undo and Clear
}

// Press starts a stroke at p for pointer id, unless another pointer is
// drawing. It reports whether a stroke started.
func (s *Sketch) Press(id PointerID, p digit.Point) bool {
	if s.down {
		return false
	}
	s.strokes = append(s.strokes, digit.Stroke{clamp(p)})
	s.drawing, s.down = id, true
	s.version++
	return true
}

// Move extends the stroke of pointer id to p. Moves of other pointers, and
// moves too small to matter, are ignored.
func (s *Sketch) Move(id PointerID, p digit.Point) {
	if !s.down || id != s.drawing {
		return
	}
	p = clamp(p)
	st := &s.strokes[len(s.strokes)-1]
	last := (*st)[len(*st)-1]
	if dx, dy := p.X-last.X, p.Y-last.Y; dx*dx+dy*dy < minStep*minStep {
		return
	}
	*st = append(*st, p)
	s.version++
}

// Release ends the stroke of pointer id; other pointers are ignored.
func (s *Sketch) Release(id PointerID) {
	if s.down && id == s.drawing {
		s.down = false
		s.version++
	}
}

// Drawing reports whether a pointer is drawing now.
func (s *Sketch) Drawing() bool { return s.down }

// Undo removes the last stroke (ending it if it is being drawn). It
// reports whether there was one.
func (s *Sketch) Undo() bool {
	if len(s.strokes) == 0 {
		return false
	}
	s.strokes = s.strokes[:len(s.strokes)-1]
	s.down = false
	s.version++
	s.erased++
	return true
}

// Clear removes every stroke.
func (s *Sketch) Clear() {
	if len(s.strokes) == 0 && !s.down {
		return
	}
	s.strokes = s.strokes[:0]
	s.down = false
	s.version++
	s.erased++
}

// A Mark records how much of a Sketch a painter has painted. The zero Mark
// has painted nothing.
type Mark struct {
	erased, stroke, point int
}

// Unpainted returns what a painter that has painted s up to m must paint
// now, and moves m to the present. If ink was removed since (Undo, Clear),
// restart is true and the painter must clear the area and paint every
// stroke, which tails then holds. Otherwise tails holds only what is new:
// the new strokes, and the new part of the stroke that was being drawn,
// starting at its last painted point so that the new segment joins it.
// Painting only the tails keeps a frame's work proportional to the pointer's
// movement rather than to the size of the drawing. The tails share storage
// with the sketch, as Strokes does.
func (s *Sketch) Unpainted(m *Mark) (restart bool, tails []digit.Stroke) {
	if m.erased != s.erased {
		*m = Mark{erased: s.erased}
		restart = true
	}
	for i := m.stroke; i < len(s.strokes); i++ {
		st := s.strokes[i]
		from := 0
		if i == m.stroke && m.point > 0 {
			if m.point == len(st) {
				continue // painted already
			}
			from = m.point - 1
		}
		tails = append(tails, st[from:])
	}
	if n := len(s.strokes); n > 0 {
		m.stroke, m.point = n-1, len(s.strokes[n-1])
	} else {
		m.stroke, m.point = 0, 0
	}
	return restart, tails
}

// Empty reports whether there is nothing drawn.
func (s *Sketch) Empty() bool { return len(s.strokes) == 0 }

// Strokes returns the strokes in normalised coordinates. The caller must
// not modify them; they change with the next call of a Sketch method.
func (s *Sketch) Strokes() []digit.Stroke { return s.strokes }

// Version changes whenever the drawing does, so that a caller can tell
// whether its last prediction is still current.
func (s *Sketch) Version() int { return s.version }

// Scaled returns the strokes in a side×side pixel space with the matching
// pen width, ready for digit.FromStrokes.
func (s *Sketch) Scaled(side float64) ([]digit.Stroke, float64) {
	out := make([]digit.Stroke, len(s.strokes))
	for i, st := range s.strokes {
		out[i] = make(digit.Stroke, len(st))
		for j, p := range st {
			out[i][j] = digit.Point{X: p.X * side, Y: p.Y * side}
		}
	}
	return out, PenWidth * side
}

func clamp(p digit.Point) digit.Point {
	return digit.Point{X: min(max(p.X, 0), 1), Y: min(max(p.Y, 0), 1)}
}
