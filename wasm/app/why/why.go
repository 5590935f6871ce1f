// Package why keeps the app's why view: whether it is open, which digit it
// explains, the map (pretrained.Map) of the input shown, and the long press
// on a digit's bar that chooses another digit. It is plain Go, tested
// natively and under WebAssembly; the app draws it.
//
// A View is also the predictor the session classifies with: while the view
// is open it explains each prediction in the same forward pass
// (pretrained.Predictor.Explain), so the map costs one backward pass per
// prediction and follows the drawing as live as the answer does.
package why

import (
	"github.com/tegaki/tegaki/nn/digit"
	"github.com/tegaki/tegaki/nn/pretrained"
)

// An Explainer classifies and explains prepared inputs, as
// *pretrained.Predictor does.
type Explainer interface {
	Predict(in *digit.Input) pretrained.Prediction
	Explain(in *digit.Input, d int) (pretrained.Prediction, pretrained.Map)
}

// A View is the why view's state. Its zero value is not usable: make one
// with New.
type View struct {
	p      Explainer
	open   bool
	choice int // the digit chosen, or pretrained.Top for the answer

	// The map shown: of input of, for the choice asked, explaining digit
	// shown; of is nil when there is none.
	of      *digit.Input
	asked   int
	shown   int
	m       pretrained.Map
	version int
}

// New returns a closed view that classifies with p.
func New(p Explainer) *View { return &View{p: p, choice: pretrained.Top, shown: -1} }

// Predict classifies in, and explains it too while the view is open.
func (v *View) Predict(in *digit.Input) pretrained.Prediction {
	if !v.open {
		return v.p.Predict(in)
	}
	pred, m := v.p.Explain(in, v.choice)
	v.set(in, pred, m)
	return pred
}

func (v *View) set(in *digit.Input, pred pretrained.Prediction, m pretrained.Map) {
	v.of, v.asked, v.m = in, v.choice, m
	v.shown = v.choice
	if v.shown == pretrained.Top {
		v.shown = pred.Digit
	}
	v.version++
}

// Sync brings the map up to date for in, the input shown (nil for none),
// computing it only if Predict has not: for an opened picture, classified
// elsewhere, or after a new choice. A drawing cleared (in nil) makes the
// view explain the answer again.
func (v *View) Sync(in *digit.Input) {
	if in == nil {
		v.choice = pretrained.Top
		if v.of != nil {
			v.of, v.shown = nil, -1
			v.version++
		}
		return
	}
	if !v.open || (in == v.of && v.asked == v.choice) {
		return
	}
	pred, m := v.p.Explain(in, v.choice)
	v.set(in, pred, m)
}

// Toggle opens or closes the view.
func (v *View) Toggle() {
	v.open = !v.open
	v.version++
}

// Choose opens the view on digit d (0 to 9), or on the answer, whichever
// it becomes, if d is pretrained.Top or answer, the digit shown as the
// answer now.
func (v *View) Choose(d, answer int) {
	if d == answer {
		d = pretrained.Top
	}
	v.choice, v.open = d, true
	v.version++
}

// Open reports whether the view is open.
func (v *View) Open() bool { return v.open }

// Map returns the map to show and the digit it explains, or nil and -1 if
// the view is closed or there is nothing to explain.
func (v *View) Map() (*pretrained.Map, int) {
	if !v.open || v.of == nil {
		return nil, -1
	}
	return &v.m, v.shown
}

// Chosen reports whether the view explains a digit chosen by the user
// rather than the answer.
func (v *View) Chosen() bool { return v.choice != pretrained.Top }

// Version changes whenever what the view shows may have: for redrawing.
func (v *View) Version() int { return v.version }
