package kernel

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestBatchNormLoops compares the batch-normalisation loops of every
// implementation with plain float64 arithmetic, on lengths around the SIMD
// width: the float32 results exactly, the float64 sums to a few units in
// the last place of float32.
func TestBatchNormLoops(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	for _, impl := range implementations() {
		for _, n := range []int{1, 7, 8, 9, 16, 25, 196, 784} {
			x, d, xhat := randomSlice(rng, n), randomSlice(rng, n), randomSlice(rng, n)
			var sum, sumD, sumDX float64
			for i := range x {
				sum += float64(x[i])
				sumD += float64(d[i])
				sumDX += float64(d[i] * xhat[i])
			}
			mean := sum / float64(n)
			var sq float64
			for _, v := range x {
				sq += (float64(v) - mean) * (float64(v) - mean)
			}
			y, xh, dx := make([]float32, n), make([]float32, n), make([]float32, n)
			withImplementation(impl, func() {
				near := func(name string, got, want float64) {
					if math.Abs(got-want) > 1e-12*float64(n) {
						t.Errorf("%s n=%d: %s = %v, want %v", impl.name, n, name, got, want)
					}
				}
				near("SumF64", SumF64(x), sum)
				near("SquaredDeviationsF64", SquaredDeviationsF64(x, mean), sq)
				gd, gdx := GradSumsF64(d, xhat)
				near("GradSumsF64 Σd", gd, sumD)
				near("GradSumsF64 Σd·x̂", gdx, sumDX)
				Normalize(y, xh, x, 0.25, 1.5, 0.75, -0.5)
				BatchNormDx(dx, d, xhat, 1.25, 0.1, -0.2)
			})
			for i := range x {
				h := (x[i] - 0.25) * 1.5
				if xh[i] != h || y[i] != 0.75*h+(-0.5) {
					t.Fatalf("%s n=%d: Normalize[%d] = %v, %v; want %v, %v", impl.name, n, i, xh[i], y[i], h, 0.75*h-0.5)
				}
				if want := 1.25 * (d[i] - 0.1 - xhat[i]*(-0.2)); dx[i] != want {
					t.Fatalf("%s n=%d: BatchNormDx[%d] = %v, want %v", impl.name, n, i, dx[i], want)
				}
			}
			withImplementation(impl, func() { ScaleShift(y, x, 1.5, -0.25) })
			for i := range x {
				if want := x[i]*1.5 + (-0.25); y[i] != want {
					t.Fatalf("%s n=%d: ScaleShift[%d] = %v, want %v", impl.name, n, i, y[i], want)
				}
			}
		}
	}
}
