package number

import "math"

// shape is how wide MNIST's writers make each digit for its height: the
// mean and the standard deviation of log(width/height) of the ink of the
// digits of MNIST's training split (TestShapes measures them again). A 1 is
// narrow, a 0 nearly square; a candidate far wider than its digit is
// likely two digits read as one.
var shape = [10]struct{ mean, std float64 }{
	{-0.096, 0.184}, {-0.889, 0.445}, {-0.066, 0.206}, {-0.218, 0.203}, {-0.225, 0.203},
	{-0.070, 0.244}, {-0.306, 0.212}, {-0.245, 0.207}, {-0.263, 0.214}, {-0.372, 0.203},
}

// shapeCost returns how unlike digit d a mark of w×h is: half the square of
// the distance of its log aspect ratio from the digit's mean, in standard
// deviations, counted only for marks wider than the mean (narrow marks are
// judged by the network alone: a slanted 1 is not a fragment).
func shapeCost(d int, w, h float64) float64 {
	z := (math.Log(max(w, 1e-9)/max(h, 1e-9)) - shape[d].mean) / shape[d].std
	if z < 0 {
		return 0
	}
	return z * z / 2
}
