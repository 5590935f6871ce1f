package kernel

// blockedGemm is the portable GEMM, plain Go, written for WebAssembly,
// where Go has no SIMD, keeps sixteen float32 values in the wasm port's
// registers, and pays for every call and taken branch about as much as for a
// few multiply-adds. A transposed operand is first copied untransposed (a
// pass over it, against k or n passes for the product); then each row of c
// is computed eight columns at a time, in local variables, with the sum over
// k unrolled by four: 32 multiply-adds for one branch, and no calls.
//
// Of the tiles measured in Node (1×8, 2×4, 3×4, 4×4, with and without
// unrolling, packed like the SIMD kernel or not), larger ones spilled out
// of the registers, and calling a micro-kernel per tile cost more than it
// saved; this was the fastest.
func blockedGemm(p product) {
	a, lda, b, ldb := p.a, p.lda, p.b, p.ldb
	var s *scratch
	if p.transA || p.transB {
		s = getScratch()
		defer putScratch(s)
	}
	if p.transA {
		s.a = grow(s.a, p.m*p.k)
		transpose(s.a, p.a, p.lda, p.k, p.m)
		a, lda = s.a, p.k
	}
	if p.transB {
		s.b = grow(s.b, p.k*p.n)
		transpose(s.b, p.b, p.ldb, p.n, p.k)
		b, ldb = s.b, p.n
	}
	rowsNN(p.m, p.n, p.k, a, lda, b, ldb, p.c, p.ldc, p.accumulate)
}

// transpose sets dst, cols×rows with rows packed, to the transpose of src,
// rows×cols with rows ld apart.
func transpose(dst, src []float32, ld, rows, cols int) {
	for i := range rows {
		for j, v := range src[i*ld : i*ld+cols] {
			dst[j*rows+i] = v
		}
	}
}

// rowsNN sets c to a·b, or adds a·b to it, for untransposed a (m×k) and b
// (k×n).
func rowsNN(m, n, k int, a []float32, lda int, b []float32, ldb int, c []float32, ldc int, accumulate bool) {
	for i := range m {
		ai := a[i*lda : i*lda+k]
		ci := c[i*ldc : i*ldc+n]
		if !accumulate {
			clear(ci)
		}
		j := 0
		for ; j+8 <= n; j += 8 {
			cj := (*[8]float32)(ci[j:])
			s0, s1, s2, s3, s4, s5, s6, s7 := cj[0], cj[1], cj[2], cj[3], cj[4], cj[5], cj[6], cj[7]
			off, l := j, 0
			for ; l+4 <= k; l += 4 {
				al := (*[4]float32)(ai[l:])
				x, bl := al[0], (*[8]float32)(b[off:])
				s0, s1, s2, s3 = s0+x*bl[0], s1+x*bl[1], s2+x*bl[2], s3+x*bl[3]
				s4, s5, s6, s7 = s4+x*bl[4], s5+x*bl[5], s6+x*bl[6], s7+x*bl[7]
				off += ldb
				x, bl = al[1], (*[8]float32)(b[off:])
				s0, s1, s2, s3 = s0+x*bl[0], s1+x*bl[1], s2+x*bl[2], s3+x*bl[3]
				s4, s5, s6, s7 = s4+x*bl[4], s5+x*bl[5], s6+x*bl[6], s7+x*bl[7]
				off += ldb
				x, bl = al[2], (*[8]float32)(b[off:])
				s0, s1, s2, s3 = s0+x*bl[0], s1+x*bl[1], s2+x*bl[2], s3+x*bl[3]
				s4, s5, s6, s7 = s4+x*bl[4], s5+x*bl[5], s6+x*bl[6], s7+x*bl[7]
				off += ldb
				x, bl = al[3], (*[8]float32)(b[off:])
				s0, s1, s2, s3 = s0+x*bl[0], s1+x*bl[1], s2+x*bl[2], s3+x*bl[3]
				s4, s5, s6, s7 = s4+x*bl[4], s5+x*bl[5], s6+x*bl[6], s7+x*bl[7]
				off += ldb
			}
			for ; l < k; l++ {
				x, bl := ai[l], (*[8]float32)(b[off:])
				s0, s1, s2, s3 = s0+x*bl[0], s1+x*bl[1], s2+x*bl[2], s3+x*bl[3]
				s4, s5, s6, s7 = s4+x*bl[4], s5+x*bl[5], s6+x*bl[6], s7+x*bl[7]
				off += ldb
			}
			cj[0], cj[1], cj[2], cj[3], cj[4], cj[5], cj[6], cj[7] = s0, s1, s2, s3, s4, s5, s6, s7
		}
		for ; j < n; j++ {
			s, off := ci[j], j
			for _, v := range ai {
				s += v * b[off]
				off += ldb
			}
			ci[j] = s
		}
	}
}
