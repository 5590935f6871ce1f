package kernel

import (
	"unsafe"

	"golang.org/x/sys/cpu"
)

//go:generate go run ./asm -out micro_amd64.s -stubs micro_stub_amd64.go

// simd is the AVX2 and FMA implementation, on CPUs that have both: the
// packed GEMM with the avo-generated assembly micro-kernels.
var simd = func() *implementation {
	if !cpu.X86.HasAVX2 || !cpu.X86.HasFMA {
		return nil
	}
	g := &packedGemm{mr: 6, nr: 16, mc: 96, kc: 256, nc: 2048, micro: []microKernel{
		asmKernel(1, micro1x16), asmKernel(2, micro2x16), asmKernel(3, micro3x16),
		asmKernel(4, micro4x16), asmKernel(5, micro5x16), asmKernel(6, micro6x16),
	}, packT: packT16Checked, packN: packA6Checked}
	gemm := func(p product) {
		if p.dotShaped() {
			dotGemm(p)
			return
		}
		g.gemm(p)
	}
	return &implementation{name: "avx2", mr: g.mr, nr: g.nr, gemm: gemm, vector: &vectorLoops{
		adam: func(n int, w, g, m, v []float32, lr, beta1c, beta2c, eps float32) {
			_, _, _, _ = w[n-1], g[n-1], m[n-1], v[n-1]
			adam8(n, &w[0], &g[0], &m[0], &v[0], lr, beta1c, beta2c, eps)
		},
		relu: func(n int, y, x []float32) {
			_, _ = y[n-1], x[n-1]
			relu8(n, &y[0], &x[0])
		},
		reluBackward: func(n int, dx, dy, y []float32) {
			_, _, _ = dx[n-1], dy[n-1], y[n-1]
			reluBackward8(n, &dx[0], &dy[0], &y[0])
		},
		sum: func(n int, x []float32) float64 {
			_ = x[n-1]
			return sum8(n, &x[0])
		},
		squaredDeviations: func(n int, x []float32, mean float64) float64 {
			_ = x[n-1]
			return squaredDeviations8(n, &x[0], mean)
		},
		gradSums: func(n int, d, xhat []float32) (float64, float64) {
			_, _ = d[n-1], xhat[n-1]
			return gradSums8(n, &d[0], &xhat[0])
		},
		normalize: func(n int, y, xhat, x []float32, mean, inv, gamma, beta float32) {
			_, _, _ = y[n-1], xhat[n-1], x[n-1]
			normalize8(n, &y[0], &xhat[0], &x[0], mean, inv, gamma, beta)
		},
		scaleShift: func(n int, y, x []float32, scale, shift float32) {
			_, _ = y[n-1], x[n-1]
			scaleShift8(n, &y[0], &x[0], scale, shift)
		},
		batchNormDx: func(n int, dx, d, xhat []float32, k, mb, mg float32) {
			_, _, _ = dx[n-1], d[n-1], xhat[n-1]
			batchNormDx8(n, &dx[0], &d[0], &xhat[0], k, mb, mg)
		},
	}}
}()

// asmKernel wraps an assembly kernel of rows rows, checking the bounds of
// the panels and the tile, which the assembly cannot.
func asmKernel(rows int, fn func(kc int, a *float32, lda int, b *float32, ldb int, c *float32, ldc int, accumulate bool)) microKernel {
	return func(kc int, a []float32, lda int, b []float32, ldb int, c []float32, ldc int, accumulate bool) {
		_ = a[(kc-1)*lda+rows-1]
		_ = b[(kc-1)*ldb+15]
		_ = c[(rows-1)*ldc+15]
		fn(kc, unsafe.SliceData(a), lda, unsafe.SliceData(b), ldb, unsafe.SliceData(c), ldc, accumulate)
	}
}

// packT16Checked checks the bounds of packT16's rows and panel and calls it.
func packT16Checked(kc int, src []float32, ld int, dst []float32) {
	if kc == 0 {
		return
	}
	_ = src[15*ld+kc-1]
	_ = dst[16*kc-1]
	packT16(kc, unsafe.SliceData(src), ld, unsafe.SliceData(dst))
}

// packA6Checked checks the bounds of packA6's rows and panel and calls it.
func packA6Checked(kc int, src []float32, ld int, dst []float32) {
	if kc == 0 {
		return
	}
	_ = src[5*ld+kc-1]
	_ = dst[6*kc+1]
	packA6(kc, unsafe.SliceData(src), ld, unsafe.SliceData(dst))
}

// dotKernels[r-1][c-1] is dotRxC.
var dotKernels = [dotRows][dotCols]func(kc int, a *float32, lda int, b *float32, ldb int, c *float32, ldc int){
	{dot1x1, dot1x2, dot1x3},
	{dot2x1, dot2x2, dot2x3},
	{dot3x1, dot3x2, dot3x3},
	{dot4x1, dot4x2, dot4x3},
}

// The largest block of dots one kernel computes.
const dotRows, dotCols = 4, 3

// dotChunk is how much of k dotGemm takes at a time: dotRows rows of a and
// all the rows of b, this long, stay in L1 and L2 while every block of c
// runs over them.
const dotChunk = 2048

// dotShaped reports whether p is a·bᵀ small in m and n and long in k, which
// dotGemm computes as dot products of rows.
func (p product) dotShaped() bool {
	return !p.transA && p.transB && p.m <= 64 && p.n <= 32 && p.k >= 512
}

// dotGemm computes a dotShaped product block by block of c, each a kernel's
// dot products of rows of a and of b over dotChunk of k at a time.
func dotGemm(p product) {
	if !p.accumulate {
		for i := range p.m {
			clear(p.c[i*p.ldc : i*p.ldc+p.n])
		}
	}
	k8 := p.k &^ 7
	for l0 := 0; l0 < k8; l0 += dotChunk {
		kc := min(dotChunk, k8-l0)
		for i := 0; i < p.m; i += dotRows {
			rows := min(dotRows, p.m-i)
			for j := 0; j < p.n; j += dotCols {
				cols := min(dotCols, p.n-j)
				_ = p.a[(i+rows-1)*p.lda+l0+kc-1]
				_ = p.b[(j+cols-1)*p.ldb+l0+kc-1]
				_ = p.c[(i+rows-1)*p.ldc+j+cols-1]
				dotKernels[rows-1][cols-1](kc, &p.a[i*p.lda+l0], p.lda, &p.b[j*p.ldb+l0], p.ldb, &p.c[i*p.ldc+j], p.ldc)
			}
		}
	}
	for i := range p.m {
		for j := range p.n {
			var s float32
			for l := k8; l < p.k; l++ {
				s += p.a[i*p.lda+l] * p.b[j*p.ldb+l]
			}
			p.c[i*p.ldc+j] += s
		}
	}
}
