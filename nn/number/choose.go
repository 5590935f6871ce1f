package number

import "math"

// A split of a sequence of atoms (strokes or pieces of ink) into digits is
// chosen by dynamic programming over the runs of consecutive atoms: the
// best split of the first j atoms ends with some run [i, j), and is the
// best split of the first i atoms followed by that run. A split's score is
// the sum of its runs' scores and of the penalties at the boundaries
// between runs, so the network's confidence in each run's digit decides
// between, say, one 0 and two 1s, and the geometry (gaps inside a run,
// overlap across a boundary) breaks the ties the network leaves.

// impossible scores a run that cannot be a digit. Such a run is chosen
// only when no split avoids it, so that every sequence has a split.
const impossible = -1e6

// A run is the atoms [lo, hi) of a split.
type run struct{ lo, hi int }

// choose returns the best split of n atoms into runs of at most maxRun
// atoms. score gives a run's score (impossible if it cannot be a digit)
// and boundary the penalty, subtracted, for run b following run a.
func choose(n, maxRun int, score func(r run) float64, boundary func(a, b run) float64) []run {
	// best[hi][k]: the best score of a split of atoms [0, hi) whose last
	// run has k atoms (k ≥ 1), so that the boundary penalty with the next
	// run is known.
	best := make([][]float64, n+1)
	from := make([][]int, n+1) // the length of the run before, 0 for none
	for hi := range best {
		best[hi] = make([]float64, maxRun+1)
		from[hi] = make([]int, maxRun+1)
		for k := range best[hi] {
			best[hi][k] = math.Inf(-1)
		}
	}
	for hi := 1; hi <= n; hi++ {
		for k := 1; k <= min(maxRun, hi); k++ {
			r := run{hi - k, hi}
			s := score(r)
			if r.lo == 0 {
				best[hi][k] = s
				continue
			}
			for pk := 1; pk <= min(maxRun, r.lo); pk++ {
				prev := best[r.lo][pk]
				if math.IsInf(prev, -1) {
					continue
				}
				if v := prev + s - boundary(run{r.lo - pk, r.lo}, r); v > best[hi][k] {
					best[hi][k], from[hi][k] = v, pk
				}
			}
		}
	}
	k := 1
	for j := 2; j <= min(maxRun, n); j++ {
		if best[n][j] > best[n][k] {
			k = j
		}
	}
	var runs []run
	for hi := n; hi > 0; {
		runs = append(runs, run{hi - k, hi})
		hi, k = hi-k, from[hi][k]
	}
	for i, j := 0, len(runs)-1; i < j; i, j = i+1, j-1 {
		runs[i], runs[j] = runs[j], runs[i]
	}
	return runs
}
