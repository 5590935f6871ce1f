package nn

import "fmt"

// Conv is a 2-D convolution computed as im2col followed by one matrix
// product, as in the book's Convolution layer.
//
// Shapes (n batch, c input channels, h×w input, f filters of kh×kw, oh×ow
// output, p = oh·ow, ck = c·kh·kw):
//
//	x    (n, c, h, w)
//	W    (f, c, kh, kw)
//	b    (f)
//	col  (ck, n·p)    every receptive field as a column
//	tmp  (f, n·p)     W·col, before bias and reordering
//	out  (n, f, oh, ow)
//
// Putting the whole batch in one (ck, n·p) matrix turns the layer into a
// single large product for gonum to spread over the cores; reordering tmp
// into NCHW is then a copy of contiguous rows of p values.
type Conv struct {
	W, B        *Param
	Stride, Pad int

	x             *Tensor
	n, c, h, w    int // input dimensions of the last Forward
	oh, ow        int
	col, tmp      []float32
	padded        []float32 // for each sample, an input plane with the padding around it
	dcol          []float32
	out, dx       *Tensor
	skipInputGrad bool
}

// NewConv returns a convolution of filters kernels of size k×k over in
// channels, with zero weights named name.W and name.b. Stride must be at
// least 1 and pad at least 0.
func NewConv(name string, in, filters, k, stride, pad int) *Conv {
	if stride < 1 || pad < 0 || k < 1 {
		panic(fmt.Sprintf("nn: NewConv: bad kernel %d, stride %d or pad %d", k, stride, pad))
	}
	return &Conv{
		W:      newParam(name+".W", true, filters, in, k, k),
		B:      newParam(name+".b", false, filters),
		Stride: stride,
		Pad:    pad,
	}
}

// Params returns W and b.
func (l *Conv) Params() []*Param { return []*Param{l.W, l.B} }

// OutputSize returns the height or width of the output for an input of
// size in along the same axis.
func (l *Conv) OutputSize(in int) int {
	return (in+2*l.Pad-l.W.Value.Shape[2])/l.Stride + 1
}

// Forward convolves x with the filters and adds the bias. It panics if x is
// not (n, c, h, w) with the layer's c or is smaller than a filter.
func (l *Conv) Forward(x *Tensor, mode Mode) *Tensor {
	f, c, kh, kw := l.W.Value.Shape[0], l.W.Value.Shape[1], l.W.Value.Shape[2], l.W.Value.Shape[3]
	if len(x.Shape) != 4 || x.Shape[1] != c {
		panic(fmt.Sprintf("nn: Conv: input %v, want (n, %d, h, w)", x.Shape, c))
	}
	l.x = x
	l.n, l.c, l.h, l.w = x.Shape[0], c, x.Shape[2], x.Shape[3]
	l.oh, l.ow = (l.h+2*l.Pad-kh)/l.Stride+1, (l.w+2*l.Pad-kw)/l.Stride+1
	if l.oh < 1 || l.ow < 1 {
		panic(fmt.Sprintf("nn: Conv: input %v smaller than filter %dx%d", x.Shape, kh, kw))
	}
	n, p, ck := l.n, l.oh*l.ow, c*kh*kw
	np := n * p
	l.col = grow(l.col, ck*np)
	if l.Pad > 0 {
		l.padded = grow(l.padded, n*(l.h+2*l.Pad)*(l.w+2*l.Pad))
	}
	if worthSplitting(n, ck*p) {
		parallelFor(n, l.im2col)
	} else {
		l.im2col(0, n)
	}
	l.tmp = grow(l.tmp, f*np)
	gemm(false, false, f, np, ck, 1, l.W.Value.Data, ck, l.col, np, 0, l.tmp, np)
	l.out = ensure(l.out, n, f, l.oh, l.ow)
	out, b := l.out.Data, l.B.Value.Data
	for i := range n {
		for j := range f {
			src := l.tmp[j*np+i*p : j*np+i*p+p]
			dst := out[(i*f+j)*p : (i*f+j)*p+p]
			bj := b[j]
			for q, v := range src {
				dst[q] = v + bj
			}
		}
	}
	return l.out
}

