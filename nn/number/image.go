package number

import (
	"encoding/binary"
	"hash/maphash"
	"image"
	"slices"

	"github.com/tegaki/tegaki/nn/digit"
)

// Parameters of the split of a picture. Lengths are in line heights.
const (
	// maxWork is the longer side of the ink map the split works on: a
	// photo is scaled down to it first. A number of 12 digits is then
	// over 50 pixels tall, more than the 28 the network sees.
	maxWork = 1000
	// inkLevel is the ink, of 255, from which a pixel joins its
	// neighbours into a mark.
	inkLevel = 96
	// Marks smaller than this both ways are specks.
	speck = 0.12
	// A mark shorter than this is a fragment (the detached bar of a 5)
	// and joins the mark it overlaps.
	fragment = 0.6
	// Marks wider than this may be several digits touching, and are cut
	// at their thin necks.
	mayTouch = 0.85
	// Cuts are at least this far from each other, and cutEdge from a
	// mark's sides: a 1 is narrow.
	cutSpacing = 0.15
	cutEdge    = 0.08
	// The cut between two touching digits may wander this far either side
	// of the column where it starts, to follow the gap between them.
	cutBand = 0.15
	// The faint outline of a mark, under inkLevel, is followed this far
	// from it: cropped, a digit reads worse.
	haloSpread = 0.15
	// maxPieceRun is the most pieces one digit is made of.
	maxPieceRun = 4
)

// Weights of the score of a picture's split, as for a drawing's (see
// digitBonus), with cutWeight for each cut through a mark. They were
// chosen on numbers composed of MNIST validation digits (TestTuneImages).
var (
	imageBonus   = 1.0
	imageAspect  = 0.25
	imageOverlap = 1.0
	cutWeight    = 1.0
)

// A mark is a group of ink: a connected component, or the union of some.
type mark struct {
	box  image.Rectangle
	area int
}

