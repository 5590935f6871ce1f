package number

import (
	"encoding/json"
	"errors"
	"image"
	"image/color"
	"math"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"

	"github.com/tegaki/tegaki/nn/digit"
	"github.com/tegaki/tegaki/nn/number/compose"
)

// seven is a 7 in two strokes, the bar drawn last, 100 units tall.
var seven = []digit.Stroke{
	{{X: 0, Y: 0}, {X: 60, Y: 0}, {X: 20, Y: 100}},
	{{X: 15, Y: 50}, {X: 55, Y: 50}},
}

// shift returns strokes moved right by dx.
func shift(strokes []digit.Stroke, dx float64) []digit.Stroke {
	out := make([]digit.Stroke, len(strokes))
	for i, s := range strokes {
		for _, p := range s {
			out[i] = append(out[i], digit.Point{X: p.X + dx, Y: p.Y})
		}
	}
	return out
}

// TestOneDigit checks that one digit reads as the single-digit path reads
// it: the same input and the same probabilities.
func TestOneDigit(t *testing.T) {
	r := newReader(t)
	want, err := digit.FromStrokes(seven, 12)
	if err != nil {
		t.Fatal(err)
	}
	got, err := r.ReadStrokes(seven, 12)
	if err != nil {
		t.Fatal(err)
	}
	if got.Number != "7" || len(got.Digits) != 1 {
		t.Fatalf("a drawn 7 reads as %q", got.Number)
	}
	d := got.Digits[0]
	if *d.Input != *want {
		t.Errorf("the 7's input differs from digit.FromStrokes's")
	}
	alone := r.p.Predict(want)
	for i, p := range d.Probabilities {
		if math.Abs(float64(p-alone.Probabilities[i])) > 1e-5 {
			t.Errorf("p(%d) = %v, alone %v", i, p, alone.Probabilities[i])
		}
	}
	if !reflect.DeepEqual(d.Strokes, []int{0, 1}) {
		t.Errorf("the 7 is made of strokes %v, want [0 1]", d.Strokes)
	}
	if d.Box.X0 != -6 || d.Box.Y1 != 106 {
		t.Errorf("the 7's box %+v, want the strokes' extent with half the pen around", d.Box)
	}

	// The same digit as a picture.
	pic := paint(seven, 12, 160, 130)
	in, err := digit.FromImage(pic)
	if err != nil {
		t.Fatal(err)
	}
	got, err = r.ReadImage(pic)
	if err != nil || got.Number != "7" || *got.Digits[0].Input != *in {
		t.Errorf("a painted 7 reads as %q (%v), or with another input than digit.FromImage's", got.Number, err)
	}
}

// paint draws strokes dark on white, as Paint would, in a w×h picture.
func paint(strokes []digit.Stroke, width float64, w, h int) *image.Gray {
	img := image.NewGray(image.Rect(0, 0, w, h))
	for i := range img.Pix {
		img.Pix[i] = 255
	}
	for y := range h {
		for x := range w {
			p := digit.Point{X: float64(x) + 0.5 - 20, Y: float64(y) + 0.5 - 15}
			for _, s := range strokes {
				for i := 1; i < len(s); i++ {
					if segmentDistance(p, s[i-1], s[i]) <= width/2 {
						img.SetGray(x, y, color.Gray{0})
					}
				}
			}
		}
	}
	return img
}

func segmentDistance(p, a, b digit.Point) float64 {
	dx, dy := b.X-a.X, b.Y-a.Y
	t := ((p.X-a.X)*dx + (p.Y-a.Y)*dy) / (dx*dx + dy*dy)
	t = max(0, min(1, t))
	return math.Hypot(p.X-a.X-t*dx, p.Y-a.Y-t*dy)
}

// TestSplitDrawing checks the split of drawings whose answer is certain:
// the strokes of a 7 stay together, even with the bar drawn after the next
// digit, and points between digits are not digits.
func TestSplitDrawing(t *testing.T) {
	one := []digit.Stroke{{{X: 30, Y: 0}, {X: 30, Y: 100}}}
	dot := []digit.Stroke{{{X: 0, Y: 96}}}
	late := append(shift(seven[:1], 0), shift(one, 80)...)
	late = append(late, seven[1])
	for _, tc := range []struct {
		name    string
		strokes []digit.Stroke
		want    string
	}{
		{"7 1", append(shift(seven, 0), shift(one, 80)...), "71"},
		{"1 7", append(shift(one, 0), shift(seven, 80)...), "17"},
		{"7, bar last, 1", late, "71"},
		{"7 . 7", append(append(shift(seven, 0), shift(dot, 85)...), shift(seven, 110)...), "77"},
		{"7 7 7 drawn right to left", append(append(shift(seven, 220), shift(seven, 110)...), seven...), "777"},
	} {
		got, err := newReader(t).ReadStrokes(tc.strokes, 12)
		if err != nil || got.Number != tc.want {
			t.Errorf("%s: read %q (%v), want %q", tc.name, got.Number, err, tc.want)
		}
	}
}

