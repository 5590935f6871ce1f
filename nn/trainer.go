package nn

import (
	"context"
	"fmt"
	"math/rand/v2"

	"github.com/tegaki/tegaki/nn/internal/kernel"
)

// A Trainer runs mini-batch gradient descent over a data set, one epoch at
// a time (the book's common/trainer.py).
//
// Every random choice (the order of samples, the augmentation of each
// sample, the dropout masks) is drawn from generators seeded by Seed, the
// epoch and the batch number, so a run is reproducible and a checkpoint
// holding Epoch and Batch resumes it exactly where it stopped.
type Trainer struct {
	Net       *Net
	Optimizer Optimizer
	BatchSize int    // samples per step; 100 if zero
	Seed      uint64 // seeds shuffling, augmentation and dropout

	// LearningRate, if set, gives the learning rate at a point of training
	// measured in epochs (2.5 is half-way through the third epoch); it is
	// called before every step.
	LearningRate func(epoch float64) float64

	// Augment, if set, writes a randomly transformed copy of one sample to
	// dst, drawing from rng; label is the sample's class, for transforms
	// that only suit some digits. It is called from several goroutines at
	// once, each with its own rng, so it must be safe for concurrent use.
	Augment func(dst, src []float32, label int, rng *rand.Rand)

	// OnBatch, if set, is called after every step with the number of
	// samples done in this epoch and the batch's loss.
	OnBatch func(done int, loss float64)

	Epoch int // completed epochs
	Batch int // completed batches of the current epoch

	pcg  rand.PCG
	rng  *rand.Rand
	perm []int
	x    *Tensor
	y    []int
}

// RunEpoch trains on every sample of x (n, ...) once, in random order, from
// the batch after Batch, and returns the mean training loss of the batches
// it ran. When ctx is cancelled it stops between two steps and returns
// ctx's error, with Epoch and Batch saying where to resume.
func (t *Trainer) RunEpoch(ctx context.Context, x *Tensor, labels []int) (float64, error) {
	n := x.Shape[0]
	if n != len(labels) {
		return 0, fmt.Errorf("nn: train: %d samples, %d labels", n, len(labels))
	}
	bs := t.BatchSize
	if bs <= 0 {
		bs = 100
	}
	if n < bs {
		return 0, fmt.Errorf("nn: train: %d samples, fewer than a batch of %d", n, bs)
	}
	if t.rng == nil {
		t.rng = rand.New(&t.pcg)
	}
	per := len(x.Data) / n
	batches := n / bs // the remainder is left out, differently each epoch

	// The order of this epoch depends only on the seed and the epoch.
	t.pcg.Seed(t.Seed, uint64(t.Epoch)<<32)
	t.perm = t.perm[:0]
	for i := range n {
		t.perm = append(t.perm, i)
	}
	t.rng.Shuffle(n, func(i, j int) { t.perm[i], t.perm[j] = t.perm[j], t.perm[i] })

	t.x = ensure(t.x, append([]int{bs}, x.Shape[1:]...)...)
	t.y = append(t.y[:0], make([]int, bs)...)
	var sum float64
	ran := 0
	for ; t.Batch < batches; t.Batch++ {
		if err := ctx.Err(); err != nil {
			return sum / float64(max(ran, 1)), err
		}
		// Everything random in this step depends on (seed, epoch, batch).
		t.pcg.Seed(t.Seed^0x5eed, uint64(t.Epoch)<<32|uint64(t.Batch))
		for _, l := range t.Net.Layers {
			if s, ok := l.(Stochastic); ok {
				s.SetRand(t.rng)
			}
		}
		fill := batchFill{t: t, x: x, labels: labels, batch: t.perm[t.Batch*bs : (t.Batch+1)*bs], per: per}
		// Augmenting a sample costs far more than the threshold's steps.
		kernel.ParallelFor(bs, 1<<17, &fill, (*batchFill).fill)
		if t.LearningRate != nil {
			t.Optimizer.SetLearningRate(t.LearningRate(float64(t.Epoch) + float64(t.Batch)/float64(batches)))
		}
		loss := t.Net.Gradient(t.x, t.y)
		t.Optimizer.Update(t.Net.Params())
		sum += loss
		ran++
		if t.OnBatch != nil {
			t.OnBatch((t.Batch+1)*bs, loss)
		}
	}
	t.Epoch++
	t.Batch = 0
	return sum / float64(max(ran, 1)), nil
}

// batchFill copies (and augments) the samples of one batch into the
// trainer's input.
type batchFill struct {
	t      *Trainer
	x      *Tensor
	labels []int
	batch  []int // indices of the batch's samples in x
	per    int   // values per sample
}

// augmentSalt keeps the augmentation's generators apart from the others
// seeded by Seed.
const augmentSalt = 0xa06e

func (f *batchFill) fill(lo, hi int) {
	t, per := f.t, f.per
	var pcg rand.PCG
	rng := rand.New(&pcg)
	for i := lo; i < hi; i++ {
		idx := f.batch[i]
		dst, src := t.x.Data[i*per:(i+1)*per], f.x.Data[idx*per:(idx+1)*per]
		if t.Augment != nil {
			// A sample's draws depend only on (seed, epoch, batch,
			// sample), so the batch can be filled in parallel and the
			// same on any number of cores.
			pcg.Seed(t.Seed^augmentSalt, uint64(t.Epoch)<<40|uint64(t.Batch)<<16|uint64(i))
			t.Augment(dst, src, f.labels[idx], rng)
		} else {
			copy(dst, src)
		}
		t.y[i] = f.labels[idx]
	}
}
