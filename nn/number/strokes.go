package number

import (
	"encoding/binary"
	"fmt"
	"math"
	"slices"

	"github.com/tegaki/tegaki/nn/digit"
)

// Parameters of the split of a drawing. Lengths are in line heights: the
// height of the number's digits (see lineHeight).
const (
	// A stroke drawn later inside the span of an earlier digit (the bar of
	// a 7 added at the end) joins that digit if this much of its width
	// lies inside and little of it overlaps the last digit drawn.
	lateInside = 0.85
	// maxStrokeRun is the most atoms one digit is made of.
	maxStrokeRun = 6
	// A digit is at most this wide for its height (or the line height, if
	// taller): two digits side by side are wider.
	maxAspect = 1.5
	// A run with a gap wider than this between its strokes is two digits:
	// apart from a 5's flag, a digit's strokes meet.
	maxGap = 0.25
	// A mark smaller than this both ways is not a digit on its own.
	minMark = 0.3
	// Marks that small away from every other mark are dots and commas, not
	// part of the number.
	dotAlone = 0.5
)

// Weights of the score of a split. gapWeight penalises a gap inside a
// digit (in line heights), overlapWeight an overlap between consecutive
// digits (as a share of the narrower), and digitBonus is added for each
// digit, so that a split into more digits must not be much less confident.
// They were chosen on numbers composed of MNIST training digits
// (TestTuneStrokes).
var (
	gapWeight     = 2.0
	overlapWeight = 2.0
	digitBonus    = 0.5
	aspectWeight  = 0.25
)

// maxPoints bounds the work of reading one drawing: each of its candidate
// digits is prepared as a drawing of its own.
const maxPoints = 20_000

// An atom is a group of strokes that belong to one digit for sure: a
// stroke, with any later stroke drawn inside it.
type atom struct {
	strokes []int
	box     Box
}

// ReadStrokes reads the number drawn as strokes with a round pen of the
// given width, in the order drawn, each digit's strokes one after the
// other (a stroke added later inside a digit drawn earlier, such as the
// bar of a 7, joins it). A drawing of one digit reads as that digit, with
// the probabilities digit.FromStrokes and the network give it.
//
// Its errors are digit.FromStrokes's, with one wrapping digit.ErrTooLarge
// for a number of more than MaxDigits digits.
func (r *Reader) ReadStrokes(strokes []digit.Stroke, width float64) (Reading, error) {
	// The drawing is checked stroke by stroke as digit.FromStrokes checks
	// a drawing, so that its errors are the same; a drawing that holds no
	// digit (a dot) gets FromStrokes's own error below, when no split of it
	// can be read.
	n := 0
	var kept []int
	for i, s := range strokes {
		n += len(s)
		if len(s) == 0 {
			continue
		}
		if err := digit.CheckStrokes(strokes[i:i+1], width); err != nil {
			return Reading{}, err
		}
		kept = append(kept, i)
	}
	if n > maxPoints {
		return Reading{}, &digit.Error{Kind: digit.ErrTooLarge, Reason: fmt.Sprintf("image too large: %d points, over %d", n, maxPoints)}
	}
	if len(kept) == 0 {
		return Reading{}, digit.CheckStrokes(nil, width)
	}

	atoms := strokeAtoms(strokes, kept, width)
	h := lineHeight(atoms)
	atoms = dropDots(atoms, h)
	if len(atoms) > maxStrokeRun*MaxDigits*2 {
		return Reading{}, tooMany(len(atoms) / maxStrokeRun)
	}

	// Every run that may be a digit is a candidate, prepared and classified
	// in one batch.
	type cand struct {
		run
		box Box
		gap float64
	}
	var cands []cand
	index := make(map[run]int)
	for lo := range atoms {
		box := atoms[lo].box
		for hi := lo + 1; hi <= min(lo+maxStrokeRun, len(atoms)); hi++ {
			box = box.union(atoms[hi-1].box)
			g := runGap(atoms[lo:hi]) / h
			if hi-lo > 1 && (box.width() > maxAspect*max(box.height(), h) || g > maxGap) {
				continue
			}
			if max(box.width(), box.height()) < minMark*h {
				continue
			}
			index[run{lo, hi}] = len(cands)
			cands = append(cands, cand{run{lo, hi}, box, g})
		}
	}
	keys := make([]string, len(cands))
	groups := make([][]digit.Stroke, len(cands))
	for i, c := range cands {
		for _, a := range atoms[c.lo:c.hi] {
			for _, s := range a.strokes {
				groups[i] = append(groups[i], strokes[s])
			}
		}
		keys[i] = strokesKey(groups[i], width)
	}
	read := r.classify(keys, func(i int) (*digit.Input, error) {
		return digit.FromStrokes(groups[i], width)
	})

	score := func(ru run) float64 {
		i, ok := index[ru]
		if !ok || read[i].err != nil {
			return impossible
		}
		c := cands[i]
		return logScore(read[i]) + digitBonus - gapWeight*c.gap - aspectWeight*shapeCost(read[i].pred.Digit, c.box.width(), c.box.height())
	}
	boundary := func(a, b run) float64 {
		ba, bb := runBox(atoms[a.lo:a.hi]), runBox(atoms[b.lo:b.hi])
		narrow := max(min(ba.width(), bb.width()), 1e-9)
		return overlapWeight * ba.xOverlap(bb) / narrow
	}
	runs := choose(len(atoms), maxStrokeRun, score, boundary)
	if len(runs) > MaxDigits {
		return Reading{}, tooMany(len(runs))
	}
	digits := make([]Digit, 0, len(runs))
	for _, ru := range runs {
		i, ok := index[ru]
		if !ok || read[i].err != nil {
			// No split avoided a run that cannot be a digit: read the
			// whole drawing as one, as the single-digit page does.
			return r.readOne(strokes, kept, width)
		}
		d := Digit{Prediction: read[i].pred, Input: read[i].in, Box: cands[i].box}
		for _, a := range atoms[ru.lo:ru.hi] {
			d.Strokes = append(d.Strokes, a.strokes...)
		}
		slices.Sort(d.Strokes)
		digits = append(digits, d)
	}
	return newReading(digits), nil
}

