package nn

import "fmt"

// MaxPool takes the maximum over size×size windows moved by stride, with no
// padding. Like the book's Pooling, it remembers in Training mode where each
// maximum came from so that Backward can route the gradient there.
//
// Shapes: x (n, c, h, w), out (n, c, oh, ow) with oh = (h-size)/stride + 1.
type MaxPool struct {
	Size, Stride int

	n, c, h, w int
	oh, ow     int
	arg        []int32 // for each output, the index of its maximum in the input plane
	mode       Mode    // of the last Forward
	out, dx    *Tensor
	x          *Tensor
	dout       *Tensor
}

// NewMaxPool returns a max-pooling layer. Size and stride must be at least 1.
func NewMaxPool(size, stride int) *MaxPool {
	if size < 1 || stride < 1 {
		panic(fmt.Sprintf("nn: NewMaxPool: bad size %d or stride %d", size, stride))
	}
	return &MaxPool{Size: size, Stride: stride}
}

// Forward returns the window maxima. It panics if x is not 4-D or is
// smaller than a window.
func (l *MaxPool) Forward(x *Tensor, mode Mode) *Tensor {
	if len(x.Shape) != 4 || x.Shape[2] < l.Size || x.Shape[3] < l.Size {
		panic(fmt.Sprintf("nn: MaxPool: input %v, want (n, c, h, w) of at least %dx%d", x.Shape, l.Size, l.Size))
	}
	l.x, l.mode = x, mode
	l.n, l.c, l.h, l.w = x.Shape[0], x.Shape[1], x.Shape[2], x.Shape[3]
	l.oh, l.ow = (l.h-l.Size)/l.Stride+1, (l.w-l.Size)/l.Stride+1
	l.out = ensure(l.out, l.n, l.c, l.oh, l.ow)
	if cap(l.arg) < len(l.out.Data) {
		l.arg = make([]int32, len(l.out.Data))
	}
	l.arg = l.arg[:len(l.out.Data)]
	planes := l.n * l.c
	if worthSplitting(planes, l.h*l.w) {
		parallelFor(planes, l.forward)
	} else {
		l.forward(0, planes)
	}
	return l.out
}

func (l *MaxPool) forward(lo, hi int) {
	in, op := l.h*l.w, l.oh*l.ow
	for pl := lo; pl < hi; pl++ {
		src := l.x.Data[pl*in : (pl+1)*in]
		dst := l.out.Data[pl*op : (pl+1)*op]
		arg := l.arg[pl*op : (pl+1)*op]
		if l.Size == 2 && l.Stride == 2 {
			if l.mode == Inference {
				l.max2x2(dst, src)
			} else {
				l.forward2x2(dst, arg, src)
			}
			continue
		}
		for oy := range l.oh {
			for ox := range l.ow {
				best := (oy*l.Stride)*l.w + ox*l.Stride
				m := src[best]
				for ky := range l.Size {
					row := (oy*l.Stride+ky)*l.w + ox*l.Stride
					for kx, v := range src[row : row+l.Size] {
						if v > m {
							m, best = v, row+kx
						}
					}
				}
				dst[oy*l.ow+ox] = m
				arg[oy*l.ow+ox] = int32(best)
			}
		}
	}
}

// forward2x2 is forward for the common 2×2 window with stride 2, unrolled:
// it is most of the time a small network spends outside matrix products.
func (l *MaxPool) forward2x2(dst []float32, arg []int32, src []float32) {
	w := l.w
	for oy := range l.oh {
		r0 := src[2*oy*w : 2*oy*w+w]
		r1 := src[(2*oy+1)*w : (2*oy+1)*w+w]
		d := dst[oy*l.ow : (oy+1)*l.ow]
		a := arg[oy*l.ow : (oy+1)*l.ow]
		for ox := range d {
			i := 2 * ox
			m, best := r0[i], 2*oy*w+i
			if v := r0[i+1]; v > m {
				m, best = v, 2*oy*w+i+1
			}
			if v := r1[i]; v > m {
				m, best = v, (2*oy+1)*w+i
			}
			if v := r1[i+1]; v > m {
				m, best = v, (2*oy+1)*w+i+1
			}
			d[ox], a[ox] = m, int32(best)
		}
	}
}

// max2x2 is forward2x2 for Inference, which has no Backward to remember
// the maxima's positions for.
func (l *MaxPool) max2x2(dst, src []float32) {
	w := l.w
	for oy := range l.oh {
		r0 := src[2*oy*w : 2*oy*w+w]
		r1 := src[(2*oy+1)*w : (2*oy+1)*w+w]
		d := dst[oy*l.ow : (oy+1)*l.ow]
		for ox := range d {
			i := 2 * ox
			m := r0[i]
			if v := r0[i+1]; v > m {
				m = v
			}
			if v := r1[i]; v > m {
				m = v
			}
			if v := r1[i+1]; v > m {
				m = v
			}
			d[ox] = m
		}
	}
}

// Backward sends each output gradient to the input that was the maximum.
// It must follow a Forward in Training mode.
func (l *MaxPool) Backward(dout *Tensor) *Tensor {
	if l.mode != Training {
		panic("nn: MaxPool: Backward after an Inference Forward")
	}
	l.dout = dout
	l.dx = ensure(l.dx, l.n, l.c, l.h, l.w)
	planes := l.n * l.c
	if worthSplitting(planes, l.h*l.w) {
		parallelFor(planes, l.backward)
	} else {
		l.backward(0, planes)
	}
	return l.dx
}

func (l *MaxPool) backward(lo, hi int) {
	in, op := l.h*l.w, l.oh*l.ow
	for pl := lo; pl < hi; pl++ {
		dst := l.dx.Data[pl*in : (pl+1)*in]
		clear32(dst)
		g := l.dout.Data[pl*op : (pl+1)*op]
		for q, a := range l.arg[pl*op : (pl+1)*op] {
			dst[a] += g[q]
		}
	}
}
