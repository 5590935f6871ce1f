package sketch

import "github.com/tegaki/tegaki/nn/pretrained"

// PredictEvery is how many ticks (at ebiten's 60 per second) apart live
// predictions run while a stroke is moving: ten a second feels live and
// leaves most frames free of the few milliseconds a prediction takes.
const PredictEvery = 6

// A Scheduler decides when to predict: at once when a stroke ends or the
// drawing is undone or cleared, and at most every PredictEvery ticks while
// a stroke is being drawn.
type Scheduler struct {
	done     int // the sketch version last predicted
	lastTick int
	started  bool
}

// Due reports whether to predict at this tick for a sketch at version,
// drawing telling whether a stroke is in progress. When it returns true the
// caller is expected to predict: the version counts as done.
func (s *Scheduler) Due(tick, version int, drawing bool) bool {
	if s.started && version == s.done {
		return false
	}
	if drawing && s.started && tick-s.lastTick < PredictEvery {
		return false
	}
	s.started, s.done, s.lastTick = true, version, tick
	return true
}

// Current reports whether the last prediction is of the finished drawing:
// of this version, with no stroke in progress. Until it is, the shown
// result may still change.
func (s *Scheduler) Current(version int, drawing bool) bool {
	return s.started && s.done == version && !drawing
}

// A Result is what the app shows for a prediction: the prediction, and
// whether the network is sure of it.
type Result struct {
	pretrained.Prediction      // Digit is -1 when nothing is drawn
	Sure                  bool // whether the network is confident (see Unsure)
}

// Unsure is the probability below which the top digit is shown as a
// guess: the network's calibrated confidence on real digits is above 0.9
// for nearly all of them, while scribbles spread their probability.
const Unsure = 0.6

// NewResult interprets a prediction.
func NewResult(p pretrained.Prediction) Result {
	return Result{Prediction: p, Sure: p.Probabilities[p.Digit] >= Unsure}
}

// Blank is the Result of an empty drawing: no digit, no guess.
func Blank() Result { return Result{Prediction: pretrained.Prediction{Digit: -1}} }
