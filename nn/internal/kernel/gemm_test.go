package kernel

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

// reference computes op(a)·op(b) (+ c) in float64, and for each element the
// sum of the magnitudes of its terms, which bounds its rounding error.
func reference(p product) (want, scale []float64) {
	want, scale = make([]float64, p.m*p.n), make([]float64, p.m*p.n)
	for i := range p.m {
		for j := range p.n {
			var s, abs float64
			for l := range p.k {
				x, y := at(p.a, p.lda, i, l, p.transA), at(p.b, p.ldb, l, j, p.transB)
				s += float64(x) * float64(y)
				abs += math.Abs(float64(x) * float64(y))
			}
			if p.accumulate {
				c := float64(p.c[i*p.ldc+j])
				s += c
				abs += math.Abs(c)
			}
			want[i*p.n+j], scale[i*p.n+j] = s, abs
		}
	}
	return want, scale
}

// at returns element (i, j) of op(m), for m stored with rows ld apart.
func at(m []float32, ld, i, j int, trans bool) float32 {
	if trans {
		return m[j*ld+i]
	}
	return m[i*ld+j]
}

// randomProduct makes a product with random contents; pad extra elements at
// the end of every row of a, b and c, which Gemm must leave alone.
func randomProduct(rng *rand.Rand, transA, transB bool, m, n, k, pad int, accumulate bool) product {
	p := product{transA: transA, transB: transB, m: m, n: n, k: k, accumulate: accumulate}
	ra, ca := m, k
	if transA {
		ra, ca = k, m
	}
	rb, cb := k, n
	if transB {
		rb, cb = n, k
	}
	p.lda, p.ldb, p.ldc = ca+pad, cb+pad, n+pad
	p.a = randomSlice(rng, ra*p.lda)
	p.b = randomSlice(rng, rb*p.ldb)
	p.c = randomSlice(rng, m*p.ldc)
	return p
}

func randomSlice(rng *rand.Rand, n int) []float32 {
	s := make([]float32, n)
	for i := range s {
		s[i] = rng.Float32()*2 - 1
	}
	return s
}

// check runs p through Gemm with impl and compares it with the reference.
// The tolerance is the classic bound on a float32 sum of k products, whose
// rounding error is at most about (k+1)·2⁻²⁴ times the sum of the terms'
// magnitudes, whatever the order of the additions.
func check(t *testing.T, impl *implementation, p product) {
	t.Helper()
	want, scale := reference(p)
	before := append([]float32(nil), p.c...)
	withImplementation(impl, func() {
		Gemm(p.transA, p.transB, p.m, p.n, p.k, p.a, p.lda, p.b, p.ldb, p.c, p.ldc, p.accumulate)
	})
	tol := float64(p.k+2) * 0x1p-24
	for i := range p.m {
		for j := range p.ldc {
			got := p.c[i*p.ldc+j]
			if j >= p.n {
				if got != before[i*p.ldc+j] {
					t.Fatalf("%s %s: c[%d][%d] past n changed", impl.name, describe(p), i, j)
				}
				continue
			}
			w, s := want[i*p.n+j], scale[i*p.n+j]
			if math.Abs(float64(got)-w) > tol*s+1e-30 {
				t.Fatalf("%s %s: c[%d][%d] = %v, want %v ± %.3g", impl.name, describe(p), i, j, got, w, tol*s)
			}
		}
	}
}

func describe(p product) string {
	return fmt.Sprintf("%s %dx%dx%d acc=%v lda=%d ldb=%d ldc=%d", layout(p.transA, p.transB), p.m, p.n, p.k, p.accumulate, p.lda, p.ldb, p.ldc)
}

