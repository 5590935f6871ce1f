package nn

import (
	"fmt"

	"github.com/tegaki/tegaki/nn/internal/kernel"
)

// MaxPool takes the maximum over size×size windows moved by stride, with no
// padding. Like the book's Pooling, it remembers in Training and Explanation
// mode where each maximum came from so that Backward can route the gradient
// there.
//
// Shapes: x (n, c, h, w), out (n, c, oh, ow) with oh = (h-size)/stride + 1.
type MaxPool struct {
	Size, Stride int

	shape   []int   // of the last input
	arg     []int32 // for each output, the index of its maximum in the input plane
	mode    Mode    // of the last Forward
	pool    kernel.Pooling
	out, dx *Tensor
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
	l.mode = mode
	l.shape = append(l.shape[:0], x.Shape...)
	n, c, h, w := x.Shape[0], x.Shape[1], x.Shape[2], x.Shape[3]
	l.out = ensure(l.out, n, c, kernel.OutputSize(h, l.Size, l.Stride, 0), kernel.OutputSize(w, l.Size, l.Stride, 0))
	// Inference has no Backward to remember the maxima's positions for.
	var arg []int32
	if mode != Inference {
		if cap(l.arg) < len(l.out.Data) {
			l.arg = make([]int32, len(l.out.Data))
		}
		arg = l.arg[:len(l.out.Data)]
	}
	l.pool.MaxPool(l.out.Data, arg, x.Data, n*c, h, w, l.Size, l.Stride)
	return l.out
}

// Backward sends each output gradient to the input that was the maximum.
// It must follow a Forward in Training or Explanation mode.
func (l *MaxPool) Backward(dout *Tensor) *Tensor {
	if l.mode == Inference {
		panic("nn: MaxPool: Backward after an Inference Forward")
	}
	l.dx = ensure(l.dx, l.shape...)
	l.pool.MaxPoolBackward(l.dx.Data, dout.Data)
	return l.dx
}