// ReadImage reads the number in a picture: its digits left to right, apart
// or touching. Each digit is prepared with digit.FromInk from the
// picture's ink, so that a picture of one digit reads as digit.FromImage
// reads it. Its errors are digit.FromImage's, with one wrapping
// digit.ErrTooLarge for a number of more than MaxDigits digits.
func (r *Reader) ReadImage(img image.Image) (Reading, error) {
	ink, err := digit.Ink(img)
	if err != nil {
		return Reading{}, err
	}
	ink, f := shrink(ink)
	w, h := ink.Rect.Dx(), ink.Rect.Dy()
	label, marks := components(ink)
	if len(marks) == 0 {
		return Reading{}, noDigits("no marks")
	}
	lh := markHeight(marks)

	// Specks go; fragments join the mark they lie over; what remains is
	// relabelled one mark each.
	alias := make([]int, len(marks))
	for i := range alias {
		alias[i] = i
	}
	keep := make([]bool, len(marks))
	for i, m := range marks {
		keep[i] = float64(max(m.box.Dx(), m.box.Dy())) >= speck*lh
	}
	for i, m := range marks {
		if !keep[i] || float64(m.box.Dy()) >= fragment*lh {
			continue
		}
		best, most := -1, 0.5*float64(m.box.Dx())
		for j, o := range marks {
			if j == i || !keep[j] || float64(o.box.Dy()) < fragment*lh {
				continue
			}
			if ov := float64(pixOverlap(m.box, o.box)); ov >= most {
				best, most = j, ov
			}
		}
		if best >= 0 {
			alias[i] = best
		} else if float64(max(m.box.Dx(), m.box.Dy())) < minMark*lh {
			keep[i] = false // a point or a comma
		}
	}
	groups := make(map[int][]int) // root mark → its marks
	for i := range marks {
		if keep[i] {
			groups[alias[i]] = append(groups[alias[i]], i)
		}
	}
	if len(groups) == 0 {
		return Reading{}, noDigits("only specks")
	}
	if len(groups) > 2*MaxDigits*maxPieceRun {
		return Reading{}, tooMany(len(groups) / maxPieceRun)
	}
	atomOf := make([]int32, len(marks)) // -1 for none
	for i := range atomOf {
		atomOf[i] = -1
	}
	var atoms []image.Rectangle
	roots := make([]int, 0, len(groups))
	for root := range groups {
		roots = append(roots, root)
	}
	slices.Sort(roots)
	for _, root := range roots {
		var b image.Rectangle
		for _, i := range groups[root] {
			atomOf[i] = int32(len(atoms))
			b = b.Union(marks[i].box)
		}
		atoms = append(atoms, b)
	}
	for i, l := range label {
		if l >= 0 {
			label[i] = atomOf[l]
		}
	}

	// Wide atoms are cut into pieces; pieces left to right are the split's
	// atoms.
	pieces, atomOfPiece := cutAll(ink, label, atoms, lh)
	spread(ink, label, max(3, int(haloSpread*lh)))
	boxes := make([]image.Rectangle, pieces)
	for y := range h {
		for x, l := range label[y*w : (y+1)*w] {
			if l >= 0 {
				boxes[l] = boxes[l].Union(image.Rect(x, y, x+1, y+1))
			}
		}
	}
	order := make([]int, 0, pieces)
	for i, b := range boxes {
		if !b.Empty() {
			order = append(order, i)
		}
	}
	slices.SortFunc(order, func(a, b int) int {
		return (boxes[a].Min.X + boxes[a].Max.X) - (boxes[b].Min.X + boxes[b].Max.X)
	})
	rank := make([]int32, pieces)
	for i, p := range order {
		rank[p] = int32(i)
	}
	for i, l := range label {
		if l >= 0 {
			label[i] = rank[l]
		}
	}
	bs := make([]Box, len(order))
	for i, p := range order {
		bs[i] = imageBox(boxes[p])
	}

	type cand struct {
		run
		box Box
		gap float64
	}
	var cands []cand
	index := make(map[run]int)
	for lo := range bs {
		box := bs[lo]
		for hi := lo + 1; hi <= min(lo+maxPieceRun, len(bs)); hi++ {
			box = box.union(bs[hi-1])
			g := boxGap(bs[lo:hi]) / lh
			if hi-lo > 1 && (box.width() > maxAspect*max(box.height(), lh) || g > maxGap) {
				continue
			}
			if max(box.width(), box.height()) < minMark*lh {
				continue
			}
			index[run{lo, hi}] = len(cands)
			cands = append(cands, cand{run{lo, hi}, box, g})
		}
	}
	crops := make([]*image.Gray, len(cands))
	keys := make([]string, len(cands))
	for i, c := range cands {
		crops[i] = crop(ink, label, c.lo, c.hi, c.box)
		// A crop's size and 64-bit hash key it, not its pixels, to keep
		// the cache small; two crops of one size collide once in 2⁶⁴
		// pairs. (crypto/sha256 would add 50 KB gzipped to the page:
		// see nn/pretrained's sum256.)
		k := binary.LittleEndian.AppendUint32(nil, uint32(crops[i].Rect.Dx()))
		k = binary.LittleEndian.AppendUint32(k, uint32(crops[i].Rect.Dy()))
		keys[i] = string(binary.LittleEndian.AppendUint64(k, maphash.Bytes(r.seed, crops[i].Pix)))
	}
	read := r.classify(keys, func(i int) (*digit.Input, error) {
		return digit.FromInk(crops[i])
	})
	score := func(ru run) float64 {
		i, ok := index[ru]
		if !ok || read[i].err != nil {
			return impossible
		}
		c := cands[i]
		return logScore(read[i]) + imageBonus - gapWeight*c.gap - imageAspect*shapeCost(read[i].pred.Digit, c.box.width(), c.box.height())
	}
	boundary := func(a, b run) float64 {
		ba, bb := runBoxes(bs[a.lo:a.hi]), runBoxes(bs[b.lo:b.hi])
		narrow := max(min(ba.width(), bb.width()), 1e-9)
		p := imageOverlap * ba.xOverlap(bb) / narrow
		if atomOfPiece[order[a.hi-1]] == atomOfPiece[order[b.lo]] {
			p += cutWeight // the boundary cuts a mark
		}
		return p
	}
	runs := choose(len(bs), maxPieceRun, score, boundary)
	if len(runs) > MaxDigits {
		return Reading{}, tooMany(len(runs))
	}
	digits := make([]Digit, 0, len(runs))
	for _, ru := range runs {
		i, ok := index[ru]
		if !ok || read[i].err != nil {
			return r.readWhole(ink, f)
		}
		b := cands[i].box
		digits = append(digits, Digit{Prediction: read[i].pred, Input: read[i].in,
			Box: Box{b.X0 * f, b.Y0 * f, b.X1 * f, b.Y1 * f}})
	}
	return newReading(digits), nil
}

// readWhole reads the whole ink map as one digit.
func (r *Reader) readWhole(ink *image.Gray, f float64) (Reading, error) {
	in, err := digit.FromInk(ink)
	if err != nil {
		return Reading{}, err
	}
	b := imageBox(ink.Rect)
	d := Digit{Prediction: r.p.Predict(in), Input: in, Box: Box{b.X0 * f, b.Y0 * f, b.X1 * f, b.Y1 * f}}
	return newReading([]Digit{d}), nil
}

