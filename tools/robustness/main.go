// Robustness measures how well a network reads MNIST digits made to look
// like other writers' (the out-of-distribution check of package
// github.com/tegaki/tegaki/nn/ood) and prints one line per degradation.
//
// Usage:
//
//	robustness [flags]
//
// It reads the validation digits, the last -val images of MNIST's training
// set, which tools/train holds out with the same -val and never trains on;
// the test set is left alone. Each digit goes through every degradation,
// is prepared as a picture or as pen strokes the way every front end
// prepares input, and is read by the embedded network or the one in
// -model.
//
// Examples:
//
//	robustness                          # the embedded model, all 5,000 validation digits
//	robustness -model new.safetensors -n 1000
package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"runtime"
	"sync"
	"time"

	"github.com/tegaki/tegaki/nn"
	"github.com/tegaki/tegaki/nn/digit"
	"github.com/tegaki/tegaki/nn/mnist"
	"github.com/tegaki/tegaki/nn/ood"
	"github.com/tegaki/tegaki/nn/pretrained"
	"github.com/tegaki/tegaki/tools/internal/cli"
	"github.com/tegaki/tegaki/tools/internal/mnistdata"
)

func main() {
	cli.Main("robustness", func() error { return run(os.Args[1:], os.Stdout, os.Stderr) })
}

func run(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("robustness", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "Usage: robustness [flags]\n\nReads MNIST's validation digits through the out-of-distribution check's\ndegradations and prints the accuracy of each.\n\nFlags:\n")
		fs.PrintDefaults()
	}
	model := fs.String("model", "", "read with the weights in `FILE` instead of the embedded ones")
	data := fs.String("data", "", "`dir`ectory of MNIST IDX files (default: the GoMNIST module's data, or $"+mnistdata.EnvDir+")")
	val := fs.Int("val", 5000, "validation `images`: the last ones of the training set, as tools/train holds out")
	n := fs.Int("n", 0, "read only the first `n` validation digits (0: all)")
	if err := cli.Parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return cli.Usage(fs, fmt.Errorf("unexpected arguments %q", fs.Args()))
	}
	if *val < 1 || *n < 0 {
		return cli.Usage(fs, fmt.Errorf("-val must be positive and -n not negative"))
	}
	// Check the model before loading the data, and fail early.
	if _, err := newPredictor(*model); err != nil {
		return err
	}
	dir, err := *data, error(nil)
	if dir == "" {
		if dir, err = mnistdata.Dir(); err != nil {
			return err
		}
	}
	train, _, err := mnist.Load(dir)
	if err != nil {
		return err
	}
	if *val >= train.Len() {
		return fmt.Errorf("-val %d: the training set has only %d images", *val, train.Len())
	}
	_, set := train.Split(train.Len() - *val)
	if *n > 0 && *n < set.Len() {
		set = set.Slice(0, *n)
	}

	start := time.Now()
	results, err := check(*model, set)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%-16s  %8s  %7s  %s\n", "degradation", "accuracy", "refused", "imitates")
	for i, d := range ood.Degradations() {
		r := results[i]
		fmt.Fprintf(stdout, "%-16s  %7.2f%%  %7d  %s\n", r.Name, 100*r.Accuracy(), r.Refused, d.About)
	}
	w := ood.Worst(results)
	fmt.Fprintf(stdout, "worst: %s, %.2f%% of %d validation digits (%.0f s)\n", w.Name, 100*w.Accuracy(), w.Total, time.Since(start).Seconds())
	return nil
}

// newPredictor returns a predictor of its own for the embedded network, or
// for the one in the file at path if path is not empty.
func newPredictor(path string) (*pretrained.Predictor, error) {
	if path == "" {
		return pretrained.NewPredictor()
	}
	net, _, err := nn.LoadFile(path)
	if err != nil {
		return nil, err
	}
	return pretrained.NewPredictorFor(net)
}

// check runs ood.Check on shares of the set in parallel, one predictor
// each (a predictor's network keeps its activations), and adds up the
// results.
func check(model string, set *mnist.Set) ([]ood.Result, error) {
	workers := min(runtime.GOMAXPROCS(0), set.Len())
	parts := make([][]ood.Result, workers)
	errs := make([]error, workers)
	var wg sync.WaitGroup
	for w := range workers {
		lo, hi := w*set.Len()/workers, (w+1)*set.Len()/workers
		wg.Add(1)
		go func() {
			defer wg.Done()
			p, err := newPredictor(model)
			if err != nil {
				errs[w] = err
				return
			}
			images, labels := make([][]byte, 0, hi-lo), make([]int, 0, hi-lo)
			for i := lo; i < hi; i++ {
				images, labels = append(images, set.Image(i)), append(labels, int(set.Labels[i]))
			}
			parts[w] = ood.Check(ood.ReaderFunc(func(in *digit.Input) int { return p.Predict(in).Digit }), images, labels, ood.Degradations())
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	total := parts[0]
	for _, part := range parts[1:] {
		for i, r := range part {
			total[i].Correct += r.Correct
			total[i].Total += r.Total
			total[i].Refused += r.Refused
		}
	}
	return total, nil
}
