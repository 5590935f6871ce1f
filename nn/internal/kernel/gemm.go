package kernel

import (
	"sync"
)

// Gemm computes c = op(a)·op(b), or c += op(a)·op(b) when accumulate is
// set, for row-major matrices: op(a) is m×k, op(b) is k×n and c is m×n.
// op(a) is a, or aᵀ when transA is set (then a is stored k×m); likewise b.
// lda, ldb and ldc are the distances between the starts of rows.
//
// Products large enough to pay for it are split across the processors;
// smaller ones, such as one digit's forward pass, run on the calling
// goroutine and allocate nothing.
func Gemm(transA, transB bool, m, n, k int, a []float32, lda int, b []float32, ldb int, c []float32, ldc int, accumulate bool) {
	if m <= 0 || n <= 0 {
		return
	}
	p := product{transA, transB, m, n, k, a, lda, b, ldb, c, ldc, accumulate}
	if k <= 0 {
		if !accumulate {
			for i := range m {
				clear(c[i*ldc : i*ldc+n])
			}
		}
		return
	}
	workers := workersFor(m*n*k, minParallelMACs)
	if workers < 2 {
		active.gemm(p)
		return
	}
	if p.m < workers*active.mr && p.n < workers*active.nr*2 || p.m*p.n*workers*4 < p.k {
		p.splitK(workers)
		return
	}
	var wg sync.WaitGroup
	for _, part := range p.split(workers, active.mr, active.nr) {
		wg.Go(func() { active.gemm(part) })
	}
	wg.Wait()
}

// splitK runs p in parts along k, each into a c of its own, and sums them:
// for products small in m and n and long in k, such as the weight gradient
// of a convolution, summed over every position of a batch, where splitting
// c would leave a part with almost nothing to do.
func (p product) splitK(parts int) {
	partial := make([][]float32, parts)
	var wg sync.WaitGroup
	for w := range parts {
		lo, hi := p.k*w/parts, p.k*(w+1)/parts
		q := p
		q.k = hi - lo
		if p.transA {
			q.a = p.a[lo*p.lda:]
		} else {
			q.a = p.a[lo:]
		}
		if p.transB {
			q.b = p.b[lo:]
		} else {
			q.b = p.b[lo*p.ldb:]
		}
		if w > 0 {
			partial[w] = make([]float32, p.m*p.n)
			q.c, q.ldc, q.accumulate = partial[w], p.n, false
		}
		wg.Go(func() { active.gemm(q) })
	}
	wg.Wait()
	for _, c := range partial[1:] {
		for i := range p.m {
			row := p.c[i*p.ldc : i*p.ldc+p.n]
			for j, v := range c[i*p.n : i*p.n+p.n] {
				row[j] += v
			}
		}
	}
}

// A product is one call of Gemm, or a block of one.
type product struct {
	transA, transB bool
	m, n, k        int
	a              []float32
	lda            int
	b              []float32
	ldb            int
	c              []float32
	ldc            int
	accumulate     bool
}

// split cuts p into at most parts blocks of c that can be computed
// independently: along n when c is wide enough to give every part whole
// panels of nr columns, and along m otherwise. No part repeats another's
// packing of its own panels.
func (p product) split(parts, mr, nr int) []product {
	var out []product
	if p.n >= parts*nr && p.n >= p.m/2 {
		step := roundUp((p.n+parts-1)/parts, nr)
		for j := 0; j < p.n; j += step {
			q := p
			q.n = min(step, p.n-j)
			if p.transB {
				q.b = p.b[j*p.ldb:]
			} else {
				q.b = p.b[j:]
			}
			q.c = p.c[j:]
			out = append(out, q)
		}
		return out
	}
	step := roundUp((p.m+parts-1)/parts, mr)
	for i := 0; i < p.m; i += step {
		q := p
		q.m = min(step, p.m-i)
		if p.transA {
			q.a = p.a[i:]
		} else {
			q.a = p.a[i*p.lda:]
		}
		q.c = p.c[i*p.ldc:]
		out = append(out, q)
	}
	return out
}

func roundUp(x, to int) int { return (x + to - 1) / to * to }
