package augment

import (
	"math/rand/v2"
	"testing"
)

// benchApply measures Apply on a 28×28 digit with opts.
func benchApply(b *testing.B, opts Options) {
	a := New(28, 28, opts)
	rng := rand.New(rand.NewPCG(1, 2))
	dst := make([]float32, 28*28)
	b.ReportAllocs()
	for b.Loop() {
		a.Apply(dst, seven, rng)
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "images/s")
}

func BenchmarkApply(b *testing.B) { benchApply(b, Default()) }
func BenchmarkApplyAffine(b *testing.B) {
	benchApply(b, Options{MaxShift: 2, MaxRotate: 10, MaxScale: 0.1, MaxShear: 0.1})
}
func BenchmarkApplySimard(b *testing.B) { benchApply(b, Options{ElasticAlpha: 34, ElasticSigma: 4}) }

// BenchmarkRestyle measures Restyler.Apply with every change on (P = 1),
// the cost of one restyled digit in training.
func BenchmarkRestyle(b *testing.B) {
	r := NewRestyler(Style{P: 1, Stroke: 1, Blur: 1.2, LowRes: 10, Gaps: 2, Serifs: 1.0 / 3})
	rng := rand.New(rand.NewPCG(1, 2))
	dst := make([]float32, 28*28)
	b.ReportAllocs()
	for b.Loop() {
		r.Apply(dst, seven, 7, rng)
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "images/s")
}
