package pretrained

import (
	"errors"
	"image"
	"image/color"
	"testing"

	"github.com/tegaki/tegaki/nn"
	"github.com/tegaki/tegaki/nn/digit"
)

func TestPredictionTop(t *testing.T) {
	p := Prediction{Digit: 7, Probabilities: [10]float32{0.01, 0.02, 0, 0.1, 0, 0, 0, 0.8, 0.05, 0.02}}
	if got := p.Top(3); len(got) != 3 || got[0] != 7 || got[1] != 3 || got[2] != 8 {
		t.Errorf("Top(3) = %v, want [7 3 8]", got)
	}
	if got := p.Top(20); len(got) != 10 {
		t.Errorf("Top(20) has %d digits, want 10", len(got))
	}
}

func TestNewPrediction(t *testing.T) {
	probs := []float32{0.01, 0.02, 0, 0.1, 0, 0, 0, 0.8, 0.05, 0.02}
	if p := NewPrediction(probs); p.Digit != 7 || p.Probabilities[3] != 0.1 {
		t.Errorf("NewPrediction(%v) = %+v, want digit 7 and the probabilities", probs, p)
	}
}

// TestPredictorPaths checks that the three ways in agree on an MNIST digit:
// its prepared input, the same digit as a large image, and as strokes.
func TestPredictorPaths(t *testing.T) {
	c, err := NewPredictor()
	if err != nil {
		t.Fatal(err)
	}
	x, labels := testSet(t)
	var in digit.Input
	copy(in[:], x.Data[:784])
	if p := c.Predict(&in); p.Digit != labels[0] {
		t.Errorf("Input of test digit 0 = %d, want %d", p.Digit, labels[0])
	}
	// The digit, ten times larger, dark on light as drawn in Paint.
	img := image.NewGray(image.Rect(0, 0, 280, 280))
	for y := range 280 {
		for x1 := range 280 {
			img.SetGray(x1, y, color.Gray{255 - uint8(255*in[(y/10)*28+x1/10])})
		}
	}
	if seen, err := digit.FromImage(img); err != nil || c.Predict(seen).Digit != labels[0] {
		t.Errorf("FromImage: %v, want %d", err, labels[0])
	}
	// A 7 drawn as two strokes.
	seven := []digit.Stroke{{{X: 60, Y: 60}, {X: 220, Y: 60}, {X: 120, Y: 240}}}
	in7, err := digit.FromStrokes(seven, 18)
	if err != nil {
		t.Fatal(err)
	}
	if p := c.Predict(in7); p.Digit != 7 {
		t.Errorf("strokes of a 7: %d (%v), want 7", p.Digit, p.Probabilities)
	}
	if _, err := digit.FromImage(image.NewGray(image.Rect(0, 0, 50, 50))); !errors.Is(err, digit.ErrNoInk) {
		t.Errorf("blank image: %v, want ErrNoInk", err)
	}
}

func TestNewPredictorForRejects(t *testing.T) {
	spec, err := nn.Architecture("twolayernet")
	if err != nil {
		t.Fatal(err)
	}
	spec.Classes, spec.Layers[len(spec.Layers)-1].Out = 3, 3 // a 3-class network
	net, err := spec.Build(1)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := NewPredictorFor(net); err == nil {
		t.Error("NewPredictorFor accepted a 3-class network")
	}
}

func TestPredictAllocs(t *testing.T) {
	c, err := NewPredictor()
	if err != nil {
		t.Fatal(err)
	}
	var in digit.Input
	c.Predict(&in)
	if n := testing.AllocsPerRun(10, func() { c.Predict(&in) }); n != 0 {
		t.Errorf("Predictor.Predict allocates %v times, want 0", n)
	}
}

// TestParsedOnce checks that the embedded file is parsed once, however
// many networks, predictors and descriptions are asked for, and that the
// copies handed out answer as the original does.
func TestParsedOnce(t *testing.T) {
	var preds []*Predictor
	for range 3 {
		p, err := NewPredictor()
		if err != nil {
			t.Fatal(err)
		}
		preds = append(preds, p)
		if _, err := Describe(); err != nil {
			t.Fatal(err)
		}
		if _, err := Net(); err != nil {
			t.Fatal(err)
		}
	}
	if n := parses.Load(); n != 1 {
		t.Errorf("the embedded model was parsed %d times, want once", n)
	}
	fresh, _, err := nn.LoadBytes(weights)
	if err != nil {
		t.Fatal(err)
	}
	want, err := NewPredictorFor(fresh)
	if err != nil {
		t.Fatal(err)
	}
	seven, err := digit.FromStrokes([]digit.Stroke{{{X: 60, Y: 60}, {X: 220, Y: 60}, {X: 120, Y: 240}}}, 18)
	if err != nil {
		t.Fatal(err)
	}
	for i, p := range preds {
		if got, want := p.Predict(seven), want.Predict(seven); got != want {
			t.Errorf("copy %d predicts %+v, a freshly parsed network %+v", i, got, want)
		}
	}
}

// TestPredictAll checks that a batch gives each input the prediction it
// gets alone.
func TestPredictAll(t *testing.T) {
	c, err := NewPredictor()
	if err != nil {
		t.Fatal(err)
	}
	x, _ := testSet(t)
	for _, n := range []int{1, 3, 7} {
		ins := make([]*digit.Input, n)
		for i := range ins {
			ins[i] = new(digit.Input)
			copy(ins[i][:], x.Data[i*784:])
		}
		got := c.PredictAll(ins)
		if len(got) != n {
			t.Fatalf("PredictAll of %d inputs: %d predictions", n, len(got))
		}
		for i, in := range ins {
			want := c.Predict(in)
			if got[i].Digit != want.Digit {
				t.Errorf("batch of %d, input %d: digit %d, alone %d", n, i, got[i].Digit, want.Digit)
			}
			for d := range 10 {
				if diff := got[i].Probabilities[d] - want.Probabilities[d]; diff > 1e-5 || diff < -1e-5 {
					t.Errorf("batch of %d, input %d: p(%d) = %v, alone %v", n, i, d, got[i].Probabilities[d], want.Probabilities[d])
				}
			}
		}
	}
	if got := c.PredictAll(nil); got != nil {
		t.Errorf("PredictAll(nil) = %v, want nil", got)
	}
}
