package kernel

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestElementwise checks that every implementation's ReLU passes and Adam
// step give the plain Go loops' results bit for bit, on lengths around the
// SIMD width (the forward ReLU of -0 may be -0 or +0: both are zeros).
func TestElementwise(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 10))
	for _, impl := range implementations() {
		for _, n := range []int{1, 7, 8, 9, 31, 1000} {
			x, dy := randomSlice(rng, n), randomSlice(rng, n)
			x[0] = float32(math.NaN())
			y, dx := make([]float32, n), make([]float32, n)
			w, g := randomSlice(rng, n), randomSlice(rng, n)
			m, v := randomSlice(rng, n), make([]float32, n)
			for i := range v {
				v[i] = rng.Float32()
			}
			w0, m0, v0 := append([]float32(nil), w...), append([]float32(nil), m...), append([]float32(nil), v...)
			withImplementation(impl, func() {
				var r Rectifier
				r.Forward(y, x)
				r.Backward(dx, dy, y)
				AdamStep(w, g, m, v, 1e-3, 0.1, 0.001, 1e-7)
			})
			for i := range x {
				if want := max(x[i], 0); y[i] != want && !(y[i] != y[i] && want != want) {
					t.Fatalf("%s n=%d: relu(%v) = %v, want %v", impl.name, n, x[i], y[i], want)
				}
				want := float32(0)
				if y[i] > 0 {
					want = dy[i]
				}
				if dx[i] != want {
					t.Fatalf("%s n=%d: relu backward[%d] = %v, want %v", impl.name, n, i, dx[i], want)
				}
				mi := m0[i] + 0.1*(g[i]-m0[i])
				vi := v0[i] + 0.001*(g[i]*g[i]-v0[i])
				wi := w0[i] - 1e-3*mi/(float32(math.Sqrt(float64(vi)))+1e-7)
				if m[i] != mi || v[i] != vi || w[i] != wi {
					t.Fatalf("%s n=%d: Adam[%d] = %v %v %v, want %v %v %v", impl.name, n, i, w[i], m[i], v[i], wi, mi, vi)
				}
			}
		}
	}
}
