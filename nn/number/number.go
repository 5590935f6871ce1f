package number

import (
	"fmt"
	"hash/maphash"
	"image"
	"math"
	"slices"
	"strings"

	"github.com/tegaki/tegaki/nn/digit"
	"github.com/tegaki/tegaki/nn/pretrained"
)

// MaxDigits is the longest number a Reader reads. Longer ones are refused
// with an error wrapping digit.ErrTooLarge.
const MaxDigits = 12

// Unsure is the probability under which a digit of a reading is marked as
// one the network is unsure of.
const Unsure = 0.9

// A Reading is a number as read: its digits left to right, each with the
// network's ten probabilities, and the confidence of the whole.
type Reading struct {
	Number     string  `json:"number"`     // the digits, "2026"
	Confidence float32 `json:"confidence"` // the product of the digits' top probabilities
	Digits     []Digit `json:"digits"`
}

// A Digit is one digit of a reading: the network's prediction for it, the
// input the network saw and where it was found.
type Digit struct {
	pretrained.Prediction
	Input *digit.Input `json:"-"` // as the network saw it, for the page to show
	// Box is the digit's extent in the drawing's or the picture's
	// coordinates: the strokes' points with half the pen width around them,
	// or the pixels of the picture.
	Box Box `json:"-"`
	// Strokes are the indices of the strokes the digit is made of, in the
	// order drawn; nil for a picture.
	Strokes []int `json:"-"`
}

// Box is a rectangle in a drawing's or a picture's coordinates.
type Box struct{ X0, Y0, X1, Y1 float64 }

func (b Box) width() float64  { return b.X1 - b.X0 }
func (b Box) height() float64 { return b.Y1 - b.Y0 }

func (b Box) union(c Box) Box {
	return Box{min(b.X0, c.X0), min(b.Y0, c.Y0), max(b.X1, c.X1), max(b.Y1, c.Y1)}
}

// xOverlap returns the length of the overlap of b's and c's spans on the x
// axis, 0 if they do not overlap.
func (b Box) xOverlap(c Box) float64 {
	return max(0, min(b.X1, c.X1)-max(b.X0, c.X0))
}

// Sure reports whether the network is sure of the digit: its top
// probability is Unsure or more.
func (d Digit) Sure() bool { return d.Probabilities[d.Digit] >= Unsure }

// newReading returns the reading of digits, which it sorts left to right.
func newReading(digits []Digit) Reading {
	slices.SortStableFunc(digits, func(a, b Digit) int {
		ca, cb := a.Box.X0+a.Box.X1, b.Box.X0+b.Box.X1
		switch {
		case ca < cb:
			return -1
		case ca > cb:
			return 1
		}
		return 0
	})
	var s strings.Builder
	c := float32(1)
	for _, d := range digits {
		s.WriteByte(byte('0' + d.Digit))
		c *= d.Probabilities[d.Digit]
	}
	return Reading{Number: s.String(), Confidence: c, Digits: digits}
}

// A Reader reads numbers with one network. It keeps the candidate digits it
// has read, so that reading a drawing again after one more stroke costs
// only the candidates that stroke makes. It is not safe for concurrent
// use; make one per goroutine.
type Reader struct {
	p     *pretrained.Predictor
	cache map[string]candidate
	seed  maphash.Seed // of the hashes that key a picture's candidates
}

// maxCache bounds the candidates a Reader keeps: a 12-digit number drawn
// stroke by stroke makes a few hundred.
var maxCache = 1024

// NewReader returns a Reader that classifies with p, which it owns from
// then on.
func NewReader(p *pretrained.Predictor) *Reader {
	return &Reader{p: p, cache: make(map[string]candidate), seed: maphash.MakeSeed()}
}

// A candidate is a possible digit: a group of strokes or pieces of ink,
// prepared and classified.
type candidate struct {
	in   *digit.Input
	pred pretrained.Prediction
	err  error // from preparing it: such a candidate is never chosen
}

// classify fills in the candidates whose inputs are not yet known,
// preparing each with prepare and classifying them all in one batch. Keys
// index the Reader's cache.
func (r *Reader) classify(keys []string, prepare func(i int) (*digit.Input, error)) []candidate {
	if len(r.cache)+len(keys) > maxCache {
		clear(r.cache)
	}
	out := make([]candidate, len(keys))
	var todo []int
	var ins []*digit.Input
	for i, k := range keys {
		if c, ok := r.cache[k]; ok && k != "" {
			out[i] = c
			continue
		}
		in, err := prepare(i)
		out[i] = candidate{in: in, err: err}
		if err == nil {
			todo = append(todo, i)
			ins = append(ins, in)
		}
	}
	for j, p := range r.p.PredictAll(ins) {
		out[todo[j]].pred = p
	}
	for i, k := range keys {
		if k != "" {
			r.cache[k] = out[i]
		}
	}
	return out
}

// tooMany returns the error for a number of n digits or more.
func tooMany(n int) error {
	return &digit.Error{Kind: digit.ErrTooLarge, Reason: fmt.Sprintf("image too large: %d digits or more, over %d", n, MaxDigits)}
}

// noDigits returns the error for a drawing or picture with no digit in it.
func noDigits(why string) error {
	return &digit.Error{Kind: digit.ErrNoInk, Reason: "no digit found: " + why}
}

// logScore is a candidate's score in the choice of a split: the log of
// its top probability.
func logScore(c candidate) float64 {
	return math.Log(max(float64(c.pred.Probabilities[c.pred.Digit]), 1e-9))
}

// imageBox returns the Box of a pixel rectangle.
func imageBox(r image.Rectangle) Box {
	return Box{float64(r.Min.X), float64(r.Min.Y), float64(r.Max.X), float64(r.Max.Y)}
}
