package digit

import (
	"errors"
	"math"
	"reflect"
	"testing"
)

// A drawing and a picture of it give nearly the same input.
func TestFromStrokesMatchesFromImage(t *testing.T) {
	for _, tt := range []struct {
		name    string
		strokes []Stroke
		width   float64
		tol     float64
	}{
		// 0.15 is a few pixels' worth of anti-aliasing: the picture's
		// edges go through two rounds of filtering, the strokes' one.
		{"seven", seven, 18, 0.15},
		{"seven, thin pen", seven, 4, 0.15},
		// A pen a fifth of a working pixel wide comes out of the picture's
		// first scaling dimmer where it runs along the pixel grid, and the
		// thickening keeps that difference.
		{"seven, 1-pixel pen", seven, 1, 0.25},
		{"seven, bold pen", seven, 40, 0.15},
		{"four", four, 20, 0.15},
		{"one", []Stroke{{{140, 30}, {135, 250}}}, 20, 0.15},
	} {
		t.Run(tt.name, func(t *testing.T) {
			want, err := FromImage(paint(280, 280, tt.strokes, tt.width, 0, 255))
			if err != nil {
				t.Fatalf("FromImage: %v", err)
			}
			got, err := FromStrokes(tt.strokes, tt.width)
			if err != nil {
				t.Fatalf("FromStrokes: %v", err)
			}
			if d := diff(want, got); d > tt.tol {
				t.Errorf("FromStrokes differs from FromImage by %.3f, want under %v", d, tt.tol)
			}
			cx, cy, _ := shape(got)
			if math.Abs(cx-14) > 0.1 || math.Abs(cy-14) > 0.1 {
				t.Errorf("centre of mass (%.2f, %.2f), want (14, 14)", cx, cy)
			}
		})
	}
}

// Only the shape of a drawing matters, not where it is or how big.
func TestFromStrokesInvariance(t *testing.T) {
	want, err := FromStrokes(four, 20)
	if err != nil {
		t.Fatal(err)
	}
	moved := make([]Stroke, len(four))
	for i, s := range four {
		for _, p := range s {
			moved[i] = append(moved[i], Point{p.X - 5000, p.Y + 1e6})
		}
	}
	for _, tt := range []struct {
		name    string
		strokes []Stroke
		width   float64
	}{
		{"twice as big", scale(four, 2), 40},
		{"a tenth", scale(four, 0.1), 2},
		{"moved", moved, 20},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got, err := FromStrokes(tt.strokes, tt.width)
			if err != nil {
				t.Fatal(err)
			}
			if d := diff(want, got); d > 1e-3 {
				t.Errorf("differs by %.5f, want under 1e-3", d)
			}
		})
	}
}

func TestFromStrokesErrors(t *testing.T) {
	many := make([]Stroke, 1)
	for i := range maxPoints + 1 {
		many[0] = append(many[0], Point{float64(i % 100), float64(i / 100)})
	}
	for _, tt := range []struct {
		name    string
		strokes []Stroke
		width   float64
		is      error // nil for any error
	}{
		{"no strokes", nil, 10, ErrNoInk},
		{"empty strokes", []Stroke{{}, {}}, 10, ErrNoInk},
		{"a dot", []Stroke{{{5, 5}}}, 10, ErrNoInk},
		{"a tap", []Stroke{{{5, 5}, {6, 5}, {5, 6}}}, 10, ErrNoInk},
		{"too many points", many, 1, ErrTooLarge},
		{"zero width", seven, 0, nil},
		{"negative width", seven, -3, nil},
		{"NaN width", seven, math.NaN(), nil},
		{"infinite width", seven, math.Inf(1), nil},
		{"NaN point", []Stroke{{{0, 0}, {math.NaN(), 1}}}, 1, nil},
		{"infinite point", []Stroke{{{0, 0}, {1, math.Inf(-1)}}}, 1, nil},
		{"too far apart", []Stroke{{{-math.MaxFloat64, 0}, {math.MaxFloat64, 0}}}, 1, nil},
	} {
		t.Run(tt.name, func(t *testing.T) {
			in, err := FromStrokes(tt.strokes, tt.width)
			if err == nil || (tt.is != nil && !errors.Is(err, tt.is)) {
				t.Errorf("FromStrokes = %v, %v; want an error wrapping %v", in != nil, err, tt.is)
			}
		})
	}
}

// Odd but valid drawings give an input.
func TestFromStrokesOdd(t *testing.T) {
	for _, tt := range []struct {
		name    string
		strokes []Stroke
		width   float64
	}{
		{"a line much longer than the pen", []Stroke{{{0, 0}, {1e6, 0}}}, 1},
		{"a huge pen", []Stroke{{{0, 0}, {10, 0}}, {{0, 0}, {0, 10}}}, 2},
		{"tiny coordinates", scale(seven, 1e-300), 18e-300},
		{"repeated points", []Stroke{{{0, 0}, {0, 0}, {0, 0}, {50, 50}, {50, 50}}}, 5},
		{"dots making a line", []Stroke{{{0, 0}}, {{10, 0}}, {{20, 0}}, {{30, 0}}, {{40, 0}}}, 3},
	} {
		t.Run(tt.name, func(t *testing.T) {
			in, err := FromStrokes(tt.strokes, tt.width)
			if err != nil {
				t.Fatalf("FromStrokes: %v", err)
			}
			cx, cy, _ := shape(in)
			if math.Abs(cx-14) > 0.5 || math.Abs(cy-14) > 0.5 {
				t.Errorf("centre of mass (%.2f, %.2f), want (14, 14)", cx, cy)
			}
		})
	}
}

// TestCheckStrokes checks that CheckStrokes gives FromStrokes's errors for
// bad drawings, and nil for any drawing FromStrokes reads.
func TestCheckStrokes(t *testing.T) {
	dot := []Stroke{{{X: 1, Y: 1}}}
	for _, tc := range []struct {
		name    string
		strokes []Stroke
		width   float64
	}{
		{"seven", seven, 18},
		{"dot", dot, 5},
		{"no strokes", nil, 5},
		{"empty strokes", []Stroke{{}, {}}, 5},
		{"zero width", seven, 0},
		{"NaN width", seven, math.NaN()},
		{"infinite point", []Stroke{{{X: math.Inf(1), Y: 0}, {X: 1, Y: 1}}}, 5},
		{"too many points", []Stroke{make(Stroke, maxPoints+1)}, 5},
	} {
		_, want := FromStrokes(tc.strokes, tc.width)
		got := CheckStrokes(tc.strokes, tc.width)
		if errors.Is(want, ErrNoInk) && tc.name == "dot" {
			want = nil // only drawing tells a dot from a digit
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s: CheckStrokes = %v, FromStrokes = %v", tc.name, got, want)
		}
	}
}
