package kernel

// ConvGeometry describes a 2-D convolution over a batch: N inputs of C
// planes of H×W, zero-padded by Pad on every side, and filters of KH×KW
// moved by Stride.
type ConvGeometry struct {
	N, C, H, W  int
	KH, KW      int
	Stride, Pad int
}

// OutputSize returns how many windows of size window, stride apart, fit
// along an axis of size in padded by pad on both sides: the output size of
// a convolution or a pooling along that axis.
func OutputSize(in, window, stride, pad int) int { return (in+2*pad-window)/stride + 1 }

// OutH returns the height of the output planes.
func (g ConvGeometry) OutH() int { return OutputSize(g.H, g.KH, g.Stride, g.Pad) }

// OutW returns the width of the output planes.
func (g ConvGeometry) OutW() int { return OutputSize(g.W, g.KW, g.Stride, g.Pad) }

// ColRows returns the rows of the column matrix, C·KH·KW: one per weight of
// a filter.
func (g ConvGeometry) ColRows() int { return g.C * g.KH * g.KW }

// ColCols returns the columns of the column matrix, N·OutH·OutW: one per
// output position of every sample.
func (g ConvGeometry) ColCols() int { return g.N * g.OutH() * g.OutW() }

// A ConvLowering turns a convolution into a matrix product and back
// (im2col and col2im). A layer keeps one for its buffers, so that a warm
// layer allocates nothing.
type ConvLowering struct {
	g      ConvGeometry
	x, col []float32
	dx     []float32
	padded []float32 // for each sample, an input plane with its padding
}

// Im2col copies every receptive field of x, an (N, C, H, W) batch, into a
// column of col, a ColRows × ColCols matrix: row (c·KH + ky)·KW + kx holds
// input plane c at offset (ky, kx) under every output position, samples
// one after the other.
func (t *ConvLowering) Im2col(col, x []float32, g ConvGeometry) {
	t.g, t.x, t.col = g, x, col[:g.ColRows()*g.ColCols()]
	if g.Pad > 0 {
		t.padded = grow(t.padded, g.N*(g.H+2*g.Pad)*(g.W+2*g.Pad))
	}
	ParallelFor(g.N, g.ColRows()*g.OutH()*g.OutW(), t, (*ConvLowering).im2col)
}

// Col2im sets dx, an (N, C, H, W) batch, to the sums of the column
// gradients dcol over every receptive field each input falls in: the
// reverse of the last Im2col, whose geometry it uses.
func (t *ConvLowering) Col2im(dx, dcol []float32) {
	t.dx, t.col = dx, dcol
	g := t.g
	ParallelFor(g.N, g.ColRows()*g.OutH()*g.OutW(), t, (*ConvLowering).col2im)
}

// im2col fills the columns of samples [lo, hi). Each input plane is first
// copied into the middle of a zeroed plane with the padding around it, so
// that an output row's part of a row of col is one copy, with no edges to
// find and clear: the rows are short (5 to 28 values in tegaki), and
// finding and clearing the edges took as long as copying.
func (t *ConvLowering) im2col(lo, hi int) {
	g := t.g
	oh, ow := g.OutH(), g.OutW()
	p := oh * ow
	np := g.N * p
	pw, ph := g.W+2*g.Pad, g.H+2*g.Pad
	for i := lo; i < hi; i++ {
		var padded []float32
		if g.Pad > 0 {
			padded = t.padded[i*pw*ph : (i+1)*pw*ph]
			clear(padded)
		}
		for ci := range g.C {
			plane := t.x[(i*g.C+ci)*g.H*g.W : (i*g.C+ci+1)*g.H*g.W]
			if g.Pad > 0 {
				for y := range g.H {
					copy(padded[(y+g.Pad)*pw+g.Pad:], plane[y*g.W:(y+1)*g.W])
				}
			} else {
				padded = plane
			}
			for ky := range g.KH {
				for kx := range g.KW {
					r := (ci*g.KH+ky)*g.KW + kx
					row := t.col[r*np+i*p : r*np+i*p+p]
					if g.Stride == 1 {
						CopyRuns(row, ow, padded[ky*pw+kx:], pw, oh, ow)
						continue
					}
					for oy := range oh {
						dst := row[oy*ow : (oy+1)*ow]
						src := padded[(oy*g.Stride+ky)*pw+kx:]
						if g.Stride == 1 {
							copy(dst, src)
							continue
						}
						for ox := range dst {
							dst[ox] = src[ox*g.Stride]
						}
					}
				}
			}
		}
	}
}

// col2im sums the column gradients of samples [lo, hi) into dx.
func (t *ConvLowering) col2im(lo, hi int) {
	g := t.g
	oh, ow := g.OutH(), g.OutW()
	p := oh * ow
	np := g.N * p
	size := g.C * g.H * g.W
	for i := lo; i < hi; i++ {
		clear(t.dx[i*size : (i+1)*size])
		for ci := range g.C {
			plane := t.dx[(i*g.C+ci)*g.H*g.W:]
			for ky := range g.KH {
				for kx := range g.KW {
					r := (ci*g.KH+ky)*g.KW + kx
					row := t.col[r*np+i*p : r*np+i*p+p]
					x0, x1 := g.validRange(kx, ow)
					if g.Stride == 1 {
						// Output rows oy whose input row oy + ky - Pad is
						// in the plane, as one rectangle.
						y0, y1 := max(0, g.Pad-ky), min(oh, g.H+g.Pad-ky)
						if y0 < y1 && x0 < x1 {
							AddRuns(plane[(y0+ky-g.Pad)*g.W+x0+kx-g.Pad:], g.W, row[y0*ow+x0:], ow, y1-y0, x1-x0)
						}
						continue
					}
					for oy := range oh {
						iy := oy*g.Stride + ky - g.Pad
						if iy < 0 || iy >= g.H {
							continue
						}
						src := row[oy*ow : (oy+1)*ow]
						dst := plane[iy*g.W:]
						for ox := x0; ox < x1; ox++ {
							dst[ox*g.Stride+kx-g.Pad] += src[ox]
						}
					}
				}
			}
		}
	}
}

// validRange returns the output columns [x0, x1) whose input column
// ox·Stride + kx - Pad falls inside [0, W).
func (g ConvGeometry) validRange(kx, ow int) (x0, x1 int) {
	s := g.Stride
	// Smallest ox with ox·s ≥ Pad - kx.
	if d := g.Pad - kx; d > 0 {
		x0 = (d + s - 1) / s
	}
	// Smallest ox with ox·s ≥ W + Pad - kx, the first one past the edge.
	x1 = (g.W + g.Pad - kx + s - 1) / s
	x0, x1 = min(x0, ow), min(max(x1, 0), ow)
	return x0, max(x0, x1)
}
