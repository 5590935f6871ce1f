package nn

import (
	"math/rand/v2"
	"testing"
)

// benchNet builds the named architecture and a random input batch.
func benchNet(b *testing.B, name string, batch int) (*Net, *Tensor, []int) {
	spec, err := Architecture(name)
	if err != nil {
		b.Fatal(err)
	}
	net, err := spec.Build(1)
	if err != nil {
		b.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(1, 1))
	x := NewTensor(append([]int{batch}, spec.Input...)...)
	for i := range x.Data {
		x.Data[i] = rng.Float32()
	}
	labels := make([]int, batch)
	for i := range labels {
		labels[i] = rng.IntN(spec.Classes)
	}
	return net, x, labels
}

// benchPredict measures the inference of one digit.
func benchPredict(b *testing.B, name string) {
	net, x, _ := benchNet(b, name, 1)
	net.Predict(x)
	b.ReportAllocs()
	for b.Loop() {
		net.Predict(x)
	}
	b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N)/1000, "ms/digit")
}

// benchTrainStep measures one step of training at batch 100: forward,
// backward and an Adam update.
func benchTrainStep(b *testing.B, name string) {
	const batch = 100
	net, x, labels := benchNet(b, name, batch)
	opt := &Adam{LR: 1e-3, Beta1: 0.9, Beta2: 0.999}
	net.Gradient(x, labels)
	opt.Update(net.Params())
	b.ReportAllocs()
	for b.Loop() {
		net.Gradient(x, labels)
		opt.Update(net.Params())
	}
	b.ReportMetric(float64(batch*b.N)/b.Elapsed().Seconds(), "samples/s")
}

func BenchmarkPredictTegaki(b *testing.B)        { benchPredict(b, "tegaki") }
func BenchmarkPredictLeNet32(b *testing.B)       { benchPredict(b, "lenet32") }
func BenchmarkPredictSimpleConvNet(b *testing.B) { benchPredict(b, "simpleconvnet") }
func BenchmarkPredictMLP50(b *testing.B)         { benchPredict(b, "mlp50") }

func BenchmarkTrainStepMLP50(b *testing.B)         { benchTrainStep(b, "mlp50") }
func BenchmarkTrainStepSimpleConvNet(b *testing.B) { benchTrainStep(b, "simpleconvnet") }
func BenchmarkTrainStepLeNet32(b *testing.B)       { benchTrainStep(b, "lenet32") }
func BenchmarkTrainStepTegaki(b *testing.B)        { benchTrainStep(b, "tegaki") }

// TestPredictAllocs checks that a warm network classifies without
// allocating, so that live prediction in the browser makes no garbage.
func TestPredictAllocs(t *testing.T) {
	for _, name := range ArchitectureNames() {
		spec, _ := Architecture(name)
		net, err := spec.Build(1)
		if err != nil {
			t.Fatal(err)
		}
		x := NewTensor(append([]int{1}, spec.Input...)...)
		net.Predict(x)
		if n := testing.AllocsPerRun(20, func() { net.Predict(x) }); n != 0 {
			t.Errorf("%s: Predict allocates %v times per call, want 0", name, n)
		}
	}
}
