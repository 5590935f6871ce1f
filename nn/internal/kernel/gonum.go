package kernel

import (
	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/gonum"
)

// gonumImpl runs products through gonum's pure-Go BLAS, whose Sgemm is a
// loop of axpy kernels (SSE assembly on amd64, NEON on arm64). It is the
// fallback on CPUs without the SIMD of ours.
var gonumImpl = &implementation{name: "gonum", mr: 1, nr: 1, gemm: gonumGemm}

// gonumTile bounds the tiles gonumGemm hands to gonum: gonum splits any
// product over 64×64 blocks across goroutines of its own, which allocates;
// Gemm already splits across the processors.
const gonumTileM, gonumTileN = 64, 192

func gonumGemm(p product) {
	tA, tB := blas.NoTrans, blas.NoTrans
	if p.transA {
		tA = blas.Trans
	}
	if p.transB {
		tB = blas.Trans
	}
	var beta float32
	if p.accumulate {
		beta = 1
	}
	var impl gonum.Implementation
	for i := 0; i < p.m; i += gonumTileM {
		mm := min(gonumTileM, p.m-i)
		a := p.a[i:]
		if !p.transA {
			a = p.a[i*p.lda:]
		}
		for j := 0; j < p.n; j += gonumTileN {
			nn := min(gonumTileN, p.n-j)
			b := p.b[j:]
			if p.transB {
				b = p.b[j*p.ldb:]
			}
			impl.Sgemm(tA, tB, mm, nn, p.k, 1, a, p.lda, b, p.ldb, beta, p.c[i*p.ldc+j:], p.ldc)
		}
	}
}
