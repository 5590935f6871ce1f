package number

import (
	"image"
	"slices"
)

// cutAll cuts every atom wider than mayTouch line heights at the necks
// where touching digits may meet, relabelling its pixels one piece each,
// and returns the number of pieces and the atom of each. Atoms are
// labelled 0 to len(atoms)-1 on entry; pieces are labelled 0 to the count
// returned on exit.
func cutAll(ink *image.Gray, label []int32, atoms []image.Rectangle, lh float64) (int, []int) {
	w := ink.Rect.Dx()
	// Each atom's first piece label, then the labels of its other pieces.
	first := make([]int32, len(atoms))
	paths := make([][][]int, len(atoms))
	next := int32(0)
	for a, b := range atoms {
		first[a] = next
		if float64(b.Dx()) > mayTouch*lh {
			paths[a] = cuts(ink, label, int32(a), b, lh)
		}
		next += int32(len(paths[a]) + 1)
	}
	atomOf := make([]int, next)
	for a := range atoms {
		for p := first[a]; p <= first[a]+int32(len(paths[a])); p++ {
			atomOf[p] = a
		}
	}
	for y := range ink.Rect.Dy() {
		for x := range w {
			i := y*w + x
			a := label[i]
			if a < 0 {
				continue
			}
			p := first[a]
			for _, path := range paths[a] {
				if x >= path[y-atoms[a].Min.Y] {
					p++
				}
			}
			label[i] = p
		}
	}
	return int(next), atomOf
}

// cuts returns the paths, left to right, along which an atom may be cut:
// each gives, for every row of the atom's box, the column from which
// pixels lie right of the cut. A cut starts at a column where the atom has
// little ink (a local minimum of its vertical projection) and follows the
// way through the least ink from top to bottom, moving at most one column
// a row, within a band around that column.
func cuts(ink *image.Gray, label []int32, a int32, b image.Rectangle, lh float64) [][]int {
	w := ink.Rect.Dx()
	at := func(x, y int) int {
		i := y*w + x
		if label[i] != a {
			return 0
		}
		return int(ink.Pix[i])
	}
	proj := make([]int, b.Dx())
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			proj[x-b.Min.X] += at(x, y)
		}
	}
	// Smooth the projection over a few columns so that one pixel of noise
	// makes no minimum.
	k := max(1, int(0.03*lh))
	smooth := make([]int, len(proj))
	for x := range proj {
		for d := -k; d <= k; d++ {
			if j := x + d; j >= 0 && j < len(proj) {
				smooth[x] += proj[j]
			}
		}
	}
	edge, spacing := int(cutEdge*lh), int(cutSpacing*lh)
	var minima []int
	for x := max(1, edge); x < len(smooth)-max(1, edge); x++ {
		if smooth[x] <= smooth[x-1] && smooth[x] <= smooth[x+1] {
			minima = append(minima, x)
		}
	}
	slices.SortStableFunc(minima, func(i, j int) int { return smooth[i] - smooth[j] })
	most := int(float64(b.Dx())/(0.4*lh)) + 1
	var chosen []int
	for _, x := range minima {
		if len(chosen) == most {
			break
		}
		if !slices.ContainsFunc(chosen, func(c int) bool { return abs(c-x) < spacing }) {
			chosen = append(chosen, x)
		}
	}
	slices.Sort(chosen)

	band := max(1, int(cutBand*lh))
	rows := b.Dy()
	var out [][]int
	for _, c := range chosen {
		lo, hi := max(0, c-band), min(b.Dx()-1, c+band)
		n := hi - lo + 1
		cost := make([]int, rows*n)
		from := make([]int8, rows*n)
		for y := range rows {
			for i := range n {
				v := at(b.Min.X+lo+i, b.Min.Y+y)
				if y == 0 {
					cost[i] = v + 2*abs(lo+i-c)
					continue
				}
				best, bd := -1, int8(0)
				for d := int8(-1); d <= 1; d++ {
					j := i + int(d)
					if j < 0 || j >= n {
						continue
					}
					cv := cost[(y-1)*n+j] + 8*int(abs(int(d)))
					if best < 0 || cv < best {
						best, bd = cv, d
					}
				}
				cost[y*n+i], from[y*n+i] = best+v, bd
			}
		}
		end := 0
		for i := 1; i < n; i++ {
			if cost[(rows-1)*n+i] < cost[(rows-1)*n+end] {
				end = i
			}
		}
		path := make([]int, rows)
		for y := rows - 1; y >= 0; y-- {
			path[y] = b.Min.X + lo + end
			end += int(from[y*n+end])
		}
		out = append(out, path)
	}
	return out
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}
