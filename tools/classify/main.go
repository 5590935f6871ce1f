// Classify reads pictures of handwritten digits and prints what tegaki's
// network sees in each: the digit, its probability, and the next two
// candidates.
//
// Usage:
//
//	classify [flags] FILE...
//
// Each FILE is a PNG, JPEG, GIF, BMP or WebP picture of one digit, in any
// size and colours: drawn in Paint and saved, a phone photo of a digit on
// paper, a canvas snapshot. A FILE of "-" is read from standard input. Each
// picture is prepared as MNIST's digits were (package
// github.com/tegaki/tegaki/nn/digit) and classified by the network embedded
// in the program (package github.com/tegaki/tegaki/nn/pretrained), or by the
// one in the -model file.
//
// The flags are:
//
//	-json
//		Print one JSON object per file and line (JSON Lines) instead of
//		text: {"file", "digit", "probability", "candidates" (the three most
//		probable digits, each {"digit", "probability"}), "probabilities"
//		(all ten, in the order 0 to 9)}, or {"file", "error"} for a file
//		that failed.
//	-model FILE
//		Classify with the weights in FILE (written by tools/train) instead
//		of the embedded ones.
//	-debug DIR
//		Write the 28×28 input the network saw for each file into DIR, as
//		NAME.28x28.png (white ink on black, as MNIST shows its digits).
//	-why DIR
//		Write for each file into DIR, as NAME.why.png, the map of which
//		pixels of the 28×28 input pushed the network toward its answer
//		(blue) and which against it (amber), 280×280 (see
//		pretrained.Map).
//	-digit N
//		With -why, map why the input is or is not digit N instead of the
//		answer.
//
// A file that cannot be read, is not a picture, is too large (over 8192
// pixels on a side or 40 megapixels) or holds no digit gets an error
// message, and the other files are still classified. The exit status is 0
// if every file was classified, 1 if any failed, and 2 for a usage error.
//
// Examples:
//
//	$ classify seven.png two.jpg blank.png
//	seven.png: 7 (>99.9%), then 2 (<0.1%), 1 (<0.1%)
//	two.jpg: 2 (>99.9%), then 1 (<0.1%), 6 (<0.1%)
//	classify: blank.png: digit: no digit found: too little contrast
//
//	$ cat seven.png | classify -json -
//	{"file":"-","digit":7,"probability":0.9999986,"candidates":[...],"probabilities":[...]}
//
//	$ classify -debug /tmp/seen *.png
//	$ classify -why /tmp/why -digit 2 seven.png
package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"image"
	"image/png"
	"io"
	"log"
	"os"
	"path/filepath"
	"strings"

	"github.com/tegaki/tegaki/nn"
	"github.com/tegaki/tegaki/nn/digit/imagefile"
	"github.com/tegaki/tegaki/nn/pretrained"
	"github.com/tegaki/tegaki/tools/internal/atomicfile"
	"github.com/tegaki/tegaki/tools/internal/cli"
)

func main() {
	log.SetPrefix("classify: ")
	log.SetFlags(0)
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

const usage = `Usage: classify [flags] FILE...

Classify pictures of handwritten digits (PNG, JPEG, GIF, BMP or WebP, one
digit each; - reads standard input) and print, per file, the digit, its
probability and the next two candidates.

Flags:
`

const examples = `
Examples:
  classify seven.png two.jpg
  classify -json scans/*.png
  cat digit.png | classify -
  classify -debug /tmp/seen -model my.safetensors *.png
  classify -why /tmp/why seven.png

Exit status: 0 if every file was classified, 1 if any failed, 2 for usage errors.
`

// result is the outcome for one file, as printed by -json.
type result struct {
	File          string      `json:"file"`
	Digit         *int        `json:"digit,omitempty"`
	Probability   float32     `json:"probability,omitempty"`
	Candidates    []Candidate `json:"candidates,omitempty"`
	Probabilities []float32   `json:"probabilities,omitempty"`
	Error         string      `json:"error,omitempty"`
}

// run is the whole command: it parses args, classifies each file and
// returns the exit status.
func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	logger := log.New(stderr, "classify: ", 0)

	// Parse flags.
	fs := flag.NewFlagSet("classify", flag.ContinueOnError)
	fs.SetOutput(stderr)
	jsonOut := fs.Bool("json", false, "print one JSON object per file and line")
	model := fs.String("model", "", "classify with the weights in `FILE` instead of the embedded ones")
	debug := fs.String("debug", "", "write the 28×28 input seen for each file into `DIR`")
	why := fs.String("why", "", "write a heat map of why the network answered as it did for each file into `DIR`")
	whyDigit := fs.Int("digit", pretrained.Top, "with -why, map why the input is or is not digit `N` (default: the answer)")
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), usage)
		fs.PrintDefaults()
		fmt.Fprint(fs.Output(), examples)
	}
	if err := cli.Parse(fs, args); err != nil {
		return cli.Status(err)
	}
	files := fs.Args()
	if len(files) == 0 {
		return cli.Status(cli.Usage(fs, errors.New("classify: no files to classify")))
	}
	if *whyDigit < pretrained.Top || *whyDigit > 9 {
		return cli.Status(cli.Usage(fs, fmt.Errorf("classify: -digit %d: want 0 to 9", *whyDigit)))
	}

	// Load the network.
	var net *nn.Net
	var err error
	if *model != "" {
		net, _, err = nn.LoadFile(*model)
	} else {
		net, err = pretrained.Net()
	}
	if err != nil {
		logger.Print(err)
		return cli.ExitFailure
	}
	c, err := pretrained.NewPredictorFor(net)
	if err != nil {
		logger.Print(err)
		return cli.ExitFailure
	}
	for _, dir := range []string{*debug, *why} {
		if dir == "" {
			continue
		}
		if err := os.MkdirAll(dir, 0o755); err != nil {
			logger.Print(err)
			return cli.ExitFailure
		}
	}

	// Classify each file.
	enc := json.NewEncoder(stdout)
	out := outputs{debug: *debug, why: *why, digit: *whyDigit, names: outNames{}}
	status := 0
	for _, file := range files {
		r := classifyFile(c, file, stdin, out)
		if r.Error != "" {
			status = cli.ExitFailure
			logger.Printf("%s: %s", file, r.Error)
		}
		if *jsonOut {
			if err := enc.Encode(r); err != nil {
				logger.Print(err)
				return cli.ExitFailure
			}
			continue
		}
		if r.Error == "" {
			next := r.Candidates[1:]
			fmt.Fprintf(stdout, "%s: %d (%s), then %d (%s), %d (%s)\n", file, *r.Digit, percent(r.Probability),
				next[0].Digit, percent(next[0].Probability), next[1].Digit, percent(next[1].Probability))
		}
	}
	return status
}

