package nn

import (
	"fmt"
	"math/rand/v2"
)

// Dropout zeroes each unit with probability Rate while training (Srivastava
// et al. 2014). Unlike the book, which scales outputs by 1-Rate at
// inference, tegaki uses inverted dropout: kept units are scaled by
// 1/(1-Rate) during training, so inference is the identity and costs nothing.
type Dropout struct {
	Rate float64
	Rand *rand.Rand // source of the masks; set by the network builder

	mask    []float32
	out, dx *Tensor
}

// NewDropout returns a dropout layer. It panics unless 0 ≤ rate < 1.
func NewDropout(rate float64, rng *rand.Rand) *Dropout {
	if rate < 0 || rate >= 1 {
		panic(fmt.Sprintf("nn: NewDropout: rate %v outside [0, 1)", rate))
	}
	return &Dropout{Rate: rate, Rand: rng}
}

var _ Stochastic = (*Dropout)(nil)

// SetRand makes Dropout draw its masks from rng (see Stochastic).
func (l *Dropout) SetRand(rng *rand.Rand) { l.Rand = rng }

// Forward drops units in Training mode and returns x unchanged otherwise.
func (l *Dropout) Forward(x *Tensor, mode Mode) *Tensor {
	if mode != Training || l.Rate == 0 {
		l.mask = l.mask[:0]
		return x
	}
	l.out = ensure(l.out, x.Shape...)
	l.mask = grow(l.mask, len(x.Data))
	keep := float32(1 / (1 - l.Rate))
	for i, v := range x.Data {
		if l.Rand.Float64() < l.Rate {
			l.mask[i] = 0
		} else {
			l.mask[i] = keep
		}
		l.out.Data[i] = v * l.mask[i]
	}
	return l.out
}

// Backward scales dout by the mask of the last Forward.
func (l *Dropout) Backward(dout *Tensor) *Tensor {
	if len(l.mask) == 0 {
		return dout
	}
	l.dx = ensure(l.dx, dout.Shape...)
	for i, d := range dout.Data {
		l.dx.Data[i] = d * l.mask[i]
	}
	return l.dx
}
