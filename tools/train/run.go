package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"math"
	"math/rand/v2"
	"os"
	"strconv"
	"sync"
	"time"

	"github.com/tegaki/tegaki/nn"
	"github.com/tegaki/tegaki/nn/augment"
	"github.com/tegaki/tegaki/nn/mnist"
	"github.com/tegaki/tegaki/tools/internal/atomicfile"
	"github.com/tegaki/tegaki/tools/internal/cli"
	"github.com/tegaki/tegaki/tools/internal/mnistdata"
)

// evalBatch is the batch size for validation and test passes: large enough
// to keep both cores busy, small enough for the im2col buffers.
const evalBatch = 500

// dataset is a labelled set of images as network input: (n, 1, h, w) in
// [0, 1].
type dataset struct {
	x      *nn.Tensor
	labels []int
}

func toDataset(s *mnist.Set) dataset {
	n := s.Len()
	x := &nn.Tensor{Shape: []int{n, 1, s.Rows, s.Cols}, Data: s.Float32()}
	labels := make([]int, n)
	for i, l := range s.Labels {
		labels[i] = int(l)
	}
	return dataset{x, labels}
}

// slice returns samples [lo, hi) sharing storage.
func (d dataset) slice(lo, hi int) dataset {
	per := len(d.x.Data) / d.x.Shape[0]
	shape := append([]int{hi - lo}, d.x.Shape[1:]...)
	return dataset{&nn.Tensor{Shape: shape, Data: d.x.Data[lo*per : hi*per]}, d.labels[lo:hi]}
}

func (d dataset) len() int { return len(d.labels) }

