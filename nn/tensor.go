package nn

import (
	"fmt"
	"slices"
)

// A Tensor is an n-dimensional array of float32 stored row-major in Data.
// Image batches use the NCHW layout: batch, channels, height, width.
//
// Layers reuse the tensors they return: a tensor returned by Forward or
// Backward is valid until the next call of that layer.
type Tensor struct {
	Shape []int
	Data  []float32
}

// NewTensor returns a zeroed tensor of the given shape.
// It panics if a dimension is negative.
func NewTensor(shape ...int) *Tensor {
	return &Tensor{Shape: append([]int(nil), shape...), Data: make([]float32, numElements(shape))}
}

// Len returns the number of elements of t.
func (t *Tensor) Len() int { return len(t.Data) }

// Dim returns the size of dimension i.
func (t *Tensor) Dim(i int) int { return t.Shape[i] }

// String describes the tensor's shape, not its contents.
func (t *Tensor) String() string { return fmt.Sprintf("Tensor%v", t.Shape) }

// numElements returns the product of shape, panicking on negative sizes.
func numElements(shape []int) int {
	n := 1
	for _, d := range shape {
		if d < 0 {
			// Clone so that shape itself does not escape to the heap.
			panic(fmt.Sprintf("nn: negative dimension in shape %v", slices.Clone(shape)))
		}
		n *= d
	}
	return n
}

// ensure returns t reshaped to shape, reusing its storage when it is large
// enough, so that a warm layer allocates nothing. The contents are not
// cleared.
func ensure(t *Tensor, shape ...int) *Tensor {
	n := numElements(shape)
	if t == nil {
		t = &Tensor{}
	}
	if cap(t.Data) < n {
		t.Data = make([]float32, n)
	}
	t.Data = t.Data[:n]
	t.Shape = append(t.Shape[:0], shape...)
	return t
}

// view makes dst share src's data under another shape, without allocating
// once dst's shape slice has room.
func view(dst *Tensor, data []float32, shape ...int) *Tensor {
	if dst == nil {
		dst = &Tensor{}
	}
	if numElements(shape) != len(data) {
		panic(fmt.Sprintf("nn: cannot view %d elements as %v", len(data), slices.Clone(shape)))
	}
	dst.Data = data
	dst.Shape = append(dst.Shape[:0], shape...)
	return dst
}

// grow returns a slice of length n, reusing buf when it is large enough.
func grow(buf []float32, n int) []float32 {
	if cap(buf) < n {
		return make([]float32, n)
	}
	return buf[:n]
}

// sameShape reports whether a and b have the same dimensions.
func sameShape(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
