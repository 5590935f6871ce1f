package digit

import (
	"errors"
	"image"
	"testing"
)

// TestFromInk checks that FromImage is Ink followed by FromInk, that
// FromInk leaves its map alone and reads a sub-image of one, and that it
// refuses what holds no digit.
func TestFromInk(t *testing.T) {
	img := paint(300, 280, seven, 18, 0, 255)
	want, err := FromImage(img)
	if err != nil {
		t.Fatal(err)
	}
	ink, err := Ink(img)
	if err != nil {
		t.Fatal(err)
	}
	if ink.Rect != image.Rect(0, 0, 300, 280) {
		t.Errorf("Ink bounds %v, want the picture's from (0, 0)", ink.Rect)
	}
	before := append([]uint8(nil), ink.Pix...)
	got, err := FromInk(ink)
	if err != nil {
		t.Fatal(err)
	}
	if *got != *want {
		t.Error("FromInk(Ink(img)) differs from FromImage(img)")
	}
	if string(before) != string(ink.Pix) {
		t.Error("FromInk changed its ink map")
	}
	// The same seven with a wide empty margin on the left, read through a
	// sub-image that leaves the margin out.
	wide := image.NewGray(image.Rect(0, 0, 500, 280))
	for y := range 280 {
		copy(wide.Pix[y*500+200:], ink.Pix[y*300:(y+1)*300])
	}
	sub, err := FromInk(wide.SubImage(image.Rect(200, 0, 500, 280)).(*image.Gray))
	if err != nil {
		t.Fatal(err)
	}
	if *sub != *want {
		t.Error("FromInk of a sub-image differs from FromImage of the picture")
	}

	for _, tc := range []struct {
		name string
		ink  *image.Gray
		kind error
	}{
		{"nil", nil, ErrNoInk},
		{"empty", image.NewGray(image.Rect(0, 0, 0, 5)), ErrNoInk},
		{"blank", image.NewGray(image.Rect(0, 0, 40, 40)), ErrNoInk},
		{"huge", &image.Gray{Rect: image.Rect(0, 0, MaxSide+1, 1), Stride: MaxSide + 1}, ErrTooLarge},
		{"short", &image.Gray{Rect: image.Rect(0, 0, 10, 10), Stride: 10, Pix: make([]uint8, 50)}, nil},
	} {
		_, err := FromInk(tc.ink)
		var e *Error
		if !errors.As(err, &e) || e.Kind != tc.kind {
			t.Errorf("%s: FromInk error %v, want an *Error of kind %v", tc.name, err, tc.kind)
		}
	}
}
