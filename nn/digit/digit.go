package digit

import (
	"errors"
	"fmt"
	"image"
)

// Size is the side of the network input: MNIST's 28 pixels.
const Size = 28

// Input is one network input: Size×Size grey values, row-major, 0 for
// background and 1 for full ink, made as MNIST's digits were made. Copy it
// into a tensor of shape (1, 1, Size, Size) to classify it.
type Input [Size * Size]float32

// Limits on the images that FromImage accepts (and package imagefile
// decodes).
const (
	MaxSide   = 8192     // pixels on either side
	MaxPixels = 40 << 20 // pixels in all
)

var (
	// ErrNoInk is wrapped by the errors for images and drawings that hold
	// no digit: blank, uniform, noise only, or a dot.
	ErrNoInk = errors.New("digit: no digit found")
	// ErrTooLarge is wrapped by the errors for images over MaxSide or
	// MaxPixels and drawings of too many points.
	ErrTooLarge = errors.New("digit: image too large")
)

// CheckSize returns an error wrapping ErrTooLarge if a w×h image is over
// the limits. The sizes are int64 so that the bounds of an image.Uniform
// (two thousand million pixels a side) cannot overflow on 32-bit platforms.
func CheckSize(w, h int64) error {
	if w < 0 || h < 0 || w > MaxSide || h > MaxSide || w*h > MaxPixels {
		return fmt.Errorf("%w: %d×%d pixels, over %d on a side or %d in all", ErrTooLarge, w, h, MaxSide, MaxPixels)
	}
	return nil
}

// FromImage returns the network input for a picture of one digit, made by
// the recipe in the package documentation: any size, colour or grey, dark
// on light or light on dark, with or without transparency. It returns an
// error wrapping ErrNoInk if the picture holds no digit and one wrapping
// ErrTooLarge if it is over MaxSide or MaxPixels.
//
// Any valid image works, of any type in package image or not. An image
// struct built by hand whose pixel slice is too short for its bounds gets
// an error for the types FromImage reads directly (Gray, YCbCr, RGBA,
// NRGBA, Paletted); for the others it panics where the image's own
// methods panic.
func FromImage(img image.Image) (*Input, error) {
	if img == nil {
		return nil, fmt.Errorf("%w: nil image", ErrNoInk)
	}
	b := img.Bounds()
	if b.Empty() {
		return nil, fmt.Errorf("%w: empty image", ErrNoInk)
	}
	if err := CheckSize(int64(b.Max.X)-int64(b.Min.X), int64(b.Max.Y)-int64(b.Min.Y)); err != nil {
		return nil, err
	}
	g, w, h, err := grey(img)
	if errors.Is(err, ErrNoInk) {
		return nil, fmt.Errorf("%w: the image is transparent", err)
	}
	if err != nil {
		return nil, err
	}
	if err := inkMap(g, w, h); err != nil {
		return nil, fmt.Errorf("%w: too little contrast", err)
	}
	r, err := inkBox(g, w, h)
	if err != nil {
		return nil, fmt.Errorf("%w: no marks", err)
	}
	return scaleInk(g, w, r).input()
}
