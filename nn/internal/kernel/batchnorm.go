package kernel

// The loops of batch normalisation over a run of one channel's values. The
// sums are taken in float64, for the variance of a large batch; with SIMD
// they add in eight lanes, in another order than one at a time, and may
// differ from the plain loops in their last bits.

// SumF64 returns the sum of x in float64.
func SumF64(x []float32) float64 {
	var s float64
	if v := active.vector; v != nil && len(x) >= 8 {
		n := len(x) &^ 7
		s, x = v.sum(n, x), x[n:]
	}
	for _, xi := range x {
		s += float64(xi)
	}
	return s
}

// SquaredDeviationsF64 returns the sum of (x[i] - mean)² in float64.
func SquaredDeviationsF64(x []float32, mean float64) float64 {
	var s float64
	if v := active.vector; v != nil && len(x) >= 8 {
		n := len(x) &^ 7
		s, x = v.squaredDeviations(n, x, mean), x[n:]
	}
	for _, xi := range x {
		d := float64(xi) - mean
		s += d * d
	}
	return s
}

// Normalize sets xhat[i] = (x[i] - mean)·inv and y[i] = gamma·xhat[i] + beta.
func Normalize(y, xhat, x []float32, mean, inv, gamma, beta float32) {
	y, xhat = y[:len(x)], xhat[:len(x)]
	if v := active.vector; v != nil && len(x) >= 8 {
		n := len(x) &^ 7
		v.normalize(n, y, xhat, x, mean, inv, gamma, beta)
		y, xhat, x = y[n:], xhat[n:], x[n:]
	}
	for i, xi := range x {
		h := (xi - mean) * inv
		xhat[i] = h
		y[i] = gamma*h + beta
	}
}

// ScaleShift sets y[i] = x[i]·scale + shift.
func ScaleShift(y, x []float32, scale, shift float32) {
	y = y[:len(x)]
	if v := active.vector; v != nil && len(x) >= 8 {
		n := len(x) &^ 7
		v.scaleShift(n, y, x, scale, shift)
		y, x = y[n:], x[n:]
	}
	for i, xi := range x {
		y[i] = xi*scale + shift
	}
}

// GradSumsF64 returns the sums of d[i] and of d[i]·xhat[i] in float64.
func GradSumsF64(d, xhat []float32) (sumD, sumDXhat float64) {
	xhat = xhat[:len(d)]
	if v := active.vector; v != nil && len(d) >= 8 {
		n := len(d) &^ 7
		sumD, sumDXhat = v.gradSums(n, d, xhat)
		d, xhat = d[n:], xhat[n:]
	}
	for i, di := range d {
		sumD += float64(di)
		sumDXhat += float64(di * xhat[i])
	}
	return sumD, sumDXhat
}

// BatchNormDx sets dx[i] = k·(d[i] - mb - xhat[i]·mg).
func BatchNormDx(dx, d, xhat []float32, k, mb, mg float32) {
	dx, xhat = dx[:len(d)], xhat[:len(d)]
	if v := active.vector; v != nil && len(d) >= 8 {
		n := len(d) &^ 7
		v.batchNormDx(n, dx, d, xhat, k, mb, mg)
		dx, d, xhat = dx[n:], d[n:], xhat[n:]
	}
	for i, di := range d {
		dx[i] = k * (di - mb - xhat[i]*mg)
	}
}