func layout(transA, transB bool) string {
	s := [2]string{"N", "T"}
	return s[b2i(transA)] + s[b2i(transB)]
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// withImplementation runs fn with impl as the active implementation.
func withImplementation(impl *implementation, fn func()) {
	saved := active
	active = impl
	defer func() { active = saved }()
	fn()
}

// TestGemm compares every implementation this machine runs with the
// reference, in every layout, with and without accumulation, on the
// products tegaki's layers make and on odd sizes around the kernels' tiles
// and blocks.
func TestGemm(t *testing.T) {
	shapes := [][3]int{
		{1, 1, 1}, {1, 10, 64}, {1, 64, 1600}, {5, 7, 3}, {6, 16, 1}, {7, 17, 5},
		{13, 33, 300}, {16, 784, 9}, {32, 196, 144}, {64, 25, 288},
		{97, 31, 257}, {100, 2049, 20}, {2, 3000, 40}, {200, 300, 513},
		{32, 400, 4000}, // a weight gradient: long in k, split across goroutines
		{16, 25, 5003},  // a first convolution's: dot products, split along k
		{7, 5, 700}, {64, 32, 600},
	}
	rng := rand.New(rand.NewPCG(3, 4))
	for _, impl := range implementations() {
		for _, s := range shapes {
			for _, l := range []struct{ a, b bool }{{false, false}, {false, true}, {true, false}, {true, true}} {
				for _, acc := range []bool{false, true} {
					pad := rng.IntN(3)
					check(t, impl, randomProduct(rng, l.a, l.b, s[0], s[1], s[2], pad, acc))
				}
			}
		}
	}
}

// TestGemmZeroK checks that an empty sum stores zeros, or leaves c as it
// was when accumulating.
func TestGemmZeroK(t *testing.T) {
	c := []float32{1, 2, 3, 4}
	Gemm(false, false, 2, 2, 0, nil, 0, nil, 2, c, 2, true)
	if c[0] != 1 || c[3] != 4 {
		t.Errorf("accumulating an empty sum changed c to %v", c)
	}
	Gemm(false, false, 2, 2, 0, nil, 0, nil, 2, c, 2, false)
	for _, v := range c {
		if v != 0 {
			t.Fatalf("storing an empty sum left %v", c)
		}
	}
}

// FuzzGemm checks random shapes, layouts and leading dimensions against the
// reference.
func FuzzGemm(f *testing.F) {
	f.Add(uint8(6), uint8(16), uint16(4), uint8(0), uint64(1))
	f.Add(uint8(1), uint8(200), uint16(300), uint8(7), uint64(2))
	f.Fuzz(func(t *testing.T, m, n uint8, k uint16, flags uint8, seed uint64) {
		if m == 0 || n == 0 || k > 600 {
			return
		}
		rng := rand.New(rand.NewPCG(seed, 5))
		p := randomProduct(rng, flags&1 != 0, flags&2 != 0, int(m), int(n), int(k), int(flags>>3&3), flags&4 != 0)
		for _, impl := range implementations() {
			q := p
			q.c = append([]float32(nil), p.c...)
			check(t, impl, q)
		}
	})
}

// TestChoose checks the names TEGAKI_KERNEL accepts.
func TestChoose(t *testing.T) {
	for _, name := range names() {
		if got := choose(name).name; got != name {
			t.Errorf("choose(%q) = %q", name, got)
		}
	}
	if got := choose("").name; got != names()[0] {
		t.Errorf("default %q, want %q", got, names()[0])
	}
	defer func() {
		if recover() == nil {
			t.Error("choose accepted an unknown implementation")
		}
	}()
	choose("no-such-kernel")
}

// BenchmarkGEMM reports GFLOP/s for the products that training tegaki's
// and the benchmark networks make at batch 100, in the three layouts the
// layers use, for each implementation this machine runs: the default one
// as LAYOUT/MxNxK, the others as LAYOUT/MxNxK/NAME.
func BenchmarkGEMM(b *testing.B) {
	for _, s := range []struct {
		layout  string
		m, n, k int
	}{
		{"NN", 32, 10000, 400}, // LeNet32 conv2 forward
		{"NT", 32, 400, 10000}, // its weight gradient
		{"TN", 400, 10000, 32}, // its column gradient
		{"NN", 16, 78400, 25},  // LeNet32 conv1 forward
		{"NT", 16, 25, 78400},  // its weight gradient
		{"NT", 16, 9, 78400},   // tegaki conv1 weight gradient
		{"NN", 32, 19600, 144}, // tegaki conv2 forward
		{"NN", 100, 128, 800},  // LeNet32 affine1 forward
		{"NN", 256, 256, 256},  // square
		{"NN", 32, 196, 144},   // tegaki conv2, one digit
	} {
		for _, impl := range implementations() {
			// The default implementation's figures go by the bare shape,
			// which tools/peerbench compares with torch.mm's.
			name := fmt.Sprintf("%s/%dx%dx%d", s.layout, s.m, s.n, s.k)
			if impl != active {
				name += "/" + impl.name
			}
			b.Run(name, func(b *testing.B) {
				rng := rand.New(rand.NewPCG(1, 2))
				p := randomProduct(rng, s.layout[0] == 'T', s.layout[1] == 'T', s.m, s.n, s.k, 0, false)
				withImplementation(impl, func() {
					for b.Loop() {
						Gemm(p.transA, p.transB, p.m, p.n, p.k, p.a, p.lda, p.b, p.ldb, p.c, p.ldc, false)
					}
				})
				b.ReportMetric(2*float64(s.m*s.n*s.k)*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
			})
		}
	}
}
