package main

import (
	"maps"
	"math"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// nativeOutput is go test -bench output in the form go1.26 prints natively
// on two cores, with GEMM sub-benchmarks from a second package.
const nativeOutput = `goos: linux
goarch: amd64
pkg: github.com/tegaki/tegaki/nn
cpu: AMD EPYC 7B13
BenchmarkPredictTegaki-2          	    3640	    659012 ns/op	         0.6590 ms/digit	       0 B/op	       0 allocs/op
BenchmarkPredictLeNet32-2         	    3613	    658968 ns/op	         0.6589 ms/digit	       0 B/op	       0 allocs/op
BenchmarkPredictMLP50-2           	  158954	     15100 ns/op	         0.01510 ms/digit	       0 B/op	       0 allocs/op
BenchmarkTrainStepMLP50-2         	    8348	    239573 ns/op	     41741 samples/s	       0 B/op	       0 allocs/op
BenchmarkTrainStepLeNet32-2       	      18	 136986301 ns/op	       730.0 samples/s	    1024 B/op	       3 allocs/op
PASS
ok  	github.com/tegaki/tegaki/nn	21.523s
goos: linux
goarch: amd64
pkg: github.com/tegaki/tegaki/nn/internal/kernel
cpu: AMD EPYC 7B13
BenchmarkGEMM/NN/32x10000x400-2   	     100	  11636363 ns/op	        22.00 GFLOP/s
BenchmarkGEMM/TN/400x10000x32-2   	      90	  12800000 ns/op	        20.00 GFLOP/s
PASS
ok  	github.com/tegaki/tegaki/nn/internal/kernel	4.120s
`

// wasmOutput is the same under GOOS=js GOARCH=wasm, where GOMAXPROCS is 1
// and go test appends no suffix.
const wasmOutput = `goos: js
goarch: wasm
pkg: github.com/tegaki/tegaki/nn
BenchmarkPredictLeNet32      	     669	   1795000 ns/op	         1.795 ms/digit	       0 B/op	       0 allocs/op
PASS
ok  	github.com/tegaki/tegaki/nn	3.151s
`

func TestParseBench(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want []benchResult
	}{
		{"empty", "", nil},
		{"no benchmarks", "PASS\nok  \tgithub.com/tegaki/tegaki/nn\t0.01s\n", nil},
		{
			"wasm, no procs suffix", wasmOutput,
			[]benchResult{{"PredictLeNet32", 669, map[string]float64{"ns/op": 1795000, "ms/digit": 1.795, "B/op": 0, "allocs/op": 0}}},
		},
		{
			"sub-benchmark with procs suffix",
			"BenchmarkGEMM/NN/32x10000x400-2   \t     100\t  11636363 ns/op\t        22.00 GFLOP/s\n",
			[]benchResult{{"GEMM/NN/32x10000x400", 100, map[string]float64{"ns/op": 11636363, "GFLOP/s": 22}}},
		},
		{
			"procs suffix of many digits",
			"BenchmarkPredictMLP50-128 \t 10 \t 15100 ns/op\n",
			[]benchResult{{"PredictMLP50", 10, map[string]float64{"ns/op": 15100}}},
		},
		{
			"skips what is not a result",
			strings.Join([]string{
				"BenchmarkTrainStepLeNet32-2",        // the name alone, before a log
				"    bench_test.go:12: a log line",   // the log
				"BenchmarkX-2 \t many \t 1 ns/op",    // no iteration count
				"BenchmarkX-2 \t 10 \t fast ns/op",   // no value
				"BenchmarkX-2 \t 10 \t 1 ns/op \t 2", // a value without a unit
				"--- FAIL: BenchmarkPredictMLP50-2",  // a failure
				"Benchmark \t 10 \t 1 ns/op",         // no name
				"BenchmarkTrainStepMLP50-2 \t 8348 \t 239573 ns/op \t 41741 samples/s",
			}, "\n"),
			[]benchResult{{"TrainStepMLP50", 8348, map[string]float64{"ns/op": 239573, "samples/s": 41741}}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := parseBench(strings.NewReader(tt.in))
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("parseBench:\n got %v\nwant %v", got, tt.want)
			}
		})
	}
}

