package trace_test

import (
	"testing"

	"github.com/tegaki/tegaki/nn"
	"github.com/tegaki/tegaki/nn/digit"
	"github.com/tegaki/tegaki/nn/digit/trace"
	"github.com/tegaki/tegaki/nn/mnist/mnisttest"
	"github.com/tegaki/tegaki/nn/pretrained"
)

// scale is how much larger the app's canvas is than MNIST's field: the
// end-to-end tests draw on 280×280 CSS pixels.
const scale = 10

// TestRoundTrip traces MNIST test digits, draws the strokes again as the
// app would and checks that the embedded network still reads them: the
// strokes must keep what makes a digit that digit.
func TestRoundTrip(t *testing.T) {
	// The network reads 99.4% of these 500 images correctly (99.6% of all
	// 10,000). Strokes of one pen width lose blots, filled loops and faint
	// strokes: the traced digits scored 98.4% here (98.1% on all 10,000)
	// when this test was written.
	const want = 0.95
	const n = 500 // about 1 s natively, under 10 s under WebAssembly
	_, test, err := mnisttest.Load()
	if err != nil {
		t.Fatal(err)
	}
	net, err := pretrained.Net()
	if err != nil {
		t.Fatal(err)
	}
	x := nn.NewTensor(1, 1, digit.Size, digit.Size)
	correct, strokes, points := 0, 0, 0
	for i := range n {
		traced, width := trace.Strokes(test.Image(i), test.Cols, test.Rows)
		drawn := make([]digit.Stroke, len(traced))
		for j, s := range traced {
			for _, p := range s {
				drawn[j] = append(drawn[j], digit.Point{X: scale * p.X, Y: scale * p.Y})
			}
			points += len(s)
		}
		strokes += len(traced)
		in, err := digit.FromStrokes(drawn, scale*width)
		if err != nil {
			t.Errorf("digit %d (a %d): FromStrokes: %v", i, test.Labels[i], err)
			continue
		}
		copy(x.Data, in[:])
		probs := net.Predict(x).Data
		got := 0
		for d, p := range probs {
			if p > probs[got] {
				got = d
			}
		}
		if got == int(test.Labels[i]) {
			correct++
		} else {
			t.Logf("digit %d: a %d read as %d (%.2f) from %d strokes of width %.1f", i, test.Labels[i], got, probs[got], len(traced), width)
		}
	}
	acc := float64(correct) / float64(n)
	t.Logf("%d digits: %.1f%% read correctly; %.2f strokes and %.1f points a digit", n, 100*acc, float64(strokes)/float64(n), float64(points)/float64(n))
	if acc < want {
		t.Errorf("accuracy %.1f%%; want at least %.0f%%", 100*acc, 100*want)
	}
}
