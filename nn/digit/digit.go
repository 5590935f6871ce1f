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

// What ErrNoInk and ErrTooLarge say, and every Error wrapping them begins
// with.
const (
	noInkReason    = "no digit found"
	tooLargeReason = "image too large"
)

var (
	// ErrNoInk is wrapped by the errors for images and drawings that hold
	// no digit: blank, uniform, noise only, or a dot.
	ErrNoInk = errors.New("digit: " + noInkReason)
	// ErrTooLarge is wrapped by the errors for images over MaxSide or
	// MaxPixels and drawings of too many points.
	ErrTooLarge = errors.New("digit: " + tooLargeReason)
)

// An Error is what the package returns for a picture or drawing it cannot
// prepare. Reason says what was wrong in words for people, without the
// package's name ("no digit found: too little contrast"); front ends show
// it as it is.
type Error struct {
	Kind   error  // ErrNoInk, ErrTooLarge, or nil for a bad argument
	Reason string // what was wrong
}

func (e *Error) Error() string { return "digit: " + e.Reason }
func (e *Error) Unwrap() error { return e.Kind }

// errorf returns an *Error of the given kind whose reason is the kind's
// own followed by the formatted detail.
func errorf(kind error, format string, args ...any) error {
	reason := fmt.Sprintf(format, args...)
	switch kind {
	case ErrNoInk:
		reason = noInkReason + ": " + reason
	case ErrTooLarge:
		reason = tooLargeReason + ": " + reason
	}
	return &Error{Kind: kind, Reason: reason}
}

// The codes of Code, which the page's JS API reports and the Worker maps
// to HTTP statuses.
const (
	CodeNoDigit  = "no-digit"  // ErrNoInk: nothing that looks like a digit
	CodeTooLarge = "too-large" // ErrTooLarge: over the size limits
	CodeBadInput = "bad-input" // anything else: the input itself is wrong
)

// Code returns the code of an error from preparing an input: CodeNoDigit
// for one wrapping ErrNoInk, CodeTooLarge for ErrTooLarge, and
// CodeBadInput for any other. It is the one mapping every front end uses.
func Code(err error) string {
	switch {
	case errors.Is(err, ErrNoInk):
		return CodeNoDigit
	case errors.Is(err, ErrTooLarge):
		return CodeTooLarge
	}
	return CodeBadInput
}

// CheckSize returns an error wrapping ErrTooLarge if a w×h image is over
// the limits. The sizes are int64 so that the bounds of an image.Uniform
// (two thousand million pixels a side) cannot overflow on 32-bit platforms.
func CheckSize(w, h int64) error {
	if w < 0 || h < 0 || w > MaxSide || h > MaxSide || w*h > MaxPixels {
		return errorf(ErrTooLarge, "%d×%d pixels, over %d on a side or %d in all", w, h, MaxSide, MaxPixels)
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
	ink, err := Ink(img)
	if err != nil {
		return nil, err
	}
	return fromInk(ink.Pix, ink.Rect.Dx(), ink.Rect.Dy())
}

// Ink returns the ink map of a picture: steps 1 and 2 of the recipe, which
// find the background and the ink whatever the picture's colours, as a grey
// image of the picture's size whose levels are ink (0 background, 255 full
// ink) and whose bounds start at (0, 0). A caller that cuts a picture of
// several digits into one picture each (package number does) works on the
// ink map and gives each piece to FromInk, so that every piece is judged
// against the whole picture's background. Its errors are FromImage's.
func Ink(img image.Image) (*image.Gray, error) {
	if img == nil {
		return nil, errorf(ErrNoInk, "nil image")
	}
	b := img.Bounds()
	if b.Empty() {
		return nil, errorf(ErrNoInk, "empty image")
	}
	if err := CheckSize(int64(b.Max.X)-int64(b.Min.X), int64(b.Max.Y)-int64(b.Min.Y)); err != nil {
		return nil, err
	}
	g, w, h, err := grey(img)
	if errors.Is(err, ErrNoInk) {
		return nil, errorf(ErrNoInk, "the image is transparent")
	}
	if err != nil {
		return nil, err
	}
	if err := inkMap(g, w, h); err != nil { // ErrNoInk
		return nil, errorf(ErrNoInk, "too little contrast")
	}
	return &image.Gray{Pix: g, Stride: w, Rect: image.Rect(0, 0, w, h)}, nil
}

// FromInk returns the network input for an ink map as Ink makes it (0
// background, 255 full ink), following the recipe from step 3: specks are
// cleared, the ink is cropped, scaled and centred. The map is not changed.
// It returns an error wrapping ErrNoInk if the map holds no digit and one
// wrapping ErrTooLarge if it is over MaxSide or MaxPixels.
func FromInk(ink *image.Gray) (*Input, error) {
	if ink == nil || ink.Rect.Empty() {
		return nil, errorf(ErrNoInk, "empty ink map")
	}
	w, h := ink.Rect.Dx(), ink.Rect.Dy()
	if err := CheckSize(int64(w), int64(h)); err != nil {
		return nil, err
	}
	if ink.Stride < w || len(ink.Pix) < (h-1)*ink.Stride+w {
		return nil, errMalformed
	}
	g := make([]uint8, w*h)
	for y := range h {
		copy(g[y*w:(y+1)*w], ink.Pix[y*ink.Stride:])
	}
	return fromInk(g, w, h)
}

// fromInk follows the recipe from step 3 on the w×h ink map g, which it
// changes.
func fromInk(g []uint8, w, h int) (*Input, error) {
	r, err := inkBox(g, w, h)
	if err != nil { // ErrNoInk
		return nil, errorf(ErrNoInk, "no marks")
	}
	return scaleInk(g, w, r).input()
}