func TestGoMeasurements(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want measurements
	}{
		{
			"native", nativeOutput,
			measurements{
				"predict/Tegaki":       659.012,
				"predict/LeNet32":      658.968,
				"predict/MLP50":        15.1,
				"train/MLP50":          41741,
				"train/LeNet32":        730,
				"gemm/NN/32x10000x400": 22,
				"gemm/TN/400x10000x32": 20,
			},
		},
		{"wasm", wasmOutput, measurements{"predict/LeNet32": 1795}},
		{
			"samples/s from ns/op when not reported",
			"BenchmarkTrainStepLeNet32-2 \t 10 \t 200000000 ns/op\n",
			measurements{"train/LeNet32": 500},
		},
		{
			"GEMM without GFLOP/s is left out",
			"BenchmarkGEMM/NN/32x10000x400-2 \t 100 \t 11636363 ns/op\n",
			measurements{},
		},
		{
			"other benchmarks and sub-benchmarks are left out",
			"BenchmarkSgemmNN/gonum/16x784x9-2 \t 100 \t 1000 ns/op\nBenchmarkPredictLeNet32/warm-2 \t 100 \t 1000 ns/op\n",
			measurements{},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			results, err := parseBench(strings.NewReader(tt.in))
			if err != nil {
				t.Fatal(err)
			}
			got := goMeasurements(results)
			if len(got) != len(tt.want) {
				t.Errorf("got %d figures %v, want %d %v", len(got), got, len(tt.want), tt.want)
			}
			for _, k := range sortedKeys(tt.want) {
				if g, ok := got[k]; !ok || !approx(g, tt.want[k]) {
					t.Errorf("%s = %v (measured: %v), want %v", k, g, ok, tt.want[k])
				}
			}
		})
	}
}

func TestParseGEMM(t *testing.T) {
	tests := []struct {
		name string
		want gemmShape
		ok   bool
	}{
		{"NN/32x10000x400", gemmShape{Name: "NN/32x10000x400", Layout: "NN", M: 32, N: 10000, K: 400}, true},
		{"TN/400x10000x32", gemmShape{Name: "TN/400x10000x32", Layout: "TN", M: 400, N: 10000, K: 32}, true},
		{"NT/16x25x78400/avx2", gemmShape{Name: "NT/16x25x78400/avx2", Layout: "NT", M: 16, N: 25, K: 78400}, true},
		{"avx2/TT/1x2x3", gemmShape{Name: "avx2/TT/1x2x3", Layout: "TT", M: 1, N: 2, K: 3}, true},
		{"32x10000x400", gemmShape{}, false},                // no layout
		{"NN", gemmShape{}, false},                          // no shape
		{"NN/32x10000", gemmShape{}, false},                 // two dimensions
		{"NN/0x10000x400", gemmShape{}, false},              // empty
		{"NX/32x10000x400", gemmShape{}, false},             // no such layout
		{"NN/99999999999999999999x1x1", gemmShape{}, false}, // overflows
		{"nn/32x10000x400", gemmShape{}, false},             // layouts are upper case
		{"NN/m=32,n=10000,k=400", gemmShape{}, false},       // another naming
	}
	for _, tt := range tests {
		got, ok := parseGEMM(tt.name)
		if ok != tt.ok || (ok && got != tt.want) {
			t.Errorf("parseGEMM(%q) = %+v, %v; want %+v, %v", tt.name, got, ok, tt.want, tt.ok)
		}
	}
}

func TestBenchPattern(t *testing.T) {
	// go test matches -bench against the full name, split at slashes; the
	// pattern has none, so it selects top-level benchmarks and runs all of
	// their sub-benchmarks.
	tests := []struct {
		kinds string
		gemm  bool
		match []string
		skip  []string
	}{
		{
			"Predict|TrainStep", true,
			[]string{"BenchmarkPredictLeNet32", "BenchmarkTrainStepMLP50", "BenchmarkPredictTegaki", "BenchmarkTrainStepSimpleConvNet", "BenchmarkGEMM"},
			[]string{"BenchmarkPredict", "BenchmarkPredictLeNet32x", "BenchmarkSgemmNN", "BenchmarkGEMMSmall", "BenchmarkTrainStepMLP", "XBenchmarkGEMM"},
		},
		{
			"Predict", false,
			[]string{"BenchmarkPredictMLP50", "BenchmarkPredictSimpleConvNet"},
			[]string{"BenchmarkTrainStepMLP50", "BenchmarkGEMM"},
		},
	}
	for _, tt := range tests {
		p := benchPattern(tt.kinds, tt.gemm)
		if strings.Contains(p, "/") {
			t.Errorf("benchPattern(%q, %v) = %q has a slash", tt.kinds, tt.gemm, p)
		}
		re := regexp.MustCompile(p)
		for _, name := range tt.match {
			if !re.MatchString(name) {
				t.Errorf("%q does not match %s", p, name)
			}
		}
		for _, name := range tt.skip {
			if re.MatchString(name) {
				t.Errorf("%q matches %s", p, name)
			}
		}
	}
}

func sortedKeys(m measurements) []string {
	return slices.Sorted(maps.Keys(m))
}

// approx reports whether a and b agree to a part in a billion.
func approx(a, b float64) bool {
	return math.Abs(a-b) <= 1e-9*math.Max(math.Abs(a), math.Abs(b))
}
