package kernel

import (
	"fmt"
	"os"
	"runtime"
)

// An implementation is one way of running a product on one goroutine.
type implementation struct {
	name   string
	mr, nr int // the granularity at which Gemm may split c between goroutines
	gemm   func(p product)
	// vector, if not nil, runs the elementwise loops on 8 floats at a time.
	vector *vectorLoops
}

// vectorLoops are SIMD versions of elementwise loops. Each handles a
// multiple of 8 elements and gives the Go loop's results bit for bit
// (except where its doc says otherwise); the Go loop does the rest.
type vectorLoops struct {
	adam         func(n int, w, g, m, v []float32, lr, beta1c, beta2c, eps float32)
	relu         func(n int, y, x []float32)
	reluBackward func(n int, dx, dy, y []float32)

	sum               func(n int, x []float32) float64
	squaredDeviations func(n int, x []float32, mean float64) float64
	gradSums          func(n int, d, xhat []float32) (float64, float64)
	normalize         func(n int, y, xhat, x []float32, mean, inv, gamma, beta float32)
	scaleShift        func(n int, y, x []float32, scale, shift float32)
	batchNormDx       func(n int, dx, d, xhat []float32, k, mb, mg float32)
}

// blocked is the portable GEMM, plain Go. It is what runs under
// WebAssembly.
var blocked = &implementation{name: "blocked", mr: 1, nr: 8, gemm: blockedGemm}

// implementations lists every implementation this platform can run, the
// fastest first. simd is set in the platform's own file.
func implementations() []*implementation {
	var impls []*implementation
	if simd != nil {
		impls = append(impls, simd)
	}
	if runtime.GOARCH == "wasm" {
		return append(impls, blocked)
	}
	// Natively, without SIMD of ours, gonum's Sgemm (with its own assembly
	// on amd64 and arm64) beats plain Go.
	return append(impls, gonumImpl, blocked)
}

// active is the implementation Gemm uses: the fastest, or the one named by
// the environment variable TEGAKI_KERNEL, so that a test run can prove the
// fallbacks on a machine that has SIMD.
var active = choose(os.Getenv("TEGAKI_KERNEL"))

func choose(name string) *implementation {
	impls := implementations()
	if name == "" {
		return impls[0]
	}
	for _, impl := range impls {
		if impl.name == name {
			return impl
		}
	}
	// A misspelt variable must not silently test the wrong path.
	panic(fmt.Sprintf("kernel: TEGAKI_KERNEL=%q, want one of %v", name, names()))
}

// names returns the names of the implementations this machine can run, the
// default first.
func names() []string {
	var names []string
	for _, impl := range implementations() {
		names = append(names, impl.name)
	}
	return names
}
