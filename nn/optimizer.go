package nn

import (
	"math"

	"github.com/tegaki/tegaki/nn/internal/kernel"
)

// An Optimizer updates parameters from their gradients (the book's
// common/optimizer.py). Its per-parameter state is created on the first
// Update and is exposed by State, so a checkpoint can save and restore it.
type Optimizer interface {
	// Update takes one step on every parameter that has a gradient.
	Update(params []*Param)
	// SetLearningRate changes the step size, for schedules.
	SetLearningRate(lr float64)
	// State returns the optimizer's state by name; restoring a checkpoint
	// fills it before the first Update.
	State() map[string][]float32
}

// slots holds an optimizer's per-parameter state twice: by name, for
// checkpoints, and by parameter, so that a step does not build a string per
// parameter.
type slots struct {
	named map[string][]float32
	fast  map[slotKey][]float32
}

type slotKey struct {
	kind string
	p    *Param
}

// get returns the state vector kind.<param name>, taking it from a restored
// checkpoint when one of the right length is there, and creating a zeroed
// one otherwise.
func (s *slots) get(kind string, p *Param) []float32 {
	if v, ok := s.fast[slotKey{kind, p}]; ok {
		return v
	}
	if s.fast == nil {
		s.fast = make(map[slotKey][]float32)
	}
	name := kind + "." + p.Name
	v, ok := s.state()[name]
	if !ok || len(v) != len(p.Value.Data) {
		v = make([]float32, len(p.Value.Data))
		s.named[name] = v
	}
	s.fast[slotKey{kind, p}] = v
	return v
}

func (s *slots) state() map[string][]float32 {
	if s.named == nil {
		s.named = make(map[string][]float32)
	}
	return s.named
}

// SGD is plain stochastic gradient descent: w -= lr·g.
type SGD struct {
	LR float64
}

// Update applies one SGD step.
func (o *SGD) Update(params []*Param) {
	lr := float32(o.LR)
	for _, p := range params {
		if p.Grad == nil {
			continue
		}
		for i, g := range p.Grad.Data {
			p.Value.Data[i] -= lr * g
		}
	}
}

// SetLearningRate sets LR.
func (o *SGD) SetLearningRate(lr float64) { o.LR = lr }

// State returns nil: SGD keeps no state.
func (o *SGD) State() map[string][]float32 { return nil }

// Momentum is SGD with momentum: v = μ·v - lr·g; w += v.
type Momentum struct {
	LR, Momentum float64 // Momentum is usually 0.9
	slots
}

// Update applies one momentum step.
func (o *Momentum) Update(params []*Param) {
	lr, mu := float32(o.LR), float32(o.Momentum)
	for _, p := range params {
		if p.Grad == nil {
			continue
		}
		v := o.get("v", p)
		for i, g := range p.Grad.Data {
			v[i] = mu*v[i] - lr*g
			p.Value.Data[i] += v[i]
		}
	}
}

// SetLearningRate sets LR.
func (o *Momentum) SetLearningRate(lr float64) { o.LR = lr }

// State returns the velocities, keyed "v.<param>".
func (o *Momentum) State() map[string][]float32 { return o.state() }

// AdaGrad scales each step by the inverse root of the summed squared
// gradients: h += g²; w -= lr·g/(√h + 1e-7).
type AdaGrad struct {
	LR float64
	slots
}

// Update applies one AdaGrad step.
func (o *AdaGrad) Update(params []*Param) {
	lr := float32(o.LR)
	for _, p := range params {
		if p.Grad == nil {
			continue
		}
		h := o.get("h", p)
		for i, g := range p.Grad.Data {
			h[i] += g * g
			p.Value.Data[i] -= lr * g / (sqrt32(h[i]) + 1e-7)
		}
	}
}

// SetLearningRate sets LR.
func (o *AdaGrad) SetLearningRate(lr float64) { o.LR = lr }

// State returns the sums of squares, keyed "h.<param>".
func (o *AdaGrad) State() map[string][]float32 { return o.state() }

// RMSProp is AdaGrad with an exponential moving average:
// h = ρ·h + (1-ρ)·g²; w -= lr·g/(√h + 1e-7).
type RMSProp struct {
	LR, Decay float64 // Decay ρ is usually 0.99, as in the book
	slots
}

// Update applies one RMSProp step.
func (o *RMSProp) Update(params []*Param) {
	lr, rho := float32(o.LR), float32(o.Decay)
	for _, p := range params {
		if p.Grad == nil {
			continue
		}
		h := o.get("h", p)
		for i, g := range p.Grad.Data {
			h[i] = rho*h[i] + (1-rho)*g*g
			p.Value.Data[i] -= lr * g / (sqrt32(h[i]) + 1e-7)
		}
	}
}

// SetLearningRate sets LR.
func (o *RMSProp) SetLearningRate(lr float64) { o.LR = lr }

// State returns the averages of squares, keyed "h.<param>".
func (o *RMSProp) State() map[string][]float32 { return o.state() }

// Adam keeps moving averages of the gradient and its square (Kingma and Ba
// 2014, arXiv:1412.6980), with the book's bias correction folded into the
// step size.
type Adam struct {
	LR, Beta1, Beta2 float64 // usually 0.001, 0.9, 0.999
	slots
}

// Update applies one Adam step.
func (o *Adam) Update(params []*Param) {
	st := o.state()
	if len(st["t"]) != 1 {
		st["t"] = []float32{0}
	}
	// The step count is kept as float32 state so that checkpoints carry it;
	// it is exact up to 2^24 steps.
	st["t"][0]++
	t := float64(st["t"][0])
	lrt := float32(o.LR * math.Sqrt(1-math.Pow(o.Beta2, t)) / (1 - math.Pow(o.Beta1, t)))
	b1, b2 := float32(1-o.Beta1), float32(1-o.Beta2)
	for _, p := range params {
		if p.Grad == nil {
			continue
		}
		// m += (1-β₁)(g - m); v += (1-β₂)(g² - v); w -= lrt·m/(√v + ε)
		kernel.AdamStep(p.Value.Data, p.Grad.Data, o.get("m", p), o.get("v", p), lrt, b1, b2, 1e-7)
	}
}

// SetLearningRate sets LR.
func (o *Adam) SetLearningRate(lr float64) { o.LR = lr }

// State returns the moments, keyed "m.<param>" and "v.<param>", and the
// step count "t".
func (o *Adam) State() map[string][]float32 { return o.state() }

func sqrt32(x float32) float32 { return float32(math.Sqrt(float64(x))) }
