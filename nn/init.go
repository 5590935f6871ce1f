package nn

import (
	"math"
	"math/rand/v2"
)

// He fills w with Gaussian values of standard deviation √(2/fanIn), the
// initialisation for ReLU networks (He et al. 2015, arXiv:1502.01852).
func He(w []float32, fanIn int, rng *rand.Rand) {
	gaussian(w, math.Sqrt(2/float64(fanIn)), rng)
}

// Xavier fills w with Gaussian values of standard deviation √(1/fanIn), the
// book's form of Glorot and Bengio's initialisation for sigmoid and tanh.
func Xavier(w []float32, fanIn int, rng *rand.Rand) {
	gaussian(w, math.Sqrt(1/float64(fanIn)), rng)
}

func gaussian(w []float32, std float64, rng *rand.Rand) {
	for i := range w {
		w[i] = float32(rng.NormFloat64() * std)
	}
}
