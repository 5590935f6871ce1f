package kernel

import "math"

// AdamStep takes one step of Adam on the parameters w with gradient g and
// moment estimates m and v, all of one length:
//
//	m += beta1c·(g - m); v += beta2c·(g² - v); w -= lr·m/(√v + eps)
//
// where beta1c = 1-β₁, beta2c = 1-β₂, and lr has the bias correction
// folded in. Large parameters are split across the processors; each element
// gets the same arithmetic either way.
func AdamStep(w, g, m, v []float32, lr, beta1c, beta2c, eps float32) {
	s := &adamState{w, g, m, v, lr, beta1c, beta2c, eps}
	// A step is some twenty operations, a square root and a division.
	ParallelFor(len(w), 20, s, (*adamState).step)
}

type adamState struct {
	w, g, m, v              []float32
	lr, beta1c, beta2c, eps float32
}

func (s *adamState) step(lo, hi int) {
	w, g, m, v := s.w[lo:hi], s.g[lo:hi], s.m[lo:hi], s.v[lo:hi]
	if vec := active.vector; vec != nil && len(w) >= 8 {
		n := len(w) &^ 7
		vec.adam(n, w, g, m, v, s.lr, s.beta1c, s.beta2c, s.eps)
		w, g, m, v = w[n:], g[n:], m[n:], v[n:]
	}
	g, m, v = g[:len(w)], m[:len(w)], v[:len(w)]
	for i, gi := range g {
		m[i] += s.beta1c * (gi - m[i])
		v[i] += s.beta2c * (gi*gi - v[i])
		w[i] -= s.lr * m[i] / (float32(math.Sqrt(float64(v[i]))) + s.eps)
	}
}