func run(ctx context.Context, cfg config, stderr io.Writer) error {
	// Load the data and hold out the validation split.
	dir := cfg.Data
	if dir == "" {
		var err error
		if dir, err = mnistdata.Dir(); err != nil {
			return err
		}
	}
	trainSet, testSet, err := mnist.Load(dir)
	if err != nil {
		return err
	}
	all, test := toDataset(trainSet), toDataset(testSet)
	if cfg.From != "" {
		return convert(cfg, test, stderr)
	}

	// Build the network, or restore it with the run's state.
	var (
		net     *nn.Net
		state   trainState
		history []epochStats
	)
	if cfg.Resume != "" {
		if net, state, err = loadCheckpoint(cfg.Resume, &cfg); err != nil {
			return err
		}
		history = state.History
		fmt.Fprintf(stderr, "resuming %s: %d epochs and %d batches done\n", cfg.Resume, state.Epoch, state.Batch)
	} else {
		spec, err := nn.Architecture(cfg.Arch)
		if err != nil {
			return err
		}
		if net, err = spec.Build(cfg.Seed); err != nil {
			return err
		}
	}
	net.WeightDecay = cfg.WeightDecay
	if cfg.Limit > 0 && cfg.Limit < all.len() {
		all = all.slice(0, cfg.Limit)
	}
	if cfg.Val >= all.len() {
		return fmt.Errorf("-val %d leaves no training data out of %d images", cfg.Val, all.len())
	}
	train, val := all.slice(0, all.len()-cfg.Val), all.slice(all.len()-cfg.Val, all.len())

	opt := newOptimizer(cfg)
	if state.Optimizer != nil {
		for k, v := range state.Optimizer {
			opt.State()[k] = v
		}
	}
	trainer := &nn.Trainer{
		Net: net, Optimizer: opt, BatchSize: cfg.Batch, Seed: cfg.Seed,
		LearningRate: schedule(cfg),
		Epoch:        state.Epoch, Batch: state.Batch,
	}
	if cfg.Augment {
		opts := augment.Default()
		if !cfg.Elastic {
			opts.ElasticAlpha, opts.ElasticSigma = 0, 0
		}
		h, w := train.x.Shape[2], train.x.Shape[3]
		// The trainer augments a batch on every core; an Augmenter keeps
		// scratch buffers, so each goroutine takes one of its own.
		augmenters := sync.Pool{New: func() any { return augment.New(h, w, opts) }}
		var restyler *augment.Restyler
		if cfg.Restyle {
			restyler = augment.NewRestyler(augment.DefaultStyle())
		}
		trainer.Augment = func(dst, src []float32, label int, rng *rand.Rand) {
			a := augmenters.Get().(*augment.Augmenter)
			a.Apply(dst, src, rng)
			augmenters.Put(a)
			if restyler != nil {
				restyler.Apply(dst, dst, label, rng)
			}
		}
	}
	best := state.Best
	if best == nil {
		best = &snapshot{Acc: -1}
	}
	fmt.Fprintf(stderr, "%s: %d parameters; %d training, %d validation, %d test images; %s, lr %g (%s), batch %d, %d epochs\n",
		net.Spec.Name, net.NumParams(), train.len(), val.len(), test.len(), cfg.Optimizer, cfg.LR, cfg.Schedule, cfg.Batch, cfg.Epochs)

	// Train, checkpointing after every epoch and on a signal.
	runStart, firstEpoch := time.Now(), trainer.Epoch
	for trainer.Epoch < cfg.Epochs {
		start := time.Now()
		// After -resume the epoch may start part-way: the bar counts from
		// there, and its rate only what this run has done.
		bar := newProgress(stderr, fmt.Sprintf("epoch %2d/%d", trainer.Epoch+1, cfg.Epochs), train.len()/cfg.Batch*cfg.Batch, trainer.Batch*cfg.Batch)
		trainer.OnBatch = bar.update
		loss, err := trainer.RunEpoch(ctx, train.x, train.labels)
		bar.finish()
		if err != nil {
			if ctx.Err() == nil {
				return err
			}
			st := trainState{Epoch: trainer.Epoch, Batch: trainer.Batch, History: history, Best: best, Optimizer: opt.State()}
			if err := saveCheckpoint(cfg.Checkpoint, net, cfg, st); err != nil {
				return fmt.Errorf("interrupted, and the checkpoint could not be saved: %w", err)
			}
			fmt.Fprintf(stderr, "interrupted: checkpoint saved to %s\nresume with: train -resume %s -o %s\n", cfg.Checkpoint, cfg.Checkpoint, cfg.Out)
			return cli.ErrInterrupted // the checkpoint is saved
		}
		valLoss, valAcc, _ := evaluate(net, val)
		lr := trainer.LearningRate(float64(trainer.Epoch))
		history = append(history, epochStats{Epoch: trainer.Epoch, TrainLoss: loss, ValLoss: valLoss, ValAcc: valAcc, LR: lr, Seconds: time.Since(start).Seconds()})
		mark := ""
		if valAcc > best.Acc {
			best = takeSnapshot(net, valAcc, trainer.Epoch)
			mark = " (best)"
		}
		perEpoch := time.Since(runStart) / time.Duration(trainer.Epoch-firstEpoch)
		left := perEpoch * time.Duration(cfg.Epochs-trainer.Epoch)
		fmt.Fprintf(stderr, "epoch %2d/%d: train loss %.4f, validation loss %.4f, validation accuracy %s%s, %s (about %s left)\n",
			trainer.Epoch, cfg.Epochs, loss, valLoss, percent(valAcc), mark, time.Since(start).Round(time.Second), left.Round(time.Second))
		st := trainState{Epoch: trainer.Epoch, History: history, Best: best, Optimizer: opt.State()}
		if err := saveCheckpoint(cfg.Checkpoint, net, cfg, st); err != nil {
			return fmt.Errorf("save checkpoint: %w", err)
		}
	}

	// Keep the epoch that validated best, then measure it on the test set.
	if best.Acc >= 0 {
		best.restore(net)
	}
	fmt.Fprintf(stderr, "\nkept epoch %d (validation accuracy %s)\n", best.Epoch, percent(best.Acc))
	meta := map[string]string{
		"name":                net.Spec.Name,
		"validation_accuracy": strconv.FormatFloat(best.Acc, 'f', 4, 64),
		"epoch":               strconv.Itoa(best.Epoch),
		"config":              mustJSON(cfg),
	}
	if err := saveModel(cfg, net, meta, test, stderr); err != nil { // says "wrote"
		return err
	}
	if err := plotCurves(cfg.Plot, history, cfg.Augment); err != nil {
		return fmt.Errorf("training curves: %w", err)
	}
	fmt.Fprintf(stderr, "wrote %s\n", cfg.Plot)
	if err := os.Remove(cfg.Checkpoint); err != nil && !errors.Is(err, os.ErrNotExist) {
		return err
	}
	return nil
}

