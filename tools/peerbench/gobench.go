package main

import (
	"bufio"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
)

// A benchResult is one result line of go test -bench.
type benchResult struct {
	// Name is the benchmark's name without "Benchmark" and without the
	// -GOMAXPROCS suffix: "PredictLeNet32", "GEMM/NN/32x10000x400".
	Name string
	// N is the number of iterations.
	N int
	// Metrics holds the values by unit: "ns/op", "samples/s", "GFLOP/s".
	Metrics map[string]float64
}

// procsSuffix is the -GOMAXPROCS suffix that go test appends to a
// benchmark's name when GOMAXPROCS is above 1.
var procsSuffix = regexp.MustCompile(`-[0-9]+$`)

// parseBench reads the output of go test -bench and returns its result
// lines in order. Other lines (goos, pkg, PASS, ok, logs) are skipped, and
// so is a line that starts like a result but does not parse as one, such as
// the name that a benchmark prints alone before its log output.
func parseBench(r io.Reader) ([]benchResult, error) {
	var results []benchResult
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		if res, ok := parseBenchLine(sc.Text()); ok {
			results = append(results, res)
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("reading benchmark output: %v", err)
	}
	return results, nil
}

// parseBenchLine parses "BenchmarkName-2  1000  1234 ns/op  56.7 unit ...".
func parseBenchLine(line string) (benchResult, bool) {
	f := strings.Fields(line)
	if len(f) < 4 || len(f)%2 != 0 || !strings.HasPrefix(f[0], "Benchmark") {
		return benchResult{}, false
	}
	name := procsSuffix.ReplaceAllString(strings.TrimPrefix(f[0], "Benchmark"), "")
	n, err := strconv.Atoi(f[1])
	if err != nil || name == "" {
		return benchResult{}, false
	}
	res := benchResult{Name: name, N: n, Metrics: make(map[string]float64)}
	for i := 2; i < len(f); i += 2 {
		v, err := strconv.ParseFloat(f[i], 64)
		if err != nil {
			return benchResult{}, false
		}
		res.Metrics[f[i+1]] = v
	}
	return res, true
}

// trainBatch is the batch size of BenchmarkTrainStep<Arch>, which the
// samples/s figure is derived from when the benchmark does not report it.
const trainBatch = 100

// goMeasurements turns tegaki's benchmark results into measurements:
// PredictArch becomes predict/Arch in µs, TrainStepArch train/Arch in
// samples/s, and GEMM/sub/names gemm/sub/names in GFLOP/s. Results of
// other benchmarks, and GEMM results without a GFLOP/s metric, are left
// out.
func goMeasurements(results []benchResult) measurements {
	m := make(measurements)
	for _, r := range results {
		ns, hasNs := r.Metrics["ns/op"]
		switch {
		case strings.HasPrefix(r.Name, "GEMM/"):
			if v, ok := r.Metrics["GFLOP/s"]; ok {
				m["gemm/"+strings.TrimPrefix(r.Name, "GEMM/")] = v
			}
		case strings.Contains(r.Name, "/"):
			// A sub-benchmark of Predict or TrainStep is not one of ours.
		case strings.HasPrefix(r.Name, "Predict") && hasNs:
			m["predict/"+strings.TrimPrefix(r.Name, "Predict")] = ns / 1e3
		case strings.HasPrefix(r.Name, "TrainStep"):
			arch := strings.TrimPrefix(r.Name, "TrainStep")
			if v, ok := r.Metrics["samples/s"]; ok {
				m["train/"+arch] = v
			} else if hasNs && ns > 0 {
				m["train/"+arch] = trainBatch / (ns / 1e9)
			}
		}
	}
	return m
}

// A gemmShape is the product that one GEMM sub-benchmark times:
// C (M×N) = op(A) (M×K) · op(B) (K×N).
type gemmShape struct {
	Name   string `json:"name"`   // the sub-benchmark's name, such as "NN/32x10000x400"
	Layout string `json:"layout"` // "NN", "NT", "TN" or "TT": whether A, B are stored transposed
	M      int    `json:"m"`
	N      int    `json:"n"`
	K      int    `json:"k"`
}

var dims = regexp.MustCompile(`^([0-9]+)x([0-9]+)x([0-9]+)$`)

// parseGEMM reads the layout and the shape out of a GEMM sub-benchmark's
// name: one element of the name is the layout (NN, NT, TN or TT, as in
// BLAS: N for A or B stored as is, T for stored transposed) and another is
// MxNxK. It reports false for a name without both.
func parseGEMM(name string) (gemmShape, bool) {
	g := gemmShape{Name: name}
	for _, e := range strings.Split(name, "/") {
		switch {
		case e == "NN" || e == "NT" || e == "TN" || e == "TT":
			g.Layout = e
		case dims.MatchString(e):
			var mnk [3]int
			for i, d := range dims.FindStringSubmatch(e)[1:] {
				v, err := strconv.Atoi(d)
				if err != nil {
					return gemmShape{}, false // too large to be a shape
				}
				mnk[i] = v
			}
			g.M, g.N, g.K = mnk[0], mnk[1], mnk[2]
		}
	}
	if g.Layout == "" || g.M <= 0 || g.N <= 0 || g.K <= 0 {
		return gemmShape{}, false
	}
	return g, true
}