// TestErrors checks that bad drawings and pictures get digit's errors and
// codes, and that a number too long is refused.
func TestErrors(t *testing.T) {
	r := newReader(t)
	long := []digit.Stroke{}
	for i := range MaxDigits + 1 {
		long = append(long, shift(seven, float64(i)*110)...)
	}
	for _, tc := range []struct {
		name    string
		strokes []digit.Stroke
		width   float64
		code    string
	}{
		{"nothing", nil, 10, digit.CodeNoDigit},
		{"empty strokes", []digit.Stroke{{}, {}}, 10, digit.CodeNoDigit},
		{"a dot", []digit.Stroke{{{X: 5, Y: 5}}}, 10, digit.CodeNoDigit},
		{"NaN", []digit.Stroke{{{X: math.NaN(), Y: 5}, {X: 1, Y: 1}}}, 10, digit.CodeBadInput},
		{"zero pen", seven, 0, digit.CodeBadInput},
		{"13 digits", long, 12, digit.CodeTooLarge},
		{"too many points", []digit.Stroke{make(digit.Stroke, maxPoints+1)}, 10, digit.CodeTooLarge},
	} {
		_, err := r.ReadStrokes(tc.strokes, tc.width)
		var e *digit.Error
		if !errors.As(err, &e) || digit.Code(err) != tc.code {
			t.Errorf("%s: error %v (code %s), want a *digit.Error of code %s", tc.name, err, digit.Code(err), tc.code)
		}
	}
	if got, err := r.ReadStrokes(long[:len(long)-2], 12); err != nil || got.Number != strings.Repeat("7", MaxDigits) {
		t.Errorf("%d sevens read as %q (%v)", MaxDigits, got.Number, err)
	}
	for _, tc := range []struct {
		name string
		img  image.Image
		code string
	}{
		{"nil", nil, digit.CodeNoDigit},
		{"blank", image.NewGray(image.Rect(0, 0, 100, 50)), digit.CodeNoDigit},
		{"huge", image.NewGray(image.Rect(0, 0, digit.MaxSide+1, 2)), digit.CodeTooLarge},
		{"13 digits", paint(long, 12, 13*110+40, 140), digit.CodeTooLarge},
	} {
		_, err := r.ReadImage(tc.img)
		if digit.Code(err) != tc.code || err == nil {
			t.Errorf("%s: error %v, want code %s", tc.name, err, tc.code)
		}
	}
}

// TestJSON checks the shape every front end answers with.
func TestJSON(t *testing.T) {
	got, err := newReader(t).ReadStrokes(append(shift(seven, 0), shift(seven, 90)...), 12)
	if err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(got)
	if err != nil {
		t.Fatal(err)
	}
	var v struct {
		Number     string
		Confidence float64
		Digits     []map[string]any
	}
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatal(err)
	}
	if v.Number != "77" || len(v.Digits) != 2 || v.Confidence <= 0 || v.Confidence > 1 {
		t.Errorf("JSON %s", b)
	}
	for _, d := range v.Digits {
		if len(d) != 2 || d["digit"] != 7.0 || len(d["probabilities"].([]any)) != 10 {
			t.Errorf("digit JSON %v, want only digit and probabilities", d)
		}
	}
}

// TestCache checks that reading a number stroke by stroke, as the page
// does, gives the same answer as reading it at once with a new Reader.
func TestCache(t *testing.T) {
	val, _ := sets(t)
	n := compose.Write(rand.New(rand.NewPCG(3, 3)), val, compose.Separated)
	strokes := drawing(n)
	r := newReader(t)
	for i := 1; i <= len(strokes); i++ {
		got, err := r.ReadStrokes(strokes[:i], n.Pen)
		want, werr := newReader(t).ReadStrokes(strokes[:i], n.Pen)
		if !reflect.DeepEqual(err, werr) {
			t.Fatalf("after %d strokes: error %v with the cache, %v without", i, err, werr)
		}
		if !sameReading(got, want) {
			t.Fatalf("after %d strokes: %+v with the cache, %+v without", i, got, want)
		}
	}
}

// sameReading reports whether two readings agree: the same digits from the
// same strokes, with probabilities that differ only by the rounding of
// batches of other sizes.
func sameReading(a, b Reading) bool {
	if a.Number != b.Number || len(a.Digits) != len(b.Digits) || math.Abs(float64(a.Confidence-b.Confidence)) > 1e-5 {
		return false
	}
	for i, d := range a.Digits {
		e := b.Digits[i]
		if *d.Input != *e.Input || d.Box != e.Box || !reflect.DeepEqual(d.Strokes, e.Strokes) {
			return false
		}
		for k, p := range d.Probabilities {
			if math.Abs(float64(p-e.Probabilities[k])) > 1e-5 {
				return false
			}
		}
	}
	return true
}