// saveModel stores net in cfg.Weights form, measures the stored network on
// the test set, records the figure in meta and writes the file to cfg.Out.
// The accuracy is that of the weights as saved: int8 weights differ a little
// from the float32 ones they come from.
func saveModel(cfg config, net *nn.Net, meta map[string]string, test dataset, stderr io.Writer) error {
	save := nn.Save
	stored := net
	if cfg.Weights == "int8" {
		save = nn.SaveInt8
		var buf bytes.Buffer
		if err := save(&buf, net, meta); err != nil {
			return err
		}
		var err error
		if stored, _, err = nn.LoadBytes(buf.Bytes()); err != nil {
			return fmt.Errorf("quantized model: %w", err)
		}
	}
	_, testAcc, conf := evaluate(stored, test)
	fmt.Fprintf(stderr, "MNIST test accuracy with %s weights: %s (%d images)\n\n", cfg.Weights, percent(testAcc), test.len())
	conf.write(stderr)
	meta = maps.Clone(meta)
	meta["test_accuracy"] = strconv.FormatFloat(testAcc, 'f', 4, 64)
	meta["test_images"] = strconv.Itoa(test.len())
	meta["weights"] = cfg.Weights
	// Saved from net, not from stored: the weights are quantized once.
	if err := atomicfile.Write(cfg.Out, func(w io.Writer) error { return save(w, net, meta) }); err != nil {
		return fmt.Errorf("save model: %w", err)
	}
	fmt.Fprintf(stderr, "\nwrote %s\n", cfg.Out)
	return nil
}

// convert is run for -from: it measures a trained model on the test set and
// writes it to cfg.Out with cfg.Weights, keeping its other metadata.
func convert(cfg config, test dataset, stderr io.Writer) error {
	net, meta, err := nn.LoadFile(cfg.From)
	if err != nil {
		return err
	}
	if cfg.Weights == "float32" && meta["weights"] == "int8" {
		fmt.Fprintf(stderr, "%s has int8 weights: converting them to float32 does not bring back the precision lost\n", cfg.From)
	}
	fmt.Fprintf(stderr, "%s: %s, %d parameters\n", cfg.From, net.Spec.Name, net.NumParams())
	return saveModel(cfg, net, meta, test, stderr)
}

// evaluate returns the mean loss, the accuracy and the confusion matrix of
// net on d, in inference mode.
func evaluate(net *nn.Net, d dataset) (loss, acc float64, conf confusion) {
	conf = newConfusion(net.Spec.Classes)
	correct := 0
	var pred []int
	for lo := 0; lo < d.len(); lo += evalBatch {
		b := d.slice(lo, min(lo+evalBatch, d.len()))
		loss += net.LossLayer.Forward(net.Forward(b.x, nn.Inference), b.labels) * float64(b.len())
		pred = net.Classify(pred[:0], b.x)
		for i, p := range pred {
			conf[b.labels[i]][p]++
			if p == b.labels[i] {
				correct++
			}
		}
	}
	n := float64(max(d.len(), 1))
	return loss / n, float64(correct) / n, conf
}

func newOptimizer(cfg config) nn.Optimizer {
	switch cfg.Optimizer {
	case "sgd":
		return &nn.SGD{LR: cfg.LR}
	case "momentum":
		return &nn.Momentum{LR: cfg.LR, Momentum: 0.9}
	case "adagrad":
		return &nn.AdaGrad{LR: cfg.LR}
	case "rmsprop":
		return &nn.RMSProp{LR: cfg.LR, Decay: 0.99}
	default:
		return &nn.Adam{LR: cfg.LR, Beta1: 0.9, Beta2: 0.999}
	}
}

// schedule returns the learning rate at a point of training, in epochs.
func schedule(cfg config) func(epoch float64) float64 {
	total := float64(cfg.Epochs)
	switch cfg.Schedule {
	case "constant":
		return func(float64) float64 { return cfg.LR }
	case "step":
		return func(e float64) float64 {
			switch {
			case e >= 0.75*total:
				return cfg.LR / 100
			case e >= 0.5*total:
				return cfg.LR / 10
			}
			return cfg.LR
		}
	default:
		return func(e float64) float64 {
			if e < cfg.Warmup {
				return cfg.LR * (0.1 + 0.9*e/cfg.Warmup)
			}
			t := (e - cfg.Warmup) / max(total-cfg.Warmup, 1e-9)
			floor := cfg.LR / 100
			return floor + (cfg.LR-floor)*0.5*(1+math.Cos(math.Pi*min(t, 1)))
		}
	}
}

