package nn

// sgemmNN adds alpha·a·b to c, for row-major a (m×k), b (k×n) and c (m×n)
// with leading dimensions lda, ldb and ldc. It is the product that Conv and
// Affine run forward, written for GOARCH=wasm, where gonum has no assembly:
// its plain-Go Sgemm makes one AxpyUnitary call per element of a, and under
// WebAssembly each call and each taken branch costs about as much as a few
// multiply-adds.
//
// It keeps eight elements of a row of c in locals and unrolls the sum over k
// by four, so that each iteration does 32 multiply-adds for one branch.
// (Of the blocks measured in Node, of one to four rows by two to sixteen
// columns of c, with and without unrolling, one row of eight was the
// fastest: more accumulators spill out of the sixteen float32 registers of
// Go's wasm port.)
//
// Each element of c gets the same sum, in the same order, as gonum's
// sgemmSerialNotNot: c + (alpha·a[i][0])·b[0][j] + (alpha·a[i][1])·b[1][j] +
// ..., so the results are bit for bit those of gonum on every platform
// (gonum skips the terms whose factor alpha·a[i][l] is zero; here they add
// ±0, which changes nothing but the sign of a zero sum, unless b holds an
// infinity or a NaN).
func sgemmNN(m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, c []float32, ldc int) {
	for i := range m {
		ai := a[i*lda : i*lda+k]
		ci := c[i*ldc : i*ldc+n]
		j := 0
		for ; j+8 <= n; j += 8 {
			cj := ci[j : j+8 : j+8]
			s0, s1, s2, s3, s4, s5, s6, s7 := cj[0], cj[1], cj[2], cj[3], cj[4], cj[5], cj[6], cj[7]
			off, l := j, 0
			for ; l+4 <= k; l += 4 {
				al := ai[l : l+4 : l+4]
				x, bl := alpha*al[0], b[off:off+8:off+8]
				s0, s1, s2, s3 = s0+x*bl[0], s1+x*bl[1], s2+x*bl[2], s3+x*bl[3]
				s4, s5, s6, s7 = s4+x*bl[4], s5+x*bl[5], s6+x*bl[6], s7+x*bl[7]
				off += ldb
				x, bl = alpha*al[1], b[off:off+8:off+8]
				s0, s1, s2, s3 = s0+x*bl[0], s1+x*bl[1], s2+x*bl[2], s3+x*bl[3]
				s4, s5, s6, s7 = s4+x*bl[4], s5+x*bl[5], s6+x*bl[6], s7+x*bl[7]
				off += ldb
				x, bl = alpha*al[2], b[off:off+8:off+8]
				s0, s1, s2, s3 = s0+x*bl[0], s1+x*bl[1], s2+x*bl[2], s3+x*bl[3]
				s4, s5, s6, s7 = s4+x*bl[4], s5+x*bl[5], s6+x*bl[6], s7+x*bl[7]
				off += ldb
				x, bl = alpha*al[3], b[off:off+8:off+8]
				s0, s1, s2, s3 = s0+x*bl[0], s1+x*bl[1], s2+x*bl[2], s3+x*bl[3]
				s4, s5, s6, s7 = s4+x*bl[4], s5+x*bl[5], s6+x*bl[6], s7+x*bl[7]
				off += ldb
			}
			for ; l < k; l++ {
				x, bl := alpha*ai[l], b[off:off+8:off+8]
				s0, s1, s2, s3 = s0+x*bl[0], s1+x*bl[1], s2+x*bl[2], s3+x*bl[3]
				s4, s5, s6, s7 = s4+x*bl[4], s5+x*bl[5], s6+x*bl[6], s7+x*bl[7]
				off += ldb
			}
			cj[0], cj[1], cj[2], cj[3], cj[4], cj[5], cj[6], cj[7] = s0, s1, s2, s3, s4, s5, s6, s7
		}
		if j+4 <= n {
			cj := ci[j : j+4 : j+4]
			s0, s1, s2, s3 := cj[0], cj[1], cj[2], cj[3]
			off := j
			for _, v := range ai {
				x, bl := alpha*v, b[off:off+4:off+4]
				s0, s1, s2, s3 = s0+x*bl[0], s1+x*bl[1], s2+x*bl[2], s3+x*bl[3]
				off += ldb
			}
			cj[0], cj[1], cj[2], cj[3] = s0, s1, s2, s3
			j += 4
		}
		for ; j < n; j++ {
			s, off := ci[j], j
			for _, v := range ai {
				s += alpha * v * b[off]
				off += ldb
			}
			ci[j] = s
		}
	}
}
