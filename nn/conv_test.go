package nn

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

// TestConvDirect checks Conv.Forward against the definition of a
// convolution, summed directly in float64, for strides and paddings that
// exercise each path of im2col.
func TestConvDirect(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for _, test := range []struct{ n, c, h, w, f, k, stride, pad int }{
		{1, 1, 28, 28, 16, 3, 1, 1}, // tegaki's first layer
		{2, 3, 7, 7, 4, 3, 1, 0},
		{2, 2, 6, 5, 3, 3, 1, 2}, // padding wider than the filter's reach
		{1, 2, 9, 8, 2, 3, 2, 1},
		{2, 1, 10, 7, 2, 4, 3, 2},
		{1, 2, 5, 5, 2, 5, 1, 0}, // one output pixel
	} {
		t.Run(fmt.Sprintf("%+v", test), func(t *testing.T) {
			l := initLayer(NewConv("c", test.c, test.f, test.k, test.stride, test.pad), rng)
			x := NewTensor(test.n, test.c, test.h, test.w)
			for i := range x.Data {
				x.Data[i] = rng.Float32() - 0.5
			}
			// Twice, so that the second call reuses the buffers of the first.
			l.Forward(x, Inference)
			out := l.Forward(x, Inference)
			oh, ow := l.OutputSize(test.h), (test.w+2*test.pad-test.k)/test.stride+1
			if want := []int{test.n, test.f, oh, ow}; !sameShape(out.Shape, want) {
				t.Fatalf("output %v, want %v", out.Shape, want)
			}
			W := l.W.Value.Data
			for i := range test.n {
				for f := range test.f {
					for oy := range oh {
						for ox := range ow {
							sum := float64(l.B.Value.Data[f])
							for c := range test.c {
								for ky := range test.k {
									for kx := range test.k {
										iy, ix := oy*test.stride+ky-test.pad, ox*test.stride+kx-test.pad
										if iy < 0 || ix < 0 || iy >= test.h || ix >= test.w {
											continue
										}
										sum += float64(W[((f*test.c+c)*test.k+ky)*test.k+kx]) * float64(x.Data[((i*test.c+c)*test.h+iy)*test.w+ix])
									}
								}
							}
							got := out.Data[((i*test.f+f)*oh+oy)*ow+ox]
							if math.Abs(float64(got)-sum) > 1e-5 {
								t.Fatalf("out[%d, %d, %d, %d] = %v, want %v", i, f, oy, ox, got, sum)
							}
						}
					}
				}
			}
		})
	}
}
