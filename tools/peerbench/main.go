// Peerbench measures tegaki against the two programs a user would pick
// instead, on the same architectures, and prints a table in the form of
// README's Speed section with the ratio tegaki/peer, so that anyone can
// check its claims on their own machine. make bench-peer runs it; it is not part of
// make test.
//
// Usage:
//
//	peerbench [flags]
//
// It runs from anywhere inside the module and installs what it lacks:
// Debian's python3-torch and libopenblas0-pthread with apt-get (through
// sudo unless run as root), and onnxruntime-web at a pinned version with
// npm into a folder of its own under the temporary directory (-ort-dir),
// leaving the project's package.json alone. The ONNX models that ORT-web
// runs are exported by PyTorch at run time from the same modules it trains.
//
// Each round measures, in turn:
//
//   - tegaki natively: go test -bench in ./nn, BenchmarkPredict<Arch> (time
//     per digit) and BenchmarkTrainStep<Arch> (samples/s at batch 100 with
//     Adam), and BenchmarkGEMM's sub-benchmarks in nn/internal/kernel
//     (GFLOP/s) if that package exists;
//   - PyTorch, Debian's CPU build, with torch.set_num_threads(2) and
//     OPENBLAS_NUM_THREADS=1: Adam (lr 1e-3) steps at batch 100 after 20
//     warm-up steps, the median time of one digit under inference_mode, and
//     torch.mm on each shape that BenchmarkGEMM names (Layout/MxNxK, C being
//     M×N and K the inner dimension, the layout's letters saying whether A
//     and B are stored transposed, as in BLAS); OpenBLAS does that product
//     on one core, since PyTorch does not split it among its threads;
//   - tegaki under GOOS=js GOARCH=wasm in Node ($(go env
//     GOROOT)/lib/wasm/go_js_wasm_exec): the Predict benchmarks;
//   - ONNX Runtime Web in Node, wasm backend on one thread: the median time
//     of one digit.
//
// Alternating the sides within each round keeps the ratios fair on a noisy,
// shared machine; the table shows the medians over the rounds. Both sides
// train on one fixed batch of random pixels, as BenchmarkTrainStep does, and
// time untrained weights: speed does not depend on the values. The peers'
// batch-1 figures are medians of single calls, tegaki's are go test's means,
// which count its rare slow calls against it. The architectures are
// MLP50, SimpleConvNet and LeNet32 (nn.Architecture), plus tegaki's
// default model, which only tegaki runs.
//
// Absolute figures vary from machine to machine; the ratios, taken in one
// run, are what to quote. For samples/s and GFLOP/s a ratio above 1 means
// tegaki is faster; for µs, a ratio below 1 does.
//
// The flags are:
//
//	-rounds N
//		Measure N rounds (default 3).
//	-benchtime D
//		Measure each figure for about D (default 2s).
//	-skip-wasm
//		Leave out the wasm rows, and with them Node and ORT-web.
//	-json FILE
//		Also write every round's figures and the table's rows to FILE.
//	-python PATH
//		The Python that has PyTorch (default /usr/bin/python3, Debian's).
//	-ort-dir DIR
//		Where onnxruntime-web is installed, and kept for the next run.
//
// A round takes about a minute on two cores. Example, on a shared two-core
// AMD EPYC:
//
//	$ make bench-peer PEERFLAGS="-rounds 1"
//	| figure | tegaki | peer | tegaki/peer |
//	| --- | --- | --- | --- |
//	| training samples/s, MLP50 | 32,030 | PyTorch 92,870 | 0.34 |
//	| training samples/s, SimpleConvNet | 1,066 | PyTorch 3,346 | 0.32 |
//	| training samples/s, LeNet32 | 620 | PyTorch 3,058 | 0.20 |
//	| batch-1 µs native, MLP50 | 18.2 | PyTorch 45.8 | 0.40 |
//	...
//	| batch-1 µs wasm in Node, LeNet32 | 1,775 | ORT-web 289 | 6.15 |
//	...
package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"time"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

const usage = `Usage: peerbench [flags]

Measure tegaki against PyTorch (training, batch-1 inference, GEMM) and
ONNX Runtime Web (batch-1 inference under wasm in Node) on the same
architectures, in alternation, and print a Markdown table of the medians
with the ratio tegaki/peer. Installs python3-torch and libopenblas0-pthread
(apt-get) and onnxruntime-web@` + ortVersion + ` (npm, into -ort-dir) if missing.

Flags:
`

