package nn

import (
	"fmt"
	"math"
)

// A LossLayer is the last layer of a network: it compares scores with the
// true labels. Forward returns the loss averaged over the batch; Backward
// returns its gradient with respect to the scores.
type LossLayer interface {
	Forward(x *Tensor, labels []int) float64
	Backward() *Tensor
}

// SoftmaxCrossEntropy applies softmax to the scores and returns the mean
// cross-entropy against the labels. It is SoftmaxWithLoss in the book;
// fusing the two gives the simple gradient (y - t) / n.
type SoftmaxCrossEntropy struct {
	y      *Tensor // probabilities
	labels []int
	dx     *Tensor
}

// Forward returns the mean cross-entropy of softmax(x) and labels. It panics
// if a label is outside [0, classes).
func (l *SoftmaxCrossEntropy) Forward(x *Tensor, labels []int) float64 {
	n, k := x.Shape[0], x.Shape[1]
	checkLabels(labels, n, k)
	l.labels = labels
	l.y = ensure(l.y, n, k)
	softmax(l.y.Data, x.Data, k)
	var loss float64
	for i, t := range labels {
		// The 1e-7 keeps log finite, as the book's cross_entropy_error does.
		loss -= math.Log(float64(l.y.Data[i*k+t]) + 1e-7)
	}
	return loss / float64(n)
}

// Backward returns (softmax(x) - onehot(labels)) / n.
func (l *SoftmaxCrossEntropy) Backward() *Tensor {
	n, k := l.y.Shape[0], l.y.Shape[1]
	l.dx = ensure(l.dx, n, k)
	scale := 1 / float32(n)
	for i := range l.y.Data {
		l.dx.Data[i] = l.y.Data[i] * scale
	}
	for i, t := range l.labels {
		l.dx.Data[i*k+t] -= scale
	}
	return l.dx
}

// SumSquares is the sum-of-squares loss 0.5·Σ(x - onehot(labels))², averaged
// over the batch (the book's mean_squared_error sums over one sample).
type SumSquares struct {
	x      *Tensor
	labels []int
	dx     *Tensor
}

// Forward returns the mean over the batch of 0.5·Σ(x - t)².
func (l *SumSquares) Forward(x *Tensor, labels []int) float64 {
	n, k := x.Shape[0], x.Shape[1]
	checkLabels(labels, n, k)
	l.x, l.labels = x, labels
	var loss float64
	for i := range n {
		for j := range k {
			d := float64(x.Data[i*k+j])
			if j == labels[i] {
				d--
			}
			loss += 0.5 * d * d
		}
	}
	return loss / float64(n)
}

// Backward returns (x - onehot(labels)) / n.
func (l *SumSquares) Backward() *Tensor {
	n, k := l.x.Shape[0], l.x.Shape[1]
	l.dx = ensure(l.dx, n, k)
	scale := 1 / float32(n)
	for i, v := range l.x.Data {
		l.dx.Data[i] = v * scale
	}
	for i, t := range l.labels {
		l.dx.Data[i*k+t] -= scale
	}
	return l.dx
}

// softmax writes the row-wise softmax of x (rows of k scores) to y.
// Subtracting the row maximum keeps exp from overflowing.
func softmax(y, x []float32, k int) {
	for r := 0; r < len(x); r += k {
		row, out := x[r:r+k], y[r:r+k]
		m := row[0]
		for _, v := range row {
			m = max(m, v)
		}
		var sum float64
		for j, v := range row {
			e := math.Exp(float64(v - m))
			out[j] = float32(e)
			sum += e
		}
		inv := float32(1 / sum)
		for j := range out {
			out[j] *= inv
		}
	}
}

func checkLabels(labels []int, n, k int) {
	if len(labels) != n {
		panic(fmt.Sprintf("nn: %d labels for a batch of %d", len(labels), n))
	}
	for _, t := range labels {
		if t < 0 || t >= k {
			panic(fmt.Sprintf("nn: label %d outside [0, %d)", t, k))
		}
	}
}