// percent formats a probability as a percentage with one decimal, saying
// ">99.9%" and "<0.1%" rather than rounding to 100% or 0%.
func percent(p float32) string {
	switch {
	case p >= 0.9995 && p < 1:
		return ">99.9%"
	case p > 0 && p < 0.0005:
		return "<0.1%"
	}
	return fmt.Sprintf("%.1f%%", 100*p)
}

// outputs says which files classifyFile writes besides its result.
type outputs struct {
	debug, why string // folders for -debug and -why, or "" for none
	digit      int    // the digit -why maps, or pretrained.Top for the answer
	names      outNames
}

// classifyFile classifies one file ("-" for stdin) and writes the input it
// saw and its why map into the folders out names.
func classifyFile(c *pretrained.Predictor, file string, stdin io.Reader, out outputs) result {
	r := result{File: file}
	var src io.Reader = stdin
	if file != "-" {
		f, err := os.Open(file)
		if err != nil {
			r.Error = err.Error()
			return r
		}
		defer f.Close()
		src = f
	}
	in, err := imagefile.Input(src, 0)
	if err != nil {
		r.Error = err.Error()
		return r
	}
	p := c.Predict(in)
	ranked := candidates(p, 3)
	best := ranked[0]
	r.Digit, r.Probability = &best.Digit, best.Probability
	r.Candidates = ranked
	r.Probabilities = p.Probabilities[:]
	if out.debug == "" && out.why == "" {
		return r
	}
	name := out.names.name(file)
	if out.debug != "" {
		if err := writePNG(filepath.Join(out.debug, name+".28x28.png"), in.Image(), "debug image"); err != nil {
			r.Error = err.Error()
		}
	}
	if out.why != "" {
		_, m := c.Explain(in, out.digit)
		if err := writePNG(filepath.Join(out.why, name+".why.png"), m.Image(whyScale), "why map"); err != nil {
			r.Error = err.Error()
		}
	}
	return r
}

// whyScale is the side of a -why map's pixel in the PNG: ten times 28 is
// the 280 pixels of a digit drawn in Paint, large enough to see each pixel.
const whyScale = 10

// outNames gives each file a distinct name in the -debug and -why folders.
type outNames map[string]int

// name returns the base name of file without its extension, or for a name
// already given, with "-2", "-3"… added.
func (n outNames) name(file string) string {
	base := filepath.Base(file)
	if file == "-" {
		base = "stdin"
	}
	base = strings.TrimSuffix(base, filepath.Ext(base))
	n[base]++
	if k := n[base]; k > 1 {
		base = fmt.Sprintf("%s-%d", base, k)
	}
	return base
}

// writePNG writes img as a PNG file at path, atomically; what names the
// image in the error.
func writePNG(path string, img image.Image, what string) error {
	err := atomicfile.Write(path, func(w io.Writer) error { return png.Encode(w, img) })
	if err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	return nil
}

// A Candidate is a digit and the probability the network gives it.
type Candidate struct {
	Digit       int     `json:"digit"`
	Probability float32 `json:"probability"`
}

// candidates returns the k most probable digits of p, best first.
func candidates(p pretrained.Prediction, k int) []Candidate {
	var out []Candidate
	for _, d := range p.Top(k) {
		out = append(out, Candidate{d, p.Probabilities[d]})
	}
	return out
}
