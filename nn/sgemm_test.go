package nn

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/blas"
)

// TestSgemmNN checks that sgemmNN gives gonum's results bit for bit, on
// every platform, for the shapes of tegaki's forward pass, edge cases of
// each unrolled loop, padded leading dimensions, and alpha and beta other
// than 0 and 1.
func TestSgemmNN(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, test := range []struct {
		m, n, k     int
		alpha, beta float32
		pad         int // extra columns in a, b and c
	}{
		{16, 784, 9, 1, 0, 0},    // tegaki's conv1, one digit
		{32, 196, 144, 1, 0, 0},  // conv2
		{64, 25, 288, 1, 0, 0},   // conv3
		{1, 64, 1600, 1, 1, 0},   // affine1, onto its bias
		{1, 10, 64, 1, 1, 0},     // affine2
		{3, 13, 7, 1, 0, 0},      // 8 + 4 + 1 columns, k with a remainder
		{5, 7, 4, 0.5, 1, 3},     // 4 + 3 columns, k a multiple of 4
		{2, 3, 1, -2, 0.25, 1},   // single columns only, k of 1
		{4, 16, 0, 1, 0.5, 2},    // k of 0: c is only scaled
		{7, 200, 33, 1.5, -1, 5}, // more than a tile of gemmSerial
	} {
		m, n, k := test.m, test.n, test.k
		lda, ldb, ldc := k+test.pad, n+test.pad, n+test.pad
		a, b := randSlice(m*lda, rng), randSlice(max(k*ldb, 1), rng)
		for i := 0; i < len(a); i += 5 {
			a[i] = 0 // as after a ReLU
		}
		c := randSlice(m*ldc, rng)
		want := append([]float32(nil), c...)
		impl.Sgemm(blas.NoTrans, blas.NoTrans, m, n, k, test.alpha, a, lda, b, ldb, test.beta, want, ldc)
		scaleRows(test.beta, m, n, c, ldc)
		sgemmNN(m, n, k, test.alpha, a, lda, b, ldb, c, ldc)
		for i := range c {
			if c[i] != want[i] {
				t.Errorf("%+v: c[%d] = %v, want %v (gonum)", test, i, c[i], want[i])
				break
			}
		}
	}
}

func randSlice(n int, rng *rand.Rand) []float32 {
	s := make([]float32, n)
	for i := range s {
		s[i] = rng.Float32()*2 - 1
	}
	return s
}

// BenchmarkSgemmNN compares sgemmNN with gonum's Sgemm on the products of
// tegaki's forward pass for one digit. sgemmNN is what runs under
// WebAssembly; natively gonum's SIMD kernels win.
func BenchmarkSgemmNN(b *testing.B) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, s := range [][3]int{{16, 784, 9}, {32, 196, 144}, {64, 25, 288}, {1, 64, 1600}} {
		m, n, k := s[0], s[1], s[2]
		x, y, c := randSlice(m*k, rng), randSlice(k*n, rng), make([]float32, m*n)
		name := fmt.Sprintf("%dx%dx%d", m, n, k)
		b.Run("gonum/"+name, func(b *testing.B) {
			for b.Loop() {
				impl.Sgemm(blas.NoTrans, blas.NoTrans, m, n, k, 1, x, k, y, n, 0, c, n)
			}
		})
		b.Run("sgemmNN/"+name, func(b *testing.B) {
			for b.Loop() {
				clear(c)
				sgemmNN(m, n, k, 1, x, k, y, n, c, n)
			}
		})
	}
}
