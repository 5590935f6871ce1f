package kernel

import (
	"runtime"
	"sync"
)

// Starting a goroutine and waiting for it costs a few microseconds. Work
// stays on the calling goroutine unless each part would take several times
// that: 2^20 multiply-adds of a product (the SIMD kernel does about 16 a
// nanosecond), or 2^17 steps of a scalar loop. A digit's forward pass is
// below both, so it runs on one core, which on two cores is faster.
const (
	minParallelMACs  = 1 << 20
	minParallelSteps = 1 << 17
)

// workersFor returns how many goroutines work is worth, giving each at least least.
func workersFor(work, least int) int {
	if runtime.GOARCH == "wasm" || work < 2*least {
		return 1
	}
	return max(1, min(runtime.GOMAXPROCS(0), work/least))
}

// ParallelFor calls body(state, lo, hi) over [0, n) in contiguous ranges,
// one per goroutine, and waits for them. cost is the work of one item, in
// multiply-adds or comparable steps: when n·cost is too little to pay for a
// second goroutine, body(state, 0, n) runs on the caller.
//
// body is a function of its state rather than a closure so that callers
// can pass a method expression, such as (*MaxPool).forward, which unlike a
// closure or a method value allocates nothing: one digit's forward pass
// must not make garbage.
func ParallelFor[S any](n, cost int, state *S, body func(state *S, lo, hi int)) {
	workers := min(workersFor(n*cost, minParallelSteps), n)
	if workers < 2 {
		if n > 0 {
			body(state, 0, n)
		}
		return
	}
	var wg sync.WaitGroup
	for w := 1; w < workers; w++ {
		lo, hi := n*w/workers, n*(w+1)/workers
		wg.Go(func() { body(state, lo, hi) })
	}
	body(state, 0, n/workers)
	wg.Wait()
}
