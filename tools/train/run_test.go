package main

import (
	"bytes"
	"context"
	"errors"
	"io"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/tegaki/tegaki/nn"
	"github.com/tegaki/tegaki/nn/mnist/mnisttest"

	"github.com/tegaki/tegaki/tools/internal/cli"
)

// smallConfig trains a small network on a small subset: enough to check the
// whole command in seconds.
func smallConfig(t *testing.T) config {
	t.Helper()
	dir := t.TempDir()
	cfg, err := parseFlags([]string{
		"-arch", "mlp50", "-epochs", "2", "-limit", "3000", "-val", "500",
		"-lr", "0.005", "-o", filepath.Join(dir, "m.safetensors"),
	})
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

func TestRunWritesModel(t *testing.T) {
	cfg := smallConfig(t)
	var log bytes.Buffer
	if err := run(context.Background(), cfg, &log); err != nil {
		t.Fatalf("run: %v\n%s", err, log.String())
	}
	net, meta, err := nn.LoadFile(cfg.Out)
	if err != nil {
		t.Fatal(err)
	}
	if net.Spec.Name != "mlp50" || meta["test_accuracy"] == "" || meta["weights"] != "int8" {
		t.Errorf("model %s with metadata %v, want mlp50 with int8 weights and a test accuracy", net.Spec.Name, meta)
	}
	for _, want := range []string{"epoch  2/2", "MNIST test accuracy", "confusion matrix"} {
		if !bytes.Contains(log.Bytes(), []byte(want)) {
			t.Errorf("output lacks %q:\n%s", want, log.String())
		}
	}
	for _, file := range []string{cfg.Out, cfg.Plot} {
		if n := strings.Count(log.String(), "wrote "+file+"\n"); n != 1 {
			t.Errorf("output says %d times that it wrote %s, want once:\n%s", n, file, log.String())
		}
	}
	if st, err := os.Stat(cfg.Plot); err != nil || st.Size() == 0 {
		t.Errorf("training curves %s not written: %v", cfg.Plot, err)
	}
	if _, err := os.Stat(cfg.Checkpoint); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("checkpoint %s left after success: %v", cfg.Checkpoint, err)
	}
}

// TestInterruptResume stops a run part-way, as Ctrl-C does, resumes it from
// the checkpoint, and checks that the result is bit-identical to an
// uninterrupted run with the same seed: training is reproducible and
// resuming loses nothing.
func TestInterruptResume(t *testing.T) {
	whole := smallConfig(t)
	if err := run(context.Background(), whole, io.Discard); err != nil {
		t.Fatal(err)
	}
	want, err := os.ReadFile(whole.Out)
	if err != nil {
		t.Fatal(err)
	}

	parts := smallConfig(t)
	// Part-way through the second epoch of 25 batches. Wherever the run
	// stops, resuming must give the same model.
	ctx := &cancelAfter{Context: context.Background(), n: 37}
	err = run(ctx, parts, io.Discard)
	if !errors.Is(err, cli.ErrInterrupted) {
		t.Fatalf("interrupted run returned %v, want cli.ErrInterrupted", err)
	}
	if _, err := os.Stat(parts.Out); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("interrupted run wrote the model file: %v", err)
	}
	resume := parts
	resume.Resume = parts.Checkpoint
	resume.Epochs, resume.epochsSet = 0, false // taken from the checkpoint
	resume.LR = 1                              // ignored: the checkpoint's settings win
	if err := run(context.Background(), resume, io.Discard); err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(parts.Out)
	if err != nil {
		t.Fatal(err)
	}
	// The files differ only in the recorded output path; compare weights.
	a, _, err := nn.LoadFile(whole.Out)
	if err != nil {
		t.Fatal(err)
	}
	b, _, err := nn.LoadFile(parts.Out)
	if err != nil {
		t.Fatal(err)
	}
	for i, p := range a.Params() {
		q := b.Params()[i]
		for j := range p.Value.Data {
			if p.Value.Data[j] != q.Value.Data[j] {
				t.Fatalf("%s[%d]: resumed %v, uninterrupted %v", p.Name, j, q.Value.Data[j], p.Value.Data[j])
			}
		}
	}
	if !bytes.Equal(want, got) {
		t.Error("resumed model file differs from the uninterrupted one")
	}
}

