// Train trains a tegaki network on MNIST and writes its weight file.
//
// It holds out the last -val images of the training set for validation,
// keeps the weights of the epoch with the best validation accuracy, and only
// then measures accuracy on the 10,000 test images, which are never used to
// choose anything. It prints a progress bar (plain lines when not on a
// terminal), the validation accuracy of every epoch, the test accuracy and a
// confusion matrix, and draws the training curves into a PNG.
//
// Usage:
//
//	train [flags]
//
// Examples:
//
//	train                                  # the default CNN, as make train runs it
//	train -arch twolayernet -epochs 10 -augment=false -o mlp.safetensors
//	train -resume tegaki.safetensors.ckpt  # continue an interrupted run
//	train -from big.safetensors -o small.safetensors  # re-export with int8 weights
//
// Ctrl-C saves a checkpoint (by default the output path plus ".ckpt") and
// exits; -resume continues from it with the same settings. Every file is
// written atomically, so an interrupted run never leaves a broken model.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"slices"
	"strings"
	"syscall"

	"github.com/tegaki/tegaki/tools/internal/cli"
)

func main() {
	cli.Main("train", func() error {
		cfg, err := parseFlags(os.Args[1:])
		if err != nil {
			return err
		}
		ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
		defer stop()
		return run(ctx, cfg, os.Stderr)
	})
}

// config holds every setting of a run. A checkpoint stores it, so that
// -resume continues with the same settings.
type config struct {
	Arch        string  `json:"arch"`
	Epochs      int     `json:"epochs"`
	Batch       int     `json:"batch"`
	Optimizer   string  `json:"optimizer"`
	LR          float64 `json:"lr"`
	Schedule    string  `json:"schedule"`
	Warmup      float64 `json:"warmup"`
	WeightDecay float64 `json:"weight_decay"`
	Seed        uint64  `json:"seed"`
	Augment     bool    `json:"augment"`
	Elastic     bool    `json:"elastic"`
	Restyle     bool    `json:"restyle"`
	Val         int     `json:"val"`
	Limit       int     `json:"limit"`

	// Paths are not part of a run's identity and are not restored.
	Data       string `json:"-"`
	Out        string `json:"-"`
	Weights    string `json:"-"`
	From       string `json:"-"`
	Checkpoint string `json:"-"`
	Resume     string `json:"-"`
	Plot       string `json:"-"`

	epochsSet bool // -epochs was given: on -resume it replaces the checkpoint's
}

var (
	optimizers = []string{"adam", "sgd", "momentum", "adagrad", "rmsprop"}
	schedules  = []string{"cosine", "step", "constant"}
)

