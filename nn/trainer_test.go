package nn_test

import (
	"context"
	"maps"
	"math/rand/v2"
	"runtime"
	"sync"
	"testing"

	"github.com/tegaki/tegaki/nn"
)

// TestTrainerAugmentCores checks that the augmentation of every sample
// depends on the seed, the epoch, the batch and the sample only, not on how
// many cores fill the batch: runs on one and on two cores draw the same.
func TestTrainerAugmentCores(t *testing.T) {
	const n, features = 400, 8
	x := nn.NewTensor(n, features)
	labels := make([]int, n)
	for i := range n {
		x.Data[i*features] = float32(i) // tells the samples apart
		labels[i] = i % 3
	}
	draws := func(procs int) map[int]uint64 {
		defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(procs))
		spec := nn.Spec{Name: "tiny", Input: []int{features}, Classes: 3, Layers: []nn.LayerSpec{{Type: "affine", Out: 3}}}
		net, err := spec.Build(1)
		if err != nil {
			t.Fatal(err)
		}
		var mu sync.Mutex
		got := map[int]uint64{}
		tr := &nn.Trainer{Net: net, Optimizer: &nn.SGD{LR: 0.01}, BatchSize: 100, Seed: 7,
			Augment: func(dst, src []float32, label int, rng *rand.Rand) {
				copy(dst, src)
				if label != int(src[0])%3 {
					t.Errorf("sample %v: label %d", src[0], label)
				}
				mu.Lock()
				got[int(src[0])] ^= rng.Uint64()
				mu.Unlock()
			}}
		for range 2 {
			if _, err := tr.RunEpoch(context.Background(), x, labels); err != nil {
				t.Fatal(err)
			}
		}
		return got
	}
	one, two := draws(1), draws(2)
	if len(one) != n {
		t.Fatalf("%d samples augmented, want %d", len(one), n)
	}
	if !maps.Equal(one, two) {
		t.Error("the augmentation drew differently on one core and on two")
	}
}