// shrink returns the ink map scaled down, by averaging blocks of pixels,
// so that its longer side is at most maxWork, and the factor by which it
// shrank.
func shrink(ink *image.Gray) (*image.Gray, float64) {
	w, h := ink.Rect.Dx(), ink.Rect.Dy()
	k := (max(w, h) + maxWork - 1) / maxWork
	if k <= 1 {
		return ink, 1
	}
	sw, sh := (w+k-1)/k, (h+k-1)/k
	out := image.NewGray(image.Rect(0, 0, sw, sh))
	sum := make([]int, sw)
	for sy := range sh {
		clear(sum)
		n := 0
		for y := sy * k; y < min(h, (sy+1)*k); y++ {
			n++
			row := ink.Pix[y*ink.Stride : y*ink.Stride+w]
			for x, v := range row {
				sum[x/k] += int(v)
			}
		}
		for sx := range sw {
			cols := min(w, (sx+1)*k) - sx*k
			out.Pix[sy*sw+sx] = uint8(sum[sx] / (n * cols))
		}
	}
	return out, float64(k)
}

// components labels the 8-connected marks of ink at inkLevel or more: the
// label of each pixel (-1 for none) and each mark's extent.
func components(ink *image.Gray) ([]int32, []mark) {
	w, h := ink.Rect.Dx(), ink.Rect.Dy()
	label := make([]int32, w*h)
	for i := range label {
		label[i] = -1
	}
	var marks []mark
	var stack []int
	for i, v := range ink.Pix[:w*h] {
		if v < inkLevel || label[i] >= 0 {
			continue
		}
		l := int32(len(marks))
		m := mark{}
		label[i] = l
		stack = append(stack[:0], i)
		for len(stack) > 0 {
			j := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			x, y := j%w, j/w
			m.area++
			m.box = m.box.Union(image.Rect(x, y, x+1, y+1))
			for ny := max(y-1, 0); ny <= min(y+1, h-1); ny++ {
				for nx := max(x-1, 0); nx <= min(x+1, w-1); nx++ {
					if k := ny*w + nx; ink.Pix[k] >= inkLevel && label[k] < 0 {
						label[k] = l
						stack = append(stack, k)
					}
				}
			}
		}
		marks = append(marks, m)
	}
	return label, marks
}

// markHeight returns the height of a picture's digits: the median height
// of its marks at least half as tall as the tallest.
func markHeight(marks []mark) float64 {
	tallest := 0
	for _, m := range marks {
		tallest = max(tallest, m.box.Dy())
	}
	var hs []int
	for _, m := range marks {
		if m.box.Dy()*2 >= tallest {
			hs = append(hs, m.box.Dy())
		}
	}
	slices.Sort(hs)
	return float64(hs[len(hs)/2])
}

// pixOverlap returns the overlap of two rectangles' column spans.
func pixOverlap(a, b image.Rectangle) int {
	return max(0, min(a.Max.X, b.Max.X)-max(a.Min.X, b.Min.X))
}

// spread gives the faint pixels at the edges of strokes, under inkLevel,
// the label of the mark they border, so that each digit keeps its
// anti-aliased outline.
func spread(ink *image.Gray, label []int32, passes int) {
	w, h := ink.Rect.Dx(), ink.Rect.Dy()
	for range passes {
		next := slices.Clone(label)
		changed := false
		for y := range h {
			for x := range w {
				i := y*w + x
				if label[i] >= 0 || ink.Pix[i] == 0 {
					continue
				}
				for ny := max(y-1, 0); ny <= min(y+1, h-1) && next[i] < 0; ny++ {
					for nx := max(x-1, 0); nx <= min(x+1, w-1); nx++ {
						if l := label[ny*w+nx]; l >= 0 {
							next[i], changed = l, true
							break
						}
					}
				}
			}
		}
		copy(label, next)
		if !changed {
			return
		}
	}
}

// crop returns the ink of the pieces [lo, hi) within their box, and
// nothing of the others.
func crop(ink *image.Gray, label []int32, lo, hi int, b Box) *image.Gray {
	w := ink.Rect.Dx()
	r := image.Rect(int(b.X0), int(b.Y0), int(b.X1), int(b.Y1))
	out := image.NewGray(image.Rect(0, 0, r.Dx(), r.Dy()))
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			if l := label[y*w+x]; l >= int32(lo) && l < int32(hi) {
				out.Pix[(y-r.Min.Y)*out.Stride+x-r.Min.X] = ink.Pix[y*w+x]
			}
		}
	}
	return out
}

// runBoxes returns the union of boxes.
func runBoxes(bs []Box) Box {
	b := bs[0]
	for _, c := range bs[1:] {
		b = b.union(c)
	}
	return b
}

// boxGap returns the widest empty column span between boxes, taken left
// to right.
func boxGap(bs []Box) float64 {
	as := make([]atom, len(bs))
	for i, b := range bs {
		as[i].box = b
	}
	return runGap(as)
}