// Backward computes db = Σ dout, dW = dout·colᵀ and dx = col2im(Wᵀ·dout).
func (l *Conv) Backward(dout *Tensor) *Tensor {
	f := l.W.Value.Shape[0]
	n, p, ck := l.n, l.oh*l.ow, len(l.W.Value.Data)/f
	np := n * p
	// Reorder dout (n, f, p) into tmp (f, n·p), summing the bias gradient.
	db := l.B.Grad.Data
	clear32(db)
	for i := range n {
		for j := range f {
			src := dout.Data[(i*f+j)*p : (i*f+j)*p+p]
			copy(l.tmp[j*np+i*p:], src)
			var s float32
			for _, v := range src {
				s += v
			}
			db[j] += s
		}
	}
	gemm(false, true, f, ck, np, 1, l.tmp, np, l.col, np, 0, l.W.Grad.Data, ck)
	l.dx = ensure(l.dx, l.n, l.c, l.h, l.w)
	if l.skipInputGrad {
		// The first layer's dx feeds nothing; the network asks to skip it.
		return l.dx
	}
	l.dcol = grow(l.dcol, ck*np)
	gemm(true, false, ck, np, f, 1, l.W.Value.Data, ck, l.tmp, np, 0, l.dcol, np)
	if worthSplitting(n, ck*p) {
		parallelFor(n, l.col2im)
	} else {
		l.col2im(0, n)
	}
	return l.dx
}

// im2col copies the receptive fields of samples [lo, hi) into l.col. Each
// input plane is first copied into the middle of a zeroed plane with the
// padding around it, so that an output row's part of a row of l.col is one
// copy, with no edges to find and clear: the rows are short (5 to 28 values
// in tegaki), and finding and clearing the edges took as long as copying.
func (l *Conv) im2col(lo, hi int) {
	kh, kw := l.W.Value.Shape[2], l.W.Value.Shape[3]
	s, pad := l.Stride, l.Pad
	p := l.oh * l.ow
	np := l.n * p
	pw, ph := l.w+2*pad, l.h+2*pad
	x := l.x.Data
	for i := lo; i < hi; i++ {
		var padded []float32
		if pad > 0 {
			padded = l.padded[i*pw*ph : (i+1)*pw*ph]
			clear32(padded)
		}
		for ci := range l.c {
			plane := x[(i*l.c+ci)*l.h*l.w : (i*l.c+ci+1)*l.h*l.w]
			if pad > 0 {
				for y := range l.h {
					copy(padded[(y+pad)*pw+pad:], plane[y*l.w:(y+1)*l.w])
				}
			} else {
				padded = plane
			}
			for ky := range kh {
				for kx := range kw {
					r := (ci*kh+ky)*kw + kx
					row := l.col[r*np+i*p : r*np+i*p+p]
					for oy := range l.oh {
						dst := row[oy*l.ow : (oy+1)*l.ow]
						src := padded[(oy*s+ky)*pw+kx:]
						if s == 1 {
							copy(dst, src)
							continue
						}
						for ox := range dst {
							dst[ox] = src[ox*s]
						}
					}
				}
			}
		}
	}
}

// col2im adds the column gradients of samples [lo, hi) back onto dx.
func (l *Conv) col2im(lo, hi int) {
	kh, kw := l.W.Value.Shape[2], l.W.Value.Shape[3]
	p := l.oh * l.ow
	np := l.n * p
	dx := l.dx.Data
	size := l.c * l.h * l.w
	for i := lo; i < hi; i++ {
		clear32(dx[i*size : (i+1)*size])
		for ci := range l.c {
			plane := dx[(i*l.c+ci)*l.h*l.w:]
			for ky := range kh {
				for kx := range kw {
					r := (ci*kh+ky)*kw + kx
					row := l.dcol[r*np+i*p : r*np+i*p+p]
					x0, x1 := l.validRange(kx, l.w, l.ow)
					for oy := range l.oh {
						iy := oy*l.Stride + ky - l.Pad
						if iy < 0 || iy >= l.h {
							continue
						}
						src := row[oy*l.ow : (oy+1)*l.ow]
						dst := plane[iy*l.w:]
						for ox := x0; ox < x1; ox++ {
							dst[ox*l.Stride+kx-l.Pad] += src[ox]
						}
					}
				}
			}
		}
	}
}

// validRange returns the output columns [x0, x1) whose input column
// ox·stride + kx - pad falls inside [0, w).
func (l *Conv) validRange(kx, w, ow int) (x0, x1 int) {
	s := l.Stride
	// Smallest ox with ox·s ≥ pad - kx.
	if d := l.Pad - kx; d > 0 {
		x0 = (d + s - 1) / s
	}
	// Smallest ox with ox·s ≥ w + pad - kx, i.e. the first one past the edge.
	x1 = (w + l.Pad - kx + s - 1) / s
	x0, x1 = min(x0, ow), min(max(x1, 0), ow)
	return x0, max(x0, x1)
}