// cancelAfter is a context cancelled once its Err has been asked n times:
// nn.Trainer asks before every step, so this is Ctrl-C after about n steps,
// at a point that does not depend on timing.
type cancelAfter struct {
	context.Context
	n, asked int
}

func (c *cancelAfter) Err() error {
	if c.asked++; c.asked > c.n {
		return context.Canceled
	}
	return nil
}

func TestParseFlagsRejects(t *testing.T) {
	tests := [][]string{
		{"-arch", "resnet"},
		{"-epochs", "0"},
		{"-optimizer", "lion"},
		{"-lr", "-1"},
		{"-schedule", "magic"},
		{"-batch", "0"},
		{"stray"},
	}
	for _, args := range tests {
		if _, err := parseFlags(args); err == nil {
			t.Errorf("parseFlags(%q) succeeded, want an error", args)
		}
	}
}

func TestSchedule(t *testing.T) {
	cfg := config{LR: 1, Epochs: 10, Warmup: 1, Schedule: "cosine"}
	lr := schedule(cfg)
	tests := []struct{ epoch, want float64 }{
		{0, 0.1},     // warm-up starts at a tenth
		{0.5, 0.55},  // and rises linearly
		{1, 1},       // to the peak
		{5.5, 0.505}, // half-way down the cosine
		{10, 0.01},   // to 1% at the end
	}
	for _, tt := range tests {
		if got := lr(tt.epoch); math.Abs(got-tt.want) > 1e-9 {
			t.Errorf("cosine lr(%v) = %v, want %v", tt.epoch, got, tt.want)
		}
	}
	cfg.Schedule = "step"
	step := schedule(cfg)
	for _, tt := range []struct{ epoch, want float64 }{{0, 1}, {4.9, 1}, {5, 0.1}, {7.5, 0.01}} {
		if got := step(tt.epoch); math.Abs(got-tt.want) > 1e-12 {
			t.Errorf("step lr(%v) = %v, want %v", tt.epoch, got, tt.want)
		}
	}
}

// TestFrom re-exports a trained model with -from: as float32, then back to
// int8. Each file records the test accuracy of the weights it holds, and
// the int8 file is about a quarter of the size.
func TestFrom(t *testing.T) {
	cfg := smallConfig(t)
	cfg.Weights = "float32"
	if err := run(context.Background(), cfg, io.Discard); err != nil {
		t.Fatal(err)
	}
	small := cfg
	small.From, small.Weights, small.Out = cfg.Out, "int8", filepath.Join(t.TempDir(), "int8.safetensors")
	var log bytes.Buffer
	if err := run(context.Background(), small, &log); err != nil {
		t.Fatalf("run -from: %v\n%s", err, log.String())
	}
	if !strings.Contains(log.String(), "MNIST test accuracy with int8 weights") {
		t.Errorf("output lacks the int8 accuracy:\n%s", log.String())
	}
	_, test, err := mnisttest.Load()
	if err != nil {
		t.Fatal(err)
	}
	ds := toDataset(test)
	for _, tc := range []struct{ path, weights string }{{cfg.Out, "float32"}, {small.Out, "int8"}} {
		net, meta, err := nn.LoadFile(tc.path)
		if err != nil {
			t.Fatal(err)
		}
		_, acc, _ := evaluate(net, ds)
		if meta["weights"] != tc.weights || meta["test_accuracy"] != strconv.FormatFloat(acc, 'f', 4, 64) {
			t.Errorf("%s: weights %q, recorded accuracy %s; want %s and the measured %.4f", tc.weights, meta["weights"], meta["test_accuracy"], tc.weights, acc)
		}
		if acc < 0.8 { // 2 epochs on 2,500 images reach about 85%
			t.Errorf("%s: test accuracy %.4f, want at least 0.8", tc.weights, acc)
		}
	}
	big, _ := os.Stat(cfg.Out)
	st, _ := os.Stat(small.Out)
	if ratio := float64(st.Size()) / float64(big.Size()); ratio > 0.3 {
		t.Errorf("int8 file is %d bytes, %.0f%% of the float32 one; want about a quarter", st.Size(), 100*ratio)
	}
}