// readOne reads the whole drawing as one digit.
func (r *Reader) readOne(strokes []digit.Stroke, kept []int, width float64) (Reading, error) {
	in, err := digit.FromStrokes(strokes, width)
	if err != nil {
		return Reading{}, err
	}
	d := Digit{Prediction: r.p.Predict(in), Input: in, Strokes: kept}
	for i, s := range kept {
		if b := strokeBox(strokes[s], width); i == 0 {
			d.Box = b
		} else {
			d.Box = d.Box.union(b)
		}
	}
	return newReading([]Digit{d}), nil
}

// strokeBox returns the extent of a stroke drawn with a pen of the given
// width.
func strokeBox(s digit.Stroke, width float64) Box {
	b := Box{math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)}
	for _, p := range s {
		b = b.union(Box{p.X, p.Y, p.X, p.Y})
	}
	return Box{b.X0 - width/2, b.Y0 - width/2, b.X1 + width/2, b.Y1 + width/2}
}

// strokeAtoms groups the non-empty strokes kept into atoms, in the order
// drawn.
func strokeAtoms(strokes []digit.Stroke, kept []int, width float64) []atom {
	var atoms []atom
	for _, i := range kept {
		b := strokeBox(strokes[i], width)
		join := -1
		if n := len(atoms); n > 1 && b.xOverlap(atoms[n-1].box) < (1-lateInside)*b.width() {
			most := lateInside * b.width()
			for k, a := range atoms[:n-1] {
				if o := b.xOverlap(a.box); o >= most {
					join, most = k, o
				}
			}
		}
		if join < 0 {
			atoms = append(atoms, atom{strokes: []int{i}, box: b})
			continue
		}
		atoms[join].strokes = append(atoms[join].strokes, i)
		atoms[join].box = atoms[join].box.union(b)
	}
	return atoms
}

// lineHeight returns the height of a number's digits: the median height
// of its atoms that are at least half as tall as the tallest, so that the
// bar of a 7 or the flag of a 5 counts for nothing, and one tall digit
// does not set the scale for the others.
func lineHeight(atoms []atom) float64 {
	tallest := 0.0
	for _, a := range atoms {
		tallest = max(tallest, a.box.height())
	}
	var hs []float64
	for _, a := range atoms {
		if h := a.box.height(); h >= tallest/2 {
			hs = append(hs, h)
		}
	}
	slices.Sort(hs)
	return max(hs[len(hs)/2], 1e-9)
}

// dropDots removes marks too small to be a digit that do not overlap any
// other mark: the points and commas of "1,000" or "3.5".
func dropDots(atoms []atom, h float64) []atom {
	small := func(b Box) bool { return b.width() < minMark*h && b.height() < minMark*h }
	return slices.DeleteFunc(slices.Clone(atoms), func(a atom) bool {
		if !small(a.box) || len(atoms) == 1 {
			return false
		}
		for _, o := range atoms {
			if o.box != a.box && a.box.xOverlap(o.box) >= dotAlone*a.box.width() {
				return false
			}
		}
		return true
	})
}

// runBox returns the extent of a run of atoms.
func runBox(atoms []atom) Box {
	b := atoms[0].box
	for _, a := range atoms[1:] {
		b = b.union(a.box)
	}
	return b
}

// runGap returns the widest empty column span between the atoms of a run,
// taken left to right.
func runGap(atoms []atom) float64 {
	bs := make([]Box, len(atoms))
	for i, a := range atoms {
		bs[i] = a.box
	}
	slices.SortFunc(bs, func(a, b Box) int {
		switch {
		case a.X0 < b.X0:
			return -1
		case a.X0 > b.X0:
			return 1
		}
		return 0
	})
	gap, right := 0.0, bs[0].X1
	for _, b := range bs[1:] {
		gap = max(gap, b.X0-right)
		right = max(right, b.X1)
	}
	return gap
}

// strokesKey returns the cache key of a candidate made of strokes: their
// points and the pen width, bit for bit.
func strokesKey(strokes []digit.Stroke, width float64) string {
	b := binary.LittleEndian.AppendUint64(nil, math.Float64bits(width))
	for _, s := range strokes {
		b = binary.LittleEndian.AppendUint32(b, uint32(len(s)))
		for _, p := range s {
			b = binary.LittleEndian.AppendUint64(b, math.Float64bits(p.X))
			b = binary.LittleEndian.AppendUint64(b, math.Float64bits(p.Y))
		}
	}
	return string(b)
}
