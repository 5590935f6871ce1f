package digit

import "image"

// minContrast is the least difference, in 8-bit grey levels, between the
// background and the ink for an image to hold a digit: 15% of full scale,
// well above JPEG noise and the grain of paper, well below a pencil line.
const minContrast = 38

// inkMap maps the grey levels g of a w×h image, in place, to ink levels:
// 0 is background and 255 full ink (step 2 of the recipe). It returns
// ErrNoInk if the image has too little contrast to hold a digit.
func inkMap(g []uint8, w, h int) error {
	var hist [256]int
	for _, v := range g {
		hist[v]++
	}
	bg := percentile(&hist, len(g), 1, 2)
	// The k-th darkest and the k-th lightest pixels: a digit has far more
	// than k pixels of ink, a speck of dirt far fewer.
	k := max(1, min(w, h)/8)
	lo, c := 0, 0
	for v := 0; v < 256; v++ {
		if c += hist[v]; c >= k {
			lo = v
			break
		}
	}
	hi, c := 255, 0
	for v := 255; v >= 0; v-- {
		if c += hist[v]; c >= k {
			hi = v
			break
		}
	}
	dark := bg - lo // ink darker than the background reaches this far
	light := hi - bg
	contrast := max(dark, light)
	if contrast < minContrast {
		return ErrNoInk
	}
	// The background's own spread, measured on the side away from the
	// ink where no ink can inflate it: JPEG noise, grain, shading.
	spread := percentile(&hist, len(g), 3, 4) - bg
	if light > dark {
		spread = bg - percentile(&hist, len(g), 1, 4)
	}
	// Excursions towards the ink up to the floor are background; from
	// there to the full contrast, ink rises linearly. The floor is a tenth
	// of the contrast, or three times the background's spread if that is
	// more, but never over a third of the contrast.
	floor := min(max(contrast/10, 3*spread), contrast/3)
	span := contrast - floor
	var lut [256]uint8
	for v := range lut {
		x := v - bg
		if dark >= light {
			x = bg - v
		}
		switch {
		case x <= floor:
			lut[v] = 0
		case x >= contrast:
			lut[v] = 255
		default:
			lut[v] = uint8((255*(x-floor) + span/2) / span)
		}
	}
	for i, v := range g {
		g[i] = lut[v]
	}
	return nil
}

// Parameters of the search for specks (step 3 of the recipe).
const (
	maxCells  = 200 // the coarse grid has at most this many cells on a side
	speckPart = 20  // a mark under 1/speckPart of the largest is a speck
	// A cell is inked if one of its pixels has at least this much ink: a
	// quarter, so that a one-pixel line drawn between two rows of pixels
	// (two rows of half ink) counts.
	inkedCell = 64
)

// inkBox finds the marks on the w×h ink map, clears the specks among them,
// and returns the bounding box of the ink that remains. It returns ErrNoInk
// if there is no ink.
func inkBox(ink []uint8, w, h int) (image.Rectangle, error) {
	// A cell of the coarse grid is inked if any of its pixels has
	// inkedCell or more; each connected group of inked cells (8-connectivity) is a
	// mark.
	side := (max(w, h) + maxCells - 1) / maxCells
	cw, ch := (w+side-1)/side, (h+side-1)/side
	inked := make([]bool, cw*ch)
	for y := range h {
		row, cells := ink[y*w:(y+1)*w], inked[y/side*cw:]
		for x, v := range row {
			if v >= inkedCell {
				cells[x/side] = true
			}
		}
	}
	type mark struct {
		area int
		box  image.Rectangle // in cells
	}
	var marks []mark
	label := make([]int32, cw*ch) // 1 + index into marks; 0 for none
	var stack []int
	for i, in := range inked {
		if !in || label[i] != 0 {
			continue
		}
		l := int32(len(marks) + 1)
		var m mark
		label[i] = l
		stack = append(stack[:0], i)
		for len(stack) > 0 {
			j := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			x, y := j%cw, j/cw
			m.area++
			m.box = m.box.Union(image.Rect(x, y, x+1, y+1))
			for ny := max(y-1, 0); ny <= min(y+1, ch-1); ny++ {
				for nx := max(x-1, 0); nx <= min(x+1, cw-1); nx++ {
					if k := ny*cw + nx; inked[k] && label[k] == 0 {
						label[k] = l
						stack = append(stack, k)
					}
				}
			}
		}
		marks = append(marks, m)
	}
	largest := 0
	for _, m := range marks {
		largest = max(largest, m.area)
	}
	if largest == 0 {
		return image.Rectangle{}, ErrNoInk
	}
	keep := make([]bool, len(marks))
	var box image.Rectangle
	for i, m := range marks {
		if speckPart*m.area >= largest {
			keep[i] = true
			box = box.Union(m.box)
		}
	}
	for i, m := range marks {
		keep[i] = keep[i] || m.box.In(box)
	}
	// Pixels in or next to a kept mark's cells stay (that includes the
	// faint edges of strokes); the rest are cleared.
	near := make([]bool, cw*ch)
	for i, l := range label {
		if l == 0 || !keep[l-1] {
			continue
		}
		x, y := i%cw, i/cw
		for ny := max(y-1, 0); ny <= min(y+1, ch-1); ny++ {
			for nx := max(x-1, 0); nx <= min(x+1, cw-1); nx++ {
				near[ny*cw+nx] = true
			}
		}
	}
	x0, y0, x1, y1 := w, h, -1, -1
	for y := range h {
		row, cells := ink[y*w:(y+1)*w], near[y/side*cw:]
		for x, v := range row {
			if v == 0 {
				continue
			}
			if !cells[x/side] {
				row[x] = 0
				continue
			}
			x0, x1 = min(x0, x), max(x1, x)
			y0, y1 = min(y0, y), max(y1, y)
		}
	}
	return image.Rect(x0, y0, x1+1, y1+1), nil
}
