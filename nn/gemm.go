package nn

import (
	"runtime"
	"sync"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/gonum"
)

// impl is gonum's pure-Go BLAS. It uses SIMD kernels on amd64 and arm64
// and plain Go elsewhere (including wasm).
var impl gonum.Implementation

// onWasm is true under WebAssembly, where Go runs on one thread (GOMAXPROCS
// and NumCPU are 1) without SIMD, and where every function call and every
// taken branch costs about as much as a few multiply-adds (the Go port
// dispatches each jump through a table). The helper goroutine, parallelFor
// and gonum's parallel Sgemm can only add scheduling there, so gemm runs
// every product in gemmSerial's tiles and worthSplitting says no without
// asking the runtime. It is a constant, so the paths for the other
// platforms compile away.
const onWasm = runtime.GOARCH == "wasm"

// smallGEMM is the number of multiply-adds below which gemm runs on the
// calling goroutine. gonum splits any product of four or more 64×64 blocks
// across goroutines, which allocates; one digit's forward pass is far below
// this size and must not allocate.
const smallGEMM = 1 << 23

// gemm computes c = alpha·op(a)·op(b) + beta·c for row-major matrices,
// where op(a) is m×k and op(b) is k×n.
func gemm(transA, transB bool, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
	if m == 0 || n == 0 {
		return
	}
	tA, tB := blas.NoTrans, blas.NoTrans
	if transA {
		tA = blas.Trans
	}
	if transB {
		tB = blas.Trans
	}
	if onWasm {
		gemmSerial(tA, tB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
		return
	}
	if m*n*k >= smallGEMM {
		if m*n < 4*64*64 && k >= 4*64 && runtime.GOMAXPROCS(0) > 1 && beta == 0 {
			gemmSplitK(transA, transB, m, n, k, alpha, a, lda, b, ldb, c, ldc)
			return
		}
		impl.Sgemm(tA, tB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
		return
	}
	if m*n*k >= 1<<16 && runtime.GOMAXPROCS(0) > 1 && shareGEMM(tA, tB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc) {
		return
	}
	gemmSerial(tA, tB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
}

// gemmSerial runs a product on the calling goroutine, in tiles of at most
// 64×192 of c, which stay below gonum's threshold for going parallel.
// Under WebAssembly, untransposed tiles go to sgemmNN, which gives the same
// results several times faster there; elsewhere gonum's SIMD kernels are
// faster than any plain Go.
func gemmSerial(tA, tB blas.Transpose, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
	const tm, tn = 64, 192
	for i := 0; i < m; i += tm {
		mm := min(tm, m-i)
		var aa []float32
		if tA == blas.Trans {
			aa = a[i:]
		} else {
			aa = a[i*lda:]
		}
		for j := 0; j < n; j += tn {
			nn := min(tn, n-j)
			var bb []float32
			if tB == blas.Trans {
				bb = b[j*ldb:]
			} else {
				bb = b[j:]
			}
			cc := c[i*ldc+j:]
			if onWasm && tA == blas.NoTrans && tB == blas.NoTrans {
				scaleRows(beta, mm, nn, cc, ldc)
				sgemmNN(mm, nn, k, alpha, aa, lda, bb, ldb, cc, ldc)
				continue
			}
			impl.Sgemm(tA, tB, mm, nn, k, alpha, aa, lda, bb, ldb, beta, cc, ldc)
		}
	}
}

// scaleRows multiplies the m×n matrix c by beta, as Sgemm does before it
// adds the product: beta 0 clears c (NaNs included) and beta 1 leaves it.
func scaleRows(beta float32, m, n int, c []float32, ldc int) {
	if beta == 1 {
		return
	}
	for i := range m {
		row := c[i*ldc : i*ldc+n]
		if beta == 0 {
			clear(row)
			continue
		}
		for j := range row {
			row[j] *= beta
		}
	}
}

// A gemmTask is part of a product handed to the helper goroutine.
type gemmTask struct {
	tA, tB  blas.Transpose
	m, n, k int
	alpha   float32
	a       []float32
	lda     int
	b       []float32
	ldb     int
	beta    float32
	c       []float32
	ldc     int
	done    chan struct{}
}

// helper starts, once, a goroutine that runs gemmTasks. A long-lived helper
// lets one digit's forward pass use two cores without allocating, which
// starting goroutines per call would do.
var helper = sync.OnceValue(func() chan gemmTask {
	tasks := make(chan gemmTask)
	go func() {
		for t := range tasks {
			gemmSerial(t.tA, t.tB, t.m, t.n, t.k, t.alpha, t.a, t.lda, t.b, t.ldb, t.beta, t.c, t.ldc)
			t.done <- struct{}{}
		}
	}()
	return tasks
})

var donePool = sync.Pool{New: func() any { return make(chan struct{}, 1) }}

// shareGEMM splits a mid-sized product in two along its longer side of c and
// gives one half to the helper goroutine. It reports false, having done
// nothing, if the helper is busy with another product.
func shareGEMM(tA, tB blas.Transpose, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) bool {
	done := donePool.Get().(chan struct{})
	defer donePool.Put(done)
	t := gemmTask{tA: tA, tB: tB, m: m, n: n, k: k, alpha: alpha, a: a, lda: lda, b: b, ldb: ldb, beta: beta, c: c, ldc: ldc, done: done}
	if n >= m {
		// The helper takes columns [h, n) of c and op(b).
		h := n / 2
		t.n = n - h
		if tB == blas.Trans {
			t.b = b[h*ldb:]
		} else {
			t.b = b[h:]
		}
		t.c = c[h:]
		n = h
	} else {
		// The helper takes rows [h, m) of c and op(a).
		h := m / 2
		t.m = m - h
		if tA == blas.Trans {
			t.a = a[h:]
		} else {
			t.a = a[h*lda:]
		}
		t.c = c[h*ldc:]
		m = h
	}
	select {
	case helper() <- t:
	default:
		return false
	}
	gemmSerial(tA, tB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
	<-done
	return true
}

// splitPool holds the second partial product of gemmSplitK.
var splitPool = sync.Pool{New: func() any { return new([]float32) }}

// gemmSplitK handles products that are small in m and n but long in k, such
// as a weight gradient summed over a whole batch, which gonum would run on
// one core: each half of k runs on its own goroutine and the halves are
// summed.
func gemmSplitK(transA, transB bool, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, c []float32, ldc int) {
	tA, tB := blas.NoTrans, blas.NoTrans
	if transA {
		tA = blas.Trans
	}
	if transB {
		tB = blas.Trans
	}
	half := k / 2
	// Offsets of the second half of k in a and b.
	var a2, b2 []float32
	if transA {
		a2 = a[half*lda:]
	} else {
		a2 = a[half:]
	}
	if transB {
		b2 = b[half:]
	} else {
		b2 = b[half*ldb:]
	}
	p := splitPool.Get().(*[]float32)
	defer splitPool.Put(p)
	*p = grow(*p, m*n)
	tmp := *p
	var wg sync.WaitGroup
	wg.Go(func() {
		impl.Sgemm(tA, tB, m, n, k-half, alpha, a2, lda, b2, ldb, 0, tmp, n)
	})
	impl.Sgemm(tA, tB, m, n, half, alpha, a, lda, b, ldb, 0, c, ldc)
	wg.Wait()
	for i := range m {
		row := c[i*ldc : i*ldc+n]
		for j, v := range tmp[i*n : i*n+n] {
			row[j] += v
		}
	}
}

// worthSplitting reports whether n items of about cost operations each are
// enough work to spread over goroutines. Callers test it before building the
// closure for parallelFor, so that small work (one digit) allocates nothing.
func worthSplitting(n, cost int) bool {
	return !onWasm && runtime.GOMAXPROCS(0) > 1 && n > 1 && n*cost >= 1<<18
}

// parallelFor calls fn over [0, n) split into one contiguous range per
// processor, and waits for all of them.
func parallelFor(n int, fn func(lo, hi int)) {
	workers := min(runtime.GOMAXPROCS(0), n)
	var wg sync.WaitGroup
	for w := 1; w < workers; w++ {
		lo, hi := n*w/workers, n*(w+1)/workers
		wg.Go(func() { fn(lo, hi) })
	}
	fn(0, n/workers)
	wg.Wait()
}