const examples = `
Examples:
  peerbench                      # 3 rounds, about 3 minutes on 2 cores
  peerbench -rounds 1 -skip-wasm # a quick look, native rows only
  peerbench -json /tmp/peer.json # keep every round's figures
`

// report is what -json writes.
type report struct {
	At       time.Time `json:"at"`
	Rounds   rounds    `json:"rounds"`
	Rows     []row     `json:"rows"`
	Versions struct {
		Go      string   `json:"go"`
		PyTorch string   `json:"pytorch"`
		BLAS    []string `json:"blas"`
		ORTWeb  string   `json:"onnxruntime_web,omitempty"`
	} `json:"versions"`
	CPU string `json:"cpu,omitempty"`
}

// run is the whole command; it returns the exit status.
func run(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("peerbench", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var o options
	fs.IntVar(&o.rounds, "rounds", 3, "measure `N` rounds")
	fs.DurationVar(&o.benchtime, "benchtime", 2*time.Second, "measure each figure for about `D`")
	fs.BoolVar(&o.skipWasm, "skip-wasm", false, "leave out the wasm rows (Node, ORT-web)")
	fs.StringVar(&o.jsonOut, "json", "", "also write every round's figures and the rows to `FILE`")
	fs.StringVar(&o.python, "python", "/usr/bin/python3", "the `PATH` of the Python that has PyTorch")
	fs.StringVar(&o.ortDir, "ort-dir", filepath.Join(os.TempDir(), "tegaki-peerbench", "onnxruntime-web@"+ortVersion), "where onnxruntime-web is installed, and kept, in `DIR`")
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), usage)
		fs.PrintDefaults()
		fmt.Fprint(fs.Output(), examples)
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if fs.NArg() > 0 || o.rounds < 1 || o.benchtime <= 0 {
		fmt.Fprintln(stderr, "peerbench: want no arguments, -rounds of at least 1 and a positive -benchtime")
		fs.Usage()
		return 2
	}
	if err := bench(o, stdout, stderr); err != nil {
		fmt.Fprintf(stderr, "peerbench: %v\n", err)
		return 1
	}
	return 0
}

// options are the command's flags.
type options struct {
	rounds    int
	benchtime time.Duration
	skipWasm  bool
	jsonOut   string
	python    string
	ortDir    string
}

// bench prepares both sides, measures o.rounds rounds and prints the
// table on stdout, progress on stderr.
func bench(o options, stdout, stderr io.Writer) error {
	n, wasm := o.rounds, !o.skipWasm
	root, err := moduleRoot()
	if err != nil {
		return err
	}
	tmp, err := os.MkdirTemp("", "peerbench-")
	if err != nil {
		return fmt.Errorf("scratch folder: %v", err)
	}
	defer os.RemoveAll(tmp)
	for name, b := range map[string][]byte{"torchbench.py": torchScript, "ortbench.mjs": ortScript} {
		if err := os.WriteFile(filepath.Join(tmp, name), b, 0o644); err != nil {
			return fmt.Errorf("writing %s: %v", name, err)
		}
	}
	e := &env{root: root, tmp: tmp, python: o.python, ortDir: o.ortDir, measure: o.benchtime, log: stderr}

	var rep report
	rep.Versions.Go = runtime.Version()
	info, err := e.ensureTorch()
	if err != nil {
		return err
	}
	rep.Versions.PyTorch, rep.Versions.BLAS = info.Version, info.BLAS
	if wasm {
		if err := e.ensureORT(); err != nil {
			return err
		}
		if err := e.exportModels(); err != nil {
			return err
		}
		rep.Versions.ORTWeb = ortVersion
	}

	if load, ok := loadAverage(); ok && load > 0.5*float64(runtime.NumCPU()) {
		fmt.Fprintf(stderr, "peerbench: warning: load average %.1f on %d cores; the figures will be low, PyTorch's most (its OpenMP threads wait for each other)\n", load, runtime.NumCPU())
	}
	r := make(rounds)
	var gemm []gemmShape
	for i := range n {
		start := time.Now()
		step := func(s side, f func() (measurements, error)) error {
			fmt.Fprintf(stderr, "peerbench: round %d/%d: %s\n", i+1, n, s)
			m, err := f()
			if err != nil {
				return fmt.Errorf("round %d: %v", i+1, err)
			}
			r[s] = append(r[s], m)
			return nil
		}
		if err := step(tegakiNative, func() (measurements, error) { return e.benchGo(false) }); err != nil {
			return err
		}
		if i == 0 {
			gemm = gemmShapes(r[tegakiNative][0], stderr)
		}
		if err := step(pytorch, func() (measurements, error) { return e.benchTorch(gemm) }); err != nil {
			return err
		}
		if wasm {
			if err := step(tegakiWasm, func() (measurements, error) { return e.benchGo(true) }); err != nil {
				return err
			}
			if err := step(ortWeb, e.benchORT); err != nil {
				return err
			}
		}
		fmt.Fprintf(stderr, "peerbench: round %d/%d took %s\n", i+1, n, time.Since(start).Round(time.Second))
	}

	rep.At, rep.Rounds, rep.CPU = time.Now().UTC(), r, cpuModel()
	rep.Rows = buildRows(r, gemm, wasm)
	if err := writeTable(stdout, rep.Rows); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "\n%s\n", describe(n, wasm, rep))
	if o.jsonOut != "" {
		b, err := json.MarshalIndent(rep, "", "\t")
		if err != nil {
			return err
		}
		if err := os.WriteFile(o.jsonOut, append(b, '\n'), 0o644); err != nil {
			return fmt.Errorf("writing -json: %v", err)
		}
	}
	return nil
}

