package nn

import (
	"fmt"

	"github.com/tegaki/tegaki/nn/internal/kernel"
)

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
// single large product to spread over the cores; reordering tmp into NCHW
// is then a copy of contiguous rows of p values.
type Conv struct {
	W, B        *Param
	Stride, Pad int

	geom          kernel.ConvGeometry // of the last Forward
	mode          Mode                // of the last Forward
	lower         kernel.ConvLowering
	col, tmp      []float32
	dcol          []float32
	out, dx       *Tensor
	dout          *Tensor // of the last Backward
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
	return kernel.OutputSize(in, l.W.Value.Shape[2], l.Stride, l.Pad)
}

// Forward convolves x with the filters and adds the bias. It panics if x is
// not (n, c, h, w) with the layer's c or is smaller than a filter.
func (l *Conv) Forward(x *Tensor, mode Mode) *Tensor {
	f, c, kh, kw := l.W.Value.Shape[0], l.W.Value.Shape[1], l.W.Value.Shape[2], l.W.Value.Shape[3]
	if len(x.Shape) != 4 || x.Shape[1] != c {
		panic(fmt.Sprintf("nn: Conv: input %v, want (n, %d, h, w)", x.Shape, c))
	}
	g := kernel.ConvGeometry{N: x.Shape[0], C: c, H: x.Shape[2], W: x.Shape[3], KH: kh, KW: kw, Stride: l.Stride, Pad: l.Pad}
	oh, ow := g.OutH(), g.OutW()
	if oh < 1 || ow < 1 {
		panic(fmt.Sprintf("nn: Conv: input %v smaller than filter %dx%d", x.Shape, kh, kw))
	}
	l.geom, l.mode = g, mode
	n, p, ck := g.N, oh*ow, g.ColRows()
	np := n * p
	// col = im2col(x); tmp = W·col, with W seen as an (f, ck) matrix.
	l.col = grow(l.col, ck*np)
	l.lower.Im2col(l.col, x.Data, g)
	l.tmp = grow(l.tmp, f*np)
	kernel.Gemm(false, false, f, np, ck, l.W.Value.Data, ck, l.col, np, l.tmp, np, false)
	// out = tmp reordered from (f, n, p) to (n, f, p), plus the bias.
	l.out = ensure(l.out, n, f, oh, ow)
	kernel.ParallelFor(f, np, l, (*Conv).addBias)
	return l.out
}

// addBias sets the planes of filters [lo, hi) of out to their rows of tmp
// plus the filter's bias.
func (l *Conv) addBias(lo, hi int) {
	n, p := l.geom.N, l.geom.OutH()*l.geom.OutW()
	f, np := l.W.Value.Shape[0], n*p
	for j := lo; j < hi; j++ {
		bj := l.B.Value.Data[j]
		for i := range n {
			src := l.tmp[j*np+i*p : j*np+i*p+p]
			dst := l.out.Data[(i*f+j)*p : (i*f+j)*p+p]
			for q, v := range src {
				dst[q] = v + bj
			}
		}
	}
}

// Backward computes db = Σ dout, dW = dout·colᵀ and dx = col2im(Wᵀ·dout);
// after an Explanation Forward, dx only.
func (l *Conv) Backward(dout *Tensor) *Tensor {
	g := l.geom
	f := l.W.Value.Shape[0]
	n, p, ck := g.N, g.OutH()*g.OutW(), g.ColRows()
	np := n * p
	// Reorder dout (n, f, p) into tmp (f, n·p), summing the bias gradient.
	l.dout = dout
	kernel.ParallelFor(f, np, l, (*Conv).gatherGradient)
	explain := l.mode == Explanation
	if !explain {
		kernel.Gemm(false, true, f, ck, np, l.tmp, np, l.col, np, l.W.Grad.Data, ck, false)
	}
	l.dx = ensure(l.dx, n, g.C, g.H, g.W)
	if l.skipInputGrad && !explain {
		// The first layer's dx feeds nothing; the network asks to skip it.
		return l.dx
	}
	l.dcol = grow(l.dcol, ck*np)
	kernel.Gemm(true, false, ck, np, f, l.W.Value.Data, ck, l.tmp, np, l.dcol, np, false)
	l.lower.Col2im(l.dx.Data, l.dcol)
	return l.dx
}

// gatherGradient copies the planes of filters [lo, hi) of dout into their
// rows of tmp and, unless explaining, sums each filter's into its bias
// gradient.
func (l *Conv) gatherGradient(lo, hi int) {
	n, p := l.geom.N, l.geom.OutH()*l.geom.OutW()
	f, np := l.W.Value.Shape[0], n*p
	for j := lo; j < hi; j++ {
		var db float32
		for i := range n {
			src := l.dout.Data[(i*f+j)*p : (i*f+j)*p+p]
			copy(l.tmp[j*np+i*p:], src)
			if l.mode == Explanation {
				continue
			}
			var s float32
			for _, v := range src {
				s += v
			}
			db += s
		}
		if l.mode != Explanation {
			l.B.Grad.Data[j] = db
		}
	}
}
