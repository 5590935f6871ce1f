package pretrained

import (
	"fmt"
	"image"
	"sort"

	"github.com/tegaki/tegaki/nn"
	"github.com/tegaki/tegaki/nn/digit"
)

// A Prediction is the network's answer for one digit.
type Prediction struct {
	Digit         int         // the most probable digit
	Probabilities [10]float32 // of each digit, summing to 1
}

// Top returns the k most probable digits, most probable first.
func (p Prediction) Top(k int) []int {
	order := []int{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}
	sort.SliceStable(order, func(i, j int) bool { return p.Probabilities[order[i]] > p.Probabilities[order[j]] })
	return order[:min(max(k, 0), 10)]
}

// A Classifier reads digits from images, strokes or prepared inputs with one
// network. It is the single path that the command line, the browser app and
// the Worker share, so that the same input gets the same answer everywhere.
// A Classifier is not safe for concurrent use; make one per goroutine.
type Classifier struct {
	net *nn.Net
	x   *nn.Tensor
}

// NewClassifier returns a Classifier with the embedded model.
func NewClassifier() (*Classifier, error) {
	net, err := Net()
	if err != nil {
		return nil, err
	}
	return NewClassifierFor(net)
}

// NewClassifierFor returns a Classifier with net, which must take one
// 28×28 grey image (as (1, 28, 28), or 784 features for a perceptron) and
// give 10 classes: any model tools/train writes.
func NewClassifierFor(net *nn.Net) (*Classifier, error) {
	s := net.Spec
	n := 1
	for _, d := range s.Input {
		n *= d
	}
	if n != digit.Size*digit.Size || s.Classes != 10 {
		return nil, fmt.Errorf("pretrained: network %q takes %v and gives %d classes, want a %d×%d grey image and 10 digits", s.Name, s.Input, s.Classes, digit.Size, digit.Size)
	}
	return &Classifier{net: net, x: nn.NewTensor(append([]int{1}, s.Input...)...)}, nil
}

// Input classifies a prepared 28×28 input. It allocates nothing.
func (c *Classifier) Input(in *digit.Input) Prediction {
	copy(c.x.Data, in[:])
	var p Prediction
	copy(p.Probabilities[:], c.net.Predict(c.x).Data)
	for d, v := range p.Probabilities {
		if v > p.Probabilities[p.Digit] {
			p.Digit = d
		}
	}
	return p
}

// Image prepares img as MNIST's digits were prepared and classifies it. It
// also returns the input the network saw. Errors wrap digit.ErrNoInk when
// the image holds no digit.
func (c *Classifier) Image(img image.Image) (Prediction, *digit.Input, error) {
	in, err := digit.FromImage(img)
	if err != nil {
		return Prediction{}, nil, err
	}
	return c.Input(in), in, nil
}

// Strokes rasterises polylines drawn with a pen of the given width and
// classifies them.
func (c *Classifier) Strokes(strokes []digit.Stroke, width float64) (Prediction, *digit.Input, error) {
	in, err := digit.FromStrokes(strokes, width)
	if err != nil {
		return Prediction{}, nil, err
	}
	return c.Input(in), in, nil
}
