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

// TestClassifierPaths checks that the three ways in agree on an MNIST digit:
// its prepared input, the same digit as a large image, and as strokes.
func TestClassifierPaths(t *testing.T) {
	c, err := NewClassifier()
	if err != nil {
		t.Fatal(err)
	}
	x, labels := testSet(t)
	var in digit.Input
	copy(in[:], x.Data[:784])
	if p := c.Input(&in); p.Digit != labels[0] {
		t.Errorf("Input of test digit 0 = %d, want %d", p.Digit, labels[0])
	}
	// The digit, ten times larger, dark on light as drawn in Paint.
	img := image.NewGray(image.Rect(0, 0, 280, 280))
	for y := range 280 {
		for x1 := range 280 {
			img.SetGray(x1, y, color.Gray{255 - uint8(255*in[(y/10)*28+x1/10])})
		}
	}
	if p, seen, err := c.Image(img); err != nil || p.Digit != labels[0] || seen == nil {
		t.Errorf("Image = %d, %v; want %d", p.Digit, err, labels[0])
	}
	// A 7 drawn as two strokes.
	seven := []digit.Stroke{{{X: 60, Y: 60}, {X: 220, Y: 60}, {X: 120, Y: 240}}}
	if p, _, err := c.Strokes(seven, 18); err != nil || p.Digit != 7 {
		t.Errorf("Strokes(7) = %d (%v), %v; want 7", p.Digit, p.Probabilities, err)
	}
	if _, _, err := c.Image(image.NewGray(image.Rect(0, 0, 50, 50))); !errors.Is(err, digit.ErrNoInk) {
		t.Errorf("blank image: %v, want ErrNoInk", err)
	}
}

func TestNewClassifierForRejects(t *testing.T) {
	spec, err := nn.Architecture("twolayernet")
	if err != nil {
		t.Fatal(err)
	}
	spec.Classes, spec.Layers[len(spec.Layers)-1].Out = 3, 3 // a 3-class network
	net, err := spec.Build(1)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := NewClassifierFor(net); err == nil {
		t.Error("NewClassifierFor accepted a 3-class network")
	}
}

func TestClassifierInputAllocs(t *testing.T) {
	c, err := NewClassifier()
	if err != nil {
		t.Fatal(err)
	}
	var in digit.Input
	c.Input(&in)
	if n := testing.AllocsPerRun(10, func() { c.Input(&in) }); n != 0 {
		t.Errorf("Classifier.Input allocates %v times, want 0", n)
	}
}