// snapshot is a copy of a network's parameters at its best epoch.
type snapshot struct {
	Acc    float64
	Epoch  int
	Values map[string][]float32
}

func takeSnapshot(net *nn.Net, acc float64, epoch int) *snapshot {
	s := &snapshot{Acc: acc, Epoch: epoch, Values: map[string][]float32{}}
	for _, p := range net.Params() {
		s.Values[p.Name] = append([]float32(nil), p.Value.Data...)
	}
	return s
}

func (s *snapshot) restore(net *nn.Net) {
	for _, p := range net.Params() {
		if v, ok := s.Values[p.Name]; ok && len(v) == len(p.Value.Data) {
			copy(p.Value.Data, v)
		}
	}
}

// trainState is what a checkpoint holds beyond the network and settings.
type trainState struct {
	Epoch, Batch int
	History      []epochStats
	Best         *snapshot
	Optimizer    map[string][]float32
}

// Keys of a checkpoint's metadata: the run's settings and its state.
const (
	ckptMetaConfig = "train_config"
	ckptMetaState  = "train_state"
)

// ckptMeta is the JSON part of a checkpoint's training state.
type ckptMeta struct {
	History []epochStats `json:"history"`
	BestAcc float64      `json:"best_acc"`
	BestEp  int          `json:"best_epoch"`
}

func saveCheckpoint(path string, net *nn.Net, cfg config, st trainState) error {
	c := &nn.Checkpoint{
		Net: net, Optimizer: st.Optimizer, Epoch: st.Epoch, Batch: st.Batch, Kept: st.Best.Values,
		Meta: map[string]string{
			ckptMetaConfig: mustJSON(cfg),
			ckptMetaState:  mustJSON(ckptMeta{History: st.History, BestAcc: st.Best.Acc, BestEp: st.Best.Epoch}),
		},
	}
	return atomicfile.Write(path, func(w io.Writer) error { return nn.SaveCheckpoint(w, c) })
}

// loadCheckpoint restores a run: the network, its state, and into cfg the
// settings it was started with (keeping cfg's paths, and its -epochs if given).
func loadCheckpoint(path string, cfg *config) (*nn.Net, trainState, error) {
	var st trainState
	c, err := nn.LoadCheckpointFile(path)
	if err != nil {
		return nil, st, fmt.Errorf("resume: %w", err)
	}
	var saved config
	var m ckptMeta
	if err := json.Unmarshal([]byte(c.Meta[ckptMetaConfig]), &saved); err != nil {
		return nil, st, fmt.Errorf("resume %s: not a training checkpoint (settings: %v)", path, err)
	}
	if err := json.Unmarshal([]byte(c.Meta[ckptMetaState]), &m); err != nil {
		return nil, st, fmt.Errorf("resume %s: not a training checkpoint (state: %v)", path, err)
	}
	saved.Data, saved.Out, saved.Checkpoint, saved.Resume, saved.Plot = cfg.Data, cfg.Out, cfg.Checkpoint, cfg.Resume, cfg.Plot
	saved.Weights = cfg.Weights
	if cfg.epochsSet {
		if cfg.Epochs < c.Epoch {
			return nil, st, fmt.Errorf("resume %s: -epochs %d, but %d epochs are already done", path, cfg.Epochs, c.Epoch)
		}
		saved.Epochs = cfg.Epochs
	}
	if err := saved.validate(); err != nil {
		return nil, st, fmt.Errorf("resume %s: %w", path, err)
	}
	*cfg = saved
	st = trainState{Epoch: c.Epoch, Batch: c.Batch, History: m.History, Optimizer: c.Optimizer}
	if len(c.Kept) > 0 {
		st.Best = &snapshot{Acc: m.BestAcc, Epoch: m.BestEp, Values: c.Kept}
	}
	return c.Net, st, nil
}

func mustJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err) // only plain structs are marshalled here
	}
	return string(b)
}

func archNames() []string { return nn.ArchitectureNames() }
