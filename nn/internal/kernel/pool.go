package kernel

import "math"

// A Pooling runs max pooling over planes. A layer keeps one, so that a warm
// layer allocates nothing.
type Pooling struct {
	planes, h, w   int
	size, stride   int
	oh, ow         int
	x, out, dx, dy []float32
	arg            []int32
}

// MaxPool sets each element of out, planes of oh×ow, to the maximum of its
// size×size window of x, planes of h×w, the windows stride apart. When arg
// is not nil, it records where in its input plane each maximum was, for
// MaxPoolBackward.
func (t *Pooling) MaxPool(out []float32, arg []int32, x []float32, planes, h, w, size, stride int) {
	t.planes, t.h, t.w, t.size, t.stride = planes, h, w, size, stride
	t.oh, t.ow = OutputSize(h, size, stride, 0), OutputSize(w, size, stride, 0)
	t.x, t.out, t.arg = x, out, arg
	ParallelFor(planes, h*w, t, (*Pooling).forward)
}

// MaxPoolBackward sets dx to dy's values routed to where the last MaxPool's
// maxima were, and zero elsewhere.
func (t *Pooling) MaxPoolBackward(dx, dy []float32) {
	t.dx, t.dy = dx, dy
	ParallelFor(t.planes, t.h*t.w, t, (*Pooling).backward)
}

func (t *Pooling) forward(lo, hi int) {
	in, op := t.h*t.w, t.oh*t.ow
	for pl := lo; pl < hi; pl++ {
		src := t.x[pl*in : (pl+1)*in]
		dst := t.out[pl*op : (pl+1)*op]
		var arg []int32
		if t.arg != nil {
			arg = t.arg[pl*op : (pl+1)*op]
		}
		switch {
		case t.size == 2 && t.stride == 2 && arg == nil:
			t.max2x2(dst, src)
		case t.size == 2 && t.stride == 2:
			t.argmax2x2(dst, arg, src)
		default:
			t.argmax(dst, arg, src)
		}
	}
}

// argmax is the general window loop.
func (t *Pooling) argmax(dst []float32, arg []int32, src []float32) {
	for oy := range t.oh {
		for ox := range t.ow {
			best := (oy*t.stride)*t.w + ox*t.stride
			m := src[best]
			for ky := range t.size {
				row := (oy*t.stride+ky)*t.w + ox*t.stride
				for kx, v := range src[row : row+t.size] {
					if v > m {
						m, best = v, row+kx
					}
				}
			}
			dst[oy*t.ow+ox] = m
			if arg != nil {
				arg[oy*t.ow+ox] = int32(best)
			}
		}
	}
}

// argmax2x2 is argmax for the common 2×2 window with stride 2. It is most
// of the time a small network spends outside matrix products, and which
// of four values is largest is as good as random, so it has no branches:
// the floats are compared as integers (orderKey), which the compiler
// selects between with conditional moves.
func (t *Pooling) argmax2x2(dst []float32, arg []int32, src []float32) {
	w := t.w
	for oy := range t.oh {
		r0 := src[2*oy*w : 2*oy*w+w]
		r1 := src[(2*oy+1)*w : (2*oy+1)*w+w]
		d := dst[oy*t.ow : (oy+1)*t.ow]
		a := arg[oy*t.ow : (oy+1)*t.ow]
		top := int32(2 * oy * w)
		for ox := range d {
			i := 2 * ox
			best, at := orderKey(r0[i]), int32(i)
			if k := orderKey(r0[i+1]); k > best {
				best, at = k, int32(i+1)
			}
			if k := orderKey(r1[i]); k > best {
				best, at = k, int32(w+i)
			}
			if k := orderKey(r1[i+1]); k > best {
				best, at = k, int32(w+i+1)
			}
			d[ox], a[ox] = fromOrderKey(best), top+at
		}
	}
}

// max2x2 is argmax2x2 without the positions, for inference.
func (t *Pooling) max2x2(dst, src []float32) {
	w := t.w
	for oy := range t.oh {
		r0 := src[2*oy*w : 2*oy*w+w]
		r1 := src[(2*oy+1)*w : (2*oy+1)*w+w]
		d := dst[oy*t.ow : (oy+1)*t.ow]
		for ox := range d {
			i := 2 * ox
			best := max(orderKey(r0[i]), orderKey(r0[i+1]), orderKey(r1[i]), orderKey(r1[i+1]))
			d[ox] = fromOrderKey(best)
		}
	}
}

// orderKey maps a float32 to an int32 in the same order: a > b exactly when
// orderKey(a) > orderKey(b), except that +0 ranks above -0 and NaNs above
// +Inf (so that a NaN reaches the output, where it shows).
func orderKey(v float32) int32 {
	b := int32(math.Float32bits(v))
	// Negative floats order backwards: flip all but their sign bit.
	return b ^ int32(uint32(b>>31)>>1)
}

// fromOrderKey is the inverse of orderKey.
func fromOrderKey(k int32) float32 {
	return math.Float32frombits(uint32(k ^ int32(uint32(k>>31)>>1)))
}

func (t *Pooling) backward(lo, hi int) {
	in, op := t.h*t.w, t.oh*t.ow
	for pl := lo; pl < hi; pl++ {
		dst := t.dx[pl*in : (pl+1)*in]
		clear(dst)
		g := t.dy[pl*op : (pl+1)*op]
		for q, a := range t.arg[pl*op : (pl+1)*op] {
			dst[a] += g[q]
		}
	}
}