func parseFlags(args []string) (config, error) {
	var cfg config
	fs := flag.NewFlagSet("train", flag.ContinueOnError)
	fs.Usage = func() {
		w := fs.Output()
		fmt.Fprintf(w, "Usage: train [flags]\n\n")
		fmt.Fprintf(w, "Trains a network on MNIST and writes its weights (safetensors layout).\n")
		fmt.Fprintf(w, "Architectures: %s.\n\n", strings.Join(archNames(), ", "))
		fmt.Fprintf(w, "Flags:\n")
		fs.PrintDefaults()
		fmt.Fprintf(w, "\nCtrl-C saves a checkpoint; -resume FILE continues from it with its settings\n(only -epochs, to lengthen or shorten the run, and -o, -plot, -checkpoint and\n-data may change).\n")
	}
	fs.StringVar(&cfg.Arch, "arch", "tegaki", "network `architecture` (see above)")
	fs.IntVar(&cfg.Epochs, "epochs", 30, "passes over the training data")
	fs.IntVar(&cfg.Batch, "batch", 100, "mini-batch `size`")
	fs.StringVar(&cfg.Optimizer, "optimizer", "adam", "the `name` of the optimizer: "+strings.Join(optimizers, ", "))
	fs.Float64Var(&cfg.LR, "lr", 0.002, "peak learning `rate`")
	fs.StringVar(&cfg.Schedule, "schedule", "cosine", "learning-rate `schedule`: cosine (warm-up, then cosine decay to 1% of -lr), step (×0.1 after 50% and 75% of the epochs) or constant")
	fs.Float64Var(&cfg.Warmup, "warmup", 0.5, "`epochs` of linear learning-rate warm-up (cosine schedule)")
	fs.Float64Var(&cfg.WeightDecay, "weight-decay", 5e-5, "L2 weight decay `λ` on weights (not biases or batch-norm parameters)")
	fs.Uint64Var(&cfg.Seed, "seed", 1, "random `seed`: the same seed gives the same model")
	fs.BoolVar(&cfg.Augment, "augment", true, "augment training images with random shifts, rotations, scaling and shear")
	fs.BoolVar(&cfg.Elastic, "elastic", true, "add elastic distortion to the augmentation")
	fs.BoolVar(&cfg.Restyle, "restyle", true, "also make half the augmented digits look like other writers' (bolder, thinner, blurred, low-resolution, broken strokes; flagged 1s, barred 7s), prepared again as a picture")
	fs.IntVar(&cfg.Val, "val", 5000, "training `images` held out for validation (the last ones)")
	fs.IntVar(&cfg.Limit, "limit", 0, "train on only the first `n` training images (0: all); for quick experiments")
	fs.StringVar(&cfg.Data, "data", "", "`dir`ectory of MNIST IDX files, gzipped or not (default: the GoMNIST module's data, or $TEGAKI_MNIST)")
	fs.StringVar(&cfg.Out, "o", "tegaki.safetensors", "output weight `file`")
	fs.StringVar(&cfg.Weights, "weights", "int8", "`storage` of weight matrices in the output file: int8 (a quarter of the size, for the browser and the Worker) or float32")
	fs.StringVar(&cfg.From, "from", "", "do not train: measure the model in this `file` on the test set and write it to -o with -weights")
	fs.StringVar(&cfg.Checkpoint, "checkpoint", "", "checkpoint `file` written each epoch and on Ctrl-C, removed after success (default: output file + .ckpt)")
	fs.StringVar(&cfg.Resume, "resume", "", "continue training from this checkpoint `file`")
	fs.StringVar(&cfg.Plot, "plot", "", "write training curves to this PNG `file` (default: output file with .png)")
	if err := cli.Parse(fs, args); err != nil {
		return cfg, err
	}
	fs.Visit(func(f *flag.Flag) { cfg.epochsSet = cfg.epochsSet || f.Name == "epochs" })
	if fs.NArg() > 0 {
		return cfg, cli.Usage(fs, fmt.Errorf("unexpected arguments %q", fs.Args()))
	}
	if cfg.Checkpoint == "" {
		cfg.Checkpoint = cfg.Out + ".ckpt"
	}
	if cfg.Plot == "" {
		cfg.Plot = strings.TrimSuffix(cfg.Out, filepath.Ext(cfg.Out)) + ".png"
	}
	if err := cfg.validate(); err != nil {
		return cfg, cli.Usage(fs, err)
	}
	return cfg, nil
}

// validate checks the settings that a checkpoint may also supply.
func (c config) validate() error {
	switch {
	case !slices.Contains(archNames(), c.Arch):
		return fmt.Errorf("unknown architecture %q (have %s)", c.Arch, strings.Join(archNames(), ", "))
	case c.Epochs < 1:
		return fmt.Errorf("-epochs %d: want at least 1", c.Epochs)
	case c.Batch < 1 || c.Batch > 10000:
		return fmt.Errorf("-batch %d: want 1 to 10000", c.Batch)
	case !slices.Contains(optimizers, c.Optimizer):
		return fmt.Errorf("unknown optimizer %q (have %s)", c.Optimizer, strings.Join(optimizers, ", "))
	case !(c.LR > 0 && c.LR < 10):
		return fmt.Errorf("-lr %v: want a rate in (0, 10)", c.LR)
	case !slices.Contains(schedules, c.Schedule):
		return fmt.Errorf("unknown schedule %q (have %s)", c.Schedule, strings.Join(schedules, ", "))
	case c.Warmup < 0:
		return fmt.Errorf("-warmup %v: want 0 or more", c.Warmup)
	case c.WeightDecay < 0:
		return fmt.Errorf("-weight-decay %v: want 0 or more", c.WeightDecay)
	case c.Weights != "int8" && c.Weights != "float32":
		return fmt.Errorf("-weights %q: want int8 or float32", c.Weights)
	case c.Val < 0 || c.Limit < 0:
		return fmt.Errorf("-val and -limit must not be negative")
	}
	return nil
}
