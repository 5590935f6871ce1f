package kernel

// CopyRuns sets dst[r·dstStride+j] = src[r·srcStride+j] for r < runs and
// j < n: a rectangle of one matrix into another of other row lengths.
func CopyRuns(dst []float32, dstStride int, src []float32, srcStride, runs, n int) {
	if runs <= 0 || n <= 0 {
		return
	}
	for r := range runs {
		copy(dst[r*dstStride:][:n], src[r*srcStride:][:n])
	}
}

// AddRuns adds src[r·srcStride+j] to dst[r·dstStride+j] for r < runs and
// j < n.
func AddRuns(dst []float32, dstStride int, src []float32, srcStride, runs, n int) {
	if runs <= 0 || n <= 0 {
		return
	}
	for r := range runs {
		s := src[r*srcStride:][:n]
		d := dst[r*dstStride:][:n]
		for j, x := range s {
			d[j] += x
		}
	}
}