// gemmShapes returns the GEMM sub-benchmarks among tegaki's measurements
// whose names give a layout and a shape that torch.mm can repeat, sorted
// by name. It says on log which ones it leaves out, and if there are none.
func gemmShapes(m measurements, log io.Writer) []gemmShape {
	var shapes []gemmShape
	for key := range m {
		name, ok := strings.CutPrefix(key, "gemm/")
		if !ok {
			continue
		}
		if g, ok := parseGEMM(name); ok {
			shapes = append(shapes, g)
		} else {
			fmt.Fprintf(log, "peerbench: BenchmarkGEMM/%s names no Layout/MxNxK; left out\n", name)
		}
	}
	if len(shapes) == 0 {
		fmt.Fprintln(log, "peerbench: no BenchmarkGEMM reporting GFLOP/s in nn/internal/kernel; no GEMM rows")
	}
	slices.SortFunc(shapes, func(a, b gemmShape) int { return strings.Compare(a.Name, b.Name) })
	return shapes
}

// describe says under the table what it shows and where it was measured.
func describe(n int, wasm bool, rep report) string {
	var b strings.Builder
	if n == 1 {
		fmt.Fprintf(&b, "One round, %s", rep.At.Format(time.DateOnly))
	} else {
		fmt.Fprintf(&b, "Medians of %d rounds, %s", n, rep.At.Format(time.DateOnly))
	}
	b.WriteString("; tegaki/peer above 1 means tegaki is faster in samples/s and GFLOP/s, slower in µs. ")
	fmt.Fprintf(&b, "tegaki: %s, GOMAXPROCS %d. PyTorch %s: %d threads, OpenBLAS on 1", rep.Versions.Go, runtime.GOMAXPROCS(0), rep.Versions.PyTorch, torchThreads)
	if wasm {
		fmt.Fprintf(&b, ". ORT-web %s: wasm, 1 thread, Node %s", ortVersion, nodeVersion())
	}
	if rep.CPU != "" {
		fmt.Fprintf(&b, ". CPU: %d × %s", runtime.NumCPU(), rep.CPU)
	}
	return b.String() + "."
}

// moduleRoot returns the folder of the go.mod that go test will use.
func moduleRoot() (string, error) {
	out, err := command("", nil, nil, "go", "env", "GOMOD")
	if err != nil {
		return "", err
	}
	gomod := strings.TrimSpace(string(out))
	if gomod == "" || gomod == os.DevNull {
		return "", errors.New("not inside a Go module: run from tegaki's folder")
	}
	return filepath.Dir(gomod), nil
}

// cpuModel returns the CPU's model name from /proc/cpuinfo, or "" where
// there is none.
func cpuModel() string {
	b, err := os.ReadFile("/proc/cpuinfo")
	if err != nil {
		return ""
	}
	for line := range strings.Lines(string(b)) {
		if k, v, ok := strings.Cut(line, ":"); ok && strings.TrimSpace(k) == "model name" {
			return strings.TrimSpace(v)
		}
	}
	return ""
}

// loadAverage returns the machine's load average over the last minute,
// and false where /proc/loadavg does not say.
func loadAverage() (float64, bool) {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return 0, false
	}
	f := strings.Fields(string(b))
	if len(f) == 0 {
		return 0, false
	}
	v, err := strconv.ParseFloat(f[0], 64)
	return v, err == nil
}

// nodeVersion returns node --version, or "?" if it fails.
func nodeVersion() string {
	out, err := command("", nil, nil, "node", "--version")
	if err != nil {
		return "?"
	}
	return strings.TrimSpace(string(out))
}
